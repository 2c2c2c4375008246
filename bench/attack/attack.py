#!/usr/bin/env python3
"""Hostile clients, bad backends and bad files against `glyph serve` on loopback.

Replays each case of issue 12 and prints a table: case, status codes, gateway RSS before /
peak / after (MiB), whether the gateway is still alive, and whether the case held (the
expected status codes, the gateway alive). Python 3 standard library only.

  python3 bench/attack/attack.py --glyph build/glyph            # full mode (minutes)
  python3 bench/attack/attack.py --glyph build/glyph --short    # CI mode (seconds)

Exit status 1 when a case did not hold (RSS and latency are reported, never asserted).
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "attack-key"
# Under an ASan build (CI's build-asan) the suite checks behaviour; leaks are the gtest
# suites' job, and a process killed mid-request would report its live buffers as leaks.
os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")


# ---------------------------------------------------------------- a scriptable backend
class Backend:
    """A VLM stand-in whose /v1/chat/completions misbehaves as `mode` says."""

    def __init__(self):
        self.mode = "normal"
        self.slow_seconds = 2.0
        self.huge_bytes = 100 << 20
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def reply(self, status, body, ctype="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self.reply(200, json.dumps({"data": [{"id": "glyph", "max_model_len": 65536}]}).encode())

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                mode = backend.mode
                ok = json.dumps({"choices": [{"message": {"role": "assistant", "content": "ok"}}]}).encode()
                try:
                    if mode == "slow":
                        time.sleep(backend.slow_seconds)
                    if mode == "invalid":
                        return self.reply(200, b"this is not JSON {")
                    if mode == "huge":
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(backend.huge_bytes))
                        self.end_headers()
                        chunk = b" " * (1 << 20)
                        for _ in range(backend.huge_bytes >> 20):
                            self.wfile.write(chunk)
                        return
                    if mode == "drip":
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", "1000")
                        self.end_headers()
                        for _ in range(1000):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(1.0)
                        return
                    if json.loads(body).get("stream"):
                        self.send_response(200)
                        self.send_header("Content-Type", "text/event-stream")
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for i in range(60 if mode == "longstream" else 3):
                            ev = b'data: {"choices":[{"delta":{"content":"x"}}]}\n\n'
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(ev), ev))
                            self.wfile.flush()
                            time.sleep(0.1 if mode == "longstream" else 0)
                        self.wfile.write(b"0\r\n\r\n")
                        return
                    self.reply(200, ok)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# ---------------------------------------------------------------- the gateway process
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Gateway:
    def __init__(self, glyph, backend_url, extra=(), key=KEY):
        self.port = free_port()
        env = dict(os.environ, GLYPH_API_KEY=key)
        self.cmd = [glyph, "serve", "--listen", "127.0.0.1:%d" % self.port, "--backend", backend_url,
                    "--config", os.path.join(ROOT, "config", "config_en.json"), "--max-model-len", "65536",
                    "--quiet", *extra]
        self.proc = subprocess.Popen(self.cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("gateway exited: " + self.proc.stderr.read().decode())
                time.sleep(0.025)
        raise RuntimeError("gateway did not start")

    def rss_mib(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def alive(self):
        if self.proc.poll() is not None:
            return False
        try:
            return request(self.port, "GET", "/healthz", timeout=10)[0] in (200, 503)
        except OSError:
            return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request(port, method, path, body=None, headers=None, timeout=60):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Authorization": "Bearer " + KEY}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data, dict(r.getheaders())


def chat_body(text, extra=None):
    req = {"model": "glyph", "messages": [{"role": "user", "content": [{"type": "text", "text": text},
                                                                         {"type": "text", "text": "Q?"}]}]}
    req.update(extra or {})
    return json.dumps(req)


def raw(port, data, read_for=5.0):
    """Sends raw bytes and returns what came back (until close or `read_for` seconds)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_for)
    try:
        s.sendall(data)
    except OSError:
        pass
    out = b""
    end = time.time() + read_for
    try:
        while time.time() < end:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except OSError:
        pass
    s.close()
    return out


