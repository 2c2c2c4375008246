// A small counter-based random source with the same sequence on every platform (the standard
// library's distributions differ between implementations, which would break byte-identical data).
#pragma once
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace glyph::synth {

inline std::uint64_t mix64(std::uint64_t z) {  // splitmix64's finaliser
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class random_source {
 public:
  // Independent streams per (seed, sample index, purpose).
  random_source(std::uint64_t seed, std::uint64_t index, std::uint64_t stream)
      : state_(mix64(mix64(seed) ^ mix64(index + 0x632BE59BD9B4E019ull) ^ mix64(stream * 0x8CB92BA72F3D8DD7ull))) {}
  std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // An integer in [lo, hi].
  std::int64_t integer(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  // An index drawn with the given weights.
  std::size_t weighted(std::initializer_list<double> weights) { return weighted(std::vector<double>(weights)); }
  std::size_t weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[next() % items.size()];
  }

 private:
  std::uint64_t state_;
};

}  // namespace glyph::synth
