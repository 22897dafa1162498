"""The files of `driverkit programme -o DIR`: the programme map, the report, and for each shared
measure the programme's own chart, the members' small multiples and the funnel plot."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from driverkit.project.files import write_atomic
from driverkit.programme.analysis import Programme

PICTURE_FORMATS = ("svg", "png")  # the map and every chart
MAP_ONLY_FORMATS = ("pdf", "dot")
REPORT_FORMATS = ("html", "md")


def write_programme_files(programme: Programme, folder: str | Path, formats: Iterable[str], backend: str = "auto") -> list[Path]:
    """Write every picture and page of the programme in the formats asked; returns the paths
    written. The HTML report holds its pictures; the Markdown one links to the SVG (or PNG) files
    written beside it."""
    from driverkit.output.programme_map import programme_map
    from driverkit.output.programme_report import picture_files, programme_pictures, programme_report

    folder = Path(folder)
    stem = Path(programme.file).stem
    wanted = list(dict.fromkeys(formats))
    written: list[Path] = []
    drawn: dict[str, dict[str, bytes]] = {}

    def write(name: str, data: str | bytes) -> None:
        target = folder / name
        write_atomic(target, data)
        written.append(target)

    for fmt in wanted:
        if fmt in PICTURE_FORMATS:
            drawn[fmt] = programme_pictures(programme, backend, fmt)
            names = picture_files(programme, fmt)
            for key, data in drawn[fmt].items():
                write(names[key], data)
        elif fmt in MAP_ONLY_FORMATS:
            write(f"{stem}-map.{fmt}", programme_map(programme, fmt, backend))
    if "html" in wanted:
        pictures = drawn.get("svg") or programme_pictures(programme, backend, "svg")
        write(f"{stem}-report.html", programme_report(programme, "html", pictures=pictures))
    if "md" in wanted:
        beside = next((fmt for fmt in PICTURE_FORMATS if fmt in drawn), None)
        pictures = {key: name for key, name in picture_files(programme, beside).items() if key in drawn[beside]} if beside else {}
        write(f"{stem}-report.md", programme_report(programme, "md", pictures=pictures))
    return written
