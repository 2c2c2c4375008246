#!/usr/bin/python3
"""Record golden cases for tests/golden from the reference renderer (needs the reference
set up, see bench/fidelity.py). Each case: the config, the reference's lines per page
(reportlab's own wrap) and a SHA-256 of every reference page's RGB pixels.
  python3 bench/record_golden.py
"""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
from PIL import Image

from fidelity import B, PY, RED, ROOT, SHARED, base_config, fonts

FONTS = {k: v for k, v in fonts().items() if k in ('dejavu', 'wqy')}
CASES = [('en_32k', 'dejavu', 72, 'br'), ('en_32k', 'dejavu', 96, 'red'),
         ('zh_32k', 'wqy', 72, 'br'), ('zh_32k', 'wqy', 96, 'red')]


def main():
    out_root = os.path.join(ROOT, 'tests', 'golden')
    os.makedirs(os.path.join(out_root, 'texts'), exist_ok=True)
    tmp = tempfile.mkdtemp()
    for text, font, dpi, nl in CASES:
        shutil.copy(os.path.join(B, 'texts', text + '.txt'), os.path.join(out_root, 'texts', text + '.txt'))
        cfg = base_config()
        cfg.update({'dpi': dpi, 'font-path': FONTS[font], 'newline-markup': RED if nl == 'red' else '<br/>'})
        cfg_path = os.path.join(tmp, 'c.json')
        json.dump(cfg, open(cfg_path, 'w'))
        lines, png = os.path.join(tmp, 'lines.json'), os.path.join(tmp, 'png')
        shutil.rmtree(png, ignore_errors=True)
        subprocess.run([PY, os.path.join(SHARED, 'ref_lines.py'), '--config', cfg_path, '--input',
                        os.path.join(B, 'texts', text + '.txt'), '--out', lines, '--dpi', str(dpi), '--newline', nl,
                        '--font', FONTS[font], '--glyph-ref', os.path.join(B, 'glyph'), '--png-dir', png],
                       check=True, stdout=subprocess.DEVNULL)
        pages = []
        for dp, _, fs in sorted(os.walk(png)):
            for f in sorted(fs):
                im = Image.open(os.path.join(dp, f)).convert('RGB')
                pages.append({'width': im.width, 'height': im.height,
                              'sha256': hashlib.sha256(np.asarray(im).tobytes()).hexdigest()})
        ref = json.load(open(lines))
        name = '%s_%s_%d_%s' % (text, font, dpi, nl)
        cfg['font-path'] = font  # resolved by the test to the Debian font file
        case = {'text': text + '.txt', 'config': cfg, 'pages': pages,
                'lines': [[l['text'] for l in p] for p in ref]}
        with open(os.path.join(out_root, name + '.json'), 'w', encoding='utf-8') as fh:
            json.dump(case, fh, ensure_ascii=False, indent=0)
        print(name, len(pages), 'pages')


if __name__ == '__main__':
    main()
