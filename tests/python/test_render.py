"""glyph.render / Renderer / Page / iter_pages: the CLI's pages, numpy and PIL views, the line
map, configs from every source, errors as exceptions."""
import io
import json
import os
import pathlib

import numpy as np
import pytest
from PIL import Image

import glyph
from conftest import CONFIG_EN, kjv, run_cli

RED_MARKER = '<font color="#FF0000"> \\n </font>'


def cli_pages(text_path, out, config=CONFIG_EN, *extra):
    summary = run_cli("render", "--config", config, "--input", text_path, "--out", str(out), "--id", "cli",
                      "--quiet", *extra)
    return [pathlib.Path(p["path"]).read_bytes() for p in summary["pages"]]


def test_pages_equal_the_cli_pages_byte_for_byte(tmp_path, text_file):
    text = kjv(40_000)
    expected = cli_pages(text_file(text), tmp_path)
    pages = glyph.render(text, CONFIG_EN)
    assert len(expected) >= 5
    assert [p.png for p in pages] == expected
    assert [p.index for p in pages] == list(range(len(expected)))


def test_rgb_pages_and_lazy_png_equal_the_cli(tmp_path, text_file):
    text = kjv(12_000)
    expected = cli_pages(text_file(text), tmp_path, CONFIG_EN, "--set", "newline-markup=" + RED_MARKER)
    pages = glyph.Renderer(CONFIG_EN, set={"newline-markup": RED_MARKER}, png=False).render(text)
    assert pages[0].channels == 3
    assert [p.png for p in pages] == expected  # encoded on first use, same bytes


def test_numpy_and_pil_round_trip():
    gray, = glyph.render(kjv(3_000), CONFIG_EN)
    a = gray.to_numpy()
    assert a.dtype == np.uint8 and a.shape == (gray.height, gray.width)
    assert not a.flags.writeable
    assert np.shares_memory(a, gray.to_numpy())  # a view of the page, not a copy
    decoded = np.asarray(Image.open(io.BytesIO(gray.png)))
    assert np.array_equal(decoded, a)
    pil = gray.to_pil()
    assert pil.mode == "L" and pil.size == (gray.width, gray.height)
    assert np.array_equal(np.asarray(pil), a)
    assert a.min() < 64 and a.max() == 255  # dark ink on white paper

    rgb, = glyph.render("red\nmarkers\n", CONFIG_EN, set={"newline-markup": RED_MARKER})
    b = rgb.to_numpy()
    assert b.shape == (rgb.height, rgb.width, 3)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(rgb.png)).convert("RGB")), b)
    assert rgb.to_pil().mode == "RGB"
    assert ((b[:, :, 0] > 200) & (b[:, :, 1] < 80)).any()  # the red marker is there


def test_lines_map_back_to_the_source():
    text = "In the beginning God created the heaven and the earth.\nAnd the earth was without form.\n"
    page, = glyph.render(text, CONFIG_EN)
    lines = page.lines
    assert [l.text for l in lines] == ["In the beginning God created the heaven and the earth.",
                                       "And the earth was without form."]
    for line in lines:
        begin, end = line.source
        assert text[begin:end].strip() == line.text
        x, y, w, h = line.box
        assert 0 <= x < x + w <= page.width and 0 <= y < y + h <= page.height


def test_iter_pages_streams_the_same_pages_and_can_stop_early():
    text = kjv(30_000)
    pages = glyph.render(text, CONFIG_EN)
    it = glyph.iter_pages(text, CONFIG_EN)
    assert it.summary is None
    streamed = list(it)
    assert [p.png for p in streamed] == [p.png for p in pages]
    assert it.summary["page_count"] == len(pages)
    assert it.summary["characters"] == len(text)
    with glyph.Renderer(CONFIG_EN).iter_pages(kjv(400_000)) as early:
        first = next(early)
    assert first.index == 0
    with pytest.raises(StopIteration):
        next(early)  # closed: no more pages


def test_configs_from_every_source_are_equal(tmp_path):
    from_path = glyph.Config(CONFIG_EN)
    with open(CONFIG_EN) as f:
        as_dict = json.load(f)
    assert glyph.Config(as_dict) == from_path
    assert glyph.Config(json.dumps(as_dict)) == from_path
    assert glyph.Config(pathlib.Path(CONFIG_EN)) == from_path
    assert glyph.Config(from_path) == from_path
    assert glyph.Config() == from_path  # the package's default is config_en.json
    assert glyph.Config(CONFIG_EN, set={"dpi": 96}).dpi == 96
    assert glyph.Config(CONFIG_EN, set=["dpi=96", "alignment=CENTER"]).to_dict()["alignment"] == "CENTER"
    assert from_path.replace(font_size=10).font_size == 10
    assert glyph.Config(CONFIG_EN, preset="dpi96").dpi == 96
    assert glyph.Config(CONFIG_EN, preset="eval").to_dict()["paragraph-lines"] == 0
    assert {p["name"] for p in glyph.presets()} >= {"dpi96", "dpi72", "eval"}


def test_errors_are_python_exceptions_with_the_library_message():
    with pytest.raises(glyph.ConfigError, match='"font-sise"') as e:
        glyph.Config({"font-path": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "font-sise": 9})
    assert isinstance(e.value, ValueError) and isinstance(e.value, glyph.GlyphError)
    with pytest.raises(glyph.ConfigError, match="dpi"):
        glyph.Config(CONFIG_EN, set={"dpi": -1})
    with pytest.raises(glyph.ConfigError, match="not valid JSON"):
        glyph.Config("{not json")
    with pytest.raises(glyph.ConfigError, match="no/such/config.json"):
        glyph.render("x", "no/such/config.json")
    with pytest.raises(glyph.FontError, match="missing.ttf"):
        glyph.render("x", {"font-path": "/nonexistent/missing.ttf"})
    with pytest.raises(glyph.LimitError, match="more than 2 pages"):
        glyph.Renderer(CONFIG_EN, max_pages=2).render(kjv(40_000))
    with pytest.raises(glyph.LimitError):
        list(glyph.Renderer(CONFIG_EN, max_pages=2).iter_pages(kjv(40_000)))
    with pytest.raises(glyph.InputError, match="unknown"):
        glyph.Config(CONFIG_EN, preset="unknown")
    with pytest.raises(TypeError):
        glyph.Config(42)


def test_invalid_utf8_bytes_are_replaced_and_counted():
    it = glyph.iter_pages(b"ok \xff\xfe end", CONFIG_EN)
    assert len(list(it)) == 1
    assert it.summary["invalid_utf8"] == 2


def test_page_save_writes_the_png(tmp_path):
    page, = glyph.render("save me", CONFIG_EN)
    page.save(tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes() == page.png
    with pytest.raises(glyph.FileError):
        page.save(tmp_path / "missing-dir" / "p.png")
