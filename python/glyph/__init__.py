"""glyph: long text as compact page images for vision-language models (the Glyph method).

    import glyph
    pages = glyph.render(open("book.txt").read(), "config/config_en.json")
    pages[0].to_pil().save("first.png")
    tok = glyph.Tokenizer.from_file("tokenizer.json")
    report = glyph.compression(text, "config/config_en.json", tok, model="glyph")

Rendering: render, iter_pages, Renderer, Page, Line, Config, presets.
Reference drop-in: text_to_images (thu-coai/Glyph scripts/word2png_function.py).
Accounting: Tokenizer, visual_tokens, image_cost, vision_models, compression.
Errors: GlyphError and its kinds (ConfigError, InputError, FontError, FileError, LimitError).
"""
from ._core import (
    Config,
    Line,
    Page,
    PageIterator,
    Renderer,
    Tokenizer,
    __version__,
    compression,
    config_keys,
    image_cost,
    presets,
    vision_models,
    visual_tokens,
)
from .errors import ConfigError, FileError, FontError, GlyphError, InputError, LimitError
from .reference import text_to_images
from .render import iter_pages, render

__all__ = [
    "Config", "Line", "Page", "PageIterator", "Renderer", "Tokenizer",
    "compression", "config_keys", "image_cost", "iter_pages", "presets", "render",
    "text_to_images", "vision_models", "visual_tokens",
    "ConfigError", "FileError", "FontError", "GlyphError", "InputError", "LimitError",
]
