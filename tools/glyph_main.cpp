// glyph: command-line front end over libglyph.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"glyph: typeset long text into page images for vision-language models"};
  app.require_subcommand(1);
  const std::pair<const char*, std::function<int()>> commands[] = {
      {"render", glyph::cli::add_render_command(app)},
      {"tokens", glyph::cli::add_tokens_command(app)},
      {"count", glyph::cli::add_count_command(app)},
      {"stats", glyph::cli::add_stats_command(app)},
      {"serve", glyph::cli::add_serve_command(app)},
      {"ask", glyph::cli::add_ask_command(app)},
      {"eval", glyph::cli::add_eval_command(app)},
      {"synth", glyph::cli::add_synth_command(app)},
      {"reward", glyph::cli::add_reward_command(app)},
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  for (const auto& [name, run] : commands)
    if (app.got_subcommand(name)) return run();
  return 2;
}
