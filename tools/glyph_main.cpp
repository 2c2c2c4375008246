// glyph: command-line front end over libglyph.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"glyph: typeset long text into page images for vision-language models"};
  app.require_subcommand(1);
  auto run_render = glyph::cli::add_render_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (app.got_subcommand("render")) return run_render();
  return 2;
}
