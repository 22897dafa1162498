"""What the command line says: repeated findings grouped, drafts, filters that match nothing,
views skipped for want of a format, and --descriptions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from driverkit.cli import main

HEAD = """\
driverkit: 1
title: Big
aim:
  statement: Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026
drivers:
"""


def _big(primaries: int = 3, secondaries: int = 6) -> str:
    """A diagram of drivers without change ideas or measures: DK202 and DK401 fire on every box."""
    text = HEAD
    for i in range(1, primaries + 1):
        text += f"  - id: P{i}\n    text: Primary {i}\n    drivers:\n"
        text += "".join(f"      - {{id: S{i}.{j}, text: Secondary {i} {j}}}\n" for j in range(1, secondaries + 1))
    return text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def big(tmp_path: Path) -> Path:
    path = tmp_path / "big.yaml"
    path.write_text(_big(), encoding="utf-8")
    return path


def test_a_rule_that_fires_many_times_is_one_line_with_place_count_and_ids(capsys, big: Path) -> None:
    code, out, _ = run(capsys, "check", str(big))
    assert code == 0
    lines = out.splitlines()
    dk202 = [line for line in lines if "DK202" in line]
    assert len(dk202) == 1
    # the first place as file:line:column, so that an editor can jump to it
    assert re.search(rf"{re.escape(str(big))}:9:9 warning DK202  A driver has no change ideas: 18 times, "
                     r"for S1\.1, S1\.2, S1\.3, S1\.4, S1\.5, S1\.6, S2\.1, S2\.2 and 10 more", dk202[0])
    assert len([line for line in lines if "DK401" in line]) == 1
    # the totals count every finding, and say how many were grouped
    assert lines[-1] == "0 errors, 21 warnings, 21 info in 1 file (39 of them on 2 grouped lines; --all lists each)"


def test_a_few_repeats_are_not_grouped(capsys, tmp_path: Path) -> None:
    path = tmp_path / "few.yaml"
    path.write_text(_big(primaries=1, secondaries=2), encoding="utf-8")
    _, out, _ = run(capsys, "check", str(path))
    assert len([line for line in out.splitlines() if "DK401" in line]) == 3  # 3 times: each on its own line
    assert "grouped" not in out


def test_all_lists_every_finding(capsys, big: Path) -> None:
    _, out, _ = run(capsys, "check", "--all", str(big))
    assert len([line for line in out.splitlines() if "DK202" in line]) == 18
    assert out.splitlines()[-1] == "0 errors, 21 warnings, 21 info in 1 file"


def test_machine_formats_keep_one_entry_per_finding(capsys, big: Path) -> None:
    _, out, _ = run(capsys, "check", "--format", "json", str(big))
    items = json.loads(out)
    assert sum(1 for i in items if i["code"] == "DK202") == 18
    assert "element" not in items[0]
    _, out, _ = run(capsys, "check", "--format", "parsable", str(big))
    assert sum(1 for line in out.splitlines() if " DK202 " in line) == 18
    _, out, _ = run(capsys, "check", "--format", "github", str(big))
    assert sum(1 for line in out.splitlines() if "DK202" in line) == 18


def test_a_draft_holds_back_what_it_does_not_have_yet_and_says_so(capsys, tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(_big().replace("title: Big\n", "title: Big\ndraft: true\n"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--strict", str(path))
    assert code == 0
    assert "DK202" not in out.replace("DK202: 18", "")
    assert re.search(r"3:1 +info +DK402  the project is a draft: 42 findings about what a draft does not have yet held back "
                     r"\(DK202: 18, DK204: 1, DK205: 1, DK216: 1, DK401: 21\)", out)
    _, out, _ = run(capsys, "check", "--all", str(path))
    assert "DK402" not in out
    assert out.splitlines()[-1] == "0 errors, 21 warnings, 21 info in 1 file"


def test_a_draft_still_reports_errors(capsys, tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(HEAD.replace("title: Big\n", "title: Big\ndraft: true\n")
                    + "  - id: P1\n    text: Primary\n    drivers:\n      - {id: S1, text: Secondary, also: [P7]}\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "parsable", str(path))
    assert code == 1
    assert "error DK101 no driver has the id `P7` (did you mean `P1`?)" in out
    assert "DK202" not in out.replace("DK202: ", "")


SMALL = """\
driverkit: 1
title: Fewer falls
aim: {statement: "Reduce inpatient falls for patients aged 65 and over from 8.2 to 6.0 per 1,000 bed days by December 2026"}
drivers:
  - id: P1
    text: Falls risk is known to every nurse on every shift of the ward
    description: Every patient's risk is assessed within 6 hours of admission
    changes:
      - {id: C1, text: Risk checklist at admission, status: idea, tags: [safety]}
  - id: P2
    text: Patients can move safely
    changes:
      - {id: C2, text: Bedside mobility card, status: adopted}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_an_unknown_primary_lists_the_primary_drivers(capsys, small: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "render", str(small), "--primary", "P9", "-f", "dot", "-o", str(tmp_path / "out"))
    assert code == 1
    assert "there is no primary driver with the id `P9`" in err
    assert f"{small}: the primary drivers are P1 (Falls risk is known to every nurse on e\u2026), P2 (Patients can move safely)" in err


