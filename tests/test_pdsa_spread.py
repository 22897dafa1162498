"""The PDSA log and the spread plan: ramp order (loops and dangling links included), grouping,
counts, the spread matrix, and their HTML and Markdown pages with hostile text in every field."""

from __future__ import annotations

import json
import re

import driverkit
from tests.conftest import Elements
from driverkit.documents.pdsa import build_pdsa_log, cycle_counts
from driverkit.documents.spread import build_spread
from driverkit.output.templating import render_template

HEAD = """\
driverkit: 1
title: Fewer falls
aim: {statement: "Reduce inpatient falls for patients aged 65 and over from 8.2 to 6.0 per 1,000 bed days by December 2026"}
"""

HOSTILE = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"y\")", "a | b", "quote \" and ' and \\", "line 1\nline 2",
           "*bold* _it_ `code` [link](http://x)", "emoji 😀 and עברית", "{{ not a template }}", "{% raw %}", "- not a list", "# not a heading"]


def load(body: str) -> driverkit.Project:
    return driverkit.loads(HEAD + body)


def ids(group) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.id for c in group.cycles]


# -- the PDSA log --------------------------------------------------------------------------------

RAMPS = """\
changes:
  - {id: TOP, text: A top-level change written before the drivers, drivers: P1, status: testing}
drivers:
  - id: P1
    text: Falls risk is known
    changes:
      - {id: C1, text: Falls risk assessment, status: testing}
      - {id: C2, text: Bedside mobility card, status: adopted}
      - {id: C3, text: Hourly rounding, status: idea}
pdsa:
  - {id: R3, change: C1, start: 2026-03-02, end: 2026-03-27}
  - {id: M2, change: C2, start: 2026-05, decision: adopt}
  - {id: R1, change: C1, start: 2026-01-12, end: 2026-01-12, next: R2, decision: adapt}
  - {id: T1, change: TOP, start: 2026}
  - {id: M1, change: C2, start: 2026-03, end: 2026-04-10, next: M2}
  - {id: R2, change: C1, start: 2026-02, end: 2026-02, next: R3}
  - {id: X1, change: NOWHERE, next: X2}
  - {id: X2, change: P1}
"""


def test_cycles_are_grouped_by_change_idea_in_file_order_with_the_unknown_last() -> None:
    log = build_pdsa_log(load(RAMPS))
    assert [g.change_id for g in log.groups] == ["TOP", "C1", "C2", ""]  # C3 has no cycle; TOP is written first
    assert [g.known for g in log.groups] == [True, True, True, False]
    assert ids(log.groups[3]) == ["X1", "X2"]  # a change id that names nothing, or a driver
    assert log.groups[1].title == "C1: Falls risk assessment" and log.groups[1].status == "testing"
    assert len(log.cycles) == 8


def test_a_ramp_follows_its_next_links_not_the_file_order() -> None:
    log = build_pdsa_log(load(RAMPS))
    c1 = log.groups[1]
    assert ids(c1) == ["R1", "R2", "R3"]
    assert [c.position for c in c1.cycles] == ["cycle 1 of 3", "cycle 2 of 3", "cycle 3 of 3"]
    assert ids(log.groups[2]) == ["M1", "M2"]
    assert c1.last is not None and c1.last.id == "R3"
    assert not any(c.in_loop for c in log.cycles)


def test_separate_ramps_of_one_change_idea_start_earliest_first_then_in_file_order() -> None:
    project = load("""\
drivers:
  - {id: P1, text: Driver, changes: [{id: C1, text: Change, status: testing}]}
pdsa:
  - {id: LATE, change: C1, start: 2026-06}
  - {id: NODATE, change: C1}
  - {id: EARLY, change: C1, start: 2026-01-05, next: EARLY2}
  - {id: SAMEDAY, change: C1, start: 2026-01-05}
  - {id: EARLY2, change: C1, start: 2026-02}
  - {id: PLACEHOLDER, change: C1, start: TBC}
""")
    assert ids(build_pdsa_log(project).groups[0]) == ["EARLY", "EARLY2", "SAMEDAY", "LATE", "NODATE", "PLACEHOLDER"]


