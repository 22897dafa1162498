"""Importing a driver diagram from a spreadsheet (outline layout) or a FreeSPC export."""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Optional

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverkit
from driverkit.importing import ImportFailed, import_file, import_freespc, import_outline, write_import
from driverkit.importing import sheets

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "import"
MAKER = ROOT / "tests" / "data" / "import" / "make_examples.py"


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)  # as a spreadsheet writes it
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[Optional[str]]], merges: tuple[str, ...] = (), title: str = "Sheet1",
               extra_sheets: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    for name in extra_sheets:  # sheets before the diagram, with no header
        book.create_sheet(name, 0)["A1"] = "Notes for the team"
    sheet = book[book.sheetnames[-1]]
    sheet.title = title
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    for merged in merges:
        sheet.merge_cells(merged)
    book.save(path)
    return path


def errors(text: str) -> list[str]:
    return [str(d) for d in driverkit.check_text(text) if d.severity.value == "error"]


def load(text: str) -> Any:
    return driverkit.loads(text)


def texts(project: Any, level: str) -> list[str]:
    drivers = [d for d in project.all_drivers() if d.id.startswith({"primary": "P", "secondary": "S", "tertiary": "T"}[level])]
    return [d.text for d in drivers]


HEADER = ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"]
AIM = "Reduce inpatient falls for patients aged 65 and over from 8.2 to 6 per 1,000 bed days by December 2026"


# -- the shipped example ------------------------------------------------------------------------

def test_shipped_workbook_gives_a_project_with_the_published_drivers_and_its_links() -> None:
    text = import_file(EXAMPLES / "outline.xlsx")
    assert errors(text) == []
    project = load(text)
    assert project.title == "Maternity and neonatal safety: our driver diagram"
    assert texts(project, "primary") == [
        "Increasing the proportion of smoke-free pregnancies",
        "Improve the optimisation and stabilisation of the very preterm infant",
        "Improve detection and management of diabetes in pregnancy",
        "Improve the detection and management of neonatal hypoglycaemia",
        "Improve the early recognition and management of deterioration of either mother or baby during or soon after birth",
    ]
    assert len(texts(project, "secondary")) == 10  # eleven written, one of them under two primary drivers
    assert len(project.all_changes()) == 16  # eighteen rows, two change ideas written twice
    plan = project.element("S3.2")
    assert plan.text.startswith("Women with diabetes and their babies have a birth and feeding plan")
    assert [link.to for link in plan.also] == ["P4"]
    colostrum = next(c for c in project.all_changes() if c.text.startswith("Antenatal colostrum"))
    assert [link.to for link in colostrum.also] == ["S4.1"]
    assert colostrum.status == "testing" and colostrum.owner == "Infant feeding lead midwife"
    assert project.aim.measures == ["M1", "M2"]
    assert [(m.name, m.family) for m in project.measures[:3]] == [
        ("Stillbirth rate", "outcome"), ("Term admissions to neonatal units", "balancing"),
        ("Carbon monoxide reading recorded at booking", "process")]
    assert project.columns.primary == "Primary drivers (clinical aims)"
    assert "# Columns not imported: Notes (J)." in text
    assert "# duplicate text joined: appears under P3 ('Driver diagram'!E12) and P4 ('Driver diagram'!E14)" in text
    assert "# merged cell: parent taken from row 4" in text


def test_shipped_csv_gives_the_same_project_as_the_workbook() -> None:
    from_workbook = import_file(EXAMPLES / "outline.xlsx")
    from_csv = import_file(EXAMPLES / "outline.csv")
    assert yaml.safe_load(from_csv) == yaml.safe_load(from_workbook)
    assert "# blank cell read as the one above: parent taken from row 4" in from_csv


