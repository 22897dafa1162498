"""Data-driven rule tests: tests/rules/<CODE>-<name>.yaml holds cases of YAML input and the
diagnostics of that rule expected in it, as "CODE line:column"."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from driverkit import all_rules, check_text

CASES_DIR = Path(__file__).parent / "rules"


def _case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("DK*.yaml"))


def _cases() -> list[pytest.param]:
    params = []
    for path in _case_files():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], case, id=f"{path.stem}: {case['name']}"))
    return params


def _in_file(file: str, folder: Path) -> str:
    """"" for the case's own file; "other.yaml " for another file of the case."""
    path = Path(file)
    if path.name == "case.yaml" or not path.is_absolute() and not (folder / path).exists():
        return ""
    return f"{path.relative_to(folder) if path.is_absolute() else path} "


def _diagnostics(case: dict, folder: Path) -> list:
    """The case's diagnostics. A case with `files:` is checked in a folder of its own holding those
    files too (other project files it refers to); with `programme: true` it is the programme file,
    analysed with its members."""
    if "files" not in case and not case.get("programme"):
        return check_text(case["project"], "case.yaml")
    (folder / ".git").mkdir()
    for name, text in (case.get("files") or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "case.yaml").write_text(case["project"], encoding="utf-8")
    if case.get("programme"):
        from driverkit import load_programme

        return load_programme(folder / "case.yaml").diagnostics
    return check_text(case["project"], str(folder / "case.yaml"))


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict, tmp_path: Path) -> None:
    diagnostics = _diagnostics(case, tmp_path)
    found = [f"{d.code} {_in_file(d.file, tmp_path)}{d.line}:{d.column}" for d in diagnostics if d.code == code]
    assert found == case.get("expect", []), "\n".join(str(d) for d in diagnostics)
    for fragment in case.get("messages", []):
        assert any(fragment in d.message for d in diagnostics if d.code == code), fragment


def test_every_rule_has_cases_that_fire_and_cases_that_do_not() -> None:
    by_code = {path.name.split("-", 1)[0]: path for path in _case_files()}
    missing = [r.code for r in all_rules() if r.code not in by_code]
    assert not missing, f"rules without a case file in tests/rules/: {missing}"
    for rule in all_rules():
        spec = yaml.safe_load(by_code[rule.code].read_text(encoding="utf-8"))
        assert spec["rule"] == rule.code
        assert by_code[rule.code].stem == f"{rule.code}-{rule.name}"
        assert any(case.get("expect") for case in spec["cases"]), f"{rule.code}: no case where it fires"
        if rule.can_disable:
            assert any(not case.get("expect") for case in spec["cases"]), f"{rule.code}: no case where it stays quiet"
