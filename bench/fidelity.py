#!/usr/bin/python3
"""Fidelity of glyph's renderer against the Glyph reference (reportlab -> PDF -> pdftoppm).

For each case (text x config) it renders both ways and reports page-count agreement,
line-break agreement (reportlab's own lines, via ../shared/reference/ref_lines.py) and
the per-page mean absolute pixel difference.

Setup once (installs the reference's Debian packages and texts into /tmp/refbench):
  bash ../shared/reference/setup.sh GLYPH_GIT_DIR
Run:
  python3 bench/fidelity.py [--glyph build/glyph] [--quick] [--json OUT.json] [--python]
--python also renders each case with the Python package's text_to_images (build/python) and
compares its files with the reference's pages the same way.
Reference results are cached in /tmp/refbench/cache.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'reference'))
B = os.environ.get('REFBENCH', '/tmp/refbench')
RED = '<font color="#FF0000"> \\n </font>'
PY = '/usr/bin/python3'  # Debian's python, with python3-reportlab


def fonts():
    out = {}
    verdana = os.path.join(B, 'glyph', 'config', 'Verdana.ttf')
    if os.path.exists(verdana) and os.path.getsize(verdana):
        out['verdana'] = verdana
    out['dejavu'] = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
    out['wqy'] = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'
    return out


def cases(quick):
    f = fonts()
    latin = [k for k in ('verdana', 'dejavu') if k in f]
    texts_en = ['en_32k'] if quick else ['en_32k', 'en_128k']
    texts_zh = ['zh_32k'] if quick else ['zh_32k', 'zhpoem_32k']
    for t in texts_en:
        for font in latin:
            for dpi in (72, 96):
                for nl in ('br', 'red'):
                    yield t, font, dpi, nl
    for t in texts_zh:
        for dpi in (72, 96):
            for nl in ('br', 'red'):
                yield t, 'wqy', dpi, nl


def base_config():
    with open(os.path.join(B, 'glyph', 'config', 'config_en.json'), encoding='utf-8') as fh:
        return json.load(fh)


def run_reference(cfg_path, text_path, font, dpi, nl, key):
    cache = os.path.join(B, 'cache', key)
    lines = os.path.join(cache, 'lines.json')
    if not os.path.exists(lines):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([PY, os.path.join(SHARED, 'ref_lines.py'), '--config', cfg_path, '--input', text_path,
                        '--out', lines, '--dpi', str(dpi), '--newline', nl, '--font', font,
                        '--glyph-ref', os.path.join(B, 'glyph'), '--png-dir', os.path.join(cache, 'png')],
                       check=True, stdout=subprocess.DEVNULL)
    pngs = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(cache, 'png')) for f in fs
                  if f.endswith('.png'))
    return lines, pngs


def compare_pages(ref_pngs, pngs):
    """Pages of equal size, pixel-identical pages, and each page's mean absolute difference."""
    diffs, size_match, identical_px = [], 0, 0
    for a, b in zip(ref_pngs, pngs):
        ia = np.asarray(Image.open(a).convert('RGB'), dtype=np.int16)
        ib = np.asarray(Image.open(b).convert('RGB'), dtype=np.int16)
        size_match += ia.shape == ib.shape
        h, w = min(ia.shape[0], ib.shape[0]), min(ia.shape[1], ib.shape[1])
        d = np.abs(ia[:h, :w] - ib[:h, :w])
        diffs.append(float(d.mean()))
        identical_px += int((d.max(axis=2) == 0).sum()) == h * w
    return size_match, identical_px, diffs