def test_cycles_in_a_loop_are_kept_at_the_end_and_marked() -> None:
    project = load("""\
drivers:
  - {id: P1, text: Driver, changes: [{id: C1, text: Change, status: testing}]}
pdsa:
  - {id: B, change: C1, next: C}
  - {id: ROOT, change: C1, start: 2026-05}
  - {id: C, change: C1, next: A}
  - {id: A, change: C1, next: B}
  - {id: SELF, change: C1, next: SELF}
""")
    group = build_pdsa_log(project).groups[0]
    assert ids(group) == ["ROOT", "SELF", "B", "C", "A"]  # every cycle, none twice
    assert [c.in_loop for c in group.cycles] == [False, False, True, True, True]
    assert group.cycles[-1].position == "cycle 5 of 5"
    assert group.last is None  # the end of a ramp that loops is unknown


def test_a_dangling_next_ends_the_ramp_and_is_flagged() -> None:
    project = load("""\
drivers:
  - {id: P1, text: Driver, changes: [{id: C1, text: Change, status: testing}, {id: C2, text: Other, status: testing}]}
pdsa:
  - {id: A, change: C1, next: GHOST}
  - {id: B, change: C1, next: D}
  - {id: D, change: C2}
""")
    log = build_pdsa_log(project)
    c1 = log.groups[0]
    assert ids(c1) == ["A", "B"]
    assert [c.next_outside for c in c1.cycles] == [True, True]  # no such cycle; a cycle of another change idea
    assert ids(log.groups[1]) == ["D"] and log.groups[1].cycles[0].position == "cycle 1 of 1"


def test_cycle_values_are_text_with_dates_as_written() -> None:
    project = load("""\
drivers:
  - {id: P1, text: Driver, changes: [{id: C1, text: Change, status: testing}]}
pdsa:
  - id: A
    change: C1
    title: One nurse
    prediction: Under 5 minutes
    plan: {who: Staff nurse, where: Ward 7}
    decision: adapt
    start: 2026-03
    end: 2026
  - {id: B, change: C1, start: 2026-03-02, end: TBC}
  - {id: C, change: C1}
""")
    a, b, c = build_pdsa_log(project).groups[0].cycles
    assert (a.values["start"], a.values["end"], a.dates) == ("2026-03", "2026", "2026-03 to 2026")
    assert (a.values["who"], a.values["what"], a.values["where"], a.values["decision"]) == ("Staff nurse", "", "Ward 7", "adapt")
    assert a.has_plan and not b.has_plan
    assert (b.values["end"], b.dates) == ("TBC", "2026-03-02 to TBC")
    assert c.dates == "" and c.values["prediction"] == ""


def test_cycle_counts_cover_every_change_idea_and_ignore_unknown_ids() -> None:
    counts = cycle_counts(load(RAMPS))
    assert counts == {"TOP": 1, "C1": 3, "C2": 2, "C3": 0}
    assert list(counts) == ["TOP", "C1", "C2", "C3"]


def test_a_project_without_cycles_has_an_empty_log() -> None:
    project = load("drivers:\n  - {id: P1, text: Driver, changes: [{id: C1, text: Change}]}\n")
    log = build_pdsa_log(project)
    assert log.groups == [] and cycle_counts(project) == {"C1": 0}
    assert "No PDSA cycles are recorded" in render_template("pdsa.html.j2", {"log": log})
    assert "No PDSA cycles are recorded" in render_template("pdsa.md.j2", {"log": log})


# -- the spread plan -----------------------------------------------------------------------------

