"""Reading project files: places, YAML traps, hostile input. No input may raise anything but ProjectError."""

from __future__ import annotations


import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverkit
from driverkit import ProjectError, check_text, loads
from tests.conftest import MINIMAL


def problems(text: str) -> list[str]:
    try:
        loads(text, "f.yaml")
    except ProjectError as exc:
        return [f"{d.code} {d.line}:{d.column} {d.message}" for d in exc.diagnostics]
    return []


def test_starter_loads_with_generated_ids(starter_text: str) -> None:
    project = loads(starter_text, "starter.yaml")
    ids = [e.id for e in project.elements()]
    assert ids[:3] == ["P1", "S1", "C1.1.1"]
    assert project.element("C1.1.1").id_generated  # type: ignore[union-attr]
    assert not project.element("P1").id_generated  # type: ignore[union-attr]
    assert project.file == "starter.yaml"


def test_generated_ids_never_take_a_written_id() -> None:
    text = MINIMAL + "drivers:\n  - text: a\n  - id: P1\n    text: b\n"
    project = loads(text)
    assert [d.id for d in project.drivers] == ["P1-1", "P1"]


def test_yes_no_on_off_stay_text() -> None:
    text = MINIMAL + "drivers:\n  - text: yes\n  - text: no\n  - text: on\n  - text: off\n"
    assert [d.text for d in loads(text).drivers] == ["yes", "no", "on", "off"]


def test_numbers_written_as_text_stay_as_written() -> None:
    text = MINIMAL + "drivers:\n  - text: 1.10\n    id: v2.0\n"
    driver = loads(text).drivers[0]
    assert (driver.text, driver.id) == ("1.10", "v2.0")


@pytest.mark.parametrize(("written", "expected", "human"), [
    ("2020-12-31", dt.date(2020, 12, 31), "31 December 2020"),
    ("2020-12", dt.date(2020, 12, 31), "December 2020"),
    ("2020", dt.date(2020, 12, 31), "2020"),
    ("December 2020", dt.date(2020, 12, 31), "December 2020"),
    ("'1 March 2021'", dt.date(2021, 3, 1), "1 March 2021"),
])
def test_dates_are_parsed_where_a_date_is_wanted(written: str, expected: dt.date, human: str) -> None:
    project = loads(MINIMAL + f"  by: {written}\n")
    assert project.aim.by == expected
    assert project.aim.by.human() == human  # type: ignore[union-attr]


@pytest.mark.parametrize("written", ["31/12/2020", "2020-13-01", "next spring"])
def test_bad_dates_are_reported_at_the_value(written: str) -> None:
    found = problems(MINIMAL + f"  by: {written}\n")
    assert len(found) == 1 and found[0].startswith("DK004 5:7 `by`: ")


def test_placeholder_dates_load_and_are_reported_by_a_rule() -> None:
    diagnostics = check_text(MINIMAL + "  by: TBC\n")
    assert [(d.code, d.line, d.column) for d in diagnostics if d.code == "DK305"] == [("DK305", 5, 7)]


def test_every_validation_error_is_reported_at_once() -> None:
    text = (MINIMAL + "drivers:\n  - text: A\n    measurs: [M1]\n    changes:\n"
            "      - text: B\n        status: tested\n  - txt: C\n")
    assert problems(text) == [
        "DK003 7:5 unknown key `measurs` (did you mean `measures`?)",
        "DK004 10:17 `status` must be one of idea, testing, adopted, abandoned; got `tested` (did you mean `testing`?)",
        "DK003 11:5 unknown key `txt` (did you mean `text`?)",
    ]
    assert problems(MINIMAL + "drivers:\n  - id: P1\n") == ["DK005 6:5 `text` is required in item 1 of `drivers`"]


def test_wrong_shapes_say_what_is_expected() -> None:
    assert problems(MINIMAL + "drivers: Smoke-free pregnancies\n") == [
        "DK004 5:10 `drivers` must be a list (`[a, b]`, or one `- item` per line); got `Smoke-free pregnancies`"]
    assert problems(MINIMAL + "measures:\n  - name: Rate\n    family: outcome\n    baseline: 4.1 per 1000\n") == [
        "DK004 8:15 `baseline` must be a number; got `4.1 per 1000`"]


