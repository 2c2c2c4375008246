"""One-call rendering: glyph.render and glyph.iter_pages over a glyph.Renderer."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ._core import Renderer

if TYPE_CHECKING:
    from ._core import ConfigSource, Overrides, Page, PageIterator, Text


def render(text: Text, config: ConfigSource = None, *, preset: Optional[str] = None, set: Overrides = None,
           threads: Optional[int] = None, png: bool = True) -> list[Page]:
    """Renders `text` into a list of glyph.Page.

    config: None (config_en.json: DejaVu Sans 9 pt, A4, 72 dpi), a glyph.Config, a dict of
    Glyph keys, a path to a config JSON file, or a JSON string. preset and set: as for
    glyph.Config. threads: worker threads (None: all cores). The GIL is released meanwhile.
    """
    return Renderer(config, preset=preset, set=set, threads=threads, png=png).render(text)


def iter_pages(text: Text, config: ConfigSource = None, *, preset: Optional[str] = None, set: Overrides = None,
               threads: Optional[int] = None, png: bool = True) -> PageIterator:
    """Like render, but yields pages as they are finished and holds only a few in memory.

    The returned iterator has .summary (after the last page) and .close() (stop early).
    """
    return Renderer(config, preset=preset, set=set, threads=threads, png=png).iter_pages(text)


__all__ = ["render", "iter_pages"]
