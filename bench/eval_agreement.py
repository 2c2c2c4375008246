#!/usr/bin/python3
"""Per-item agreement of `glyph eval` with thu-coai/Glyph's evaluation scripts.

Serves the stored replies of tests/data/eval_protocol from a local OpenAI-compatible replay
server (each request answered with the reply of the item whose text it contains; null
content where the reply is null), runs `GLYPH eval` on the three suites against it in text
mode, and compares every item with expected.json (what Glyph's own scripts made of the same
replies). With --score-only the replies are scored from the file instead (no server).

  python3 bench/eval_agreement.py [--glyph build/glyph] [--score-only]
"""
import argparse, json, os, subprocess, sys, tempfile, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "tests", "data", "eval_protocol")


def rows(name):
    with open(os.path.join(CASES, name), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def replay_server():
    replies = {r["id"]: r["reply"] for r in rows("replies.jsonl")}
    keys = []  # (parts that identify an item, id)
    for name, idf, fields in (("longbench.jsonl", "_id", ("context", "input")), ("mrcr.jsonl", "unique_id", ("context", "question")),
                              ("ruler.jsonl", "id", ("question",))):
        for r in rows(name):
            parts = [r[f].strip() for f in fields]
            if name == "longbench.jsonl":  # the filled template holds the context with {input} replaced
                parts[0] = parts[0].replace("{input}", r["input"].strip())
            keys.append((parts, r[idf]))

    def find(text):
        best = None
        for parts, i in keys:
            if all(p in text for p in parts) and (best is None or sum(map(len, parts)) > best[0]):
                best = (sum(map(len, parts)), i)
        return best[1] if best else None

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            text = "\n".join(m["content"] if isinstance(m["content"], str) else "\n".join(p.get("text", "") for p in m["content"])
                             for m in body["messages"])
            out = json.dumps({"choices": [{"message": {"role": "assistant", "content": replies.get(find(text), "")}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def agreement(expected, suite, run_dir):
    recs = {}
    with open(os.path.join(run_dir, "items.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            recs[r["id"]] = r
    agree, differ = 0, []
    for i, e in expected[suite]["items"].items():
        r = recs.get(i, {})
        if e.get("dropped"):
            ok = "score" not in r and r.get("status") != "failed"
        else:
            ok = r.get("status") == "ok" and r.get("score") == e["score"]
        agree += ok
        if not ok:
            differ.append(i)
    return agree, len(expected[suite]["items"]), differ


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glyph", default=os.path.join(HERE, "..", "build", "glyph"))
    ap.add_argument("--score-only", action="store_true")
    a = ap.parse_args()
    expected = json.load(open(os.path.join(CASES, "expected.json"), encoding="utf-8"))
    server = None if a.score_only else replay_server()
    out = tempfile.mkdtemp(prefix="glyph-agreement-")
    for suite in ("longbench", "mrcr", "ruler"):
        cmd = [a.glyph, "eval", "--suite", suite, "--data", os.path.join(CASES, suite + ".jsonl"), "--mode", "text",
               "--out", os.path.join(out, suite), "--quiet"]
        if suite == "longbench":
            cmd += ["--prompts", os.path.join(CASES, "longbench_prompts.json"), "--page-prompts", os.path.join(CASES, "longbench_page_prompts.json")]
        if a.score_only:
            cmd += ["--score-only", "--replies", os.path.join(CASES, "replies.jsonl")]
        else:
            cmd += ["--endpoint", f"http://127.0.0.1:{server.server_port}"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode not in (0, 3):
            sys.exit(f"{' '.join(cmd)}\n{run.stderr}")
        agree, total, differ = agreement(expected, suite, os.path.join(out, suite))
        print(f"{suite:10s} {agree}/{total} items agree with Glyph's scripts" + (f"; differ: {', '.join(differ[:6])}" + (" ..." if len(differ) > 6 else "") if differ else ""))
    if server:
        server.shutdown()


if __name__ == "__main__":
    main()
