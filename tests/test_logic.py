"""The logic model: the view of a written `logic_model:` and the draft derived from the driver
diagram, its DOT (parsed back with pygraphviz), its HTML and Markdown (with hostile text), and the
rules DK501 and DK502 on it."""

from __future__ import annotations

import json

import pygraphviz
import pytest
import yaml

import driverkit
import driverkit.checks.rules.logic_model  # noqa: F401  (registers DK501 and DK502)
from driverkit import check_text
from driverkit.documents.diagram import ViewOptions
from driverkit.documents.logic_model import STAGES, TO_BE_WRITTEN, LogicView, build_logic_model
from driverkit.output.logic_dot import logic_dot, logic_estimated_size
from driverkit.output.templating import render_template
from tests.conftest import Elements, ROOT

HOSTILE = ["<script>alert(1)</script>", "a | b", "quote \" and ' and \\", "line 1\nline 2", "*bold* _it_ `code` [link](http://x)",
           "back\\slash \\N \\E", "{{ not a template }}", "emoji 😀 and עברית", "- not a list", "# not a heading"]

WRITTEN = """\
driverkit: 1
title: Fewer falls
aim:
  statement: Reduce inpatient falls for patients aged 65 and over from 8.2 to 6.0 per 1,000 bed days by December 2026
drivers:
  - id: P1
    text: Falls risk is known
    drivers:
      - id: S1
        text: Risk assessed on admission
        changes:
          - {id: C1, text: Falls huddle at every handover, status: testing}
  - id: P2
    text: Patients can move safely
logic_model:
  inputs:
    - {text: Improvement advisors, leads_to: [A1, A2]}
    - Ward time for huddles
  activities:
    - {id: A1, text: Falls huddle training, changes: [C1, C9, P1], leads_to: [O1, O1, X9, C1]}
    - {id: A2, text: Monthly falls audit, leads_to: O2}
  outputs:
    - {id: O1, text: Every ward team trained, leads_to: [OS1]}
    - {id: O2, text: Audit results on the ward board, leads_to: [OS1, OS2]}
  outcomes:
    short:
      - {id: OS1, text: Huddles held every shift, drivers: [S1], leads_to: [OM1]}
      - {id: OS2, text: Staff know who is at risk, drivers: [P1, C1], leads_to: [OM1]}
    medium:
      - {id: OM1, text: Risk assessed within 6 hours, leads_to: [IM1]}
  impact: [{id: IM1, text: Fewer falls, aim: true, notes: The aim of the project}]
  assumptions: [Ward managers release staff for training]
  external_factors: [Winter bed pressures, A new patient record]
"""


def written() -> LogicView:
    return build_logic_model(driverkit.loads(WRITTEN, "falls.yaml"))


def maternity_without_logic_model() -> driverkit.Project:
    """The maternity example with its `logic_model:` section taken out, so the draft is derived."""
    data = yaml.safe_load((ROOT / "examples" / "maternity.yaml").read_text(encoding="utf-8"))
    data.pop("logic_model", None)
    return driverkit.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "maternity.yaml")


def ids(refs: list) -> list[str]:
    return [r.id for r in refs]


# -- the view -------------------------------------------------------------------------------------

def test_written_model_keeps_its_stages_ids_and_order() -> None:
    view = written()
    assert not view.derived and view.source_note == ""
    assert [s.key for s in view.stages] == [key for key, _ in STAGES]
    assert [s.title for s in view.stages][3:6] == ["Short-term outcomes", "Medium-term outcomes", "Long-term outcomes"]
    assert [[i.id for i in s.items] for s in view.stages] == [["IN1", "IN2"], ["A1", "A2"], ["O1", "O2"], ["OS1", "OS2"], ["OM1"], [], ["IM1"]]
    assert [s.key for s in view.drawn_stages] == ["inputs", "activities", "outputs", "outcomes.short", "outcomes.medium", "impact"]
    assert view.stage("outcomes.long").placeholder == TO_BE_WRITTEN and view.stage("inputs").placeholder == ""
    assert view.assumptions == ["Ward managers release staff for training"]
    assert view.external_factors == ["Winter bed pressures", "A new patient record"]
    assert view.item("IM1").aim and view.item("IM1").notes == "The aim of the project"


