"""glyph's rewards as a verl custom reward function:

    custom_reward_function.path="$(python3 -c 'import glyph.verl_reward as v; print(v.__file__)')"
    custom_reward_function.name=compute_score

The reward kind comes from `data_source` (or extra_info["glyph_reward"]): a source containing
"ocr" gets the OCR reward against ground_truth; anything else gets the format reward times the
judge's verdict when GLYPH_JUDGE_ENDPOINT is set (GLYPH_JUDGE_MODEL, GLYPH_JUDGE_API_KEY,
extra_info["question"]), else the format reward times an exact match of the answer.
"""
import os

from glyph import rewards


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    extra_info = extra_info or {}
    kind = extra_info.get("glyph_reward") or ("ocr" if "ocr" in str(data_source).lower() else "answer")
    solution_str = "" if solution_str is None else str(solution_str)
    ground_truth = "" if ground_truth is None else str(ground_truth)
    if kind == "ocr":
        return rewards.ocr_reward(solution_str, ground_truth)
    if kind == "format":
        return rewards.format_reward(solution_str)
    form = rewards.format_reward(solution_str)
    endpoint = os.environ.get("GLYPH_JUDGE_ENDPOINT")
    if not endpoint:
        return form * (1.0 if rewards.answer_part(solution_str) == ground_truth.strip() else 0.0)
    if form == 0.0:
        return 0.0
    verdict = rewards.judge_reward(str(extra_info.get("question", "")), ground_truth, solution_str, endpoint=endpoint,
                                   model=os.environ.get("GLYPH_JUDGE_MODEL", ""),
                                   api_key=os.environ.get("GLYPH_JUDGE_API_KEY", ""))
    return form * verdict.score