def statuses(data):
    import re
    return [int(m) for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]


# ---------------------------------------------------------------- the cases
class Runner:
    def __init__(self, args):
        self.args = args
        self.short = args.short
        self.rows = []

    def case(self, name, gw, fn, expect):
        """Runs fn() -> list of status codes while sampling RSS; expect(codes) -> bool."""
        before = gw.rss_mib() if gw else 0
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], gw.rss_mib())
                time.sleep(0.02)

        if gw:
            threading.Thread(target=sample, daemon=True).start()
        t0 = time.time()
        try:
            codes, note = fn()
        except Exception as e:  # a case that raised did not hold
            codes, note = ["error: %s" % e], ""
        done.set()
        time.sleep(0.1)
        after = gw.rss_mib() if gw else 0
        alive = gw.alive() if gw else True
        held = alive and expect(codes)
        self.rows.append((name, summarize(codes), before, peak[0], after, alive, held, time.time() - t0, note))
        print("  %-28s %-30s %s" % (name, summarize(codes), "held" if held else "NOT HELD"), flush=True)

    def table(self):
        print("\n| case | status codes | RSS before / peak / after (MiB) | alive | held | seconds | note |")
        print("|---|---|---|---|---|---|---|")
        for name, codes, b, p, a, alive, held, secs, note in self.rows:
            print("| %s | %s | %.0f / %.0f / %.0f | %s | %s | %.1f | %s |" %
                  (name, codes, b, p, a, "yes" if alive else "NO", "yes" if held else "NO", secs, note))
        return all(r[6] for r in self.rows)


def summarize(codes):
    counts = {}
    for c in codes:
        counts[c] = counts.get(c, 0) + 1
    return ", ".join("%s x%d" % (c, n) if n > 1 else str(c) for c, n in sorted(counts.items(), key=str))


def only(*allowed):
    return lambda codes: bool(codes) and all(c in allowed for c in codes)


def hostile_json_cases(r, gw):
    depth = 60000
    nested = "[" * depth + "]" * depth
    base = json.loads(chat_body("hello"))
    r.case("deep JSON (60,000 arrays)", gw,
           lambda: ([request(gw.port, "POST", "/v1/chat/completions",
                             json.dumps(base)[:-1] + ', "x": ' + nested + "}")[0]], ""), only(400))
    r.case("deep JSON in glyph.render", gw,
           lambda: ([request(gw.port, "POST", "/v1/chat/completions",
                             json.dumps(base)[:-1] + ', "glyph": {"render": ' + nested + "}}")[0]], ""), only(400))
    r.case("invalid UTF-8", gw, lambda: ([request(gw.port, "POST", "/v1/chat/completions",
                                                  chat_body("x").encode().replace(b'"x"', b'"\xff\xfe"'))[0]], ""),
           only(400))
    r.case("number 1e999999", gw, lambda: ([request(gw.port, "POST", "/v1/chat/completions",
                                                    chat_body("x")[:-1] + ', "max_tokens": 1e999999}')[0]], ""),
           only(400))
    r.case('"stream": "yes"', gw, lambda: ([request(gw.port, "POST", "/v1/chat/completions",
                                                    chat_body("x", {"stream": "yes"}))[0]], ""), only(400))
    r.case("negative max_tokens", gw, lambda: ([request(gw.port, "POST", "/v1/chat/completions",
                                                        chat_body("x", {"max_tokens": -100000}))[0]], ""), only(400))
    for name, url in (("image_url file://", "file:///etc/passwd"), ("image_url http://:22", "http://127.0.0.1:22/"),
                      ("image_url bad base64", "data:image/png;base64,!!!not-base64")):
        body = json.dumps({"model": "glyph", "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": url}}, {"type": "text", "text": "what?"}]}]})
        r.case(name, gw, lambda b=body: ([request(gw.port, "POST", "/v1/chat/completions", b)[0]], ""), only(400))


