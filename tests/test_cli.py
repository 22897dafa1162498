"""The command line: exit codes, output formats, init, schema, rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from driverkit.cli import main
from tests.conftest import MINIMAL, ROOT, STARTER

BROKEN = "driverkit: 1\ntitle: T\naim: {improve: x}\ndrivers:\n  - text: A\n    also: [P9]\n"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(capsys) -> None:
    code, out, _ = run(capsys, "check", str(STARTER))
    assert code == 0
    assert "0 errors, 0 warnings, 0 info in 1 file" in out


def test_errors_exit_1_and_are_grouped_per_file(capsys, broken: Path) -> None:
    code, out, _ = run(capsys, "check", "--color", "never", str(STARTER), str(broken))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == str(broken)
    assert any("6:12" in line and "error" in line and "DK101" in line and "[dangling-reference]" in line for line in lines)
    assert str(STARTER) not in out.split("\n\n")[0]


def test_warnings_fail_only_with_strict(capsys, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert run(capsys, "check", str(path))[0] == 0
    assert run(capsys, "check", "--strict", str(path))[0] == 1


def test_parsable_format(capsys, broken: Path) -> None:
    _, out, _ = run(capsys, "check", "--format", "parsable", str(broken))
    assert f"{broken}:6:12: error DK101 no driver has the id `P9`" in out.splitlines()


def test_json_format(capsys, broken: Path) -> None:
    _, out, _ = run(capsys, "check", "--format", "json", str(broken))
    items = json.loads(out)
    first = next(i for i in items if i["code"] == "DK101")
    assert first == {"code": "DK101", "name": "dangling-reference", "severity": "error",
                     "message": "no driver has the id `P9`", "file": str(broken), "line": 6, "column": 12,
                     "hint": first["hint"]}
    assert first["hint"]


def test_github_format_is_chosen_under_actions_and_escapes(capsys, broken: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)  # never the summary of the job running the tests
    _, out, _ = run(capsys, "check", str(broken))
    line = next(line for line in out.splitlines() if "DK101" in line)
    assert line.startswith(f"::error file={broken},line=6,col=12,title=DK101 dangling-reference::")
    from driverkit.checks.report import _github
    from driverkit.project.diagnostics import Diagnostic, Severity
    odd = _github(Diagnostic("DK1", "n", Severity.INFO, "50%\nnext", "a,b:c.yaml", 1, 1))
    assert odd == "::notice file=a%2Cb%3Ac.yaml,line=1,col=1,title=DK1 n::50%25%0Anext"


def test_colour_only_when_asked_or_on_a_terminal(capsys, broken: Path) -> None:
    assert "\033[" not in run(capsys, "check", str(broken))[1]
    assert "\033[31m" in run(capsys, "check", "--color", "always", str(broken))[1]


def test_disable_from_the_command_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "parsable", "--disable", "DK205", "--disable", "aim-without-outcome-measure", str(path))
    assert "DK205" not in out and "DK204" not in out


def test_disable_in_the_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(MINIMAL + "rules:\n  disable: [DK205, no-such-rule, DK001]\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "parsable", str(path))
    assert "DK205" not in out
    assert f"{path}:6:20: error DK011 there is no rule `no-such-rule`" in out
    assert "DK001 (yaml-syntax) cannot be switched off" in out


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert run(capsys, "check", "--disable", "DK999", str(STARTER))[0] == 2
    assert run(capsys)[0] == 2


def test_stdin(capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.encode())))
    code, out, _ = run(capsys, "check", "--format", "parsable", "--stdin-filename", "mine.yaml", "-")
    assert code == 1 and out.startswith("mine.yaml:")


def test_internal_error_is_short_and_exits_3(capsys, monkeypatch) -> None:
    import driverkit.programme.checking

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(driverkit.programme.checking, "checked_file", boom)
    code, out, err = run(capsys, "check", str(STARTER))
    assert code == 3
    assert "internal error (RuntimeError: kaboom)" in err and "Traceback" not in err


def test_init_writes_a_clean_starter_and_schema(capsys, tmp_path: Path) -> None:
    target = tmp_path / "new" / "project.yaml"
    assert run(capsys, "init", str(target))[0] == 0
    assert (tmp_path / "new" / "driverkit.schema.json").exists()
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=driverkit.schema.json")
    code, out, _ = run(capsys, "check", "--strict", str(target))
    assert code == 0, out
    # never overwrites without --force
    target.write_text("mine", encoding="utf-8")
    assert run(capsys, "init", str(target))[0] == 2
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(capsys, "init", "--force", str(target))[0] == 0


def test_schema_to_stdout_and_file(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out)["$schema"] == "http://json-schema.org/draft-07/schema#"
    run(capsys, "schema", "-o", str(tmp_path / "s.json"))
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == out


def test_rules_listing(capsys) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert any(line.split()[:3] == ["DK101", "dangling-reference", "error"] for line in out.splitlines())
    items = json.loads(run(capsys, "rules", "--format", "json")[1])
    assert {"code", "name", "severity", "summary", "hint", "explanation", "can_disable"} <= set(items[0])


def test_python_dash_m_and_no_traceback_on_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.yaml"
    path.write_bytes(os.urandom(3000).replace(b"\x00", b"a"))
    proc = subprocess.run([sys.executable, "-m", "driverkit", "check", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "DK006" in proc.stdout or "DK001" in proc.stdout


def test_check_does_not_import_rendering_libraries() -> None:
    code = ("import sys; from driverkit.cli import main; main(['check', sys.argv[1]]); "
            "print(sorted(m for m in ('jinja2', 'graphviz') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code, str(STARTER)], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_messages_cannot_forge_output_lines(capsys, tmp_path: Path) -> None:
    path = tmp_path / "forge.yaml"
    path.write_text(MINIMAL + 'rules: {disable: ["x\\nother.yaml:9:9: error DK001 forged"]}\n"k\\nz": 1\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "parsable", str(path))
    assert all(line.startswith(f"{path}:") for line in out.splitlines())
    assert "\\n" in out


def test_a_folder_stands_for_the_project_files_in_it(capsys, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "parsable", str(tmp_path), str(tmp_path / "b.yml"))
    files = {line.split(":")[0] for line in out.splitlines()}
    assert files == {str(tmp_path / "b.yml"), str(tmp_path / "sub" / "a.yaml")}
    assert code == 1
    _, text, _ = run(capsys, "check", str(tmp_path))
    assert "in 2 files" in text


def test_rules_explains_a_rule(capsys) -> None:
    code, out, _ = run(capsys, "rules", "DK306", "vague-change-idea")
    assert code == 0
    assert out.startswith("DK306 relative-change-mismatch (error):") and "DK211 vague-change-idea (info)" in out
    assert "How to fix:" in out
    assert run(capsys, "rules", "DK999")[0] == 2


def test_unwritable_outputs_are_usage_errors(capsys, tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    code, _, err = run(capsys, "init", "--force", str(tmp_path / "dir.yaml"))
    assert code == 2 and "internal error" not in err
    assert run(capsys, "check", "--disable", "DK001", str(STARTER))[0] == 2


def test_json_v1_is_a_versioned_envelope(capsys, broken: Path) -> None:
    from driverkit import __version__

    code, out, _ = run(capsys, "check", "--format", "json-v1", str(STARTER), str(broken))
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["format", "version", "driverkit", "summary", "files", "diagnostics"]
    assert (data["format"], data["version"], data["driverkit"]) == ("driverkit-diagnostics", 1, __version__)
    errors = sum(1 for d in data["diagnostics"] if d["severity"] == "error")
    assert data["summary"] == {"errors": errors, "warnings": data["summary"]["warnings"], "notes": data["summary"]["notes"], "files": 2}
    assert [f["file"] for f in data["files"]] == [str(STARTER), str(broken)]
    assert data["files"][0] == {"file": str(STARTER), "errors": 0, "warnings": 0, "notes": 0}
    first = next(d for d in data["diagnostics"] if d["code"] == "DK101")
    assert first["file"] == first["checked"] == str(broken)
    assert (first["line"], first["column"], first["path"], first["element"]) == (6, 12, "drivers[0].also[0].to", "P1")
    # the plain json format is still the bare list it was
    _, out, _ = run(capsys, "check", "--format", "json", str(broken))
    assert isinstance(json.loads(out), list) and "path" not in json.loads(out)[0]


def test_under_actions_check_writes_a_job_summary(capsys, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "improvement").mkdir()
    bad = tmp_path / "improvement" / "bad.yaml"
    bad.write_text("driverkit: 1\ntitle: T\naim: {improve: x}\ndrivers:\n  - text: A\n    also: ['P9|<b>@me']\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "check", str(bad))
    assert code == 1
    assert out.splitlines()[-1].startswith("driverkit check: 1 error, ")  # the totals line after the annotations
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## driverkit check\n")  # appended, never overwritten
    assert "| DK004 | invalid-value | error | 1 |" in text
    assert "| improvement/bad.yaml | 1 |" in text  # relative to the repository root
    assert "| improvement/bad.yaml:6 | error | DK004 |" in text
    # the id quoted from the file cannot end the cell, add HTML or mention anyone
    row = next(line for line in text.splitlines() if line.startswith("| improvement/bad.yaml:6"))
    assert "\\|" in row and "<b>" not in row and "@&#8203;me" in row
    assert row.count(" | ") == 3


def test_a_machine_format_under_actions_keeps_stdout_clean(capsys, tmp_path: Path, monkeypatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _, out, err = run(capsys, "check", "--format", "sarif", str(STARTER))
    assert json.loads(out)["version"] == "2.1.0"
    assert "driverkit check: 0 errors" in err
    assert "No problems found." in summary.read_text(encoding="utf-8")


def test_a_summary_that_cannot_be_written_is_a_warning(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a folder
    code, _, err = run(capsys, "check", str(STARTER))
    assert code == 0 and "warning: cannot write the job summary" in err