def test_written_model_resolves_what_items_lead_to_and_are_tied_to() -> None:
    view = written()
    a1 = view.item("A1")
    assert ids(a1.leads_to) == ["O1"]  # the repeat, the dangling X9 and the change idea C1 are left out
    assert a1.leads_to[0].text == "Every ward team trained" and a1.leads_to[0].stage == "outputs"
    assert [(t.kind, t.id, t.text) for t in a1.changes] == [("change", "C1", "Falls huddle at every handover")]  # C9 dangles, P1 is a driver
    assert a1.ties[0].label == "change idea C1"
    assert ids(view.item("A2").leads_to) == ["O2"]  # one id written without brackets
    assert ids(view.item("IN1").leads_to) == ["A1", "A2"] and view.item("IN2").leads_to == []
    assert [(t.id, t.text) for t in view.item("OS2").drivers] == [("P1", "Falls risk is known")]  # C1 is not a driver
    assert view.item("OS1").ties[0].label == "secondary driver S1"  # named as its column is
    assert ids(view.item("OM1").leads_to) == ["IM1"]


def test_derived_model_of_the_maternity_example() -> None:
    project = maternity_without_logic_model()
    view = build_logic_model(project)
    assert view.derived and "Drafted from the driver diagram" in view.source_note and TO_BE_WRITTEN in view.source_note
    for key in ("inputs", "outputs", "outcomes.long"):
        assert view.stage(key).items == [] and view.stage(key).placeholder == TO_BE_WRITTEN
    assert view.assumptions == [] and view.external_factors == []

    drivers = project.all_drivers()
    secondary = [d for d in drivers if d.level == 2]
    primary = [d for d in drivers if d.level == 1]
    short, medium = view.stage("outcomes.short").items, view.stage("outcomes.medium").items
    assert [(o.text, ids(o.drivers)) for o in short] == [(d.text, [d.id]) for d in secondary]
    assert [(o.text, ids(o.drivers)) for o in medium] == [(d.text, [d.id]) for d in primary]
    assert [o.id for o in short][:3] == ["OS1", "OS2", "OS3"] and [o.id for o in medium] == [f"OM{i + 1}" for i in range(len(primary))]
    [impact] = view.stage("impact").items
    assert impact.id == "IM1" and impact.aim and impact.text == project.aim_statement

    # Activities: exactly the change ideas being tested or adopted, each once.
    active = [c for c in project.all_changes() if c.status in ("testing", "adopted")]
    activities = view.stage("activities").items
    assert sorted(a.changes[0].id for a in activities) == sorted(str(c.id) for c in active)
    assert [a.id for a in activities] == [f"A{i + 1}" for i in range(len(active))]
    by_id = {str(c.id): c for c in active}
    outcome_of = {o.drivers[0].id: o.id for o in short + medium}
    for activity in activities:
        change = by_id[activity.changes[0].id]
        assert activity.text == ("Test: " if change.status == "testing" else "Spread: ") + change.text
        assert activity.leads_to, activity.id
        assert set(ids(activity.leads_to)) <= set(outcome_of.values())
    # The first change idea of the file sits under S1.1 and also serves S1.2.
    first = next(a for a in activities if a.changes[0].id == str(active[0].id))
    assert ids(first.leads_to) == [outcome_of["S1.1"], outcome_of["S1.2"]]

    # A short outcome leads to the medium outcome of the primary driver it feeds; medium to the impact.
    for outcome, driver in zip(short, secondary):
        parent = next(p for p in primary if driver in p.drivers)
        assert outcome_of[str(parent.id)] in ids(outcome.leads_to)
    assert ids(view.item("OS1").leads_to) == ["OM1"]
    assert all(ids(o.leads_to) == ["IM1"] for o in medium)
    # The activities follow the outcomes they lead to, so arrows do not cross needlessly.
    rows = {o.id: i for i, o in enumerate(short + medium)}
    firsts = [min(rows[r.id] for r in a.leads_to) for a in activities]
    assert firsts == sorted(firsts)


