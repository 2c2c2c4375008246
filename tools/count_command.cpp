// glyph count: exact text tokens of a file under a Hugging Face tokenizer.json.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "glyph/tokens.hpp"

namespace glyph::cli {

namespace {

struct count_args {
  std::string tokenizer, input;
  bool json = false, ids = false;
};

int run(const count_args& a) {
  return guarded("count", [&] {
    require_file(a.tokenizer, "--tokenizer");
    const tokenizer tok = tokenizer::from_file(a.tokenizer);
    const std::string text = read_input(a.input);
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<std::uint32_t> ids = tok.encode(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (a.ids) {
      std::cout << nlohmann::json(ids).dump() << std::endl;
    } else if (a.json) {
      std::cout << nlohmann::json{{"input", a.input},
                                  {"tokens", ids.size()},
                                  {"bytes", text.size()},
                                  {"seconds", seconds}}
                       .dump()
                << std::endl;
    } else {
      std::cout << ids.size() << std::endl;
    }
    return 0;
  });
}

}  // namespace

std::function<int()> add_count_command(CLI::App& app) {
  auto a = std::make_shared<count_args>();
  CLI::App* c = app.add_subcommand("count", "Count the text tokens of a file");
  c->add_option("--tokenizer", a->tokenizer, "Hugging Face tokenizer.json")->required();
  c->add_option("--input", a->input, "Text file, or - for standard input")->required();
  c->add_flag("--json", a->json, "Print a JSON object (tokens, bytes, seconds)");
  c->add_flag("--ids", a->ids, "Print the token ids as a JSON array");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
