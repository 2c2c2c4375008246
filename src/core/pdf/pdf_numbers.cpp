#include "pdf/pdf_numbers.hpp"

#include <cmath>
#include <cstdio>

namespace glyph::pdf {

std::string pdf_format(double v) {
  double a = std::fabs(v);
  if (a <= 1e-7) return "0";
  int decimals = 6;
  if (a > 1) decimals = std::min(std::max(0, 6 - int(std::log10(a))), 6);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (decimals > 0) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s.rfind("0.", 0) == 0) s.erase(0, 1);  // ".5", but "-0.5" stays
  }
  if (s.empty() || s == "-0") return "0";  // (not s = "0": GCC 12 warns -Wrestrict on that, falsely)
  return s;
}

double pdf_parse(const std::string& s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  double x = 0;
  long long xi = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') xi = xi * 10 + (s[i++] - '0');
  x = double(xi);
  if (i < s.size() && s[i] == '.') {
    ++i;
    double scale = 0.1;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      x += scale * (s[i++] - '0');
      scale *= 0.1;
    }
  }
  return neg ? -x : x;
}

}  // namespace glyph::pdf