def test_derived_model_with_primary_drivers_only() -> None:
    project = driverkit.loads("""\
driverkit: 1
title: T
aim: {statement: "Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026"}
drivers:
  - id: P1
    text: Falls risk is known
    changes:
      - {text: Risk checklist, status: testing}
      - {text: Falls posters, status: idea}
      - {text: Night checks, status: abandoned}
  - id: P2
    text: Patients can move safely
changes:
  - {id: C9, text: Walking aids at the bedside, status: adopted, drivers: [P1, P2]}
""")
    view = build_logic_model(project)
    assert [o.text for o in view.stage("outcomes.short").items] == ["Falls risk is known", "Patients can move safely"]
    assert view.stage("outcomes.medium").items == []
    assert all(ids(o.leads_to) == ["IM1"] for o in view.stage("outcomes.short").items)
    assert [(a.text, ids(a.leads_to)) for a in view.stage("activities").items] == [
        ("Test: Risk checklist", ["OS1"]), ("Spread: Walking aids at the bedside", ["OS1", "OS2"])]
    assert "the primary drivers are the short-term outcomes" in view.source_note


def test_derived_model_of_tertiary_drivers_reaches_their_secondary_outcome() -> None:
    project = driverkit.loads("""\
driverkit: 1
title: T
aim: {statement: "Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026"}
drivers:
  - text: Falls risk is known
    drivers:
      - text: Risk assessed on admission
        drivers:
          - text: Nurses trained in the tool
            changes: [{text: Training video, status: testing}]
""")
    view = build_logic_model(project)
    [activity] = view.stage("activities").items
    assert ids(activity.leads_to) == ["OS1"] and view.item("OS1").text == "Risk assessed on admission"


def test_a_project_with_nothing_but_an_aim_derives_only_the_impact() -> None:
    from tests.conftest import MINIMAL

    view = build_logic_model(driverkit.loads(MINIMAL))
    assert view.derived and [s.key for s in view.drawn_stages] == ["impact"]
    assert logic_dot(view).count("IM1") >= 1


# -- the picture ----------------------------------------------------------------------------------

def parse(view: LogicView, **options: object) -> pygraphviz.AGraph:
    return pygraphviz.AGraph(string=logic_dot(view, ViewOptions(**options)))  # type: ignore[arg-type]


def check_graph(view: LogicView, graph: pygraphviz.AGraph) -> None:
    """Every item is drawn once, in the rank of its stage's column, under its header; an edge for
    each leads_to and no other visible edge."""
    items = view.items()
    item_nodes = [n for n in graph.nodes() if n.attr.get("id") in {i.id for i in items}]
    assert sorted(n.attr["id"] for n in item_nodes) == sorted(i.id for i in items)
    assert len({str(n) for n in item_nodes}) == len(items)
    ranks = [sg for sg in graph.subgraphs() if sg.graph_attr.get("rank") == "same"]
    assert len(ranks) == len(view.drawn_stages)
    for index, (rank, stage) in enumerate(zip(ranks, view.drawn_stages)):
        members = [str(n) for n in rank.nodes()]
        assert f"column_{index}" in members
        assert stage.title.split("-")[0] in graph.get_node(f"column_{index}").attr["label"]
        assert [m for m in members if m.startswith("s")] == [i.key for i in stage.items]
    visible = sorted((str(e[0]), str(e[1])) for e in graph.edges() if e.attr.get("style") != "invis")
    expected = sorted((i.key, view.item(r.id).key) for i in items for r in i.leads_to)
    assert visible == expected
    for header, following in zip([f"column_{i}" for i in range(len(ranks))], [f"column_{i}" for i in range(1, len(ranks))]):
        assert graph.get_edge(header, following).attr["weight"] == "100"  # headers chained in one row


