#include "client/base_url.hpp"

namespace glyph::client {

std::string server_base_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

chat_route split_chat_url(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  chat_route r{url.substr(0, slash), slash == std::string::npos ? "" : url.substr(slash)};
  while (!r.path.empty() && r.path.back() == '/') r.path.pop_back();
  if (!r.path.ends_with("/chat/completions"))
    r.path += r.path.ends_with("/v1") ? "/chat/completions" : "/v1/chat/completions";
  return r;
}

}  // namespace glyph::client
