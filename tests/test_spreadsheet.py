from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl", reason="the XLSX writer needs openpyxl")

import driverkit  # noqa: E402
from driverkit.documents.plan import COLUMNS, build_plan  # noqa: E402
from driverkit.output.spreadsheet import XLSX_COLUMNS, plan_csv, plan_xlsx  # noqa: E402

from .conftest import ROOT  # noqa: E402

HEADERS = [header for _, header in COLUMNS]
KEYS = [key for key, _ in COLUMNS]
XLSX_HEADERS = [header for _, header in XLSX_COLUMNS]
XLSX_KEYS = [key for key, _ in XLSX_COLUMNS]

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
        assert [cell.value for cell in header] == XLSX_HEADERS
        assert all(cell.font.b for cell in header)
        assert all(cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDEBF7") for cell in header)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:R{len(expected[sheet.title]) + 1}"
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [(r[0], r[1], r[3]) for r in rows] == [
            (row.values["id"], row.values["name"], row.values["definition"] or None) for row in expected[sheet.title]]
        width = {key: sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                 for i, key in enumerate(XLSX_KEYS, start=1)}
        for wide in ("definition", "source", "collection", "measures"):
            assert width[wide] > max(width[narrow] for narrow in ("id", "family", "unit", "frequency", "goal"))
        definition = XLSX_KEYS.index("definition") + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row, definition)
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    families = {row[2] for row in workbook["Measurement plan"].iter_rows(min_row=2, values_only=True)}
    assert families == {"outcome", "process", "balancing"}


