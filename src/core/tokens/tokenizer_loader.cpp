// Reads tokenizer.json into the tokenizer's parts. Every unsupported component is refused
// with the field that names it: a tokenizer that silently differs from HF's would give
// wrong counts. The single steps are read in load_steps.cpp.
#include <nlohmann/json.hpp>

#include "glyph/error.hpp"
#include "io/json_input.hpp"
#include "tokens/byte_level.hpp"
#include "tokens/json_fields.hpp"
#include "tokens/load_steps.hpp"
#include "tokens/tokenizer_impl.hpp"

namespace glyph::tokens {

namespace {

using nlohmann::json;
using tokens::bool_member;
using tokens::member;
using tokens::string_member;
using context = tokens::json_context;

const json& sequence_list(const context& c, const json& obj, const char* key, const std::string& field) {
  const json& list = member(c, obj, key, field);
  if (!list.is_array()) throw c.fail(field + "." + key, "expected an array");
  return list;
}

void collect_normalizers(const context& c, const json& n, const std::string& field, tokens::normalizer& norm) {
  if (n.is_null()) return;
  if (string_member(c, n, "type", field) != "Sequence") return tokens::add_normalizer_step(c, n, field, norm);
  const json& list = sequence_list(c, n, "normalizers", field);
  for (std::size_t i = 0; i < list.size(); ++i)
    collect_normalizers(c, list[i], field + ".normalizers[" + std::to_string(i) + "]", norm);
}

// Returns whether a ByteLevel step was seen (the model is then byte-level).
bool collect_pre_tokenizers(const context& c, const json& p, const std::string& field, tokens::pre_tokenizer& pre) {
  if (p.is_null()) return false;
  if (string_member(c, p, "type", field) != "Sequence") return tokens::add_pre_tokenizer_step(c, p, field, pre);
  const json& list = sequence_list(c, p, "pretokenizers", field);
  bool byte_level = false;
  for (std::size_t i = 0; i < list.size(); ++i)
    byte_level |= collect_pre_tokenizers(c, list[i], field + ".pretokenizers[" + std::to_string(i) + "]", pre);
  return byte_level;
}

void collect_decoders(const context& c, const json& d, const std::string& field, tokens::decoder& dec) {
  if (d.is_null()) return;
  if (string_member(c, d, "type", field) != "Sequence") return tokens::add_decoder_step(c, d, field, dec);
  const json& list = sequence_list(c, d, "decoders", field);
  for (std::size_t i = 0; i < list.size(); ++i)
    collect_decoders(c, list[i], field + ".decoders[" + std::to_string(i) + "]", dec);
}

// A vocabulary or merge string as the model stores it: raw bytes for byte-level models.
std::optional<std::string> model_string(const std::string& s, bool byte_level) {
  if (!byte_level) return s;
  return tokens::byte_level_to_bytes(s);
}

// Token ids index dense tables: an id far beyond the number of entries would make a huge one
// (and 4294967295 + 1 wraps), so ids stay below twice the entries plus a margin.
std::uint64_t id_limit(std::size_t entries) { return 2 * static_cast<std::uint64_t>(entries) + 65536; }

std::uint32_t checked_id(const context& c, const json& v, std::uint64_t limit, const std::string& field) {
  if (!v.is_number_unsigned()) throw c.fail(field, "expected a non-negative id");
  const std::uint64_t id = v.get<std::uint64_t>();
  if (id >= limit)
    throw c.fail(field, "id " + std::to_string(id) + " is out of range (ids must be below " + std::to_string(limit) +
                            " for this many tokens)");
  return static_cast<std::uint32_t>(id);
}

tokens::bpe_model load_model(const context& c, const json& m, bool byte_level) {
  const std::string type = m.contains("type") ? string_member(c, m, "type", "model") : "BPE";
  if (type != "BPE") throw c.unsupported("model.type", type);
  if (m.contains("dropout") && !m.at("dropout").is_null() && m.at("dropout").is_number() &&
      m.at("dropout").get<double>() > 0)
    throw c.fail("model.dropout",
                 "BPE dropout " + m.at("dropout").dump() +
                     " samples merges at random: token counts would not be reproducible (set it to null)");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (m.contains(key) && m.at(key).is_string() && !m.at(key).get<std::string>().empty())
      throw c.unsupported(std::string("model.") + key, m.at(key).get<std::string>());

  const json& vocab = member(c, m, "vocab", "model");
  if (!vocab.is_object()) throw c.fail("model.vocab", "expected an object of token -> id");
  std::vector<std::pair<std::string, std::uint32_t>> entries;
  entries.reserve(vocab.size());
  const std::uint64_t limit = id_limit(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const std::uint32_t id = checked_id(c, it.value(), limit, "model.vocab[\"" + it.key() + "\"]");
    const auto bytes = model_string(it.key(), byte_level);
    if (!bytes) continue;  // not spelled with byte-level characters: unreachable from text
    entries.emplace_back(*bytes, id);
  }
  const json& merges = member(c, m, "merges", "model");
  if (!merges.is_array()) throw c.fail("model.merges", "expected an array");
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(merges.size());
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const json& e = merges[i];
    std::string l, r;
    if (e.is_string()) {  // "left right"
      const std::string s = e.get<std::string>();
      const auto sp = s.find(' ');
      if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
        throw c.fail("model.merges[" + std::to_string(i) + "]", "expected \"left right\", got \"" + s + "\"");
      l = s.substr(0, sp), r = s.substr(sp + 1);
    } else if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string()) {
      l = e[0].get<std::string>(), r = e[1].get<std::string>();
    } else {
      throw c.fail("model.merges[" + std::to_string(i) + "]", "expected \"left right\" or [\"left\", \"right\"]");
    }
    auto lb = model_string(l, byte_level), rb = model_string(r, byte_level);
    if (!lb || !rb) throw c.fail("model.merges[" + std::to_string(i) + "]", "not spelled with byte-level characters");
    pairs.emplace_back(std::move(*lb), std::move(*rb));
  }
  tokens::bpe_options options;
  options.byte_level = byte_level;
  options.byte_fallback = bool_member(c, m, "byte_fallback", "model", false);
  options.fuse_unk = bool_member(c, m, "fuse_unk", "model", false);
  options.ignore_merges = bool_member(c, m, "ignore_merges", "model", false);
  if (m.contains("unk_token") && m.at("unk_token").is_string()) {
    const std::string u = m.at("unk_token").get<std::string>();
    if (vocab.contains(u) && vocab.at(u).is_number_unsigned()) options.unk_id = vocab.at(u).get<std::uint32_t>();
  }
  return tokens::bpe_model(std::move(entries), pairs, options, c.file + ": model");
}

}  // namespace