SPREAD = """\
drivers:
  - id: P1
    text: Falls risk is known
    changes:
      - {id: C1, text: Falls risk assessment, status: adopted}
      - {id: C2, text: Bedside mobility card, status: adopted}
      - {id: C3, text: Hourly rounding, status: idea}
spread:
  dissemination:
    - {audience: Ward managers, messages: [Falls fell, It takes 4 minutes], channels: Newsletter, timing: Monthly, owner: Matron}
    - {audience: Board}
  waves:
    - {number: 2, start: 2026-10, end: 2026-12}
    - {number: 1, start: 2026-07, end: 2026-09, notes: The first wards}
  sites:
    - {id: W4, name: Ward 4, wave: 2, adopts: {C2: planned}}
    - {id: W7, name: Ward 7, wave: 1, adopts: {C2: adopted, C1: adopted}}
    - {name: Ward 10, adopts: {GHOST: testing}}
    - {id: W9, name: Ward 9, wave: 1, adopts: {C1: not-adopting, C2: testing}}
    - {id: W5, name: Ward 5, wave: 5, adopts: {C1: adopted}}
"""


def test_the_matrix_groups_sites_by_wave_and_orders_columns_as_the_file() -> None:
    view = build_spread(load(SPREAD))
    assert [c.id for c in view.columns] == ["C1", "C2", "GHOST"]  # C3 adopted nowhere; unknown ids last
    assert [c.known for c in view.columns] == [True, True, False]
    assert [g.title for g in view.groups] == ["Wave 1", "Wave 2", "Wave 5 (not in the list of waves)", "No wave"]
    assert [[r.name for r in g.rows] for g in view.groups] == [["Ward 7", "Ward 9"], ["Ward 4"], ["Ward 5"], ["Ward 10"]]
    assert [r.cells for r in view.rows] == [["adopted", "adopted", ""], ["not-adopting", "testing", ""], ["", "planned", ""],
                                            ["adopted", "", ""], ["", "", "testing"]]
    assert view.groups[0].dates == "2026-07 to 2026-09"


def test_the_matrix_counts_adoption_out_of_all_sites() -> None:
    view = build_spread(load(SPREAD))
    assert [(c.adopted, c.sites, c.total) for c in view.columns] == [(2, 5, "2 of 5"), (1, 5, "1 of 5"), (0, 5, "0 of 5")]
    assert view.columns[1].counts == {"planned": 1, "testing": 1, "adopted": 1, "not-adopting": 0}


def test_dissemination_rows_and_waves() -> None:
    view = build_spread(load(SPREAD))
    first, second = view.dissemination
    assert (first.audience, first.messages, first.channels, first.timing, first.owner) == (
        "Ward managers", ["Falls fell", "It takes 4 minutes"], ["Newsletter"], "Monthly", "Matron")
    assert (second.messages, second.timing) == ([], "")
    assert [(w.number, w.dates, w.sites, w.notes) for w in view.waves] == [
        (1, "2026-07 to 2026-09", 2, "The first wards"), (2, "2026-10 to 2026-12", 1, "")]


def test_a_project_without_a_spread_plan() -> None:
    view = build_spread(load("drivers:\n  - {id: P1, text: Driver}\n"))
    assert not view.has_plan and view.columns == [] and view.rows == []
    assert "no spread plan" in render_template("spread.html.j2", {"spread": view})
    assert "no spread plan" in render_template("spread.md.j2", {"spread": view})


def test_many_columns_move_the_change_texts_to_a_key() -> None:
    changes = "".join(f"      - {{id: C{i}, text: Change number {i}}}\n" for i in range(1, 9))
    adopts = ", ".join(f"C{i}: adopted" for i in range(1, 9))
    project = load(f"drivers:\n  - id: P1\n    text: Driver\n    changes:\n{changes}spread:\n  sites:\n    - {{name: Ward 1, adopts: {{{adopts}}}}}\n")
    view = build_spread(project)
    page = render_template("spread.html.j2", {"spread": view})
    assert 'class="matrix compact"' in page and '<dl class="key">' in page and "Change number 8" in page
    markdown = render_template("spread.md.j2", {"spread": view})
    assert "- **C8**: Change number 8" in markdown


