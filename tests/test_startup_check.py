"""What a cold `driverkit check` does beyond checking: what it imports, when the models are made,
and how its process ends (at once, its output written, its exit handlers run)."""

from __future__ import annotations

import ast
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from driverkit.cli import main
from tests.conftest import ROOT, STARTER

SEVERAL = ROOT / "examples" / "invalid" / "several-mistakes.yaml"


def test_a_project_without_data_is_checked_without_the_other_layers() -> None:
    code = ("import sys; from driverkit.cli import main; main(['check', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith('driverkit.')))")
    proc = subprocess.run([sys.executable, "-c", code, str(STARTER)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    modules = ast.literal_eval(proc.stdout.strip().splitlines()[-1])
    packages = {".".join(m.split(".")[:2]) for m in modules}
    for unused in ("driverkit.spc", "driverkit.output", "driverkit.importing", "driverkit.preview"):
        assert unused not in packages
    # Of the programme, only the check as the commands run it: a programme file's own known
    # changes are read by the programme's reading, loaded for such a file only.
    assert [m for m in modules if m.startswith("driverkit.programme")] == ["driverkit.programme", "driverkit.programme.checking"]


def test_the_models_are_made_when_first_used() -> None:
    code = ("import driverkit.project.model as m; print(m.Project.__pydantic_complete__); "
            "m.Project.model_validate({'driverkit': 1, 'title': 't', 'aim': {'improve': 'x'}}); "
            "print(m.Project.__pydantic_complete__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == ["False", "True"], proc.stderr


def test_no_default_factory_has_its_signature_parsed_from_text() -> None:
    # pydantic reads each default factory's signature; a builtin such as `list` has it as text,
    # which inspect parses with tokenize, field after field.
    from pydantic import BaseModel

    from driverkit.project import model

    models = [v for v in vars(model).values() if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == model.__name__]
    parsed = [f"{m.__name__}.{name}" for m in models for name, f in m.model_fields.items()
              if getattr(f.default_factory, "__text_signature__", None)]
    assert models and not parsed


def test_the_command_ends_with_its_output_whole_and_its_exit_code() -> None:
    proc = subprocess.run([sys.executable, "-m", "driverkit", "check", "--format", "json", str(SEVERAL)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)  # all of it: it parses
    # as `main` called from Python writes it, which leaves the process to end as usual
    in_process = subprocess.run([sys.executable, "-c", "import sys; from driverkit.cli import main; "
                                 "sys.exit(main(['check', '--format', 'json', sys.argv[1]]))", str(SEVERAL)],
                                capture_output=True, text=True, cwd=ROOT)
    assert (proc.returncode, proc.stdout, proc.stderr) == (in_process.returncode, in_process.stdout, in_process.stderr)


def test_exit_handlers_of_the_command_still_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = ("import atexit, sys; from driverkit import cli\n"
            "marker, project = sys.argv[1:]\n"
            "check = cli.run_check\n"
            "def run(args):\n"
            "    atexit.register(lambda: open(marker, 'w').write('ran'))\n"
            "    return check(args)\n"
            "cli.run_check = run\n"
            "sys.argv[1:] = ['check', project]\n"
            "cli.console()\n")
    proc = subprocess.run([sys.executable, "-c", code, str(marker), str(SEVERAL)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert marker.read_text() == "ran"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_still_reported() -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "driverkit", "check", str(STARTER)], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_main_called_from_python_gives_the_collector_back(capsys) -> None:
    assert gc.isenabled()
    assert main(["check", str(STARTER)]) == 0
    assert gc.isenabled()
