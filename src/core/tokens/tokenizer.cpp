// encode(): added tokens -> normalization -> pre-tokenization -> BPE, with a per-call
// cache of words already seen (natural text repeats most of its words).
#include "glyph/tokens.hpp"

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

namespace {

class encoder {
 public:
  encoder(const tokenizer::impl& t, std::vector<std::uint32_t>& out) : t_(t), out_(out) {}

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
        if (s.token_id >= 0) out_.push_back(static_cast<std::uint32_t>(s.token_id));
        else words(s.text, at_start && s.text.data() == body.data());
      }
    }
  }

 private:
  static constexpr std::size_t max_cached_word = 64;

  void words(std::string_view text, bool at_start) {
    pieces_.clear();
    t_.pre.split(text, at_start, store_, pieces_);
    if (!t_.model->byte_level()) {  // cut long SentencePiece-style words where no merge can join
      words_.clear();
      for (std::string_view w : pieces_) t_.model->split_independent(w, words_);
      std::swap(pieces_, words_);
    }
    for (std::string_view w : pieces_) {
      if (w.size() > max_cached_word) {
        t_.model->encode_word(w, out_);
        continue;
      }
      auto [it, fresh] = cache_.try_emplace(w);
      if (fresh) {
        const std::size_t begin = out_.size();
        t_.model->encode_word(w, out_);
        it->second = {static_cast<std::uint32_t>(cached_.size()), static_cast<std::uint32_t>(out_.size() - begin)};
        cached_.insert(cached_.end(), out_.begin() + begin, out_.end());
      } else {
        out_.insert(out_.end(), cached_.begin() + it->second.first,
                    cached_.begin() + it->second.first + it->second.second);
      }
    }
  }

  const tokenizer::impl& t_;
  std::vector<std::uint32_t>& out_;
  std::deque<std::string> store_;  // rewritten copies of the text the cache's keys may point into
  std::vector<std::string_view> pieces_, words_;
  std::unordered_map<std::string_view, std::pair<std::uint32_t, std::uint32_t>> cache_;
  std::vector<std::uint32_t> cached_;
};

}  // namespace

tokenizer tokenizer::from_file(const std::string& path) {
  const std::string text = read_regular_file(path, max_tokenizer_file_bytes, "tokenizer file", error_kind::invalid_input);
  return from_json(text, path);
}

tokenizer tokenizer::from_json(std::string_view json_text, const std::string& what) {
  tokenizer t;
  t.impl_ = load_tokenizer_json(json_text, what);
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
