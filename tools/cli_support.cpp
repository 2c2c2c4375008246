#include "cli_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/rewards.hpp"
#include "text/utf8.hpp"

namespace glyph::cli {

using text::utf8_to_u32;

void require_file(const std::string& path, const std::string& option) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw error(error_kind::invalid_input, option + " " + path + ": is a directory, expected a file");
  if (!std::filesystem::exists(path, ec))
    throw error(error_kind::invalid_input, option + " " + path + ": no such file");
}

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::string text;
    char buf[1 << 16];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
      if (text.size() > max_text_file_bytes)
        throw error(error_kind::invalid_input,
                    "standard input: more than the limit of " + std::to_string(max_text_file_bytes >> 20) + " MiB");
    }
    return text;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw error(error_kind::invalid_input, path + ": is a directory, expected a file");
  return read_regular_file(path, max_text_file_bytes, "input file", error_kind::invalid_input);
}

bool looks_binary(std::string_view data) {
  // The first 64 KiB decide, as file(1) and git do.
  const std::string_view head = data.substr(0, 64 * 1024);
  if (head.find('\0') != std::string_view::npos) return true;
  std::size_t invalid = 0;
  utf8_to_u32(head, &invalid);
  return invalid * 10 > head.size();  // over one malformed sequence per ten bytes
}

std::string read_text_input(const std::string& path, bool force) {
  std::string text = read_input(path);
  if (!force && looks_binary(text))
    throw error(error_kind::invalid_input, (path == "-" ? std::string("standard input") : path) +
                                               ": looks like a binary file (NUL bytes or mostly invalid UTF-8); "
                                               "pass --force to render it anyway");
  return text;
}

std::string closest_name(const std::string& unknown, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, unknown.size() / 3) + 1;
  for (const auto& k : known)
    if (const std::size_t d = levenshtein_distance(unknown, k); d < best_distance) {
      best = k;
      best_distance = d;
    }
  return best;
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