def test_xlsx_baseline_and_goal_are_numbers_an_analyst_can_sum(plan):
    sheet = _workbook(plan_xlsx(plan))["Measurement plan"]
    rows = {row[0]: dict(zip(XLSX_KEYS, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["M1"]["baseline"] == 4.1 and rows["M1"]["goal"] == 3.3
    assert isinstance(rows["M1"]["baseline"], float)
    baseline = XLSX_KEYS.index("baseline") + 1
    assert sheet.cell(2, baseline).data_type == "n"
    # the CSV keeps the plan's words ("4.1 (2017)" when dated); the workbook puts the date beside the number
    dated = [m for m in plan.rows if m.measure.baseline_date is not None]
    for row in dated:
        assert rows[row.measure.id]["baseline_date"] and rows[row.measure.id]["baseline"] == row.measure.baseline


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
    numeric = {XLSX_KEYS.index(key) + 1 for key in ("baseline", "goal")}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type == ("n" if cell.column in numeric and cell.row > 1 else "s"), cell.coordinate
                    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", str(cell.value))
    rows = list(workbook["Measurement plan"].iter_rows(min_row=2, values_only=True))
    first = dict(zip(XLSX_KEYS, rows[0]))
    assert {key: first[key] for key in DANGEROUS} == DANGEROUS  # shown exactly as written
    assert {key: first[key] for key in SAFE if key not in ("baseline", "goal")} == {k: v for k, v in SAFE.items() if k not in ("baseline", "goal")}
    assert (first["baseline"], first["goal"]) == (-2, 3)  # numbers, not text
    second = dict(zip(XLSX_KEYS, rows[1]))
    assert (second["name"], second["definition"], second["source"]) == ("Falls with harm", "=1+1", "=cmd|' /C calc'!A0")
    assert workbook["Measurement plan"]["B2"].quotePrefix
    assert plan_xlsx(hostile) == data


# -- the PDSA log, the spread matrix and the measures' data -----------------------------------------

@pytest.fixture(scope="module")
def maternity():
    return driverkit.load(ROOT / "examples" / "maternity.yaml")


def test_pdsa_log_as_csv_and_xlsx(maternity):
    rows = _csv_rows(driverkit.render(maternity, "csv", view="pdsa"))
    assert rows[0][:5] == ["Change idea id", "Change idea", "Cycle id", "Cycle", "Cycles in ramp"]
    assert len(rows) - 1 == len(maternity.pdsa)
    from driverkit.documents.pdsa import build_pdsa_log

    log = build_pdsa_log(maternity)
    expected = [(group.change_id, c.id, str(c.number), str(c.of), c.values["start"]) for group in log.groups for c in group.cycles]
    assert [(r[0], r[2], r[3], r[4], dict(zip(rows[0], r))["Start"]) for r in rows[1:]] == expected  # ramp order
    ramp = next(group for group in log.groups if group.change_id == "C1.2.1")
    assert [c.id for c in ramp.cycles][:2] == ["PDSA1", "PDSA2"]
    data = driverkit.render(maternity, "xlsx", view="pdsa")
    assert data == driverkit.render(maternity, "xlsx", view="pdsa")
    sheet = _workbook(data)["PDSA log"]
    assert sheet["D2"].value == 1 and sheet["D2"].data_type == "n" and sheet["E2"].value == int(expected[0][3])  # numbers
    assert sheet["C2"].value == expected[0][1] and sheet["C2"].data_type == "s"


def test_spread_matrix_as_csv_and_xlsx(maternity):
    rows = _csv_rows(driverkit.render(maternity, "csv", view="spread"))
    assert rows[0][:3] == ["Wave", "Site id", "Site"] and rows[0][-1] == "Notes"
    northfield = dict(zip(rows[0], rows[1]))
    assert (northfield["Wave"], northfield["Site id"], northfield["C1.1.1"], northfield["C1.2.1"]) == ("1", "NFH", "adopted", "testing")
    workbook = _workbook(driverkit.render(maternity, "xlsx", view="spread"))
    assert workbook.sheetnames == ["Spread matrix", "Change ideas"]
    assert workbook["Spread matrix"]["A2"].value == 1  # the wave as a number
    from driverkit.documents.spread import build_spread

    ideas = {row[0]: row for row in workbook["Change ideas"].iter_rows(min_row=2, values_only=True)}
    column = next(c for c in build_spread(maternity).columns if c.id == "C1.1.1")
    assert ideas["C1.1.1"][2:] == (*(column.counts[s] for s in ("planned", "testing", "adopted", "not-adopting")), column.sites)
    assert column.adopted == 4 and column.sites == 10  # counts, as numbers an analyst can sum


def test_measure_data_gives_each_point_with_its_chart_figures(maternity):
    from driverkit.spc.analysis import analyse

    rows = _csv_rows(driverkit.render(maternity, "csv", view="measure-data"))
    header = rows[0]
    assert header == ["Measure id", "Measure", "Chart", "Rules", "Phase", "Period", "Value", "Centre", "Lower limit",
                      "Upper limit", "Moving range", "Moving range centre", "Moving range upper limit",
                      "Subgroup size", "S", "S centre", "S lower limit", "S upper limit", "Excluded", "Signals", "Note"]
    m15 = analyse(maternity, "M15")
    mine = [dict(zip(header, row)) for row in rows[1:] if row[0] == "M15"]
    assert [r["Period"] for r in mine] == m15.periods
    flagged = m15.signal_points()
    assert flagged and {i for i, r in enumerate(mine) if r["Signals"]} == flagged
    sheet = _workbook(driverkit.render(maternity, "xlsx", view="measure-data"))["Measure data"]
    cells = {c.value: i for i, c in enumerate(sheet[1])}
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    m1 = [r for r in values if r[0] == "M1"]
    assert all(isinstance(r[cells["Value"]], (int, float)) for r in m1)
    assert all(isinstance(r[cells["Upper limit"]], float) for r in m1 if not r[cells["Excluded"]])
    assert any(r[cells["Excluded"]] is True for r in m1)  # April 2019 is excluded in the example
    assert driverkit.render(maternity, "xlsx", view="measure-data") == driverkit.render(maternity, "xlsx", view="measure-data")


def test_hostile_text_in_the_new_sheets_stays_text():
    project = driverkit.loads("""
driverkit: 1
title: t
aim: {statement: "Reduce falls from 8 to 6 by 2026-12-31"}
drivers: [{id: P1, text: p, changes: [{id: C1, text: "=1+1"}]}]
measures:
  - {id: M1, name: "=HYPERLINK(\\"http://x\\")", family: outcome, data: [{period: 2024-01, value: -2, note: "@SUM(A1)"}, {period: 2024-02, value: 3}]}
pdsa: [{id: X1, change: C1, title: "+cmd", start: 2024-01-02}]
spread: {sites: [{id: S1, name: "-2+3", adopts: {C1: adopted}}]}
""")
    rows = _csv_rows(driverkit.render(project, "csv", view="measure-data"))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")" and rows[1][6] == "-2" and rows[1][-1] == "'@SUM(A1)"
    assert _csv_rows(driverkit.render(project, "csv", view="pdsa"))[1][1] == "'=1+1"
    assert _csv_rows(driverkit.render(project, "csv", view="spread"))[1][2] == "'-2+3"
    for view in ("measure-data", "pdsa", "spread"):
        for name, xml in _sheet_xml(driverkit.render(project, "xlsx", view=view)).items():
            assert "<f>" not in xml and "<f " not in xml, (view, name)


def test_measure_data_gives_an_xmr_chart_its_moving_ranges():
    project = driverkit.loads("driverkit: 1\ntitle: t\naim: {statement: \"Reduce waits from 8 to 6 hours by 2026-12-31\"}\n"
                              "measures:\n  - id: M1\n    name: Hours waited\n    family: outcome\n    chart: {type: xmr}\n"
                              "    data: [" + ", ".join(f"{{period: {2024 + (k - 1) // 12}-{(k - 1) % 12 + 1:02d}, value: {v}}}" for k, v in
                                                         zip(range(1, 16), (8, 9, 7, 8, 10, 6, 8, 9, 7, 8, 9, 8, 7, 9, 8))) + "]\n")
    from driverkit.spc.analysis import analyse

    a = analyse(project, "M1")
    rows = _csv_rows(driverkit.render(project, "csv", view="measure-data"))
    at = {name: i for i, name in enumerate(rows[0])}
    assert [r[at["Moving range"]] for r in rows[1:]] == ["" if x is None else f"{x:g}" for x in a.moving_range]
    assert rows[2][at["Moving range"]] == "1" and rows[2][at["Moving range upper limit"]] != ""
    assert all(r[at["Subgroup size"]] == "" for r in rows[1:])
