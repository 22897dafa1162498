"""Rendering driver diagrams: structure of the DOT, every output format on both Graphviz backends,
escaping of hostile text, determinism, atomic writes, views and the command line."""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverkit
from driverkit.cli import main
from driverkit.documents.diagram import ViewError, ViewOptions, build_diagram
from driverkit.output.engine import RenderError, find_backend
from driverkit.output.rendering import render, render_to_file
from tests.conftest import MINIMAL, ROOT, STARTER

pygraphviz = pytest.importorskip("pygraphviz", reason="the embedded Graphviz (pygraphviz) is not installed")

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
HAS_SYSTEM_DOT = shutil.which("dot") is not None
BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("system", id="system", marks=pytest.mark.skipif(not HAS_SYSTEM_DOT, reason="no system Graphviz (`dot` is not on PATH)")),
]
SVG = "{http://www.w3.org/2000/svg}"


def svg_text(data: bytes) -> str:
    """All the text a reader sees in an SVG, in document order, one space between pieces."""
    root = ET.fromstring(data)
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def words(text: str) -> list[str]:
    return text.split()


@pytest.fixture(scope="module")
def maternity() -> driverkit.Project:
    return driverkit.load(ROOT / "examples" / "maternity.yaml")


# -- the DOT, structurally -------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_dot_puts_every_element_in_its_column_in_the_diagrams_order(path: Path) -> None:
    project = driverkit.load(path)
    graph = pygraphviz.AGraph(string=render(project, "dot").decode())
    ranks = [sub for sub in graph.subgraphs() if sub.graph_attr.get("rank") == "same"]
    columns = [[n for n in sub.nodes() if not n.startswith("column_") and n != "legend"] for sub in ranks]
    levels = sorted({d.level for d in project.all_drivers()})
    assert len(columns) == 1 + len(levels) + (1 if project.all_changes() else 0)
    assert columns[0] == ["aim"]
    by_name = {n: n.attr["id"] for n in graph.nodes()}
    for level, column in zip(levels, columns[1:]):
        assert sorted(by_name[n] for n in column) == sorted(d.id for d in project.all_drivers() if d.level == level)
    assert sorted(by_name[n] for n in columns[-1]) == sorted(c.id for c in project.all_changes())
    diagram = build_diagram(project)
    assert [[by_name[n] for n in column] for column in columns[1:]] == [[b.element_id for b in c.boxes] for c in diagram.columns[1:]]
    written = pygraphviz.AGraph(string=render(project, "dot", order="file").decode())
    primaries = [n for sub in written.subgraphs() if sub.graph_attr.get("rank") == "same" for n in sub.nodes()
                 if n.startswith("n_") and written.get_node(n).attr["id"] in {d.id for d in project.drivers}]
    assert [written.get_node(n).attr["id"] for n in primaries] == [d.id for d in project.drivers]  # order: file follows the file
    # each rank is chained top to bottom by invisible edges, header first
    for sub, column in zip(ranks, columns):
        chain = [(e[0], e[1]) for e in sub.edges() if e.attr.get("style") == "invis"]
        assert [a for a, _ in chain][1:] == [b for _, b in chain][:-1]
        assert chain[0][0].startswith("column_")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_dot_draws_every_valid_link_once_weak_ones_dotted(path: Path) -> None:
    project = driverkit.load(path)
    graph = pygraphviz.AGraph(string=render(project, "dot").decode())
    drawn = {}
    for edge in graph.edges():
        if edge.attr.get("style") != "invis":
            drawn[(graph.get_node(edge[1]).attr["id"], graph.get_node(edge[0]).attr["id"])] = edge.attr.get("style") == "dotted"
    expected = {}
    for driver in project.all_drivers():
        expected[(driver.id, "aim" if driver.level == 1 else None)] = driver.strength == "weak"
        for link in driver.also:
            expected[(driver.id, link.to)] = link.strength == "weak"
        for sub in driver.drivers:
            expected[(sub.id, driver.id)] = sub.strength == "weak"
        for change in driver.changes:
            expected[(change.id, driver.id)] = change.strength == "weak"
            for link in change.also:
                expected[(change.id, link.to)] = link.strength == "weak"
    for change in project.changes:
        for link in change.drivers:
            expected[(change.id, link.to)] = link.strength == "weak"
    expected = {k: v for k, v in expected.items() if k[1] is not None}
    assert drawn == expected


