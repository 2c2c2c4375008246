"""Rewards for RL on rendered text, the same C++ code as `glyph reward` (docs/synth.md).

    from glyph import rewards
    rewards.ocr_reward(completion, source_text)      # 1 - levenshtein / max(len), code points
    rewards.format_reward("<think>...</think> 42")   # 1.0 or 0.0
    rewards.judge_reward(question, reference, completion, endpoint="http://127.0.0.1:8000/v1")

The batch forms (ocr_rewards, format_rewards, judge_rewards) run without the GIL.
"""
from ._core import (
    JudgeVerdict,
    answer_part,
    default_judge_prompt,
    format_reward,
    format_rewards,
    judge_rewards,
    levenshtein_distance,
    ocr_reward,
    ocr_rewards,
    parse_judge_verdict,
)


def judge_reward(question, reference, completion, *, endpoint, **options):
    """One judge call (see judge_rewards for the options); returns a JudgeVerdict."""
    return judge_rewards([question], [reference], [completion], endpoint=endpoint, **options)[0]


__all__ = [
    "JudgeVerdict", "answer_part", "default_judge_prompt", "format_reward", "format_rewards",
    "judge_reward", "judge_rewards", "levenshtein_distance", "ocr_reward", "ocr_rewards",
    "parse_judge_verdict",
]
