"""Small multiples of a shared measure: one run chart per member that reports it comparably, all on
the same scales, with the programme's own series (the members' numerators and denominators summed)
as the first panel.

The panels share one time axis (every period of every member, in date order), so members that
joined in a later wave start further right, and one value axis, so a member's level reads against
the others'. Each panel shows its median (a run chart's centre line) and, dotted, the median of the
programme's series. A member outside the widest limits of the comparison's funnel plot has its
title in red. The charts follow `driverkit.spc.charts`: the same fonts and colours, user text drawn
as written (never as TeX), SVG byte-identical from run to run.
"""

from __future__ import annotations

import statistics
from typing import Any, Optional

from driverkit.programme.analysis import Comparison
from driverkit.spc.charts import COLOURS, FORMATS, _style, figure_bytes
from driverkit.spc.series import period_date

MOST_PANELS = 36  # member panels drawn; the rest are named in a note (the funnel plot has them all)
TITLE_CHARACTERS = 34


def small_multiples(comparison: Comparison, fmt: str = "svg", most: int = MOST_PANELS) -> bytes:
    """The small multiples of one shared measure as SVG or PNG bytes: the programme's summed series
    first, then the first `most` comparable members in name order."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if fmt not in FORMATS:
        raise ValueError(f"a chart is written as {' or '.join(FORMATS)}, not {fmt!r}")
    measure = comparison.shared.measure
    scale = _scale(measure.unit)
    uses = sorted(comparison.shared.comparable, key=lambda use: use.member)
    shown = uses[:most]
    panels: list[tuple[str, list[tuple[str, float]], bool]] = [
        (f"Programme ({len(uses)} member{'s' if len(uses) != 1 else ''} summed)",
         [(t.period, t.numerator / t.denominator * scale) for t in comparison.series if t.denominator > 0], False)]
    outliers = set(comparison.funnel.outliers) if comparison.funnel is not None else set()
    for use in shown:
        points = [(p.period, p.value) for p in use.series.points]
        panels.append((use.member, points, use.member in outliers))
    axis = _time_axis([points for _, points, _ in panels])
    values = [v for _, points, _ in panels for _, v in points]
    programme_median = statistics.median([v for _, v in panels[0][1]]) if panels[0][1] else None

    columns = 4 if len(panels) <= 16 else 6
    rows = -(-len(panels) // columns)
    notes = _notes(comparison, uses, shown, outliers)
    with _style():
        figure = Figure(figsize=(2.6 * columns, 1.75 * rows + 0.9 + 0.16 * len(notes)), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        grid = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        unit = f" ({measure.unit})" if measure.unit else ""
        first, last = (axis[0], axis[-1]) if axis else ("", "")
        figure.suptitle(f"{measure.id}  {measure.name}{unit}\nRun charts by member, same scales, {first} to {last}",
                        x=0.01, ha="left", fontsize=10)
        for index, ax in enumerate(grid.flat):
            if index >= len(panels):
                ax.set_visible(False)
                continue
            title, points, outlier = panels[index]
            _panel(ax, title, points, axis, outlier, index == 0, programme_median)
        if values:
            low, high = min(values), max(values)
            margin = 0.08 * (high - low or abs(high) or 1.0)
            grid.flat[0].set_ylim(max(0.0, low - margin) if low >= 0 else low - margin, high + margin)
        if axis:
            ticks = sorted({0, len(axis) // 2, len(axis) - 1})
            grid.flat[0].set_xticks(ticks, [axis[i] for i in ticks])
            grid.flat[0].set_xlim(-0.8, len(axis) - 0.2)
        for index, ax in enumerate(grid.flat):
            ax.tick_params(labelsize=6.5)
            if index < len(panels) and index + columns >= len(panels):  # no panel under it: it shows the periods
                ax.tick_params(labelbottom=True)
        if notes:
            figure.supxlabel("\n".join(notes), x=0.01, ha="left", fontsize=7.5, color=COLOURS["note"])
        return figure_bytes(figure, fmt)


def _scale(unit: Optional[str]) -> float:
    """100 for a percentage, as `Series.scale` reads a measure's unit."""
    text = (unit or "").strip().lower()
    return 100.0 if text.startswith("%") or text.startswith("per cent") or text == "percent" else 1.0


def _time_axis(series: list[list[tuple[str, float]]]) -> list[str]:
    """Every period of every panel: those that are dates in date order (one period a date, as first
    written), then labels in the order first seen."""
    dated: dict[Any, str] = {}
    labels: list[str] = []
    for points in series:
        for period, _ in points:
            when = period_date(period)
            if when is not None:
                dated.setdefault(when, period)
            elif period not in labels:
                labels.append(period)
    return [dated[when] for when in sorted(dated)] + labels


def _place(period: str, axis: list[str], index: dict[str, int], dates: dict[Any, int]) -> Optional[int]:
    if period in index:
        return index[period]
    when = period_date(period)
    return dates.get(when) if when is not None else None


def _panel(ax: Any, title: str, points: list[tuple[str, float]], axis: list[str], outlier: bool, programme: bool,
           programme_median: Optional[float]) -> None:
    index = {period: i for i, period in enumerate(axis)}
    dates = {period_date(period): i for i, period in enumerate(axis) if period_date(period) is not None}
    placed = [(x, v) for x, v in ((_place(p, axis, index, dates), v) for p, v in points) if x is not None]
    shown = title if len(title) <= TITLE_CHARACTERS else "…" + title[-(TITLE_CHARACTERS - 1):]  # the file name is the end
    if outlier:
        shown += "\noutside the funnel's limits"
    ax.set_title(shown, loc="left", fontsize=7.5, color=COLOURS["signal"] if outlier else COLOURS["centre"],
                 fontweight="bold" if outlier or programme else "normal")
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.5)
    ax.set_axisbelow(True)
    if programme:
        ax.set_facecolor("#f5f8fc")
    if not placed:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, fontsize=7, color=COLOURS["note"])
        return
    xs = [x for x, _ in placed]
    ys = [v for _, v in placed]
    ax.plot(xs, ys, color=COLOURS["data"], linewidth=0.9, zorder=2)
    ax.scatter(xs, ys, s=5, color=COLOURS["data"], zorder=3)
    median = statistics.median(ys)
    ax.plot([xs[0] - 0.4, xs[-1] + 0.4], [median, median], color=COLOURS["centre"], linewidth=1.1, zorder=1)
    if programme_median is not None and not programme:
        ax.axhline(programme_median, color=COLOURS["limit"], linewidth=0.9, linestyle=":", zorder=1)


def _notes(comparison: Comparison, uses: list[Any], shown: list[Any], outliers: set[str]) -> list[str]:
    notes = ["Solid line: each panel's median; dotted: the programme's median."]
    if outliers:
        first, last = comparison.window
        notes.append(f"Red title: outside the widest limits of the funnel plot of {first} to {last}.")
    if len(shown) < len(uses):
        notes.append(f"{len(shown)} of the {len(uses)} members shown (the first in name order); the funnel plot has them all.")
    redefined = [use for use in comparison.shared.uses if not use.comparable]
    if redefined:
        names = ", ".join(f"{use.member} ({', '.join(use.redefined)})" for use in redefined[:4])
        more = f" and {len(redefined) - 4} more" if len(redefined) > 4 else ""
        notes.append(f"Not shown, their definition is their own: {names}{more}.")
    return notes


__all__ = ["MOST_PANELS", "small_multiples"]
