// What every subcommand shares: reading the input, and mapping errors to exit codes.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace glyph::cli {

// The whole file, or standard input for "-". Throws glyph::error(invalid_input), naming the
// path (a missing file, a folder).
std::string read_input(const std::string& path);

// A text to render: read_input, refused when it looks binary (NUL bytes, or mostly invalid
// UTF-8) unless `force`.
std::string read_text_input(const std::string& path, bool force);
bool looks_binary(std::string_view data);

// Throws glyph::error(invalid_input) naming `option` when `path` is not a readable file.
void require_file(const std::string& path, const std::string& option);

// The known name closest to `unknown` by edit distance, or "" when none is close.
std::string closest_name(const std::string& unknown, const std::vector<std::string>& known);

// Runs `body`, printing "glyph NAME: message" on failure. Exit codes: 0 ok, 1 I/O or an
// unexpected failure, 2 bad input or configuration.
int guarded(const char* name, const std::function<int()>& body);

// True when progress may be drawn (stderr is a terminal and --quiet was not given).
bool show_progress(bool quiet);

}  // namespace glyph::cli
