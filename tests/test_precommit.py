"""The pre-commit hook through pre-commit itself, offline.

`pre-commit try-repo` would build a virtualenv and pip-install driverkit from the network; instead
a scratch repository declares the hook as a `repo: local` hook of `language: system`, with the
entry, the file pattern and the settings read from this repository's `.pre-commit-hooks.yaml`,
and runs the driverkit installed with the tests. What pre-commit does with the hook (which files
it passes, how it reports the exit code) is real; only the installation is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, STARTER

BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None or GIT is None or shutil.which("driverkit", path=str(BIN)) is None,
                                reason="needs git, pre-commit and the driverkit command beside this Python")

BROKEN = "driverkit: 1\ntitle: T\naim: {improve: x}\ndrivers: [{text: a, also: [P7]}]\n"
WORKFLOW = "name: CI\non: [push]\njobs: {test: {runs-on: ubuntu-latest, steps: [{run: make test}]}}\n"


IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run([GIT, *args], cwd=repo, check=True, capture_output=True,  # type: ignore[list-item]
                   env={**os.environ, **IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A git repository with a workflow, a project and the hook, as a user's would be."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = {key: hook[key] for key in ("id", "name", "entry", "files", "require_serial") if key in hook}
    local["language"] = "system"  # the driverkit on PATH, not one pip would install
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    (repo / "improvement").mkdir()
    (repo / "improvement" / "falls.yaml").write_text(STARTER.read_text(encoding="utf-8"), encoding="utf-8")
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([PRE_COMMIT, "run", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)  # type: ignore[list-item]


def test_the_hook_passes_a_clean_project_beside_a_workflow(scratch: Path) -> None:
    started = time.monotonic()
    result = _pre_commit(scratch, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "driverkit check" in result.stdout and "Passed" in result.stdout
    assert time.monotonic() - started < 20


def test_the_hook_fails_a_broken_project_and_says_where(scratch: Path) -> None:
    (scratch / "improvement" / "falls.yaml").write_text(BROKEN, encoding="utf-8")
    _git(scratch, "add", ".")
    result = _pre_commit(scratch, "--all-files")
    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert "improvement/falls.yaml" in result.stdout and "DK101" in result.stdout
    assert "ci.yml" not in result.stdout  # the workflow is passed to the hook, and skipped as not a project


def test_the_hook_sees_only_the_staged_files(scratch: Path) -> None:
    (scratch / "improvement" / "falls.yaml").write_text(BROKEN, encoding="utf-8")
    _git(scratch, "add", ".")
    _git(scratch, "commit", "-q", "-m", "start", "--no-verify")  # a broken project, already committed
    (scratch / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW + "# changed\n", encoding="utf-8")
    _git(scratch, "add", ".github/workflows/ci.yml")
    result = _pre_commit(scratch)
    assert result.returncode == 0, result.stdout + result.stderr  # only the workflow changed: nothing to check
    (scratch / "improvement" / "falls.yaml").write_text(BROKEN + "# touched\n", encoding="utf-8")
    _git(scratch, "add", "improvement/falls.yaml")
    assert _pre_commit(scratch).returncode == 1  # now the project is part of the commit
