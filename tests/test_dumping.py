"""A project written back as YAML reads as a person would write it and loads back the same."""

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import driverkit
from driverkit.project.dumping import dump, dumps
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "programme").rglob("*.yaml"))


def _messages(project: driverkit.Project) -> list[str]:
    # Diagnostics without their file and place, which differ between the two files.
    return sorted(f"{d.severity} {d.code} {d.message}" for d in driverkit.check(project))


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the examples to write beside: tests running meanwhile read the examples folder."""
    folder = tmp_path_factory.mktemp("dumping") / "examples"
    shutil.copytree(ROOT / "examples", folder)
    (folder.parent / ".git").mkdir()  # the project boundary, as in the repository
    return folder


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_written_back_loads_to_the_same_project_with_the_same_findings(path: Path, examples: Path) -> None:
    original = examples / path.relative_to(ROOT / "examples")
    project = driverkit.load(original)
    copy_path = original.parent / f".dumped-{path.name}"  # beside it, so that its data files resolve
    dump(project, copy_path)
    copy = driverkit.load(copy_path)
    assert copy.model_dump() == project.model_dump()
    assert _messages(copy) == _messages(project)


def test_the_yaml_is_what_a_person_would_write() -> None:
    text = dumps(driverkit.load(ROOT / "examples" / "maternity.yaml"))
    assert text.startswith("driverkit: 1\ntitle: ")
    assert "status: idea" not in text  # defaults left out
    assert "strength: strong" not in text
    assert "id: C1.1.1" not in text  # generated ids left out; the positions give them again
    assert "measures: [M1, M2, M22, M23]" in text  # short id lists on one line
    assert "also: [S1.2]" in text  # a plain link as its id
    assert "by: 2020-12-31\n" in text  # dates unquoted
    assert "!!" not in text


def test_a_shared_measure_keeps_only_what_the_member_wrote() -> None:
    member = driverkit.load(ROOT / "examples" / "programme" / "trusts" / "wave2-southbay.yaml")
    text = dumps(member)
    block = next(b for b in text.split("\n  - ") if "use: ../national.yaml#M3" in b)
    assert "denominator: Women booked for antenatal care at Southbay in the month" in block
    assert "family: outcome" in block  # written by the member: differs from the shared process measure
    assert "definition:" not in block and "name:" not in block  # taken from the programme file


def test_a_project_built_in_code_is_written_out() -> None:
    project = driverkit.Project(
        driverkit=1, title="Falls on ward 7",
        aim=driverkit.Aim(statement="Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by March 2027"),
        drivers=[driverkit.Driver(text="Patients at risk are known", changes=[{"text": "Falls risk check at admission", "status": "testing"}])],
    )
    text = dumps(project)
    assert "- text: Patients at risk are known\n" in text and "status: testing" in text
    assert driverkit.loads(text, "built.yaml").model_dump() == project.model_dump()


def test_the_output_is_atomic_and_refuses_a_folder(tmp_path: Path) -> None:
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    with pytest.raises(OSError):
        dump(project, tmp_path)
    target = tmp_path / "sepsis.yaml"
    dump(project, target)
    assert target.read_text(encoding="utf-8") == dumps(project)
    assert [p.name for p in tmp_path.iterdir()] == ["sepsis.yaml"]  # no temporary file left


# Text as anyone might write it: several lines, trailing spaces, YAML-looking words, odd Unicode.
TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x85\u2028\u2029"), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(TEXT, TEXT)
def test_any_text_survives_the_round_trip(title: str, note: str) -> None:
    try:
        project = driverkit.Project(driverkit=1, title=title, aim=driverkit.Aim(statement="Reduce falls by 20% by 2027"), notes=note)
    except Exception:
        return  # text the model itself refuses (control characters in a title) is not ours to write
    copy = driverkit.loads(dumps(project), "round.yaml")
    assert (copy.title, copy.notes) == (project.title, project.notes)
