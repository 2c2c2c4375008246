#include "client/message_parts.hpp"

#include "glyph/png.hpp"

namespace glyph::client {

nlohmann::json image_url_part(std::string url) {
  return {{"type", "image_url"}, {"image_url", {{"url", std::move(url)}}}};
}

nlohmann::json png_image_part(const std::vector<std::uint8_t>& png) { return image_url_part(png_data_url(png)); }

nlohmann::json text_part(std::string text) { return {{"type", "text"}, {"text", std::move(text)}}; }

std::string history_turn(std::string_view role, std::string_view text) {
  std::string line = role == "user" ? "User: " : role == "assistant" ? "Assistant: " : std::string(role) + ": ";
  line += text;
  return line;
}

}  // namespace glyph::client
