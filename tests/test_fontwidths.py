"""The shipped fonts' widths are read from a table made at build time, not from the TTF files."""

from __future__ import annotations

import subprocess
import sys

from driverkit.output.textwidth import FONTS_DIR, WIDTHS_TABLE, font_from_bytes, load_font, widths_table_text


def test_the_table_matches_the_ttf_files():
    # Regenerate with `python -m driverkit.output.textwidth` after changing a font in driverkit/fonts.
    assert WIDTHS_TABLE.read_text(encoding="utf-8") == widths_table_text()


def test_the_shipped_fonts_measure_as_their_ttf_files_do():
    for bold, name in ((False, "DejaVuSans.ttf"), (True, "DejaVuSans-Bold.ttf")):
        shipped, parsed = load_font(bold=bold), font_from_bytes((FONTS_DIR / name).read_bytes())
        assert (shipped.family, shipped.units_per_em, shipped.advances) == (parsed.family, parsed.units_per_em, parsed.advances)
        text = "Reliable falls risk assessment — ward 7 (Ω, ü, 中)"
        assert shipped.width(text, 11) == parsed.width(text, 11)


def test_drawing_with_the_shipped_font_does_not_import_fonttools():
    code = ("import sys; from driverkit.output.textwidth import load_font, wrap; "
            "wrap('Staff have the time and skills to care', 120, 11, load_font()); "
            "print('fontTools' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_the_check_command_says_the_table_matches():
    done = subprocess.run([sys.executable, "-m", "driverkit.output.textwidth", "--check"], capture_output=True, text=True)
    assert done.returncode == 0 and "matches" in done.stdout