def test_the_aim_and_headers_are_what_the_file_says(maternity: driverkit.Project) -> None:
    source = render(maternity, "dot").decode().replace("<BR/>", " ")
    for header in ("National aim", "Primary drivers (clinical aims)", "Secondary drivers", "Change ideas"):
        assert f"<B>{header}</B>" in source
    assert "Reduce the stillbirth rate" in source


def test_boxes_of_a_column_share_one_width(maternity: driverkit.Project) -> None:
    graph = pygraphviz.AGraph(string=render(maternity, "dot").decode())
    graph.layout(prog="dot")
    widths: dict[str, set[float]] = {}
    for node in graph.nodes():
        if node.attr.get("shape") == "plaintext" or node == "legend":
            continue
        kind = "driver" if str(node.attr["id"]).startswith(("P", "S", "T")) else str(node.attr["id"])[:1]
        widths.setdefault(kind, set()).add(float(node.attr["width"]))
    assert all(len(w) == 1 for w in widths.values()), widths


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["examples/sepsis.yaml", "tests/data/dense-many-to-many.yaml"])
def test_links_meet_their_boxes_at_the_middle_of_their_sides(backend: str, name: str) -> None:
    """A link leaves its parent from the middle of the right side and reaches its child at the
    middle of the left side, where the rounded outline is straight: no gap at either end."""
    root = ET.fromstring(render(driverkit.load(ROOT / name), "svg", backend=backend))

    def points(element: ET.Element) -> list[tuple[float, float]]:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", next(element.iter(f"{SVG}path")).get("d", ""))]
        return list(zip(numbers[::2], numbers[1::2]))

    sides = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node" and next(group.iter(f"{SVG}path"), None) is not None:
            xs, ys = zip(*points(group))
            sides[group.get("id")] = (min(xs), max(xs), (min(ys) + max(ys)) / 2)
    links = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert links
    for link in links:
        _, child, parent = str(link.get("id")).split(":")
        path = points(link)
        assert path[0] == pytest.approx((sides[parent][1], sides[parent][2]), abs=0.6), link.get("id")
        assert path[-1] == pytest.approx((sides[child][0], sides[child][2]), abs=0.6), link.get("id")


def test_columns_stand_further_apart_where_many_links_meet() -> None:
    from driverkit.output.dot import rank_gap

    gaps = {name: rank_gap(build_diagram(driverkit.load(ROOT / name))) for name in ("examples/sepsis.yaml", "tests/data/dense-many-to-many.yaml")}
    assert gaps["examples/sepsis.yaml"] < 40 and gaps["tests/data/dense-many-to-many.yaml"] == 72


