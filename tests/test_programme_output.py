"""The programme's outputs: the map (DOT and drawn), the small multiples and the report, on the
example national programme (examples/programme/) and on a generated programme of many members,
with hostile text in titles, file names and change ideas."""

from __future__ import annotations

import random
import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import driverkit
from driverkit.output import escape
from driverkit.output.engine import RenderError, find_backend
from driverkit.output.programme_map import MANY, MOST_CLUSTERS, programme_map, programme_map_dot, short_names
from driverkit.output.programme_report import build_report, picture_files, programme_report
from driverkit.output.small_multiples import MOST_PANELS, small_multiples
from driverkit.programme.likeness import Match, TextItem
from tests.conftest import ROOT, Elements

NATIONAL = ROOT / "examples" / "programme" / "national.yaml"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Trust <script>alert("x")</script> \\N {{ 7*7 }} {% if %} & co'
HOSTILE_FILE = 'w1-z<b>"odd\\{x}.yaml'  # sorts after the other wave-1 files
POOL = [  # change ideas shared by many generated members, each in the same words everywhere
    "Carbon monoxide test at booking with opt-out referral to stop-smoking support",
    "Plastic wrap and a thermal mattress for babies born before 32 weeks",
    "Daily safety huddle on the labour ward at eight in the morning",
    "Magnesium sulphate checklist before 30 weeks on the assessment unit",
    "Text message reminder the week before the glucose tolerance test",
    "Hourly fresh-eyes review of the fetal heart trace by a second midwife",
    "Early warning score chart hung in every postnatal room",
    "Skin-to-skin contact within one hour of birth prompted on the birth checklist",
    "Neonatal registrar present at every birth before 34 weeks",
    "Stop-smoking adviser seated in the antenatal clinic two mornings a week",
    "Buccal dextrose gel as the first treatment of a low blood sugar",
    "Cord clamped after sixty seconds, timed aloud",
    "Room thermometer on the wall of each birth room with the target printed",
    "In-utero transfer checklist for threatened preterm labour",
]
DRIVERS = {"S1.1": ("P1", "Local work on smoking at booking"), "S1.2": ("P1", "Local work on stop-smoking support"),
           "S2.1": ("P2", "Local work on warmth at birth")}


def working_backend() -> str | None:
    """Why no Graphviz can draw here, or None when one can."""
    try:
        find_backend("auto").render("digraph { a }", "svg")
    except (RenderError, OSError) as exc:
        return str(exc)
    return None


NO_GRAPHVIZ = working_backend()
needs_graphviz = pytest.mark.skipif(NO_GRAPHVIZ is not None, reason=f"no Graphviz can draw here: {NO_GRAPHVIZ}")