def test_missing_version_and_wrong_version() -> None:
    assert problems("title: T\naim: {improve: x}\n") == ["DK010 1:1 the file format version must be `driverkit: 1`; it is missing"]
    assert problems("driverkit: 2\ntitle: T\naim: {improve: x}\n")[0].startswith("DK010 1:12")


@pytest.mark.parametrize(("text", "code", "place"), [
    ("driverkit: 1\ndriverkit: 1\n", "DK002", "2:1"),
    ("a: [\n", "DK001", "2:1"),
    ("title: Risk: high\n", "DK001", "1:12"),
    ("driverkit: 1\n\ttitle: x\n", "DK001", "2:1"),
    ("x: !!python/object/apply:os.system [ls]\n", "DK009", "1:4"),
    ("a: 1\n---\nb: 2\n", "DK008", "2:1"),
    ("a: " + "[" * 200 + "]" * 200 + "\n", "DK007", "1:67"),
    ("&a [*a]\n", "DK001", "1:5"),
    ("a: *nowhere\n", "DK001", "1:4"),
    ("<<: {a: 1}\n", "DK009", "1:1"),
    ("? [a, b]\n: 1\n", "DK001", "1:3"),
    ("", "DK005", "1:1"),
    ("- just\n- a list\n", "DK004", "1:1"),
])
def test_yaml_traps_are_refused_with_a_place(text: str, code: str, place: str) -> None:
    found = problems(text)
    assert found and found[0].split()[:2] == [code, place], found


def test_a_key_longer_than_yaml_reads_says_so() -> None:
    long = MINIMAL + "programme:\n  known_changes:\n    \"" + "x" * 1100 + "\":\n      - [a]\n"
    [found] = problems(long)
    assert found.startswith("DK001 ") and found.endswith("this key is longer than YAML reads (1,024 characters)")
    assert problems(MINIMAL + "notes: " + "x" * 1100 + ": b\n")[0].endswith("starts a new key here")  # a value, not a key
    going_on = MINIMAL + "notes: a plain text\n  " + "x" * 1100 + ": b\n"  # the value of the line before, going on
    assert problems(going_on)[0].endswith("starts a new key here")


def test_a_name_of_a_mapping_of_names_that_is_empty_is_placed_at_the_name() -> None:
    text = MINIMAL + "programme:\n  known_changes:\n    \"\":\n      - [a]\n    y: []\n"
    first, second = problems(text)
    assert first.endswith("a name in `known_changes` must not be empty") and second.endswith("`y` needs at least 1 item; got none")
    assert first.split()[1] == f"{MINIMAL.count(chr(10)) + 3}:5"


def test_a_programme_s_known_changes_are_bounded() -> None:
    head = MINIMAL + "programme:\n  known_changes:\n"
    many = head + "".join(f"    c{i}: [[a{i}], [b]]\n" for i in range(501))
    assert problems(many)[0].endswith("`known_changes` holds at most 500 items; got 501")
    wide = head + "    x: [" + ", ".join(f"[g{i}]" for i in range(11)) + "]\n    y: [[" + ", ".join(f"p{i}" for i in range(101)) + "]]\n"
    assert [p.split(" ", 2)[2] for p in problems(wide)] == ["`x` holds at most 10 items; got 11", "item 1 of `y` holds at most 100 items; got 101"]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    found = problems("\n".join(lines) + "\n")
    assert found[0].startswith("DK007") and "aliases expand" in found[0]


def test_small_aliases_are_allowed() -> None:
    text = MINIMAL + "  tags: &t [maternity]\ntags: *t\n"
    assert loads(text).tags == ["maternity"]


