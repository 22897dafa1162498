"""Files on disk: reading the ones a project names within bounds, writing outputs atomically.

A project file, and every file it names (data, fonts), comes from whoever wrote it; driverkit runs
in CI on pull requests from anyone. So a file is read only when it is a regular file (never a
folder, a pipe or a device, which could hang or never end), only up to a size cap, and, for files
a project names, only inside the project's boundary: the git working tree that holds the project
file, or the project file's own folder outside a repository, plus any place the user allowed.
Error messages name the file and say why; they never quote what the file holds.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from driverkit.project.diagnostics import DriverkitError

MAX_BYTES = 32 * 1024 * 1024


class FileRefused(DriverkitError):
    """A file that cannot be read; `reason` is safe to print (it names, never quotes)."""

    def __init__(self, reason: str, hint: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def read_regular(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `max_bytes` of them (one more tells that it is over).

    Opened without blocking, so a FIFO cannot hang the read; checked on the open descriptor, so
    what is read is what was checked.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused("no such file", "Check the path and the file name.") from None
    except IsADirectoryError:
        raise FileRefused("this is a folder, not a file", "Name a file.") from None
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}", "Check the path and its permissions.") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused("this is a folder, not a file", "Name a file.")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("this is not a regular file (a device, a pipe or a socket)", "Name an ordinary file.")
        if info.st_size > max_bytes:
            raise FileRefused(f"the file is over the size limit of {max_bytes:,} bytes", "Split it into smaller files.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, left = [], max_bytes + 1
        while left > 0:  # never read more than the limit, whatever stat() said
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}", "Check the path and its permissions.") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise FileRefused(f"the file is over the size limit of {max_bytes:,} bytes", "Split it into smaller files.")
    return data


def project_boundary(project_file: str | Path | None) -> Path:
    """The folder a project's named files must stay in: the git working tree that holds the project
    file, else the file's own folder (the working folder for a project read from text)."""
    folder = Path.cwd() if not project_file or str(project_file).startswith("<") else Path(project_file).parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _shown(folder: Path) -> Path:
    """A folder as a hint names it: relative to the working folder when inside it."""
    try:
        return folder.relative_to(Path.cwd())
    except ValueError:
        return folder


def resolve_named(name: str, project_file: str | Path | None, allowed: Iterable[str | Path] = (),
                  what: str = "file") -> Path:
    """Where a file named in a project (`data_file:`, `font_file:`) is, if it may be read.

    Relative names are relative to the project file. The resolved place (symlinks followed) must lie
    inside the project's boundary or inside one of the `allowed` folders (or be an allowed file).
    """
    base = Path.cwd() if not project_file or str(project_file).startswith("<") else Path(project_file).parent
    path = Path(name).expanduser()
    if not path.is_absolute():
        path = base / path
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise FileRefused(f"the {what} {name} cannot be resolved (a loop of symbolic links?)", "Name the file itself.") from None
    boundary = project_boundary(project_file)
    places = [boundary, *(Path(p).expanduser().resolve() for p in allowed)]
    if not any(resolved == place or resolved.is_relative_to(place) for place in places):
        raise FileRefused(
            f"the {what} {name} is outside the project's folder {boundary}",
            "Files a project names must stay inside the repository (or folder) that holds the project file. "
            f"If this place is meant, allow it: `--allow-path {_shown(resolved.parent)}` on the command line, "
            f"`allow=[{str(_shown(resolved.parent))!r}]` in Python.")
    return resolved


def read_named(name: str, project_file: str | Path | None, allowed: Iterable[str | Path] = (),
               what: str = "file", max_bytes: int = MAX_BYTES) -> tuple[Path, bytes]:
    """The place and bytes of a file a project names, read within the rules above; FileRefused
    (whose reason starts with the file's name) when it may not or cannot be read."""
    path = resolve_named(name, project_file, allowed, what)
    try:
        return path, read_regular(path, max_bytes)
    except FileRefused as exc:
        raise FileRefused(f"the {what} {name}: {exc.reason}", exc.hint) from None


def write_atomic(path: str | Path, data: str | bytes, keep_mode: bool = False) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    Only a regular file (or nothing) is replaced: an output named like `/dev/null`, a pipe or a
    folder is refused with OSError, so running as root never clobbers a device. The file written
    may be read by all the umask allows, unless `keep_mode` keeps the permissions of the file it
    replaces (an input file edited in place).
    """
    target = Path(path)
    try:
        existing = os.lstat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        kind = "a folder" if stat.S_ISDIR(existing.st_mode) else "a symbolic link" if stat.S_ISLNK(existing.st_mode) else "not a regular file"
        raise OSError(f"{target} is {kind}; driverkit replaces only regular files")
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(existing.st_mode) if keep_mode and existing is not None else 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def resource_dir(name: str) -> Path:
    """A folder shipped with driverkit (`templates`, `schemas`): inside the installed package, or at
    the top of a source checkout."""
    package = Path(__file__).parent.parent  # driverkit/, this module being driverkit/project/files.py
    inside = package / name
    if inside.is_dir():
        return inside
    return package.parent / name


# A project file starts a `driverkit:` document: the key at the start of a line.
_PROJECT_START = re.compile(rb"^driverkit\s*:", re.MULTILINE)


def is_project_file(path: str | Path) -> bool:
    """A regular file with a top-level `driverkit:` key in its first 4 KiB. Opened without
    blocking and checked on the open descriptor, so a pipe or a device is never waited on or read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and bool(_PROJECT_START.search(os.read(fd, 4096)))
    except OSError:
        return False
    finally:
        os.close(fd)


def project_files_in(folder: str | Path) -> list[Path]:
    """The project files in a folder and below it (`*.yaml`, `*.yml`), in name order; other YAML,
    such as CI configuration, is left out."""
    return sorted(p for p in Path(folder).rglob("*") if p.suffix in (".yaml", ".yml") and is_project_file(p))
