"""People deciding the common ground: decisions written into the programme file without touching
the rest of it, and `driverkit review` asking one question at a time."""

from __future__ import annotations

import io
import shutil
from types import SimpleNamespace
from typing import Callable
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.project.model import Decision
from driverkit.programme.analysis import find_near_matches
from driverkit.programme.likeness import TextItem
from driverkit.programme.recording import NotRecorded, record_decisions, restore, with_decisions
from driverkit.programme.review import Question, Review
from driverkit.project.source import parse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "programme"

SAME = Decision(same=["trusts/a.yaml#C1.1", "trusts/b.yaml#C2.3"], note="both at booking")
DIFFERENT = Decision(different=["trusts/a.yaml#C1.1", "trusts/c.yaml#C1"])


def decisions_of(text: str) -> list[dict]:
    data, _ = parse(text)
    return data["programme"].get("decisions") or []


def test_a_decision_is_added_to_the_list_and_nothing_else_changes() -> None:
    text = ("driverkit: 1   # format\ntitle: National\nprogramme:\n  members:\n    - {file: trusts/a.yaml, wave: 1}\n"
            "  decisions:\n    - different: [trusts/x.yaml#P1, trusts/y.yaml#P1]   # checked with the leads\n"
            "  # decided at the March meeting\n\naim: {statement: Reduce harm by 20% by 2027}\n")
    written = with_decisions(text, [SAME])
    added = "    - same: [trusts/a.yaml#C1.1, trusts/b.yaml#C2.3]\n      note: both at booking\n"
    assert written == text.replace("  # decided", added + "  # decided")
    assert decisions_of(written)[-1] == {"same": ["trusts/a.yaml#C1.1", "trusts/b.yaml#C2.3"], "note": "both at booking"}


@pytest.mark.parametrize("section, expected", [
    ("programme:\n  members: [trusts/a.yaml]\n", "programme:\n  members: [trusts/a.yaml]\n  decisions:\n    - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n"),
    ("programme:\n  decisions: []\n  members: [trusts/a.yaml]\n", "programme:\n  decisions:\n    - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n  members: [trusts/a.yaml]\n"),
    ("programme:\n  decisions:   # none yet\n  members: [trusts/a.yaml]\n",
     "programme:\n  decisions:   # none yet\n    - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n  members: [trusts/a.yaml]\n"),
    ("programme:\n    decisions: null\n", "programme:\n    decisions:\n      - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n"),
    ("programme:\n  decisions:\n  - same: [a.yaml#1, b.yaml#2]\n    note: |\n      a long\n      note\n  members: [a.yaml]",
     "programme:\n  decisions:\n  - same: [a.yaml#1, b.yaml#2]\n    note: |\n      a long\n      note\n"
     "  - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n  members: [a.yaml]"),
    ("programme:\n  members:\n  - trusts/a.yaml", "programme:\n  members:\n  - trusts/a.yaml\n  decisions:\n    - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n"),
])
def test_the_list_is_made_or_extended_however_it_was_written(section: str, expected: str) -> None:
    assert with_decisions(section, [DIFFERENT]) == expected


def test_a_long_decision_names_its_elements_one_a_line() -> None:
    many = Decision(same=[f"trusts/trust-{n:04d}.yaml#C1.2.{n % 7 + 1}" for n in range(1, 41)])
    written = with_decisions("programme:\n  members: [a.yaml]\n", [many])
    assert written.splitlines()[3:6] == ["    - same:", "        - trusts/trust-0001.yaml#C1.2.2", "        - trusts/trust-0002.yaml#C1.2.3"]
    assert max(map(len, written.splitlines())) < 100 and decisions_of(written) == [{"same": many.same}]


def test_windows_line_ends_are_kept() -> None:
    written = with_decisions("programme:\r\n  members: [a.yaml]\r\n", [SAME])
    assert written == ("programme:\r\n  members: [a.yaml]\r\n  decisions:\r\n"
                       "    - same: [trusts/a.yaml#C1.1, trusts/b.yaml#C2.3]\r\n      note: both at booking\r\n")


def test_names_and_notes_that_yaml_would_misread_are_quoted_and_read_back_exactly() -> None:
    odd = Decision(same=["trusts/a, b [1].yaml#C1", "trusts/é {x}: y.yaml#C2", "'quoted'.yaml#P1", "&star *x.yaml#P2"],
                   note="first line\nsecond: line # not a comment \x1b[31m")
    written = with_decisions("programme:\n  members: [a.yaml]\n", [odd])
    assert decisions_of(written) == [{"same": odd.same, "note": odd.note}]
    assert "\x1b" not in written  # a control character is written as an escape


