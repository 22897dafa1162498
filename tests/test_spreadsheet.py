from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl", reason="the XLSX writer needs openpyxl")

import driverkit  # noqa: E402
from driverkit.documents.plan import COLUMNS, build_plan  # noqa: E402
from driverkit.output.spreadsheet import plan_csv, plan_xlsx  # noqa: E402

from .conftest import ROOT  # noqa: E402

HEADERS = [header for _, header in COLUMNS]
KEYS = [key for key, _ in COLUMNS]

HOSTILE = r'''
driverkit: 1
title: "=HYPERLINK(\"http://x\",\"y\") pl\u0007an"
aim: {statement: "Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026", measures: [M1]}
measures:
  - id: M1
    name: '=HYPERLINK("http://x","y")'
    family: outcome
    definition: "\tled by a tab"
    numerator: "+1+1"
    denominator: "-2+3"
    unit: "@SUM(A1)"
    source: 'He said "quoted", then left'
    collection: "line one\nline two"
    sampling: "<script>alert(1)</script>"
    frequency: "weekly 🏥 مرحبا بالعالم"
    owner: "bell\u0007 nul\x00 escape\u001b end"
    baseline: -2
    goal: 3
  - id: M2
    name: "Falls \u0001with harm\u0008"
    family: balancing
    definition: "=1+1\u000b"
    source: "\u0007=cmd|' /C calc'!A0"
'''

DANGEROUS = {
    "name": '=HYPERLINK("http://x","y")',
    "definition": "\tled by a tab",
    "numerator": "+1+1",
    "denominator": "-2+3",
    "unit": "@SUM(A1)",
}
SAFE = {
    "source": 'He said "quoted", then left',
    "collection": "line one\nline two",
    "sampling": "<script>alert(1)</script>",
    "frequency": "weekly 🏥 مرحبا بالعالم",
    "owner": "bell nul escape end",
    "goal": "3",
    "baseline": "-2",  # a plain negative number is a number, not a formula
}


@pytest.fixture(scope="module")
def plan():
    return build_plan(driverkit.load(ROOT / "examples" / "maternity.yaml"))


@pytest.fixture(scope="module")
def hostile():
    return build_plan(driverkit.loads(HOSTILE))


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _sheet_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.startswith("xl/worksheets/")}


# -- the maternity example -------------------------------------------------------------------

def test_csv_round_trips_to_the_plan(plan):
    data = plan_csv(plan)
    assert b"\r\n" in data
    rows = _csv_rows(data)
    assert rows[0] == HEADERS
    assert rows[1:] == [[row.values[key] for key in KEYS] for row in plan.rows]
    assert {row[KEYS.index("family")] for row in rows[1:]} == {"outcome", "process", "balancing"}


def test_xlsx_looks_right_to_a_user(plan):
    workbook = _workbook(plan_xlsx(plan))
    assert workbook.sheetnames == ["Measurement plan", "Outcome", "Process", "Balancing"]
    assert workbook.properties.title == plan.title
    expected = {"Measurement plan": plan.rows, **{g.family.capitalize(): g.rows for g in plan.groups}}
    for sheet in workbook.worksheets:
        header = sheet[1]
        assert [cell.value for cell in header] == HEADERS
        assert all(cell.font.b for cell in header)
        assert all(cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDEBF7") for cell in header)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:Q{len(expected[sheet.title]) + 1}"
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [(r[0], r[1], r[3]) for r in rows] == [
            (row.values["id"], row.values["name"], row.values["definition"] or None) for row in expected[sheet.title]]
        width = {key: sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                 for i, key in enumerate(KEYS, start=1)}
        for wide in ("definition", "source", "collection", "measures"):
            assert width[wide] > max(width[narrow] for narrow in ("id", "family", "unit", "frequency", "goal"))
        definition = KEYS.index("definition") + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row, definition)
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    families = {row[2] for row in workbook["Measurement plan"].iter_rows(min_row=2, values_only=True)}
    assert families == {"outcome", "process", "balancing"}


def test_output_is_deterministic(plan):
    assert plan_csv(plan) == plan_csv(plan)
    first = plan_xlsx(plan)
    assert first == plan_xlsx(plan)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2


# -- hostile text ----------------------------------------------------------------------------

def test_csv_neutralises_formulas_and_keeps_the_rest(hostile):
    rows = _csv_rows(plan_csv(hostile))
    first = dict(zip(KEYS, rows[1]))
    for key, value in DANGEROUS.items():
        assert first[key] == "'" + value
    for key, value in SAFE.items():
        assert first[key] == value
    second = dict(zip(KEYS, rows[2]))
    assert second["name"] == "Falls with harm"
    assert second["definition"] == "'=1+1"
    assert second["source"] == "'=cmd|' /C calc'!A0"
    assert all(not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", cell) for row in rows for cell in row)


def test_xlsx_has_no_formula_and_no_control_characters(hostile):
    data = plan_xlsx(hostile)
    for name, xml in _sheet_xml(data).items():
        assert "<f>" not in xml and "<f " not in xml, name
    workbook = _workbook(data)
    assert workbook.properties.title == '=HYPERLINK("http://x","y") plan'
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type == "s", cell.coordinate
                    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", cell.value)
    rows = list(workbook["Measurement plan"].iter_rows(min_row=2, values_only=True))
    first = dict(zip(KEYS, rows[0]))
    assert {key: first[key] for key in DANGEROUS} == DANGEROUS  # shown exactly as written
    assert {key: first[key] for key in SAFE} == SAFE
    second = dict(zip(KEYS, rows[1]))
    assert (second["name"], second["definition"], second["source"]) == ("Falls with harm", "=1+1", "=cmd|' /C calc'!A0")
    assert workbook["Measurement plan"]["B2"].quotePrefix
    assert plan_xlsx(hostile) == data
