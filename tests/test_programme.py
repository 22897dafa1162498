"""The programme level on the example national programme (examples/programme/): links, shared
measures, coverage, common ground, spread and comparison, and what happens with bad members."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

import driverkit
from driverkit.cli import main
from driverkit.output.programme_report import programme_report
from driverkit.programme.members import MemberProject
from driverkit.programme.summary import summary_lines

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "programme"
NATIONAL = EXAMPLE / "national.yaml"


@pytest.fixture(scope="module")
def programme() -> driverkit.Programme:
    return driverkit.load_programme(NATIONAL)


def test_members_are_found_from_the_list_and_the_glob_in_waves(programme: driverkit.Programme) -> None:
    assert [(m.name, m.wave) for m in programme.members] == [
        ("trusts/riverside.yaml", 1), ("trusts/northgate.yaml", 1), ("trusts/eastfield.yaml", 1), ("trusts/westmoor.yaml", 1),
        ("trusts/wave2-hillcrest.yaml", 2), ("trusts/wave2-lakeside.yaml", 2), ("trusts/wave2-southbay.yaml", 2)]
    assert all(m.loaded for m in programme.members) and programme.errors == 0


def test_a_shared_measure_takes_the_programme_definition_and_keeps_its_own_data() -> None:
    riverside = driverkit.load(EXAMPLE / "trusts" / "riverside.yaml")
    m3 = riverside.measures[0]
    assert (m3.id, m3.name, m3.family, m3.denominator) == ("M3", "Smoking at time of delivery", "outcome", "Maternities in the month")
    assert m3.data_file == "../data/riverside-M3-smoking-at-delivery.csv"
    assert m3.use == "../national.yaml#M3" and m3.shared_from.file == NATIONAL
    assert m3.chart is not None and m3.chart.phases  # the member's own chart settings replace the programme's


def test_the_measurement_plan_marks_a_shared_measure() -> None:
    riverside = driverkit.load(EXAMPLE / "trusts" / "riverside.yaml")
    page = driverkit.render(riverside, "md", view="measurement-plan").decode()
    assert "shared: ../national.yaml#M3" in page


def test_coverage_names_who_works_on_each_driver_and_the_gap(programme: driverkit.Programme) -> None:
    cover = {c.driver: c.members for c in programme.coverage}
    assert cover["P4"] == ["trusts/wave2-hillcrest.yaml"]
    assert cover["S2.3"] == ["trusts/eastfield.yaml", "trusts/northgate.yaml", "trusts/wave2-hillcrest.yaml"]
    assert [c.driver for c in programme.links.uncovered] == ["S5.3"]


def test_links_beyond_the_programme_show_the_regional_one(programme: driverkit.Programme) -> None:
    beyond = {(link.member, link.source, link.target_file, link.target) for link in programme.links.beyond}
    assert ("trusts/riverside.yaml", "aim", "regional-smokefree.yaml", "aim") in beyond
    assert ("trusts/northgate.yaml", "S1.2", "regional-smokefree.yaml", "S2") in beyond


def test_the_regional_scheme_works_on_the_same_thing_and_is_linked_to_it(programme: driverkit.Programme,
                                                                         tmp_path: Path) -> None:
    (overlap,) = [o for o in programme.links.overlaps if o.target == "S2"]
    assert overlap.members == ["trusts/northgate.yaml", "trusts/riverside.yaml"] and overlap.linked == ["P1"]
    assert "S1.2" in overlap.here and not [d for d in programme.diagnostics if d.code == "DK809"]
    # Without the regional scheme's own `serves:`, nothing tells either team of the other.
    copy = tmp_path / "programme"
    shutil.copytree(EXAMPLE, copy)
    regional = copy / "regional-smokefree.yaml"
    regional.write_text(regional.read_text(encoding="utf-8").replace("serves: [national.yaml#P1]\n", ""), encoding="utf-8")
    unlinked = driverkit.load_programme(copy / "national.yaml", allow=[copy])
    assert {o.target: o.linked for o in unlinked.links.overlaps} == {"S2": [], "aim": []}
    warned = sorted(d.message.split(" and ")[0] for d in unlinked.diagnostics if d.code == "DK809")  # once per element
    assert warned == ["trusts/northgate.yaml, trusts/riverside.yaml serve regional-smokefree.yaml#S2",
                      "trusts/riverside.yaml serves regional-smokefree.yaml#aim"]


def _cluster_of(programme: driverkit.Programme, member: str, element: str):  # type: ignore[no-untyped-def]
    return next((c for c in programme.clusters if any(i.member == member and i.id == element for i in c.items)), None)


def test_the_same_change_in_other_words_is_one_cluster_and_look_alikes_stay_apart(programme: driverkit.Programme) -> None:
    co = _cluster_of(programme, "trusts/riverside.yaml", "C1.1.1")
    assert co is not None and co.members == ("trusts/northgate.yaml", "trusts/riverside.yaml",
                                             "trusts/wave2-southbay.yaml", "trusts/westmoor.yaml")
    warm = _cluster_of(programme, "trusts/eastfield.yaml", "C1.1.1")
    assert warm is not None and warm.members == ("trusts/eastfield.yaml", "trusts/northgate.yaml", "trusts/wave2-hillcrest.yaml")
    assert _cluster_of(programme, "trusts/wave2-lakeside.yaml", "C1.1.1") is None  # the 36-week test
    mother = _cluster_of(programme, "trusts/eastfield.yaml", "C2.1.1")
    assert mother is None or ("trusts/wave2-hillcrest.yaml", "C2.1.1") not in {(i.member, i.id) for i in mother.items}


def test_spread_finds_the_wave_two_trust_that_has_not_tried_a_wave_one_change(programme: driverkit.Programme) -> None:
    row = next(r for r in programme.spread if any(a.member == "trusts/riverside.yaml" and a.change == "C1.1.1" for a in r.adoptions))
    assert row.not_yet == ["trusts/wave2-lakeside.yaml"]
    assert row.by_wave() == {1: {"adopted": 3}, 2: {"testing": 1}}


def test_a_redefined_shared_measure_is_warned_and_left_out_of_the_comparison(programme: driverkit.Programme) -> None:
    (warning,) = [d for d in programme.diagnostics if d.code == "DK805"]
    assert warning.file.endswith("wave2-southbay.yaml") and "national.yaml" in warning.message
    m3 = next(c for c in programme.comparisons if c.id == "M3")
    assert [u.member for u in m3.shared.uses if not u.comparable] == ["trusts/wave2-southbay.yaml"]
    assert "trusts/wave2-southbay.yaml" not in {t.member for t in m3.totals}


def test_the_funnel_names_westmoor_on_hypothermia(programme: driverkit.Programme) -> None:
    m7 = next(c for c in programme.comparisons if c.id == "M7")
    assert m7.window == ("2020-01", "2020-12")
    assert {t.member: (t.numerator, t.denominator) for t in m7.totals}["trusts/westmoor.yaml"] == (42, 126)
    assert m7.funnel is not None and m7.funnel.outliers == ("trusts/westmoor.yaml",)
    assert round(m7.funnel.target, 1) == 15.1


def test_the_programme_series_sums_members_period_by_period(programme: driverkit.Programme) -> None:
    m7 = next(c for c in programme.comparisons if c.id == "M7")
    first = m7.series[0]
    assert first.period == "2017-04" and first.members == 3  # northgate, eastfield, westmoor: wave 2 reports from 2018-04
    by_period = {t.period: t for t in m7.series}
    assert by_period["2020-12"].members == 5


def test_the_same_name_with_another_definition_is_reported(programme: driverkit.Programme) -> None:
    (conflict,) = [d for d in programme.diagnostics if d.code == "DK808"]
    assert conflict.file.endswith("wave2-lakeside.yaml") and "trusts/northgate.yaml" in conflict.message


def test_json_holds_all_of_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programme", str(NATIONAL), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["uncovered"] == ["S5.3"]
    assert {c["measure"]: c.get("funnel", {}).get("outliers") for c in data["comparisons"]}["M7"] == ["trusts/westmoor.yaml"]
    assert len(data["members"]) == 7 and data["clusters"] and data["spread"]


def test_the_text_summary_says_what_a_national_team_asks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programme", str(NATIONAL)]) == 0
    out = capsys.readouterr().out
    assert "Nobody works on: S5.3" in out
    assert "not yet tried by trusts/wave2-lakeside.yaml" in out
    assert "outside the 99.8% limits: trusts/westmoor.yaml" in out


def test_the_schema_takes_the_programme_keys() -> None:
    schema = driverkit.json_schema()
    for path in [NATIONAL, *sorted((EXAMPLE / "trusts").glob("*.yaml")), EXAMPLE / "regional-smokefree.yaml"]:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))  # dates as text
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"driverkit": 1, "title": "x", "aim": {}, "measures": [{"family": "outcome"}]}, schema)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "programme"
    shutil.copytree(EXAMPLE, folder)
    (tmp_path / ".git").mkdir()
    return folder


def test_a_member_that_does_not_load_is_reported_and_the_rest_analysed(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    eastfield = folder / "trusts" / "eastfield.yaml"
    eastfield.write_text(eastfield.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    programme = driverkit.load_programme(folder / "national.yaml")
    broken = next(m for m in programme.members if m.name == "trusts/eastfield.yaml")
    assert not broken.loaded and any(d.code == "DK003" for d in broken.diagnostics)
    assert any(d.code == "DK003" and d.file.endswith("eastfield.yaml") for d in programme.diagnostics)
    assert next(c for c in programme.comparisons if c.id == "M7").funnel.outliers == ("trusts/westmoor.yaml",)
    assert main(["programme", str(folder / "national.yaml")]) == 1


def test_members_loaded_in_two_processes_give_the_same_programme(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    westmoor = folder / "trusts" / "westmoor.yaml"  # in the part the second process loads
    westmoor.write_text(westmoor.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    # In a process of its own: the test runner may run threads, and then nothing is forked.
    script = """