def test_dot_of_a_written_model_parses_with_every_item_in_its_column() -> None:
    view = written()
    graph = parse(view)
    check_graph(view, graph)
    assert graph.graph_attr["rankdir"] == "LR"
    assert graph.get_edge("s1_0", "s2_0").attr["id"] == "leads:A1:O1"
    notes = graph.get_node("notes")
    assert notes.attr["shape"] == "note" and "Assumptions" in notes.attr["label"] and "Winter bed pressures" in notes.attr["label"]
    assert "notes" in [str(n) for n in graph.subgraphs()[0].nodes()]  # under the first column (Inputs)
    widths = {stage.key: {graph.get_node(i.key).attr["width"] for i in stage.items} for stage in view.drawn_stages}
    assert all(len(w) == 1 for w in widths.values())  # one width per column
    impact = graph.get_node("s6_0")
    from driverkit.output.themes import DEFAULT

    assert impact.attr["fillcolor"] == DEFAULT.aim_fill and graph.get_node("s3_0").attr["fillcolor"] in DEFAULT.driver_fills


def test_dot_of_the_derived_maternity_model_parses_with_every_item_in_its_column() -> None:
    view = build_logic_model(maternity_without_logic_model())
    graph = parse(view, show_ids=True, theme="colourblind")
    check_graph(view, graph)
    assert [graph.get_node(f"column_{i}").attr["label"] for i in range(4)] == [
        "<B>Activities</B>", "<B>Short-term outcomes</B>", "<B>Medium-term outcomes</B>", "<B>Impact</B>"]
    assert "derived from the driver diagram" in graph.graph_attr["label"]
    assert "notes" not in [str(n) for n in graph.nodes()]


def test_a_backward_link_is_drawn_without_bending_the_layout() -> None:
    view = build_logic_model(driverkit.loads(WRITTEN.replace("leads_to: [IM1]}", "leads_to: [IM1, A2]}"), "falls.yaml"))
    graph = parse(view)
    check_graph(view, graph)
    assert graph.get_edge("s4_0", "s1_1").attr["constraint"] == "false"


def test_dot_escapes_hostile_text_and_still_parses() -> None:
    view = hostile_view()
    source = logic_dot(view, ViewOptions(show_ids=True))
    graph = pygraphviz.AGraph(string=source)
    check_graph(view, graph)
    labels = [n.attr["label"] for n in graph.nodes()] + [graph.graph_attr["label"]]
    assert not any(tag in label for label in labels for tag in ("<script>", "<u>", "<i>", "<b>", "<em>", "<img"))
    assert "&lt;script&gt;" in graph.get_node("s1_0").attr["label"]
    assert graph.get_node("s1_0").attr["tooltip"].startswith("<script>")  # a quoted string: plain text to Graphviz
    label = graph.get_node("s1_5").attr["label"]  # HOSTILE[5]
    assert "back\\\\slash \\\\N \\\\E" in label  # a backslash is doubled, so Graphviz does not expand \N
    from driverkit.output.engine import find_backend

    svg = find_backend("auto").render(source, "svg", [], 72).decode()
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_estimated_size_is_close_to_the_drawing() -> None:
    from driverkit.output.engine import find_backend

    view = build_logic_model(maternity_without_logic_model())
    width, height = logic_estimated_size(view)
    graph = pygraphviz.AGraph(string=find_backend("auto").render(logic_dot(view), "dot", [], 72).decode())
    _, _, drawn_width, drawn_height = (float(v) for v in graph.graph_attr["bb"].split(","))
    assert 0.8 < width / drawn_width < 1.25 and 0.8 < height / drawn_height < 1.25


# -- HTML and Markdown ----------------------------------------------------------------------------



def hostile_view() -> LogicView:
    def item(i: int, text: str, leads: str) -> str:
        return f"{{id: H{i}, text: {json.dumps(text, ensure_ascii=False)}, changes: [C1], leads_to: [{leads}]}}"

    lines = ["driverkit: 1", "title: " + json.dumps("<b>Logic</b> & {{ x }} | y", ensure_ascii=False),
             "aim: {statement: " + json.dumps("Reduce <i>falls</i> | 8 to 6 by 2026") + "}",
             "changes:", "  - {id: C1, text: " + json.dumps("Change <u>one</u> | two") + ", status: testing}",
             "logic_model:", "  activities:"]
    lines += [f"    - {item(i, text, 'OUT')}" for i, text in enumerate(HOSTILE)]
    lines += ["  outputs:", "    - {id: OUT, text: " + json.dumps("Output \"quoted\"\nand <em>new line</em>") + "}",
              "  assumptions: " + json.dumps(HOSTILE, ensure_ascii=False),
              "  external_factors: " + json.dumps(["<img src=x onerror=alert(1)>", "pipe | here"])]
    return build_logic_model(driverkit.loads("\n".join(lines) + "\n", "hostile.yaml"))


