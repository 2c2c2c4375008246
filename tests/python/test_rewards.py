"""glyph.rewards, the ms-swift plugin and the verl function: the OCR reward against
python3-levenshtein's formula, the format reward, and the judge against a real HTTP server."""
import http.server
import json
import random
import threading

import pytest

from glyph import rewards, swift_plugin, verl_reward

Levenshtein = pytest.importorskip("Levenshtein")


def reference_reward(a, b):
    """The documented formula, from python3-levenshtein: whitespace runs folded, then
    1 - distance / max(len)."""
    a, b = " ".join(a.split()), " ".join(b.split())
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - Levenshtein.distance(a, b) / longest


def random_text(rng, length):
    alphabet = "ab c\n\t\u00e9\u4e2d\u6587\U0001F600\u0301\u3000\u200b"
    return "".join(rng.choice(alphabet) for _ in range(length))


def pairs():
    rng = random.Random(16)
    out = [("", ""), ("", "abc"), ("abc", ""), ("kitten", "sitting"), ("\U0001F600" * 3, "\U0001F601" * 3),
           ("a" * 3000, "a" * 2999 + "b"), ("x" * 5000, "y" * 70), ("  lead  trail ", "lead trail"),
           ("\u4e2d\u6587" * 400, "\u6587\u4e2d" * 400), ("a\u3000b", "a b")]
    for _ in range(2000):
        out.append((random_text(rng, rng.randrange(0, 40)), random_text(rng, rng.randrange(0, 40))))
    for _ in range(20):
        base = random_text(rng, rng.randrange(200, 1500))
        edited = list(base)
        for _ in range(rng.randrange(0, 50)):
            edited[rng.randrange(len(edited))] = random_text(rng, 1)
        out.append((base, "".join(edited)))
    return out


def test_ocr_reward_equals_levenshtein_formula():
    ps = pairs()
    expected = [reference_reward(a, b) for a, b in ps]
    assert [rewards.ocr_reward(a, b) for a, b in ps] == pytest.approx(expected, abs=1e-12)
    assert rewards.ocr_rewards([a for a, _ in ps], [b for _, b in ps]) == pytest.approx(expected, abs=1e-12)
    for a, b in ps[:300]:
        assert rewards.levenshtein_distance(a, b) == Levenshtein.distance(a, b)


def test_ocr_reward_options():
    assert rewards.ocr_reward("<think>x</think> abc", "abc") == 1.0
    assert rewards.ocr_reward("<think>x</think> abc", "abc", strip_thinking=False) < 1.0
    assert rewards.ocr_reward("a  b", "a b", normalization="none") < 1.0
    with pytest.raises(Exception, match="normalization"):
        rewards.ocr_reward("a", "a", normalization="case")
    with pytest.raises(Exception, match="completions"):
        rewards.ocr_rewards(["a"], [])


@pytest.mark.parametrize("completion, expected", [
    ("<think>because</think>42", 1.0),
    ("\n <think>a\nb</think>\n answer", 1.0),
    ("<think>x</think>   ", 0.0),
    ("42", 0.0),
    ("<think>x</think><think>y</think>z", 0.0),
    ("</think>x<think>", 0.0),
    ("pre <think>x</think> y", 0.0),
    ("", 0.0),
])
def test_format_reward(completion, expected):
    assert rewards.format_reward(completion) == expected
    assert rewards.format_rewards([completion]) == [expected]


def test_swift_plugin_classes():
    completions = ["<think>r</think>In the beginning", "In the begining", "<think>r</think>"]
    solution = ["In the beginning"] * 3
    ocr = swift_plugin.GlyphOcrReward()(completions, solution=solution, question=["q"] * 3)
    assert ocr[0] == 1.0 and ocr[1] == pytest.approx(1 - 1 / 16) and ocr[2] == 0.0
    assert swift_plugin.GlyphFormatReward()(completions) == [1.0, 0.0, 0.0]
    chat = [[{"role": "assistant", "content": "In the beginning"}]]
    assert swift_plugin.GlyphOcrReward()(chat, solution=solution[:1]) == [1.0]
    with pytest.raises(KeyError, match="solution"):
        swift_plugin.GlyphOcrReward()(completions)
    assert set(swift_plugin.REWARDS) == {"glyph_ocr", "glyph_format", "glyph_judge"}


def test_verl_compute_score(monkeypatch):
    monkeypatch.delenv("GLYPH_JUDGE_ENDPOINT", raising=False)
    assert verl_reward.compute_score("glyph_ocr", "abcd", "abce") == pytest.approx(0.75)
    assert verl_reward.compute_score("longbench", "<think>t</think> Paris", "Paris") == 1.0
    assert verl_reward.compute_score("longbench", "Paris", "Paris") == 0.0
    assert verl_reward.compute_score("x", "<think>t</think>a", "", {"glyph_reward": "format"}) == 1.0


class Judge(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible judge: verdict 1 when the prompt's answer contains "Paris"; a
    reply without a verdict when it contains "garble"."""
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        answer = prompt.split("Answer to grade:")[-1]
        verdict = "I cannot say" if "garble" in prompt else ("Verdict: 1" if "Paris" in answer else "0")
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": verdict}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def judge_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Judge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_judge_against_http_server(judge_url, monkeypatch):
    v = rewards.judge_reward("Capital of France?", "Paris", "<think>t</think>Paris", endpoint=judge_url, timeout=10)
    assert v.ok and v.score == 1.0
    v = rewards.judge_reward("Capital of France?", "Paris", "Lyon", endpoint=judge_url, timeout=10)
    assert v.ok and v.score == 0.0
    v = rewards.judge_reward("garble", "Paris", "Paris", endpoint=judge_url, timeout=10, failure_score=0.25)
    assert not v.ok and v.score == 0.25 and v.error
    monkeypatch.setenv("GLYPH_JUDGE_ENDPOINT", judge_url)
    scores = swift_plugin.GlyphJudgeReward()(["Paris", "Rome"], solution=["Paris"] * 2, question=["q", "q"])
    assert scores == [1.0, 0.0]


def test_judge_unreachable_is_a_score_not_an_exception():
    v = rewards.judge_reward("q", "a", "a", endpoint="http://127.0.0.1:9/v1", timeout=2, retries=0)
    assert not v.ok and v.score == 0.0 and v.error