import json, sys, threading
import driverkit
from driverkit.programme import forked
assert threading.active_count() == 1 and forked.available(2) == 2
alone = driverkit.load_programme(sys.argv[1], jobs=1)
shared = driverkit.load_programme(sys.argv[1], jobs=2)
assert json.dumps(shared.as_dict(), default=str) == json.dumps(alone.as_dict(), default=str)
assert [m.loaded for m in shared.members] == [m.name != "trusts/westmoor.yaml" for m in shared.members]
# A measure taken from the programme names the programme's own measure, not a copy of it.
m3 = next(m for m in shared.project.measures if m.id == "M3")
users = [m for member in shared.members if member.project for m in member.project.measures if m.use == "../national.yaml#M3"]
assert len(users) >= 3 and all(m.shared_from.target is m3 for m in users), users
print("same")
"""
    done = subprocess.run([sys.executable, "-c", script, str(folder / "national.yaml")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "same", done.stderr


def test_two_members_with_one_file_name_in_two_folders_stay_two(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "north").mkdir()
    text = (folder / "trusts" / "riverside.yaml").read_text(encoding="utf-8").replace("../", "../../programme/")
    (folder / "north" / "riverside.yaml").write_text(text.replace("../../programme/data/", "../data/"), encoding="utf-8")
    national = folder / "national.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace(
        '    - {file: "trusts/wave2-*.yaml", wave: 2}', '    - {file: "trusts/wave2-*.yaml", wave: 2}\n    - {file: north/riverside.yaml, wave: 2}'),
        encoding="utf-8")
    programme = driverkit.load_programme(national)
    names = [m.name for m in programme.members]
    assert "trusts/riverside.yaml" in names and "north/riverside.yaml" in names
    co = _cluster_of(programme, "north/riverside.yaml", "C1.1.1")
    assert co is not None and "trusts/riverside.yaml" in co.members


def test_the_programme_file_that_does_not_load_is_an_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "national.yaml"
    bad.write_text("driverkit: 1\ntitle: [\n", encoding="utf-8")
    assert main(["programme", str(bad)]) == 1
    assert "DK001" in capsys.readouterr().err


def test_a_long_chain_of_shared_measures_is_stopped_not_followed_to_the_end(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    head = "driverkit: 1\ntitle: Level {n}\naim: {{statement: \"Reduce falls on the wards from 8 to 4 per 1,000 bed days by 2026\"}}\n"
    (tmp_path / "f0.yaml").write_text(head.format(n=0) + "measures: [{id: M1, name: Falls, family: outcome}]\n", encoding="utf-8")
    for n in range(1, 200):
        (tmp_path / f"f{n}.yaml").write_text(head.format(n=n) + f"measures: [{{use: f{n - 1}.yaml#M1}}]\n", encoding="utf-8")
    diagnostics = driverkit.check_file(tmp_path / "f199.yaml")
    assert [d.code for d in diagnostics] == ["DK801"]
    assert main(["check", str(tmp_path / "f199.yaml")]) == 1


def _member(name: str, wave: int, changes: dict[str, str], measures: tuple[tuple[str, str], ...] = ()) -> MemberProject:
    """A member project written in memory: change ideas (id -> status) under one driver serving P1."""
    lines = ["driverkit: 1", f"title: {name}", "aim: {statement: Reduce harm by 20% by March 2027}", "drivers:",
             "  - id: P1", "    text: Safer care", "    changes:"]
    lines += [f"      - {{id: {cid}, text: Change {cid}, status: {status}}}" for cid, status in changes.items()]
    if measures:
        lines.append("measures:")
        lines += [f"  - {{id: M{i}, name: {mname}, family: process, denominator: {denominator}}}"
                  for i, (mname, denominator) in enumerate(measures, 1)]
    return MemberProject(name, Path(name), wave, driverkit.loads("\n".join(lines), filename=name), [])


def test_spread_names_the_next_wave_only() -> None:
    from driverkit.programme.spread import spread_rows

    members = [_member("one.yaml", 1, {"C1": "adopted"}), _member("two.yaml", 2, {"C9": "idea"}),
               _member("three.yaml", 3, {"C8": "idea"})]
    serves = {(m.name, "C1"): {"P1"} for m in members}
    served = {m.name: {"P1"} for m in members}
    (row,) = [r for r in spread_rows(members, [], serves, served) if r.label == "Change C1"]
    assert row.not_yet == ["two.yaml"]  # wave 3 is not named until wave 2 has had its turn


def test_a_name_with_two_definitions_is_reported_against_the_most_common_whatever_the_order() -> None:
    from driverkit.programme.compare import name_conflicts

    members = [_member(f"t{i}.yaml", 1, {"C1": "idea"}, (("Falls per week", "bed days" if i != 2 else "admissions"),))
               for i in range(4)]
    for order in (members, members[::-1], members[2:] + members[:2]):
        (conflict,) = name_conflicts(order)
        assert conflict.file == "t2.yaml" and "bed days" not in conflict.message and "denominator" in conflict.message


def test_decisions_in_the_programme_file_are_kept_over_the_scores(tmp_path: Path) -> None:
    copy = tmp_path / "programme"
    shutil.copytree(EXAMPLE, copy)
    national = copy / "national.yaml"
    text = national.read_text(encoding="utf-8").replace(
        '    - {file: "trusts/wave2-*.yaml", wave: 2}   # hillcrest, lakeside, southbay\n',
        '    - {file: "trusts/wave2-*.yaml", wave: 2}   # hillcrest, lakeside, southbay\n'
        "  decisions:\n"
        "    - same: [trusts/riverside.yaml#C1.1.1, trusts/wave2-lakeside.yaml#C1.1.1]\n"
        "      note: both test at booking and at 36 weeks\n"
        "    - different: [trusts/riverside.yaml#C1.1.1, trusts/northgate.yaml#C1.1.1]\n"
        "    - same: [trusts/riverside.yaml#C9.9, trusts/nowhere.yaml#C1]\n")
    national.write_text(text, encoding="utf-8")
    decided = driverkit.load_programme(national, allow=[copy])
    (cluster,) = [c for c in decided.clusters if ("trusts/riverside.yaml", "C1.1.1") in {(i.member, i.id) for i in c.items}]
    # Lakeside's test at booking and 36 weeks scores low against Riverside's; people said they are one change.
    assert {i.member for i in cluster.items} == {"trusts/riverside.yaml", "trusts/wave2-lakeside.yaml"}
    assert cluster.confirmed and cluster.matches[0].why.startswith("Decided the same in the programme file.")
    unknown = sorted(d.message for d in decided.diagnostics if d.code == "DK802" and d.file.endswith("national.yaml"))
    assert unknown == ["the decision names trusts/nowhere.yaml#C1, but trusts/nowhere.yaml is not a member of this programme",
                       "the decision names trusts/riverside.yaml#C9.9, but trusts/riverside.yaml has no element C9.9"]
    assert [c["confirmed"] for c in decided.as_dict()["clusters"]].count(True) == 1
    # what was decided, and why, is shown with the common ground
    assert decided.as_dict()["decisions"][0] == {"kind": "same", "note": "both test at booking and at 36 weeks",
                                                 "references": ["trusts/riverside.yaml#C1.1.1", "trusts/wave2-lakeside.yaml#C1.1.1"]}
    page = programme_report(decided, "md")
    assert "- **same**: trusts/riverside.yaml#C1.1.1, trusts/wave2-lakeside.yaml#C1.1.1: both test at booking and at 36 weeks" in page
    assert "- **different**: trusts/riverside.yaml#C1.1.1, trusts/northgate.yaml#C1.1.1" in page
    assert "Decisions in the programme file: 2 same, 1 different" in "\n".join(summary_lines(decided))


def test_a_hidden_character_taken_with_a_shared_measure_is_reported_in_the_member(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    head = "driverkit: 1\ntitle: {title}\naim: {{statement: \"Reduce falls on the wards from 8 to 4 per 1,000 bed days by 2026\"}}\n"
    (tmp_path / "national.yaml").write_text(head.format(title="National") + "measures:\n"
                                            "  - {id: M1, name: \"Falls\u200b per ward\", family: outcome}\n", encoding="utf-8")
    member = tmp_path / "member.yaml"
    member.write_text(head.format(title="Member") + "measures:\n  - {use: national.yaml#M1}\n", encoding="ascii")
    assert [d.code for d in driverkit.check_file(member) if d.code == "DK212"] == ["DK212"]


NAMING_EACH_OTHER = """
import json, sys
import driverkit

