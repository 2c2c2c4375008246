// Times glyph's tokenizer on one thread, load excluded: the whole file in one call, and
// the file in chunks of about CHUNK bytes (cut at newlines), as a gateway sees messages.
// Usage: tokenizer_bench TOKENIZER.json FILE RUNS CHUNK ; prints JSON.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "glyph/tokens.hpp"

namespace {

std::vector<std::string_view> chunks(const std::string& text, std::size_t size) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + size);
    const std::size_t nl = text.find('\n', end);
    end = nl == std::string::npos ? text.size() : nl + 1;
    out.emplace_back(text.data() + at, end - at);
    at = end;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: tokenizer_bench TOKENIZER.json FILE RUNS CHUNK\n");
    return 2;
  }
  const glyph::tokenizer tok = glyph::tokenizer::from_file(argv[1]);
  std::ifstream in(argv[2], std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const int runs = std::stoi(argv[3]);
  const auto parts = chunks(text, std::stoul(argv[4]));
  std::size_t ids = 0, chunk_ids = 0;
  std::string whole = "[", chunked = "[";
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    ids = tok.encode(text).size();
    auto t1 = std::chrono::steady_clock::now();
    chunk_ids = 0;
    for (auto p : parts) chunk_ids += tok.encode(p).size();
    auto t2 = std::chrono::steady_clock::now();
    if (r) whole += ",", chunked += ",";
    whole += std::to_string(std::chrono::duration<double>(t1 - t0).count());
    chunked += std::to_string(std::chrono::duration<double>(t2 - t1).count());
  }
  std::printf("{\"ids\": %zu, \"chunk_ids\": %zu, \"chunks\": %zu, \"seconds\": %s], \"chunk_seconds\": %s]}\n", ids,
              chunk_ids, parts.size(), whole.c_str(), chunked.c_str());
  return 0;
}
