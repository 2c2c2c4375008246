// What clients may put in image_url parts. The gateway itself never opens a URL, but the
// backend (vLLM) may fetch http(s) or even file URLs on its side: "data-only" (the default)
// lets only well-formed base64 image data URLs through, "deny" refuses every client image,
// "pass" forwards anything unchecked.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace glyph::serve {

enum class image_url_policy { pass, data_only, deny };

image_url_policy parse_image_url_policy(const std::string& name);  // throws glyph::error
// Throws glyph::error(invalid_input) naming the part, e.g. "messages[0].content[1].image_url.url: ...".
void check_image_urls(const nlohmann::json& request, image_url_policy policy);

}  // namespace glyph::serve