def test_tabs_a_list_alone_on_its_line_and_mixed_line_ends() -> None:
    # tabs after values, which the YAML parser driverkit reads with accepts
    assert decisions_of(with_decisions("programme:\t\n  members: [a.yaml]\t# the list\n", [SAME]))[0]["note"] == "both at booking"
    alone = with_decisions("programme:\n  decisions:   # none yet\n    []\n  members: [a.yaml]\n", [DIFFERENT])
    assert alone == "programme:\n  decisions:   # none yet\n    - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n  members: [a.yaml]\n"
    mixed = with_decisions("title: T\r\nprogramme:\n  members: [a.yaml]\n", [DIFFERENT])
    assert mixed.endswith("  members: [a.yaml]\n  decisions:\n    - different: [trusts/a.yaml#C1.1, trusts/c.yaml#C1]\n")


@pytest.mark.parametrize("text", [
    "programme: {members: [a.yaml]}\n",                      # the section in flow style
    "programme:\n  decisions: [{same: [a#1, b#2]}]\n",       # the list in flow style
    "driverkit: 1\ntitle: A project, no programme\n",        # no section at all
    "programme:\n  members: [a.yaml]\r  other: 1\n",         # a lone carriage return
    "programme:\n  members: [a.yaml]\n  decisions: ''\n",   # a text, not an empty list
    "programme:\n",                                          # an empty section
])
def test_what_cannot_be_edited_safely_is_refused(text: str) -> None:
    with pytest.raises(NotRecorded):
        with_decisions(text, [SAME])


def test_a_byte_order_mark_is_kept_and_undone_with_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "national.yaml"
    path.write_bytes(b"\xef\xbb\xbfprogramme:\n  members: [a.yaml]\n")
    before, written = record_decisions(path, [SAME])
    assert path.read_bytes().startswith(b"\xef\xbb\xbfprogramme:\n  members: [a.yaml]\n  decisions:\n")
    restore(path, before, written)
    assert path.read_bytes() == b"\xef\xbb\xbfprogramme:\n  members: [a.yaml]\n"


def test_a_file_that_would_not_read_back_as_meant_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "national.yaml"
    path.write_text("programme:\n  members: [a.yaml]\n", encoding="utf-8")
    monkeypatch.setattr("driverkit.programme.recording.decision_lines", lambda decision, indent, newline="\n": f"{indent}- same: [only-one]\n")
    with pytest.raises(NotRecorded):
        record_decisions(path, [SAME])
    assert path.read_text(encoding="utf-8") == "programme:\n  members: [a.yaml]\n"


def test_a_recorded_decision_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "national.yaml"
    path.write_text("programme:\n  members: [a.yaml]\n", encoding="utf-8")
    path.chmod(0o640)
    before, written = record_decisions(path, [SAME])
    assert path.stat().st_mode & 0o777 == 0o640
    restore(path, before, written)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_recorded_decision_is_undone_unless_the_file_changed_since(tmp_path: Path) -> None:
    path = tmp_path / "national.yaml"
    original = "programme:\n  members: [a.yaml]\n"
    path.write_text(original, encoding="utf-8")
    before, written = record_decisions(path, [SAME])
    assert before == original and path.read_text(encoding="utf-8") == written != original
    restore(path, before, written)
    assert path.read_text(encoding="utf-8") == original
    before, written = record_decisions(path, [SAME])
    path.write_text(written + "# edited by hand\n", encoding="utf-8")
    with pytest.raises(NotRecorded):
        restore(path, before, written)
    assert path.read_text(encoding="utf-8").endswith("# edited by hand\n")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "programme"
    shutil.copytree(EXAMPLE, folder)
    (tmp_path / ".git").mkdir()
    return folder / "national.yaml"


def test_a_recorded_decision_is_kept_by_the_next_analysis(tmp_path: Path) -> None:
    national = _copy(tmp_path)
    first = driverkit.load_programme(national, review_from=60)
    match = first.near[0]
    record_decisions(national, [Decision(same=[f"{match.a.member}#{match.a.id}", f"{match.b.member}#{match.b.id}"])])
    again = driverkit.load_programme(national, review_from=60)
    joined = next(c for c in again.clusters if {(i.member, i.id) for i in c.items} >= {(match.a.member, match.a.id), (match.b.member, match.b.id)})
    assert joined.confirmed
    assert all({(m.a.member, m.a.id), (m.b.member, m.b.id)} != {(match.a.member, match.a.id), (match.b.member, match.b.id)} for m in again.near)


def item(member: str, id: str, text: str = "") -> TextItem:
    return TextItem(member, "change", id, text or f"text of {member} {id}")


def unasked() -> Review:
    """A review with no question of its own and no confirmed group, for questions made by hand."""
    return Review(SimpleNamespace(clusters=(), near=(), project=SimpleNamespace(programme=None), members=[]))  # type: ignore[arg-type]  # what Review reads of a programme


