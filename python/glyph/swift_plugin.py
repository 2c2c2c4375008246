"""glyph's rewards as an ms-swift GRPO plugin:

    swift rlhf --rlhf_type grpo ... \\
        --external_plugins "$(python3 -c 'import glyph.swift_plugin as p; print(p.__file__)')" \\
        --reward_funcs glyph_ocr glyph_format

Each class takes the completions and the dataset columns as keyword arguments (`glyph synth`
writes the reference in `solution` and the question in `question`) and returns one float per
completion. The classes are registered in ms-swift's `orms` when ms-swift is importable; without
it they are plain callables (as the tests use them). The judge reads its endpoint from
GLYPH_JUDGE_ENDPOINT (and GLYPH_JUDGE_MODEL, GLYPH_JUDGE_API_KEY) when built without arguments,
as ms-swift does.
"""
import os

from glyph import rewards

try:  # ms-swift's base class and registry, when it is installed
    from swift.plugin import ORM as _Base, orms as _orms
except ImportError:
    _Base, _orms = object, None


def _references(kwargs, key, count):
    values = kwargs.get(key)
    if values is None:
        raise KeyError(f"glyph reward: the dataset has no '{key}' column (glyph synth writes it for ocr/sft/rl rows)")
    values = [("" if v is None else str(v)) for v in values]
    if len(values) != count:
        raise ValueError(f"glyph reward: {count} completions but {len(values)} '{key}' values")
    return values


def _texts(completions):
    # ms-swift passes strings; chat-style completions ([{"role", "content"}]) give their last content.
    out = []
    for c in completions:
        if isinstance(c, list) and c and isinstance(c[-1], dict):
            c = c[-1].get("content", "")
        out.append("" if c is None else str(c))
    return out


class GlyphOcrReward(_Base):
    """The OCR reward: Levenshtein similarity of the answer to the `solution` column."""

    reference_key = "solution"

    def __call__(self, completions, **kwargs):
        texts = _texts(completions)
        return rewards.ocr_rewards(texts, _references(kwargs, self.reference_key, len(texts)))


class GlyphFormatReward(_Base):
    """The format reward: 1.0 for `<think>...</think>` then an answer, else 0.0."""

    def __call__(self, completions, **kwargs):
        return rewards.format_rewards(_texts(completions))


class GlyphJudgeReward(_Base):
    """The judge reward: an OpenAI-compatible judge compares the answer with `solution` (0 or 1)."""

    def __init__(self, endpoint=None, model=None, api_key=None, concurrency=8, **options):
        self.endpoint = endpoint or os.environ.get("GLYPH_JUDGE_ENDPOINT", "")
        if not self.endpoint:
            raise ValueError("glyph_judge: set GLYPH_JUDGE_ENDPOINT to the judge's URL (http://host:port/v1)")
        self.options = dict(options, model=model or os.environ.get("GLYPH_JUDGE_MODEL", ""),
                            api_key=api_key or os.environ.get("GLYPH_JUDGE_API_KEY", ""), concurrency=concurrency)

    def __call__(self, completions, **kwargs):
        texts = _texts(completions)
        references = _references(kwargs, "solution", len(texts))
        questions = kwargs.get("question") or [""] * len(texts)
        verdicts = rewards.judge_rewards([str(q) for q in questions], references, texts, endpoint=self.endpoint,
                                         **self.options)
        return [v.score for v in verdicts]


REWARDS = {"glyph_ocr": GlyphOcrReward, "glyph_format": GlyphFormatReward, "glyph_judge": GlyphJudgeReward}

if _orms is not None:
    _orms.update(REWARDS)
