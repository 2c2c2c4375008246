// The installed gateway library links and its options are usable: prints the default port.
#include <glyph/serve.hpp>

#include <iostream>

int main() {
  glyph::gateway_options o;
  std::cout << "port=" << o.port << "\n";
  return 0;
}