def test_an_answer_settles_the_questions_it_answers() -> None:
    review = unasked()
    a, b, c, d = item("a.yaml", "C1"), item("b.yaml", "C1"), item("c.yaml", "C1"), item("d.yaml", "C1")
    ab, bc, ac, cd, ad = (Question("pair", "change", pair, 70.0) for pair in ((a, b), (b, c), (a, c), (c, d), (a, d)))
    assert review.answer(ab, same=True) == Decision(same=["a.yaml#C1", "b.yaml#C1"])
    assert review.moot(ab) and not review.moot(bc)
    review.answer(bc, same=True)
    assert review.moot(ac)  # a, b and c are one change now
    review.answer(cd, same=False)
    assert review.moot(ad)  # d is apart from the group holding c, and so from a
    assert review.undo() is cd and not review.moot(ad)


def test_review_writes_each_answer_and_can_undo_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    original = national.read_text(encoding="utf-8")
    # group 1: same; group 2: no decision; group 3: nonsense then same, then undone; quit at group 3 by end of input
    monkeypatch.setattr("sys.stdin", io.StringIO("s\nn\nwhat\ns\nu\n"))
    assert main(["review", str(national), "--from", "60", "--note", "programme team, December"]) == 0
    out = capsys.readouterr().out
    written = national.read_text(encoding="utf-8")
    assert written.startswith(original[:original.index("\naim:")])  # everything before is unchanged
    decided = decisions_of(written)
    assert len(decided) == 1 and decided[0]["note"] == "programme team, December" and len(decided[0]["same"]) == 4
    assert "s = all the same, d = not all (`d 2 4`: 2 and 4 are each another change; `d 2+4`: one other change), n = no decision" in out and "Undone: the answer to suggested group 3" in out
    assert "1 decision written into" in out and "(1 same, 0 different); 1 left undecided, 9 not asked yet, the near matches not asked yet." in out
    grouped = driverkit.load_programme(national)
    assert sum(c.confirmed for c in grouped.clusters) == 1


def test_a_group_left_undecided_or_split_does_not_settle_pairs_through_it() -> None:
    review = unasked()
    a, b, x, y = item("a.yaml", "C1"), item("b.yaml", "C1"), item("x.yaml", "C1"), item("y.yaml", "C1")  # {a, b} suggested
    group = Question("group", "change", (a, b))
    review.answer(Question("pair", "change", (a, x), 70.0), same=True)
    review.answer(Question("pair", "change", (x, y), 70.0), same=True)
    assert not review.moot(Question("pair", "change", (b, y), 60.0)) and not review.moot(group)
    review.answer(group, same=False)
    assert review.moot(group) and review.moot(Question("pair", "change", (b, y), 60.0))  # b apart from a, and so from x and y


def test_an_answer_is_refused_once_settled_and_a_larger_group_is_not_different_as_a_whole() -> None:
    review = unasked()
    a, b, c = item("a.yaml", "C1"), item("b.yaml", "C1"), item("c.yaml", "C1")
    pair, group = Question("pair", "change", (a, b), 70.0), Question("group", "change", (a, b, c))
    with pytest.raises(ValueError, match="group of 3"):
        review.answer(group, same=False)
    assert review.answers == []
    review.answer(pair, same=True)
    with pytest.raises(ValueError, match="settled"):
        review.answer(pair, same=False)  # no contradiction written
    assert len(review.answers) == 1


def test_a_group_is_split_into_the_rest_and_the_wordings_that_are_another_change() -> None:
    review = unasked()
    a, b = item("a.yaml", "C1", "CO test at booking"), item("b.yaml", "C2", "CO  test at\nbooking")  # one wording
    c, d = item("c.yaml", "C1", "CO test at 36 weeks"), item("d.yaml", "C1", "CO test at booking, ward 7")
    e = item("e.yaml", "C1", "Stop-smoking advice at 36 weeks")
    group = Question("group", "change", (a, b, c, d, e))
    assert group.wordings == ((a, b), (c,), (d,), (e,)) and group.can_be_split
    assert review.split(group, [3, 1], note="leads") == [
        Decision(same=["a.yaml#C1", "b.yaml#C2", "d.yaml#C1"], note="leads"),
        Decision(different=["c.yaml#C1", "a.yaml#C1"], note="leads"), Decision(different=["e.yaml#C1", "a.yaml#C1"], note="leads")]
    assert review.answers == [(group, False)] and review.moot(group)
    assert review.moot(Question("pair", "change", (d, b), 60.0)) and review.moot(Question("pair", "change", (d, c), 60.0))
    assert not review.moot(Question("pair", "change", (c, e), 60.0))  # not said to differ from each other
    assert review.undo() is group and not review.moot(Question("pair", "change", (d, c), 60.0))
    # every wording named: no two are the same; a wording of several members stays one change
    assert review.split(Question("group", "change", (a, c, e)), [0, 1, 2]) == [Decision(different=["a.yaml#C1", "c.yaml#C1", "e.yaml#C1"])]
    assert review.split(Question("group", "change", (a, b, d)), [0]) == [
        Decision(same=["a.yaml#C1", "b.yaml#C2"]), Decision(different=["a.yaml#C1", "d.yaml#C1"])]


