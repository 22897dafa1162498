"""Running Graphviz: the system `dot` when there is one, otherwise the one inside pygraphviz's wheel.

Either way Graphviz finds its fonts through a small fontconfig file that driverkit writes: the
system's own configuration first (so missing glyphs such as emoji still come from system fonts),
then driverkit's fonts folder, with DejaVu Sans preferred for "sans-serif". The boxes are then
sized with the font the labels were wrapped with, on every machine.

Outputs are made deterministic here: the SVG loses its DOCTYPE (an external reference) and the
Graphviz version comment, and the PDF's creation date is zeroed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Optional, Sequence

from driverkit.files import write_atomic
from driverkit.textwidth import FONTS_DIR

IMAGE_FORMATS = ("svg", "png", "pdf")
BACKENDS = ("auto", "system", "embedded")
PNG_DPI = 144
PNG_MAX_PIXELS = 32_000  # cairo cannot draw a bitmap wider or taller than 32,767 pixels
TIMEOUT = 600  # seconds for one layout


class RenderError(RuntimeError):
    """Graphviz could not be found, or could not draw this diagram."""


class RenderWarning(UserWarning):
    """The output was made, with a caveat a person should hear (a PNG too large to be sharp)."""


def png_dpi(width_points: float, height_points: float) -> int:
    """The PNG resolution: 144 dpi, less for a diagram that would pass cairo's bitmap limit."""
    largest = max(width_points, height_points, 1.0) * 1.15 / 72.0  # the estimate can be ~10% short
    return max(18, min(PNG_DPI, int(PNG_MAX_PIXELS / largest)))


# Where systems keep fonts, for the embedded Graphviz: its fontconfig is older than most systems'
# and would complain about their configuration files, so it is given the folders instead.
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                    "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")


def fontconfig_file(extra_dirs: Sequence[str] = (), include_system_config: bool = True) -> Path:
    """A fontconfig file that adds driverkit's fonts (and `extra_dirs`) to the system's fonts."""
    dirs = [str(FONTS_DIR), *extra_dirs]
    cache = _cache_dir()
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>"]
    if include_system_config:
        system = os.environ.get("DRIVERKIT_SYSTEM_FONTCONFIG", "/etc/fonts/fonts.conf")
        lines.append(f'  <include ignore_missing="yes">{_xml(system)}</include>')
    else:
        lines += [f"  <dir>{_xml(os.path.expanduser(d))}</dir>" for d in SYSTEM_FONT_DIRS if os.path.isdir(os.path.expanduser(d))]
    lines += [f"  <dir>{_xml(d)}</dir>" for d in dirs]
    lines += [f"  <cachedir>{_xml(str(cache / 'fontconfig'))}</cachedir>"]
    for generic in ("sans-serif", "serif", "monospace"):
        lines.append(f"  <alias><family>{generic}</family><prefer><family>DejaVu Sans</family></prefer></alias>")
    lines.append("</fontconfig>")
    text = "\n".join(lines) + "\n"
    path = cache / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:12]}.conf"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)
    return path


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for candidate in (Path(base) / "driverkit", Path(tempfile.gettempdir()) / f"driverkit-{os.getuid() if hasattr(os, 'getuid') else 'user'}"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            return candidate
        except OSError:
            continue
    raise RenderError("no folder to keep driverkit's font configuration in (set XDG_CACHE_HOME)")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Backend:
    name = ""

    def render(self, source: str, fmt: str, font_dirs: Sequence[str] = (), dpi: int = PNG_DPI) -> bytes:
        data = self._render(source, fmt, tuple(font_dirs), dpi)
        return tidy(data, fmt)

    def _render(self, source: str, fmt: str, font_dirs: tuple[str, ...], dpi: int) -> bytes:  # pragma: no cover
        raise NotImplementedError


class SystemBackend(Backend):
    """Graphviz's own `dot` program, found on PATH (or given by DRIVERKIT_DOT)."""

    name = "system"

    def __init__(self, program: str):
        self.program = program

    def _render(self, source: str, fmt: str, font_dirs: tuple[str, ...], dpi: int) -> bytes:
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(font_dirs)))
        command = [self.program, f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if fmt == "png" else [])
        try:
            done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, env=env, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RenderError(f"could not run {self.program}: {exc}") from None
        if done.returncode != 0 or not done.stdout:
            raise RenderError(_graphviz_complaint(done.stderr, fmt, self.program))
        return done.stdout