def write_programme(folder: Path, members: int, seed: int = 1, hostile: bool = False, broken: bool = False) -> Path:
    """A small generated programme: two primary drivers with two secondary drivers each (S2.2 served
    by nobody), `members` trusts in two waves, each serving one or two secondary drivers with two
    or three change ideas from POOL, and reporting the shared measure M1 with 12 months of data.
    `hostile` gives the programme, one member and one change idea hostile text, and one member a
    hostile file name; `broken` adds a member that does not load."""
    rng = random.Random(seed)
    (folder / ".git").mkdir(parents=True, exist_ok=True)
    (folder / "trusts").mkdir(exist_ok=True)
    half = (members + 1) // 2
    title = HOSTILE if hostile else "Generated programme"
    (folder / "programme.yaml").write_text(f"""\
driverkit: 1
title: '{title.replace("'", "''")}'
programme:
  waves:
    - {{number: 1, start: 2021-01}}
    - {{number: 2, start: 2021-07}}
  members:
    - {{file: "trusts/w1-*.yaml", wave: 1}}
    - {{file: "trusts/w2-*.yaml", wave: 2}}
aim:
  statement: Reduce harm to mothers and babies in the region from 10% to 8% by 31 December 2022
  measures: [M1]
drivers:
  - id: P1
    text: Smoke-free pregnancies
    drivers:
      - {{id: S1.1, text: Smoking is found at booking}}
      - {{id: S1.2, text: Women who smoke get support}}
  - id: P2
    text: Warm preterm babies
    drivers:
      - {{id: S2.1, text: Babies are kept warm at birth}}
      - {{id: S2.2, text: Deterioration in newborn babies is recognised early}}
measures:
  - id: M1
    name: Harm rate
    family: outcome
    definition: Births with harm, as a percentage of births in the month.
    numerator: Births with harm
    denominator: Births in the month
    unit: "%"
    better: lower
""", encoding="utf-8")
    for number in range(members):
        wave = 1 if number < half else 2
        name = HOSTILE_FILE if hostile and number == 1 else f"w{wave}-trust-{number:03d}.yaml"
        served = sorted(rng.sample(sorted(DRIVERS), rng.choice((1, 2))))
        changes = rng.sample(POOL, rng.choice((2, 3)))
        if hostile and number == 0:
            changes[0] = HOSTILE
        drivers = []
        for index, target in enumerate(served, 1):
            parent, text = DRIVERS[target]
            ideas = "".join(f"""
      - id: C{index}.{n}
        text: '{c.replace("'", "''")}'
        status: {rng.choice(("idea", "testing", "adopted"))}""" for n, c in enumerate(changes[index - 1::len(served)], 1))
            drivers.append(f"""
  - id: D{index}
    text: {text}
    serves: [../programme.yaml#{target}]
    changes:{ideas}""")
        tops = sorted({DRIVERS[t][0] for t in served})
        rate = rng.uniform(0.05, 0.15) if number != 2 else 0.4  # trust 2 is far worse: an outlier
        data = "".join(f"""
      - {{period: 2021-{month:02d}, numerator: {round(200 * rate + rng.uniform(-4, 4))}, denominator: 200}}"""
                       for month in range(1 if wave == 1 else 7, 13))
        member_title = HOSTILE if hostile and number == 0 else f"Trust {number}"
        (folder / "trusts" / name).write_text(f"""\
driverkit: 1
title: '{member_title.replace("'", "''")}'
serves: [{", ".join(f"../programme.yaml#{t}" for t in tops)}]
aim:
  statement: Reduce harm at trust {number} from 10% to 8% by 31 December 2022
  measures: [M1]
drivers:{"".join(drivers)}
measures:
  - use: ../programme.yaml#M1
    data:{data}
""", encoding="utf-8")
    if broken:
        (folder / "trusts" / "w2-zz-broken.yaml").write_text("driverkit: 1\ntitle: [unclosed\n", encoding="utf-8")
    return folder / "programme.yaml"


@pytest.fixture(scope="module")
def national() -> driverkit.Programme:
    return driverkit.load_programme(NATIONAL)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> driverkit.Programme:
    return driverkit.load_programme(write_programme(tmp_path_factory.mktemp("many"), 60, broken=True))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> driverkit.Programme:
    return driverkit.load_programme(write_programme(tmp_path_factory.mktemp("hostile"), 6, hostile=True))


def statement_of(dot: str, node_id: str) -> str:
    """The DOT statement of the node whose `id` attribute is `node_id`."""
    found = [line for line in dot.splitlines() if f'id="{node_id}"' in line]
    assert len(found) == 1, node_id
    return found[0]


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


# -- the map's DOT ---------------------------------------------------------------------------------

def test_the_map_names_every_programme_driver_and_every_member_at_six(national: driverkit.Programme) -> None:
    dot = programme_map_dot(national)
    for cover in national.coverage:
        assert f"<B>{escape.label(cover.driver)}</B>" in dot
    names = short_names(national.members)
    assert len(set(names.values())) == len(national.members)
    for name in names.values():
        assert name in dot
    assert "wave 1: northgate, riverside, westmoor" in dot.replace("<BR/>", " ")


