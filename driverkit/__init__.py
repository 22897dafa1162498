"""driverkit: healthcare improvement projects as code.

Describe a project (aim, driver diagram, measures) in one YAML file; driverkit validates it,
checks its logic chain and reports every problem at its file:line:column.

    >>> import driverkit
    >>> project = driverkit.load("examples/maternity.yaml")
    >>> for diagnostic in driverkit.check(project):
    ...     print(diagnostic)
"""

from driverkit.checker import check, check_file, check_text
from driverkit.diagnostics import Diagnostic, ProjectError, Severity
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
    Placeholder,
    Project,
    RuleSettings,
    TeamMember,
)
from driverkit.rules import Rule, all_rules, find_rule
from driverkit.schema import json_schema

__version__ = "0.1.0"

__all__ = [
    "Aim",
    "ChangeIdea",
    "Columns",
    "Dates",
    "Diagnostic",
    "Driver",
    "Element",
    "Link",
    "LinkedChangeIdea",
    "Measure",
    "Placeholder",
    "Project",
    "ProjectError",
    "Rule",
    "RuleSettings",
    "Severity",
    "TeamMember",
    "__version__",
    "all_rules",
    "check",
    "check_file",
    "check_text",
    "find_rule",
    "json_schema",
    "load",
    "loads",
]
