// A stand-in "model" for the RULER tasks: answers a RULER question from a document's text
// (the prompt itself, or what Tesseract read from the pages) by looking the facts up, so a
// test server can show whether the pages carried the needles legibly.
#pragma once
#include <string>

namespace glyph::test {

// `prompt` is the request's last text part; its last 1,500 bytes hold the question.
std::string answer_ruler(const std::string& document, const std::string& prompt);

}  // namespace glyph::test
