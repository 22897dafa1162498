"""The live preview: project files watched, views drawn on demand, a page told of each change.

The page is served on 127.0.0.1 only, answers only requests addressed to that host or to
`localhost` (so a web page elsewhere cannot reach it through a name that points here), and loads
nothing from outside. It hears of changes through server-sent events: on each save of the project
file, or of a data file or other project file it names, the project is read and checked again and
the page fetches its new content. A save that breaks the file keeps the last good pictures and puts
the errors above them.

File events come from `watchfiles`, which watches the folders of those files and reports a save
within a few tens of milliseconds on every platform.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Optional
from urllib.parse import parse_qs, quote, urlsplit

from driverkit.programme.checking import check
from driverkit.output.escape import html
from driverkit.output.rendering import render
from driverkit.project.diagnostics import Diagnostic, ProjectError, Severity
from driverkit.project.files import FileRefused, project_files_in
from driverkit.project.loader import load
from driverkit.project.model import Project
from driverkit.project.references import split

HOST = "127.0.0.1"
# The views the page offers, in the order of its tabs: name, format shown, tab label.
TABS = (
    ("driver-diagram", "svg", "Driver diagram"),
    ("matrix", "svg", "Link matrix"),
    ("logic-model", "svg", "Logic model"),
    ("measurement-plan", "html", "Measurement plan"),
    ("pdsa", "html", "PDSA log"),
    ("spread", "html", "Spread plan"),
)
_SVG_START = re.compile(rb"<svg\b")
_HERE = ' class="here"'  # the tab or project shown
_MOST_FILES = 500  # a watched folder shows at most this many projects


@dataclass
class _State:
    """One project file as last read: the last good project, and what the last save gave."""

    path: Path
    project: Optional[Project] = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failure: str = ""  # why the file could not be read at all (gone, refused), if so
    broken: bool = False  # the last save could not be loaded: the pictures are of an earlier one
    views: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # drawn on demand with their type, dropped on change
    watched: set[Path] = field(default_factory=set)  # the files whose save redraws it


class Preview:
    """The state behind the page: the projects under preview, redrawn when their files change.

    `paths` are project files and folders (a folder shows each project file in it, its
    sub-folders included). `backend` and `allow` are those of `render` and `load`.
    """

    def __init__(self, paths: Iterable[str | Path], backend: str = "auto", allow: Iterable[str | Path] = ()):
        self.roots = [Path(p) for p in paths]  # as given: diagnostics name files as the user does
        self.backend = backend
        self.allow = tuple(str(a) for a in allow)
        self.version = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.states: dict[str, _State] = {}
        self._scan()

    # -- reading ------------------------------------------------------------------------------
    def _scan(self) -> None:
        """Find the project files under the roots; keep the states of those already known."""
        found: dict[str, _State] = {}
        for path in _project_files(self.roots):
            name = _display_name(path, self.roots)
            found[name] = self.states.get(name) or self._read(_State(path))
        self.states = found

    def _read(self, state: _State) -> _State:
        state.views.clear()
        state.failure = ""
        try:
            project = load(state.path, allow=self.allow)
        except ProjectError as exc:
            state.diagnostics, state.broken = exc.diagnostics, state.project is not None
            state.watched = {state.path.resolve()}
            return state
        except (OSError, FileRefused) as exc:
            state.diagnostics, state.failure = [], str(exc)
            return state
        state.project, state.broken = project, False
        state.diagnostics = check(project)
        state.watched = {state.path.resolve(), *_named_files(project)}
        return state

    def files(self) -> set[Path]:
        """Every file whose save changes the page."""
        with self._lock:
            return {path for state in self.states.values() for path in state.watched}

    def folders(self) -> set[Path]:
        """The folders to watch: the roots that are folders, and the folder of each watched file."""
        return {root.resolve() for root in self.roots if root.is_dir()} | {path.parent for path in self.files()}

    def changed(self, paths: Iterable[Path]) -> bool:
        """Read again the projects these saved files belong to; True when the page must change."""
        paths = {Path(p).resolve() for p in paths}
        with self._changed:
            touched = [s for s in self.states.values() if s.watched & paths]
            for state in touched:
                self._read(state)
            rescan = any(p.suffix in (".yaml", ".yml") for p in paths) and any(r.is_dir() for r in self.roots)
            before = set(self.states)
            if rescan:
                self._scan()
            if touched or set(self.states) != before:
                self.version += 1
                self._changed.notify_all()
                return True
            return False

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until the version moves past `seen` (or `timeout` seconds); the version now."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return self.version

    def wake(self) -> None:
        """Wake every waiting page stream (when stopping)."""
        with self._changed:
            self._changed.notify_all()

    # -- what the page shows ------------------------------------------------------------------
    def tabs(self, state: _State) -> list[tuple[str, str, str]]:
        """The views this project has: no logic-model tab without a logic model, and so on."""
        project = state.project
        if project is None:
            return []
        has = {"logic-model": project.logic_model is not None, "measurement-plan": bool(project.measures),
               "pdsa": bool(project.pdsa), "spread": project.spread is not None}
        return [tab for tab in TABS if has.get(tab[0], True)]

    def drawn(self, name: str, view: str) -> tuple[bytes, str]:
        """A view of a project, drawn once per version: the bytes and their content type."""
        with self._lock:
            state = self.states.get(name)
            tab = next((t for t in TABS if t[0] == view), None)
            if state is None or state.project is None or tab is None:
                raise KeyError(view)
            if view not in state.views:
                try:
                    drawn = render(state.project, tab[1], view=view, backend=self.backend)
                    state.views[view] = (drawn, "image/svg+xml" if tab[1] == "svg" else "text/html")
                except Exception as exc:  # a view that cannot be drawn says why, in its place
                    state.views[view] = (_message_page(f"The {tab[2].lower()} could not be drawn: {exc}"), "text/html")
            return state.views[view]

    def content(self, name: str, view: str) -> str:
        """The part of the page that changes: the diagnostics and the chosen view."""
        with self._lock:
            state = self.states.get(name)
        if state is None:
            return '<p class="empty">No project file here yet: save one with a <code>driverkit: 1</code> line.</p>'
        parts = [_status(state)]
        tabs = self.tabs(state)
        if tabs:
            view = view if any(t[0] == view for t in tabs) else tabs[0][0]
            parts.append('<nav class="tabs">' + "".join(
                f'<a href="?{_query(name, t[0])}"{_HERE if t[0] == view else ""}>{html(t[2])}</a>' for t in tabs) + "</nav>")
            parts.append(self._view_html(name, view))
        parts.append(_diagnostics(state.diagnostics))
        return "\n".join(parts)

    def _view_html(self, name: str, view: str) -> str:
        format = next(t[1] for t in TABS if t[0] == view)
        if format == "html":  # a whole page of its own, kept apart in a frame with no scripts
            return f'<iframe class="page" sandbox src="/view?{_query(name, view)}" title="{html(view)}"></iframe>'
        data, kind = self.drawn(name, view)
        if kind != "image/svg+xml":
            return f'<iframe class="page" sandbox src="/view?{_query(name, view)}" title="{html(view)}"></iframe>'
        start = _SVG_START.search(data)  # drop the XML prolog and doctype: the SVG goes inline
        return '<div class="picture">' + data[start.start() if start else 0:].decode("utf-8") + "</div>"

    def page(self, name: str, view: str) -> str:
        """The whole page: the list of projects, then the content."""
        with self._lock:
            names = list(self.states)
            version = self.version
        projects = "".join(
            f'<a href="?{_query(n, view)}"{_HERE if n == name else ""}>{html(n)}</a>' for n in names)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html(name or 'driverkit')} - driverkit preview</title>"
            '<link rel="icon" href="data:,"><link rel="stylesheet" href="/preview.css"><script src="/preview.js" defer></script></head>'
            f'<body data-version="{version}"><header><strong>driverkit preview</strong> {html(name)}</header>'
            + (f'<nav class="projects">{projects}</nav>' if len(names) > 1 else "")
            + f'<main id="content">{self.content(name, view)}</main></body></html>\n')

    def first(self) -> str:
        with self._lock:
            return next(iter(self.states), "")


def _project_files(roots: list[Path]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(project_files_in(root))
        else:
            files.append(root)  # named by the user: shown even while it is broken or missing
    return list(dict.fromkeys(files))[:_MOST_FILES]


def _display_name(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if root.is_dir() and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.name


def _named_files(project: Project) -> set[Path]:
    """The data files and the other project files (`use:`, `serves:`) this project names."""
    here = Path(project.file).resolve().parent
    names = [m.data_file for m in project.measures if m.data_file]
    names += [split(r)[0] for r in project.serves]
    names += [split(m.use)[0] for m in project.measures if m.use]
    names += [split(r)[0] for d in project.all_drivers() for r in d.serves]
    return {(here / name).resolve() for name in names if name}


def _query(name: str, view: str) -> str:
    return f"file={quote(name)}&view={quote(view)}"


def _status(state: _State) -> str:
    errors = sum(d.severity == Severity.ERROR for d in state.diagnostics)
    if state.failure:
        return f'<p class="status bad">{html(state.failure)}</p>'
    if state.project is None:
        return f'<p class="status bad">{html(state.path.name)} cannot be loaded yet ({errors} error{"s" * (errors != 1)} below).</p>'
    if state.broken:
        return (f'<p class="status bad">The last save of {html(state.path.name)} has {errors} error{"s" * (errors != 1)}: '
                "the pictures below are from the last version that loaded.</p>")
    return f'<p class="status ok">{html(state.project.title)}: read from {html(state.path.name)}.</p>'


def _diagnostics(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return '<p class="clean">No problems found.</p>'
    items = "".join(
        f'<li class="{d.severity.value}"><code>{html(d.file)}:{d.line}:{d.column}</code> {html(d.severity.value)} '
        f"<b>{html(d.code)}</b> {html(d.message)}" + (f'<div class="hint">{html(d.hint)}</div>' if d.hint else "") + "</li>"
        for d in diagnostics)
    return f'<section class="diagnostics"><h2>Diagnostics</h2><ul>{items}</ul></section>'


def _message_page(text: str) -> bytes:
    return f"<!DOCTYPE html><meta charset=\"utf-8\"><p>{html(text)}</p>\n".encode("utf-8")


_SCRIPT = """\
// Fetch the new content each time the server says a file was saved.
const content = document.getElementById("content");
let version = document.body.dataset.version;
const events = new EventSource("/events");
events.onopen = () => { document.body.dataset.live = "yes"; };
events.onmessage = async (event) => {
  if (event.data === version) return;
  const response = await fetch("/content" + location.search, {cache: "no-store"});
  if (!response.ok) return;
  content.innerHTML = await response.text();
  version = event.data;
  document.body.dataset.version = version;
};
"""

_STYLE = """\
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 0; color: #1f2937; display: grid;
  grid-template-columns: auto 1fr; grid-template-rows: auto 1fr; min-height: 100vh; }