def http_cases(r, gw, body_limit_mb):
    auth = ("Authorization: Bearer %s\r\n" % KEY).encode()

    def chunked_over_limit():
        total = (body_limit_mb + 2) << 20
        head = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth +
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        s = socket.create_connection(("127.0.0.1", gw.port), timeout=30)
        s.sendall(head)
        chunk = b"%x\r\n%s\r\n" % (1 << 16, b" " * (1 << 16))
        sent = 0
        try:
            while sent < total:
                s.sendall(chunk)
                sent += 1 << 16
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        data = b""
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
        except OSError:
            pass
        s.close()
        return statuses(data), "sent %d MiB chunked" % (sent >> 20)

    r.case("chunked body over limit", gw, chunked_over_limit, only(413))

    def gzip_body():
        import gzip
        bomb = gzip.compress(b" " * (100 << 20 if not r.short else 8 << 20))
        st = request(gw.port, "POST", "/v1/chat/completions", bomb, {"Content-Encoding": "gzip"})[0]
        return [st], "%d KB gzip" % (len(bomb) >> 10)

    r.case("gzip body (bomb)", gw, gzip_body, only(415))
    n = 10000 if not r.short else 2000
    r.case("%d headers" % n, gw, lambda: (statuses(raw(gw.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
                                                       b"".join(b"X-%d: y\r\n" % i for i in range(n)) + b"\r\n")), ""),
           only(431))
    big = (50 << 20) if not r.short else (2 << 20)

    def huge_headers():
        codes = []
        for _ in range(4):
            codes += statuses(raw(gw.port, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                  b"a" * big + b"\r\n\r\n"))
        return codes, "4 x %d MiB" % (big >> 20)

    r.case("4 huge headers, no key", gw, huge_headers, only(431))

    def wrong_keys():
        codes = []
        for k in ("", "Bearer x", "Bearer " + KEY[:-1], "Bearer " + KEY + "x", "bearer " + KEY):
            codes.append(request(gw.port, "GET", "/v1/models", headers={"Authorization": k})[0])
        return codes, ""

    r.case("key probing", gw, wrong_keys, only(401))

    def pipelined():
        one = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        last = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        return statuses(raw(gw.port, one + one + last)), ""

    r.case("3 pipelined requests", gw, pipelined, lambda c: c == [200, 200, 200])


