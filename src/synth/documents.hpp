// The inputs of glyph synth: plain-text documents and instruction rows (JSONL).
#pragma once
#include <string>
#include <vector>

namespace glyph::synth {

struct text_document {
  std::string path;
  std::u32string text;  // code points; invalid UTF-8 became U+FFFD
};

struct instruction_row {
  std::string where;  // file:line, for messages
  std::string context, question, answer, reasoning;
};

struct synth_inputs {
  std::vector<text_document> documents;
  std::vector<instruction_row> rows;
};

// A document as synth sees it: decoded, CR LF as LF, control characters other than tab and
// newline dropped (they draw nothing). Throws glyph::error(invalid_input) when nothing is left.
text_document document_from_text(const std::string& path, const std::string& text);
text_document load_document(const std::string& path);

// Files ending in .jsonl hold instruction rows {"context", "question", "answer", optional
// "reasoning"}; any other file is one document. Throws glyph::error(invalid_input) naming
// the file, line and key of a bad row, or an unreadable or empty file.
synth_inputs load_inputs(const std::vector<std::string>& paths);

}  // namespace glyph::synth
