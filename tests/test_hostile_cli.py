"""The command line given hostile input: escapes in text and data, pipes and devices as files,
outputs that cannot be written, bad option values. Each must end in a clean message and the
documented exit code, never a hang, a traceback or raw control characters on the terminal."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from driverkit.cli import main
from tests.conftest import MINIMAL, ROOT, STARTER

ESC = "\x1b"
RLO = "\u202e"
# What a terminal acts on instead of showing (tab and line feed apart).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

HOSTILE = f"""driverkit: 1
title: "Falls \\e[2J{RLO} evil"
aim: {{improve: "falls \\e[31m"}}
drivers:
  - text: "Primary \\e]0;retitled\\a{RLO}one"
measures:
  - id: M1
    name: "Falls \\e[5m{RLO}"
    family: outcome
    data_file: falls.csv
    chart: {{type: run}}
"""
CSV = f"period,value,note\n2024-01,3,{ESC}[31mred\n2024-02,x{ESC}]0;pwn\x07{RLO},\n2024-03,4,a{RLO}b\n2024-04,5,\n"
DATA_PROJECT = ("driverkit: 1\ntitle: Falls\naim: {{improve: falls}}\nmeasures:\n  - id: M1\n    name: Falls\n"
                "    family: outcome\n    data_file: {data}\n    chart: {{type: run}}\n")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    """The real command in a process of its own: a hang fails the test instead of blocking it."""
    return subprocess.run([sys.executable, "-m", "driverkit", *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, **kwargs)


def assert_safe(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw U+{ord(found.group(0)):04X} in {text!r}"
        assert "Traceback" not in text


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "falls.csv").write_text(CSV, encoding="utf-8")
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


# --allow-path


def test_allow_path_is_offered_and_explained_by_every_command_that_loads_projects(capsys) -> None:
    for command in ("check", "render", "chart"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "--allow-path PATH" in out and "repository" in out, command


@pytest.fixture
def loads_seen(monkeypatch) -> list[tuple[str, ...]]:
    """What each project load was allowed to read beyond its folder."""
    import driverkit.project.loader

    seen: list[tuple[str, ...]] = []
    real = driverkit.project.loader.load

    def load(path, *args, allow=(), **kwargs):
        seen.append(tuple(str(place) for place in allow))
        return real(path, *args, allow=allow, **kwargs)

    monkeypatch.setattr(driverkit.project.loader, "load", load)
    return seen


def test_allow_path_reaches_every_load(capsys, tmp_path: Path, loads_seen) -> None:
    shared = tmp_path / "shared"
    run(capsys, "check", "--allow-path", str(shared), "--allow-path", "/srv/data", str(STARTER))
    run(capsys, "chart", "--allow-path", str(shared), str(STARTER), "-o", str(tmp_path / "out"))
    assert loads_seen == [(str(shared), "/srv/data"), (str(shared),)]


def test_render_takes_allow_path_to_every_load(capsys, tmp_path: Path, loads_seen) -> None:
    code, _, err = run(capsys, "render", "--allow-path", str(tmp_path), str(STARTER), "-o", str(tmp_path / "out"), "-f", "dot", "-j", "1")
    assert code == 0 and "internal error" not in err
    assert loads_seen and all(allowed == (str(tmp_path),) for allowed in loads_seen)


def test_allow_path_lets_a_data_file_outside_the_folder_be_read(capsys, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "falls.csv").write_text("period,value\n2024-01,3\n2024-02,4\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    source = tmp_path / "project" / "falls.yaml"
    source.write_text(DATA_PROJECT.format(data="../shared/falls.csv"), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(source))  # the text format gives the hint
    assert code == 1 and "outside the project's folder" in out and "--allow-path" in out
    code, out, _ = run(capsys, "check", "--format", "parsable", "--allow-path", str(tmp_path / "shared"), str(source))
    assert code == 0 and "DK218" not in out
    code, _, err = run(capsys, "chart", str(source), "-o", str(tmp_path / "out"))
    assert code == 1 and "outside the project's folder" in err
    assert run(capsys, "chart", "--allow-path", str(tmp_path / "shared"), str(source), "-o", str(tmp_path / "out"))[0] == 0


def test_the_python_api_takes_allow_too(tmp_path: Path) -> None:
    import driverkit

    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "falls.csv").write_text("period,value\n2024-01,3\n2024-02,4\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    source = tmp_path / "project" / "falls.yaml"
    source.write_text(DATA_PROJECT.format(data="../shared/falls.csv"), encoding="utf-8")
    assert any(d.code == "DK218" for d in driverkit.check_file(source))
    assert not any(d.code == "DK218" for d in driverkit.check_file(source, allow=[tmp_path / "shared"]))
    text = source.read_text(encoding="utf-8")
    assert not any(d.code == "DK218" for d in driverkit.check_text(text, str(source), allow=[tmp_path / "shared"]))


# Terminal escapes


def test_printable_shows_every_control_and_bidi_character_as_an_escape() -> None:
    from driverkit.checks.report import printable

    assert printable(f"a{ESC}[31mb\x07\x7f\x9b{RLO}\u202d\u2066\u2069\r") == "a\\x1b[31mb\\x07\\x7f\\x9b\\u202e\\u202d\\u2066\\u2069\\r"
    assert printable("two\nlines\tand tab, é 中 🙂") == "two\nlines\tand tab, é 中 🙂"
    assert printable("one\nline", lines=False) == "one\\nline"
    assert printable("\udcff") == "\\udcff"  # a file name byte that is not UTF-8


def test_diagnostics_escape_bidi_controls_in_every_text_format(capsys, hostile: Path, monkeypatch) -> None:
    for fmt in ("text", "parsable", "github"):
        code, out, err = run(capsys, "check", "--format", fmt, "--color", "always", str(hostile))
        assert code == 1
        assert_safe(re.sub("\x1b\\[[0-9;]*m", "", out), err)  # the colours are driverkit's own
        assert "\\u202e" in out and "\\x1b" in out
    code, out, _ = run(capsys, "check", "--format", "text", "--color", "never", str(hostile))
    assert_safe(out)
    from driverkit.project.diagnostics import Diagnostic, Severity

    assert "\\u202e" in str(Diagnostic("DK1", "n", Severity.ERROR, f"a{RLO}b", f"f{ESC}.yaml", 1, 1))


def test_json_output_stays_json_with_escapes_written_as_escapes(capsys, hostile: Path) -> None:
    _, out, _ = run(capsys, "check", "--format", "json", str(hostile))
    assert_safe(out)
    messages = [item["message"] for item in json.loads(out)]
    assert any(RLO in m or "\\u202e" in m for m in messages)
    _, out, _ = run(capsys, "chart", "--json", str(hostile), "-o", str(hostile.parent / "out"))
    assert_safe(out)
    (report,) = json.loads(out)
    assert RLO in json.dumps(report, ensure_ascii=False)  # the text as written, once read back


def test_chart_and_render_print_file_text_safely(capsys, hostile: Path) -> None:
    out_dir = hostile.parent / "out"
    code, out, err = run(capsys, "chart", str(hostile), "-o", str(out_dir))
    assert code == 1  # the row `x...` is bad
    assert_safe(out, err)
    assert "\\x1b]0;pwn\\x07\\u202e" in err and "Falls \\x1b[5m\\u202e" in out
    folder = hostile.parent / f"d{ESC}[31m"  # a font path holds its folder's name too
    folder.mkdir()
    font = folder / "font.yaml"
    font.write_text(MINIMAL + f'render: {{font_file: "f{RLO}.ttf"}}\n', encoding="utf-8")
    code, out, err = run(capsys, "render", str(hostile), str(font), "-o", str(out_dir), "-f", "dot", "-j", "1")
    assert code == 1
    assert_safe(out, err)
    assert "d\\x1b[31m/f\\u202e.ttf" in err


def test_usage_errors_quote_what_was_typed_safely(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", f"{ESC}[2J{RLO}", str(STARTER)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert_safe(err)
    assert "\\x1b[2J\\u202e" in err
    code, out, err = run(capsys, "check", "--disable", f"{ESC}]0;x\x07", str(STARTER))
    assert code == 2
    assert_safe(out, err)
    code, out, err = run(capsys, "rules", f"DK{ESC}[1m")
    assert code == 2
    assert_safe(out, err)


def test_a_file_name_that_is_not_utf8_is_printed_not_crashed_on(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xff" + ESC.encode() + b".yaml")
    try:
        (tmp_path / name).write_text(MINIMAL, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    proc = cli("check", "--format", "parsable", "--strict", os.fsencode(str(tmp_path / name)).decode("utf-8", "surrogateescape"))
    assert proc.returncode == 1
    assert_safe(proc.stdout, proc.stderr)
    assert "\\udcff\\x1b.yaml" in proc.stdout


# Exit codes


def test_jobs_must_be_a_whole_number_of_one_or_more(capsys) -> None:
    for value in ("-3", "0", "two", "1.5"):
        with pytest.raises(SystemExit) as exc:
            main(["render", str(STARTER), "--jobs", value])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "--jobs" in err and "1 or more" in err and "Traceback" not in err


def test_an_output_folder_that_cannot_be_made_is_a_usage_error(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a regular file, so no folder can be made below it, whoever runs this\n", encoding="utf-8")
    for command in (["render", str(STARTER), "-f", "dot"], ["chart", str(ROOT / "examples" / "sepsis.yaml")]):
        code, out, err = run(capsys, *command, "-o", str(blocker / "out"))
        assert code == 2, command
        assert "output folder" in err and "internal error" not in err and "Traceback" not in err
        code, out, err = run(capsys, *command, "-o", str(blocker))  # the output folder is a file
        assert code == 2 and "not a folder" in err
    assert blocker.is_file()


def test_render_with_a_missing_data_file_exits_1_and_says_where(capsys, tmp_path: Path) -> None:
    source = tmp_path / "falls.yaml"
    source.write_text(DATA_PROJECT.format(data="missing.csv"), encoding="utf-8")
    code, out, err = run(capsys, "render", str(source), "-o", str(tmp_path / "out"), "-f", "dot", "-j", "1")
    assert code == 1
    assert "wrote" in out  # the diagram is still drawn
    assert re.search(rf"^{re.escape(str(source))}:8:\d+: M1: .*missing\.csv", err, re.MULTILINE), err
    assert run(capsys, "chart", str(source), "-o", str(tmp_path / "out"))[0] == 1  # as chart does


def test_render_with_bad_rows_exits_1_and_places_them_in_the_csv(capsys, tmp_path: Path) -> None:
    (tmp_path / "falls.csv").write_text("period,value\n2024-01,3\n2024-02,x\n2024-03,4\n", encoding="utf-8")
    source = tmp_path / "falls.yaml"
    source.write_text(DATA_PROJECT.format(data="falls.csv"), encoding="utf-8")
    code, _, err = run(capsys, "render", str(source), "-o", str(tmp_path / "out"), "-f", "dot", "-j", "1")
    assert code == 1
    assert f"{tmp_path / 'falls.csv'}:3:9: M1: `x` in column value is not a number" in err


def test_schema_onto_something_not_a_file_is_a_usage_error(capsys, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    code, _, err = run(capsys, "schema", "-o", str(tmp_path / "folder"))
    assert code == 2 and "folder" in err and "internal error" not in err
    assert (tmp_path / "folder").is_dir()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not os.path.exists("/dev/null"),
                    reason="only root could replace /dev/null")
def test_schema_to_dev_null_as_root_leaves_the_device_alone(capsys) -> None:
    code, _, err = run(capsys, "schema", "-o", "/dev/null")
    assert code == 2 and "/dev/null" in err and "Traceback" not in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_render_onto_a_folder_named_like_an_output_is_a_usage_error(capsys, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    (out_dir / "starter.dot").mkdir(parents=True)
    code, _, err = run(capsys, "render", str(STARTER), "-o", str(out_dir), "-f", "dot", "-j", "1")
    assert (out_dir / "starter.dot").is_dir()
    assert "Traceback" not in err and "internal error" not in err
    assert code == 2


# Pipes and devices named as files


@pytest.mark.parametrize("command", ["check", "chart", "render"])
def test_a_fifo_as_the_project_file_is_refused_without_waiting(command: str, fifo: Path, tmp_path: Path) -> None:
    extra = [] if command == "check" else ["-o", str(tmp_path / "out")]
    proc = cli(command, str(fifo), *extra)
    assert proc.returncode == 1
    assert "DK006" in proc.stdout + proc.stderr and "not a regular file" in proc.stdout + proc.stderr
    assert_safe(proc.stdout, proc.stderr)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["check", "chart", "render"])
def test_a_device_as_the_project_file_is_refused_without_reading(command: str, device: str, tmp_path: Path) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    extra = [] if command == "check" else ["-o", str(tmp_path / "out")]
    proc = cli(command, device, *extra)
    assert proc.returncode == 1
    assert "DK006" in proc.stdout + proc.stderr
    assert_safe(proc.stdout, proc.stderr)


def test_a_fifo_in_a_folder_is_skipped(fifo: Path, tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(MINIMAL, encoding="utf-8")
    proc = cli("check", "--format", "parsable", str(tmp_path))
    assert proc.returncode == 0
    assert str(fifo) not in proc.stdout + proc.stderr
    assert {line.split(":")[0] for line in proc.stdout.splitlines()} == {str(tmp_path / "real.yaml")}
    proc = cli("chart", str(tmp_path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0


def test_looking_into_a_fifo_for_a_project_never_opens_it_to_wait(fifo: Path) -> None:
    code = f"from pathlib import Path; from driverkit.project.files import is_project_file; print(is_project_file(Path({str(fifo)!r})))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert proc.stdout.strip() == "False"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_standard_input_is_read_only_up_to_the_limit() -> None:
    with open("/dev/zero", "rb") as endless:
        proc = cli("check", "-", stdin=endless, timeout=120)
    assert proc.returncode == 1
    assert "DK006" in proc.stdout and "size limit" in proc.stdout
