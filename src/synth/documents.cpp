#include "documents.hpp"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "glyph/error.hpp"
#include "io/jsonl.hpp"
#include "text/python_text.hpp"

namespace glyph::synth {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::invalid_input, path + ": cannot read input file");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void load_rows(const std::string& path, const std::string& text, std::vector<instruction_row>& rows) {
  io::for_each_jsonl_object(text, path, [&](const nlohmann::json& row, const std::string& where) {
    instruction_row r{where, io::jsonl_string(row, "context", where), io::jsonl_string(row, "question", where),
                      io::jsonl_string(row, "answer", where), io::jsonl_string(row, "reasoning", where, false)};
    if (r.context.find_first_not_of(" \t\r\n") == std::string::npos)
      throw error(error_kind::invalid_input, where + ": \"context\" is empty");
    rows.push_back(std::move(r));
  });
}

// Control characters draw nothing, so an answer holding them could not be read off the page:
// documents keep tab and newline (a CR LF pair becomes LF) and drop the other C0/C1 controls.
std::u32string visible_text(std::u32string s) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    if (c == U'\r' && i + 1 < s.size() && s[i + 1] == U'\n') continue;
    if (c == U'\r') {
      s[out++] = U'\n';
      continue;
    }
    if ((c < 0x20 && c != U'\t' && c != U'\n') || (c >= 0x7F && c < 0xA0)) continue;
    s[out++] = c;
  }
  s.resize(out);
  return s;
}

}  // namespace

text_document document_from_text(const std::string& path, const std::string& text) {
  text_document d{path, visible_text(text::py::decode(text))};
  if (text::py::strip(d.text).empty())
    throw error(error_kind::invalid_input, path + ": the document has no visible text");
  return d;
}

text_document load_document(const std::string& path) { return document_from_text(path, read_file(path)); }

synth_inputs load_inputs(const std::vector<std::string>& paths) {
  synth_inputs in;
  for (const auto& path : paths) {
    const std::string text = read_file(path);
    if (path.ends_with(".jsonl")) {
      load_rows(path, text, in.rows);
      continue;
    }
    in.documents.push_back(document_from_text(path, text));
  }
  return in;
}

}  // namespace glyph::synth
