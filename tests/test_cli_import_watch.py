"""`driverkit import` and `driverkit watch` at the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from driverkit.cli import main
from tests.conftest import ROOT

OUTLINE = ROOT / "examples" / "import" / "outline.xlsx"


def test_import_writes_a_project_that_checks_cleanly_and_never_overwrites_unasked(tmp_path: Path, capsys) -> None:
    target = tmp_path / "project.yaml"
    assert main(["import", str(OUTLINE), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {target}:" in out and "primary drivers" in out
    assert main(["check", str(target)]) == 0
    capsys.readouterr()
    before = target.read_bytes()
    assert main(["import", str(OUTLINE), "-o", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_import_to_standard_output_and_a_bad_sheet_named_at_its_cell(tmp_path: Path, capsys) -> None:
    assert main(["import", str(ROOT / "examples" / "import" / "outline.csv"), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith(("driverkit: 1", "#"))
    bad = tmp_path / "bad.csv"
    bad.write_text("Primary drivers,Secondary drivers,Change ideas\n,,An idea with no driver\n", encoding="utf-8")
    assert main(["import", str(bad), "-o", str(tmp_path / "out.yaml")]) == 1
    err = capsys.readouterr().err
    assert "bad.csv:" in err and "Traceback" not in err
    assert not (tmp_path / "out.yaml").exists()


def test_watch_serves_a_preview_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    project = tmp_path / "sepsis.yaml"
    project.write_text((ROOT / "examples" / "sepsis.yaml").read_text(encoding="utf-8").split("\nmeasures:")[0] + "\n", encoding="utf-8")
    # Ctrl-C reaches it even where the tests run with it ignored (started in the background by a
    # script): an ignored signal stays ignored in the processes started from there.
    process = subprocess.Popen([sys.executable, "-m", "driverkit", "watch", str(project), "--port", "0", "--backend", "embedded"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = process.stdout.readline()
        assert line.startswith("driverkit preview on http://127.0.0.1:"), line + process.stderr.read()
        address = line.split(" on ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(address, timeout=20) as page:
            assert b"<svg" in page.read()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
        assert "stopped" in process.stdout.read()
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_watch_refuses_a_missing_file_and_a_bad_port(tmp_path: Path, capsys) -> None:
    assert main(["watch", str(tmp_path / "none.yaml"), "--port", "0"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["watch", str(ROOT / "examples" / "sepsis.yaml"), "--port", "70000"]) == 2
    assert "not a port" in capsys.readouterr().err


def test_watch_waits_for_nothing_when_stopped_at_once() -> None:
    # The library entry point stops when asked even before any file event.
    import threading

    from driverkit.preview import serve

    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    serve([ROOT / "examples" / "sepsis.yaml"], 0, backend="embedded", stop=stop)
    assert time.monotonic() - started < 10
