"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent


def code_version() -> str:
    """The commit measured, and whether driverkit/ had uncommitted changes (then the figures are of those)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "driverkit"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (" + uncommitted changes in driverkit/" if dirty else "")


def timed_process(cmd: list[str], env: Optional[dict[str, str]] = None) -> tuple[float, float, int, str]:
    """Run a command from the repository: its wall-clock seconds, its CPU seconds (user + system, of
    the process and of every process it waited for: driverkit's workers, `dot`), its exit code and
    the end of its output."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        output.seek(0)
        text = output.read().decode("utf-8", "replace")[-400:]
    return elapsed, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), text
