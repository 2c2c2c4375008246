// encode(): added tokens -> normalization -> pre-tokenization -> BPE, with a cache of
// words already seen (natural text repeats most of its words).
#include "glyph/tokens.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "text/utf8.hpp"
#include "tokens/byte_level.hpp"
#include "tokens/tokenizer_impl.hpp"

namespace glyph {

using text::is_valid_utf8;
using text::u32_to_utf8;
using text::utf8_to_u32;

std::uint64_t tokenizer::impl::next_serial() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

namespace {

// The ids of words already encoded, kept per thread and per tokenizer across calls: a
// gateway or a chunked reader encodes many short texts, and a cache that started empty on
// each call re-encoded most of their words. Only this thread touches it, so no locks;
// bounded: it starts over once it holds max_words words or 4 MB of their bytes. An
// open-addressing table with a word-at-a-time hash (std::unordered_map's node chasing and
// byte hash were a third of the time on English). Words up to 256 bytes, HF's bound too:
// the lines of Chinese text, cut only at newlines and spaces, are mostly over 64.
class word_cache {
 public:
  static constexpr std::size_t max_word = 256;  // longer words are encoded, not cached
  static constexpr std::size_t max_words = 1 << 16;

  // A word's hash, eight bytes at a time; the caller computes it once for find() and insert().
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t v;
      std::memcpy(&v, s.data() + i, 8);
      h = (h ^ v) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    if (i < s.size()) {
      std::uint64_t v = 0;
      std::memcpy(&v, s.data() + i, s.size() - i);
      h = (h ^ v) * 0xC4CEB9FE1A85EC53ull;
    }
    return h ^ (h >> 29);
  }

  // This thread's cache for the tokenizer `owner`; a thread keeps two (the two most recent
  // tokenizers it used).
  static word_cache& of(std::uint64_t owner) {
    thread_local std::array<word_cache, 2> caches;
    thread_local std::size_t recent = 0;
    if (caches[recent].owner_ != owner) {
      recent ^= 1;
      if (caches[recent].owner_ != owner) caches[recent].reset(owner);
    }
    return caches[recent];
  }

  // The cached ids of `word` (whose hash() is `h`), or nullptr.
  const std::uint32_t* find(std::string_view word, std::uint64_t h, std::size_t& count) const {
    if (slots_.empty()) return nullptr;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint64_t s = slots_[i];
      if (s == 0) return nullptr;
      if (static_cast<std::uint32_t>(s >> 32) != tag) continue;
      const entry& e = entries_[static_cast<std::uint32_t>(s) - 1];
      if (e.length == word.size() && std::memcmp(e.key, word.data(), word.size()) == 0) {
        count = e.count;
        return ids_.data() + e.first;
      }
    }
  }

  // Keeps `word` (whose hash() is `h`) and its ids, after find() missed it.
  void insert(std::string_view word, std::uint64_t h, const std::uint32_t* ids, std::size_t count) {
    if (entries_.size() >= max_words || (!block_has_room(word.size()) && keys_.size() >= max_key_blocks)) reset(owner_);
    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    if (!block_has_room(word.size())) {
      keys_.emplace_back();
      keys_.back().reserve(key_block);
    }
    std::string& block = keys_.back();
    const char* key = block.data() + block.size();
    block.append(word);  // within the reserved capacity: earlier keys stay where they are
    entries_.push_back({key, h, static_cast<std::uint32_t>(word.size()), static_cast<std::uint32_t>(ids_.size()),
                        static_cast<std::uint32_t>(count)});
    place(h, entries_.size());
    ids_.insert(ids_.end(), ids, ids + count);
  }

 private:
  static constexpr std::size_t key_block = 1 << 18;
  static constexpr std::size_t max_key_blocks = 16;  // 4 MB of words' bytes
  struct entry {
    const char* key;
    std::uint64_t hash;
    std::uint32_t length, first, count;
  };

  // Slots hold (hash >> 32) << 32 | entry number (from 1); 0 is empty. Eight bytes each
  // and grown with the words, so that a table of a text's vocabulary stays in cache.
  void place(std::uint64_t h, std::size_t number) {
    std::size_t i = h & mask_;
    while (slots_[i]) i = (i + 1) & mask_;
    slots_[i] = (h >> 32 << 32) | number;
  }
  void grow() {
    slots_.assign(slots_.empty() ? 1024 : 2 * slots_.size(), 0);
    mask_ = slots_.size() - 1;
    for (std::size_t n = 0; n < entries_.size(); ++n) place(entries_[n].hash, n + 1);
  }

  bool block_has_room(std::size_t bytes) const {
    return !keys_.empty() && keys_.back().capacity() - keys_.back().size() >= bytes;
  }

  void reset(std::uint64_t owner) {
    owner_ = owner;
    slots_.clear();
    mask_ = 0;
    entries_.clear();
    ids_.clear();
    keys_.clear();
  }

