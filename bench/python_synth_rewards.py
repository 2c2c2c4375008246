#!/usr/bin/python3
"""glyph.rewards against python3-levenshtein, and glyph.synth in one process against Dask.

Run after building (the package is in build/python):
  PYTHONPATH=build/python python3 bench/python_synth_rewards.py [--pairs 2000] [--len 3000] [--samples 40] [--text examples/kjv.txt]
Prints one JSON object:
- rewards: OCR-like pairs (a KJV stretch of LEN code points against a copy with 2% edits); best
  of 3 wall seconds for glyph.rewards.ocr_rewards (one call) and for a Python loop over
  Levenshtein.distance with the same formula; pairs/second and the ratio (rewards checked equal).
- synth: SAMPLES ocr samples (document styles, 1 page) rendered by glyph.synth.run (threads=2)
  and by run_dask on LocalCluster(n_workers=2, threads_per_worker=1) with threads=1; pages/second
  of each (the cluster's start-up not counted) and whether the folders are byte-identical.
"""
import argparse
import json
import os
import random
import tempfile
import time

import Levenshtein

from glyph import rewards, synth

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KJV = os.path.join(ROOT, "examples", "kjv.txt")


def pairs(text_path, count, length):
    text = open(text_path, encoding="utf-8").read()
    rng = random.Random(1)
    out = []
    for _ in range(count):
        start = rng.randrange(len(text) - length)
        a = text[start:start + length]
        b = list(a)
        for _ in range(length // 50):
            b[rng.randrange(length)] = rng.choice("abcdefghij ")
        out.append((a, "".join(b)))
    return out


def python_reward(a, b):
    a, b = " ".join(a.split()), " ".join(b.split())
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - Levenshtein.distance(a, b) / longest


def best(fn, runs=3):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def tree(root):
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = open(path, "rb").read()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--len", type=int, default=3000)
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--text", default=KJV, help="source text (default examples/kjv.txt)")
    args = ap.parse_args()

    ps = pairs(args.text, args.pairs, args.len)
    completions, references = [a for a, _ in ps], [b for _, b in ps]
    glyph_s, glyph_r = best(lambda: rewards.ocr_rewards(completions, references))
    python_s, python_r = best(lambda: [python_reward(a, b) for a, b in ps])
    assert all(abs(x - y) < 1e-12 for x, y in zip(glyph_r, python_r))

    from dask.distributed import Client, LocalCluster
    options = dict(tasks=["ocr"], samples=args.samples, seed=1, shard_size=max(1, args.samples // 8), max_pages=1,
                   styles=["document"], relative=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        single = synth.run([args.text], os.path.join(tmp, "single"), threads=2, **options)
        single_s = time.perf_counter() - t
        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            t = time.perf_counter()
            synth.run_dask(client, [args.text], os.path.join(tmp, "dask"), threads=1, **options)
            dask_s = time.perf_counter() - t
        # threads is recorded in neither file, so the folders compare equal.
        same = tree(os.path.join(tmp, "single")) == tree(os.path.join(tmp, "dask"))
    pages = single["pages"]
    print(json.dumps({
        "rewards": {"pairs": args.pairs, "len": args.len, "glyph_s": round(glyph_s, 4), "levenshtein_s": round(python_s, 4),
                    "glyph_pairs_per_s": round(args.pairs / glyph_s), "levenshtein_pairs_per_s": round(args.pairs / python_s),
                    "speedup": round(python_s / glyph_s, 2)},
        "synth": {"samples": args.samples, "pages": pages, "single_s": round(single_s, 2), "dask_s": round(dask_s, 2),
                  "single_pages_per_s": round(pages / single_s, 2), "dask_pages_per_s": round(pages / dask_s, 2),
                  "identical": same},
    }, indent=1))


if __name__ == "__main__":
    main()