def test_the_map_marks_the_driver_nobody_serves(national: driverkit.Programme) -> None:
    dot = programme_map_dot(national)
    box = statement_of(dot, "members:S5.3")
    assert "no member yet" in box and "dashed" in box
    driver = statement_of(dot, "S5.3")
    assert "dashed" in driver
    served = statement_of(dot, "members:S5.2")
    assert "no member yet" not in served and "dashed" not in served
    assert "no member yet on S5.3" in dot


def test_the_map_links_the_shared_change_to_the_drivers_it_serves(national: driverkit.Programme) -> None:
    dot = programme_map_dot(national)
    common = [line for line in dot.splitlines() if 'id="common:' in line and "change idea · 4 members" in line]
    assert len(common) == 1 and "Carbon monoxide" in common[0]
    number = re.search(r'id="common:(\d+)"', common[0]).group(1)  # type: ignore[union-attr]
    assert re.search(rf'm_S1_2e_1 -> common_{number} ', dot)


def test_the_map_counts_by_wave_at_many_members(many: driverkit.Programme) -> None:
    dot = programme_map_dot(many)
    labels = re.sub(r'tooltip="(?:[^"\\]|\\.)*"', "", dot)  # what is drawn; the SVG's tooltips name everyone
    loaded = [m for m in many.members if m.loaded]
    named = [name for name in short_names(many.members).values() if re.search(rf"\b{re.escape(name)}\b", labels)]
    assert len(loaded) == 60 and named == ["w2-zz-broken"]  # the member that does not load, in the subtitle
    box = statement_of(dot, "members:S1.1")
    counts = [int(n) for n in re.findall(r"wave [12]: (\d+) members?", box)]
    assert len(counts) == 2 and sum(counts) > MANY
    total = int(re.search(r"(\d+) members on S1\.1", box).group(1))  # type: ignore[union-attr]
    cover = next(c for c in many.coverage if c.driver == "S1.1")
    assert total == sum(counts) == len(cover.direct)
    assert "no member yet" in statement_of(dot, "members:S2.2")
    assert "1 does not load: w2-zz-broken" in dot


def test_the_map_draws_the_largest_common_ground_only_with_a_note(many: driverkit.Programme) -> None:
    dot = programme_map_dot(many)
    assert len(many.clusters) > MOST_CLUSTERS
    drawn = re.findall(r'id="common:\d+"', dot)
    assert len(drawn) == MOST_CLUSTERS
    assert f"… and {len(many.clusters) - MOST_CLUSTERS} more groups of common ground" in dot
    smallest_drawn = min(int(n) for n in re.findall(r"· (\d+) members", dot))
    assert all(len(c.members) <= smallest_drawn for c in sorted(many.clusters, key=lambda c: -len(c.members))[MOST_CLUSTERS:])


def test_the_map_escapes_hostile_titles_file_names_and_texts(hostile: driverkit.Programme) -> None:
    dot = programme_map_dot(hostile)
    assert "<script>" not in dot and "&lt;script&gt;" in dot
    assert escape.label("Programme map: " + HOSTILE) in dot  # "\\N" doubled: Graphviz would put the node's name there
    assert escape.label('z<b>"odd\\{x}') in dot  # the file name, as a short name
    assert escape.dot_string("trusts/" + HOSTILE_FILE) in dot  # in a tooltip


@pytest.mark.parametrize("theme", ["default", "print", "colourblind"])
def test_the_map_is_the_same_text_every_time(national: driverkit.Programme, theme: str) -> None:
    assert programme_map_dot(national, theme) == programme_map_dot(driverkit.load_programme(NATIONAL), theme)


def test_the_map_refuses_an_unknown_format_or_theme(national: driverkit.Programme) -> None:
    with pytest.raises(ValueError, match="not 'gif'"):
        programme_map(national, "gif")
    with pytest.raises(ValueError, match="unknown theme"):
        programme_map_dot(national, "neon")


# -- the map, drawn --------------------------------------------------------------------------------

