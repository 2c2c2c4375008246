#!/usr/bin/python3
"""Rendering throughput of the Python package against the CLI, and two Python threads against one.

Run after building (the package is in build/python):
  python3 bench/python_speed.py [--chars 524288] [--repeat 3] [--glyph build/glyph]
Prints one JSON object: best wall and CPU seconds of each way (same run, alternating; CPU time
includes the CLI child process), characters per second, the Python/CLI ratio, and the two-thread ratio (two texts in two threads / one text in
one thread: 1.0 is perfect overlap, 2.0 is no overlap; each render has one raster worker).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "build", "python"))
import glyph  # noqa: E402


def cpu_seconds():
    """CPU time of this process and of its finished children (the CLI runs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn):
    """Wall and CPU seconds of fn(); CPU time is the fairer figure on a loaded machine."""
    w0, c0 = time.perf_counter(), cpu_seconds()
    fn()
    return time.perf_counter() - w0, cpu_seconds() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=512 * 1024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--glyph", default=os.path.join(ROOT, "build", "glyph"))
    ap.add_argument("--config", default=os.path.join(ROOT, "config", "config_en.json"))
    ap.add_argument("--input", default=os.path.join(ROOT, "examples", "kjv.txt"))
    args = ap.parse_args()

    with open(args.input, encoding="utf-8") as f:
        whole = f.read(2 * args.chars)
    texts = [whole[:args.chars], whole[args.chars:]]
    work = tempfile.mkdtemp(prefix="glyph-pybench-")
    try:
        text_path = os.path.join(work, "text.txt")
        with open(text_path, "w", encoding="utf-8") as f:
            f.write(texts[0])

        def cli():  # the whole command: process start, reading, rendering, PNG files
            subprocess.run([args.glyph, "render", "--config", args.config, "--input", text_path,
                            "--out", os.path.join(work, "cli"), "--id", "kjv", "--quiet"],
                           check=True, stdout=subprocess.DEVNULL)

        def python_files():  # the drop-in: reading, rendering, PNG files
            with open(text_path, encoding="utf-8") as f:
                glyph.text_to_images(f.read(), os.path.join(work, "py"), config_path=args.config, unique_id="kjv")

        def python_memory():
            glyph.render(texts[0], args.config)

        renderer = glyph.Renderer(args.config, threads=1)

        def one_thread():
            renderer.render(texts[0])

        def two_texts_in_turn():
            for t in texts:
                renderer.render(t)

        def two_threads():
            threads = [threading.Thread(target=renderer.render, args=(t,)) for t in texts]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        ways = {"cli_files": cli, "python_files": python_files, "python_memory": python_memory,
                "python_one_text_one_thread": one_thread, "python_two_texts_in_turn": two_texts_in_turn,
                "python_two_texts_two_threads": two_threads}
        best = {k: float("inf") for k in ways}
        best_cpu = dict(best)
        for _ in range(args.repeat):
            for name, fn in ways.items():
                wall, cpu = timed(fn)
                best[name] = min(best[name], wall)
                best_cpu[name] = min(best_cpu[name], cpu)
        pages = len(os.listdir(os.path.join(work, "cli", "kjv")))
        same = all(open(os.path.join(work, d, "kjv", p), "rb").read() == open(os.path.join(work, "cli", "kjv", p), "rb").read()
                   for d in ("py",) for p in os.listdir(os.path.join(work, "cli", "kjv")))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(json.dumps({
        "characters": args.chars, "pages": pages, "files_identical": same, "cores": os.cpu_count(),
        "seconds": {k: round(v, 4) for k, v in best.items()},
        "cpu_seconds": {k: round(v, 4) for k, v in best_cpu.items()},
        "chars_per_second": {k: round(args.chars / v) for k, v in best.items() if "two" not in k},
        "python_files_over_cli": round(best["python_files"] / best["cli_files"], 3),
        "python_files_over_cli_cpu": round(best_cpu["python_files"] / best_cpu["cli_files"], 3),
        "two_threads_over_one": round(best["python_two_texts_two_threads"] / best["python_one_text_one_thread"], 3),
        "two_threads_over_in_turn": round(best["python_two_texts_two_threads"] / best["python_two_texts_in_turn"], 3),
    }, indent=1))


if __name__ == "__main__":
    main()
