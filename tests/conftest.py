from __future__ import annotations

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