def errors(programme):
    return [(d.code, d.file.split("/")[-1], d.message) for d in programme.diagnostics if d.severity.name == "ERROR"]

for national in sys.argv[1:]:
    alone, shared = (driverkit.load_programme(national, jobs=jobs) for jobs in (1, 2))
    assert errors(shared) == errors(alone), (national, errors(alone), errors(shared))
    assert json.dumps(shared.as_dict(), default=str) == json.dumps(alone.as_dict(), default=str)
print("same")
"""


def test_members_that_name_each_other_load_alike_in_one_process_or_two(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    aim = "aim: {statement: \"Reduce falls on the wards from 8 to 4 per 1,000 bed days by 2026\"}\n"
    # Two members taking a measure from each other: a loop, reported where it closes.
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "national.yaml").write_text(f"driverkit: 1\ntitle: National\n{aim}drivers: [{{id: P1, text: Safer wards}}]\n"
                                        "programme: {members: [{file: a.yaml}, {file: b.yaml}]}\n", encoding="utf-8")
    for name, other in (("a", "b"), ("b", "a")):
        (loop / f"{name}.yaml").write_text(f"driverkit: 1\ntitle: Member {name}\nserves: [national.yaml#P1]\n{aim}"
                                           f"measures: [{{id: M1, name: Falls {name}, family: outcome}}, {{use: {other}.yaml#M1}}]\n",
                                           encoding="utf-8")
    # Forty members each taking the measure of the one before: deeper than a chain may be
    # followed from its end, but loaded in the order of the list, each finds the one before loaded.
    chain = tmp_path / "chain"
    chain.mkdir()
    members = ", ".join(f"{{file: f{n}.yaml}}" for n in range(40))
    (chain / "national.yaml").write_text(f"driverkit: 1\ntitle: National\n{aim}programme: {{members: [{members}]}}\n", encoding="utf-8")
    (chain / "f0.yaml").write_text(f"driverkit: 1\ntitle: Level 0\n{aim}measures: [{{id: M1, name: Falls, family: outcome}}]\n", encoding="utf-8")
    for n in range(1, 40):
        (chain / f"f{n}.yaml").write_text(f"driverkit: 1\ntitle: Level {n}\n{aim}measures: [{{use: f{n - 1}.yaml#M1}}]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", NAMING_EACH_OTHER, str(loop / "national.yaml"), str(chain / "national.yaml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "same", done.stderr


def test_the_command_ends_at_once_yet_writes_everything_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    import os

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    environment = {**os.environ, "TMPDIR": str(temporary), "XDG_CACHE_HOME": str(tmp_path / "not-a-folder" / "x"),
                   "MPLCONFIGDIR": str(tmp_path / "not-a-folder" / "mpl")}
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "driverkit", "programme", str(NATIONAL), "--format", "json", "-o", str(out), "-f", "svg,md"],
                          capture_output=True, text=True, timeout=300, env=environment)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["members"]  # the whole summary, flushed before the end
    assert (out / "national-map.svg").stat().st_size > 0 and (out / "national-report.md").stat().st_size > 0
    left = [p.name for p in temporary.iterdir() if p.name.startswith(("driverkit-cache-", "matplotlib-", "driverkit-fc-"))]
    assert left == []


def test_near_matches_are_listed_for_review_only_when_asked(programme: driverkit.Programme,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert programme.near == [] and programme.as_dict()["near"] == []
    reviewed = driverkit.load_programme(NATIONAL, review_from=65)
    pairs = {(m.a.member, m.a.id, m.b.member, m.b.id) for m in reviewed.near}
    # thermal care in other words: a bag and hat, and a polyethylene wrap
    assert ("trusts/northgate.yaml", "L3", "trusts/wave2-hillcrest.yaml", "L1") in pairs
    grouped = [{(i.member, i.id) for i in c.items} for c in reviewed.clusters]
    assert not any({(m.a.member, m.a.id), (m.b.member, m.b.id)} <= group for m in reviewed.near for group in grouped)
    assert all(m.score >= 65 for m in reviewed.near) and reviewed.clusters == programme.clusters
    assert reviewed.as_dict()["near"][0].keys() == {"kind", "a", "b", "score", "why", "texts"}
    assert main(["programme", str(NATIONAL), "--review-from", "65"]) == 0
    out = capsys.readouterr().out
    assert f"Near matches to review: {len(reviewed.near)} pairs" in out
    assert "if the same:  - same: [trusts/northgate.yaml#L3, trusts/wave2-hillcrest.yaml#L1]" in out
    assert main(["programme", str(NATIONAL), "--review-from", "80"]) == 2
    assert "--review-from 80: near matches are listed from a score of 40 up to below the threshold (80" in capsys.readouterr().err


def test_the_example_copied_out_of_any_repository_still_loads_its_members(tmp_path: Path) -> None:
    # Members name the programme file one folder up; the programme's folder is theirs to read.
    shutil.copytree(EXAMPLE, tmp_path / "programme")
    copied = driverkit.load_programme(tmp_path / "programme" / "national.yaml")
    assert all(m.loaded for m in copied.members) and copied.errors == 0
    assert [c.driver for c in copied.links.uncovered] == ["S5.3"]
    # and no further: a data file above the programme's folder is still refused
    member = tmp_path / "programme" / "trusts" / "riverside.yaml"
    (tmp_path / "secret.csv").write_text("period,value\n2020-01,1\n", encoding="utf-8")
    text = member.read_text(encoding="utf-8")
    assert "data_file:" in text
    member.write_text(text.replace("data_file: ", "data_file: ../../secret.csv #", 1), encoding="utf-8")
    refused = driverkit.load_programme(tmp_path / "programme" / "national.yaml")
    assert any(d.code == "DK218" and "secret.csv is outside" in d.message for d in refused.diagnostics
               if d.file.endswith("riverside.yaml"))


def _two_trusts(folder: Path, own_changes: str = "") -> Path:
    """A programme of two trusts, each with one change idea: a bereavement sign on the cot of a
    surviving twin, in words that share little."""
    (folder / ".git").mkdir(parents=True)
    aim = "aim: {statement: \"Reduce stillbirths from 4 to 3 per 1,000 births by 2027\"}\n"
    for name, text in (("a", "Butterfly sticker on the cot of a surviving twin"),
                       ("b", "Purple ribbon on the cot card when one baby of a multiple birth has died")):
        (folder / f"{name}.yaml").write_text(
            f"driverkit: 1\ntitle: Trust {name}\n{aim}drivers:\n  - id: P1\n    text: Bereavement care\n"
            f"    changes:\n      - {{id: C1, text: \"{text}\"}}\n", encoding="utf-8")
    national = folder / "national.yaml"
    national.write_text(f"driverkit: 1\ntitle: National\n{aim}programme:\n  members: [{{file: a.yaml}}, {{file: b.yaml}}]\n{own_changes}",
                        encoding="utf-8")
    return national


OWN_CHANGE = ("  known_changes:\n"
              "    twin loss marked on the cot:\n"
              "      - [cot, cot card]\n"
              "      - [butterfly, purple ribbon]\n")


def test_a_programme_adds_its_own_changes_of_the_field(tmp_path: Path) -> None:
    plain = driverkit.load_programme(_two_trusts(tmp_path / "plain"), threshold=60)
    assert [c for c in plain.clusters if c.kind == "change"] == []
    own = driverkit.load_programme(_two_trusts(tmp_path / "own", OWN_CHANGE), threshold=60)
    [cluster] = [c for c in own.clusters if c.kind == "change"]
    assert cluster.members == ("a.yaml", "b.yaml")
    assert "both name the change 'twin loss marked on the cot'" in cluster.matches[0].why
    assert own.known_changes == {"twin loss marked on the cot": [["cot", "cot card"], ["butterfly", "purple ribbon"]]}
    # Which texts name it is shown, as a check of its phrases: in JSON, the summary and the report.
    [named] = own.named_changes
    assert (named.name, named.members, [i.id for i in named.items]) == ("twin loss marked on the cot", ("a.yaml", "b.yaml"), ["C1", "C1"])
    assert own.as_dict()["known_changes"][0]["members"] == ["a.yaml", "b.yaml"]
    assert "    twin loss marked on the cot: 2 texts of 2 members (a.yaml#C1, b.yaml#C1)" in list(summary_lines(own))
    assert ("- **twin loss marked on the cot**: 2 texts of 2 members\n  - a.yaml#C1: Butterfly sticker on the cot of a surviving twin\n"
            in programme_report(own, "md"))
    # A library caller gives the same changes as an argument, with the same result.
    given = driverkit.load_programme(_two_trusts(tmp_path / "given"), threshold=60, known_changes=own.known_changes)
    assert [c.matches[0].why for c in given.clusters if c.kind == "change"] == [cluster.matches[0].why]
    # ... and near matches are searched with them too.
    near = driverkit.load_programme(_two_trusts(tmp_path / "near", OWN_CHANGE), threshold=80, review_from=60).near
    assert [(m.a.member, m.b.member) for m in near if "twin loss" in m.why] == [("a.yaml", "b.yaml")]
    later = driverkit.find_near_matches(driverkit.load_programme(tmp_path / "near" / "national.yaml", threshold=80), 60)
    assert [m.why for m in later] == [m.why for m in near]


def test_a_phrase_of_a_programme_change_that_reads_as_no_word_is_reported_where_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _two_trusts(tmp_path, OWN_CHANGE + "      - [of the, butterfly]\n      - [for them, \u5b89\u5168]\n")
    first, second, third = [d for d in driverkit.load_programme(national).diagnostics if d.code == "DK811"]
    assert (first.line, first.column) == (10, 10) and (second.line, third.line) == (11, 11)
    assert first.message == ("the phrase 'of the' of the known change 'twin loss marked on the cot' reads as no word: "
                             "no text can hold it; and no phrase of its group 4 is read, so the change is never named")
    assert third.message.endswith("no phrase of its group 4 is read, so the change is never named")
    # A change given from Python is reported at the programme's `programme:`, also one that replaces the file's.
    given = driverkit.load_programme(national, known_changes={"twin loss marked on the cot": [["for the"]], "x": [["of"]]})
    assert sorted((d.line, d.column) for d in given.diagnostics if d.code == "DK811") == [(4, 1), (4, 1)]
    # `driverkit check` of the programme file reports it too: the file alone shows it.
    assert main(["check", str(national)]) == 0
    checked = capsys.readouterr().out
    assert checked.count("DK811") == 3 and "10:10    warning DK811  the phrase 'of the'" in checked
    assert main(["check", str(national), "--disable", "DK811"]) == 0 and "DK811" not in capsys.readouterr().out
    # ... as does the library, and a check of the text from an editor (standard input).
    import io

    assert [(d.line, d.column) for d in driverkit.check_file(national) if d.code == "DK811"] == [(10, 10), (11, 10), (11, 20)]
    assert [d.code for d in driverkit.check_file(national, disable=["change-phrase-unread"]) if d.code == "DK811"] == []
    text = national.read_text(encoding="utf-8")
    assert [d.line for d in driverkit.check_text(text, str(national)) if d.code == "DK811"] == [10, 11, 11]
    assert [d.line for d in driverkit.check(driverkit.load(national)) if d.code == "DK811"] == [10, 11, 11]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    assert main(["check", "-", "--stdin-filename", str(national)]) == 0
    assert capsys.readouterr().out.count("DK811") == 3
    from driverkit.preview.server import Preview
    assert [d.code for state in Preview([national]).states.values() for d in state.diagnostics].count("DK811") == 3
    # A programme built in code has its phrase placed by its path, as every other problem of it.
    built = driverkit.Project(driverkit=1, title="N", aim={"improve": "x"}, drivers=[{"text": "A"}, {"text": "B"}],
                              programme={"members": [], "known_changes": {"x": [["for the"]]}})
    [unread] = [d for d in driverkit.check(built) if d.code == "DK811"]
    assert str(unread).startswith("<project>:programme.known_changes.x[0][0]: warning DK811 the phrase 'for the'")
    # The review says so before its first question, as the programme's report does beside the decisions.
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["review", str(national)]) == 0
    assert capsys.readouterr().out.startswith(f"The decisions and known changes in {national} already have 3 problems")
    assert "DK811" in programme_report(driverkit.load_programme(national), "md")


def test_a_programme_change_with_an_empty_group_is_an_error_at_its_line(tmp_path: Path) -> None:
    national = _two_trusts(tmp_path, "  known_changes:\n    twin loss marked on the cot:\n      - []\n")
    with pytest.raises(driverkit.ProjectError) as raised:
        driverkit.load_programme(national)
    [problem] = raised.value.diagnostics
    assert (problem.code, problem.line) == ("DK004", 8)
