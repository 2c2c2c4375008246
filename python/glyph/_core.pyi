"""Type stubs for glyph._core, the compiled half of the glyph package."""
import os
from typing import Any, Iterator, Mapping, Optional, Sequence, Tuple, TypedDict, Union

import numpy
import PIL.Image

__version__: str

ConfigSource = Union[None, "Config", Mapping[str, Any], str, os.PathLike]
Overrides = Union[None, Mapping[str, Any], Sequence[str], str]
Text = Union[str, bytes]

class Config:
    """A rendering config: Glyph's JSON config keys (docs/config.md)."""
    def __init__(self, source: ConfigSource = None, *, preset: Optional[str] = None, set: Overrides = None) -> None: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def replace(self, **keys: Any) -> "Config": ...
    @property
    def dpi(self) -> float: ...
    @property
    def font_path(self) -> str: ...
    @property
    def font_size(self) -> float: ...

class Line:
    """One line of a page: the source characters it shows and where it is drawn."""
    @property
    def source(self) -> Tuple[int, int]: ...
    @property
    def box(self) -> Tuple[int, int, int, int]: ...
    @property
    def text(self) -> str: ...

class Page:
    """A rendered page: 8-bit gray (channels 1) or RGB (channels 3) pixels."""
    index: int
    width: int
    height: int
    channels: int
    @property
    def png(self) -> bytes: ...
    @property
    def lines(self) -> list[Line]: ...
    def to_numpy(self) -> numpy.ndarray: ...
    def to_pil(self) -> PIL.Image.Image: ...
    def save(self, path: Union[str, os.PathLike]) -> None: ...

class RenderSummary(TypedDict):
    page_count: int
    characters: int
    lines: int
    invalid_utf8: int
    missing_glyphs: int
    fallback_glyphs: int
    cjk_mode: bool
    seconds: float

class PageIterator(Iterator[Page]):
    """Pages as they are rendered; a few at most are held in memory."""
    def __iter__(self) -> "PageIterator": ...
    def __next__(self) -> Page: ...
    @property
    def summary(self) -> Optional[RenderSummary]: ...
    def close(self) -> None: ...
    def __enter__(self) -> "PageIterator": ...
    def __exit__(self, *args: Any) -> None: ...

class Renderer:
    """Renders texts with one config; reusable, shareable between threads, picklable."""
    def __init__(self, config: ConfigSource = None, *, preset: Optional[str] = None, set: Overrides = None,
                 threads: Optional[int] = None, png: bool = True, png_level: Optional[int] = None, max_pages: int = 10000,
                 max_page_pixels: int = 100000000, max_dpi: float = 1200) -> None: ...
    @property
    def config(self) -> Config: ...
    def render(self, text: Text) -> list[Page]: ...
    def iter_pages(self, text: Text) -> PageIterator: ...

class Tokenizer:
    """Exact ids of a Hugging Face byte-level BPE tokenizer.json; thread-safe, picklable."""
    @staticmethod
    def from_file(path: Union[str, os.PathLike]) -> "Tokenizer": ...
    @staticmethod
    def from_json(json: str) -> "Tokenizer": ...
    def encode(self, text: Text) -> list[int]: ...
    def encode_batch(self, texts: Sequence[Text], *, threads: Optional[int] = None) -> list[list[int]]: ...
    def count(self, text: Text) -> int: ...
    def count_batch(self, texts: Sequence[Text], *, threads: Optional[int] = None) -> list[int]: ...
    def decode(self, ids: Sequence[int]) -> str: ...
    @property
    def vocab_size(self) -> int: ...
    def token_to_id(self, token: str) -> Optional[int]: ...

class ImageCost(TypedDict, total=False):
    width: int
    height: int
    resized_width: int
    resized_height: int
    tokens: int
    special_tokens: int
    total: int
    grid_thw: Tuple[int, int, int]
    tiles: int

class PageCost(TypedDict):
    page: int
    width: int
    height: int
    characters: int
    visual_tokens: int
    characters_per_visual_token: float

class CompressionReport(TypedDict, total=False):
    model: str
    characters: int
    pages: int
    image_tokens: int
    special_tokens: int
    visual_tokens: int
    characters_per_visual_token: float
    render_seconds: float
    text_tokens: int
    compression_ratio: float
    page_costs: list[PageCost]

class Preset(TypedDict):
    name: str
    description: str
    overrides: list[str]

class VisionModel(TypedDict):
    name: str
    description: str

def visual_tokens(model: str, width: int, height: int, *, preprocessor_config: Union[None, str, os.PathLike] = None,
                  min_pixels: Optional[int] = None, max_pixels: Optional[int] = None) -> int: ...
def image_cost(model: str, width: int, height: int, *, preprocessor_config: Union[None, str, os.PathLike] = None,
               min_pixels: Optional[int] = None, max_pixels: Optional[int] = None) -> ImageCost: ...
def vision_models() -> list[VisionModel]: ...
def compression(text: Text, config: ConfigSource = None, tokenizer: Union[None, Tokenizer, str, os.PathLike] = None,
                model: str = "glyph", *, preset: Optional[str] = None, set: Overrides = None,
                threads: Optional[int] = None,
                preprocessor_config: Union[None, str, os.PathLike] = None) -> CompressionReport: ...
def presets() -> list[Preset]: ...
def config_keys() -> list[str]: ...

# glyph.rewards
class JudgeVerdict:
    score: float
    ok: bool
    error: str
    reply: str

def levenshtein_distance(a: str, b: str) -> int: ...
def ocr_reward(completion: str, reference: str, *, normalization: str = "whitespace",
               strip_thinking: bool = True) -> float: ...
def ocr_rewards(completions: list[str], references: list[str], *, normalization: str = "whitespace",
                strip_thinking: bool = True) -> list[float]: ...
def format_reward(completion: str) -> float: ...
def format_rewards(completions: list[str]) -> list[float]: ...
def answer_part(completion: str) -> str: ...
def default_judge_prompt() -> str: ...
def parse_judge_verdict(reply: str) -> int: ...
def judge_rewards(questions: list[str], references: list[str], completions: list[str], *, endpoint: str,
                  model: str = "", api_key: str = "", timeout: float = 60.0, retries: int = 2, max_tokens: int = 0,
                  prompt_template: str = "", failure_score: float = 0.0, concurrency: int = 4) -> list[JudgeVerdict]: ...

# glyph.synth
class SynthShard:
    shard: int
    samples: int
    pages: int
    already_done: bool

class SynthJob:
    def __init__(self, inputs: list[Union[str, os.PathLike]], out: Union[str, os.PathLike], *,
                 tasks: list[str] = ..., samples: int = 0, seed: int = 0,
                 config: Union[None, str, os.PathLike] = None, styles: list[str] = ...,
                 fonts: list[Union[str, os.PathLike]] = ..., max_pages: int = 4, shard_size: int = 1000,
                 relative: bool = False, layout: bool = False, model: str = "glyph",
                 tokenizer: Union[None, str, os.PathLike] = None, threads: int = 0, png_level: int = 1,
                 max_page_pixels: int = 12000000) -> None: ...
    @property
    def sample_count(self) -> int: ...
    @property
    def shard_count(self) -> int: ...
    def run_shard(self, shard: int) -> SynthShard: ...
    def finish(self) -> str: ...
    def run(self) -> str: ...

def style_themes() -> list[str]: ...
def check_synth_dataset(out_dir: Union[str, os.PathLike]) -> str: ...
