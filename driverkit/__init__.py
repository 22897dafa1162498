"""driverkit: healthcare improvement projects as code.

Describe a project (aim, driver diagram, measures) in one YAML file; driverkit validates it,
checks its logic chain and reports every problem at its file:line:column.

    >>> import driverkit
    >>> project = driverkit.load("examples/maternity.yaml")
    >>> for diagnostic in driverkit.check(project):
    ...     print(diagnostic)

The names below are imported on first use, so `import driverkit` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "check": "driverkit.checker",
    "check_file": "driverkit.checker",
    "check_text": "driverkit.checker",
    "Diagnostic": "driverkit.diagnostics",
    "ProjectError": "driverkit.diagnostics",
    "Severity": "driverkit.diagnostics",
    "WrittenDate": "driverkit.fields",
    "Placeholder": "driverkit.fields",
    "load": "driverkit.loader",
    "loads": "driverkit.loader",
    "Aim": "driverkit.model",
    "ChangeIdea": "driverkit.model",
    "Columns": "driverkit.model",
    "Dates": "driverkit.model",
    "Driver": "driverkit.model",
    "Element": "driverkit.model",
    "Link": "driverkit.model",
    "LinkedChangeIdea": "driverkit.model",
    "Measure": "driverkit.model",
    "NestedChangeIdea": "driverkit.model",
    "Project": "driverkit.model",
    "RuleSettings": "driverkit.model",
    "TeamMember": "driverkit.model",
    "Rule": "driverkit.rules",
    "all_rules": "driverkit.rules",
    "find_rule": "driverkit.rules",
    "json_schema": "driverkit.schema",
    "render": "driverkit.rendering",
    "render_to_file": "driverkit.rendering",
    "RenderError": "driverkit.engine",
    "RenderWarning": "driverkit.engine",
    "RenderSettings": "driverkit.model",
    "ViewError": "driverkit.diagram",
    "analyse": "driverkit.spc",
    "Analysis": "driverkit.spc",
    "chart": "driverkit.charts",
    "ChartSettings": "driverkit.model",
    "DataPoint": "driverkit.model",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'driverkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from driverkit.checker import check, check_file, check_text
    from driverkit.diagnostics import Diagnostic, ProjectError, Severity
    from driverkit.fields import Placeholder, WrittenDate
    from driverkit.loader import load, loads
    from driverkit.model import (
        Aim,
        ChangeIdea,
        Columns,
        Dates,
        Driver,
        Element,
        Link,
        LinkedChangeIdea,
        Measure,
        NestedChangeIdea,
        Project,
        RuleSettings,
        TeamMember,
    )
    from driverkit.rules import Rule, all_rules, find_rule
    from driverkit.diagram import ViewError
    from driverkit.engine import RenderError, RenderWarning
    from driverkit.model import RenderSettings
    from driverkit.rendering import render, render_to_file
    from driverkit.schema import json_schema
    from driverkit.spc import Analysis, analyse
    from driverkit.charts import chart
    from driverkit.model import ChartSettings, DataPoint