std::shared_ptr<const tokenizer::impl> load_tokenizer_json(std::string_view json_text, const std::string& what) {
  const context c{what};
  const json root = io::parse_json_bounded(json_text, what);
  if (!root.is_object()) throw c.fail("(top level)", "expected an object");

  auto t = std::make_shared<tokenizer::impl>();
  if (root.contains("normalizer")) collect_normalizers(c, root.at("normalizer"), "normalizer", t->norm);
  const bool byte_level =
      root.contains("pre_tokenizer") && collect_pre_tokenizers(c, root.at("pre_tokenizer"), "pre_tokenizer", t->pre);
  if (root.contains("decoder")) collect_decoders(c, root.at("decoder"), "decoder", t->dec);
  t->model.emplace(load_model(c, member(c, root, "model", "(top level)"), byte_level));
  t->vocab_size = root.at("model").at("vocab").size();

  if (root.contains("added_tokens") && !root.at("added_tokens").is_null()) {
    const json& list = root.at("added_tokens");
    if (!list.is_array()) throw c.fail("added_tokens", "expected an array");
    const std::uint64_t limit = id_limit(root.at("model").at("vocab").size() + list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string field = "added_tokens[" + std::to_string(i) + "]";
      const json& e = list[i];
      tokens::added_token a;
      a.id = checked_id(c, member(c, e, "id", field), limit, field + ".id");
      a.content = string_member(c, e, "content", field);
      a.special = bool_member(c, e, "special", field, false);
      a.normalized = bool_member(c, e, "normalized", field, !a.special);
      a.single_word = bool_member(c, e, "single_word", field, false);
      a.lstrip = bool_member(c, e, "lstrip", field, false);
      a.rstrip = bool_member(c, e, "rstrip", field, false);
      (a.normalized && !t->norm.identity() ? t->normalized_added : t->raw_added).add(a);
      if (!t->model->bytes_of(a.id)) ++t->vocab_size;
      t->added_index[a.id] = t->added.size();
      t->added.push_back(std::move(a));
    }
  }
  return t;
}

}  // namespace glyph::tokens
