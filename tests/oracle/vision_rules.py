# An independent Python transcription of the visual-token rules glyph derives for Gemma 3,
# InternVL, Pixtral, Llama 4, DeepSeek-OCR, Kimi-VL, MiniCPM-V and Phi-4-multimodal (written
# from the transformers and model sources, not from glyph's C++); it writes
# tests/data/vision_derived.json: python3 tests/oracle/vision_rules.py
import json
import math
import struct
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]

def gemma3(w, h, pas):
    crops = 0
    if pas:
        if w >= h:
            if w / h >= 1.2:
                n = int(math.floor(w / h + 0.5)); n = min(int(math.floor(w / 256)), n); n = min(4, max(2, n))
                if min(int(math.ceil(w / n)), h) >= 256: crops = n
        else:
            if h / w >= 1.2:
                n = int(math.floor(h / w + 0.5)); n = min(int(math.floor(h / 256)), n); n = min(4, max(2, n))
                if min(w, int(math.ceil(h / n))) >= 256: crops = n
    v = 1 + crops
    return dict(tokens=256 * v, special_tokens=4 * v + (17 if crops else 0), tiles=v)

def grids(mn, mx):
    g = [(i, j) for i in range(1, mx + 1) for j in range(1, mx + 1) if mn <= i * j <= mx]
    return sorted(g, key=lambda x: x[0] * x[1])

def closest(w, h, tile, mn, mx):
    ar = w / h; area = w * h; best = float('inf'); bg = (1, 1)
    for g in grids(mn, mx):
        d = abs(ar - g[0] / g[1])
        if d < best: best, bg = d, g
        elif d == best and area > 0.5 * tile * tile * g[0] * g[1]: bg = g
    return bg

def internvl(w, h):
    c, r = closest(w, h, 448, 1, 12)
    t = c * r + (1 if c * r != 1 else 0)
    return dict(tokens=256 * t, special_tokens=2, tiles=t)

def pixtral(w, h):
    ratio = max(h / 1024, w / 1024)
    if ratio > 1: h = int(math.floor(h / ratio)); w = int(math.floor(w / ratio))
    rows = (h - 1) // 16 + 1; cols = (w - 1) // 16 + 1
    return dict(tokens=rows * cols, special_tokens=rows, resized_width=cols * 16, resized_height=rows * 16)

