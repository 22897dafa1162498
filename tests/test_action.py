"""The GitHub Action: its scripts run as GitHub would run them, on projects good and bad."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
BASH = shutil.which("bash")


def _step(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step.get("name") == name)


def _run(step: dict, cwd: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    """Run a step's script with its environment filled from the action's inputs, as GitHub does."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]  # the installed driverkit
    env.pop("GITHUB_ACTIONS", None)
    for key, value in step.get("env", {}).items():
        env[key] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], value)
    return subprocess.run([BASH, "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=240)


def test_the_action_is_a_composite_action_whose_inputs_reach_scripts_only_through_the_environment() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"{step.get('name')}: an input pasted into a script can inject commands"
    used = set(re.findall(r"inputs\.([\w-]+)", (ROOT / "action.yml").read_text(encoding="utf-8")))
    assert used == set(ACTION["inputs"]), "every input is used, and only declared ones"


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_the_check_step_passes_on_good_projects_and_fails_with_annotations_on_bad_ones(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    good = _run(_step("Check the projects"), tmp_path, paths="examples/sepsis.yaml examples/maternity.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _run(_step("Check the projects"), tmp_path, paths="examples/invalid/several-mistakes.yaml")
    assert bad.returncode == 1
    assert "::error file=examples/invalid/several-mistakes.yaml,line=" in bad.stdout


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_the_render_step_writes_every_view_and_format_asked_for(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    done = _run(_step("Render the diagrams"), tmp_path, paths="examples/sepsis.yaml", views="driver-diagram,measurement-plan",
                formats="svg,html", output="site out")
    assert done.returncode == 0, done.stdout + done.stderr
    written = sorted(p.name for p in (tmp_path / "site out").rglob("*") if p.is_file())
    assert "sepsis.svg" in written and any(name.endswith("measurement-plan.html") for name in written), written