def test_columns_count_characters_not_bytes() -> None:
    text = "driverkit: 1\ntitle: 😀😀 é\naim: {improve: x}\ndrivers: [{text: 'ë', owner: x}]\n"
    assert problems(text) == ["DK003 4:23 unknown key `owner`"]


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfed\x00r\x00", "UTF-16"),
    (b"driverkit: 1\ntitle: \x00\x01binary", "NUL bytes"),
    (b"driverkit: 1\ntitle: caf\xe9\n", "not UTF-8"),
])
def test_undecodable_files_are_refused(tmp_path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(data)
    diagnostics = driverkit.check_file(path)
    assert [d.code for d in diagnostics] == ["DK006"]
    assert message in diagnostics[0].message


def test_non_utf8_byte_is_located(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"driverkit: 1\ntitle: caf\xe9\n")
    (d,) = driverkit.check_file(path)
    assert (d.line, d.column) == (2, 11)


def test_utf8_bom_is_accepted(tmp_path, starter_text: str) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + starter_text.encode())
    assert driverkit.load(path).title


def test_oversized_file_is_refused_before_reading(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * 2000 + b"\n")
    with pytest.raises(ProjectError, match="over the size limit"):
        driverkit.load(path, max_bytes=1000)


def test_missing_file_and_folder(tmp_path) -> None:
    assert "no such file" in driverkit.check_file(tmp_path / "nope.yaml")[0].message
    assert "folder" in driverkit.check_file(tmp_path)[0].message