header { grid-column: 1 / 3; background: #1e3a5f; color: white; padding: 0.5em 1em; }
nav.projects { max-width: 18em; max-height: calc(100vh - 3em); overflow-y: auto; padding: 0.5em;
  border-right: 1px solid #cbd5e1; font-size: 90%; }
nav.projects a { display: block; padding: 0.15em 0.4em; color: #1e3a5f; text-decoration: none; overflow-wrap: anywhere; }
main { padding: 0.5em 1em; min-width: 0; grid-column: 2; }
nav.tabs a { display: inline-block; padding: 0.3em 0.8em; border: 1px solid #cbd5e1; border-bottom: none;
  text-decoration: none; color: #1e3a5f; }
a.here { background: #e2e8f0; font-weight: bold; }
.picture { border: 1px solid #cbd5e1; overflow: auto; padding: 0.5em; }
.picture svg { max-width: 100%; height: auto; }
iframe.page { width: 100%; height: 75vh; border: 1px solid #cbd5e1; }
.status.ok { color: #166534; }
.status.bad { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; padding: 0.5em; }
.diagnostics li { margin: 0.2em 0; }
.diagnostics li.error b { color: #b91c1c; }
.diagnostics li.warning b { color: #b45309; }
.hint { color: #4b5563; font-size: 90%; margin-left: 1em; }
"""

# Nothing on the page comes from elsewhere; scripts only from this server; HTML views framed
# without scripts. Inline styles are allowed for the SVG pictures' own attributes.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; frame-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _handler(preview: Preview, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "driverkit-preview"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows saves
            pass

        def do_GET(self) -> None:  # noqa: N802 (the name http.server asks for)
            if not self._host_allowed():
                self._send(403, b"this preview answers on 127.0.0.1 and localhost only\n", "text/plain")
                return
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            name = query.get("file") or preview.first()
            view = query.get("view", "driver-diagram")
            if url.path == "/":
                self._send(200, preview.page(name, view).encode("utf-8"), "text/html; charset=utf-8")
            elif url.path == "/content":
                self._send(200, preview.content(name, view).encode("utf-8"), "text/html; charset=utf-8")
            elif url.path == "/view":
                try:
                    data, kind = preview.drawn(name, view)
                except KeyError:
                    self._send(404, b"no such view\n", "text/plain")
                    return
                self._send(200, data, kind + ("; charset=utf-8" if kind == "text/html" else ""))
            elif url.path == "/events":
                self._events()
            elif url.path == "/preview.js":
                self._send(200, _SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
            elif url.path == "/preview.css":
                self._send(200, _STYLE.encode("utf-8"), "text/css; charset=utf-8")
            else:
                self._send(404, b"not found\n", "text/plain")

        def _host_allowed(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            return host in (HOST, "localhost")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in _HEADERS.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the page went away mid-answer

        def _events(self) -> None:
            """One event with the version now, then one per change, a comment now and then to keep
            the connection open; ends when the preview stops or the page goes away."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = preview.version
            try:
                self.wfile.write(f"data: {seen}\n\n".encode())
                self.wfile.flush()
                while not stop.is_set():
                    now = preview.wait(seen, timeout=10)
                    self.wfile.write(f"data: {now}\n\n".encode() if now != seen else b": still here\n\n")
                    self.wfile.flush()
                    seen = now
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def watch_files(preview: Preview, stop: threading.Event, on_change: Optional[Callable[[list[str]], None]] = None) -> None:
    """Watch the preview's folders until `stop` is set, reading projects again as files change."""
    from watchfiles import watch

    while not stop.is_set():
        folders = sorted(str(f) for f in preview.folders() if f.is_dir())
        if not folders:
            stop.wait(0.5)  # nothing to watch yet (a folder not made): look again soon
            continue
        for changes in watch(*folders, stop_event=stop, debounce=150, step=50, recursive=True, yield_on_timeout=False):
            paths = [Path(path) for _, path in changes]
            if preview.changed(paths) and on_change is not None:
                on_change(sorted({p.name for p in paths}))
            if set(str(f) for f in preview.folders() if f.is_dir()) != set(folders):
                break  # the project names other files now: watch their folders too


def serve(paths: Iterable[str | Path], port: int = 8000, *, backend: str = "auto", allow: Iterable[str | Path] = (),
          ready: Optional[Callable[[str], None]] = None, on_change: Optional[Callable[[list[str]], None]] = None,
          stop: Optional[threading.Event] = None) -> None:
    """Serve a live preview of the projects at `paths` on http://127.0.0.1:`port`/ until `stop` is
    set or Ctrl-C. `ready` is called with the page's address once it answers (port 0 picks a free
    port); `on_change` with the names of the files whose save changed the page."""
    preview = Preview(paths, backend=backend, allow=allow)
    stop = stop or threading.Event()
    server = ThreadingHTTPServer((HOST, port), _handler(preview, stop))
    server.daemon_threads = True
    watcher = threading.Thread(target=watch_files, args=(preview, stop, on_change), daemon=True)
    watcher.start()

    def stop_when_asked() -> None:
        stop.wait()
        preview.wake()
        server.shutdown()

    threading.Thread(target=stop_when_asked, daemon=True).start()
    if ready is not None:
        ready(f"http://{HOST}:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.wake()
        server.server_close()
        watcher.join(timeout=2)