# -- the pages, with hostile text ----------------------------------------------------------------



CYCLE_FIELDS = ["title", "objective", "question", "prediction", "do", "study", "notes"]
PLAN_FIELDS = ["who", "what", "when", "where"]


def hostile_project() -> driverkit.Project:
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    changes = "".join(f"      - {{id: C{i + 1}, text: {q(text + ' change')}, status: testing, owner: {q(text + ' owner')}}}\n"
                      for i, text in enumerate(HOSTILE))
    cycles = "".join(
        f"  - id: PDSA{i + 1}\n    change: C{i + 1}\n    decision: adapt\n    start: TBC\n"
        + "".join(f"    {key}: {q(text + ' ' + key)}\n" for key in CYCLE_FIELDS)
        + "    plan:\n" + "".join(f"      {key}: {q(text + ' ' + key)}\n" for key in PLAN_FIELDS)
        for i, text in enumerate(HOSTILE))
    cycles += f"  - {{id: LOST, change: {q('NOPE')}, title: {q(HOSTILE[0])}}}\n"
    dissemination = "".join(
        f"    - {{audience: {q(t + ' audience')}, messages: [{q(t + ' message')}], channels: [{q(t + ' channel')}], "
        f"timing: {q(t + ' timing')}, owner: {q(t + ' owner')}}}\n" for t in HOSTILE)
    sites = "".join(f"    - {{name: {q(t + ' site')}, wave: 1, notes: {q(t + ' notes')}, adopts: {{C{i + 1}: adopted}}}}\n"
                    for i, t in enumerate(HOSTILE))
    text = ("driverkit: 1\ntitle: " + q("<b>Log</b> & {{ x }} | y") + "\naim:\n  statement: " + q("Reduce <i>falls</i> | 8 to 6 by 2026")
            + "\ndrivers:\n  - id: P1\n    text: Driver\n    changes:\n" + changes + "pdsa:\n" + cycles
            + "spread:\n  dissemination:\n" + dissemination + "  waves:\n    - {number: 1, notes: " + q(HOSTILE[0]) + "}\n  sites:\n" + sites)
    return driverkit.loads(text)


def _parsed(page: str) -> tuple[list[str], str]:
    parser = Elements()
    parser.feed(page)
    return parser.tags, "".join(parser.text).replace("\n", " ")


def test_pdsa_html_escapes_hostile_text_in_every_field() -> None:
    project = hostile_project()
    page = render_template("pdsa.html.j2", {"log": build_pdsa_log(project)})
    tags, text = _parsed(page)
    assert not {"script", "b", "i"} & set(tags)
    for hostile in HOSTILE:
        for key in CYCLE_FIELDS + PLAN_FIELDS + ["change", "owner"]:
            assert f"{hostile} {key}".replace("\n", " ") in text, (hostile, key)
    assert "<b>Log</b> & {{ x }} | y" in text
    assert "{{ not a template }} prediction" in text and "{% raw %} study" in text
    assert "@page" in page and "A4 landscape" in page and "table-header-group" in page and "break-inside: avoid" in page


def test_spread_html_escapes_hostile_text_in_every_field() -> None:
    page = render_template("spread.html.j2", {"spread": build_spread(hostile_project())})
    tags, text = _parsed(page)
    assert not {"script", "b", "i"} & set(tags)
    for hostile in HOSTILE:
        for key in ("audience", "message", "channel", "timing", "owner", "site", "notes"):
            assert f"{hostile} {key}".replace("\n", " ") in text, (hostile, key)
    for hostile in HOSTILE:  # many columns: the change ideas' texts are in the key under the matrix
        assert f"{hostile} change".replace("\n", " ") in text
    assert 'title="&lt;script&gt;alert(1)&lt;/script&gt; change"' in page  # the compact header's tooltip
    assert "@page" in page and "A4 landscape" in page