def test_a_driver_view_at_any_level_and_an_unknown_driver_listing_those_there_are(capsys, small: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "render", str(small), "--driver", "P2", "-f", "dot", "-o", str(tmp_path / "out"))
    assert code == 0
    dot = (tmp_path / "out" / "small-driver-P2.dot").read_text(encoding="utf-8")
    assert "Patients can move safely" in dot and "Falls risk is known" not in dot
    code, _, err = run(capsys, "render", str(small), "--driver", "C2", "-f", "dot", "-o", str(tmp_path / "out"))
    assert code == 1
    assert "there is no driver with the id `C2`" in err and f"{small}: the drivers are P1, P2" in err


def test_a_tag_nobody_uses_lists_the_tags_in_use(capsys, small: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "render", str(small), "--tag", "nobody", "-f", "dot", "-o", str(tmp_path / "out"))
    assert code == 1
    assert f"{small}: no element has the tag nobody; the tags in use are safety (1)" in err
    code, _, err = run(capsys, "render", str(small), "--tag", "nobody", "--tag", "safety", "-f", "dot", "-o", str(tmp_path / "out"))
    assert code == 0
    assert f"warning: {small}: no element has the tag nobody; the tags in use are safety (1)" in err


def test_an_empty_view_is_written_with_a_warning(capsys, small: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", str(small), "--status", "testing", "-f", "dot", "-o", str(out_dir))
    assert code == 0
    assert (out_dir / "small-status-testing.dot").is_file()
    assert (f"warning: {small}: the view --status testing holds nothing but the aim (no change idea has the status testing; "
            "the statuses in use are idea (1), adopted (1)); it was written with the aim alone") in err
    code, out, err = run(capsys, "render", str(small), "--status", "testing", "--status", "idea", "-f", "dot", "-o", str(out_dir))
    assert code == 0
    assert "holds nothing but the aim" not in err
    assert f"warning: {small}: no change idea has the status testing; the statuses in use are idea (1), adopted (1)" in err
    _, _, err = run(capsys, "render", str(small), "--status", "idea", "-f", "dot", "-o", str(out_dir))
    assert err == ""


def test_views_skipped_for_want_of_a_format_are_named(capsys, small: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "render", str(small), "--view", "all", "-f", "dot", "-o", str(tmp_path / "out"))
    assert code == 0
    assert err.splitlines() == ["note: skipped measurement-plan (html/md/csv/xlsx), pdsa (html/md/csv/xlsx), spread (html/md/csv/xlsx), "
                                "matrix (svg/png/pdf/html/md), report (html/pdf), measure-data (csv/xlsx), deck (pptx): "
                                "they are not written as dot"]
    _, _, err = run(capsys, "render", str(small), "--view", "all", "-f", "dot,md,html,csv,pptx", "-o", str(tmp_path / "out"))
    assert "skipped" not in err


def test_descriptions_draws_the_second_line(capsys, small: Path, tmp_path: Path) -> None:
    run(capsys, "render", str(small), "-f", "dot", "-o", str(tmp_path / "plain"))
    run(capsys, "render", str(small), "--descriptions", "-f", "dot", "-o", str(tmp_path / "described"))
    plain = (tmp_path / "plain" / "small.dot").read_text(encoding="utf-8")
    described = (tmp_path / "described" / "small.dot").read_text(encoding="utf-8")
    assert "within 6 hours" not in plain.split("tooltip")[0]
    label = next(line for line in described.splitlines() if "n_P1 [" in line).split("tooltip")[0]
    assert "within<BR/>6 hours" in label or "within 6 hours" in label


def test_the_rule_docs_say_which_rules_a_draft_holds_back(capsys) -> None:
    _, out, _ = run(capsys, "rules", "DK202", "DK101")
    assert "Held back in a draft project (`draft: true`)." in out.split("DK101")[0]
    assert "Held back" not in out.split("DK101 dangling-reference")[1]
    _, out, _ = run(capsys, "rules", "--format", "json")
    quiet = {item["code"] for item in json.loads(out) if item["quiet_in_draft"]}
    assert {"DK202", "DK301", "DK401"} <= quiet
    assert not any(item["quiet_in_draft"] for item in json.loads(out) if item["severity"] == "error")


def test_the_help_names_every_view_and_format() -> None:
    from driverkit.cli import _parser
    from driverkit.output.rendering import VIEWS

    render = next(a for a in _parser()._subparsers._group_actions[0].choices["render"]._actions if "--format" in a.option_strings)
    view = next(a for a in _parser()._subparsers._group_actions[0].choices["render"]._actions if "--view" in a.option_strings)
    for name, formats in VIEWS.items():
        assert name in view.help, name
        for fmt in formats:
            assert fmt in render.help, (name, fmt)
