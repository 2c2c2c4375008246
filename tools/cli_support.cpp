#include "cli_support.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "glyph/error.hpp"

namespace glyph::cli {

std::string read_input(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::invalid_input, path + ": cannot read input file");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
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
