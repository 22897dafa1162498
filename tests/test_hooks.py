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


def _files_pattern() -> "re.Pattern[str]":
    import re

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return re.compile(hook["files"])


def test_hook_skips_yaml_that_is_not_a_project(tmp_path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: CI\non: [push]\njobs: {test: {runs-on: ubuntu-latest, steps: [{run: make test}]}}\n", encoding="utf-8")
    assert _files_pattern().search(str(workflow))
    result = subprocess.run([*_entry(), str(workflow), str(STARTER)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "ci.yml" not in result.stdout


def test_a_changed_data_file_rechecks_the_projects_that_name_it(tmp_path) -> None:
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "m1.csv"
    data.write_text("period,value\n2024-01,5\n2024-02,6\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text((ROOT / "templates" / "starter.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "named.yaml").write_text(
        "driverkit: 1\ntitle: T\naim: {statement: Reduce falls from 8 to 4 per 1000 bed days by March 2027}\n"
        "measures:\n  - name: Falls\n    family: outcome\n    data_file: data/m1.csv   # monthly\n", encoding="utf-8")
    assert _files_pattern().search("data/m1.csv")
    checked = _checked(tmp_path, "data/m1.csv")
    assert "named.yaml" in checked and "other.yaml" not in checked, checked


def _checked(cwd, *files: str) -> str:
    """The files the hook checked, from the JSON output."""
    import json

    result = subprocess.run([*_entry(), "--format", "json", *files], capture_output=True, text=True, cwd=cwd)
    return " ".join(sorted({d["file"] for d in json.loads(result.stdout)})) + f" rc={result.returncode}"
