// The question stays text: the last text part of the last user message is split into a
// bulky head that may be rendered and a short tail that is sent as text (the paper's
// (instruction, visual context) split; Glyph's evaluation sends the question as text).
//
// The rule: the tail is the longest run of trailing paragraphs (separated by a blank line)
// of at most `max_tail_tokens` tokens; when even the last paragraph is longer, the longest
// run of trailing lines; then of trailing sentences (after . ? ! or 。？！). When even the
// last sentence is longer, or the whole text fits, nothing is split off.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace glyph::serve {

struct tail_split {
  std::string_view head;  // to render; trailing whitespace removed
  std::string_view tail;  // stays text; leading whitespace removed
  std::size_t tail_tokens = 0;
  bool split() const { return !tail.empty() && !head.empty(); }
};

// `count` gives the tokens of a piece of text. No split (head = text, tail empty) when
// max_tail_tokens is 0.
tail_split split_question_tail(std::string_view text, std::size_t max_tail_tokens,
                               const std::function<std::size_t(std::string_view)>& count);

}  // namespace glyph::serve
