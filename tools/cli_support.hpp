// What every subcommand shares: reading the input, and mapping errors to exit codes.
#pragma once
#include <functional>
#include <string>

namespace glyph::cli {

// The whole file, or standard input for "-". Throws glyph::error(invalid_input).
std::string read_input(const std::string& path);

// Runs `body`, printing "glyph NAME: message" on failure. Exit codes: 0 ok, 1 I/O or an
// unexpected failure, 2 bad input or configuration.
int guarded(const char* name, const std::function<int()>& body);

// True when progress may be drawn (stderr is a terminal and --quiet was not given).
bool show_progress(bool quiet);

}  // namespace glyph::cli
