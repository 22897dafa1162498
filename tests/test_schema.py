"""The JSON Schema: committed copy is fresh, draft-07 only, and agrees with the loader on the examples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from driverkit.project.schema import schema_text
from tests.conftest import ROOT, STARTER

SCHEMA_PATH = ROOT / "schemas" / "driverkit.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_committed_schema_is_fresh() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run `make schema`"


def test_schema_uses_draft_07_only() -> None:
    schema = json.loads(schema_text())
    jsonschema.Draft7Validator.check_schema(schema)
    text = json.dumps(schema)
    for keyword in ("$defs", "prefixItems", "unevaluatedProperties", "dependentRequired", "$dynamicRef"):
        assert keyword not in text


def _as_json(value):
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", [STARTER, *EXAMPLES], ids=lambda p: p.name)
def test_valid_files_pass_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    data = _as_json(yaml.safe_load(text))
    jsonschema.Draft7Validator(json.loads(schema_text())).validate(data)


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft7Validator(json.loads(schema_text()))
    base = {"driverkit": 1, "title": "T", "aim": {"improve": "x"}}
    assert validator.is_valid(base)
    assert not validator.is_valid({**base, "titel": "x"})
    assert not validator.is_valid({**base, "drivers": [{"text": "a", "changes": [{"text": "b", "status": "done"}]}]})
    assert validator.is_valid({**base, "changes": [{"text": "b", "drivers": ["P1", {"to": "P2", "strength": "weak"}]}]})


def test_schema_accepts_one_item_without_brackets_like_the_loader() -> None:
    from driverkit import loads

    validator = jsonschema.Draft7Validator(json.loads(schema_text()))
    data = {"driverkit": 1, "title": "T", "aim": {"improve": "x", "measures": "M1"},
            "drivers": [{"text": "a", "also": "P2", "tags": "x", "measures": "M1"}],
            "changes": [{"text": "c", "drivers": "P1"}]}
    assert validator.is_valid(data)
    project = loads(json.dumps(data))
    assert project.drivers[0].also[0].to == "P2" and project.changes[0].drivers[0].to == "P1"
