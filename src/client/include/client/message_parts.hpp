// The pieces of an OpenAI chat message that glyph builds: page images as image_url parts and
// earlier turns flattened into one text ("User: ..." / "Assistant: ...").
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace glyph::client {

// {"type": "image_url", "image_url": {"url": url}}
nlohmann::json image_url_part(std::string url);
// The same for a PNG, as a data URL.
nlohmann::json png_image_part(const std::vector<std::uint8_t>& png);
// {"type": "text", "text": text}
nlohmann::json text_part(std::string text);

// One earlier turn as a line of flattened history: "User: " or "Assistant: " before the text
// (another role by its own name, "tool: ..."). No newline is added.
std::string history_turn(std::string_view role, std::string_view text);

}  // namespace glyph::client
