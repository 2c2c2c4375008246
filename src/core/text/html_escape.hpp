// Text placed in HTML reports (audit, preview): the five characters that could end an
// element or an attribute, escaped.
#pragma once
#include <string>
#include <string_view>

namespace glyph::text {

std::string html_escape(std::string_view text);

}  // namespace glyph::text
