// Base64 (RFC 4648, with padding), for PNG data URLs in chat requests.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glyph::encode {

std::string base64_encode(const std::uint8_t* data, std::size_t size);
// Nothing when `text` is not valid padded base64.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace glyph::encode