def test_shipped_files_are_up_to_date_and_regenerate_byte_for_byte(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_examples", MAKER)
    maker = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(maker)  # type: ignore[union-attr]
    assert maker.workbook_bytes() == maker.workbook_bytes() == (EXAMPLES / "outline.xlsx").read_bytes()
    assert maker.csv_text().encode("utf-8") == (EXAMPLES / "outline.csv").read_bytes()
    shipped = (EXAMPLES / "outline.yaml").read_text(encoding="utf-8")
    assert import_file(EXAMPLES / "outline.xlsx") == shipped
    assert driverkit.check_file(EXAMPLES / "outline.yaml") and errors(shipped) == []


# -- the outline layout -------------------------------------------------------------------------

def test_blank_cells_are_read_as_the_cell_above_within_the_same_branch(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "falls.csv", [
        HEADER,
        [AIM, "Falls risk is known", "Risk assessed on admission", "Risk checklist in the admission pack"],
        ["", "", "", "Risk sticker on the bed board"],
        ["", "", "Risk reviewed after a fall", "Post-fall huddle"],
        ["", "Patients move safely", "", "Walking aid within reach at night"],
    ])
    text = import_file(path)
    project = load(text)
    assert errors(text) == []
    assert [c.text for c in project.element("S1.1").changes] == ["Risk checklist in the admission pack", "Risk sticker on the bed board"]
    assert [c.text for c in project.element("S1.2").changes] == ["Post-fall huddle"]
    # Row 5 starts a new primary driver: its blank secondary is not carried over from P1.
    assert [c.text for c in project.element("P2").changes] == ["Walking aid within reach at night"]
    assert project.element("P2").drivers == []
    assert "# no secondary driver on row 5: serves the primary driver directly" in text
    assert "# blank cell read as the one above: parent taken from row 2" in text


def test_the_table_of_the_readme(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "readme.csv", [
        ["Aim", "Outcome measure", "Primary drivers", "Secondary drivers", "Process measure", "Change ideas", "Status", "Lead"],
        [AIM, "Falls rate", "Falls risk is known", "Risk assessed on admission", "Assessed within 24 hours",
         "Risk checklist in the admission pack", "testing", "Ward 7 sister"],
        ["", "", "", "", "", "Risk sticker on the bed board", "idea", ""],
        ["", "", "", "Risk reviewed after a fall", "", "Post-fall huddle", "adopted", ""],
        ["", "", "Patients can move safely", "Risk assessed on admission", "", "Walking aid within reach at night", "", ""],
    ])
    text = import_file(path)
    assert errors(text) == []
    project = load(text)
    assert project.aim.measures == ["M1"] and project.element("S1.1").measures == ["M2"]
    assert [l.to for l in project.element("S1.1").also] == ["P2"]
    assert [c.text for c in project.element("S1.1").changes] == [
        "Risk checklist in the admission pack", "Risk sticker on the bed board", "Walking aid within reach at night"]
    assert project.element("S1.2").text == "Risk reviewed after a fall"


def test_a_row_with_only_a_measure_measures_the_element_above(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "measures.csv", [
        ["Primary drivers", "Secondary drivers", "Process measures", "Change ideas"],
        ["Falls risk is known", "Risk assessed on admission", "Assessed within 24 hours", "Checklist"],
        ["", "", "Time to assessment", ""],
    ])
    project = load(import_file(path))
    assert project.element("S1.1").measures == ["M1", "M2"]
    assert [c.text for c in project.all_changes()] == ["Checklist"]


def test_repeated_cells_give_one_element_each(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "repeated.csv", [
        HEADER,
        [AIM, "Falls risk is known", "Risk assessed on admission", "Checklist"],
        [AIM, "Falls risk is known", "Risk assessed on admission", "Sticker"],
        [AIM, "Falls risk is known", "Risk reviewed after a fall", "Huddle"],
    ])
    project = load(import_file(path))
    assert texts(project, "primary") == ["Falls risk is known"]
    assert texts(project, "secondary") == ["Risk assessed on admission", "Risk reviewed after a fall"]
    assert "blank cell" not in import_file(path)  # nothing was carried down: no comment


def test_merged_cells_in_a_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "merged.xlsx", [
        HEADER,
        [AIM, "Falls risk is known", "Risk assessed on admission", "Checklist"],
        [None, None, None, "Sticker"],
        [None, None, "Risk reviewed after a fall", "Huddle"],
    ], merges=("A2:A4", "B2:B4", "C2:C3"))
    text = import_file(path)
    project = load(text)
    assert [c.text for c in project.element("S1.1").changes] == ["Checklist", "Sticker"]
    assert [c.text for c in project.element("S1.2").changes] == ["Huddle"]
    assert project.aim.statement == AIM
    assert "# merged cell: parent taken from row 2" in text


