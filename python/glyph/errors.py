"""The exceptions of the glyph package: one per kind of library error, each carrying the
library's message (which names the file, key or value at fault)."""


class GlyphError(Exception):
    """Base class of every error the glyph library reports."""


class ConfigError(GlyphError, ValueError):
    """A config key or value is wrong (unknown key, bad value, missing font-path, ...)."""


class InputError(GlyphError, ValueError):
    """The text, a tokenizer.json, a model name or another argument is unusable."""


class FontError(GlyphError, OSError):
    """A font file is missing or cannot be read."""


class FileError(GlyphError, OSError):
    """Reading or writing a file failed."""


class LimitError(GlyphError, ValueError):
    """A limit (max_pages, max_page_pixels, max_dpi) was exceeded."""


__all__ = ["GlyphError", "ConfigError", "InputError", "FontError", "FileError", "LimitError"]
