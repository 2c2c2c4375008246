// The one way every command loads a rendering config: --config FILE (else the built-in
// default), then --preset NAME, then each --set KEY=VALUE, then the checks between keys.
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "glyph/config.hpp"

namespace glyph::cli {

struct config_flags {
  std::string file;               // --config
  std::string preset;             // --preset ("none": no preset)
  std::vector<std::string> sets;  // --set, in order
};

// Registers --config, --preset and --set on `command`; `what` says what the config is for;
// `mention_default`: say that the built-in config is used without --config.
void add_config_flags(CLI::App* command, config_flags& flags, const std::string& what = "Rendering config (JSON)",
                      bool mention_default = true);

// The config the flags describe. Errors are the library's, prefixed with the flag that
// brought the bad value ("--set dpi=abc: ...").
render_config load_config(const config_flags& flags);

}  // namespace glyph::cli
