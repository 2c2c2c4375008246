#!/usr/bin/python3
"""The OCR reward as Python computes it with python3-levenshtein (the oracle of rewards_test).

Reads JSONL {"a": ..., "b": ...}; writes per pair
{"distance": d, "none": 1 - d / max(len), "whitespace": the same after " ".join(s.split())}.
"""
import json
import sys

import Levenshtein


def reward(a, b):
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - Levenshtein.distance(a, b) / longest


def main():
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            a, b = p["a"], p["b"]
            out.write(json.dumps({
                "distance": Levenshtein.distance(a, b),
                "none": repr(reward(a, b)),
                "whitespace": repr(reward(" ".join(a.split()), " ".join(b.split()))),
            }) + "\n")


if __name__ == "__main__":
    main()
