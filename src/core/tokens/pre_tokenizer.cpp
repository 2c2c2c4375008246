#include "tokens/pre_tokenizer.hpp"

#include <unicode/uchar.h>

#include <algorithm>

#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

struct piece {
  std::size_t begin, end;
  bool match;
};

// A pre-token and whether it begins the input.
struct part {
  std::string_view text;
  bool first;
};

void find_literal(std::string_view text, const std::string& lit, std::vector<span>& out) {
  if (lit.empty()) return;
  for (std::size_t at = text.find(lit); at != std::string_view::npos; at = text.find(lit, at + lit.size()))
    out.push_back({at, at + lit.size()});
}

void find_class(std::string_view text, bool (*in_class)(char32_t), std::vector<span>& out) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const int len = decode_utf8(text, i, cp);
    if (in_class(cp)) out.push_back({i, i + len});
    i += len;
  }
}

// HF's SplitDelimiterBehavior applied to the matches and the gaps between them; with
// `invert`, the gaps are the delimiters. Appends the kept pieces as spans of `text`.
void apply_behavior(std::size_t size, const std::vector<span>& matches, split_behavior b, bool invert,
                    std::vector<span>& out) {
  thread_local std::vector<piece> all, merged;  // kept across calls: fresh pages each call cost more than the work
  all.clear();
  merged.clear();
  std::size_t prev = 0;
  for (const span& m : matches) {
    if (m.begin > prev) all.push_back({prev, m.begin, invert});
    all.push_back({m.begin, m.end, !invert});
    prev = m.end;
  }
  if (prev < size) all.push_back({prev, size, invert});

  bool previous_match = false;
  switch (b) {
    case split_behavior::isolated:
      std::swap(merged, all);
      break;
    case split_behavior::removed:
      for (const piece& p : all)
        if (!p.match) merged.push_back(p);
      break;
    case split_behavior::merged_with_previous:
      for (const piece& p : all) {
        if (p.match && !previous_match && !merged.empty())
          merged.back().end = p.end;
        else
          merged.push_back(p);
        previous_match = p.match;
      }
      break;
    case split_behavior::merged_with_next:
      for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->match && !previous_match && !merged.empty())
          merged.back().begin = it->begin;
        else
          merged.push_back(*it);
        previous_match = it->match;
      }
      std::reverse(merged.begin(), merged.end());
      break;
    case split_behavior::contiguous:
      for (const piece& p : all) {
        if (p.match == previous_match && !merged.empty())
          merged.back().end = p.end;
        else
          merged.push_back(p);
        previous_match = p.match;
      }
      break;
  }
  for (const piece& p : merged)
    if (p.end > p.begin) out.push_back({p.begin, p.end});
}

void run_split(const split_step& step, part in, std::vector<part>& next) {
  thread_local std::vector<span> matches, kept;
  matches.clear();
  if (step.regex)
    step.regex->find_all(in.text, matches);
  else if (step.char_class)
    find_class(in.text, step.char_class, matches);
  else
    find_literal(in.text, step.literal, matches);
  // The common cases need no bookkeeping: isolated (the scanner covers every byte), and
  // removed with invert (gpt-4o: the matches are the pieces).
  if (step.behavior == split_behavior::isolated && !step.invert) {
    std::size_t prev = 0;
    for (const span& m : matches) {
      if (m.begin > prev) next.push_back({in.text.substr(prev, m.begin - prev), in.first && prev == 0});
      next.push_back({in.text.substr(m.begin, m.end - m.begin), in.first && m.begin == 0});
      prev = m.end;
    }
    if (prev < in.text.size()) next.push_back({in.text.substr(prev), in.first && prev == 0});
    return;
  }
  if (step.behavior == split_behavior::removed && step.invert) {
    for (const span& m : matches)
      if (m.end > m.begin) next.push_back({in.text.substr(m.begin, m.end - m.begin), in.first && m.begin == 0});
    return;
  }
  kept.clear();
  apply_behavior(in.text.size(), matches, step.behavior, step.invert, kept);
  for (const span& s : kept) next.push_back({in.text.substr(s.begin, s.end - s.begin), in.first && s.begin == 0});
}

// HF's Metaspace::pre_tokenize on one piece.
void run_metaspace(const metaspace_step& step, part in, std::deque<std::string>& store, std::vector<part>& next) {
  std::string_view text = in.text;
  const bool has_space = text.find(' ') != std::string_view::npos;
  const bool starts = text.substr(0, step.replacement.size()) == step.replacement || (has_space && text[0] == ' ');
  const bool prepend =
      !starts && (step.scheme == prepend_scheme::always || (step.scheme == prepend_scheme::first && in.first));
  if (has_space || prepend) {
    std::string s = prepend ? step.replacement : std::string();
    for (char c : text) {
      if (c == ' ')
        s += step.replacement;
      else
        s += c;
    }
    text = store.emplace_back(std::move(s));
  }
  if (!step.split) {
    next.push_back({text, in.first});
    return;
  }
  thread_local std::vector<span> matches, kept;
  matches.clear();
  kept.clear();
  find_literal(text, step.replacement, matches);
  apply_behavior(text.size(), matches, split_behavior::merged_with_next, false, kept);
  for (const span& s : kept) next.push_back({text.substr(s.begin, s.end - s.begin), in.first && s.begin == 0});
}

}  // namespace

bool is_numeric_char(char32_t c) { return classify(c) & cls_number; }
bool is_whitespace_char(char32_t c) { return classify(c) & cls_space; }
bool is_punctuation_char(char32_t c) {
  if (c < 0x80)
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
  return U_MASK(u_charType(static_cast<UChar32>(c))) & U_GC_P_MASK;
}

bool pre_tokenizer::fast() const {
  for (const auto& s : steps_)
    if (const auto* split = std::get_if<split_step>(&s); split && split->regex && !split->regex->is_fast())
      return false;
  return true;
}

void pre_tokenizer::split(std::string_view text, bool at_start, std::deque<std::string>& store,
                          std::vector<std::string_view>& out) const {
  if (text.empty()) return;
  if (steps_.empty()) {
    out.push_back(text);
    return;
  }
  thread_local std::vector<part> current, next;
  current.assign(1, part{text, at_start});
  for (const auto& step : steps_) {
    next.clear();
    for (const part& p : current) {
      if (const auto* s = std::get_if<split_step>(&step))
        run_split(*s, p, next);
      else
        run_metaspace(std::get<metaspace_step>(step), p, store, next);
    }
    std::swap(current, next);
  }
  for (const part& p : current) out.push_back(p.text);
}

}  // namespace glyph::tokens