def test_headers_are_matched_case_insensitively_with_synonyms(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "synonyms.csv", [
        ["Our driver diagram"],
        [],
        ["OVERALL AIM", "Key Drivers", "secondary", "Interventions", "RAG"],
        [AIM, "Falls risk is known", "Risk assessed on admission", "Checklist", "green"],
    ])
    text = import_file(path)
    project = load(text)
    assert project.title == "Our driver diagram"
    assert project.columns.aim == "OVERALL AIM" and project.columns.primary == "Key Drivers"
    assert project.columns.change == "Interventions"
    assert [c.text for c in project.element("S1.1").changes] == ["Checklist"]
    assert "# Columns not imported: RAG (E)." in text
    for name in ("Actions", "Change ideas", "Ideas for change", "changes"):
        alt = write_csv(tmp_path / "alt.csv", [["Primary", "Secondary drivers", name], ["P", "S", "C"]])
        assert [c.text for c in load(import_file(alt)).all_changes()] == ["C"]


def test_semicolon_separated_csv_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "semicolons.csv"
    path.write_bytes("\ufeffPrimary drivers;Change ideas\nFalls risk is known;Checklist, at admission\n".encode("utf-8"))
    assert [c.text for c in load(import_file(path)).all_changes()] == ["Checklist, at admission"]


def test_a_secondary_under_two_primaries_is_one_driver_with_two_links(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "shared.csv", [
        HEADER,
        [AIM, "Falls risk is known", "Staff know the falls bundle", "Bundle training"],
        ["", "Patients move safely", "Staff know the falls bundle", "Bundle on the ward round"],
        ["", "", "Aids within reach", "Bundle training"],
    ])
    text = import_file(path)
    project = load(text)
    assert errors(text) == []
    shared = project.element("S1.1")
    assert shared.text == "Staff know the falls bundle" and [l.to for l in shared.also] == ["P2"]
    assert texts(project, "secondary") == ["Staff know the falls bundle", "Aids within reach"]
    training = next(c for c in project.all_changes() if c.text == "Bundle training")
    assert [l.to for l in training.also] == ["S2.1"]
    assert "# duplicate text joined: appears under P1 (C2) and P2 (C3)" in text


def test_tertiary_drivers_measures_status_and_owner(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "full.csv", [
        ["Aim", "Outcome measure", "Primary", "Secondary", "Tertiary drivers", "Process measure", "Measure type",
         "Change ideas", "Status", "Owner"],
        [AIM, "Falls rate", "Risk is known", "Assessment", "Done on admission", "Assessed in 24 hours", "Process",
         "Checklist", "In progress", "Ward 7 sister"],
        ["", "", "", "", "", "Time to assessment", "balancing", "Sticker", "not started", ""],
        ["", "", "", "Review", "", "", "", "Huddle", "Adopted", ""],
    ])
    text = import_file(path)
    project = load(text)
    assert errors(text) == []
    assert project.element("T1.1.1").text == "Done on admission"
    assert [m for m in project.element("T1.1.1").measures] == ["M2", "M3"]
    checklist, sticker, huddle = project.all_changes()
    assert (checklist.status, checklist.owner, sticker.status, huddle.status) == ("testing", "Ward 7 sister", "idea", "adopted")
    assert [c.text for c in project.element("S1.2").changes] == ["Huddle"]  # no tertiary on its row
    assert [(m.name, m.family) for m in project.measures] == [
        ("Falls rate", "outcome"), ("Assessed in 24 hours", "process"), ("Time to assessment", "balancing")]
    assert "status: testing  # written 'In progress' in I2" in text


def test_texts_are_kept_exactly_and_quoted_safely(tmp_path: Path) -> None:
    odd = [
        "yes", "no", "on", "null", "~", "2026-01", "1.0", "- not a list", "key: value", "a #not a comment",
        "'single' and \"double\" quotes", "{braces} [brackets] & *star !tag %pct @at `tick`", "=SUM(A1:A9)",
        "line one\nline two", "tab\there", "right-to-left \u202eevil\u202c text", "emoji \U0001f3e5 and العربية",
        "trailing backslash \\", "---", "...", "x" * 5000, "next line\u0085here", "separator\u2028here",
    ]
    rows = [["Primary drivers", "Change ideas"]] + [["Falls risk is known", text] for text in odd]
    text = import_file(write_csv(tmp_path / "odd.csv", rows))
    assert errors(text) == []
    assert [c.text for c in load(text).all_changes()] == odd
    assert "SUM(" in text  # kept as text: a CSV cell is never a formula here