def test_html_shows_every_stage_and_item_and_escapes_hostile_text() -> None:
    view = hostile_view()
    page = render_template("logic-model.html.j2", {"logic": view})
    parser = Elements()
    parser.feed(page)
    assert not {"script", "b", "i", "u", "em", "img"} & set(parser.tags)
    text = " ".join(parser.text).replace("\n", " ")
    for hostile in HOSTILE:
        assert hostile.replace("\n", " ").split()[0] in text
    assert "<b>Logic</b> & {{ x }} | y" in text and "<img src=x onerror=alert(1)>" in text
    for key, title in STAGES:
        assert title in text
    assert text.count(TO_BE_WRITTEN) == 5  # inputs, the three outcome stages, impact
    assert all(f'id="item-H{i}"' in page for i in range(len(HOSTILE)))
    assert "leads to" in text and "OUT" in text and "change idea C1" in text
    assert "@page" in page and "A4 landscape" in page  # prints cleanly


def test_html_says_when_the_model_was_derived() -> None:
    page = render_template("logic-model.html.j2", {"logic": build_logic_model(maternity_without_logic_model())})
    assert 'class="derived"' in page and "Drafted from the driver diagram" in page
    assert 'class="derived"' not in render_template("logic-model.html.j2", {"logic": written()})


def test_markdown_keeps_one_cell_per_stage_whatever_the_text() -> None:
    view = hostile_view()
    markdown = render_template("logic-model.md.j2", {"logic": view})
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(rows) == 3  # header, rule, the one row of items
    for row in rows:
        cells = row.replace("\\|", "").split("|")[1:-1]
        assert len(cells) == len(STAGES), row
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "line 1<br>line 2" in markdown
    assert "\\- not a list" in markdown and "\\# not a heading" in markdown
    assert "## Assumptions" in markdown and "## External factors" in markdown
    assert "\\<img src=x onerror=alert(1)\\>" in markdown
    assert "*to be written*" in markdown and "Drafted" not in markdown


def test_markdown_of_the_derived_model() -> None:
    markdown = render_template("logic-model.md.j2", {"logic": build_logic_model(maternity_without_logic_model())})
    assert "> **A draft.** Drafted from the driver diagram" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| *to be written*"))
    assert row.count("**A") >= 10 and "Spread: " in row and "→ OS1" in row


def test_outputs_are_deterministic() -> None:
    for project in (driverkit.loads(WRITTEN, "falls.yaml"), maternity_without_logic_model(), driverkit.load(ROOT / "examples" / "maternity.yaml")):
        first, second = build_logic_model(project), build_logic_model(project)
        assert first == second
        assert logic_dot(first) == logic_dot(second)
        for name in ("logic-model.html.j2", "logic-model.md.j2"):
            assert render_template(name, {"logic": first}) == render_template(name, {"logic": second})


# -- the rules ------------------------------------------------------------------------------------

def codes(text: str) -> list[str]:
    return [f"{d.code} {d.message}" for d in check_text(text, "t.yaml") if d.code in ("DK501", "DK502")]


def test_rules_on_a_written_model() -> None:
    found = codes(WRITTEN)
    assert found == ["DK501 input IN2 leads to nothing"]


def test_rules_stay_quiet_on_a_derived_model() -> None:
    project = maternity_without_logic_model()
    assert [d for d in driverkit.check(project) if d.code in ("DK501", "DK502")] == []


@pytest.mark.parametrize("code", ["DK501", "DK502"])
def test_rules_are_documented(code: str) -> None:
    from driverkit.checks.rules import find_rule

    rule = find_rule(code)
    assert rule is not None and rule.explanation and rule.hint and rule.can_disable
