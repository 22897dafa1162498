"""The files of `driverkit programme -o DIR`: the programme map, the report, and for each shared
measure the programme's own chart, the members' small multiples and the funnel plot."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from driverkit.project.files import write_atomic
from driverkit.programme.analysis import Programme
from driverkit.programme.compare import as_measure

MAP_FORMATS = ("svg", "png", "pdf", "dot")
REPORT_FORMATS = ("html", "md")
CHART_FORMATS = ("svg", "png")


def write_programme_files(programme: Programme, folder: str | Path, formats: Iterable[str]) -> list[Path]:
    """Write every picture and page of the programme in the formats asked; returns the paths written."""
    from driverkit.output.funnel_chart import funnel_chart
    from driverkit.output.programme_map import programme_map
    from driverkit.output.programme_report import programme_report
    from driverkit.output.small_multiples import small_multiples
    from driverkit.spc.charts import chart

    folder = Path(folder)
    stem = Path(programme.file).stem
    wanted = list(dict.fromkeys(formats))
    written: list[Path] = []

    def write(name: str, data: str | bytes) -> None:
        target = folder / name
        write_atomic(target, data)
        written.append(target)

    for fmt in (f for f in wanted if f in MAP_FORMATS):
        write(f"{stem}-map.{fmt}", programme_map(programme, fmt))
    for comparison in programme.comparisons:
        measure = comparison.shared.measure
        for fmt in (f for f in wanted if f in CHART_FORMATS):
            if comparison.series:
                write(f"{stem}-{measure.id}-programme.{fmt}", chart(programme.project, as_measure(comparison.shared, comparison.series), fmt))
            if comparison.shared.comparable:
                write(f"{stem}-{measure.id}-members.{fmt}", small_multiples(comparison, fmt))
            if comparison.funnel is not None:
                first, last = comparison.window
                write(f"{stem}-{measure.id}-funnel.{fmt}", funnel_chart(
                    comparison.funnel, f"{measure.id} {measure.name}, {first} to {last}", measure.unit or "",
                    measure.denominator or "denominator", format=fmt))
    for fmt in (f for f in wanted if f in REPORT_FORMATS):
        write(f"{stem}-report.{fmt}", programme_report(programme, fmt))
    return written