# -- outputs on both backends ----------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_svg_is_self_contained_and_holds_every_label(maternity: driverkit.Project, backend: str) -> None:
    data = render(maternity, "svg", backend=backend)
    text = data.decode()
    assert "<!DOCTYPE" not in text and "http://www.w3.org/Graphics" not in text
    assert not re.search(r'(href|src)="(?!#)', text.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', ""))
    seen = words(svg_text(data))
    for element in maternity.all_drivers() + maternity.all_changes():
        for word in words(element.text):
            assert word in seen, (element.id, word)
    for element in maternity.all_drivers():
        assert f'id="{element.id}"' in text  # an anchor for every element
    assert "xlink:title=" in text  # tooltips


@pytest.mark.parametrize("backend", BACKENDS)
def test_pdf_text_is_real_text(maternity: driverkit.Project, backend: str) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text")
    data = render(maternity, "pdf", backend=backend)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    for element in maternity.drivers:
        assert " ".join(words(element.text)[:3]) in flat, element.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_png_is_a_picture(maternity: driverkit.Project, backend: str) -> None:
    data = render(maternity, "png", backend=backend)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 1000 and height > 2000  # 144 dpi: readable when zoomed


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_outputs_are_byte_identical_run_to_run(maternity: driverkit.Project, backend: str, fmt: str) -> None:
    assert render(maternity, fmt, backend=backend) == render(maternity, fmt, backend=backend)


def test_dot_and_mermaid_are_byte_identical_and_backend_free(maternity: driverkit.Project) -> None:
    for fmt in ("dot", "mermaid"):
        assert render(maternity, fmt) == render(maternity, fmt)


@pytest.mark.skipif(not HAS_SYSTEM_DOT, reason="no system Graphviz (`dot` is not on PATH)")
def test_auto_prefers_the_system_graphviz() -> None:
    assert find_backend("auto").name == "system"
    assert find_backend("embedded").name == "embedded"


def test_system_backend_says_what_to_install_when_absent(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("DRIVERKIT_DOT", raising=False)
    with pytest.raises(RenderError, match="no system Graphviz"):
        find_backend("system")
    assert find_backend("auto").name == "embedded"


# -- hostile text ------------------------------------------------------------------------------------

HOSTILE = ['Quote " and \' and \\ backslash \\N \\E \\G \\L', "<b>bold</b> & <script>alert(1)</script>", "{braces} [brackets] a: b",
           "emoji 😀👩‍⚕️ and right-to-left עברית العربية", "x" * 120, '"]; evil -> node; label="', "-->|x|", "#35; &amp;"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_hostile_labels_render_as_text(backend: str) -> None:
    text = MINIMAL + "drivers:\n" + "".join(f"  - text: {__import__('json').dumps(h, ensure_ascii=False)}\n" for h in HOSTILE)
    project = driverkit.loads(text)
    data = render(project, "svg", backend=backend)
    root = ET.fromstring(data)
    assert not list(root.iter(f"{SVG}script")) and b"<b>" not in data
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == 1 + len(HOSTILE) + 2  # the aim, one box a driver, two column headers
    seen = "".join(svg_text(data).split())
    for label in HOSTILE:
        assert "".join(label.split()) in seen.replace("\u200b", ""), label


@settings(max_examples=int(__import__("os").environ.get("DK_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60))
def test_any_unicode_label_renders_without_injection(label: str) -> None:
    import json

    from hypothesis import assume

    text = MINIMAL + "drivers:\n  - id: P1\n    text: " + json.dumps(label, ensure_ascii=False) + "\n    description: " + json.dumps(label, ensure_ascii=False) + "\n"
    try:
        project = driverkit.loads(text)
    except driverkit.ProjectError:
        assume(False)  # empty after trimming, or characters YAML refuses: reported by `check`
    graph = pygraphviz.AGraph(string=render(project, "dot").decode())  # parses: nothing broke out
    assert sorted(n.attr["id"] for n in graph.nodes() if n.attr.get("id")) == ["P1", "aim"]
    data = render(project, "svg", backend="embedded")
    root = ET.fromstring(data)  # well-formed XML, nothing injected
    assert not list(root.iter(f"{SVG}script"))
    def visible(text: str) -> str:
        return "".join(ch for ch in "".join(text.split()) if ch.isprintable())

    assert visible(project.drivers[0].text) in visible(svg_text(data))
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")]
    if visible(project.drivers[0].text):  # the tooltip, whole (a label of control characters has none)
        assert any(visible(project.drivers[0].text) == visible(t or "") for t in titles)
    mermaid = render(project, "mermaid").decode()
    assert len(re.findall(r'^    n\d+\["', mermaid, re.M)) == 2  # the aim and P1, each a whole label


# -- views -------------------------------------------------------------------------------------------

def test_one_primary_driver_view(maternity: driverkit.Project) -> None:
    diagram = build_diagram(maternity, ViewOptions.for_project(maternity, primary="P1"))
    ids = {b.element_id for b in diagram.boxes()}
    assert "P1" in ids and "P2" not in ids
    assert ids >= {"S1.1", "S1.2", "S1.3"}
    with pytest.raises(ViewError, match="no primary driver"):
        build_diagram(maternity, ViewOptions.for_project(maternity, primary="S1.1"))


def test_status_and_tag_views_keep_the_path_to_the_aim(maternity: driverkit.Project) -> None:
    diagram = build_diagram(maternity, ViewOptions.for_project(maternity, statuses=("testing",)))
    changes = [b for b in diagram.boxes() if b.kind == "change"]
    assert changes and all(b.status == "testing" for b in changes)
    drivers = {b.key for b in diagram.boxes() if b.kind == "driver"}
    assert all(any(c.child in drivers or c.child in {x.key for x in changes} for c in diagram.connectors if c.parent == d) for d in drivers)
    tagged = build_diagram(maternity, ViewOptions.for_project(maternity, tags=("saving-babies-lives",)))
    assert any(b.kind == "change" for b in tagged.boxes())
    with pytest.raises(ViewError):
        build_diagram(maternity, ViewOptions.for_project(maternity, tags=("no-such-tag",)))


def test_hide_abandoned_and_show_ids(maternity: driverkit.Project) -> None:
    hidden = build_diagram(maternity, ViewOptions.for_project(maternity, hide_abandoned=True))
    assert all(b.status != "abandoned" for b in hidden.boxes())
    assert "abandoned" not in hidden.statuses
    assert "<B>S1.1</B>" in render(maternity, "dot", show_ids=True).decode()
    assert "<B>S1.1</B>" not in render(maternity, "dot").decode()


def test_themes_change_colours_not_structure(maternity: driverkit.Project) -> None:
    default = render(maternity, "dot").decode()
    printed = render(maternity, "dot", theme="print").decode()
    assert "#fdf0cf" in default and "#fdf0cf" not in printed
    strip = re.compile(r'(fillcolor|color|fontcolor|penwidth|style|COLOR|BGCOLOR|BORDER|STYLE)=("[^"]*"|\S+)')
    assert strip.sub("", default).replace("dashed", "").replace("bold", "") == strip.sub("", printed).replace("dashed", "").replace("bold", "")


def test_render_block_in_the_file_and_overrides(tmp_path: Path) -> None:
    text = STARTER.read_text(encoding="utf-8") + "render: {theme: print, show_ids: yes, font_size: 12}\n"
    project = driverkit.loads(text, filename=str(tmp_path / "p.yaml"))
    source = render(project, "dot").decode()
    assert "<B>P1</B>" in source and 'fontsize=12' in source and "#fdf0cf" not in source
    assert "<B>P1</B>" not in render(project, "dot", show_ids=False).decode()


def test_jupyter_shows_a_project_as_svg(maternity: driverkit.Project) -> None:
    assert maternity._repr_svg_().lstrip().startswith(("<?xml", "<svg"))


def test_mermaid_flowchart(maternity: driverkit.Project) -> None:
    text = render(maternity, "mermaid").decode()
    assert text.startswith("---\ntitle:") and "flowchart LR" in text
    assert text.count("subgraph") == 4 and "-.-" in text and "classDef adopted" in text


# -- files and the command line ---------------------------------------------------------------------

def test_render_to_file_is_atomic_and_leaves_nothing_on_failure(maternity: driverkit.Project, tmp_path: Path) -> None:
    target = tmp_path / "d.svg"
    render_to_file(maternity, target)
    before = target.read_bytes()
    with pytest.raises(ValueError):
        render_to_file(maternity, target, primary="nope")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.svg"]


def test_cli_render_every_format(tmp_path: Path, capsys) -> None:
    source = ROOT / "examples" / "sepsis.yaml"
    before = source.read_bytes()
    code = main(["render", str(source), "-o", str(tmp_path), "-f", "svg,png,pdf", "--format", "dot", "-f", "mermaid"])
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sepsis.dot", "sepsis.mmd", "sepsis.pdf", "sepsis.png", "sepsis.svg"]
    assert source.read_bytes() == before


def test_cli_render_views_name_their_files(tmp_path: Path, capsys) -> None:
    assert main(["render", str(ROOT / "examples" / "maternity.yaml"), "-o", str(tmp_path), "--primary", "P2", "--status", "testing", "-f", "dot"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["maternity-primary-P2-status-testing.dot"]


def test_cli_render_errors(tmp_path: Path, capsys) -> None:
    assert main(["render", str(STARTER), "-o", str(tmp_path), "-f", "gif"]) == 2
    assert main(["render", str(STARTER), "-o", str(tmp_path), "--primary", "S9"]) == 1
    assert "no primary driver" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("driverkit: 1\ntitle: [\n", encoding="utf-8")
    assert main(["render", str(broken), "-o", str(tmp_path)]) == 1
    assert "DK001" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.svg"))


def test_cli_render_many_files_in_parallel(tmp_path: Path, capsys) -> None:
    files = []
    for index in range(4):
        path = tmp_path / f"p{index}.yaml"
        path.write_text(STARTER.read_text(encoding="utf-8").replace("Fewer falls", f"Fewer falls {index}"), encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "out"
    assert main(["render", *files, "-o", str(out), "-f", "dot", "--jobs", "2"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"p{i}.dot" for i in range(4)]
    assert "Fewer falls 3" in (out / "p3.dot").read_text(encoding="utf-8")


def test_png_resolution_shrinks_only_for_huge_diagrams(maternity: driverkit.Project) -> None:
    from driverkit.output.dot import estimated_size
    from driverkit.output.engine import PNG_DPI, png_dpi

    width, height = estimated_size(build_diagram(maternity))
    assert 1500 < height < 3500 and png_dpi(width, height) == PNG_DPI
    assert png_dpi(900, 30_000) < 72  # 500 change ideas in one column
    assert png_dpi(900, 30_000) * 30_000 * 1.15 / 72 <= 32_000


def test_a_font_file_of_the_project_measures_and_draws_the_labels(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(ROOT / "driverkit" / "fonts" / "DejaVuSans-Bold.ttf", fonts / "House.ttf")
    text = STARTER.read_text(encoding="utf-8") + "render: {font_file: fonts/House.ttf}\n"
    project = driverkit.loads(text, filename=str(tmp_path / "p.yaml"))
    plain = driverkit.loads(STARTER.read_text(encoding="utf-8"))
    assert render(project, "dot") != render(plain, "dot")  # bolder glyphs, other line breaks
    data = render(project, "svg", backend="embedded")
    assert b"Falls risk" in data
    with pytest.raises(ValueError, match="does not exist"):
        render(project, "svg", font_file="fonts/missing.ttf")


def test_output_names_never_collide_or_leave_the_folder() -> None:
    from driverkit.output.rendering import output_stems

    assert output_stems(["a/x.yaml", "b/y.yaml"]) == ["x", "y"]
    assert output_stems(["tree/a/project.yaml", "tree/b/project.yaml"]) == ["a/project", "b/project"]
    assert output_stems(["x.yaml"], "-tag-A&E/../ED") == ["x-tag-A_E_.._ED"]


def test_view_options_are_checked(maternity: driverkit.Project) -> None:
    for bad in ({"font_size": 0}, {"font_size": float("nan")}, {"font_size": 99}, {"theme": "neon"}):
        with pytest.raises(driverkit.ViewError):
            render(maternity, "dot", **bad)
    with pytest.raises(TypeError, match="unknown view option show_id"):
        render(maternity, "dot", show_id=True)
    assert render(maternity, "dot", statuses="testing") == render(maternity, "dot", statuses=("testing",))


def test_render_to_file_checks_the_suffix(maternity: driverkit.Project, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot tell the format"):
        render_to_file(maternity, tmp_path / "x.gif")
    with pytest.raises(ValueError, match="names a svg file"):
        render_to_file(maternity, tmp_path / "x.svg", "png")
    assert render_to_file(maternity, tmp_path / "x.mermaid").read_text(encoding="utf-8").startswith("---")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.mermaid"]


def test_a_file_that_is_not_a_font_is_an_error_for_that_file_only(tmp_path: Path, capsys) -> None:
    (tmp_path / "fake.ttf").write_text("not a font", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(STARTER.read_text(encoding="utf-8") + "render: {font_file: fake.ttf}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(bad), str(ROOT / "examples" / "sepsis.yaml"), "-o", str(out), "-f", "dot", "-j", "1"]) == 1
    assert "not a TrueType or OpenType font" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["sepsis.dot"]


def test_tiny_sizes_and_odd_text_cannot_hang_the_wrapping() -> None:
    from driverkit.output.textwidth import load_font, wrap

    font = load_font()
    assert wrap("abc " * 3 + "x" * 50, -10, 6, font)  # a width below zero still makes progress
    assert wrap("", 100, 10, font) == ("",)


def test_change_ideas_follow_their_drivers_across_columns() -> None:
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    diagram = build_diagram(project)
    change_column = diagram.columns[-1]
    row = {b.key: i for i, b in enumerate(change_column.boxes)}
    homes = [next(c.parent for c in diagram.connectors if c.child == b.key) for b in change_column.boxes]
    position = {b.key: (ci, i) for ci, column in enumerate(diagram.columns) for i, b in enumerate(column.boxes)}
    # where a change idea's first parent stands (as a fraction of its column) never goes back up
    fractions = [position[h][1] / max(len(diagram.columns[position[h][0]].boxes), 1) for h in homes]
    assert sum(1 for a, b in zip(fractions, fractions[1:]) if b < a - 0.2) == 0, list(zip(row, fractions))


def test_wrong_level_links_are_not_drawn() -> None:
    text = (MINIMAL + "drivers:\n  - id: P1\n    text: a\n    drivers:\n      - id: S1\n        text: b\n"
            "        drivers:\n          - id: T1\n            text: c\n            also: [P2]\n  - id: P2\n    text: d\n"
            "    drivers:\n      - id: S2\n        text: e\n        also: [S1]\n")
    drawn = {(c.parent, c.child) for c in build_diagram(driverkit.loads(text)).connectors}
    assert ("P2", "T1") not in drawn and ("S1", "S2") not in drawn and ("S1", "T1") in drawn


def test_links_that_cannot_be_drawn_are_named_in_a_warning(tmp_path: Path, capsys) -> None:
    text = MINIMAL + "drivers:\n  - text: A\n    changes: [{text: c, also: [S9]}]\n  - text: B\n"
    project = driverkit.loads(text)
    with pytest.warns(driverkit.RenderWarning, match=r"1 link\(s\) written in the file are not drawn: C1.1 -> S9 \(no such element\)"):
        render(project, "dot")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["render", str(path), "-o", str(tmp_path / "out"), "-f", "dot,mermaid"]) == 0
    err = capsys.readouterr().err
    assert err.count("not drawn") == 1  # once a file, not once a format


def test_change_ideas_show_how_many_pdsa_cycles_test_them() -> None:
    text = (MINIMAL + "drivers:\n  - id: P1\n    text: a\n    changes:\n      - {id: C1, text: tested twice, status: testing, owner: x}\n"
            "      - {id: C2, text: not tested}\npdsa:\n  - {change: C1, prediction: p}\n  - {change: C1, prediction: q}\n")
    diagram = build_diagram(driverkit.loads(text))
    assert {b.element_id: b.cycles for b in diagram.boxes() if b.kind == "change"} == {"C1": 2, "C2": 0}
    source = render(driverkit.loads(text), "dot").decode()
    assert source.count("↻ 2 PDSA") == 1 and "↻ 0" not in source


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("text", ["A & B", "&quot;", "x &amp; y", "&#60;b&#62;"])
def test_a_tooltip_keeps_ampersands_and_what_looks_like_an_entity(backend: str, text: str) -> None:
    project = driverkit.loads(MINIMAL + f"drivers:\n  - id: P1\n    text: {json.dumps(text)}\n")
    root = ET.fromstring(render(project, "svg", backend=backend))
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")]
    assert text in titles  # as written, not "&quot;" read back as a quote
