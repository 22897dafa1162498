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

from driverkit.project import display as _display

__version__ = "0.1.0"

_EXPORTS = {
    "check": "driverkit.programme.checking",
    "check_file": "driverkit.programme.checking",
    "check_text": "driverkit.programme.checking",
    "Diagnostic": "driverkit.project.diagnostics",
    "DriverkitError": "driverkit.project.diagnostics",
    "OptionError": "driverkit.project.diagnostics",
    "ImportFailed": "driverkit.importing",
    "diagnostics_frame": "driverkit.notebook",
    "show": "driverkit.notebook",
    "ProjectError": "driverkit.project.diagnostics",
    "Severity": "driverkit.project.diagnostics",
    "WrittenDate": "driverkit.project.fields",
    "Placeholder": "driverkit.project.fields",
    "dump": "driverkit.project.dumping",
    "dumps": "driverkit.project.dumping",
    "load": "driverkit.project.loader",
    "loads": "driverkit.project.loader",
    "Aim": "driverkit.project.model",
    "ChangeIdea": "driverkit.project.model",
    "Columns": "driverkit.project.model",
    "Dates": "driverkit.project.model",
    "Driver": "driverkit.project.model",
    "Element": "driverkit.project.model",
    "Link": "driverkit.project.model",
    "LinkedChangeIdea": "driverkit.project.model",
    "Measure": "driverkit.project.model",
    "NestedChangeIdea": "driverkit.project.model",
    "Objective": "driverkit.project.model",
    "Project": "driverkit.project.model",
    "RuleSettings": "driverkit.project.model",
    "TeamMember": "driverkit.project.model",
    "Rule": "driverkit.checks.rules",
    "all_rules": "driverkit.checks.rules",
    "find_rule": "driverkit.checks.rules",
    "json_schema": "driverkit.project.schema",
    "render": "driverkit.output.rendering",
    "render_to_file": "driverkit.output.rendering",
    "RenderError": "driverkit.output.engine",
    "RenderWarning": "driverkit.output.engine",
    "RenderSettings": "driverkit.project.model",
    "ViewError": "driverkit.documents.diagram",
    "ViewOptions": "driverkit.documents.diagram",
    "build_diagram": "driverkit.documents.diagram",
    "analyse": "driverkit.spc.analysis",
    "Analysis": "driverkit.spc.analysis",
    "chart": "driverkit.spc.charts",
    "ChartSettings": "driverkit.project.model",
    "DataPoint": "driverkit.project.model",
    "Member": "driverkit.project.model",
    "Programme": "driverkit.programme.analysis",
    "ProgrammeSettings": "driverkit.project.model",
    "load_programme": "driverkit.programme.analysis",
    "find_near_matches": "driverkit.programme.analysis",
    "write_programme_files": "driverkit.output.programme_files",
    "Decision": "driverkit.project.model",
    "NotRecorded": "driverkit.programme.recording",
    "record_decisions": "driverkit.programme.recording",
    "Review": "driverkit.programme.review",
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


def _project_svg(project: Any) -> str:
    """A project's driver diagram as SVG text: how Jupyter shows a `Project`."""
    from driverkit.output.rendering import render

    return render(project, "svg").decode("utf-8")


def _analysis_html(analysis: Any) -> str:
    """An analysis as a table of its reading and its chart: how Jupyter shows an `Analysis`."""
    from driverkit.notebook import analysis_html

    return analysis_html(analysis)


# The model and the analysis cannot import the renderer (they sit below it), so the display is
# handed down here.
_display.svg = _project_svg
_display.analysis_html = _analysis_html  # type: ignore[attr-defined]


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from driverkit.programme.checking import check, check_file, check_text
    from driverkit.project.diagnostics import Diagnostic, DriverkitError, OptionError, ProjectError, Severity
    from driverkit.importing import ImportFailed
    from driverkit.notebook import diagnostics_frame, show
    from driverkit.project.fields import Placeholder, WrittenDate
    from driverkit.project.dumping import dump, dumps
    from driverkit.project.loader import load, loads
    from driverkit.project.model import (
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
        Objective,
        Project,
        RuleSettings,
        TeamMember,
    )
    from driverkit.checks.rules import Rule, all_rules, find_rule
    from driverkit.documents.diagram import ViewError, ViewOptions, build_diagram
    from driverkit.output.engine import RenderError, RenderWarning
    from driverkit.project.model import RenderSettings
    from driverkit.output.rendering import render, render_to_file
    from driverkit.project.schema import json_schema
    from driverkit.spc.analysis import Analysis, analyse
    from driverkit.spc.charts import chart
    from driverkit.project.model import ChartSettings, DataPoint
    from driverkit.project.model import Member, ProgrammeSettings
    from driverkit.programme.analysis import Programme, find_near_matches, load_programme
    from driverkit.output.programme_files import write_programme_files
    from driverkit.project.model import Decision
    from driverkit.programme.recording import NotRecorded, record_decisions
    from driverkit.programme.review import Review
