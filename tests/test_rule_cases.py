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


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict) -> None:
    diagnostics = check_text(case["project"], "case.yaml")
    found = [f"{d.code} {d.line}:{d.column}" for d in diagnostics if d.code == code]
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