@needs_graphviz
def test_the_drawn_map_shows_every_member_and_is_deterministic(national: driverkit.Programme) -> None:
    first = programme_map(national, "svg")
    assert first == programme_map(national, "svg")
    text = svg_text(first)
    for name in short_names(national.members).values():
        assert name in text
    assert "S5.3: no member yet" in text
    assert programme_map(national, "png").startswith(b"\x89PNG")
    assert programme_map(national, "dot") == programme_map_dot(national).encode()


@needs_graphviz
def test_the_drawn_map_shows_hostile_text_as_text(hostile: driverkit.Programme) -> None:
    data = programme_map(hostile, "svg")
    root = ET.fromstring(data)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert 'Programme map: Trust <script>alert("x")</script> \\N' in svg_text(data)


# -- small multiples -------------------------------------------------------------------------------

def test_small_multiples_show_the_programme_then_each_comparable_member(national: driverkit.Programme) -> None:
    m3 = next(c for c in national.comparisons if c.id == "M3")
    data = small_multiples(m3, "svg")
    assert data == small_multiples(m3, "svg")
    text = svg_text(data)
    assert "Programme (4 members summed)" in text
    for use in m3.shared.comparable:
        assert use.member in text
    assert "trusts/wave2-southbay.yaml (denominator)" in text  # not compared, and said so
    assert small_multiples(m3, "png").startswith(b"\x89PNG")


def test_small_multiples_mark_the_funnel_outlier(national: driverkit.Programme) -> None:
    m7 = next(c for c in national.comparisons if c.id == "M7")
    text = svg_text(small_multiples(m7, "svg"))
    assert re.search(r"trusts/westmoor\.yaml\s+outside the funnel's limits", text)
    assert len(re.findall("outside the funnel's limits", text)) == 1


def test_small_multiples_are_capped_at_many_members(many: driverkit.Programme) -> None:
    m1 = many.comparisons[0]
    assert len(m1.shared.comparable) == 60
    text = svg_text(small_multiples(m1, "svg"))
    assert f"{MOST_PANELS} of the 60 members shown" in text
    assert "trusts/w1-trust-000.yaml" in text and "trusts/w2-trust-059.yaml" not in text


def test_small_multiples_draw_hostile_names_as_text(hostile: driverkit.Programme) -> None:
    data = small_multiples(hostile.comparisons[0], "svg")
    root = ET.fromstring(data)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert HOSTILE_FILE[-12:] in svg_text(data)


# -- the report ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_report_has_the_planted_facts(national: driverkit.Programme, fmt: str) -> None:
    page = programme_report(national, fmt)
    assert page == programme_report(national, fmt)
    flat = re.sub(r"<[^>]+>|\*\*", "", page)
    assert "no member yet on S5.3" in flat
    assert "trusts/westmoor.yaml beyond the widest limits" in flat
    co = next(line for line in page.splitlines() if "Carbon monoxide screening at booking" in line and "adopted 3" in line) \
        if fmt == "md" else page[page.index("Spread of the change ideas"):]
    assert "wave2-lakeside" in co
    assert "redefines its denominator" in flat
    for member in national.members:
        assert member.title in flat.replace("&#39;", "'")
    assert "Same words once normalised" in flat  # the why of a match


def test_the_report_values_name_the_outlier_the_gap_and_the_member_behind(national: driverkit.Programme) -> None:
    report = build_report(national)
    m7 = next(c for c in report["comparisons"] if c["id"] == "M7")
    assert m7["funnel"]["outliers"] == ["trusts/westmoor.yaml"] and m7["window"] == "2020-01 to 2020-12"
    assert [row["driver"] for row in report["coverage"] if row["uncovered"]] == ["S5.3"]
    co = next(row for row in report["spread"]["shared"] if "Carbon monoxide screening" in row["label"])
    assert co["not_yet"]["names"] == ["trusts/wave2-lakeside.yaml"] and co["cells"] == ["adopted 3", "testing 1"]
    m3 = next(c for c in report["comparisons"] if c["id"] == "M3")
    assert m3["redefined"] == [{"member": "trusts/wave2-southbay.yaml", "fields": "denominator"}]
    lakeside = next(d for d in report["diagnostics"] if d["file"] == "trusts/wave2-lakeside.yaml")
    assert lakeside["warnings"] == 1


