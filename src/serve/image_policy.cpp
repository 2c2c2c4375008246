#include "image_policy.hpp"

#include "glyph/error.hpp"

namespace glyph::serve {

namespace {

error bad(const std::string& why) { return error(error_kind::invalid_input, why); }

bool base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// "data:image/<type>;base64,<payload>" with a payload of whole base64 quads.
std::string data_url_problem(const std::string& url) {
  static const std::string prefix = "data:image/";
  if (url.compare(0, prefix.size(), prefix) != 0) return "only data:image/...;base64 URLs are accepted by this gateway";
  const auto comma = url.find(',');
  if (comma == std::string::npos || comma < 7 || url.compare(comma - 7, 7, ";base64") != 0)
    return "expected data:image/<type>;base64,<data>";
  const std::size_t n = url.size() - comma - 1;
  if (n == 0 || n % 4 != 0) return "the base64 data is empty or not a multiple of 4 characters";
  std::size_t pad = 0;
  for (std::size_t i = comma + 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '=' && i + 2 >= url.size())
      ++pad;
    else if (pad > 0 || !base64_char(c))
      return "invalid base64 character at offset " + std::to_string(i - comma - 1);
  }
  return {};
}

}  // namespace

image_url_policy parse_image_url_policy(const std::string& name) {
  if (name == "pass") return image_url_policy::pass;
  if (name == "data-only") return image_url_policy::data_only;
  if (name == "deny") return image_url_policy::deny;
  throw error(error_kind::invalid_input, "--image-urls '" + name + "': expected pass, data-only or deny");
}

void check_image_urls(const nlohmann::json& request, image_url_policy policy) {
  if (policy == image_url_policy::pass || !request.is_object() || !request.contains("messages") ||
      !request["messages"].is_array())
    return;
  const auto& msgs = request["messages"];
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    if (!msgs[i].is_object() || !msgs[i].contains("content") || !msgs[i]["content"].is_array()) continue;
    const auto& parts = msgs[i]["content"];
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const auto& p = parts[k];
      if (!p.is_object() || !p.contains("type") || p["type"] != "image_url") continue;
      const std::string at = "messages[" + std::to_string(i) + "].content[" + std::to_string(k) + "].image_url";
      if (policy == image_url_policy::deny) throw bad(at + ": client images are not accepted by this gateway");
      if (!p.contains("image_url") || !p["image_url"].is_object() || !p["image_url"].contains("url") ||
          !p["image_url"]["url"].is_string())
        throw bad(at + ".url: expected a string");
      if (const std::string why = data_url_problem(p["image_url"]["url"].get_ref<const std::string&>()); !why.empty())
        throw bad(at + ".url: " + why);
    }
  }
}

}  // namespace glyph::serve
