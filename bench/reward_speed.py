#!/usr/bin/python3
"""OCR reward throughput: `glyph reward ocr` against python3-levenshtein, same pairs, same run.

Pairs look like OCR of a rendered page: a stretch of KJV or Chinese fortunes (LEN code points)
against a copy with EDITS% random character edits, plus short pairs. Both compute
1 - distance / max(len) after " ".join(s.split()); the rewards are checked equal. Python's
time is its loop alone (CPU seconds); glyph's is the whole process in CPU seconds (reading the
JSONL included), and its own timing of the reward loop. Best of RUNS.
  python3 bench/reward_speed.py [--pairs 2000] [--len 3000] [--edits 2] [--runs 3]
"""
import argparse
import json
import os
import random
import resource
import subprocess
import tempfile
import time

import Levenshtein

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GLYPH = os.path.join(ROOT, 'build', 'glyph')


def sources():
    kjv = open(os.path.join(ROOT, 'examples/kjv.txt'), encoding='utf-8').read()
    zh = open('/usr/share/games/fortunes/chinese', encoding='utf-8', errors='replace').read()
    return [kjv, zh]


def mutate(rng, s, edits, alphabet):
    s = list(s)
    for _ in range(edits):
        at = rng.randrange(len(s) + 1)
        op = rng.randrange(3)
        if op == 0:
            s.insert(at, rng.choice(alphabet))
        elif at < len(s):
            if op == 1:
                del s[at]
            else:
                s[at] = rng.choice(alphabet)
    return ''.join(s)


def make_pairs(n, length, edit_percent):
    rng = random.Random(1)
    texts = sources()
    pairs = []
    for i in range(n):
        text = texts[i % 2]
        size = length if i % 4 else rng.randrange(10, 200)
        start = rng.randrange(len(text) - size)
        ref = text[start:start + size]
        pairs.append((mutate(rng, ref, max(1, size * edit_percent // 100), ref), ref))
    return pairs


def python_rewards(pairs):
    out = []
    for a, b in pairs:
        a, b = ' '.join(a.split()), ' '.join(b.split())
        longest = max(len(a), len(b))
        out.append(1.0 if longest == 0 else 1.0 - Levenshtein.distance(a, b) / longest)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pairs', type=int, default=2000)
    ap.add_argument('--len', type=int, default=3000)
    ap.add_argument('--edits', type=int, default=2)
    ap.add_argument('--runs', type=int, default=3)
    args = ap.parse_args()
    pairs = make_pairs(args.pairs, args.len, args.edits)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'pairs.jsonl')
        with open(path, 'w', encoding='utf-8') as f:
            for a, b in pairs:
                f.write(json.dumps({'completion': a, 'solution': b}) + '\n')
        best_py = best_glyph_cpu = best_glyph_loop = float('inf')
        for _ in range(args.runs):
            t0 = time.process_time()
            expected = python_rewards(pairs)
            best_py = min(best_py, time.process_time() - t0)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = subprocess.run([GLYPH, 'reward', 'ocr', '--input', path, '--keep-thinking'],
                               capture_output=True, text=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            best_glyph_cpu = min(best_glyph_cpu, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            best_glyph_loop = min(best_glyph_loop, float(r.stderr.split(' rows in ')[1].split(' s')[0]))
            got = [json.loads(line)['reward'] for line in r.stdout.splitlines()]
            assert got == expected, 'glyph and python3-levenshtein disagree'
    chars = sum(len(b) for _, b in pairs)
    print(json.dumps({
        'pairs': len(pairs), 'reference_code_points': chars, 'edit_percent': args.edits,
        'python_levenshtein_cpu_s': round(best_py, 4),
        'glyph_process_cpu_s': round(best_glyph_cpu, 4),
        'glyph_reward_loop_s': round(best_glyph_loop, 4),
        'python_pairs_per_s': round(len(pairs) / best_py),
        'glyph_pairs_per_s_process': round(len(pairs) / best_glyph_cpu),
        'glyph_pairs_per_s_loop': round(len(pairs) / best_glyph_loop),
        'speedup_process': round(best_py / best_glyph_cpu, 2),
        'speedup_loop': round(best_py / best_glyph_loop, 2),
        'equal_rewards': True,
    }, indent=1))


if __name__ == '__main__':
    main()
