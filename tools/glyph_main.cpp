// glyph: command-line front end over libglyph.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <vector>

#include "cli_support.hpp"
#include "commands.hpp"

namespace {

CLI::App* find_subcommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

// An option the chosen subcommand does not know, with the closest known name: CLI11 alone
// says only that it was not expected (or that a required option is missing).
bool explain_unknown_option(CLI::App& app, int argc, char** argv) {
  CLI::App* sub = nullptr;
  for (int i = 1; i < argc && !sub; ++i) sub = find_subcommand(app, argv[i]);
  if (!sub) return false;
  std::vector<std::string> known;
  for (const CLI::Option* o : sub->get_options())
    for (const auto& n : o->get_lnames()) known.push_back("--" + n);
  bool found = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") continue;
    arg = arg.substr(0, arg.find('='));
    if (sub->get_option_no_throw(arg)) continue;
    const std::string near = glyph::cli::closest_name(arg, known);
    std::cerr << "glyph " << sub->get_name() << ": unknown option " << arg
              << (near.empty() ? std::string() : "; did you mean " + near + "?") << "\n";
    found = true;
  }
  if (found) std::cerr << "Run glyph help " << sub->get_name() << " for the options.\n";
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"glyph: typeset long text into page images for vision-language models", "glyph"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "glyph " GLYPH_VERSION);
  // The products this build has (CMake options GLYPH_BUILD_SERVE, _EVAL, _OCR, _TRAINING).
  using adder = std::function<int()> (*)(CLI::App&);
  static constexpr std::pair<const char*, adder> all_commands[] = {
      {"render", glyph::cli::add_render_command}, {"preview", glyph::cli::add_preview_command},
      {"tokens", glyph::cli::add_tokens_command}, {"count", glyph::cli::add_count_command},
      {"stats", glyph::cli::add_stats_command},   {"ask", glyph::cli::add_ask_command},
#ifdef GLYPH_WITH_SERVE
      {"serve", glyph::cli::add_serve_command},
#endif
#ifdef GLYPH_WITH_EVAL
      {"eval", glyph::cli::add_eval_command},
#endif
#ifdef GLYPH_WITH_OCR
      {"audit", glyph::cli::add_audit_command},   {"search", glyph::cli::add_search_command},
#endif
#ifdef GLYPH_WITH_TRAINING
      {"synth", glyph::cli::add_synth_command},   {"reward", glyph::cli::add_reward_command},
#endif
  };
  // `glyph COMMAND ...` sets up that command alone: building every command's options took
  // ~2 ms of each run (a render of one page takes less). Help and errors get them all.
  const auto* const named =
      argc < 2 ? std::end(all_commands)
               : std::find_if(std::begin(all_commands), std::end(all_commands),
                              [&](const auto& c) { return std::strcmp(argv[1], c.first) == 0; });
  std::vector<std::pair<const char*, std::function<int()>>> commands;
  for (const auto& c : all_commands)
    if (named == std::end(all_commands) || &c == named) commands.emplace_back(c.first, c.second(app));
  // glyph help [COMMAND]
  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show the commands, or one command's options");
  help->add_option("command", help_topic, "A command name");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0 && explain_unknown_option(app, argc, argv)) return 2;
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (app.got_subcommand(help)) {
    // app.help() would show the help of the chosen subcommand, "help" itself.
    const auto all_commands = [&] { return app.get_formatter()->make_help(&app, "", CLI::AppFormatMode::Normal); };
    if (help_topic.empty()) {
      std::cout << all_commands();
      return 0;
    }
    CLI::App* sub = find_subcommand(app, help_topic);
    if (!sub || sub == help) {
      std::cerr << "glyph help: no command \"" << help_topic << "\"\n" << all_commands();
      return 2;
    }
    std::cout << sub->help();
    return 0;
  }
  for (const auto& [name, run] : commands)
    if (app.got_subcommand(name)) return run();
  return 2;
}