def test_a_split_is_refused_when_it_would_say_nothing_or_too_much() -> None:
    review = unasked()
    a, b, c = item("a.yaml", "C1", "CO test at booking"), item("b.yaml", "C1", "CO test at booking"), item("c.yaml", "C1", "CO at 36 weeks")
    alike = Question("group", "change", (a, b, item("d.yaml", "C1", "CO test  at booking")))
    assert alike.can_be_split and not Question("pair", "change", (a, c), 70.0).can_be_split
    for question, places, message in ((alike, [(0, 1, 2)], "all as one change"), (Question("pair", "change", (a, c), 70.0), [1], "more than two"),
                                      (Question("group", "change", (a, b, c)), [], "from 0 to 1"),
                                      (Question("group", "change", (a, b, c)), [1, (0, 1)], "each once"),
                                      (Question("group", "change", (a, b, c)), [2], "from 0 to 1")):
        with pytest.raises(ValueError, match=message):
            review.split(question, places)
    assert review.answers == []
    review.answer(Question("pair", "change", (a, c), 70.0), same=False)
    with pytest.raises(ValueError, match="settled"):
        review.split(Question("group", "change", (a, b, c)), [1])
    # worded alike (a measure's name, say), a group is split by member
    assert alike.parts == ((a,), (b,), (alike.items[2],))
    assert unasked().split(alike, [1]) == [Decision(same=["a.yaml#C1", "d.yaml#C1"]), Decision(different=["b.yaml#C1", "a.yaml#C1"])]


def test_review_answers_in_words_and_counts_what_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("same\nskip\nundo\nno idea\nquit\n"))
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    assert "Undone: the answer to suggested group 1" in out and "s = all the same, d = not all (`d 2 4`: 2 and 4 are each another change; `d 2+4`: one other change), n = no decision" in out
    assert "[s/d/n/u/q] same\n" in out and "[s/d/n/u/q] no idea\n" in out  # answers piped in are shown
    assert out.rstrip().endswith("0 decisions written into " + str(national) + " (0 same, 0 different); 0 left undecided, 11 not asked yet, the near matches not asked yet.")
    assert decisions_of(national.read_text(encoding="utf-8")) == []


def test_review_splits_a_group_by_the_numbers_of_the_wordings_that_differ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    # group 1 (4 change ideas): d, then a number out of range, then nothing (back), then d and 2;
    # group 2 (3 drivers): `d 3` at once; group 3: undone again, then quit
    monkeypatch.setattr("sys.stdin", io.StringIO("d\n7\nd\n\nd\n2\nd 3\nu\nq\n"))
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    assert "  2. trusts/riverside.yaml C1.1.1: CO monitoring for all women at booking, opt-out referral" in out
    assert "Numbers from 1 to 4, each once: such as `2`, `2 3` or `2+3`." in out
    assert "Written: different: trusts/riverside.yaml#C1.1.1, trusts/northgate.yaml#C1.1.1" in out
    assert "Undone: the answer to suggested group 2" in out and "2 decisions written into" in out and "(1 same, 1 different)" in out
    assert decisions_of(national.read_text(encoding="utf-8")) == [
        {"same": ["trusts/northgate.yaml#C1.1.1", "trusts/wave2-southbay.yaml#C1.1.1", "trusts/westmoor.yaml#C1.1.1"]},
        {"different": ["trusts/riverside.yaml#C1.1.1", "trusts/northgate.yaml#C1.1.1"]}]
    again = driverkit.load_programme(national)
    confirmed = [c for c in again.clusters if c.confirmed]
    assert [sorted(i.member for i in c.items) for c in confirmed] == [["trusts/northgate.yaml", "trusts/wave2-southbay.yaml", "trusts/westmoor.yaml"]]
    assert not any("trusts/riverside.yaml" in {i.member for i in c.items} and "trusts/northgate.yaml" in {i.member for i in c.items}
                   for c in again.clusters if c.kind == "change")