def our_lines(layout_path):
    """Our layout map -> ref_lines.py's format."""
    with open(layout_path, encoding='utf-8') as fh:
        lay = json.load(fh)
    return [[{'text': l['text']} for l in page['lines']] for page in lay['pages']]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--glyph', default=os.path.join(ROOT, 'build', 'glyph'))
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--json')
    ap.add_argument('--python', action='store_true', help="also check the Python package's text_to_images")
    args = ap.parse_args()
    if args.python:
        sys.path.insert(0, os.path.join(ROOT, 'build', 'python'))
        import glyph
    tmp = tempfile.mkdtemp(prefix='glyph-fid-')
    results = []
    for text_name, font_key, dpi, nl in cases(args.quick):
        font = fonts()[font_key]
        cfg = base_config()
        cfg.update({'dpi': dpi, 'font-path': font, 'newline-markup': RED if nl == 'red' else '<br/>'})
        key = hashlib.sha1(json.dumps([text_name, cfg], sort_keys=True).encode()).hexdigest()[:16]
        cfg_path = os.path.join(tmp, key + '.json')
        with open(cfg_path, 'w', encoding='utf-8') as fh:
            json.dump(cfg, fh)
        text_path = os.path.join(B, 'texts', text_name + '.txt')
        ref_lines, ref_pngs = run_reference(cfg_path, text_path, font, dpi, nl, key)
        out_dir = os.path.join(tmp, key)
        layout = os.path.join(tmp, key + '.layout.json')
        r = subprocess.run([args.glyph, 'render', '--config', cfg_path, '--input', text_path, '--out', out_dir,
                            '--id', 'p', '--layout', layout, '--quiet'], capture_output=True, text=True)
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            sys.exit(1)
        got_path = os.path.join(tmp, key + '.lines.json')
        with open(got_path, 'w', encoding='utf-8') as fh:
            json.dump(our_lines(layout), fh, ensure_ascii=False)
        cmp = json.loads(subprocess.run([PY, os.path.join(SHARED, 'compare_lines.py'), ref_lines, got_path],
                                        capture_output=True, text=True, check=True).stdout)
        our_pngs = sorted(os.path.join(out_dir, 'p', f) for f in os.listdir(os.path.join(out_dir, 'p')))
        size_match, identical_px, diffs = compare_pages(ref_pngs, our_pngs)
        res = {'text': text_name, 'font': font_key, 'dpi': dpi, 'newline': nl,
               'pages_ref': cmp['pages_ref'], 'pages_got': cmp['pages_got'],
               'lines_ref': cmp['lines_ref'], 'line_agreement': cmp['line_agreement'],
               'page_sizes_equal': size_match, 'pixel_identical_pages': identical_px,
               'mean_abs_pixel_diff': max(diffs) if diffs else 0.0,
               'first_difference': cmp['first_difference']}
        results.append(res)
        print('%-11s %-8s %3d dpi %-3s pages %3d/%-3d lines %.4f  sizes %d/%d  identical pages %d  max page MAD %.4f'
              % (text_name, font_key, dpi, nl, res['pages_got'], res['pages_ref'], res['line_agreement'],
                 size_match, len(ref_pngs), identical_px, res['mean_abs_pixel_diff']), flush=True)
        if args.python:
            with open(text_path, encoding='utf-8') as fh:
                py_pngs = glyph.text_to_images(fh.read(), os.path.join(tmp, 'python'), config_path=cfg_path,
                                               unique_id=key)
            py_sizes, py_identical, _ = compare_pages(ref_pngs, py_pngs)
            res.update({'python_pages': len(py_pngs), 'python_pixel_identical_pages': py_identical})
            print('   python text_to_images: pages %d/%d  sizes %d/%d  identical pages %d'
                  % (len(py_pngs), len(ref_pngs), py_sizes, len(ref_pngs), py_identical), flush=True)
        if cmp['first_difference']:
            print('   first difference:', json.dumps(cmp['first_difference'], ensure_ascii=False)[:300])
    total_pages = sum(r['pages_ref'] == r['pages_got'] for r in results)
    lines = sum(r['line_agreement'] * r['lines_ref'] for r in results) / max(1, sum(r['lines_ref'] for r in results))
    print('cases %d, page counts equal in %d, line agreement (weighted) %.5f' % (len(results), total_pages, lines))
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump(results, fh, indent=1)


if __name__ == '__main__':
    main()
