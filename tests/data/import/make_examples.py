"""Write the shipped import example: examples/import/outline.xlsx, outline.csv and outline.yaml.

    python tests/data/import/make_examples.py

The sheet is shaped like a maternity team's own: a title above the header, the aim and its
measures merged down the whole sheet, each primary driver merged down its rows, each secondary
driver (and its process measure) merged down its change ideas, then status, lead and a notes
column. The aim and the five primary drivers are those the Maternal and Neonatal Safety
Improvement Programme published (see /work/shared/examples/README.md); the secondary drivers and
change ideas are the ones written for examples/maternity.yaml. The CSV is the same sheet as a
spreadsheet program exports it: a merged cell's text in its top row only, blanks below.

Both files are byte-identical from one run to the next (fixed dates in the workbook and its zip).
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "examples" / "import"

TITLE = "Maternity and neonatal safety: our driver diagram"
HEADER = ["Aim", "Outcome measure", "Balancing measure", "Primary drivers (clinical aims)", "Secondary drivers",
          "Process measure", "Change ideas", "Status", "Lead", "Notes"]
AIM = ("Reduce the stillbirth rate for babies born in England from 4.1 per 1,000 births (2017) to 3.3 per "
       "1,000 births by 31 December 2020, a 20% reduction")

# (primary, [(secondary, process measure, [(change idea, status, lead, notes)])])
DIAGRAM = [
    ("Increasing the proportion of smoke-free pregnancies", [
        ("Smoking is identified at booking and throughout pregnancy, confirmed by a carbon monoxide reading",
         "Carbon monoxide reading recorded at booking", [
             ("Carbon monoxide test at booking and at 36 weeks, with opt-out referral to the stop-smoking service", "Adopted", "", ""),
             ("Carbon monoxide reading made a required field of the booking record", "Testing", "Smoking in pregnancy lead", "PDSA 2 of 3"),
         ]),
        ("Women who smoke start and stay with specialist stop-smoking support", "Four-week quit rate in pregnancy", [
            ("Stop-smoking adviser based in the antenatal clinic, seeing referred women the same day", "In progress", "Smoking in pregnancy lead", ""),
            ("Nicotine replacement therapy handed out at the first stop-smoking appointment", "Not started", "", ""),
        ]),
    ]),
    ("Improve the optimisation and stabilisation of the very preterm infant", [
        ("Very preterm babies are kept warm from birth to admission to the neonatal unit",
         "Hypothermia on admission to the neonatal unit", [
             ("Plastic bag and hat put on at birth, without drying, for every baby born before 32 weeks", "Adopted", "", ""),
             ("Delivery room set to 23 C or warmer before an expected very preterm birth", "Adopted", "Neonatal nurse consultant", ""),
         ]),
        ("Antenatal corticosteroids and magnesium sulphate are given in time before preterm birth",
         "Antenatal corticosteroids before preterm birth", [
             ("Magnesium sulphate kept in a ready-to-use preterm birth box on every labour ward", "Adopted", "", ""),
         ]),
    ]),
    ("Improve detection and management of diabetes in pregnancy", [
        ("Women at risk of gestational diabetes are identified at booking and tested at the right time",
         "Glucose tolerance test by 28+6 weeks for women at risk of gestational diabetes", [
             ("Gestational diabetes risk factors on the booking checklist, with the glucose tolerance test booked before the woman leaves",
              "Testing", "Diabetes in pregnancy lead", ""),
         ]),
        ("Women with diabetes and their babies have a birth and feeding plan agreed by 36 weeks",
         "Birth and feeding plan by 36+6 weeks for women with diabetes", [
             ("Birth plan agreed at the 36-week appointment, covering timing of birth, glucose in labour and the baby's first feeds",
              "Testing", "Diabetes in pregnancy lead", ""),
             ("Antenatal colostrum harvesting from 36 weeks, taught by the infant feeding midwife", "Testing", "Infant feeding lead midwife", ""),
         ]),
    ]),
    ("Improve the detection and management of neonatal hypoglycaemia", [
        # The same secondary driver as under the diabetes aim: one driver serving both.
        ("Women with diabetes and their babies have a birth and feeding plan agreed by 36 weeks",
         "Birth and feeding plan by 36+6 weeks for women with diabetes", [
             ("Antenatal colostrum harvesting from 36 weeks, taught by the infant feeding midwife", "Testing", "Infant feeding lead midwife", ""),
         ]),
        ("Babies at risk of hypoglycaemia feed early and are kept warm",
         "First feed within one hour in babies at risk of hypoglycaemia", [
             ("Skin-to-skin contact, a hat and a first feed within one hour of birth, prompted by the birth checklist", "Adopted", "", ""),
             # Written under a second driver too: one change idea serving two drivers.
             ("Antenatal colostrum harvesting from 36 weeks, taught by the infant feeding midwife", "Testing", "Infant feeding lead midwife", ""),
         ]),
    ]),
    ("Improve the early recognition and management of deterioration of either mother or baby during or soon after birth", [
        ("Deterioration in women is recognised early and escalated to the right clinician",
         "Maternity early warning score completed and escalated", [
             ("Maternity early warning score chart with a one-page escalation pathway on every ward", "Adopted", "", ""),
             ("Sepsis screening tool and the Sepsis Six within one hour for every woman who triggers", "Testing", "Deterioration lead", ""),
         ]),
        ("Fetal wellbeing in labour is assessed and escalated reliably", "Hourly fresh-eyes review of the CTG", [
            ("Hourly fresh-eyes review of the CTG by a second midwife or obstetrician", "Adopted", "", ""),
            ("Labour ward safety huddle twice a day, covering acuity, staffing and every woman at risk", "Testing", "Labour ward lead midwife", ""),
        ]),
        ("Teams share a clear picture of risk and escalate concerns early", "", [
            ("Labour ward safety huddle twice a day, covering acuity, staffing and every woman at risk", "Testing", "Labour ward lead midwife", ""),
            ("SBAR used for every escalation call to the obstetric registrar or consultant", "Testing", "Labour ward lead midwife", ""),
        ]),
    ]),
]
OUTCOME = "Stillbirth rate"
BALANCING = "Term admissions to neonatal units"
HEADER_ROW = 3  # a title on row 1, a blank row 2


def table() -> tuple[list[list[str]], list[tuple[int, int, int]]]:
    """The rows below the header, every cell filled, and the merges: (column, first row, last row)."""
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int]] = []
    first = HEADER_ROW + 1
    for primary, secondaries in DIAGRAM:
        primary_top = first + len(rows)
        for secondary, measure, changes in secondaries:
            secondary_top = first + len(rows)
            for change, status, lead, notes in changes:
                rows.append([AIM, OUTCOME, BALANCING, primary, secondary, measure, change, status, lead, notes])
            merges += [(5, secondary_top, first + len(rows) - 1), (6, secondary_top, first + len(rows) - 1)]
        merges.append((4, primary_top, first + len(rows) - 1))
    merges += [(column, first, first + len(rows) - 1) for column in (1, 2, 3)]
    return rows, [m for m in merges if m[2] > m[1]]


def workbook_bytes() -> bytes:
    import datetime as dt

    import openpyxl
    from openpyxl.styles import Alignment, Font

    rows, merges = table()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Driver diagram"
    sheet.cell(1, 1, TITLE).font = Font(bold=True, size=14)
    for column, name in enumerate(HEADER, start=1):
        sheet.cell(HEADER_ROW, column, name).font = Font(bold=True)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(HEADER_ROW + 1 + offset, column, value or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, top, bottom in merges:
        for row in range(top + 1, bottom + 1):
            sheet.cell(row, column).value = None  # a merged range keeps only its top cell
        sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    for column, width in zip("ABCDEFGHIJ", (40, 18, 22, 34, 40, 30, 50, 12, 24, 14)):
        sheet.column_dimensions[column].width = width
    book.properties.creator = "driverkit example"
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same workbook with fixed dates: openpyxl stamps the time of saving in the file and its zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def csv_text() -> str:
    rows, merges = table()
    covered = {(row, column) for column, top, bottom in merges for row in range(top + 1, bottom + 1)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([TITLE] + [""] * (len(HEADER) - 1))
    writer.writerow([""] * len(HEADER))
    writer.writerow(HEADER)
    for offset, values in enumerate(rows):
        row = HEADER_ROW + 1 + offset
        writer.writerow(["" if (row, column) in covered else value for column, value in enumerate(values, start=1)])
    return buffer.getvalue()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from driverkit.importing import import_file

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "outline.xlsx").write_bytes(workbook_bytes())
    (OUT / "outline.csv").write_bytes(csv_text().encode("utf-8"))
    (OUT / "outline.yaml").write_text(import_file(OUT / "outline.xlsx", filename=str(OUT / "outline.yaml")), encoding="utf-8")
    print(f"wrote {OUT}/outline.xlsx, outline.csv and outline.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
