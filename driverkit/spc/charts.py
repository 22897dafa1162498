"""Run charts and SPC charts of a measure, drawn with matplotlib.

matplotlib draws offline, writes SVG that is byte-identical from run to run once its hash salt and
date are fixed, ships the DejaVu Sans that driverkit's diagrams use, and shows in Jupyter. It is
imported only here, when a chart is drawn.

A chart shows the data (excluded points hollow), the centre line and limits of each phase as their
own segments, the goal, the points a rule flagged (with the rule in the legend), the change ideas
introduced and the PDSA cycles started while the data ran (`driverkit.spc.events` says which), and
notes written on data points. An XmR chart may have its moving ranges drawn under it, and an
xbar-s chart always has its S chart (each subgroup's standard deviation) under the subgroup means,
the limits of both stepping with the subgroup size.
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import Any, Optional

from driverkit.project.model import Measure, Project
from driverkit.spc.analysis import Analysis, analyse, find_measure, icon_words

FORMATS = ("svg", "png")
DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*")
# Characters XML forbids, whoever wrote them (a NUL from a "\0" in a name, say); in UTF-8 these
# bytes never occur inside another character, so they can be removed from the bytes.
XML_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Making Data Count's colours for the variation of a point.
MDC_COLOURS = {"common": "#a6a6a6", "improvement": "#289de0", "concern": "#fab428", "neither": "#361475"}
COLOURS = {"data": "#4b5563", "centre": "#1e3a5f", "limit": "#7d98b8", "goal": "#2f8a55", "signal": "#c2410c",
           "improvement": "#1d6fb8", "concern": "#c2410c", "cycle": "#9a6b00", "change": "#6d28d9",
           "note": "#374151"}


def chart(project: Project, measure: Measure | str, format: str = "svg", analysis: Optional[Analysis] = None) -> bytes:
    """The chart of one measure (itself or its id) as SVG or PNG bytes; `analysis` saves reading
    the data again when it is at hand."""
    from matplotlib.figure import Figure

    if format not in FORMATS:
        raise ValueError(f"a chart is written as {' or '.join(FORMATS)}, not {format!r}")
    measure = find_measure(project, measure)
    analysis = analysis or analyse(project, measure)
    ranges = analysis.chart == "xmr" and measure.chart is not None and measure.chart.moving_range
    spread = analysis.chart == "xbar-s" and bool(analysis.values)
    with _style():
        figure = Figure(figsize=(10, 6.2 if ranges or spread else 4.6), dpi=100, layout="constrained")
        if ranges or spread:
            axes, below = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1) if ranges else (3, 1.5))
            _draw(axes, analysis, ranges=True)
            if ranges:
                _moving_range_panel(axes, below, analysis)
            else:
                _s_panel(axes, below, analysis)
        else:
            _draw(figure.add_subplot(), analysis, ranges=False)
        return figure_bytes(figure, format)


def figure_bytes(figure: Any, format: str) -> bytes:
    """A matplotlib figure as SVG or PNG bytes, the same for the same figure: no date, no DOCTYPE."""
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": "driverkit"} if format == "svg" else {"Software": "driverkit"}
    figure.savefig(buffer, format=format, metadata=metadata, dpi=144 if format == "png" else 100)
    if format == "svg":  # no DOCTYPE: it names a DTD on the web, which no reader of the chart should fetch
        return XML_FORBIDDEN.sub(b"", DOCTYPE.sub(b"", buffer.getvalue(), count=1))
    return buffer.getvalue()


def _style():  # type: ignore[no-untyped-def]
    import matplotlib

    # text.parse_math off: names, notes and periods are drawn as written, `$5 and $6` included, never as TeX.
    return matplotlib.rc_context({"svg.hashsalt": "driverkit", "font.family": "DejaVu Sans", "font.size": 9,
                                  "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "none",
                                  "text.parse_math": False})


def _draw(axes: object, a: Analysis, ranges: bool) -> None:
    ax = axes  # a matplotlib Axes
    x = list(range(len(a.values)))
    title = f"{a.measure.id}  {a.measure.name}"
    kind = {"run": "Run chart", "xmr": "XmR chart", "xbar-s": "Xbar and S chart (subgroup means)", "p": "P chart", "p-prime": "P′ chart (Laney)", "u": "U chart",
            "u-prime": "U′ chart (Laney)", "c": "C chart", "g": "G chart", "t": "T chart"}.get(a.chart, a.chart)
    unit = a.measure.unit if a.measure.unit and a.chart not in ("c", "g", "t") else None  # those chart counts or times
    ax.set_title(f"{title}\n{kind}, {a.profile} rules" + (f" · {unit}" if unit else ""), loc="left", fontsize=10)  # type: ignore[attr-defined]
    if not x:
        ax.text(0.5, 0.5, "no data yet", ha="center", va="center", transform=ax.transAxes, color=COLOURS["note"])  # type: ignore[attr-defined]
        return
    kept = [i for i in x if not a.excluded[i]]
    ax.plot(x, a.values, color=COLOURS["data"], linewidth=1.2, zorder=2)  # type: ignore[attr-defined]
    if a.variation and any(a.variation):  # Making Data Count: each point in the colour of its variation
        for kind, colour in MDC_COLOURS.items():
            chosen = [i for i in kept if a.variation[i] == kind]
            if chosen:
                label = None if kind == "common" else f"special cause: {kind}"
                ax.scatter(chosen, [a.values[i] for i in chosen], s=22, color=colour, zorder=3, label=label)  # type: ignore[attr-defined]
        icons = [icon_words(a.variation_icon), icon_words(a.assurance_icon)]
        ax.text(1.01, 0.02, "\n".join(f"• {w}" for w in icons if w), transform=ax.transAxes, fontsize=7,  # type: ignore[attr-defined]
                color=COLOURS["note"], va="bottom", ha="left")
    else:
        ax.scatter(kept, [a.values[i] for i in kept], s=18, color=COLOURS["data"], zorder=3)  # type: ignore[attr-defined]
    dropped = [i for i in x if a.excluded[i]]
    if dropped:
        ax.scatter(dropped, [a.values[i] for i in dropped], s=30, facecolors="white", edgecolors=COLOURS["data"], zorder=3,  # type: ignore[attr-defined]
                   label="excluded from the calculations")
    for phase in a.phases:  # a baseline: the points its centre and limits come from, shaded
        if phase.baseline:
            kept_in_phase = [i for i in range(phase.first, phase.last + 1) if not a.excluded[i]]
            limits = any(a.upper[i] is not None for i in kept_in_phase)
            ax.axvspan(phase.first - 0.5, kept_in_phase[phase.baseline - 1] + 0.5, color="#eef2f7", zorder=0,  # type: ignore[attr-defined]
                       label=f"baseline: centre {'and limits ' if limits else 'line '}from these {phase.baseline} points")
    for phase in a.phases:  # centre line and limits as segments, one per phase
        span = [phase.first - 0.4, phase.last + 0.4]
        if phase.centre is not None:
            ax.plot(span, [phase.centre] * 2, color=COLOURS["centre"], linewidth=1.4, zorder=1)  # type: ignore[attr-defined]
            if phase is a.phases[-1]:  # the others name their centre in the header band, clear of the next phase
                ax.annotate(f"{phase.centre:.3g}", (span[1], phase.centre), fontsize=7, color=COLOURS["centre"],  # type: ignore[attr-defined]
                            xytext=(2, 0), textcoords="offset points", va="center")
    for phase in a.phases:  # limits: a level line, or a step line where they vary point by point
        span = [i for i in range(phase.first, phase.last + 1) if a.lower[i] is not None or a.upper[i] is not None]
        for bound in (a.lower, a.upper):
            values = [bound[i] for i in span]
            if not span or all(v is None for v in values):
                continue
            if len(set(values)) == 1:
                ax.plot([span[0] - 0.4, span[-1] + 0.4], [values[0]] * 2, color=COLOURS["limit"], linewidth=1, linestyle="--", zorder=1)  # type: ignore[attr-defined]
            else:
                ax.step(span, values, where="mid", color=COLOURS["limit"], linewidth=0.9, linestyle="--", zorder=1)  # type: ignore[attr-defined]
    if a.target is not None:  # the goal is always in view, even far from the data
        low, high = ax.get_ylim()  # type: ignore[attr-defined]
        margin = 0.05 * (max(high, a.target) - min(low, a.target))
        ax.set_ylim(min(low, a.target - margin), max(high, a.target + margin))  # type: ignore[attr-defined]
    band = 0.16 if len(a.phases) > 1 else 0.0
    if band:  # a header band above the data names each phase (and the centre of all but the last)
        low, high = ax.get_ylim()  # type: ignore[attr-defined]
        ax.set_ylim(low, high + band * (high - low))  # type: ignore[attr-defined]
        for phase in a.phases:
            if phase is not a.phases[0]:
                ax.axvline(phase.first - 0.5, color=COLOURS["limit"], linewidth=0.8, linestyle=":")  # type: ignore[attr-defined]
            width = max(12, min(40, int((phase.last - phase.first + 1) / len(x) * 150)))  # characters that fit the phase
            label = "\n".join(textwrap.wrap(phase.label, width, max_lines=2, placeholder=" …"))
            if phase is not a.phases[-1] and phase.centre is not None:
                label += f"\ncentre {phase.centre:.3g}"
            ax.annotate(label, (phase.first - 0.4, 1.0), xycoords=("data", "axes fraction"), fontsize=7,  # type: ignore[attr-defined]
                        color=COLOURS["note"], va="top").set_in_layout(False)
    for phase in a.phases:  # data with no spread: why no limits are drawn
        if phase.degenerate:
            ax.plot([], [], linestyle="none", marker="none", label=f"{phase.label}: no limits ({phase.degenerate})")  # type: ignore[attr-defined]
    if a.target is not None:
        ax.axhline(a.target, color=COLOURS["goal"], linewidth=1, linestyle="-.", label=f"goal {a.target:g}")  # type: ignore[attr-defined]
    markers = ("o", "D", "^", "v", "s", "P", "X", "p")  # as many as Making Data Count's signals (4 rules, 2 sides)
    for number, signal in enumerate(a.signals):
        label = f"{signal.profile}: {signal.detail}"
        if (signal.rule == "moving range" and ranges) or signal.rule in S_RULES:
            continue  # marked on the moving-range panel, or on the S panel
        if signal.rule in ("few crossings", "too few runs", "too many runs", "moving range"):
            # A property of the whole phase (or of the moving ranges, not drawn): named in the legend with no
            # marker, since none is drawn on the chart.
            extra = " (moving_range: true draws them)" if signal.rule == "moving range" else ""
            ax.plot([], [], linestyle="none", marker="none", label=label + extra)  # type: ignore[attr-defined]
            continue
        points = sorted(set(signal.points))
        ax.scatter(points, [a.values[i] for i in points], s=52, marker=markers[number % len(markers)],  # type: ignore[attr-defined]
                   facecolors="none", edgecolors=COLOURS["signal"], linewidths=1.4, zorder=4, label=label)
    _notes(ax, a)
    _events(ax, a, top=1 / (1 + band))  # lines stop below the header band, clear of the phase labels
    step = max(1, -(-len(x) // 12))  # at most 12 labels
    ax.set_xticks(x[::step], [a.periods[i] for i in x[::step]], rotation=0, fontsize=7)  # type: ignore[attr-defined]
    ax.set_xlim(-0.8, len(x) - 0.2)  # type: ignore[attr-defined]
    ax.set_axisbelow(True)  # type: ignore[attr-defined]  # the grid under a centre line that falls on it
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)  # type: ignore[attr-defined]
    handles, labels = ax.get_legend_handles_labels()  # type: ignore[attr-defined]
    if handles:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # type: ignore[attr-defined]


def _moving_range_panel(above: object, ax: object, a: Analysis) -> None:
    """The moving ranges under the individuals: points, the mean moving range and the upper range
    limit of each phase; the period labels and the notes move down to this panel."""
    x = [i for i, r in enumerate(a.moving_range) if r is not None]
    for phase in a.phases:  # one line per phase: no range spans a phase's start
        points = [i for i in x if phase.first <= i <= phase.last]
        ax.plot(points, [a.moving_range[i] for i in points], color=COLOURS["data"], linewidth=1, marker="o", markersize=3)  # type: ignore[attr-defined]
        span = [i for i in range(phase.first, phase.last + 1) if a.moving_range_centre[i] is not None]
        if span:
            ends = [span[0] - 0.4, span[-1] + 0.4]
            ax.plot(ends, [a.moving_range_centre[span[0]]] * 2, color=COLOURS["centre"], linewidth=1.2)  # type: ignore[attr-defined]
            ax.plot(ends, [a.moving_range_upper[span[0]]] * 2, color=COLOURS["limit"], linewidth=1, linestyle="--")  # type: ignore[attr-defined]
    high = [i for i in x if a.moving_range_upper[i] is not None and a.moving_range[i] > a.moving_range_upper[i]]  # type: ignore[operator]
    if high:
        ax.scatter(high, [a.moving_range[i] for i in high], s=40, facecolors="none", edgecolors=COLOURS["signal"], linewidths=1.2,  # type: ignore[attr-defined]
                   zorder=4, label="moving range above its upper limit")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # type: ignore[attr-defined]
    _lower_panel(above, ax, "moving range")


S_RULES = ("s beyond limit", "excluded s beyond limit")  # signals of an xbar-s chart's S panel


def _s_panel(above: object, ax: object, a: Analysis) -> None:
    """The S chart under the subgroup means: each subgroup's standard deviation, s-bar and the
    limits of each phase (stepped where the subgroup sizes differ); the period labels and the notes
    move down to this panel."""
    x = [i for i, s in enumerate(a.s) if s is not None]
    kept = [i for i in x if not a.excluded[i]]
    dropped = [i for i in x if a.excluded[i]]
    for phase in a.phases:  # one line per phase, as on the means above
        if phase is not a.phases[0]:
            ax.axvline(phase.first - 0.5, color=COLOURS["limit"], linewidth=0.8, linestyle=":")  # type: ignore[attr-defined]
        points = [i for i in x if phase.first <= i <= phase.last]
        ax.plot(points, [a.s[i] for i in points], color=COLOURS["data"], linewidth=1, zorder=2)  # type: ignore[attr-defined]
        span = [i for i in range(phase.first, phase.last + 1) if a.s_upper[i] is not None]
        if phase.s_bar is not None:
            ax.plot([phase.first - 0.4, phase.last + 0.4], [phase.s_bar] * 2, color=COLOURS["centre"], linewidth=1.2, zorder=1)  # type: ignore[attr-defined]
        for bound in (a.s_lower, a.s_upper):
            values = [bound[i] for i in span]
            if not span or not any(values):  # a lower limit of 0 (subgroups under 6) is not drawn
                continue
            if len(set(values)) == 1:
                ax.plot([span[0] - 0.4, span[-1] + 0.4], [values[0]] * 2, color=COLOURS["limit"], linewidth=1, linestyle="--", zorder=1)  # type: ignore[attr-defined]
            else:
                ax.step(span, values, where="mid", color=COLOURS["limit"], linewidth=0.9, linestyle="--", zorder=1)  # type: ignore[attr-defined]
    ax.scatter(kept, [a.s[i] for i in kept], s=12, color=COLOURS["data"], zorder=3)  # type: ignore[attr-defined]
    if dropped:
        ax.scatter(dropped, [a.s[i] for i in dropped], s=20, facecolors="white", edgecolors=COLOURS["data"], zorder=3)  # type: ignore[attr-defined]
    flagged = sorted({i for signal in a.signals if signal.rule in S_RULES for i in signal.points})
    if flagged:
        ax.scatter(flagged, [a.s[i] for i in flagged], s=40, facecolors="none", edgecolors=COLOURS["signal"], linewidths=1.2,  # type: ignore[attr-defined]
                   zorder=4, label="standard deviation beyond the S chart's limits")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # type: ignore[attr-defined]
    last = a.phases[-1] if a.phases else None
    if last is not None and last.s_bar is not None:  # as on the means above: the latest centre line named
        ax.annotate(f"{last.s_bar:.3g}", (last.last + 0.4, last.s_bar), fontsize=7, color=COLOURS["centre"],  # type: ignore[attr-defined]
                    xytext=(2, 0), textcoords="offset points", va="center")
    above.set_ylabel("mean of each subgroup", fontsize=8)  # type: ignore[attr-defined]
    _lower_panel(above, ax, "standard deviation\nof each subgroup")


def _lower_panel(above: object, ax: object, label: str) -> None:
    """The panel under the data (moving ranges, standard deviations) finished: from 0, labelled,
    gridded, and given the period labels and the x-axis note the panel above gives up."""
    ax.set_ylim(bottom=0)  # type: ignore[attr-defined]
    ax.set_ylabel(label, fontsize=8)  # type: ignore[attr-defined]
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)  # type: ignore[attr-defined]
    ax.set_axisbelow(True)  # type: ignore[attr-defined]
    ax.set_xlabel(above.get_xlabel(), loc="left", fontsize=7, color=COLOURS["note"], labelpad=8)  # type: ignore[attr-defined]
    above.set_xlabel("")  # type: ignore[attr-defined]
    above.tick_params(labelbottom=False)  # type: ignore[attr-defined]
    ax.tick_params(axis="x", labelsize=7)  # type: ignore[attr-defined]


def _notes(ax: object, a: Analysis) -> None:
    """Notes as numbers beside their points, written out under the chart (shortened when there are
    many) with the change ideas introduced and the cycles started, so no note ever covers the data."""
    noted = [i for i, note in enumerate(a.notes) if note]
    changes = a.events  # change ideas introduced and cycles started, in time order
    if not noted and not changes:
        return
    middle = (min(a.values) + max(a.values)) / 2
    for number, i in enumerate(noted, 1):
        above = a.values[i] <= middle  # on the side away from the nearer edge
        ax.annotate(str(number), (i, a.values[i]), xytext=(0, 7 if above else -7), textcoords="offset points",  # type: ignore[attr-defined]
                    ha="center", va="bottom" if above else "top", fontsize=6.5, fontweight="bold", color=COLOURS["note"],
                    zorder=5, bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": COLOURS["note"], "linewidth": 0.5})
    # Every entry gets its share of six lines, shortened if need be; its number and period stay together.
    share = max(24, 6 * 170 // (len(noted) + len(changes)) - 12)
    entries = [f"({n})\u00a0{a.periods[i]}:\u00a0" + textwrap.shorten(str(a.notes[i]), share, placeholder=" …")
               for n, i in enumerate(noted, 1)]
    entries += [f"{e.id}\u00a0{'introduced' if e.kind == 'change' else 'started'}\u00a0{a.periods[e.index]}:\u00a0"
                + textwrap.shorten(e.text, share, placeholder=" …") for e in changes]
    lines = textwrap.wrap("    ".join(entries), 170, max_lines=8, placeholder=" …")
    ax.set_xlabel("\n".join(lines), loc="left", fontsize=7, color=COLOURS["note"], labelpad=8)  # type: ignore[attr-defined]


def _events(ax: object, a: Analysis, top: float) -> None:
    """Change ideas introduced (solid lines) and PDSA cycles started (dotted lines): a change idea's
    line labelled with its words, shortened (its id is generated, and says nothing on a chart), a
    cycle's with its id; the legend says which is which, and each is written out in full under the
    chart with the notes."""
    style = {"change": ("-", 1.0, "change idea introduced"), "cycle": ((0, (2, 3)), 0.7, "PDSA cycle started")}
    at: dict[tuple[str, int], list[str]] = {}
    for event in a.events:  # a change idea by its words (its id is generated), a cycle by its id
        at.setdefault((event.kind, event.index), []).append(_short(event.text, 24) if event.kind == "change" else event.id)
    for kind in ("change", "cycle"):
        line, width, label = style[kind]
        colour = COLOURS[kind]
        positions = sorted(index for k, index in at if k == kind)
        if positions:
            ax.plot([], [], color=colour, linewidth=width, linestyle=line, label=label)  # type: ignore[attr-defined]
        for position in positions:
            x = position - 0.15 if kind == "cycle" and ("change", position) in at else position  # beside a change idea's line
            ax.axvline(x, ymax=top, color=colour, linewidth=width, linestyle=line, zorder=0)  # type: ignore[attr-defined]
            ids = at[(kind, position)]
            if kind == "change":
                text = ids[0] if len(ids) == 1 else f"{ids[0]} +{len(ids) - 1}"
            else:
                text = ", ".join(ids) if len(ids) <= 3 else f"{ids[0]} … {ids[-1]}"
            ax.annotate(text, (x, 0.0), xycoords=("data", "axes fraction"), fontsize=6.5, color=colour,  # type: ignore[attr-defined]
                        rotation=90, va="bottom", ha="right" if kind == "cycle" else "left",  # apart where both fall on one point
                        zorder=1.5,  # under the data, which a label in words may cross
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _short(text: str, width: int) -> str:
    """A text on one line, cut at a word to at most `width` characters, an ellipsis where it was cut
    (a single long word is cut inside). Drawn as written: charts turn off mathtext (see `_style`)."""
    words = " ".join(text.split())
    if len(words) <= width:
        return words
    cut = words[:width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= width // 2 else cut).rstrip(" ,;:-") + "…"
