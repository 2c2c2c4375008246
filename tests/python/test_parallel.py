"""The GIL is released while rendering and tokenizing (two threads are inside the library at
once), and renderers, configs, tokenizers and pages pickle into a multiprocessing pool."""
import multiprocessing
import pickle
import sys
import threading
import time

import pytest

import glyph
from conftest import CONFIG_EN, TOKENIZER, kjv


def overlap_in_two_threads(work):
    """Runs work(i) in two threads; returns how long both were inside it at the same time.

    The switch interval is raised to 10 s, so a thread that kept the GIL inside `work` could
    not be preempted there: the intervals can overlap only if the library released the GIL."""
    barrier = threading.Barrier(2)
    spans = [None, None]

    def run(i):
        barrier.wait()
        start = time.perf_counter()
        work(i)
        spans[i] = (start, time.perf_counter())

    old = sys.getswitchinterval()
    sys.setswitchinterval(10)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    return min(spans[0][1], spans[1][1]) - max(spans[0][0], spans[1][0])


# A thread held up by the OS scheduler on a busy machine could miss the other one; a GIL that
# stays held misses every time. Hence up to three tries.
def test_two_threads_render_at_the_same_time():
    texts = [kjv(200_000), kjv(200_000)[::-1]]
    renderer = glyph.Renderer(CONFIG_EN, threads=1)  # one renderer, shared
    assert any(overlap_in_two_threads(lambda i: renderer.render(texts[i])) > 0 for _ in range(3))


def test_two_threads_tokenize_at_the_same_time():
    tokenizer = glyph.Tokenizer.from_file(TOKENIZER)
    text = kjv(300_000)
    assert any(overlap_in_two_threads(lambda i: tokenizer.count(text)) > 0 for _ in range(3))


def test_the_overlap_check_fails_when_the_gil_is_held():
    # Pure-Python work keeps the GIL: the same check must see no overlap (else it proves nothing).
    def hold_the_gil(i):
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            pass
    assert overlap_in_two_threads(hold_the_gil) <= 0


def test_objects_pickle_exactly():
    config = glyph.Config(CONFIG_EN, set={"dpi": 96})
    assert pickle.loads(pickle.dumps(config)) == config
    renderer = glyph.Renderer(config, threads=1, max_pages=50)
    again = pickle.loads(pickle.dumps(renderer))
    assert again.config == config
    page, = renderer.render("pickle me")
    copy = pickle.loads(pickle.dumps(page))
    assert (copy.png, copy.width, copy.height, [l.text for l in copy.lines]) == \
           (page.png, page.width, page.height, [l.text for l in page.lines])
    assert (copy.to_numpy() == page.to_numpy()).all()


def _render_and_count(job):
    renderer, tokenizer, text = job
    return [p.png for p in renderer.render(text)], tokenizer.count(text)


def test_a_multiprocessing_pool_renders_with_pickled_objects():
    renderer = glyph.Renderer(CONFIG_EN, threads=1)
    tokenizer = glyph.Tokenizer.from_file(TOKENIZER)
    texts = [kjv(8_000), kjv(16_000)[8_000:]]
    # spawn: the workers get everything by pickling (no memory inherited by fork)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(_render_and_count, [(renderer, tokenizer, t) for t in texts])
    for text, (pngs, count) in zip(texts, results):
        assert pngs == [p.png for p in renderer.render(text)]
        assert count == tokenizer.count(text)
