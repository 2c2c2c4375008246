#include "tokens/bpe_model.hpp"

#include <algorithm>
#include <cstdio>

#include "glyph/error.hpp"
#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) { return (std::uint64_t(a) << 32) | b; }
// splitmix64's finalizer: every key bit reaches the low bits the table mask keeps (a plain
// multiply left the left id's high bits out, and pairs with the same right id collided).
std::uint64_t hash_key(std::uint64_t k) {
  k = (k ^ (k >> 30)) * 0xBF58476D1CE4E5B9ull;
  k = (k ^ (k >> 27)) * 0x94D049BB133111EBull;
  return k ^ (k >> 31);
}

}  // namespace

bpe_model::bpe_model(std::vector<std::pair<std::string, std::uint32_t>> vocab,
                     const std::vector<std::pair<std::string, std::string>>& merges, const bpe_options& options,
                     const std::string& where)
    : options_(options) {
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
    byte_ids_[b] =
        it == token_to_id_.end() || (!options_.byte_level && b >= 0x80) ? std::int64_t{-1} : std::int64_t{it->second};
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);  // HF's format!("<{:#04X}>")
    auto fb = token_to_id_.find(name);
    fallback_ids_[b] = fb == token_to_id_.end() ? std::int64_t{-1} : std::int64_t{fb->second};
  }
  if (!options_.byte_level) {
    bmp_ids_.assign(0x10000, -1);  // a direct table: a hash lookup per CJK character showed in profiles
    for (const auto& [token, id] : token_to_id_) {
      if (token.empty() || static_cast<unsigned char>(token[0]) < 0x80) continue;
      char32_t cp;
      if (static_cast<std::size_t>(decode_utf8(token, 0, cp)) != token.size()) continue;
      if (cp < 0x10000)
        bmp_ids_[cp] = static_cast<std::int32_t>(id);
      else
        char_ids_.emplace(cp, id);
    }
  }
  std::size_t cap = 16;
  while (cap < merges.size() * 2) cap <<= 1;
  merges_.assign(cap, merge_entry{});
  mask_ = cap - 1;
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [l, r] = merges[rank];
    auto li = token_to_id_.find(l), ri = token_to_id_.find(r), ni = token_to_id_.find(l + r);
    if (li == token_to_id_.end() || ri == token_to_id_.end() || ni == token_to_id_.end())
      throw error(error_kind::invalid_input,
                  where + ".merges[" + std::to_string(rank) + "]: a part or the merged token is not in the vocabulary");
    const std::uint64_t key = pair_key(li->second, ri->second);
    std::uint64_t slot = hash_key(key) & mask_;
    while (merges_[slot].key != ~0ull && merges_[slot].key != key) slot = (slot + 1) & mask_;
    if (merges_[slot].key == key) continue;  // a repeated merge keeps its first (lowest) rank
    merges_[slot] = {key, static_cast<std::uint32_t>(rank), ni->second};
  }
  if (!options_.byte_level && !options_.ignore_merges) build_boundaries(merges);
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

std::optional<std::uint32_t> bpe_model::id_of(std::string_view token) const {
  auto it = token_to_id_.find(std::string(token));
  if (it == token_to_id_.end()) return std::nullopt;
  return it->second;
}

const std::string* bpe_model::bytes_of(std::uint32_t id) const {
  return id < id_to_bytes_.size() && has_id_[id] ? &id_to_bytes_[id] : nullptr;
}

std::int64_t bpe_model::char_id(char32_t cp) const {
  if (cp < 0x80) return byte_ids_[cp];
  if (cp < 0x10000 && !bmp_ids_.empty()) return bmp_ids_[cp];
  auto it = char_ids_.find(cp);
  return it == char_ids_.end() ? std::int64_t{-1} : std::int64_t{it->second};
}

// HF's BPE::merge_word before the merges: one symbol per unit (byte or character).
void bpe_model::initial_symbols(std::string_view word, std::vector<std::uint32_t>& ids) const {
  bool pending_unk = false;  // an unknown run not yet emitted
  std::size_t i = 0;
  while (i < word.size()) {
    std::int64_t id;
    std::size_t len = 1;
    if (options_.byte_level) {
      id = byte_ids_[static_cast<unsigned char>(word[i])];
    } else {
      char32_t cp;
      len = decode_utf8(word, i, cp);
      id = char_id(cp);
    }
    const std::string_view unit = word.substr(i, len);
    i += len;
    if (id >= 0) {
      if (pending_unk) ids.push_back(*options_.unk_id), pending_unk = false;
      ids.push_back(static_cast<std::uint32_t>(id));
      continue;
    }
    if (options_.byte_fallback && std::all_of(unit.begin(), unit.end(), [&](char b) {
          return fallback_ids_[static_cast<unsigned char>(b)] >= 0;
        })) {
      // As HF: a pending unknown token is not emitted before the byte tokens.
      for (char b : unit) ids.push_back(static_cast<std::uint32_t>(fallback_ids_[static_cast<unsigned char>(b)]));
      continue;
    }
    if (!options_.unk_id) continue;  // HF drops what it cannot spell
    if (pending_unk && !options_.fuse_unk) ids.push_back(*options_.unk_id);
    pending_unk = true;
  }
  if (pending_unk) ids.push_back(*options_.unk_id);
}

void bpe_model::encode_word(std::string_view word, std::vector<std::uint32_t>& out) const {
  if (options_.ignore_merges) {
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
  thread_local std::vector<std::uint32_t> first;
  thread_local std::vector<symbol> sym;
  first.clear();
  initial_symbols(word, first);
  sym.clear();
  for (std::uint32_t id : first) sym.push_back({id, 0, 0, true});
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