def test_names_from_the_file_cannot_break_the_comments(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd\nname: x.csv", [
        ["Primary drivers", "Change ideas", "Notes\ndrivers: [oops]", "Status"],
        ["Falls risk is known", "Checklist", "n", "Idea\u2028status: adopted"],
    ])
    with pytest.raises(ImportFailed, match="is not one driverkit knows"):
        import_file(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Idea\u2028status: adopted", "In\u2028progress"), encoding="utf-8")
    text = import_file(path)
    assert errors(text) == []
    project = load(text)
    assert project.title == "odd\nname: x"
    assert project.all_changes()[0].status == "testing"
    assert all(line == "" or line.startswith(("#", " ", "driverkit", "title", "aim", "drivers", "columns", "measures"))
               for line in text.split("\n"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                        min_size=1, max_size=40), min_size=1, max_size=6))
def test_any_cell_text_imports_exactly_or_fails_cleanly(tmp_path: Path, cells: list[str]) -> None:
    path = write_csv(tmp_path / "fuzz.csv", [["Primary drivers", "Change ideas"]] + [["Driver", c] for c in cells])
    try:
        text = import_file(path)
    except ImportFailed as exc:
        assert str(exc).startswith(str(path))
        return
    written = list(dict.fromkeys(c.strip() for c in cells if c.strip()))
    assert [c.text for c in load(text).all_changes()] == written
    assert errors(text) == []


def test_the_same_sheet_gives_the_same_bytes(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "twice.xlsx", [HEADER, [AIM, "P", "S", "C"]])
    assert import_file(path) == import_file(path)


def test_the_first_sheet_with_a_header_is_read_unless_one_is_named(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "sheets.xlsx", [HEADER, [AIM, "P", "S", "C"]], title="Diagram", extra_sheets=("Read me",))
    assert "(sheet Diagram)" in import_outline(path)
    with pytest.raises(ImportFailed, match=r"sheets\.xlsx: : |no sheet named 'Nope' \(its sheets: Read me, Diagram\)"):
        import_outline(path, sheet="Nope")
    with pytest.raises(ImportFailed, match="no recognisable header"):
        import_outline(path, sheet="Read me")


def test_an_empty_workbook_and_one_without_a_header(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(ImportFailed, match=re.escape(f"{empty}: sheet Sheet: the sheet is empty")):
        import_file(empty)
    notes = write_xlsx(tmp_path / "notes.xlsx", [["Notes"], ["nothing here"]], title="Second", extra_sheets=("First",))
    with pytest.raises(ImportFailed, match=re.escape(f"{notes}: no sheet has a recognisable header (its sheets: First, Second)")):
        import_file(notes)


def test_a_formula_is_never_worked_out(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "formula.xlsx", [["Primary drivers", "Change ideas"], ['=CONCAT("Falls ","risk")', "Checklist"]])
    with pytest.raises(ImportFailed) as caught:
        import_file(path)
    assert str(caught.value).startswith(f"{path}: Sheet1!A2: a formula with no saved result")
    # A formula in a column the importer leaves out does no harm.
    aside = write_xlsx(tmp_path / "aside.xlsx", [["Primary drivers", "Change ideas", "Count"], ["P", "C", "=1+1"]])
    assert "Columns not imported: Count (C)." in import_file(aside)
    # With the result the spreadsheet program saved, that result is the text.
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="A2"><f>CONCAT("Falls ","risk")</f><v></v></c>',
        b'<c r="A2" t="str"><f>CONCAT("Falls ","risk")</f><v>Falls risk is known</v></c>')
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(saved, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    text = import_file(saved)
    assert texts(load(text), "primary") == ["Falls risk is known"]
    assert "# text from the result saved with the formula in Sheet1!A2" in text


# -- bad input: a clear message with the file and the cell, never a traceback --------------------

@pytest.mark.parametrize("rows, place, message", [
    ([["Primary drivers", "Change ideas"], ["", "Checklist"]], "B2", "a change idea with no parent"),
    ([["Primary", "Secondary drivers", "Change ideas"], ["", "Assessment", "Checklist"]], "B2",
     "a secondary driver with no primary driver"),
    ([["Aim", "Primary", "Change ideas"], ["One aim", "P", "C"], ["Another aim", "P", "D"]], "A3", "a second aim"),
    ([["Primary", "Change ideas", "Status"], ["P", "C", "maybe"]], "C2", "the status 'maybe' is not one driverkit knows"),
    ([["Primary", "Change ideas", "Status"], ["P", "", "testing"]], "C2", "a status with no change idea on this row"),
    ([["Primary", "Measure", "Type", "Change ideas"], ["P", "Rate", "outcome", "C"], ["P", "Rate", "process", "D"]], "B3",
     "the measure 'Rate' is a outcome measure in B2"),
    ([["Primary", "Primary drivers", "Change ideas"], ["P", "Q", "C"]], "B1", "a second 'Primary drivers' column"),
    ([["Primary drivers", "Change ideas"], ["P", "x" * 5001]], "B2", "the cell holds 5,001 characters; the limit is 5,000"),
])
def test_bad_rows_name_the_cell(tmp_path: Path, rows: list[list[str]], place: str, message: str) -> None:
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        import_file(path)
    assert str(caught.value).startswith(f"{path}: {place}: {message}"), str(caught.value)
    assert caught.value.hint


def test_bad_cells_in_a_workbook_name_the_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", [["Title"], ["Primary drivers", "Change ideas"], [None, None], [None, "D"]],
                      title="Team diagram")
    with pytest.raises(ImportFailed, match=re.escape(f"{path}: 'Team diagram'!B4: a change idea with no parent")):
        import_file(path)


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"Notes,More notes\nnothing,here\n", "no recognisable header in the first 20 rows"),
    (b"Primary drivers,Change ideas\n", "no primary driver is written under this header"),
    (b"Aim,Change ideas\nA,C\n", "the header has no column of primary drivers"),
    (b"Primary drivers,Change ideas\nP,\xff\xfe\n", "the file is not UTF-8 text"),
    (b"Primary drivers,Change ideas\nP,C\x00\n", "this is a binary file"),
    (b'Primary drivers,Change ideas\nP,"C\n', "cannot be read as CSV"),
])
def test_bad_files_get_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=re.escape(message)) as caught:
        import_file(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_files_that_are_not_regular_or_too_big_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="this is a folder, not a file"):
        import_file(folder)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)
        with pytest.raises(ImportFailed, match="not a regular file"):
            import_file(fifo)
    with pytest.raises(ImportFailed, match="no such file"):
        import_file(tmp_path / "missing.xlsx")
    big = write_csv(tmp_path / "big.csv", [HEADER, [AIM, "P", "S", "C"]])
    monkeypatch.setattr(sheets, "MAX_FILE_BYTES", 20)
    with pytest.raises(ImportFailed, match="over the size limit of 20 bytes"):
        import_file(big)