def test_the_near_matches_are_searched_while_the_groups_are_asked_and_are_those_of_the_analysis(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    with_near, without = driverkit.load_programme(national, review_from=60), driverkit.load_programme(national)
    # 10: three drivers of thermal care are near "a gentle transition at birth", no transitional care since 8 December 2026
    assert without.near == [] and find_near_matches(without, 60) == with_near.near and len(with_near.near) == 10
    with pytest.raises(ValueError, match="below the threshold"):
        find_near_matches(without, 85)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n" * 11 + "s\nq\n"))  # each group skipped, then the best pair the same
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    best = with_near.near[0]
    assert "\n10 near matches scoring 60 or more, best first.\n\n[1/10] Near match, score " in out
    assert f"{best.a.member} {best.a.id}: {' '.join(best.a.text.split())}" in out.split("[1/10] Near match")[1]
    assert decisions_of(national.read_text(encoding="utf-8")) == [{"same": [f"{best.a.member}#{best.a.id}", f"{best.b.member}#{best.b.id}"]}]
    assert out.rstrip().endswith("(1 same, 0 different); 11 left undecided, 9 not asked yet.\n"
                                 f"`driverkit programme {national}` shows the groups they make.")
    # no group to ask about: the near matches are waited for at once; then none at all
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["review", str(national), "--from", "60", "--kind", "driver", "--threshold", "99"]) == 0
    assert capsys.readouterr().out.startswith(f"No suggested group; the near matches scoring 60 or more, best first (the same?), are "
                                              f"being searched. Each answer is written into {national} at once")
    text = national.read_text(encoding="utf-8")
    national.write_text(text[:text.index("    - {file: trusts/northgate")] + text[text.index("\naim:"):], encoding="utf-8")
    assert main(["review", str(national)]) == 0
    assert capsys.readouterr().out.endswith(f"Nothing to decide in {national}: no suggested group, and no pair in no one group scoring 45 or more.\n")


def test_a_split_keeps_to_what_the_programme_file_decided_and_names_wordings_together(tmp_path: Path) -> None:
    national = _copy(tmp_path)
    record_decisions(national, [Decision(same=["trusts/northgate.yaml#C1.1.1", "trusts/riverside.yaml#C1.1.1"])])
    review = Review(driverkit.load_programme(national))
    group = review.questions[0]  # northgate, riverside, southbay, westmoor: a suggested group holding a decided pair
    assert [items[0].member for items in group.wordings][:2] == ["trusts/northgate.yaml", "trusts/riverside.yaml"]
    assert review.decided_together(group) == [(0, 1)]
    with pytest.raises(ValueError, match="riverside.yaml#C1.1.1 and trusts/northgate.yaml#C1.1.1 are decided the same already"):
        review.split(group, [1])
    with pytest.raises(ValueError, match="all as one change"):
        review.split(group, [(0, 1, 2, 3)])
    assert review.answers == []
    # named together, the pair is one other change; its `same:` is in the file already and not written again
    assert review.split(group, [(0, 1)]) == [Decision(same=["trusts/wave2-southbay.yaml#C1.1.1", "trusts/westmoor.yaml#C1.1.1"]),
                                             Decision(different=["trusts/northgate.yaml#C1.1.1", "trusts/wave2-southbay.yaml#C1.1.1"])]
    record_decisions(national, review.split(review.questions[1], [2]))
    assert not [d for d in driverkit.load_programme(national).diagnostics if d.code == "DK810"]


def test_review_reads_the_wordings_a_split_names_and_stops_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    record_decisions(national, [Decision(same=["trusts/northgate.yaml#C1.1.1", "trusts/riverside.yaml#C1.1.1"])])
    # group 1: a superscript two and a place named twice are no numbers; 2 alone contradicts the file; 1+2 is one other change
    # group 2: d, then q at the question which
    monkeypatch.setattr("sys.stdin", io.StringIO("d \u00b2\nd 2 2+3\nd 2\nd 1+2\nd\nq\n"))
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    assert out.count("Numbers from 1 to 4, each once") == 2 and "  Decided the same already: 1 and 2." in out
    assert "Not written: trusts/riverside.yaml#C1.1.1 and trusts/northgate.yaml#C1.1.1 are decided the same already" in out
    assert "Written: different: trusts/northgate.yaml#C1.1.1, trusts/wave2-southbay.yaml#C1.1.1" in out
    assert out.rstrip().endswith("2 decisions written into " + str(national) + " (1 same, 1 different); 0 left undecided, "
                                 "10 not asked yet, the near matches not asked yet.\n"
                                 f"`driverkit programme {national}` shows the groups they make.")
    assert len(decisions_of(national.read_text(encoding="utf-8"))) == 3


def test_a_search_that_fails_keeps_the_answers_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)

    def fail(programme: driverkit.Programme, review_from: float) -> list:
        raise MemoryError("no room")

    monkeypatch.setattr("driverkit.programme.analysis.find_near_matches", fail)
    monkeypatch.setattr("sys.stdin", io.StringIO("s\n" + "n\n" * 10))
    assert main(["review", str(national), "--from", "60"]) == 1
    captured = capsys.readouterr()
    assert "the near matches could not be searched (MemoryError: no room); the answers given are written" in captured.err
    assert "1 decision written into" in captured.out and len(decisions_of(national.read_text(encoding="utf-8"))) == 1