def llama4(w, h):
    from collections import defaultdict
    d = defaultdict(list)
    for cs in range(16, 0, -1):
        fs = sorted(f for f in range(1, cs + 1) if cs % f == 0)
        for f in fs: d[f / (cs // f)].append((f, cs // f))
    res = [(a * 336, b * 336) for v in d.values() for a, b in v]
    s = []
    for rh_, rw_ in res:
        sh = f32(rh_ / h); sw = f32(rw_ / w)
        s.append(sw if sh > sw else sh)
    up = [x for x in s if x >= 1]
    sel = min(up) if up else max(x for x in s if x < 1)
    ch = [r for r, x in zip(res, s) if x == sel]
    best = min(ch, key=lambda r: r[0] * r[1])
    rh, rw = best[0] // 336, best[1] // 336
    n = rh * rw
    t = n + (1 if n > 1 else 0)
    return dict(tokens=int(144 * t), special_tokens=int(3 + (rh * (rw - 1) + rh if n > 1 else 0)), tiles=int(t),
                resized_width=int(best[1]), resized_height=int(best[0]))

def dsocr(w, h, view, base):
    q = lambda s: math.ceil((s // 16) / 4)
    g = base or view
    n = q(g); tok = (n + 1) * n + 1; tiles = 1
    if base and (w > 640 or h > 640):
        c, r = closest(w, h, 640, 2, 9)
        tok += (q(640) * c + 1) * (q(640) * r); tiles += c * r
    return dict(tokens=tok, special_tokens=0, tiles=tiles)

def kimi(w, h):
    if (w // 14) * (h // 14) > 4096:
        scale = math.sqrt(4096 / ((w // 14) * (h // 14)))
        w, h = int(w * scale), int(h * scale)
    w += (28 - w % 28) % 28; h += (28 - h % 28) % 28
    return dict(tokens=(w // 14) * (h // 14) // 4, special_tokens=4, resized_width=w, resized_height=h)

def minicpm_grid(w, h, scale=448, max_slices=9):
    log_ratio = math.log(w / h)
    multiple = min(math.ceil(w * h / (scale * scale)), max_slices)
    if multiple <= 1:
        return None
    cands = [n for n in (multiple - 1, multiple, multiple + 1) if n != 1 and n <= max_slices]
    grids = [[m, n // m] for n in cands for m in range(1, n + 1) if n % m == 0]
    best, err = [1, 1], float('inf')
    for g in grids:
        e = abs(log_ratio - math.log(g[0] / g[1]))
        if e < err:
            best, err = g, e
    return best

def minicpm_resize(w, h, scale=448, patch=14, upscale=False):
    if w * h > scale * scale or upscale:
        r = w / h
        h = int(scale / math.sqrt(r)); w = int(h * r)
    div = lambda x, p: max(round(x / p) * p, p)
    return div(w, patch), div(h, patch)

def minicpm(w, h):
    g = minicpm_grid(w, h)
    if g is None:
        rw, rh = minicpm_resize(w, h, upscale=True)
        return dict(tokens=64, special_tokens=5, tiles=1, resized_width=rw, resized_height=rh)
    div = lambda x, p: max(round(x / p) * p, p)
    sw, sh = minicpm_resize(div(w, g[0]) / g[0], div(h, g[1]) / g[1], upscale=True)
    # the placeholder: <image_id>0</image_id><image>64 x <unk></image>, then rows of
    # <slice>64 x <unk></slice> joined by "\n"
    rows = ['<slice>' + '<unk>' * 64 + '</slice>'] * g[1]
    text = '<image_id>0</image_id><image>' + '<unk>' * 64 + '</image>' + '\n'.join(r * g[0] for r in rows)
    n_unk = text.count('<unk>')
    n_special = text.count('<slice>') + text.count('</slice>') + text.count('\n') + 5
    return dict(tokens=n_unk, special_tokens=n_special, tiles=1 + g[0] * g[1],
                resized_width=sw * g[0], resized_height=sh * g[1])

def phi4(w, h, tile=448, patch=14, max_num=36):
    # builds the attention mask and downsamples it as the processor does, with lists
    wc, hc = math.ceil(w / tile), math.ceil(h / tile)
    if wc * hc > max_num:
        ratios = sorted({(i, j) for n in range(1, max_num + 1) for i in range(1, n + 1) for j in range(1, n + 1)
                         if 1 <= i * j <= max_num}, key=lambda x: x[0] * x[1])
        best_diff, best = float('inf'), (1, 1)
        for r in ratios:
            d = abs(w / h - r[0] / r[1])
            if d < best_diff: best_diff, best = d, r
            elif d == best_diff and w * h > 0.5 * tile * tile * r[0] * r[1]: best = r
        wc, hc = best
    tw, th = tile * wc, tile * hc
    rw, rh = tw / w, th / h
    if rw < rh:
        new = (tw, int(h * rw)); pw, ph = 0, th - int(h * rw)
    else:
        new = (int(w * rh), th); pw, ph = tw - int(w * rh), 0
    if min(new[1], th) < 10 or min(new[0], tw) < 10:
        return None
    ms = tile // patch
    mask = [[1] * (ms * wc) for _ in range(ms * hc)]
    if pw >= patch:
        for row in mask:
            for k in range(1, pw // patch + 1): row[-k] = 0
    if ph >= patch:
        for k in range(1, ph // patch + 1): mask[-k] = [0] * (ms * wc)
    keep_r = [r for r in range(ms * hc) if (r % ms) % 2 == 0]
    keep_c = [c for c in range(ms * wc) if (c % ms) % 2 == 0]
    ds = [[mask[r][c] for c in keep_c] for r in keep_r]
    n = 256 + 1 + sum(map(sum, ds)) + sum(row[0] for row in ds) + 16
    return dict(tokens=n, special_tokens=0, tiles=wc * hc + 1, resized_width=tw, resized_height=th)

sizes = [(588, 840), (1920, 1080), (28, 28), (1, 1), (100, 3000), (3000, 100), (1000, 1000), (333, 777),
         (4096, 4096), (1025, 17), (640, 640), (641, 480), (448, 448), (896, 1344)]
models = {
    'gemma-3': lambda w, h: gemma3(w, h, False),
    'gemma-3-pan-and-scan': lambda w, h: gemma3(w, h, True),
    'internvl3': internvl, 'internvl2.5': internvl, 'pixtral': pixtral, 'llama-4': llama4,
    'deepseek-ocr-tiny': lambda w, h: dsocr(w, h, 512, 0), 'deepseek-ocr-small': lambda w, h: dsocr(w, h, 640, 0),
    'deepseek-ocr-base': lambda w, h: dsocr(w, h, 1024, 0), 'deepseek-ocr-large': lambda w, h: dsocr(w, h, 1280, 0),
    'deepseek-ocr-gundam': lambda w, h: dsocr(w, h, 640, 1024),
    'kimi-vl': kimi,
    'minicpm-v-2.6': minicpm, 'minicpm-v-4.5': minicpm,
    'phi-4-multimodal': phi4,
}
# Sizes with a figure the model's authors published (the row's tokens must equal it).
published = {
    'minicpm-v-2.6': [(1344, 1344, 640, "openbmb/MiniCPM-V-2_6 README: 'up to 1.8 million pixels (e.g., 1344x1344)', "
                       "'only 640 tokens when processing a 1.8M pixel image'")],
}
out = {}
for name, f in models.items():
    rows = []
    for w, h, want, note in published.get(name, []):
        cost = f(w, h)
        assert cost['tokens'] == want, (name, w, h, cost)
        r = dict(w=w, h=h); r.update(cost); r['published'] = note; r['verified'] = False
        rows.append(r)
    for w, h in sizes:
        cost = f(w, h)
        if cost is None:  # refused by the processor: no row
            continue
        r = dict(w=w, h=h); r.update(cost); r['verified'] = False
        rows.append(r)
    out[name] = rows
SOURCE = ("Derived by hand from the processors' published source (files and versions cited in "
          "src/core/vision/tiled_processors.cpp, minicpm_v_slices.cpp, phi4_dynamic_hd.cpp), computed with "
          "tests/oracle/vision_rules.py, an independent Python transcription of those rules. tokens: "
          "image-content positions; special_tokens: the template tokens each image adds; tiles: views "
          "incl. global/thumbnail/overview. verified: whether the row was checked against transformers "
          "(or the model's own processor) on a real run; none yet. published: a figure the model's authors "
          "state for that size, which the row's tokens equal.")
import os
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'vision_derived.json')
with open(path, 'w') as f:
    f.write(json.dumps({'source': SOURCE, 'models': out}, indent=1) + '\n')
