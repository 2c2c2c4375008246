// Reads tokenizer.json into the tokenizer's parts. Every unsupported component is refused
// with the field that names it: a tokenizer that silently differs from HF's would give
// wrong counts.
#include <nlohmann/json.hpp>

#include "glyph/error.hpp"
#include "io/json_input.hpp"
#include "tokens/byte_level.hpp"
#include "tokens/tokenizer_impl.hpp"

namespace glyph {

namespace {

using nlohmann::json;
using tokens::split_behavior;

struct context {
  std::string file;
  error fail(const std::string& field, const std::string& why) const {
    return error(error_kind::invalid_input, file + ": " + field + ": " + why);
  }
  error unsupported(const std::string& field, const std::string& value) const {
    return fail(field, "unsupported value '" + value +
                           "' (glyph supports byte-level BPE tokenizers: Qwen2/Qwen3, GLM-4, Llama-3 families)");
  }
};

const json& member(const context& c, const json& obj, const std::string& key, const std::string& field) {
  if (!obj.is_object() || !obj.contains(key)) throw c.fail(field, "missing field '" + key + "'");
  return obj.at(key);
}

std::string string_member(const context& c, const json& obj, const std::string& key, const std::string& field) {
  const json& v = member(c, obj, key, field);
  if (!v.is_string()) throw c.fail(field + "." + key, "expected a string");
  return v.get<std::string>();
}

bool bool_member(const context& c, const json& obj, const std::string& key, const std::string& field, bool dflt) {
  if (!obj.contains(key) || obj.at(key).is_null()) return dflt;
  if (!obj.at(key).is_boolean()) throw c.fail(field + "." + key, "expected true or false");
  return obj.at(key).get<bool>();
}

void collect_normalizers(const context& c, const json& n, const std::string& field, std::vector<std::string>& forms) {
  if (n.is_null()) return;
  const std::string type = string_member(c, n, "type", field);
  if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
    forms.push_back(type);
  } else if (type == "Sequence") {
    const json& list = member(c, n, "normalizers", field);
    if (!list.is_array()) throw c.fail(field + ".normalizers", "expected an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      collect_normalizers(c, list[i], field + ".normalizers[" + std::to_string(i) + "]", forms);
  } else {
    throw c.unsupported(field + ".type", type);
  }
}

split_behavior parse_behavior(const context& c, const std::string& v, const std::string& field) {
  if (v == "Isolated") return split_behavior::isolated;
  if (v == "Removed") return split_behavior::removed;
  if (v == "MergedWithPrevious") return split_behavior::merged_with_previous;
  if (v == "MergedWithNext") return split_behavior::merged_with_next;
  if (v == "Contiguous") return split_behavior::contiguous;
  throw c.unsupported(field, v);
}

// Returns whether a ByteLevel step was seen (byte-level BPE needs one).
bool collect_pre_tokenizers(const context& c, const json& p, const std::string& field, tokens::pre_tokenizer& pre) {
  if (p.is_null()) return false;
  const std::string type = string_member(c, p, "type", field);
  if (type == "Sequence") {
    const json& list = member(c, p, "pretokenizers", field);
    if (!list.is_array()) throw c.fail(field + ".pretokenizers", "expected an array");
    bool byte_level = false;
    for (std::size_t i = 0; i < list.size(); ++i)
      byte_level |= collect_pre_tokenizers(c, list[i], field + ".pretokenizers[" + std::to_string(i) + "]", pre);
    return byte_level;
  }
  if (type == "Split") {
    if (bool_member(c, p, "invert", field, false)) throw c.unsupported(field + ".invert", "true");
    tokens::split_step step;
    step.behavior = parse_behavior(c, string_member(c, p, "behavior", field), field + ".behavior");
    const json& pat = member(c, p, "pattern", field);
    if (pat.contains("Regex") && pat.at("Regex").is_string())
      step.regex = std::make_unique<tokens::split_regex>(pat.at("Regex").get<std::string>(), c.file + ": " + field + ".pattern");
    else if (pat.contains("String") && pat.at("String").is_string())
      step.literal = pat.at("String").get<std::string>();
    else
      throw c.fail(field + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}");
    pre.add(std::move(step));
    return false;
  }
  if (type == "ByteLevel") {
    if (bool_member(c, p, "add_prefix_space", field, true))
      throw c.unsupported(field + ".add_prefix_space", "true");
    if (bool_member(c, p, "use_regex", field, true)) {
      tokens::split_step step;
      step.regex = std::make_unique<tokens::split_regex>(tokens::gpt2_split_pattern, c.file + ": " + field);
      pre.add(std::move(step));
    }
    return true;
  }
  throw c.unsupported(field + ".type", type);
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

tokens::bpe_model load_model(const context& c, const json& m) {
  const std::string type = m.contains("type") ? string_member(c, m, "type", "model") : "BPE";
  if (type != "BPE") throw c.unsupported("model.type", type);
  if (m.contains("dropout") && !m.at("dropout").is_null() && m.at("dropout").is_number() &&
      m.at("dropout").get<double>() > 0)
    throw c.unsupported("model.dropout", m.at("dropout").dump());
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (m.contains(key) && m.at(key).is_string() && !m.at(key).get<std::string>().empty())
      throw c.unsupported(std::string("model.") + key, m.at(key).get<std::string>());
  if (bool_member(c, m, "byte_fallback", "model", false)) throw c.unsupported("model.byte_fallback", "true");

  const json& vocab = member(c, m, "vocab", "model");
  if (!vocab.is_object()) throw c.fail("model.vocab", "expected an object of token -> id");
  std::vector<std::pair<std::string, std::uint32_t>> entries;
  entries.reserve(vocab.size());
  const std::uint64_t limit = id_limit(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const std::uint32_t id = checked_id(c, it.value(), limit, "model.vocab[\"" + it.key() + "\"]");
    const auto bytes = tokens::byte_level_to_bytes(it.key());
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
    auto lb = tokens::byte_level_to_bytes(l), rb = tokens::byte_level_to_bytes(r);
    if (!lb || !rb)
      throw c.fail("model.merges[" + std::to_string(i) + "]", "not spelled with byte-level characters");
    pairs.emplace_back(std::move(*lb), std::move(*rb));
  }
  std::optional<std::uint32_t> unk;
  if (m.contains("unk_token") && m.at("unk_token").is_string()) {
    const std::string u = m.at("unk_token").get<std::string>();
    if (vocab.contains(u) && vocab.at(u).is_number_unsigned()) unk = vocab.at(u).get<std::uint32_t>();
  }
  return tokens::bpe_model(std::move(entries), pairs, unk, bool_member(c, m, "ignore_merges", "model", false),
                           c.file + ": model");
}

}  // namespace

std::shared_ptr<const tokenizer::impl> load_tokenizer_json(std::string_view json_text, const std::string& what) {
  const context c{what};
  const json root = detail::parse_json_bounded(json_text, what);
  if (!root.is_object()) throw c.fail("(top level)", "expected an object");

  std::vector<std::string> forms;
  if (root.contains("normalizer")) collect_normalizers(c, root.at("normalizer"), "normalizer", forms);
  auto t = std::make_shared<tokenizer::impl>(tokens::normalizer(forms));

  const bool byte_level =
      root.contains("pre_tokenizer") && collect_pre_tokenizers(c, root.at("pre_tokenizer"), "pre_tokenizer", t->pre);
  if (!byte_level)
    throw c.fail("pre_tokenizer", "no ByteLevel step: only byte-level BPE tokenizers are supported");
  t->model.emplace(load_model(c, member(c, root, "model", "(top level)")));
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
      t->added.push_back(std::move(a));
    }
  }
  return t;
}

}  // namespace glyph
