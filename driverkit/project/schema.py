"""The JSON Schema of the project file, for editors (yaml-language-server) and other validators.

Pydantic writes JSON Schema 2020-12; yaml-language-server understands draft-07, so definitions
are moved from `$defs` to `definitions` and the draft is declared.
"""

from __future__ import annotations

import json
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) that describes a driverkit project file."""
    from driverkit.project.model import Project

    schema = Project.model_json_schema(by_alias=True, mode="validation")
    schema = _to_draft_07(schema)
    ordered: dict[str, Any] = {"$schema": DRAFT_07, "$id": "https://driverkit.invalid/schemas/driverkit.schema.json"}
    ordered.update(schema)
    return ordered


def schema_text() -> str:
    """The schema as the text written to schemas/driverkit.schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _to_draft_07(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$defs":
                key = "definitions"
            if key == "$ref" and isinstance(value, str):
                value = value.replace("#/$defs/", "#/definitions/")
            out[key] = _to_draft_07(value)
        return out
    if isinstance(node, list):
        return [_to_draft_07(item) for item in node]
    return node