def test_workbooks_that_are_not_workbooks_or_unpack_too_far(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Primary drivers,Change ideas\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="this is not an XLSX workbook"):
        import_file(fake)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFailed, match=r"the workbook cannot be read \("):
        import_file(broken)
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, [AIM, "P", "S", "C"]])
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ImportFailed, match="unpacks to more than 1,000 bytes"):
        import_file(good)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFailed, match="an Excel 97-2003 workbook"):
        import_file(old)


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    path = write_csv(tmp_path / "long.csv", [HEADER] + [[AIM, "P", "S", f"C{i}"] for i in range(5)])
    with pytest.raises(ImportFailed, match=re.escape(f"{path}: row 4: the file has more than 3 rows")):
        import_file(path)
    book = write_xlsx(tmp_path / "long.xlsx", [HEADER] + [[AIM, "P", "S", f"C{i}"] for i in range(5)])
    with pytest.raises(ImportFailed, match="the sheet has more than 3 rows"):
        import_file(book)


# -- writing ------------------------------------------------------------------------------------

def test_write_import_writes_a_project_that_checks_and_keeps_an_existing_file(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "falls.csv", [HEADER, [AIM, "Falls risk is known", "Assessment", "Checklist"]])
    target = tmp_path / "out" / "project.yaml"
    text = write_import(source, target)
    assert target.read_text(encoding="utf-8") == text
    assert [str(d) for d in driverkit.check_file(target) if d.severity.value == "error"] == []
    assert [p.name for p in target.parent.iterdir()] == ["project.yaml"]  # no temporary file left
    with pytest.raises(ImportFailed, match="the file exists already") as caught:
        write_import(source, target)
    assert caught.value.output
    assert write_import(source, target, title="Falls", overwrite=True).count("title: Falls\n") == 1
    with pytest.raises(ImportFailed, match="cannot be written"):
        write_import(source, tmp_path / "out", overwrite=True)  # a folder is never replaced


def test_a_failed_import_writes_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bad.csv", [["Primary drivers", "Change ideas"], ["", "Orphan"]])
    with pytest.raises(ImportFailed):
        write_import(source, tmp_path / "project.yaml")
    assert not (tmp_path / "project.yaml").exists()