def test_input_file_is_never_modified(tmp_path, starter_text: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(starter_text + "  - bad: [\n", encoding="utf-8")
    before = path.read_bytes()
    driverkit.check_file(path)
    assert path.read_bytes() == before


# Property: whatever the text, checking it returns diagnostics and raises nothing.
yaml_ish = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`,? \n\r\t\\0123456789é😀\u202e\u2028\x85")), max_size=200)
aliases = st.lists(st.sampled_from(["&a [x]", "*a", "&b {k: *a}", "*b", "- *b", "a: &c [[*b]]", "b: *c", "\n"]), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_ish)
def test_arbitrary_text_never_raises(text: str) -> None:
    diagnostics = check_text(text, "fuzz.yaml")
    assert all(d.line >= 1 and d.column >= 1 for d in diagnostics)


@settings(max_examples=150, deadline=None)
@given(aliases)
def test_arbitrary_aliases_never_raise(text: str) -> None:
    check_text(text, "fuzz.yaml")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_labels_never_raise(label: str) -> None:
    text = MINIMAL + "drivers:\n  - text: " + __import__("json").dumps(label) + "\n"
    check_text(text, "fuzz.yaml")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["text", "id", "to", "also", "measures", "drivers", "changes", "status", "family", "name", "by", "from", "x"]), children, max_size=4),
    max_leaves=12,
)
PLACES = ["title", "aim", "drivers", "changes", "measures", "columns", "rules", "team", "dates", "tags"]


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from(PLACES))
def test_arbitrary_values_under_known_keys_never_raise(value: object, key: str) -> None:
    import json

    data = {"driverkit": 1, "title": "T", "aim": {"improve": "x"}}
    data[key] = value  # replaces the value of title or aim, or adds the key
    diagnostics = check_text(json.dumps(data), "fuzz.yaml")
    assert all(d.line >= 1 and d.column >= 1 and "\n" not in d.message for d in diagnostics)


def test_team_members_by_name_or_role() -> None:
    project = loads(MINIMAL + "team:\n  - role: Midwifery lead\n  - name: Ama Owusu\n")
    assert [(m.name, m.role) for m in project.team] == [(None, "Midwifery lead"), ("Ama Owusu", None)]
    assert problems(MINIMAL + "team:\n  - email: x@example.org\n") == [
        "DK004 6:5 item 1 of `team`: a team member needs a `name` or a `role`"]


def test_binary_programs_are_binary_not_utf16(tmp_path) -> None:
    path = tmp_path / "program.yaml"
    path.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x03\x00>\x00\x01\x00\x00\x00" + bytes(range(256)) * 4)
    (d,) = driverkit.check_file(path)
    assert d.code == "DK006" and "NUL bytes" in d.message


def test_utf16_without_byte_order_mark(tmp_path, starter_text: str) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes(starter_text.encode("utf-16-le"))
    (d,) = driverkit.check_file(path)
    assert "UTF-16" in d.message


@pytest.mark.parametrize(("text", "place", "words"), [
    ('driverkit: 1\ntitle: "a\u2028b"\nfoo: 1\n', (2, 10), "line separator"),
    ("driverkit: 1\ntitle: a\x85b\n", (2, 9), "next-line"),
    ("a: 1\rb: \x0b\n", (2, 4), "vertical tab"),
    ("a: 1\r\nb: 2\r\nc: \x0c\n", (3, 4), "form feed"),
])
def test_line_breaks_yaml_and_editors_disagree_on_are_refused_at_the_right_place(text, place, words) -> None:
    (found,) = problems(text)
    assert found.startswith(f"DK001 {place[0]}:{place[1]} ") and words in found


def test_aliases_cannot_stack_nesting_past_the_limit() -> None:
    lines = ["- &a0 [x]"] + [f"- &a{i} " + "[" * 60 + f"*a{i - 1}" + "]" * 60 for i in range(1, 21)]
    lines.append("- driverkit: *a20")
    found = problems("\n".join(lines) + "\n")
    assert found[0].startswith("DK007") and "nests deeper" in found[0]


def test_reading_stops_at_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("driverkit: 1\n" + "# padding\n" * 2_000)
    with pytest.raises(ProjectError, match="over the size limit"):
        driverkit.load(big, max_bytes=10_000)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_not_read(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} is not on this system")
    with pytest.raises(ProjectError, match="not a regular file"):
        driverkit.load(device)


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "project.yaml"
    os.mkfifo(fifo)  # nobody writes to it: a blocking open would wait for ever
    with pytest.raises(ProjectError, match="not a regular file"):
        driverkit.load(fifo)


def test_aliases_of_a_long_text_are_refused_at_the_alias() -> None:
    # 3,000 aliases of one 1 MB string would be 3 GB of text: refused at the alias that goes over.
    long = "x" * 1_000_000
    lines = [f"notes: &big {long}", "tags:"] + ["  - *big"] * 3_000
    found = problems("\n".join(lines) + "\n")
    assert found == [found[0]] and found[0].startswith("DK007 4:5 aliases expand to more than 1,000,000 characters")


def test_keys_must_be_plain_text() -> None:
    assert problems("tags: &a [x]\n*a : 1\n")[0].startswith("DK001 2:1 a key must be plain text")
    assert problems("? \n: 1\n")[0].startswith("DK001 1:2 a key cannot be empty")


def test_empty_version() -> None:
    assert problems("driverkit:\ntitle: T\naim: {improve: x}\n") == [
        "DK010 1:11 the file format version must be `driverkit: 1`; it is empty"]


def test_placeholder_written_without_quotes_is_still_a_placeholder() -> None:
    diagnostics = check_text(MINIMAL + "  by: [insert date]\n")
    assert [(d.code, d.message) for d in diagnostics if d.code in ("DK004", "DK305")] == [
        ("DK305", "`[insert date]` is a placeholder, not a date")]


def test_day_first_dates_get_a_suggestion() -> None:
    assert "did you mean 2027-01-31?" in problems(MINIMAL + "  by: 31/01/2027\n")[0]


def test_percentages_are_bounded() -> None:
    assert "at most 100%" in problems(MINIMAL + "  reduce_by: 150%\n")[0]
    assert loads(MINIMAL + "  increase_by: 150%\n").aim.increase_by == 150


def test_text_cut_by_a_comment_is_found_as_the_plain_pattern_finds_it() -> None:
    """` #word` is searched from each `#`; the plain pattern says what it must find, blanks of any
    kind but a line break included."""
    import random
    import re

    from driverkit.project.source import _comments_after_text

    pattern = re.compile(r"[^\S\n]+#(?=\S)")
    pick = random.Random(7)
    for _ in range(5000):
        text = "".join(pick.choice(" \t\n\r#ab\f\u00a0\u2003") for _ in range(pick.randint(0, 24)))
        assert _comments_after_text(text) == {m.start(): m.end() - m.start() for m in pattern.finditer(text)}, repr(text)
