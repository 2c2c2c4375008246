"""glyph.Tokenizer, visual_tokens and compression: the numbers of glyph count, tokens and stats."""
import pickle

import pytest

import glyph
from conftest import CONFIG_EN, TOKENIZER, kjv, run_cli

MIXED = "Verse 1:1 — naïve café, 漢字かな交じり文, emoji 🙂, tabs\tand  spaces, <|endoftext|> ids 12345.\n"


@pytest.fixture(scope="module")
def tokenizer():
    return glyph.Tokenizer.from_file(TOKENIZER)


def test_ids_equal_the_cli_ids(tokenizer, text_file):
    text = kjv(60_000) + MIXED * 20
    assert tokenizer.encode(text) == run_cli("count", "--tokenizer", TOKENIZER, "--input", text_file(text), "--ids")
    assert tokenizer.count(text) == len(tokenizer.encode(text))
    assert tokenizer.decode(tokenizer.encode(text)) == text


def test_batches_equal_single_calls(tokenizer):
    texts = [kjv(5_000), MIXED, "", "x" * 1000] * 3
    assert tokenizer.encode_batch(texts) == [tokenizer.encode(t) for t in texts]
    assert tokenizer.encode_batch(texts, threads=1) == tokenizer.encode_batch(texts, threads=3)
    assert tokenizer.count_batch(texts) == [tokenizer.count(t) for t in texts]


def test_tokenizer_details_and_pickling(tokenizer):
    assert tokenizer.vocab_size > 150_000
    assert tokenizer.token_to_id("<|endoftext|>") == tokenizer.encode("<|endoftext|>")[0]
    assert tokenizer.token_to_id("no such token") is None
    assert tokenizer.decode([tokenizer.encode("é")[0]]) in ("é", "\ufffd")  # a partial byte decodes safely
    assert pickle.loads(pickle.dumps(tokenizer)).__getstate__()[0] == TOKENIZER  # pickled by path (pool test)
    with open(TOKENIZER, encoding="utf-8") as f:
        from_json = glyph.Tokenizer.from_json(f.read())
    assert pickle.loads(pickle.dumps(from_json)).encode(MIXED) == tokenizer.encode(MIXED)


def test_bad_tokenizers_raise_input_errors(tmp_path):
    with pytest.raises(glyph.InputError):
        glyph.Tokenizer.from_json('{"model": {"type": "Unigram"}}')
    with pytest.raises(glyph.GlyphError, match="missing.json"):
        glyph.Tokenizer.from_file(tmp_path / "missing.json")


def test_visual_tokens_equal_glyph_tokens():
    cli = run_cli("tokens", "--vision-model", "glyph", "--size", "588x840")
    assert glyph.visual_tokens("glyph", 588, 840) == cli["total_tokens"] == 632
    cost = glyph.image_cost("glyph", 588, 840)
    assert cost["tokens"] == cli["images"][0]["tokens"] and cost["total"] == 632
    assert cost["grid_thw"] == tuple(cli["images"][0]["grid_thw"])
    assert glyph.visual_tokens("qwen2.5-vl", 588, 840, max_pixels=200_000) < glyph.visual_tokens("qwen2.5-vl", 588, 840)
    assert "glyph" in {m["name"] for m in glyph.vision_models()}
    with pytest.raises(glyph.InputError, match="no-such-model"):
        glyph.visual_tokens("no-such-model", 10, 10)


def test_compression_equals_glyph_stats(tokenizer, text_file):
    text = kjv(50_000)
    cli = run_cli("stats", "--config", CONFIG_EN, "--input", text_file(text), "--tokenizer", TOKENIZER,
                  "--vision-model", "glyph")
    for tok in (tokenizer, TOKENIZER):
        report = glyph.compression(text, CONFIG_EN, tok, model="glyph")
        for key in ("characters", "pages", "image_tokens", "special_tokens", "visual_tokens", "text_tokens",
                    "compression_ratio", "characters_per_visual_token", "model"):
            assert report[key] == cli[key], key
    assert len(report["page_costs"]) == report["pages"]
    assert "text_tokens" not in glyph.compression(text, CONFIG_EN)
