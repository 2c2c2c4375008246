// The one error type of libglyph. Whoever detects a problem writes the whole
// message (file, key, value); front ends map the kind to an exit code or status.
#pragma once
#include <stdexcept>
#include <string>

namespace glyph {

enum class error_kind {
  invalid_config,  // a config key or value is wrong
  invalid_input,   // the text or a request is unusable
  font,            // a font file is missing or unreadable
  io,              // reading or writing a file failed
  limit,           // a configured limit (pages, pixels) was exceeded
  cancelled,       // the caller asked the work to stop (render_limits::cancel)
};

class error : public std::runtime_error {
 public:
  error(error_kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  error_kind kind() const noexcept { return kind_; }

 private:
  error_kind kind_;
};

}  // namespace glyph
