#!/usr/bin/python3
"""PNG size and encode time per page: glyph's text-page encoder (the default) and libdeflate at
levels 0, 1, 6 against Pillow's PNG save on the same pages (decoded pixels checked identical).

  python3 bench/png_encoders.py [--glyph build/glyph] [--config config/config_en.json]
                                [--text examples/kjv.txt] [--chars 524288] [--levels 0,1,6]

glyph's encode time is the render summary's stage_seconds.encode (CPU time of one worker
thread, summed over pages; filtering, deflate, CRC and Adler-32 included); Pillow's is CPU time (process_time) around Image.save (compress_level 1 and 6) on the decoded pages;
zlib's (default and run-length strategies) around compress of the same filtered rows.
Needs Debian's python3-pil and python3-numpy (run with /usr/bin/python3).
"""
import argparse
import glob
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import zlib

import numpy

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--glyph', default=os.path.join(ROOT, 'build', 'glyph'))
    ap.add_argument('--config', default=os.path.join(ROOT, 'config', 'config_en.json'))
    ap.add_argument('--text', default=os.path.join(ROOT, 'examples', 'kjv.txt'))
    ap.add_argument('--chars', type=int, default=512 * 1024)
    ap.add_argument('--levels', default='0,1,6')
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='glyph-png-')
    try:
        text = os.path.join(tmp, 'in.txt')
        open(text, 'w').write(open(args.text, encoding='utf-8').read()[:args.chars])
        rows, pixels = [], None
        for level in [None] + [int(x) for x in args.levels.split(',')]:
            out = os.path.join(tmp, 'text' if level is None else 'l%d' % level)
            cmd = [args.glyph, 'render', '--config', args.config, '--input', text, '--out', out, '--quiet',
                   '--threads', '1']
            if level is not None:
                cmd += ['--png-level', str(level)]
            r = subprocess.run(cmd, capture_output=True, text=True, check=True)
            s = json.loads(r.stdout)
            files = sorted(glob.glob(os.path.join(out, '*', '*.png')))
            decoded = [Image.open(f).tobytes() for f in files]
            if pixels is None:
                pixels = decoded
            name = 'glyph text-page encoder (default)' if level is None else 'glyph libdeflate level %d' % level
            assert decoded == pixels, '%s decodes to other pixels' % name
            rows.append((name, sum(os.path.getsize(f) for f in files), s['stage_seconds']['encode'], len(files)))
            if level == 1:
                images = [Image.open(f) for f in files]
                for im in images:
                    im.load()
        for pil_level in (1, 6):
            t0 = time.process_time()
            size = 0
            for im in images:
                b = io.BytesIO()
                im.save(b, format='PNG', compress_level=pil_level)
                size += b.tell()
            rows.append(('Pillow compress_level %d' % pil_level, size, time.process_time() - t0, len(images)))
        # zlib's run-length strategy (what a text-page encoder could build on) on the same
        # rows, filtered "Up" as glyph filters them.
        for name, strategy in (('zlib level 1 default strategy', zlib.Z_DEFAULT_STRATEGY),
                               ('zlib level 1 Z_RLE', zlib.Z_RLE)):
            size, secs = 0, 0.0
            for im in images:
                a = numpy.frombuffer(im.tobytes(), dtype=numpy.uint8).reshape(im.height, -1)
                f = numpy.empty((a.shape[0], a.shape[1] + 1), dtype=numpy.uint8)
                f[:, 0] = 2
                f[0, 0] = 0
                f[0, 1:] = a[0]
                f[1:, 1:] = a[1:] - a[:-1]
                raw = f.tobytes()
                t0 = time.process_time()
                c = zlib.compressobj(1, zlib.DEFLATED, 15, 8, strategy)
                size += len(c.compress(raw) + c.flush())
                secs += time.process_time() - t0
            rows.append(('%s (Up-filtered rows, IDAT only)' % name, size, secs, len(images)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('%d pages of %d characters; decoded pixels identical across glyph encoders' % (rows[0][3], args.chars))
    print('| encoder | KB per page | ms per page |')
    print('|---|---|---|')
    for name, size, secs, pages in rows:
        print('| %s | %.1f | %.2f |' % (name, size / 1024 / pages, secs * 1e3 / pages))


if __name__ == '__main__':
    main()
