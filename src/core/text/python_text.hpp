// Python's str semantics where the benchmarks' metrics depend on them: str.split(),
// str.lower(), str.isspace(), and what re's \b and \d match in a str pattern.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace glyph::text::py {

std::u32string decode(std::string_view utf8);  // invalid bytes become U+FFFD, as Python's errors="replace"
std::string encode(std::u32string_view s);

bool isspace(char32_t c);       // str.isspace(): bidi class WS, B or S, or category Zs
bool is_word_char(char32_t c);  // re's \w for str: alphanumeric (str.isalnum) or '_'
bool isdecimal(char32_t c);     // re's \d for str: category Nd

std::vector<std::u32string> split(std::u32string_view s);                // str.split() with no separator
std::vector<std::u32string> split(std::u32string_view s, char32_t sep);  // str.split(sep)
std::u32string lower(std::u32string_view s);  // full Unicode lowercasing, final sigma included
std::u32string join(const std::vector<std::u32string>& parts, std::u32string_view sep);
std::u32string strip(std::u32string_view s);                         // str.strip()
std::u32string lstrip(std::u32string_view s);                        // str.lstrip()
std::u32string rstrip(std::u32string_view s);                        // str.rstrip()
std::string strip_utf8(std::string_view s);                          // str.strip() on UTF-8 text
std::vector<std::u32string> find_digit_runs(std::u32string_view s);  // re.findall(r"\d+", s)

}  // namespace glyph::text::py