def _cells(row: str) -> list[str]:
    row = row.replace("\\\\", "").replace("\\|", "")
    return row.split("|")[1:-1]


def test_pdsa_markdown_keeps_one_row_per_cycle_whatever_the_text() -> None:
    markdown = render_template("pdsa.md.j2", {"log": build_pdsa_log(hostile_project())})
    rows = [line for line in markdown.splitlines() if line.startswith("| **Cycle")]
    assert len(rows) == len(HOSTILE) + 1
    for row in rows:
        assert len(_cells(row)) == 6, row
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "line 1<br>line 2 prediction" in markdown
    assert not any(line.startswith(("- not", "# not")) for line in markdown.splitlines())
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert len(headings) == len(HOSTILE) + 1  # a line break in a change idea cannot start a new line


def test_spread_markdown_keeps_its_tables_whole_whatever_the_text() -> None:
    markdown = render_template("spread.md.j2", {"spread": build_spread(hostile_project())})
    lines = markdown.splitlines()
    dissemination = [line for line in lines if line.startswith("| **") and "audience" in line]
    assert len(dissemination) == len(HOSTILE)
    for row in dissemination:
        assert len(_cells(row)) == 5, row
    header = next(line for line in lines if line.startswith("| Site |"))
    width = len(_cells(header))
    matrix = [line for line in lines[lines.index(header):] if line.startswith("|")]
    assert len(matrix) == 2 + 1 + len(HOSTILE) + 1  # header, rule, the wave, the sites, the totals
    for row in matrix:
        assert len(_cells(row)) == width, row
    assert "<script>" not in markdown and "\\<script\\>" in markdown


def test_pages_are_deterministic() -> None:
    first, second = hostile_project(), hostile_project()
    for name, build, key in (("pdsa", build_pdsa_log, "log"), ("spread", build_spread, "spread")):
        for fmt in ("html", "md"):
            template = f"{name}.{fmt}.j2"
            assert render_template(template, {key: build(first)}) == render_template(template, {key: build(second)})
            assert render_template(template, {key: build(first)}) == render_template(template, {key: build(first)})


def test_the_realistic_pages_show_ramps_decisions_and_statuses() -> None:
    project = load(RAMPS + "spread:" + SPREAD.split("spread:", 1)[1])
    html = render_template("pdsa.html.j2", {"log": build_pdsa_log(project)})
    assert re.search(r'class="badge decision-adapt">adapt<', html) and "Cycle 2 of 3" in html
    spread = render_template("spread.html.j2", {"spread": build_spread(project)})
    assert re.search(r'class="cell s-not-adopting">not-adopting<', spread)  # the word, not only a colour
    assert "Adopted, of 5 sites" in spread and "2 of 5" in spread


def test_a_wide_spread_matrix_continues_in_further_tables() -> None:
    changes = "\n".join(f"      - {{id: C{j}, text: Change {j}}}" for j in range(1, 61))
    sites = "\n".join(f"    - {{name: Site {i}, wave: 1, adopts: {{C{i * 10 + 1}: adopted, C{i * 10 + 5}: testing}}}}" for i in range(6))
    text = f"driverkit: 1\ntitle: Big\naim: {{improve: x}}\ndrivers:\n  - id: P1\n    text: d\n    changes:\n{changes}\nspread:\n  waves: [{{number: 1}}]\n  sites:\n{sites}\n"
    page = render_template("spread.html.j2", {"spread": build_spread(driverkit.loads(text))})
    assert page.count('<table class="matrix compact">') == 1  # 12 columns adopted: one table
    many = text.replace("adopts: {", "adopts: {" + ", ".join(f"C{j}: planned" for j in range(1, 61) if j not in (1, 5)) + ", ", 1)
    wide = render_template("spread.html.j2", {"spread": build_spread(driverkit.loads(many))})
    assert wide.count('<table class="matrix compact">') == 3  # 60 columns, 24 a table
    for j in range(1, 61):
        assert f"<span>C{j}</span>" in wide