def slowloris(r, gw, conns, seconds):
    def run():
        socks = []
        for _ in range(conns):
            try:
                s = socket.create_connection(("127.0.0.1", gw.port), timeout=5)
                s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")
                socks.append(s)
            except OSError:
                break
        stop = threading.Event()

        def drip():
            while not stop.is_set():
                for s in socks:
                    try:
                        s.send(b"X")
                    except OSError:
                        pass
                stop.wait(1.0)

        threading.Thread(target=drip, daemon=True).start()
        lat, codes = [], []
        end = time.time() + seconds
        body = chat_body("a short question that stays text")
        while time.time() < end:
            t = time.time()
            codes.append(request(gw.port, "POST", "/v1/chat/completions", body, timeout=30)[0])
            lat.append((time.time() - t) * 1000)
        stop.set()
        for s in socks:
            s.close()
        lat.sort()
        p50 = lat[len(lat) // 2]
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        return codes, "%d slow conns open; %d normal requests, p50 %.1f ms, p99 %.1f ms" % (len(socks), len(lat), p50, p99)

    r.case("slowloris %d conns" % conns, gw, run, only(200))


def budget_cases(r, glyph, backend):
    # Pages that lose to text, and denser-preset retries, count against --max-pages.
    gw = Gateway(glyph, backend.url, ["--max-pages", "50"])
    parts = 200 if not r.short else 20
    body = json.dumps({"model": "glyph", "messages": [{"role": "user", "content":
                      [{"type": "text", "text": "\n" * 4100} for _ in range(parts)] + [{"type": "text", "text": "Q?"}]}]})
    r.case("%d parts of 4,100 newlines" % parts, gw,
           lambda: ([request(gw.port, "POST", "/v1/chat/completions", body)[0]], ""), only(413))
    gw.stop()

    # One line of Chinese with & < >: the reference re-wraps the whole rest of such a paragraph
    # at every page; a rest that cannot fit in the page limit is refused at the first page
    # instead of being re-wrapped 500 times (minutes of CPU for 16 MB).
    zh_path = "/usr/share/games/fortunes/chinese"
    if os.path.exists(zh_path):
        zh = "".join(open(zh_path, encoding="utf-8", errors="replace").read().replace("%", "").split())
        mb = 16 if not r.short else 4
        text = (zh * ((mb << 20) // len(zh.encode()) + 1))[:(mb << 20) // 3]
        gw = Gateway(glyph, backend.url, [])
        zh_body = chat_body(text)
        r.case("%d MB Chinese line with &<>" % mb, gw,
               lambda: ([request(gw.port, "POST", "/v1/chat/completions", zh_body)[0]], ""), only(400, 413))
        gw.stop()

    # 20 large requests against a slow backend: their pages wait in memory; the memory
    # budget turns the excess away with 429 (300 KB of text is ~100 pages, ~25 MiB held).
    memory_mb = 128
    gw = Gateway(glyph, backend.url, ["--memory-mb", str(memory_mb), "--cache-mb", "64",
                                      "--max-concurrent-renders", "2"])
    backend.mode, backend.slow_seconds = "slow", 15.0

    def burst():
        n = 20 if not r.short else 6
        text = open(os.path.join(ROOT, "examples", "kjv.txt"), encoding="utf-8").read()
        size = 300000
        bodies = [chat_body(text[i * size:(i + 1) * size]) for i in range(n)]
        codes, retry_after = [], []
        lock = threading.Lock()

        def one(b):
            st, _, h = request(gw.port, "POST", "/v1/chat/completions", b, timeout=300)
            with lock:
                codes.append(st)
                if st == 429:
                    retry_after.append(h.get("Retry-After"))

        ts = [threading.Thread(target=one, args=(b,)) for b in bodies]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return codes, "%d x 300 KB text, slow backend, --memory-mb %d; Retry-After %s" % (
            n, memory_mb, sorted(set(map(str, retry_after))))

    r.case("burst, slow backend", gw, burst, only(200, 429))
    backend.mode = "normal"

    def distinct_texts():
        n = 200 if not r.short else 10
        text = open(os.path.join(ROOT, "examples", "kjv.txt"), encoding="utf-8").read()
        codes = [request(gw.port, "POST", "/v1/chat/completions",
                         chat_body(text[i * 20000:(i + 1) * 20000]), timeout=120)[0] for i in range(n)]
        return codes, "%d distinct 20 KB texts, --cache-mb 64" % n

    r.case("cache: distinct texts", gw, distinct_texts, only(200))
    gw.stop()


def backend_cases(r, glyph, backend):
    timeout = 2 if r.short else 10
    gw = Gateway(glyph, backend.url, ["--timeout", str(timeout), "--max-reply-mb", "8"])
    for mode, note in (("drip", "1 byte/s"), ("huge", "100 MiB reply" if not r.short else "16 MiB reply"),
                       ("invalid", "200 with invalid JSON")):
        backend.mode = mode
        backend.huge_bytes = (100 << 20) if not r.short else (16 << 20)

        def run(note=note):
            t = time.time()
            st = request(gw.port, "POST", "/v1/chat/completions", chat_body("x"), timeout=120)[0]
            return [st], "%s; answered in %.1f s (--timeout %d)" % (note, time.time() - t, timeout)

        r.case("backend " + mode, gw, run, only(502))
    backend.mode = "normal"
    gw.stop()

    # Backend down from the start: /healthz says so at once.
    dead = "http://127.0.0.1:%d" % free_port()
    gw = Gateway(glyph, dead)
    time.sleep(0.3)
    r.case("healthz, backend down", gw, lambda: ([request(gw.port, "GET", "/healthz")[0]], ""), only(503))
    gw.stop()


def shutdown_case(r, glyph, backend):
    backend.mode = "longstream"
    gw = Gateway(glyph, backend.url, ["--shutdown-grace", "1"])

    def run():
        c = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=30)
        c.request("POST", "/v1/chat/completions", chat_body("x", {"stream": True}),
                  {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
        resp = c.getresponse()
        resp.read1(100)
        t = time.time()
        gw.proc.send_signal(signal.SIGTERM)
        rest = b""
        try:
            while True:
                b = resp.read1(65536)
                if not b:
                    break
                rest += b
        except Exception:
            pass
        gw.proc.wait(timeout=30)
        ended = b"shutting down" in rest
        return [resp.status], "exit %d after %.1f s (grace 1 s); error event: %s" % (
            gw.proc.returncode, time.time() - t, "yes" if ended else "no")

    r.rows_before = len(r.rows)
    r.case("SIGTERM during a stream", None, run, lambda c: c == [200] and gw.proc.returncode == 0)
    note = r.rows[-1][8]
    if "error event: yes" not in note:  # the stream must end with the error event
        r.rows[-1] = r.rows[-1][:6] + (False,) + r.rows[-1][7:]
    backend.mode = "normal"


def cli_cases(r, glyph):
    tmp = tempfile.mkdtemp()
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    cfg = os.path.join(tmp, "zero_font.json")
    json.dump({"font-path": "/dev/zero"}, open(cfg, "w"))
    text = os.path.join(tmp, "t.txt")
    open(text, "w").write("hello")
    tok = os.path.join(tmp, "tok.json")
    json.dump({"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False},
               "model": {"type": "BPE", "vocab": {"a": 0, "b": 4294967295}, "merges": []}}, open(tok, "w"))
    runs = [("render --config FIFO", ["render", "--config", fifo, "--input", text, "--out", tmp]),
            ("render with /dev/zero font", ["render", "--config", cfg, "--input", text, "--out", tmp]),
            ("count, /dev/zero tokenizer", ["count", "--tokenizer", "/dev/zero", "--input", text]),
            ("count, id 4294967295", ["count", "--tokenizer", tok, "--input", text])]
    for name, args in runs:
        def run(args=args):
            p = subprocess.run([glyph, *args], capture_output=True, timeout=30)
            return [p.returncode], p.stderr.decode(errors="replace").strip().splitlines()[-1][:90]
        r.case(name, None, run, only(2))

    def second_serve():
        port = free_port()
        first = subprocess.Popen([glyph, "serve", "--listen", "127.0.0.1:%d" % port, "--backend", "http://127.0.0.1:9",
                                  "--config", os.path.join(ROOT, "config", "config_en.json"), "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        p = subprocess.run([glyph, "serve", "--listen", "127.0.0.1:%d" % port, "--backend", "http://127.0.0.1:9",
                            "--config", os.path.join(ROOT, "config", "config_en.json")], capture_output=True,
                           timeout=30)
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
        msg = p.stderr.decode().strip().splitlines()[-1]
        return [p.returncode], msg[:90] if "address in use" in msg else "MISSING 'address in use': " + msg[:60]

    r.case("second serve, same port", None, second_serve, only(2))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glyph", default=os.path.join(ROOT, "build", "glyph"))
    ap.add_argument("--short", action="store_true", help="small sizes and counts (CI)")
    ap.add_argument("--slowloris", type=int, default=None, help="slow connections (default 2000, short 200)")
    args = ap.parse_args()
    r = Runner(args)
    backend = Backend()
    body_limit_mb = 8
    print("glyph attack suite (%s mode)" % ("short" if args.short else "full"), flush=True)
    gw = Gateway(args.glyph, backend.url, ["--max-body-mb", str(body_limit_mb)])
    try:
        hostile_json_cases(r, gw)
        http_cases(r, gw, body_limit_mb)
        slowloris(r, gw, args.slowloris or (200 if args.short else 2000), 2 if args.short else 15)
    finally:
        gw.stop()
    if not args.short:
        budget_cases(r, args.glyph, backend)
    backend_cases(r, args.glyph, backend)
    shutdown_case(r, args.glyph, backend)
    cli_cases(r, args.glyph)
    ok = r.table()
    print("\nall cases held" if ok else "\nSOME CASES DID NOT HOLD")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
