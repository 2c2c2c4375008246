#include "cli_support.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "glyph/error.hpp"
#include "glyph/file_input.hpp"

namespace glyph::cli {

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::string text;
    char buf[1 << 16];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
      if (text.size() > max_text_file_bytes)
        throw error(error_kind::invalid_input, "standard input: more than the limit of " +
                                                   std::to_string(max_text_file_bytes >> 20) + " MiB");
    }
    return text;
  }
  return read_regular_file(path, max_text_file_bytes, "input file", error_kind::invalid_input);
}

int guarded(const char* name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const error& e) {
    std::cerr << "glyph " << name << ": " << e.what() << "\n";
    return e.kind() == error_kind::io ? 1 : 2;
  } catch (const std::exception& e) {
    std::cerr << "glyph " << name << ": " << e.what() << "\n";
    return 1;
  }
}

bool show_progress(bool quiet) { return !quiet && isatty(STDERR_FILENO); }

}  // namespace glyph::cli
