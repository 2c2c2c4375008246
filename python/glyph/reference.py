"""A drop-in for the Glyph reference's scripts/word2png_function.py: text_to_images."""
from __future__ import annotations

import hashlib
import os
from typing import Any, Mapping, Optional, Union

from ._core import Config, Renderer

# reportlab's alignment enums, which the reference's own batch path leaves in config dicts.
_REPORTLAB_ALIGNMENT = {0: "LEFT", 1: "CENTER", 2: "RIGHT", 4: "JUSTIFY"}
_COLOR_KEYS = ("page-bg-color", "font-color", "para-bg-color", "para-border-color")


def _plain_config_dict(config_dict):
    """The reference's converted values (reportlab Color objects, alignment enums) as Glyph JSON."""
    config = dict(config_dict)
    for key in _COLOR_KEYS:
        color = config.get(key)
        if hasattr(color, "hexval"):  # reportlab.lib.colors.Color: hexval() is '0xRRGGBB'
            config[key] = "#" + color.hexval()[2:].upper()
    if isinstance(config.get("alignment"), int):
        config["alignment"] = _REPORTLAB_ALIGNMENT.get(config["alignment"], "JUSTIFY")
    return config


def text_to_images(text: str, output_dir: Union[str, os.PathLike], config_path: Union[None, str, os.PathLike] = None,
                   config_dict: Optional[Mapping[str, Any]] = None, unique_id: Optional[str] = None) -> list[str]:
    """Renders `text` to PNG files, as the Glyph reference's function of the same name does.

    config_dict (Glyph keys) wins over config_path; one of them is required (ValueError).
    unique_id defaults to the first 16 hex digits of the MD5 of the UTF-8 text. Pages are
    written to output_dir/unique_id/page_001.png, page_002.png, ...; the return value is the
    list of their absolute paths. Bad keys or values raise glyph.ConfigError.
    """
    if config_dict is None:
        if config_path is None:
            raise ValueError("Must provide either config_path or config_dict")
        config = Config(os.fspath(config_path))
    else:
        config = Config(_plain_config_dict(config_dict))
    if unique_id is None:
        unique_id = hashlib.md5(text.encode()).hexdigest()[:16]
    out_root = os.path.join(output_dir, unique_id)
    os.makedirs(out_root, exist_ok=True)
    paths = []
    for page in Renderer(config).iter_pages(text):
        path = os.path.join(out_root, f"page_{page.index + 1:03d}.png")
        page.save(path)
        paths.append(os.path.abspath(path))
    return paths


__all__ = ["text_to_images"]
