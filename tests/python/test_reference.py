"""glyph.text_to_images: the Glyph reference's argument rules, file names and return value,
and the same files as `glyph render`."""
import hashlib
import json
import os
import pathlib

import pytest

import glyph
from conftest import CONFIG_EN, kjv, run_cli


def test_files_equal_the_cli_files_and_paths_are_absolute(tmp_path, text_file):
    text = kjv(30_000)
    cli = run_cli("render", "--config", CONFIG_EN, "--input", text_file(text), "--out", str(tmp_path / "cli"),
                  "--id", "book", "--quiet")
    paths = glyph.text_to_images(text, str(tmp_path / "py"), config_path=CONFIG_EN, unique_id="book")
    assert len(paths) == len(cli["pages"]) >= 4
    for i, (path, expected) in enumerate(zip(paths, cli["pages"]), start=1):
        assert os.path.isabs(path)
        assert path == str(tmp_path / "py" / "book" / f"page_{i:03d}.png")
        assert pathlib.Path(path).read_bytes() == pathlib.Path(expected["path"]).read_bytes()


def test_unique_id_defaults_to_the_md5_of_the_text(tmp_path):
    text = "Hello World\nsecond line"
    paths = glyph.text_to_images(text, str(tmp_path), config_path=CONFIG_EN)
    assert paths == [os.path.abspath(tmp_path / hashlib.md5(text.encode()).hexdigest()[:16] / "page_001.png")]


def test_config_dict_wins_over_config_path_and_one_is_required(tmp_path):
    with open(CONFIG_EN) as f:
        config = json.load(f)
    config["dpi"] = 96
    paths = glyph.text_to_images("dict", str(tmp_path), config_path="/no/such/config.json", config_dict=config,
                                 unique_id="d")
    assert len(paths) == 1  # written from the dict; the bad path was never read
    assert pathlib.Path(paths[0]).read_bytes() == glyph.render("dict", config)[0].png
    with pytest.raises(ValueError, match="Must provide either config_path or config_dict"):
        glyph.text_to_images("x", str(tmp_path))
    with pytest.raises(glyph.ConfigError, match="alignment"):
        glyph.text_to_images("x", str(tmp_path), config_dict={**config, "alignment": "SIDEWAYS"})


class _ReportlabColor:
    """Stands in for reportlab.lib.colors.Color, which the reference's batch path leaves in dicts."""
    def __init__(self, hexval):
        self._hexval = hexval

    def hexval(self):
        return self._hexval


def test_reference_converted_values_are_understood(tmp_path):
    with open(CONFIG_EN) as f:
        config = json.load(f)
    plain = glyph.text_to_images("colours", str(tmp_path), config_dict={**config, "font-color": "#336699",
                                                                        "alignment": "CENTER"}, unique_id="a")
    converted = glyph.text_to_images("colours", str(tmp_path), config_dict={
        **config, "font-color": _ReportlabColor("0x336699"), "alignment": 1, "page-size": (595.0, 842.0)},
        unique_id="b")
    assert pathlib.Path(plain[0]).read_bytes() == pathlib.Path(converted[0]).read_bytes()
