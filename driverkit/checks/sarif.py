"""Diagnostics as SARIF 2.1.0, the format GitHub code scanning reads (`check --format sarif`).

One run, whose tool lists every driverkit rule (so a result's `ruleIndex` is stable from run to
run), and one result per diagnostic. Files are named relative to the repository root under the
`%SRCROOT%` base, so code scanning places each result on the file in the repository; a file
outside the root is named by its absolute `file:` URI. The same diagnostics give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from driverkit.checks.rules import Rule, all_rules
from driverkit.project.diagnostics import Diagnostic, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
ROOT_BASE = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
RULES_DOC = "docs/rules.md"  # in the driverkit repository: one section a rule


def sarif_log(results: dict[str, list[Diagnostic]], version: str, root: Optional[Path] = None) -> dict[str, Any]:
    """The SARIF log of the files checked (`results` maps each file to its diagnostics).

    `root` is the repository root the file names are made relative to (None: the names as given).
    """
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    found = [d for ds in results.values() for d in ds]
    driver = {
        "name": "driverkit",
        "version": version,
        "semanticVersion": version,
        "informationUri": "https://pypi.org/project/driverkit/",
        "rules": [_rule(rule) for rule in rules],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {ROOT_BASE: {"description": {"text": "The root of the repository checked."}}},
        "results": [_result(d, index, root) for d in found],
        "columnKind": "unicodeCodePoints",  # driverkit counts columns in characters
    }
    return {"$schema": SCHEMA, "version": VERSION, "runs": [run]}


def _rule(rule: Rule) -> dict[str, Any]:
    anchor = f"{RULES_DOC}#{rule.code.lower()}-{rule.name}"
    explanation = " ".join(rule.explanation.split())
    text = "\n\n".join(part for part in (explanation, f"How to fix: {rule.hint}" if rule.hint else "",
                                         f"See {anchor} in the driverkit repository.") if part)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": explanation or rule.summary},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["driverkit"], "canBeDisabled": rule.can_disable, "quietInDraft": rule.quiet_in_draft},
    }


def _result(d: Diagnostic, index: dict[str, int], root: Optional[Path]) -> dict[str, Any]:
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    result: dict[str, Any] = {"ruleId": d.code, "level": LEVELS[d.severity], "message": {"text": message}}
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if d.placed_in_file:
        result["locations"] = [{"physicalLocation": {
            "artifactLocation": artifact(d.file, root),
            "region": {"startLine": d.line, "startColumn": d.column},
        }}]
    else:  # a project built in code: its place is a path in the document
        logical = {"fullyQualifiedName": d.path or "(top level)", "kind": "element"}
        if d.element:
            logical["name"] = d.element
        result["locations"] = [{"logicalLocations": [logical]}]
    return result


def artifact(file: str, root: Optional[Path]) -> dict[str, str]:
    """The artifactLocation of a file: relative to `root` under %SRCROOT% when it lies inside it
    (or when there is no root and the name is relative), else an absolute file: URI."""
    path = Path(file)
    if root is not None:
        try:
            relative = path.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            return {"uri": path.resolve().as_uri()} if path.is_absolute() or path.exists() else {"uri": quote(file)}
        return {"uri": quote(relative.as_posix()), "uriBaseId": ROOT_BASE}
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": ROOT_BASE}
