// A multilingual test corpus for the tokenizer, written to files: English (KJV), Chinese
// (fortunes-zh), C++ code, and generated stress text (whitespace runs, contractions,
// emoji, combining marks, digits of many scripts, added tokens, invalid UTF-8).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace glyph::test {

// Deterministic stress text of about `bytes` bytes.
std::string stress_text(std::size_t bytes, unsigned seed);

// Writes the corpus into `dir` and returns the file paths (about 1.2 MB in all).
std::vector<std::string> write_token_corpus(const std::filesystem::path& dir);

}  // namespace glyph::test