def test_after_twenty_pairs_in_a_row_decided_different_review_says_that_it_can_stop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n" * 11 + "d\n" * 9 + "s\n" + "d\n" * 20 + "q\n"))
    assert main(["review", str(national), "--from", "40"]) == 0
    out = capsys.readouterr().out
    assert out.count("pairs were all different changes") == 1  # counted again from the "the same"
    hint = out.split("The last 20 pairs were all different changes, and those left score ")[1]
    assert hint.split(" or less: q stops here, keeping the answers.")[0].isdigit()


class _EditedMeanwhile(io.StringIO):
    """Answers on standard input; before the answer numbered k is read, `edits[k]` is done (a
    person changing the programme file by hand during the review)."""

    def __init__(self, answers: str, edits: "dict[int, Callable[[], None]]") -> None:
        super().__init__(answers)
        self.read_so_far, self.edits = 0, edits

    def readline(self, *args: object) -> str:  # type: ignore[override]
        if self.read_so_far in self.edits:
            self.edits[self.read_so_far]()
        self.read_so_far += 1
        return super().readline()


def test_a_hand_edit_during_the_review_is_taken_into_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)

    def decide_by_hand() -> None:
        text = national.read_text(encoding="utf-8")
        national.write_text(text.replace("\naim:", "  decisions:\n    - different: [trusts/northgate.yaml#C1.1.1, "
                                         "trusts/westmoor.yaml#C1.1.1]   # by hand\n\naim:", 1), encoding="utf-8")

    monkeypatch.setattr("sys.stdin", _EditedMeanwhile("s\ns\nq\n", {0: decide_by_hand}))
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    assert f"Settled by what {national} says now." in out  # the group of four holds the two decided different
    decided = decisions_of(national.read_text(encoding="utf-8"))
    assert decided[0] == {"different": ["trusts/northgate.yaml#C1.1.1", "trusts/westmoor.yaml#C1.1.1"]} and len(decided) == 2
    assert not [d for d in driverkit.load_programme(national).diagnostics if d.code == "DK810"]

    def break_it() -> None:
        national.write_text(national.read_text(encoding="utf-8") + "title: [\n", encoding="utf-8")

    monkeypatch.setattr("sys.stdin", _EditedMeanwhile("s\nq\n", {0: break_it}))
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    assert f"Not written: {national} was changed and does not load now" in out and "answer again once it does, or q." in out
    assert len(decisions_of(national.read_text(encoding="utf-8").replace("title: [\n", ""))) == 2


def test_an_answer_undone_after_the_file_was_read_again_is_asked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)

    def comment(add: bool) -> None:
        text = national.read_text(encoding="utf-8")
        national.write_text(text + "# by hand\n" if add else text.replace("# by hand\n", ""), encoding="utf-8")

    # s to group 1; a comment by hand; s to group 2 (the file is read again); u; the comment out; u; then group 1 again: q
    monkeypatch.setattr("sys.stdin", _EditedMeanwhile("s\ns\nu\nu\nq\n", {1: lambda: comment(True), 3: lambda: comment(False)}))
    assert main(["review", str(national), "--from", "60"]) == 0
    out = capsys.readouterr().out
    assert "Undone: the answer to suggested group 2" in out and "Undone: the answer to suggested group 1" in out
    assert out.split("Undone: the answer to suggested group 1")[1].lstrip().startswith(f"is no longer in {national}.\n\n[1/11] Suggested group of 4")
    assert decisions_of(national.read_text(encoding="utf-8")) == []


def test_review_shows_the_problems_of_the_decisions_written_and_asks_no_pair_a_member_would_hold_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    record_decisions(national, [Decision(same=["trusts/northgate.yaml#S1.1", "trusts/riverside.yaml#S1.1", "trusts/wave2-southbay.yaml#S1.1"]),
                                Decision(same=["trusts/riverside.yaml#P1", "trusts/wave2-southbay.yaml#S1.1"])])
    programme = driverkit.load_programme(national, review_from=40)
    [line] = [d.line for d in programme.diagnostics if d.code == "DK810"]
    grouped = {i.member: c for c in programme.clusters for i in c.items if (i.member, i.id) == ("trusts/wave2-southbay.yaml", "S1.1")}
    holds = {(i.member, i.id) for i in grouped["trusts/wave2-southbay.yaml"].items}
    assert ("trusts/riverside.yaml", "S1.1") in holds and ("trusts/riverside.yaml", "P1") not in holds
    for match in programme.near:  # no pair whose two groups, confirmed, hold elements of one member
        sides = [next((c for c in programme.clusters if item in c.items and c.confirmed), None) for item in (match.a, match.b)]
        members = [{i.member for i in c.items} if c else {item.member} for c, item in zip(sides, (match.a, match.b))]
        assert not members[0] & members[1]
    review = Review(programme)
    pair = Question("pair", "driver", (next(i for i in grouped["trusts/wave2-southbay.yaml"].items if i.member == "trusts/northgate.yaml"),
                                       item("trusts/riverside.yaml", "P1")), 50.0)
    assert review.moot(pair)
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["review", str(national)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"The decisions in {national} already have 1 problem (fix them by hand; the review goes on):")
    assert f"{line}:13    warning DK810  the decision joins trusts/riverside.yaml#P1" in out


