#include "token_corpus.hpp"

#include <fstream>
#include <random>
#include <stdexcept>

#include "support.hpp"

namespace glyph::test {

namespace {

// The first `n` bytes of a text, cut back to a UTF-8 character boundary.
std::string cut(std::string s, std::size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string concat_sources() {
  std::string out;
  for (const char* dir : {"src", "tools", "tests"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(repo_path(dir)))
      if (e.is_regular_file() && (e.path().extension() == ".cpp" || e.path().extension() == ".hpp"))
        out += read_text(e.path().string());
  for (const char* h : {"/usr/include/stdio.h", "/usr/include/stdlib.h", "/usr/include/string.h"})
    if (std::filesystem::exists(h)) out += read_text(h);
  return out;
}

void write(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace

std::string stress_text(std::size_t bytes, unsigned seed) {
  static const std::vector<std::string> pieces = {
      "'s",
      "'S",
      "'t",
      "'RE",
      "'ve",
      "'m",
      "'ll",
      "'LL",
      "'d",
      "'x",
      "'\xC5\xBF",
      "don't",
      "I'M",
      "we'Re",
      " ",
      "  ",
      "   ",
      "\t",
      " \t\n",
      "\r\n",
      "\n\n\n",
      "\n \n",
      "\x0B",
      "\xC2\x85",
      "\xC2\xA0",
      "\xE3\x80\x80",
      "\xE2\x80\xA8",
      "\xE2\x80\x83",
      " \xC2\xA0word",
      "\xF0\x9F\x98\x80",
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",
      "\xF0\x9F\x87\xA8\xF0\x9F\x87\xB3",
      "\xE2\x9C\x8C\xEF\xB8\x8F",
      "e\xCC\x81",
      "A\xCC\x8A",
      "\xE2\x84\xAB",
      "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",
      "\xEF\xAC\x81",
      "\xE1\xBA\x9B\xCC\xA3",
      "1234567",
      "3.14159",
      "0x1F",
      "1,000,000",
      "\xD9\xA1\xD9\xA2\xD9\xA3",
      "\xE2\x91\xA0\xE2\x91\xA1",
      "\xE2\x85\xAB",
      "\xC2\xBD",
      "\xEF\xBC\x91\xEF\xBC\x92",
      "<|im_start|>",
      "<|im_end|>",
      "<think>",
      "</tool_call>",
      "<|endoftext|>",
      "<|im_start",
      "ab<|im_end|>cd",
      "<|vision_start|><|image_pad|><|vision_end|>",
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
      "\xCE\x9A\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1",
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7",
      "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87",
      "\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA\xE0\xB8\x94\xE0\xB8\xB5",
      "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF\xE3\x80\x81\xE3\x82\xAB\xE3\x82\xBF",
      "\xEC\x95\x88\xEB\x85\x95\xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94",
      "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C\xE3\x80\x82",
      "\xFF",
      "\xC3",
      "\xE4\xB8",
      "\xED\xA0\x80",
      "\xF4\x90\x80\x80",
      "\xC0\xAF",
      "\xF0\x9F\x98",
      "\x80\x80",
      "\x01\x1B[32m",
      "\x7F",
      "(hello)",
      "!!!\n\n",
      " ...",
      "  word",
      "\tword",
      "$var",
      "#include <vector>",
      "\xE2\x80\x94",
      "\xE2\x80\x9Cquoted\xE2\x80\x9D",
      "std::vector<int> v{1, 2, 3};",
      "if (x) {\n    return y;\n}\n",
      "https://example.org/a?b=c&d=e",
      "UUID 3f2a9c1e-7b4d-4e8a-9f01-2c3d4e5f6a7b",
      "Hello",
      "world",
      "The quick brown fox",
      "JUMPS",
      "naïve café",
      "Straße",
      "İstanbul",
  };
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> sep(0, 5), run(1, 400);
  std::string out;
  while (out.size() < bytes) {
    switch (rng() % 40) {
      case 0:
        out.append(run(rng), ' ');
        break;
      case 1:
        out.append(run(rng), 'a');
        break;
      case 2:
        out.append(run(rng), '!');
        break;
      case 3:
        for (int i = run(rng); i > 0; --i) out.push_back(char('0' + rng() % 10));
        break;
      case 4:
        for (int i = run(rng) / 4; i > 0; --i) out += "\xE4\xB8\x80";
        break;
      default:
        out += pieces[pick(rng)];
    }
    static const char* seps[] = {"", " ", "\n", "  ", "", " "};
    out += seps[sep(rng)];
  }
  return out;
}

std::vector<std::string> write_token_corpus(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::string zh_dir = "/usr/share/games/fortunes/";
  const std::vector<std::pair<std::string, std::string>> files = {
      {"en_kjv.txt", cut(kjv_text(), 400'000)},
      {"zh_fortunes.txt",
       cut(read_text(zh_dir + "chinese"), 300'000) + read_text(zh_dir + "tang300") + read_text(zh_dir + "song100")},
      {"code.txt", cut(concat_sources(), 250'000) + read_text("/usr/include/stdio.h")},
      {"stress.txt", stress_text(120'000, 7)},
  };
  std::vector<std::string> paths;
  for (const auto& [name, text] : files) {
    write(dir / name, text);
    paths.push_back((dir / name).string());
  }
  return paths;
}

}  // namespace glyph::test
