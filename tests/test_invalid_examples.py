"""The files under examples/invalid/ each show a rule firing. Every <stem>.yaml there has a
<stem>.expected beside it holding exactly what `driverkit check --format parsable` prints for it,
run from the repository root (so the paths start with examples/invalid/).

After a deliberate change to a rule's message or place, regenerate an .expected file with

    python3 -m driverkit check --format parsable examples/invalid/<stem>.yaml > examples/invalid/<stem>.expected
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import driverkit

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "examples" / "invalid"
PROBLEM = re.compile(r"^examples/invalid/[^:]+:\d+:\d+: (error|warning) DK\d{3} ")


def _examples() -> list[Path]:
    return sorted(INVALID.glob("*.yaml"))


def _lines(data: bytes) -> list[str]:
    """The lines of an output, split on newlines only (a message may hold other line breaks)."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def _expected(example: Path) -> Path:
    return example.with_suffix(".expected")


@pytest.mark.parametrize("example", _examples(), ids=lambda path: path.name)
def test_invalid_example_gives_the_expected_diagnostics(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    relative = example.relative_to(ROOT).as_posix()
    output = "".join(f"{diagnostic}\n" for diagnostic in driverkit.check_file(relative))
    assert _lines(output.encode("utf-8")) == _lines(_expected(example).read_bytes())


def test_every_example_has_an_expected_file_and_every_expected_file_an_example() -> None:
    examples = {path.stem for path in INVALID.glob("*.yaml")}
    expected = {path.stem for path in INVALID.glob("*.expected")}
    assert examples, "no examples in examples/invalid/"
    assert sorted(examples - expected) == [], "examples without a .expected file"
    assert sorted(expected - examples) == [], ".expected files without an example"


@pytest.mark.parametrize("expected", sorted(INVALID.glob("*.expected")), ids=lambda path: path.name)
def test_every_expected_file_holds_an_error_or_a_warning(expected: Path) -> None:
    lines = _lines(expected.read_bytes())
    assert any(PROBLEM.match(line) for line in lines), f"{expected.name} reports no error or warning"
