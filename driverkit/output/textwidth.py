"""Measuring and wrapping label text with the font the diagram is drawn in.

Graphviz sizes each box from the font it draws with. driverkit ships that font (DejaVu Sans) and
points Graphviz at it, and wraps every label here with the same font's advance widths, so a box is
as wide as its column and its text fits it in SVG, PNG and PDF alike.
"""

from __future__ import annotations

import functools
import io
import json
import re
import sys
from pathlib import Path

from driverkit.project.files import FileRefused, read_regular

FONTS_DIR = Path(__file__).parent.parent / "fonts"  # driverkit/fonts
DEFAULT_FAMILY = "DejaVu Sans"
_FILES = {(DEFAULT_FAMILY, False): "DejaVuSans.ttf", (DEFAULT_FAMILY, True): "DejaVuSans-Bold.ttf"}
MISSING_GLYPH_EMS = 1.25
# The shipped fonts' names and advance widths, read from their TTF files once, when the table is
# made (`python -m driverkit.output.textwidth`), so that no run parses a font file or imports
# fontTools for them. tests/test_fontwidths.py checks the table against the TTF files.
WIDTHS_TABLE = Path(__file__).parent / "fontwidths.json"


class Font:
    """A font's advance widths, in units of its em square. One object per font file."""

    def __init__(self, family: str, units_per_em: int, advances: dict[int, int]):
        self.family = family
        self.units_per_em = units_per_em
        self.advances = advances  # code point -> advance width
        self._units: dict[str, float] = {}  # words recur across labels: each is measured once

    def width(self, text: str, size: float) -> float:
        """The width of `text` set at `size` points, in points."""
        units = self._units.get(text)
        if units is None:
            # A character the font lacks is drawn from a fallback font, or as a box with its code
            # where there is none: it counts as wide, so that a box is never narrower than its text.
            missing = self.units_per_em * MISSING_GLYPH_EMS
            units = float(sum(self.advances.get(ord(char), missing) for char in text))
            if len(self._units) < 200_000:
                self._units[text] = units
        return units * size / self.units_per_em


# A font's name is written into the SVG as it is (Graphviz does not escape it), so only plain
# names are accepted: letters, digits, spaces, `-`, `_` and `.`.
_SAFE_NAME = re.compile(r"[^\W_]([\w .-]{0,99})")


def load_font(path: str | Path | None = None, bold: bool = False) -> Font:
    """The metrics of the shipped DejaVu Sans (or its bold), or of a font file given by path.

    The family is the font's full name ("DejaVu Sans", "Frutiger Bold"), which is how Graphviz
    asks for exactly that face. Raises ValueError for a file that cannot be read, is not a font,
    or has a name Graphviz could not be given safely.
    """
    if not path:
        return _shipped_font(bold)
    try:
        data = read_regular(path)
    except FileRefused as exc:
        raise ValueError(f"the font file {path}: {exc.reason}") from None
    try:
        return font_from_bytes(data)
    except ValueError as exc:
        raise ValueError(f"{path} {exc}") from None


@functools.lru_cache(maxsize=None)
def _shipped_font(bold: bool) -> Font:
    entry = _widths_table()[_FILES[(DEFAULT_FAMILY, bold)]]
    advances: dict[int, int] = {}
    for first, *widths in entry["runs"]:  # consecutive code points: the first, then one width each
        advances.update(zip(range(first, first + len(widths)), widths))
    return Font(entry["family"], entry["units_per_em"], advances)


@functools.lru_cache(maxsize=None)
def _widths_table() -> dict:
    return json.loads(WIDTHS_TABLE.read_text(encoding="utf-8"))


def widths_table() -> dict:
    """The table of the shipped fonts, read from their TTF files (with fontTools): for each file, its
    family name, units per em and advance widths, as runs [first code point, width, width, ...]."""
    table = {}
    for name in sorted(set(_FILES.values())):
        font = font_from_bytes((FONTS_DIR / name).read_bytes())
        runs: list[list[int]] = []
        for code in sorted(font.advances):
            if runs and runs[-1][0] + len(runs[-1]) - 1 == code:
                runs[-1].append(font.advances[code])
            else:
                runs.append([code, font.advances[code]])
        table[name] = {"family": font.family, "units_per_em": font.units_per_em, "runs": runs}
    return table


def widths_table_text() -> str:
    """The table as written in WIDTHS_TABLE: one run a line, so that a change reads as a diff."""
    parts = []
    for name, entry in widths_table().items():
        runs = ",\n".join("    " + json.dumps(run, separators=(",", ":")) for run in entry["runs"])
        parts.append(f'"{name}": {{"family": {json.dumps(entry["family"])}, "units_per_em": {entry["units_per_em"]}, '
                     f'"runs": [\n{runs}\n]}}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


@functools.lru_cache(maxsize=4)
def font_from_bytes(data: bytes) -> Font:
    """The metrics and name of the font file whose bytes are `data`; ValueError when it is not a
    font, or when its name holds characters other than those of `_SAFE_NAME`."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        metrics = font["hmtx"].metrics
        advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        name = font["name"].getDebugName(4) or font["name"].getDebugName(1) or DEFAULT_FAMILY
        units_per_em = font["head"].unitsPerEm
    except Exception as exc:  # fontTools raises many kinds of error for a file that is not a font
        raise ValueError(f"is not a TrueType or OpenType font ({type(exc).__name__})") from None
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError("is a font whose name has characters other than letters, digits, spaces, "
                         "'-', '_' and '.' (or over 100 of them), which cannot be passed to Graphviz safely: "
                         "use a font with a plain name")
    return Font(name, units_per_em, advances)


@functools.lru_cache(maxsize=20_000)
def wrap(text: str, width: float, size: float, font: Font) -> tuple[str, ...]:
    """Lines of `text` no wider than `width` points; a word too long for a line is split."""
    width = max(width, size)  # at least one character a line, whatever the numbers
    space = font.width(" ", size)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0.0
        for word in paragraph.split():
            word_width = font.width(word, size)
            if line and used + space + word_width <= width:
                line, used = f"{line} {word}", used + space + word_width
                continue
            if not line and word_width <= width:
                line, used = word, word_width
                continue
            if line:
                lines.append(line)
            while word and font.width(word, size) > width:  # split a very long word (a URL, a code)
                cut = _fit(word, width, size, font)
                lines.append(word[:cut])
                word = word[cut:]
            line, used = word, font.width(word, size)
        lines.append(line)
    return tuple(lines)


def _fit(word: str, width: float, size: float, font: Font) -> int:
    """How many characters of `word` fit in `width` (at least one)."""
    total = 0.0
    for index, char in enumerate(word):
        total += font.width(char, size)
        if total > width:
            return max(index, 1)
    return len(word)


if __name__ == "__main__":  # python -m driverkit.output.textwidth [--check]: make (or check) the widths table
    text = widths_table_text()
    if sys.argv[1:] == ["--check"]:
        same = WIDTHS_TABLE.exists() and WIDTHS_TABLE.read_text(encoding="utf-8") == text
        print(f"{WIDTHS_TABLE.name} {'matches' if same else 'does not match'} the fonts in {FONTS_DIR}")
        sys.exit(0 if same else 1)
    WIDTHS_TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {WIDTHS_TABLE}")
