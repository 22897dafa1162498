"""The pre-commit hook definition runs as written: clean files pass, broken ones fail."""

from __future__ import annotations

import shlex
import subprocess
import sys

import yaml

from tests.conftest import ROOT, STARTER


def _entry() -> list[str]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "driverkit-check" and hook["language"] == "python"
    words = shlex.split(hook["entry"])
    assert words[0] == "driverkit"
    return [sys.executable, "-m", "driverkit", *words[1:]]


def test_hook_passes_a_clean_file() -> None:
    assert subprocess.run([*_entry(), str(STARTER)], capture_output=True, cwd=ROOT).returncode == 0


def test_hook_fails_a_broken_file(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("driverkit: 1\ntitle: T\naim: {improve: x}\ndrivers: [{text: a, also: [P7]}]\n", encoding="utf-8")
    result = subprocess.run([*_entry(), str(STARTER), str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "DK101" in result.stdout
