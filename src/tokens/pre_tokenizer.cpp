#include "tokens/pre_tokenizer.hpp"

#include <algorithm>

namespace glyph::tokens {

namespace {

struct piece {
  std::size_t begin, end;
  bool match;
};

void find_literal(std::string_view text, const std::string& lit, std::vector<span>& out) {
  if (lit.empty()) return;
  for (std::size_t at = text.find(lit); at != std::string_view::npos; at = text.find(lit, at + lit.size()))
    out.push_back({at, at + lit.size()});
}

// HF's SplitDelimiterBehavior applied to the matches and the gaps between them.
void apply_behavior(std::string_view text, const std::vector<span>& matches, split_behavior b,
                    std::vector<std::string_view>& out) {
  std::vector<piece> all;
  std::size_t prev = 0;
  for (const span& m : matches) {
    if (m.begin > prev) all.push_back({prev, m.begin, false});
    all.push_back({m.begin, m.end, true});
    prev = m.end;
  }
  if (prev < text.size()) all.push_back({prev, text.size(), false});

  std::vector<piece> merged;
  bool previous_match = false;
  switch (b) {
    case split_behavior::isolated: merged = std::move(all); break;
    case split_behavior::removed:
      for (const piece& p : all)
        if (!p.match) merged.push_back(p);
      break;
    case split_behavior::merged_with_previous:
      for (const piece& p : all) {
        if (p.match && !previous_match && !merged.empty()) merged.back().end = p.end;
        else merged.push_back(p);
        previous_match = p.match;
      }
      break;
    case split_behavior::merged_with_next:
      for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->match && !previous_match && !merged.empty()) merged.back().begin = it->begin;
        else merged.push_back(*it);
        previous_match = it->match;
      }
      std::reverse(merged.begin(), merged.end());
      break;
    case split_behavior::contiguous:
      for (const piece& p : all) {
        if (p.match == previous_match && !merged.empty()) merged.back().end = p.end;
        else merged.push_back(p);
        previous_match = p.match;
      }
      break;
  }
  for (const piece& p : merged)
    if (p.end > p.begin) out.push_back(text.substr(p.begin, p.end - p.begin));
}

}  // namespace

bool pre_tokenizer::fast() const {
  for (const auto& s : steps_)
    if (s.regex && !s.regex->is_fast()) return false;
  return true;
}

void pre_tokenizer::split(std::string_view text, std::vector<std::string_view>& out) const {
  if (text.empty()) return;
  if (steps_.empty()) {
    out.push_back(text);
    return;
  }
  thread_local std::vector<span> matches;
  std::vector<std::string_view> current{text}, next;
  for (const split_step& step : steps_) {
    next.clear();
    for (std::string_view part : current) {
      matches.clear();
      if (step.regex) step.regex->find_all(part, matches);
      else find_literal(part, step.literal, matches);
      // The common case (the scanner covers every byte, isolated) needs no bookkeeping.
      if (step.behavior == split_behavior::isolated) {
        std::size_t prev = 0;
        for (const span& m : matches) {
          if (m.begin > prev) next.push_back(part.substr(prev, m.begin - prev));
          next.push_back(part.substr(m.begin, m.end - m.begin));
          prev = m.end;
        }
        if (prev < part.size()) next.push_back(part.substr(prev));
      } else {
        apply_behavior(part, matches, step.behavior, next);
      }
    }
    std::swap(current, next);
  }
  out.insert(out.end(), current.begin(), current.end());
}

}  // namespace glyph::tokens
