#include "tokens/bpe_model.hpp"

#include <algorithm>
#include <cstdio>

#include "glyph/error.hpp"
#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

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
  merges_ = merge_table(id_to_bytes_.size(), merges.size(), where + ".merges");
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [l, r] = merges[rank];
    auto li = token_to_id_.find(l), ri = token_to_id_.find(r), ni = token_to_id_.find(l + r);
    if (li == token_to_id_.end() || ri == token_to_id_.end() || ni == token_to_id_.end())
      throw error(error_kind::invalid_input,
                  where + ".merges[" + std::to_string(rank) + "]: a part or the merged token is not in the vocabulary");
    merges_.add(li->second, ri->second, static_cast<std::uint32_t>(rank), ni->second);
  }
  if (!options_.byte_level && !options_.ignore_merges) build_boundaries(merges);
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
  thread_local std::vector<std::uint32_t> ids;
  ids.clear();
  initial_symbols(word, ids);
  if (ids.size() <= short_word)
    merge_short(ids);
  else
    merge_long(ids);
  out.insert(out.end(), ids.begin(), ids.end());
}

// HF's merge loop (lowest rank first, leftmost on ties) by scanning: for the few symbols of
// most words a scan of a small array beats a heap's bookkeeping. O(symbols x merges).
void bpe_model::merge_short(std::vector<std::uint32_t>& ids) const {
  const std::size_t n = ids.size();
  if (n < 2) return;
  std::uint32_t ranks[short_word];  // ranks[i]: of merging ids[i] with ids[i + 1]
  merges_.ranks_of_pairs(ids.data(), n, ranks);
  std::size_t size = n;
  while (size > 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < size; ++i)
      if (ranks[i] < ranks[best]) best = i;
    const std::uint32_t rank = ranks[best];
    if (rank == merge_table::no_rank) break;
    ids[best] = merges_.merged_id(rank);
    --size;
    std::copy(ids.begin() + best + 2, ids.begin() + size + 1, ids.begin() + best + 1);
    if (best + 2 < size) std::copy(ranks + best + 2, ranks + size, ranks + best + 1);
    const std::size_t from = best > 0 ? best - 1 : best, to = std::min(best + 2, size);  // the new pairs' ids
    merges_.ranks_of_pairs(ids.data() + from, to - from, ranks + from);
  }
  ids.resize(size);
}

// The same loop for long words (a SentencePiece-style text without separators can be one
// word of megabytes): symbols in a linked list, candidate pairs in a heap ordered by
// (rank, position), O(n log n). A candidate is stale once either symbol has changed; a
// symbol only grows, so equal ids mean the same, unchanged pair (no table lookup to check).
void bpe_model::merge_long(std::vector<std::uint32_t>& ids) const {
  struct symbol {
    std::uint32_t id;
    std::int32_t prev, next;  // -1: none; a merged-away symbol has id no_symbol
  };
  struct candidate {
    std::uint32_t rank;
    std::int32_t pos;
    std::uint32_t left, right;
    bool operator>(const candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  constexpr std::uint32_t no_symbol = ~0u;
  thread_local std::vector<symbol> sym;
  thread_local std::vector<candidate> heap;  // a min-heap through std::greater
  const auto n = static_cast<std::int32_t>(ids.size());
  sym.resize(ids.size());
  heap.clear();
  thread_local std::vector<std::uint32_t> ranks;
  ranks.resize(ids.size());
  merges_.ranks_of_pairs(ids.data(), ids.size(), ranks.data());
  for (std::int32_t i = 0; i < n; ++i) sym[i] = {ids[i], i - 1, i + 1 < n ? i + 1 : -1};
  for (std::int32_t i = 0; i + 1 < n; ++i)
    if (ranks[i] != merge_table::no_rank) heap.push_back({ranks[i], i, ids[i], ids[i + 1]});
  std::make_heap(heap.begin(), heap.end(), std::greater<>{});
  auto push_pair = [&](std::int32_t left) {
    if (left < 0 || sym[left].next < 0) return;
    const std::uint32_t a = sym[left].id, b = sym[sym[left].next].id;
    if (const std::uint32_t r = merges_.rank_of(a, b); r != merge_table::no_rank) {
      heap.push_back({r, left, a, b});
      std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    }
  };
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
    const candidate top = heap.back();
    heap.pop_back();
    symbol& left = sym[top.pos];
    if (left.id != top.left || left.next < 0 || sym[left.next].id != top.right) continue;
    symbol& right = sym[left.next];
    left.id = merges_.merged_id(top.rank);
    right.id = no_symbol;
    left.next = right.next;
    if (right.next >= 0) sym[right.next].prev = top.pos;
    push_pair(left.prev);
    push_pair(top.pos);
  }
  ids.clear();
  for (std::int32_t i = 0; i >= 0 && i < n; i = sym[i].next) ids.push_back(sym[i].id);
}

}  // namespace glyph::tokens
