// Checks a finished glyph synth folder against its own meta files and inputs: nothing missing,
// nothing twice, every <image> tag backed by a file, every OCR answer the exact source text of
// its pages and, whitespace aside, the text drawn on them.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "documents.hpp"
#include "glyph/error.hpp"
#include "glyph/synth.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw error(error_kind::io, p.string() + ": cannot read");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t count_tags(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t at = s.find("<image>"); at != std::string::npos; at = s.find("<image>", at + 7)) ++n;
  return n;
}

// The visible part of a coloured newline marker, e.g. "\n" of <font color="#FF0000"> \n </font>.
std::u32string marker_core(const json& config) {
  const std::string markup = config.value("newline-markup", std::string("<br/>"));
  const std::size_t open = markup.find('>'), close = markup.rfind("</font>");
  if (markup == "<br/>" || open == std::string::npos || close == std::string::npos || close < open) return {};
  return text::py::strip(text::py::decode(markup.substr(open + 1, close - open - 1)));
}

// Whitespace runs become one space; a newline marker counts as whitespace.
std::u32string comparable(const std::u32string& s, const std::u32string& marker) {
  std::u32string spaced;
  for (std::size_t i = 0; i < s.size();) {
    if (!marker.empty() && s.compare(i, marker.size(), marker) == 0) {
      spaced += U' ';
      i += marker.size();
    } else {
      spaced += s[i++];
    }
  }
  return text::py::join(text::py::split(spaced), U" ");
}

}  // namespace

std::string check_synth_dataset(const std::string& out_dir) {
  const fs::path out(out_dir);
  const json manifest = json::parse(slurp(out / "manifest.json"));
  const std::size_t shards = manifest.at("shards").get<std::size_t>();
  const std::uint64_t samples = manifest.at("samples").get<std::uint64_t>();
  std::map<std::string, std::u32string> documents;
  json errors = json::array();
  std::size_t error_count = 0, rows = 0, ocr_rows = 0, checked_drawn = 0, images = 0, line_join_spaces = 0;
  auto fail = [&](const std::string& where, const std::string& what) {
    if (errors.size() < 20) errors.push_back(where + ": " + what);
    ++error_count;
  };
  std::string all_rows;
  for (std::size_t s = 0; s < shards; ++s) {
    char name[24];
    std::snprintf(name, sizeof name, "%05zu", s);
    const std::string row_text = slurp(out / "shards" / (std::string(name) + ".jsonl"));
    all_rows += row_text;
    const auto row_lines = lines_of(row_text);
    const auto meta_lines = lines_of(slurp(out / "shards" / (std::string(name) + ".meta.jsonl")));
    if (row_lines.size() != meta_lines.size()) fail(name, "rows and meta lines differ in number");
    for (std::size_t i = 0; i < row_lines.size() && i < meta_lines.size(); ++i) {
      const json row = json::parse(row_lines[i]), meta = json::parse(meta_lines[i]);
      char expected[32];
      std::snprintf(expected, sizeof expected, "s%08zu", rows);
      const std::string id = row.value("id", "");
      ++rows;
      if (id != expected) fail(id, std::string("out of sequence, expected ") + expected);
      std::size_t tags = 0;
      std::string answer = row.value("solution", "");
      for (const auto& m : row.at("messages")) {
        tags += count_tags(m.at("content").get<std::string>());
        if (m.at("role") == "assistant") answer = m.at("content").get<std::string>();
      }
      const auto& paths = row.at("images");
      if (tags != paths.size())
        fail(id, std::to_string(tags) + " <image> tags but " + std::to_string(paths.size()) + " images");
      for (const auto& p : paths) {
        const fs::path file =
            fs::path(p.get<std::string>()).is_absolute() ? fs::path(p.get<std::string>()) : out / p.get<std::string>();
        if (!fs::is_regular_file(file)) fail(id, file.string() + ": missing image");
        ++images;
      }
      if (row.value("task", "") != "ocr") continue;
      ++ocr_rows;
      const std::string input = meta.at("input").get<std::string>();
      auto doc = documents.find(input);
      if (doc == documents.end()) doc = documents.emplace(input, synth::load_document(input).text).first;
      const std::size_t b = meta.at("source")[0], e = meta.at("source")[1];
      const std::u32string source = doc->second.substr(b, e - b);
      if (text::py::encode(source) != answer) fail(id, "the answer is not the source text of its pages");
      const auto& pages = meta.at("pages");
      // The answer's range is its pages' range without whitespace at the ends.
      const std::size_t page_begin = pages.empty() ? b : pages.front().at("source")[0].get<std::size_t>();
      const std::size_t page_end = pages.empty() ? e : pages.back().at("source")[1].get<std::size_t>();
      if (pages.empty() || page_begin > b || page_end < e ||
          !text::py::strip(doc->second.substr(page_begin, b - page_begin)).empty() ||
          !text::py::strip(doc->second.substr(e, page_end - e)).empty())
        fail(id, "the answer's range is not its pages' range");
      if (!pages.empty() && pages.front().contains("lines")) {
        // Lines join with a space where the source has whitespace at the break; a break
        // inside a word or a CJK run adds nothing.
        const std::u32string& text = doc->second;
        std::u32string drawn;
        std::size_t previous_end = page_begin;
        for (const auto& page : pages)
          for (const auto& line : page.at("lines")) {
            const std::size_t begin = line[0].get<std::size_t>();
            // (A CJK line after a Latin word may start one code point early, its text led by a space.)
            const bool inside_run = begin <= previous_end && previous_end > 0 && previous_end < text.size() &&
                                    !text::py::isspace(text[previous_end - 1]) &&
                                    !text::py::isspace(text[previous_end]);
            if (!inside_run) drawn += U' ';
            drawn +=
                text::py::strip(text::py::decode(line[2].get<std::string>()));  // a space at a line's end draws nothing
            previous_end = line[1].get<std::size_t>();
          }
        const std::u32string marker = marker_core(meta.at("config"));
        if (comparable(drawn, marker) != comparable(source, marker)) {
          // Where a line breaks inside a run without whitespace the layout map cannot always tell
          // whether the break consumed a space; such rows are counted, not failed.
          auto no_space = [](std::u32string s) {
            std::erase_if(s, [](char32_t c) { return text::py::isspace(c); });
            return s;
          };
          if (no_space(comparable(drawn, marker)) == no_space(comparable(source, marker)))
            ++line_join_spaces;
          else
            fail(id, "the answer differs from the text drawn on its pages");
        }
        ++checked_drawn;
      }
    }
  }
  if (rows != samples) fail("manifest", std::to_string(samples) + " samples but " + std::to_string(rows) + " rows");
  if (fs::exists(out / "data.jsonl") && slurp(out / "data.jsonl") != all_rows)
    fail("data.jsonl", "not the concatenation of the shards");
  const json report = {{"rows", rows},
                       {"images", images},
                       {"ocr_rows", ocr_rows},
                       {"checked_drawn", checked_drawn},
                       {"line_join_spaces", line_join_spaces},
                       {"error_count", error_count},
                       {"errors", errors}};
  return report.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace glyph
