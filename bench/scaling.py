#!/usr/bin/python3
"""Time and peak memory of `glyph render` against input size, for the input shapes that used to
be quadratic: one giant paragraph, one giant word, only newlines, CJK without spaces.

  python3 bench/scaling.py [--glyph build/glyph] [--sizes 1,2,4,8] [--shapes all] [--timeout 120]
                           [--baseline OTHER_GLYPH]

Each run is one `glyph render` process (PNG files written to a temporary folder); the table
gives wall and CPU seconds (user + sys), peak RSS and pages. A run that passes --timeout is
stopped and shown as such. --baseline renders each input with another glyph binary too (an
older build), one after the other, and adds its figures in the same table. Inputs are made from examples/kjv.txt and Debian's fortunes-zh.
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MB = 1 << 20


def repeat_to(data, size):
    """`data` repeated and cut to `size` bytes (on a UTF-8 character boundary)."""
    out = (data * (size // len(data) + 1))[:size]
    while out and (out[-1] & 0xC0) == 0x80:  # do not end inside a UTF-8 sequence
        out = out[:-1]
    if out and out[-1] >= 0xC0:
        out = out[:-1]
    return out


def make_inputs(shape, size):
    kjv = open(os.path.join(ROOT, 'examples', 'kjv.txt'), 'rb').read()
    if shape == 'kjv':  # the control: ordinary lines
        return repeat_to(kjv, size), 'config_en.json'
    if shape == 'paragraph':  # every newline a space: one paragraph
        return repeat_to(kjv.replace(b'\n', b' '), size), 'config_en.json'
    if shape == 'base64':  # one word without spaces
        return repeat_to(base64.b64encode(kjv[:3 * MB]), size), 'config_en.json'
    if shape == 'aaaa':
        return b'a' * size, 'config_en.json'
    if shape == 'newlines':
        return b'\n' * size, 'config_en.json'
    if shape in ('cjk', 'cjk_markup'):  # Chinese without any whitespace: one paragraph
        zh = open('/usr/share/games/fortunes/chinese', 'rb').read().decode('utf-8', 'replace')
        zh = re.sub(r'\s+', '', zh.replace('%', ''))
        if shape == 'cjk':  # no & < >: a one-piece paragraph (cjk_markup keeps them)
            zh = re.sub('[&<>]', '', zh)
        return repeat_to(zh.encode(), size), 'config_zh.json'
    raise SystemExit('unknown shape ' + shape)


SHAPES = ['kjv', 'paragraph', 'base64', 'aaaa', 'newlines', 'cjk', 'cjk_markup']


def run(glyph, cfg, path, out, timeout):
    cmd = ['/usr/bin/time', '-v', glyph, 'render', '--config', cfg, '--input', path, '--out', out, '--quiet',
           '--force', '--max-pages', '1000000']
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if r.returncode:
        raise SystemExit(r.stderr)
    num = lambda key: float(re.search(re.escape(key) + r': ([\d.:]+)', r.stderr).group(1))
    wall = r.stderr.split('Elapsed (wall clock) time (h:mm:ss or m:ss): ')[1].split('\n')[0]
    parts = [float(x) for x in wall.split(':')]
    wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {'wall_s': round(wall_s, 3), 'cpu_s': round(num('User time (seconds)') + num('System time (seconds)'), 3),
            'peak_rss_mb': round(num('Maximum resident set size (kbytes)') / 1024, 1),
            'pages': json.loads(r.stdout)['page_count']}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--glyph', default=os.path.join(ROOT, 'build', 'glyph'))
    ap.add_argument('--sizes', default='1,2,4,8', help='MB, comma separated')
    ap.add_argument('--shapes', default=','.join(SHAPES))
    ap.add_argument('--timeout', type=float, default=120, help='seconds per run before it is stopped')
    ap.add_argument('--json', action='store_true', help='one JSON object per run instead of the table')
    ap.add_argument('--baseline', help='another glyph binary to run on the same inputs (e.g. an older build)')
    args = ap.parse_args()
    binaries = [('glyph', args.glyph)] + ([('baseline', args.baseline)] if args.baseline else [])
    tmp = tempfile.mkdtemp(prefix='glyph-scaling-')
    try:
        print('| binary | shape | MB | wall s | CPU s | peak RSS MB | pages |')
        print('|---|---|---|---|---|---|---|')
        for shape in args.shapes.split(','):
            for mb in [float(s) for s in args.sizes.split(',')]:
                data, cfg = make_inputs(shape, int(mb * MB))
                path = os.path.join(tmp, 'input.txt')
                open(path, 'wb').write(data)
                for label, glyph in binaries:
                    res = run(glyph, os.path.join(ROOT, 'config', cfg), path, os.path.join(tmp, 'out'), args.timeout)
                    shutil.rmtree(os.path.join(tmp, 'out'), ignore_errors=True)
                    if args.json:
                        print(json.dumps({'binary': label, 'shape': shape, 'mb': mb,
                                          **(res or {'timeout_s': args.timeout})}), flush=True)
                    elif res is None:
                        print('| %s | %s | %g | > %g (stopped) | | | |' % (label, shape, mb, args.timeout), flush=True)
                    else:
                        print('| %s | %s | %g | %.2f | %.2f | %.0f | %d |' % (
                            label, shape, mb, res['wall_s'], res['cpu_s'], res['peak_rss_mb'], res['pages']),
                              flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