# -- FreeSPC ------------------------------------------------------------------------------------

FREESPC_COLUMNS = ["id", "level", "parent_id", "text", "color", "auto_size", "extra_parents", "box_height", "vertical_gap",
                   "font_size", "font_family", "font_bold", "title_aim", "title_primary", "title_secondary", "title_change",
                   "palette_json", "measures_json"]


def freespc_row(node: str, level: str, parent: str, text: str, extra: str = "", measures: str = "[]", color: str = "") -> list[str]:
    return [node, level, parent, text, color, "0", extra, "60", "12", "14", "", "0", "Aim", "Key drivers",
            "Secondary drivers", "Change ideas", "[]", measures]


def test_freespc_export_with_links_measures_and_headers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "driver-diagram.csv", [FREESPC_COLUMNS,
        freespc_row("1", "aim", "", AIM, measures='[{"type":"outcome","text":"Falls rate"}]'),
        freespc_row("2", "primary", "1", "Falls risk is known", color="#ffcc00"),
        freespc_row("3", "primary", "1", "Patients move safely"),
        freespc_row("4", "secondary", "2", "Risk assessed on admission", extra="3",
                    measures='[{"type":"process","text":"Assessed in 24 hours"},{"type":"none","text":"Audit"}]'),
        freespc_row("5", "change", "4", "Checklist"),
        freespc_row("6", "change", "3", "Huddle at handover", extra="4;99"),
        ["", "change", "3", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ])
    text = import_freespc(path)
    assert text == import_file(path)  # told apart from an outline by its header
    assert errors(text) == []
    project = load(text)
    assert project.aim.statement == AIM and project.aim.measures == ["M1"]
    assert project.columns.primary == "Key drivers"
    assert [l.to for l in project.element("S1.1").also] == ["P2"]
    huddle = project.element("P2").changes[0]
    assert huddle.text == "Huddle at handover" and [l.to for l in huddle.also] == ["S1.1"]
    assert [(m.name, m.family) for m in project.measures] == [("Falls rate", "outcome"), ("Assessed in 24 hours", "process"),
                                                            ("Audit", "process")]
    assert "# FreeSPC id 4" in text
    assert "# extra parent 99 is not in the file: left out" in text
    assert "# Rows skipped, as the FreeSPC tool skips them (no id, level or text): 8." in text
    assert "# family process assumed: the measure has no type in the FreeSPC file" in text


def test_freespc_export_of_an_earlier_version_with_six_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "old.csv", [["id", "level", "parent_id", "text", "color", "extra_parents"],
                                            ["1", "aim", "", AIM, "", ""], ["2", "primary", "1", "P", "", ""],
                                            ["3", "secondary", "2", "S", "", ""], ["4", "change", "3", "C", "", ""]])
    project = load(import_file(path))
    assert [c.text for c in project.element("S1.1").changes] == ["C"]


@pytest.mark.parametrize("rows, place, message", [
    ([["1", "aim", "", "A"], ["2", "aim", "", "B"]], "D3", "a second aim"),
    ([["1", "primary", "", "P"], ["2", "change", "", "C"]], "C3", "a change idea with no parent"),
    ([["1", "primary", "", "P"], ["2", "change", "7", "C"]], "C3", "the parent '7' is not in the file"),
    ([["1", "primary", "", "P"], ["2", "secondary", "1", "S"], ["3", "primary", "2", "Q"]], "C4",
     "a primary driver drawn from a secondary driver"),
    ([["1", "tertiary", "", "P"]], "B2", "the level 'tertiary' is not one FreeSPC writes"),
    ([["1", "primary", "", "P"], ["1", "primary", "", "Q"]], "A3", "the id '1' is also on row 2"),
])
def test_freespc_errors_name_the_cell(tmp_path: Path, rows: list[list[str]], place: str, message: str) -> None:
    path = write_csv(tmp_path / "bad.csv", [["id", "level", "parent_id", "text"], *rows])
    with pytest.raises(ImportFailed) as caught:
        import_file(path)
    assert str(caught.value).startswith(f"{path}: {place}: {message}"), str(caught.value)


def test_freespc_measures_that_are_not_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [FREESPC_COLUMNS, freespc_row("1", "primary", "", "P", measures="[{oops")])
    with pytest.raises(ImportFailed, match=re.escape(f"{path}: R2: the measures cannot be read")):
        import_file(path)
