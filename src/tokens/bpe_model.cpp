#include "tokens/bpe_model.hpp"

#include <algorithm>

#include "glyph/error.hpp"

namespace glyph::tokens {

namespace {

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) { return (std::uint64_t(a) << 32) | b; }
std::uint64_t hash_key(std::uint64_t k) { return (k * 0x9E3779B97F4A7C15ull) >> 17; }

}  // namespace

bpe_model::bpe_model(std::vector<std::pair<std::string, std::uint32_t>> vocab,
                     const std::vector<std::pair<std::string, std::string>>& merges,
                     std::optional<std::uint32_t> unk_id, bool ignore_merges, const std::string& where)
    : unk_id_(unk_id), ignore_merges_(ignore_merges) {
  std::uint64_t max_id = 0;
  for (const auto& [bytes, id] : vocab) max_id = std::max<std::uint64_t>(max_id, id);
  if (max_id >= 2 * static_cast<std::uint64_t>(vocab.size()) + 65536)  // the loader checks first; tables stay dense
    throw error(error_kind::invalid_input, where + ".vocab: id " + std::to_string(max_id) + " is out of range");
  id_to_bytes_.resize(vocab.empty() ? 0 : max_id + 1);
  has_id_.assign(id_to_bytes_.size(), 0);
  token_to_id_.reserve(vocab.size());
  for (auto& [bytes, id] : vocab) {
    id_to_bytes_[id] = bytes;
    has_id_[id] = 1;
    token_to_id_.emplace(std::move(bytes), id);
  }
  for (int b = 0; b < 256; ++b) {
    auto it = token_to_id_.find(std::string(1, static_cast<char>(b)));
    byte_ids_[b] = it == token_to_id_.end() ? -1 : it->second;
  }
  std::size_t cap = 16;
  while (cap < merges.size() * 2) cap <<= 1;
  merges_.assign(cap, merge_entry{});
  mask_ = cap - 1;
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [l, r] = merges[rank];
    auto li = token_to_id_.find(l), ri = token_to_id_.find(r), ni = token_to_id_.find(l + r);
    if (li == token_to_id_.end() || ri == token_to_id_.end() || ni == token_to_id_.end())
      throw error(error_kind::invalid_input, where + ".merges[" + std::to_string(rank) +
                                                 "]: a part or the merged token is not in the vocabulary");
    const std::uint64_t key = pair_key(li->second, ri->second);
    std::uint64_t slot = hash_key(key) & mask_;
    while (merges_[slot].key != ~0ull && merges_[slot].key != key) slot = (slot + 1) & mask_;
    if (merges_[slot].key == key) continue;  // a repeated merge keeps its first (lowest) rank
    merges_[slot] = {key, static_cast<std::uint32_t>(rank), ni->second};
  }
}

const bpe_model::merge_entry* bpe_model::find_merge(std::uint32_t left, std::uint32_t right) const {
  const std::uint64_t key = pair_key(left, right);
  std::uint64_t slot = hash_key(key) & mask_;
  while (true) {
    const merge_entry& e = merges_[slot];
    if (e.key == key) return &e;
    if (e.key == ~0ull) return nullptr;
    slot = (slot + 1) & mask_;
  }
}

std::optional<std::uint32_t> bpe_model::id_of(std::string_view bytes) const {
  auto it = token_to_id_.find(std::string(bytes));
  if (it == token_to_id_.end()) return std::nullopt;
  return it->second;
}

const std::string* bpe_model::bytes_of(std::uint32_t id) const {
  return id < id_to_bytes_.size() && has_id_[id] ? &id_to_bytes_[id] : nullptr;
}

void bpe_model::encode_word(std::string_view word, std::vector<std::uint32_t>& out) const {
  if (ignore_merges_) {
    if (auto id = id_of(word)) {
      out.push_back(*id);
      return;
    }
  }
  struct symbol {
    std::uint32_t id;
    int prev, next;
    bool alive;
  };
  thread_local std::vector<symbol> sym;
  sym.clear();
  for (unsigned char b : word) {
    const std::int64_t id = byte_ids_[b];
    if (id >= 0) sym.push_back({static_cast<std::uint32_t>(id), 0, 0, true});
    else if (unk_id_) sym.push_back({*unk_id_, 0, 0, true});
  }
  const int n = static_cast<int>(sym.size());
  for (int i = 0; i < n; ++i) sym[i].prev = i - 1, sym[i].next = i + 1 < n ? i + 1 : -1;

  // Candidate merges ordered by (rank, position); stale ones are skipped when popped.
  struct candidate {
    std::uint32_t rank;
    int pos;
    std::uint32_t new_id;
    bool operator>(const candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  thread_local std::vector<candidate> heap;  // a min-heap through std::greater
  heap.clear();
  auto push_pair = [&](int left) {
    if (left < 0 || sym[left].next < 0) return;
    if (const merge_entry* m = find_merge(sym[left].id, sym[sym[left].next].id)) {
      heap.push_back({m->rank, left, m->new_id});
      std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    }
  };
  for (int i = 0; i + 1 < n; ++i) push_pair(i);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
    const candidate top = heap.back();
    heap.pop_back();
    symbol& left = sym[top.pos];
    if (!left.alive || left.next < 0) continue;
    symbol& right = sym[left.next];
    const merge_entry* m = find_merge(left.id, right.id);
    if (!m || m->new_id != top.new_id) continue;
    left.id = top.new_id;
    right.alive = false;
    left.next = right.next;
    if (right.next >= 0) sym[right.next].prev = top.pos;
    push_pair(left.prev);
    push_pair(top.pos);
  }
  for (int i = 0; i >= 0 && i < n; i = sym[i].next) out.push_back(sym[i].id);
}

}  // namespace glyph::tokens