  std::uint64_t owner_ = 0;
  std::vector<std::uint64_t> slots_;  // power-of-two size, at most half full
  std::size_t mask_ = 0;
  std::vector<entry> entries_;
  std::vector<std::uint32_t> ids_;
  std::deque<std::string> keys_;  // the words' bytes, in blocks that never reallocate
};

class encoder {
 public:
  encoder(const tokenizer::impl& t, std::vector<std::uint32_t>& out)
      : t_(t), out_(out), cache_(word_cache::of(t.serial)) {}

  void run(std::string_view text) {
    std::vector<tokens::segment> raw;
    t_.raw_added.split(text, raw);
    for (const auto& seg : raw) {
      const bool at_start = seg.text.data() == text.data();
      if (seg.token_id >= 0) {
        out_.push_back(static_cast<std::uint32_t>(seg.token_id));
        continue;
      }
      std::string normalized;
      std::string_view body = seg.text;
      if (t_.norm.apply(seg.text, normalized)) body = store_.emplace_back(std::move(normalized));
      if (t_.normalized_added.empty()) {
        words(body, at_start);
        continue;
      }
      std::vector<tokens::segment> inner;
      t_.normalized_added.split(body, inner);
      for (const auto& s : inner) {
        if (s.token_id >= 0)
          out_.push_back(static_cast<std::uint32_t>(s.token_id));
        else
          words(s.text, at_start && s.text.data() == body.data());
      }
    }
  }

 private:
  void words(std::string_view text, bool at_start) {
    pieces_.clear();
    t_.pre.split(text, at_start, store_, pieces_);
    if (!t_.model->byte_level()) {  // cut long SentencePiece-style words where no merge can join
      words_.clear();
      for (std::string_view w : pieces_) t_.model->split_independent(w, words_);
      std::swap(pieces_, words_);
    }
    for (std::string_view w : pieces_) {
      if (w.size() > word_cache::max_word) {
        t_.model->encode_word(w, out_);
        continue;
      }
      std::size_t count = 0;
      const std::uint64_t h = word_cache::hash(w);
      if (const std::uint32_t* ids = cache_.find(w, h, count)) {
        out_.insert(out_.end(), ids, ids + count);
        continue;
      }
      const std::size_t begin = out_.size();
      t_.model->encode_word(w, out_);
      cache_.insert(w, h, out_.data() + begin, out_.size() - begin);
    }
  }

  const tokenizer::impl& t_;
  std::vector<std::uint32_t>& out_;
  word_cache& cache_;
  std::deque<std::string> store_;  // rewritten copies of the text the pieces may point into
  std::vector<std::string_view> pieces_, words_;
};

}  // namespace

tokenizer tokenizer::from_file(const std::string& path) {
  const std::string text =
      read_regular_file(path, max_tokenizer_file_bytes, "tokenizer file", error_kind::invalid_input);
  return from_json(text, path);
}

tokenizer tokenizer::from_json(std::string_view json_text, const std::string& what) {
  tokenizer t;
  t.impl_ = tokens::load_tokenizer_json(json_text, what);
  return t;
}

std::vector<std::uint32_t> tokenizer::encode(std::string_view text) const {
  std::vector<std::uint32_t> ids;
  ids.reserve(text.size() / 3);
  std::string repaired;
  if (!is_valid_utf8(text)) {
    repaired = u32_to_utf8(utf8_to_u32(text, nullptr));
    text = repaired;
  }
  encoder(*impl_, ids).run(text);
  return ids;
}

std::size_t tokenizer::count(std::string_view text) const { return encode(text).size(); }

std::string tokenizer::decode(const std::vector<std::uint32_t>& ids) const {
  // HF: an added token's content first, else the model's token.
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (std::uint32_t id : ids) {
    const auto it = impl_->added_index.find(id);
    const tokens::added_token* added = it == impl_->added_index.end() ? nullptr : &impl_->added[it->second];
    if (added) {
      // Byte-level models hold raw bytes: an added token spelled in byte-level characters is read the same way.
      std::optional<std::string> bytes;
      if (impl_->model->byte_level()) bytes = tokens::byte_level_to_bytes(added->content);
      tokens.push_back(bytes ? *bytes : added->content);
    } else if (const std::string* b = impl_->model->bytes_of(id)) {
      tokens.push_back(*b);
    }
  }
  return impl_->dec.decode(std::move(tokens));
}

std::size_t tokenizer::vocab_size() const { return impl_->vocab_size; }

std::optional<std::uint32_t> tokenizer::token_to_id(std::string_view token) const {
  for (const auto& a : impl_->added)
    if (a.content == token) return a.id;
  return impl_->model->id_of(token);
}

bool tokenizer::fast_split() const { return impl_->pre.fast(); }

}  // namespace glyph
