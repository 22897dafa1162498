"""Imports run one way, down the pipeline (see `[tool.importlinter]` in pyproject.toml): the
contract is checked with import-linter, which counts imports inside functions too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("lint-imports")
    if not command.exists():
        found = shutil.which("lint-imports")
        if found is None:
            pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
        command = Path(found)
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(command), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_imports_run_down_the_layers() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is not empty: the model reaching up into the renderer, even from inside a
    function, is reported."""
    shutil.copytree(ROOT / "driverkit", tmp_path / "driverkit", ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "driverkit" / "project" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n\ndef _upward() -> None:\n    from driverkit.output import rendering  # noqa: F401\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert "driverkit.project.model -> driverkit.output.rendering" in result.stdout
