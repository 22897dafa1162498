"""Measuring and wrapping label text with the font the diagram is drawn in.

Graphviz sizes each box from the font it draws with. driverkit ships that font (DejaVu Sans) and
points Graphviz at it, and wraps every label here with the same font's advance widths, so a box is
as wide as its column and its text fits it in SVG, PNG and PDF alike.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FONTS_DIR = Path(__file__).parent / "fonts"
DEFAULT_FAMILY = "DejaVu Sans"
_FILES = {(DEFAULT_FAMILY, False): "DejaVuSans.ttf", (DEFAULT_FAMILY, True): "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Font:
    """A font's advance widths, in units of its em square."""

    family: str
    units_per_em: int
    advances: dict[int, int]  # code point -> advance width

    def width(self, text: str, size: float) -> float:
        """The width of `text` set at `size` points, in points."""
        total = 0.0
        for char in text:
            advance = self.advances.get(ord(char))
            if advance is None:  # drawn from a fallback font: assume a typical width
                total += self.units_per_em * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.62)
            else:
                total += advance
        return total * size / self.units_per_em


@functools.lru_cache(maxsize=None)
def load_font(family: str = DEFAULT_FAMILY, bold: bool = False, path: str | None = None) -> Font:
    """The metrics of a shipped font, or of a font file given by path."""
    from fontTools.ttLib import TTFont

    file = Path(path) if path else FONTS_DIR / _FILES[(family, bold)]
    font = TTFont(str(file), lazy=True)
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    name = font["name"].getDebugName(1) or family
    return Font(name, font["head"].unitsPerEm, advances)


def wrap(text: str, width: float, size: float, font: Font) -> list[str]:
    """Lines of `text` no wider than `width` points; a word too long for a line is split."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.width(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while font.width(word, size) > width:  # split a very long word (a URL, a code)
                cut = _fit(word, width, size, font)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fit(word: str, width: float, size: float, font: Font) -> int:
    """How many characters of `word` fit in `width` (at least one)."""
    total = 0.0
    for index, char in enumerate(word):
        total += font.width(char, size)
        if total > width:
            return max(index, 1)
    return len(word)
