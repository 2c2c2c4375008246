#include "config_flags.hpp"

#include "glyph/error.hpp"

namespace glyph::cli {

namespace {

// Runs `step`, naming `flag` in front of the library's message when it fails.
template <class Step>
void under_flag(const std::string& flag, Step step) {
  try {
    step();
  } catch (const error& e) {
    throw error(e.kind(), flag + ": " + e.what());
  }
}

}  // namespace

void add_config_flags(CLI::App* command, config_flags& flags, const std::string& what, bool mention_default) {
  command->add_option(
      "--config", flags.file,
      what + (mention_default ? " (default: Glyph's settings with DejaVu Sans, config/config_en.json)" : ""));
  CLI::Option* preset = command->add_option(
      "--preset", flags.preset, "Apply a built-in preset to the config: inference, eval, dpi120 ... dpi48, or none");
  if (!flags.preset.empty()) preset->capture_default_str();
  command->add_option("--set", flags.sets, "Override a config key: --set font-size=10 (repeatable, applied in order)");
}

render_config load_config(const config_flags& flags) {
  render_config cfg;
  if (flags.file.empty())
    cfg = default_config();
  else
    under_flag("--config", [&] { cfg = load_config_file(flags.file); });
  if (!flags.preset.empty() && flags.preset != "none")
    under_flag("--preset " + flags.preset, [&] { cfg = apply_preset(cfg, find_preset(flags.preset)); });
  for (const std::string& s : flags.sets) under_flag("--set " + s, [&] { set_config_value(cfg, s); });
  under_flag(flags.sets.empty() ? std::string("--config") : "--config/--set", [&] { validate_config(cfg); });
  return cfg;
}

}  // namespace glyph::cli
