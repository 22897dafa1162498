"""Running Graphviz: the system `dot` when there is one, otherwise the one inside pygraphviz's wheel.

Either way Graphviz finds its fonts through a small fontconfig file that driverkit writes: the
system's own configuration first (so missing glyphs such as emoji still come from system fonts),
then driverkit's fonts folder, with DejaVu Sans preferred for "sans-serif". The boxes are then
sized with the font the labels were wrapped with, on every machine.

Outputs are made deterministic here: the SVG loses its DOCTYPE (an external reference) and the
Graphviz version comment, and the PDF's creation date is zeroed.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import html
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from driverkit.project.diagnostics import DriverkitError
from driverkit.project.files import write_atomic
from driverkit.output.textwidth import FONTS_DIR

IMAGE_FORMATS = ("svg", "png", "pdf")
BACKENDS = ("auto", "system", "embedded")
PNG_DPI = 144
PNG_MAX_PIXELS = 32_000  # cairo cannot draw a bitmap wider or taller than 32,767 pixels
TIMEOUT = 600  # seconds for one layout
# Graphviz cannot write an output of 2 GB or more (it ends with no output at all), so a diagram
# whose output would come near that is refused before drawing. The estimate is generous: the
# source, plus room for the drawing of each node and edge.
MAX_OUTPUT_BYTES = 1 << 30
BYTES_PER_STATEMENT = 1000


class RenderError(DriverkitError, RuntimeError):
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


def fontconfig_file(extra_dirs: Sequence[str] = (), include_system_config: bool = True, folder: Optional[Path] = None) -> Path:
    """A fontconfig file that adds driverkit's fonts (and `extra_dirs`) to the system's fonts.

    It is kept in driverkit's cache folder, or written into `folder` (with a font cache of its
    own, listed first, so that caches of the fonts there go when the folder goes)."""
    dirs = [str(FONTS_DIR), *extra_dirs]
    cache = _cache_dir()
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>"]
    if folder is not None:
        lines.append(f"  <cachedir>{_xml(str(folder / 'fontconfig'))}</cachedir>")
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
    if folder is not None:
        path = folder / "fonts.conf"
    else:
        path = cache / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:12]}.conf"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)
    return path


@contextlib.contextmanager
def _fontconfig(font_dirs: Sequence[str], include_system_config: bool = True) -> Iterator[Path]:
    """The fontconfig file for a render: the cached one for driverkit's own fonts, or, with a
    project's font folder, one in a private temporary folder removed afterwards."""
    if not font_dirs:
        yield fontconfig_file((), include_system_config)
        return
    folder = Path(tempfile.mkdtemp(prefix="driverkit-fc-"))
    try:
        yield fontconfig_file(font_dirs, include_system_config, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_private_cache: Optional[Path] = None


def _cache_dir() -> Path:
    """driverkit's cache folder: in the user's cache, else a per-user folder in the temporary
    directory. A folder that is a symbolic link, not ours, or writable by others is not used;
    then this process keeps a private temporary folder instead, removed when it ends."""
    global _private_cache
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    user = os.getuid() if hasattr(os, "getuid") else "user"
    for candidate, shared in ((Path(base) / "driverkit", False), (Path(tempfile.gettempdir()) / f"driverkit-{user}", True)):
        try:
            if shared:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(candidate, 0o700)
            else:
                candidate.mkdir(parents=True, exist_ok=True)
            if _is_own_folder(candidate, shared):
                return candidate
        except OSError:
            continue
    if _private_cache is None or not _private_cache.is_dir():
        import atexit

        _private_cache = Path(tempfile.mkdtemp(prefix="driverkit-cache-"))
        atexit.register(shutil.rmtree, _private_cache, True)
    return _private_cache


def _is_own_folder(path: Path, private: bool) -> bool:
    """Whether `path` is a real folder (not a symbolic link) owned by this user and writable by
    no one else; a `private` one is also made unreadable by others (mode 0700)."""
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not hasattr(os, "getuid"):  # Windows: no owners or modes to check
        return True
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        return False
    if private and info.st_mode & 0o077:
        os.chmod(path, 0o700)
    return True


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Backend:
    name = ""

    def render(self, source: str, fmt: str, font_dirs: Sequence[str] = (), dpi: int = PNG_DPI) -> bytes:
        estimate = len(source.encode("utf-8")) + BYTES_PER_STATEMENT * source.count("\n")
        if estimate > MAX_OUTPUT_BYTES:
            raise RenderError(f"this diagram is too large for Graphviz to draw (about {estimate // 2**20:,} MB of output; "
                              f"the limit is {MAX_OUTPUT_BYTES // 2**20:,} MB): draw part of it (--primary, --status, "
                              "--tag) or shorten its descriptions and evidence")
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
        if fmt == "svg" and not font_dirs:
            drawn = _DotServer.get(self.program).draw(source)
            if drawn is not None:
                return drawn
            # dot drew nothing for this diagram: it is drawn again alone below, to hear why
        command = [self.program, f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if fmt == "png" else [])
        with _fontconfig(font_dirs) as config:
            env = dict(os.environ, FONTCONFIG_FILE=str(config))
            try:
                done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, env=env, timeout=TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise RenderError(f"could not run {self.program}: {exc}") from None
        if done.returncode != 0 or not done.stdout:
            raise RenderError(_graphviz_complaint(done.stderr, fmt, self.program))
        return done.stdout


_LATER_PAGE = re.compile(rb'<g id="page\d+,\d+_graph0" class="graph"')


class _DotServer:
    """One `dot -Tsvg` process that draws diagram after diagram, for the SVGs of one process.

    Starting `dot` costs about as much as drawing a diagram of 100 boxes, so a batch of files hands
    them all to one `dot`, which reads graph after graph from its input and writes each drawing as
    soon as it is read. After each diagram a tiny end graph is sent: its drawing marks where the
    diagram's ends, and tells a diagram dot could not draw (nothing before the end graph's drawing)
    from one still being drawn. The output is the same as a `dot` of its own would give.
    """

    END_NAME = b"driverkit_end_of_diagram"
    _servers: dict[tuple[str, str], "_DotServer"] = {}
    _lock = threading.Lock()
    _closing_registered = 0  # the process that registered the closing of its dots

    def __init__(self, program: str, config: Path):
        self.pid = os.getpid()  # a forked child must not share its parent's dot
        self.timed_out = False
        env = dict(os.environ, FONTCONFIG_FILE=str(config))
        self.process = subprocess.Popen([program, "-Tsvg"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env)

    @classmethod
    def get(cls, program: str) -> "_DotServer":
        key = (program, str(fontconfig_file(())))
        server = cls._servers.get(key)
        if server is None or server.pid != os.getpid() or server.process.poll() is not None:
            if server is not None and server.pid == os.getpid():
                server.close()
            server = cls._servers[key] = cls(program, Path(key[1]))
            if cls._closing_registered != os.getpid():
                # A worker of a process pool ends without running atexit: multiprocessing's own
                # finalisers close its dot, so that dot is waited for (and its time counted) there.
                from multiprocessing import util

                atexit.register(cls.close_all)
                util.Finalize(None, cls.close_all, exitpriority=10)
                cls._closing_registered = os.getpid()
        return server

    @classmethod
    def close_all(cls) -> None:
        for server in cls._servers.values():
            if server.pid == os.getpid():
                server.close()
        cls._servers.clear()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()  # type: ignore[union-attr]
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
            return
        self.process.kill()
        self.process.wait()

    def draw(self, source: str) -> Optional[bytes]:
        """The SVG of `source`, or None when dot drew nothing for it (then this dot is closed)."""
        with self._lock:
            stdin, stdout = self.process.stdin, self.process.stdout
            assert stdin is not None and stdout is not None
            timer = threading.Timer(TIMEOUT, self._stop)
            timer.start()
            data, start = b"", -1
            try:
                stdin.write(source.encode("utf-8") + b"\ndigraph " + self.END_NAME + b" {}\n")
                stdin.flush()
                while True:
                    if data.endswith(b"</svg>\n"):
                        start = data.rfind(b"<?xml")
                        if start >= 0 and self.END_NAME in data[start:]:
                            break
                    chunk = stdout.read1(1 << 16)  # type: ignore[attr-defined]
                    if not chunk:  # dot ended: it could not read a diagram
                        break
                    data += chunk
            except OSError:
                data = b""
            finally:
                timer.cancel()
            if self.timed_out:
                raise RenderError(f"Graphviz took more than {TIMEOUT} seconds to draw the diagram")
            drawn = data[:start] if data.endswith(b"</svg>\n") and start >= 0 else b""
            if not drawn.endswith(b"</svg>\n"):
                self.close()
                return None
            # Graphviz 2.x keeps the page count of the previous graph and names the drawing's group
            # "page0,1_graph0" from the second graph on; a dot of its own names it "graph0".
            return _LATER_PAGE.sub(b'<g id="graph0" class="graph"', drawn, count=1)

    def _stop(self) -> None:
        self.timed_out = True
        self.process.kill()


class EmbeddedBackend(Backend):
    """The Graphviz library inside the pygraphviz wheel, run in this process.

    Fontconfig reads its configuration once per process, so this process draws with driverkit's
    own fonts only; a render that needs a project's own font file runs in a fresh process.
    """

    name = "embedded"
    _configured = False

    def _render(self, source: str, fmt: str, font_dirs: tuple[str, ...], dpi: int) -> bytes:
        if font_dirs:
            return _render_in_child(source, fmt, font_dirs, dpi)
        if not EmbeddedBackend._configured:
            os.environ["FONTCONFIG_FILE"] = str(fontconfig_file((), include_system_config=False))
            EmbeddedBackend._configured = True
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
            drawn = graph.draw(format=fmt, prog="dot", args=f"-Gdpi={dpi}" if fmt == "png" else "")
            if fmt == "pdf" and "URL=" in source:
                drawn = _with_embedded_links(drawn, source, pygraphviz)
            return drawn
    except Exception as exc:  # pygraphviz reports Graphviz failures with several exception types
        raise RenderError(f"Graphviz could not draw the diagram as {fmt}: {exc}") from None


def _with_embedded_links(pdf: bytes, source: str, pygraphviz: Any) -> bytes:
    """The embedded Graphviz's PDF with its boxes' links (see driverkit.output.pdf_links), placed
    from a layout of the same DOT (the same on every run)."""
    from driverkit.output.pdf_links import links_of_layout, with_links

    graph = pygraphviz.AGraph(string=source)
    graph.layout(prog="dot")
    # The DOT holds each URL escaped for SVG (`&amp;`); the PDF holds the URL itself.
    nodes = [(html.unescape(node.attr.get("URL") or ""), node.attr["pos"], node.attr["width"], node.attr["height"])
             for node in graph.nodes() if node.attr.get("URL")]
    bounds = [float(v) for v in graph.graph_attr["bb"].split(",")]
    return with_links(pdf, links_of_layout(nodes), (bounds[2] - bounds[0], bounds[3] - bounds[1]))


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
    code = ("import sys; from driverkit.output.engine import draw_embedded; "
            "sys.stdout.buffer.write(draw_embedded(sys.stdin.read(), sys.argv[1], int(sys.argv[2])))")
    with _fontconfig(font_dirs, include_system_config=False) as config:
        env = dict(os.environ, FONTCONFIG_FILE=str(config))
        try:
            done = subprocess.run([sys.executable, "-c", code, fmt, str(dpi)], input=source.encode("utf-8"),
                                  capture_output=True, env=env, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RenderError(f"could not run the embedded Graphviz: {exc}") from None
    if done.returncode != 0 or not done.stdout:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(lines[-1] if lines else "Graphviz failed: no output")
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
