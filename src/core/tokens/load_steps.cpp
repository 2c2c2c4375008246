#include "tokens/load_steps.hpp"

#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

using nlohmann::json;

split_behavior parse_behavior(const json_context& c, const std::string& v, const std::string& field) {
  if (v == "Isolated") return split_behavior::isolated;
  if (v == "Removed") return split_behavior::removed;
  if (v == "MergedWithPrevious") return split_behavior::merged_with_previous;
  if (v == "MergedWithNext") return split_behavior::merged_with_next;
  if (v == "Contiguous") return split_behavior::contiguous;
  throw c.unsupported(field, v);
}

// A {"String": ...} or {"Regex": ...} pattern; returns the regex or fills `literal`.
std::unique_ptr<split_regex> parse_pattern(const json_context& c, const json& obj, const std::string& field,
                                           std::string& literal, bool regex_allowed = true) {
  const json& pat = member(c, obj, "pattern", field);
  if (pat.contains("String") && pat.at("String").is_string()) {
    literal = pat.at("String").get<std::string>();
    if (literal.empty()) throw c.fail(field + ".pattern.String", "an empty pattern matches nothing useful");
    return nullptr;
  }
  if (pat.contains("Regex") && pat.at("Regex").is_string()) {
    if (!regex_allowed) throw c.unsupported(field + ".pattern", "Regex");
    return std::make_unique<split_regex>(pat.at("Regex").get<std::string>(), c.file + ": " + field + ".pattern");
  }
  throw c.fail(field + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}");
}

// One character, as Metaspace and Strip take (HF: a char).
std::string one_char(const json_context& c, const json& obj, const std::string& key, const std::string& field,
                     const char* dflt) {
  const std::string s = obj.contains(key) ? string_member(c, obj, key, field) : std::string(dflt);
  char32_t cp;
  if (s.empty() || static_cast<std::size_t>(decode_utf8(s, 0, cp)) != s.size())
    throw c.fail(field + "." + key, "expected one character, got \"" + s + "\"");
  return s;
}

prepend_scheme parse_scheme(const json_context& c, const json& obj, const std::string& field) {
  if (obj.contains("prepend_scheme") && !obj.at("prepend_scheme").is_null()) {
    const std::string v = string_member(c, obj, "prepend_scheme", field);
    if (v == "always") return prepend_scheme::always;
    if (v == "first") return prepend_scheme::first;
    if (v == "never") return prepend_scheme::never;
    throw c.unsupported(field + ".prepend_scheme", v);
  }
  // The format before tokenizers 0.19: add_prefix_space.
  return bool_member(c, obj, "add_prefix_space", field, true) ? prepend_scheme::always : prepend_scheme::never;
}

std::size_t count_member(const json_context& c, const json& obj, const std::string& key, const std::string& field) {
  const json& v = member(c, obj, key, field);
  if (!v.is_number_unsigned()) throw c.fail(field + "." + key, "expected a non-negative integer");
  return v.get<std::size_t>();
}

}  // namespace

void add_normalizer_step(const json_context& c, const json& n, const std::string& field, normalizer& out) {
  const std::string type = string_member(c, n, "type", field);
  if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
    out.add_form(type);
  } else if (type == "Replace") {
    std::string literal;
    auto regex = parse_pattern(c, n, field, literal);
    std::string content = string_member(c, n, "content", field);
    if (regex)
      out.add_replace(std::move(regex), std::move(content));
    else
      out.add_replace(std::move(literal), std::move(content));
  } else if (type == "Prepend") {
    out.add_prepend(string_member(c, n, "prepend", field));
  } else if (type == "Lowercase") {
    out.add_lowercase();
  } else {
    throw c.unsupported(field + ".type", type);
  }
}

bool add_pre_tokenizer_step(const json_context& c, const json& p, const std::string& field, pre_tokenizer& out) {
  const std::string type = string_member(c, p, "type", field);
  if (type == "Split") {
    split_step step;
    step.behavior = parse_behavior(c, string_member(c, p, "behavior", field), field + ".behavior");
    step.invert = bool_member(c, p, "invert", field, false);
    step.regex = parse_pattern(c, p, field, step.literal);
    out.add(std::move(step));
    return false;
  }
  if (type == "ByteLevel") {
    if (bool_member(c, p, "add_prefix_space", field, true)) throw c.unsupported(field + ".add_prefix_space", "true");
    if (bool_member(c, p, "use_regex", field, true)) {
      split_step step;
      step.regex = std::make_unique<split_regex>(gpt2_split_pattern, c.file + ": " + field);
      out.add(std::move(step));
    }
    return true;
  }
  if (type == "Metaspace") {
    metaspace_step step;
    step.replacement = one_char(c, p, "replacement", field, "\xE2\x96\x81");
    step.scheme = parse_scheme(c, p, field);
    step.split = bool_member(c, p, "split", field, true);
    out.add(std::move(step));
    return false;
  }
  split_step step;
  if (type == "Digits") {
    step.char_class = is_numeric_char;
    step.behavior =
        bool_member(c, p, "individual_digits", field, false) ? split_behavior::isolated : split_behavior::contiguous;
  } else if (type == "Punctuation") {
    step.char_class = is_punctuation_char;
    step.behavior = p.contains("behavior")
                        ? parse_behavior(c, string_member(c, p, "behavior", field), field + ".behavior")
                        : split_behavior::isolated;
  } else if (type == "WhitespaceSplit") {
    step.char_class = is_whitespace_char;
    step.behavior = split_behavior::removed;
  } else if (type == "Whitespace") {  // HF: the regex \w+|[^\w\s]+, inverted, gaps removed
    step.regex = std::make_unique<split_regex>(R"(\w+|[^\w\s]+)", c.file + ": " + field, false);
    step.behavior = split_behavior::removed;
    step.invert = true;
  } else {
    throw c.unsupported(field + ".type", type);
  }
  out.add(std::move(step));
  return false;
}

void add_decoder_step(const json_context& c, const json& d, const std::string& field, decoder& out) {
  const std::string type = string_member(c, d, "type", field);
  if (type == "ByteLevel") {
    out.add_byte_level();
  } else if (type == "Replace") {
    std::string literal;
    parse_pattern(c, d, field, literal, false);
    out.add_replace(std::move(literal), string_member(c, d, "content", field));
  } else if (type == "ByteFallback") {
    out.add_byte_fallback();
  } else if (type == "Fuse") {
    out.add_fuse();
  } else if (type == "Strip") {
    out.add_strip(one_char(c, d, "content", field, " "), count_member(c, d, "start", field),
                  count_member(c, d, "stop", field));
  } else if (type == "Metaspace") {
    out.add_metaspace(one_char(c, d, "replacement", field, "\xE2\x96\x81"),
                      parse_scheme(c, d, field) != prepend_scheme::never);
  } else {
    throw c.unsupported(field + ".type", type);
  }
}

}  // namespace glyph::tokens