def test_a_measure_is_shown_with_its_definition_and_one_named_alike_is_split_by_member(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\nd 2\nq\n"))
    assert main(["review", str(national), "--kind", "measure", "--from", "60"]) == 0
    out = capsys.readouterr().out
    group = out.split("[2/4]")[1].split("[s/d/n/u/q]")[0]
    assert "  2. trusts/northgate.yaml L4: Hyperthermia on admission to the neonatal unit" in group  # one name, numbered by member
    assert "  Defined as:\n    Babies born before 37+0 weeks admitted to the neonatal unit whose first temperature" in group
    assert "; denominator: Babies born before 37+0 weeks admitted to the neonatal unit; unit: % (trusts/eastfield.yaml L3, " in group
    assert decisions_of(national.read_text(encoding="utf-8")) == [
        {"same": ["trusts/eastfield.yaml#L3", "trusts/wave2-hillcrest.yaml#L4"]}, {"different": ["trusts/northgate.yaml#L4", "trusts/eastfield.yaml#L3"]}]


def _decided_by_hand(national: Path, decisions: list[str]) -> None:
    text = national.read_text(encoding="utf-8")
    national.write_text(text.replace("\naim:", "  decisions:\n" + "".join(f"    - {d}\n" for d in decisions) + "\naim:", 1), encoding="utf-8")


def test_the_decisions_reported_are_those_the_groups_do_not_keep(tmp_path: Path) -> None:
    national = _copy(tmp_path)
    r, n, e = "trusts/riverside.yaml", "trusts/northgate.yaml", "trusts/eastfield.yaml"
    _decided_by_hand(national, [f"different: [{n}#L1, {e}#L1]", f"same: [{r}#L1, {n}#L1]", f"same: [{r}#L1, {e}#L1]",
                                f"same: [{e}#L1, {n}#L2]", f"same: [{n}#L2, {e}#L2]"])
    programme = driverkit.load_programme(national)
    first = next(number for number, line in enumerate(national.read_text(encoding="utf-8").splitlines(), 1) if "- different:" in line)
    reported = sorted((d.line, d.message[:40]) for d in programme.diagnostics if d.code == "DK810")
    # kept apart by the first decision (reported there), and eastfield twice at the last; the fourth is kept
    assert [line for line, _ in reported] == [first, first + 4]
    confirmed = [{(i.member, i.id) for i in c.items} for c in programme.clusters if c.confirmed]
    assert {(e, "L1"), (n, "L2")} in confirmed and {(r, "L1"), (n, "L1")} in confirmed

    national = _copy(tmp_path / "again")
    _decided_by_hand(national, [f"same: [{r}#L1, {n}#L1]", f"same: [{n}#L1, {r}#L2]", f"same: [{r}#L2, {e}#L1]", f"different: [{r}#L1, {e}#L1]"])
    found = [d.message for d in driverkit.load_programme(national).diagnostics if d.code == "DK810"]
    assert len(found) == 1 and "two elements of one member" in found[0]  # the different: decision contradicts nothing kept


def test_the_report_lists_the_problems_of_the_decisions_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    _decided_by_hand(national, ["same: [trusts/northgate.yaml#S1.1, trusts/riverside.yaml#S1.1, trusts/wave2-southbay.yaml#S1.1]",
                                "same: [trusts/riverside.yaml#P1, trusts/wave2-southbay.yaml#S1.1]",
                                "different: ['trusts/<b>x</b>.yaml#C1', trusts/riverside.yaml#C1.1.1]"])
    assert main(["programme", str(national), "-o", str(tmp_path / "out"), "-f", "html,md"]) == 1  # DK802 is an error
    capsys.readouterr()
    html = (tmp_path / "out" / "national-report.html").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "national-report.md").read_text(encoding="utf-8")
    assert "<strong>DK810</strong> the decision joins trusts/riverside.yaml#P1" in html and "<strong>DK802</strong>" in html
    assert "trusts/&lt;b&gt;x&lt;/b&gt;.yaml#C1" in html and "<b>x</b>" not in html
    assert "**DK810** the decision joins trusts/riverside.yaml#P1" in md and "<b>x</b>" not in md
    assert "and `driverkit programme` on the programme file for its own" in md


