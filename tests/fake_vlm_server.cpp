// The test server as a program, for trying `glyph eval` (and the gateway) by hand:
//   fake_vlm_server [reader|ocr|normal|fail500|slow] [ANSWER]
// prints its URL on the first line and serves until killed.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "fake_vlm.hpp"

int main(int argc, char** argv) {
  using glyph::test::fake_vlm;
  const std::string mode = argc > 1 ? argv[1] : "reader";
  fake_vlm vlm(1 << 30);
  if (mode == "reader")
    vlm.set(fake_vlm::behaviour::reader);
  else if (mode == "ocr")
    vlm.set(fake_vlm::behaviour::ocr);
  else if (mode == "fail500")
    vlm.set(fake_vlm::behaviour::fail500);
  else if (mode == "slow")
    vlm.set(fake_vlm::behaviour::slow);
  else if (mode != "normal") {
    std::fprintf(stderr, "fake_vlm_server: unknown mode \"%s\" (reader, ocr, normal, fail500, slow)\n", mode.c_str());
    return 2;
  }
  if (argc > 2) vlm.set_answer(argv[2]);
  std::printf("%s\n", vlm.url().c_str());
  std::fflush(stdout);
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}
