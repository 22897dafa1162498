"""Digests of every output driverkit writes for the examples, to compare two versions byte for byte.

Renders every example in every view and format (both Graphviz backends where the system one is
installed, every theme of the driver diagram) and charts every measure with data, then prints one
line per file: its SHA-256 and its path. Run it before and after a change that should not alter
any output, and compare:

    python benchmarks/output_digests.py > before.txt
    ... change the code ...
    python benchmarks/output_digests.py > after.txt
    diff before.txt after.txt && echo byte-identical
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.yaml"))
FORMATS = "svg,png,pdf,dot,mermaid,html,md,csv,xlsx"


def driverkit(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "driverkit", *args], check=False, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    backends = ["embedded"] + (["system"] if shutil.which("dot") else [])
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp)
        for backend in backends:
            driverkit("render", *EXAMPLES, "-o", str(out / backend), "--view", "all", "-f", FORMATS,
                      "--backend", backend, "-j", "1")
            for theme in ("print", "colourblind"):
                driverkit("render", *EXAMPLES, "-o", str(out / f"{backend}-{theme}"), "-f", "svg,dot",
                          "--theme", theme, "--backend", backend, "-j", "1")
            driverkit("render", *EXAMPLES, "-o", str(out / f"{backend}-ids"), "-f", "svg,dot", "--show-ids",
                      "--backend", backend, "-j", "1")
        driverkit("chart", *EXAMPLES, "-o", str(out / "charts"), "-f", "svg,png")
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            print(hashlib.sha256(path.read_bytes()).hexdigest(), path.relative_to(out).as_posix())


if __name__ == "__main__":
    main()