def test_a_decision_naming_two_kinds_joins_nothing_for_the_review_either(tmp_path: Path) -> None:
    national = _copy(tmp_path)
    _decided_by_hand(national, ["same: [trusts/riverside.yaml#S1.1, trusts/northgate.yaml#C1.1.1]",
                                "same: [trusts/northgate.yaml#C1.1.1, trusts/wave2-southbay.yaml#S1.1]"])
    programme = driverkit.load_programme(national)
    assert not [d for d in programme.diagnostics if d.code == "DK810"] and not any(c.confirmed for c in programme.clusters)
    review = Review(programme)
    drivers = next(q for q in review.questions if q.element == "driver" and len(q.items) == 3)
    assert review.decided_together(drivers) == [] and review.answer(drivers, same=True).same


def test_review_refuses_before_asking_when_answers_could_not_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    flow = national.parent / "flow.yaml"
    text = national.read_text(encoding="utf-8")
    members = text[text.index("\nprogramme:\n") + 1:text.index("\naim:")]
    flow.write_text(text.replace(members, "programme: {members: [{file: trusts/riverside.yaml}, {file: trusts/northgate.yaml}]}\n"),
                    encoding="utf-8")
    before = flow.read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("s\n"))
    assert main(["review", str(flow)]) == 1
    captured = capsys.readouterr()
    assert f"{flow}:35:12: decisions are written under `programme:`" in captured.err and "one key a line" in captured.err
    assert "[1/" not in captured.out
    assert flow.read_text(encoding="utf-8") == before
    link = national.parent / "link.yaml"
    link.symlink_to(national)
    assert main(["review", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err


def test_an_answer_that_cannot_be_written_is_printed_to_paste_and_a_lost_file_is_no_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)

    def refuse(path: Path, decisions: list) -> None:
        raise NotRecorded(str(path), "the disk is full")

    monkeypatch.setattr("driverkit.programme.recording.record_decisions", refuse)
    monkeypatch.setattr("sys.stdin", io.StringIO("s\n"))
    assert main(["review", str(national), "--note", "leads: March"]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "    - same:" in err and "      note: 'leads: March'" in err
    monkeypatch.undo()
    monkeypatch.setattr("sys.stdin", io.StringIO("s\nu\nq\n"))
    real_restore = driverkit.programme.recording.restore

    def vanish(path: Path, before: str, written: str) -> None:
        Path(path).unlink()
        real_restore(path, before, written)

    monkeypatch.setattr("driverkit.programme.recording.restore", vanish)
    assert main(["review", str(national)]) == 0
    assert f"the answer to suggested group 1 is not undone: {national}:1:1: no such file" in capsys.readouterr().err


def test_review_of_a_file_that_is_no_programme_or_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("driverkit: 1\ntitle: [\n", encoding="utf-8")
    assert main(["review", str(tmp_path / "bad.yaml")]) == 1
    assert main(["review", str(ROOT / "examples" / "maternity.yaml")]) == 2
    assert "is not a programme" in capsys.readouterr().err
    assert main(["review", str(EXAMPLE / "national.yaml"), "--from", "90"]) == 2



def test_with_a_threshold_of_45_or_less_review_asks_from_the_lowest_score(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["review", str(national), "--threshold", "45"]) == 0
    assert "scoring 40 or more, best first" in capsys.readouterr().out


def test_review_shows_texts_safely_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    national = _copy(tmp_path)
    northgate = national.parent / "trusts" / "northgate.yaml"
    text = northgate.read_text(encoding="utf-8")
    northgate.write_text(text.replace("Carbon monoxide screening at booking appointment", "Carbon monoxide screening at booking \\e]0;pwned\\a appointment", 1)
                         .replace("text: Carbon monoxide screening at booking \\e", 'text: "Carbon monoxide screening at booking \\e', 1)
                         .replace("appointment with automatic referral to the quit team", 'appointment with automatic referral to the quit team"', 1),
                         encoding="utf-8")
    assert "\\e]0;pwned" in northgate.read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["review", str(national)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b]0;pwned" in out
    assert national.read_text(encoding="utf-8") == (EXAMPLE / "national.yaml").read_text(encoding="utf-8")


def test_the_summary_names_the_review_command_with_the_scores_it_was_made_with() -> None:
    from driverkit.programme.summary import summary_lines

    made = driverkit.load_programme(EXAMPLE / "national.yaml", threshold=90, review_from=60)
    hint = next(line for line in summary_lines(made) if "driverkit review" in line)
    assert hint.endswith("national.yaml --from 60 --threshold 90")