def test_the_html_report_escapes_hostile_text(hostile: driverkit.Programme) -> None:
    page = programme_report(hostile, "html")
    parsed = Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags
    text = "".join(parsed.text)
    assert HOSTILE in text  # shown as written: the title, the member's project and the change idea
    assert text.count(HOSTILE) >= 3 and "49" not in text  # the title, the member's project, the change idea; no template ran


def test_the_markdown_report_escapes_hostile_text(hostile: driverkit.Programme) -> None:
    page = programme_report(hostile, "md")
    assert "<script>" not in page and escape.markdown(HOSTILE) in page


def test_near_matches_to_review_are_a_section_of_their_own_with_the_lines_to_paste(national: driverkit.Programme) -> None:
    assert "Near matches to review" not in programme_report(national, "md")  # only when asked for
    reviewed = driverkit.load_programme(NATIONAL, review_from=65)
    md = programme_report(reviewed, "md")
    assert "### Near matches to review" in md
    assert "`- same: [trusts/northgate.yaml#L3, trusts/wave2-hillcrest.yaml#L1]`" in md
    html = programme_report(reviewed, "html")
    assert "<code>- different: [trusts/northgate.yaml#L3, trusts/wave2-hillcrest.yaml#L1]</code>" in html
    nothing = programme_report(dataclasses.replace(reviewed, near=[]), "md")
    assert "No pair of texts in no one group scores 65 or more." in nothing


def test_near_matches_show_hostile_text_as_text(hostile: driverkit.Programme) -> None:
    a = TextItem(HOSTILE, "change", "C1", HOSTILE)
    b = TextItem("trusts/t1.yaml", "change", "C1", "Thermal care bundle")
    reviewed = dataclasses.replace(hostile, near=[Match(a, b, 70.0, HOSTILE)], review_from=65.0)
    parsed = Elements()
    parsed.feed(programme_report(reviewed, "html"))
    assert "script" not in parsed.tags and "".join(parsed.text).count(HOSTILE) >= 3 + 4
    md = programme_report(reviewed, "md")
    assert md.count(escape.markdown(HOSTILE)) >= 3 + 3  # its member, its text, the why
    # The lines to paste are code spans, shown exactly as written (Markdown reads nothing in them).
    assert "<script>" not in re.sub(r"(`+).*?\1", "", md)
    assert escape.markdown_code(f"- same: [{HOSTILE}#C1, trusts/t1.yaml#C1]") in md


def test_the_report_embeds_pictures_as_images_of_their_own(national: driverkit.Programme) -> None:
    picture = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page = programme_report(national, "html", pictures={"map": picture, "M7-funnel": picture.decode()})
    assert "<script>" not in page and page.count('src="data:image/svg+xml;base64,') == 2
    files = picture_files(national)
    assert files["map"] == "national-map.svg" and files["M7-members"] == "national-M7-members.svg"
    md = programme_report(national, "md", pictures={**files, "map": "pictures/the map (1).svg"})
    assert "](pictures/the%20map%20%281%29.svg)" in md and "](national-M7-funnel.svg)" in md


def test_the_report_of_many_members_counts_instead_of_naming(many: driverkit.Programme) -> None:
    page = programme_report(many, "md")
    row = next(line for line in page.splitlines() if line.startswith("| ↳ **S1.1**"))
    assert re.search(r"\d+ members \(wave 1: \d+, wave 2: \d+\)", row) and "trust-0" not in row
    assert "does not load" in page and "trusts/w2-zz-broken.yaml" in page


def test_the_report_refuses_an_unknown_format(national: driverkit.Programme) -> None:
    with pytest.raises(ValueError, match="html or md"):
        programme_report(national, "pdf")
