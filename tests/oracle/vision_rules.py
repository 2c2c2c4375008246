# An independent Python transcription of the visual-token rules glyph derives for Gemma 3,
# InternVL, Pixtral, Llama 4, DeepSeek-OCR and Kimi-VL (written from the transformers and model
# sources, not from glyph's C++); it wrote tests/data/vision_derived.json: python3 vision_rules.py
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
}
out = {}
for name, f in models.items():
    rows = []
    for w, h in sizes:
        r = dict(w=w, h=h); r.update(f(w, h)); r['verified'] = False
        rows.append(r)
    out[name] = rows
print(json.dumps(out))