class EmbeddedBackend(Backend):
    """The Graphviz library inside the pygraphviz wheel, run in this process.

    Fontconfig reads its configuration once per process, so the first render fixes the font
    folders; a later render that needs another folder (a project's own font file) runs in a
    fresh process instead.
    """

    name = "embedded"
    _configured: Optional[tuple[str, ...]] = None

    def _render(self, source: str, fmt: str, font_dirs: tuple[str, ...], dpi: int) -> bytes:
        if EmbeddedBackend._configured is None:
            os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(font_dirs, include_system_config=False))
            EmbeddedBackend._configured = font_dirs
        elif EmbeddedBackend._configured != font_dirs:
            return _render_in_child(source, fmt, font_dirs, dpi)
        return draw_embedded(source, fmt, dpi)


def draw_embedded(source: str, fmt: str, dpi: int = PNG_DPI) -> bytes:
    try:
        import pygraphviz
    except ImportError:
        raise RenderError("the embedded Graphviz (pygraphviz) is not installed: `pip install pygraphviz`, "
                          "or install Graphviz itself (e.g. `apt-get install graphviz`)") from None
    try:
        with _without_fontconfig_warnings():
            graph = pygraphviz.AGraph(string=source)
            return graph.draw(format=fmt, prog="dot", args=f"-Gdpi={dpi}" if fmt == "png" else "")
    except Exception as exc:  # pygraphviz reports Graphviz failures with several exception types
        raise RenderError(f"Graphviz could not draw the diagram as {fmt}: {exc}") from None


@contextlib.contextmanager
def _without_fontconfig_warnings() -> Iterator[None]:
    """The fontconfig inside the pygraphviz wheel is older than most systems' configuration and
    warns about it on standard error, directly from C, on every render. Those lines are dropped;
    anything else written there is passed on."""
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to guard
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if not line.startswith("Fontconfig warning")]
            if kept:
                sys.stderr.write("".join(kept))


def _render_in_child(source: str, fmt: str, font_dirs: tuple[str, ...], dpi: int) -> bytes:
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(font_dirs, include_system_config=False)))
    code = ("import sys; from driverkit.engine import draw_embedded; "
            "sys.stdout.buffer.write(draw_embedded(sys.stdin.read(), sys.argv[1], int(sys.argv[2])))")
    done = subprocess.run([sys.executable, "-c", code, fmt, str(dpi)], input=source.encode("utf-8"), capture_output=True, env=env, timeout=TIMEOUT)
    if done.returncode != 0:
        raise RenderError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1] if done.stderr else "Graphviz failed")
    return done.stdout


def find_backend(choice: str = "auto") -> Backend:
    """The Graphviz to use: `system`, `embedded`, or `auto` (system when present, else embedded)."""
    if choice not in BACKENDS:
        raise RenderError(f"unknown backend {choice!r}: use {', '.join(BACKENDS)}")
    program = os.environ.get("DRIVERKIT_DOT") or shutil.which("dot")
    if choice == "system" or (choice == "auto" and program):
        if not program:
            raise RenderError("no system Graphviz: `dot` is not on PATH (install Graphviz, or use --backend embedded)")
        return SystemBackend(program)
    return EmbeddedBackend()


def _graphviz_complaint(stderr: bytes, fmt: str, program: str) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    if "not recognized" in text or "Format:" in text:
        return (f"this Graphviz ({program}) cannot write {fmt}: it was built without that output "
                f"(install the full Graphviz package, or use --backend embedded)")
    lines = [line for line in text.splitlines() if "Fontconfig" not in line]
    return "Graphviz failed: " + (lines[-1] if lines else "no output")


_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*")
_GENERATOR = re.compile(rb"<!-- Generated by graphviz[^>]*-->\s*")
_CREATION = re.compile(rb"/CreationDate \(D:(\d+)")


def tidy(data: bytes, fmt: str) -> bytes:
    """Make an output self-contained and deterministic."""
    if fmt == "svg":
        data = _DOCTYPE.sub(b"", data, count=1)
        data = _GENERATOR.sub(b"", data, count=1)
        data = data.replace(b'font-family="DejaVu Sans"', b'font-family="DejaVu Sans,Verdana,sans-serif"')
    elif fmt == "pdf":
        data = _CREATION.sub(lambda m: b"/CreationDate (D:" + b"0" * len(m.group(1)), data)
    return data
