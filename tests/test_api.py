"""The public Python API: the names it exports, their types, and documentation of the format."""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import BaseModel

import driverkit
from driverkit.project import model

PUBLIC = [
    "Aim", "Analysis", "ChangeIdea", "ChartSettings", "DataPoint", "Columns", "Dates", "Diagnostic", "Driver", "Element", "Link", "LinkedChangeIdea",
    "Measure", "NestedChangeIdea", "Placeholder", "Project", "ProjectError", "RenderError", "RenderSettings",
    "RenderWarning", "Rule", "RuleSettings", "Severity", "TeamMember", "ViewError", "WrittenDate", "__version__",
    "all_rules", "analyse", "chart", "check", "check_file", "check_text", "find_rule", "json_schema", "load", "loads", "render",
    "render_to_file", "Member", "Programme", "ProgrammeSettings", "load_programme", "write_programme_files",
    "Objective", "ViewOptions", "build_diagram", "dump", "dumps",
    "DriverkitError", "OptionError", "ImportFailed", "diagnostics_frame", "show",
    "Decision", "NotRecorded", "Review", "record_decisions", "find_near_matches",
]


def test_public_names_are_pinned() -> None:
    assert sorted(driverkit.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert hasattr(driverkit, name), name


def test_package_is_typed() -> None:
    assert (Path(driverkit.__file__).parent / "py.typed").exists()


def test_every_field_has_a_description() -> None:
    missing = []
    for name in dir(model):
        cls = getattr(model, name)
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__:
            for field_name, field in cls.model_fields.items():
                if not field.description:
                    missing.append(f"{cls.__name__}.{field_name}")
    assert not missing


def test_load_check_round_trip(starter_text: str) -> None:
    project = driverkit.loads(starter_text, filename="starter.yaml")
    assert isinstance(project, driverkit.Project)
    assert driverkit.check(project) == []
    assert project.aim_statement == (
        "Reduce the rate of inpatient falls for patients aged 65 and over on the care of older people wards "
        "from 8.2 falls per 1,000 occupied bed days (December 2025) to 6 falls per 1,000 occupied bed days "
        "by December 2026.")
    dumped = project.model_dump(mode="json")
    assert dumped["aim"]["for"] == "patients aged 65 and over"
    assert driverkit.Project.model_validate(dumped).aim_statement == project.aim_statement


def test_check_returns_diagnostics_with_places() -> None:
    diagnostics = driverkit.check_text("driverkit: 1\ntitle: T\naim: {improve: x}\n", "x.yaml")
    first = diagnostics[0]
    assert isinstance(first, driverkit.Diagnostic)
    assert first.file == "x.yaml" and first.line >= 1 and first.column >= 1
    assert first.severity in set(driverkit.Severity)
    assert str(first).startswith(f"x.yaml:{first.line}:{first.column}: {first.severity.value} {first.code} ")


def test_project_error_carries_every_diagnostic() -> None:
    try:
        driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\nfoo: 1\nbar: 2\n", "x.yaml")
    except driverkit.ProjectError as exc:
        assert [d.code for d in exc.diagnostics] == ["DK003", "DK003"]
        assert "x.yaml:4:1" in str(exc) and "(and 1 more)" in str(exc)
    else:
        raise AssertionError("expected ProjectError")


def test_rules_are_complete_and_documented() -> None:
    rules = driverkit.all_rules()
    assert len({r.code for r in rules}) == len(rules) == len({r.name for r in rules})
    for r in rules:
        assert r.code.startswith("DK") and r.summary and r.name == r.name.lower()
        assert r.hint or r.code == "DK004"
        assert r.explanation or r.code.startswith("DK0"), r.code
    assert driverkit.find_rule("dk101") is driverkit.find_rule("dangling-reference")


def test_type_hints_resolve() -> None:
    for fn in (driverkit.load, driverkit.loads, driverkit.check, driverkit.check_file, driverkit.check_text):
        typing.get_type_hints(fn)


def test_a_project_changed_in_place_is_checked_as_it_is(starter_text: str) -> None:
    project = driverkit.loads(starter_text)
    project.drivers[0].drivers.append(driverkit.Driver(text="A new secondary driver"))
    project.drivers.append(driverkit.Driver(text="Implement a new falls policy"))
    found = {(d.code, d.message) for d in driverkit.check(project)}
    assert ("DK202", "secondary driver S1.2 has no change ideas") in found
    assert ("DK202", "primary driver P3 has no change ideas") in found
    assert ("DK210", 'driver P3 names a solution ("Implement"); that is a change idea') in found


def test_check_takes_one_rule_name_or_many_and_refuses_unknown_ones(starter_text: str) -> None:
    import pytest

    project = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\n")
    codes = {d.code for d in driverkit.check(project, disable="DK205")}
    assert "DK205" not in codes and "DK204" in codes
    with pytest.raises(ValueError, match="no rule"):
        driverkit.check(project, disable=["DK999"])


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, driverkit; print(sorted(m for m in ('networkx', 'pydantic', 'yaml') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_composed_statement_keeps_the_preposition_written() -> None:
    project = driverkit.loads("driverkit: 1\ntitle: T\naim:\n  improve: readmissions\n  where: from the cardiology wards\n")
    assert project.aim_statement == "Improve readmissions from the cardiology wards."


def test_change_ideas_parents_and_children() -> None:
    project = driverkit.load(Path(__file__).parent.parent / "examples" / "maternity.yaml")
    assert len(project.change_ideas) == len(project.all_changes()) > len(project.changes)
    assert [d.id for d in project.children(project.aim)] == [d.id for d in project.drivers]
    assert project.children("aim") == project.children(project.aim)
    assert project.parents("P1") == [project.aim]
    s11 = project.element("S1.1")
    assert [p.id for p in project.parents(s11)] == ["P1"]
    assert [c.id for c in project.children(s11)] == ["C1.1.1", "C1.1.2"]
    c111 = project.element("C1.1.1")
    assert [p.id for p in project.parents(c111)] == ["S1.1", "S1.2"]  # nested under S1.1, `also: S1.2`
    import pytest

    with pytest.raises(KeyError, match="X9"):
        project.parents("X9")


def test_the_aims_baseline_target_and_date_from_fields_or_statement() -> None:
    fields = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: falls, from: 8, reduce_by: 25%, by: 2026-03}\n").aim
    assert (fields.baseline, fields.target, fields.date) == (8.0, 6.0, driverkit.WrittenDate(2026, 3, 31, "month"))
    written = driverkit.loads("driverkit: 1\ntitle: T\naim: {statement: Reduce falls on ward 7 from 12 to 8 a month by March 2026}\n").aim
    assert (written.baseline, written.target, written.date) == (12.0, 8.0, driverkit.WrittenDate(2026, 3, 31, "month"))
    bracketed = driverkit.loads("driverkit: 1\ntitle: T\naim: {statement: Increase checks from 54% (April to September 2025) to 90% by March 2027}\n").aim
    assert (bracketed.baseline, bracketed.target) == (54.0, 90.0)  # the "to" in the brackets is not the target's
    placeholder = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: falls, by: TBC}\n").aim
    assert isinstance(placeholder.date, driverkit.Placeholder) and placeholder.target_date is None
    assert (placeholder.baseline, placeholder.target) == (None, None)


# -- errors driverkit raises on purpose, and projects built in code ----------------------------

def test_a_wrong_value_in_code_is_a_driverkit_error_at_the_elements_path() -> None:
    import pytest

    with pytest.raises(driverkit.ProjectError) as caught:
        driverkit.Project(driverkit=1, title="T", aim={"improve": "x"}, drivers=[{"txt": "x"}])
    error = caught.value
    assert isinstance(error, driverkit.DriverkitError) and isinstance(error, ValueError)  # `except ValueError` still works
    assert error.code == "DK003"
    assert str(error).startswith("<project>:drivers[0].txt: error DK003 unknown key `txt` (did you mean `text`?)")
    first = error.diagnostics[0]
    assert (first.file, first.line, first.column, first.path) == ("<project>", 0, 0, "drivers[0].txt")
    assert first.to_dict()["path"] == "drivers[0].txt"


def test_a_wrong_type_in_code_names_its_path_and_rule() -> None:
    import pytest

    with pytest.raises(ValueError) as caught:
        driverkit.Project(driverkit=1, title="T", aim={"improve": "x"},
                          drivers=[{"text": "A", "changes": [{"text": "a"}, {"text": "b", "status": "done-ish"}]}])
    assert [d.code for d in caught.value.diagnostics] == ["DK004"]  # type: ignore[attr-defined]
    assert "<project>:drivers[0].changes[1].status: error DK004" in str(caught.value)


def test_loading_a_file_is_unchanged_by_the_code_path() -> None:
    """The loader validates without the code path: its problems keep their file:line:column."""
    import pytest

    with pytest.raises(driverkit.ProjectError) as caught:
        driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\ndrivers:\n  - txt: x\n", "x.yaml")
    assert str(caught.value).startswith("x.yaml:5:5: error DK003 unknown key `txt`")
    assert "path" not in caught.value.diagnostics[0].to_dict()  # the JSON list of a file is as it was


def test_diagnostics_of_a_project_built_in_code_name_the_element() -> None:
    from driverkit.checks.report import format_diagnostics

    project = driverkit.Project(driverkit=1, title="T", aim={"improve": "x"},
                                drivers=[{"text": "A", "changes": [{"text": "a"}, {"id": "C9", "text": "b", "status": "testing"}]}])
    found = driverkit.check(project)
    assert found and all(d.file == "<project>" and d.line == 0 for d in found)
    assert not any("<string>:1:1" in str(d) for d in found)
    places = {str(d).split(": ")[0] for d in found}
    assert "<project>:drivers[0] (P1)" in places or any(p.startswith("<project>:drivers[0]") for p in places)
    status = [d for d in found if d.path.startswith("drivers[0].changes[1]")]
    assert status and str(status[0]).startswith("<project>:drivers[0].changes[1]")
    assert "(C9)" in str(status[0])
    text = format_diagnostics({"<project>": found}, "text", group=False)
    assert "  drivers[0].changes[1]" in text and "1:1" not in text
    import json

    listed = json.loads(format_diagnostics({"<project>": found}, "json"))
    assert {d["path"] for d in listed} >= {status[0].path}


def test_a_repeat_in_a_project_built_in_code_names_where_the_first_one_is() -> None:
    project = driverkit.Project(driverkit=1, title="T", aim={"statement": "Reduce falls from 8 to 4 by March 2026"},
                                drivers=[{"id": "P1", "text": "Safe wards"}, {"id": "P2", "text": "Safe wards"}])
    repeat = [d.message for d in driverkit.check(project) if d.code == "DK207"]
    assert repeat == ["P2 says the same as P1 (drivers[0].text)"]


def test_every_error_driverkit_raises_on_purpose_shares_one_base() -> None:
    from driverkit.importing import ImportFailed

    assert issubclass(driverkit.ProjectError, driverkit.DriverkitError)
    assert issubclass(ImportFailed, driverkit.DriverkitError) and driverkit.ImportFailed is ImportFailed
    assert issubclass(driverkit.OptionError, driverkit.DriverkitError) and issubclass(driverkit.OptionError, ValueError)
    try:
        driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\nowner: me\n", "bad.yaml")
    except driverkit.DriverkitError as error:
        assert error.code == "DK003"
    else:
        raise AssertionError("expected an error")
