from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "templates" / "starter.yaml"


@pytest.fixture
def starter_text() -> str:
    return STARTER.read_text(encoding="utf-8")


MINIMAL = """\
driverkit: 1
title: Minimal
aim:
  statement: Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026
"""


class Elements(HTMLParser):
    """The tags and the text of an HTML page, to check what a reader would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)
