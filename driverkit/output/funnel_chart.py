"""A funnel plot (`driverkit.programme.funnel`) drawn with matplotlib, as SVG or PNG bytes.

The chart follows the SPC charts of `driverkit.spc.charts`: the same fonts, colours and settings
(user text drawn as written, never as TeX; SVG byte-identical from run to run, with no DOCTYPE).
Each member is a point labelled with its name; the target is a solid line and each level's limits
a pair of curves (95% dashed, 99.8% dotted); members beyond the narrower limits are drawn in
amber, members beyond the widest limits (the outliers) in red with their names in bold, and the
outliers are named under the title.
"""

from __future__ import annotations

import textwrap
from typing import Any

from driverkit.programme.funnel import Funnel, FunnelPoint, level_label
from driverkit.spc.charts import COLOURS, FORMATS, _style, figure_bytes

BEYOND_NARROWER = "#b45309"  # amber: outside a narrower level's limits, inside the widest
LINE_STYLES = ("--", ":", "-.")  # narrowest level first
WIDE_RANGE = 50  # the largest denominator over the smallest beyond which the axis is logarithmic
MARKER_PIXELS = 5.0  # half the side of the box a point's marker is taken to fill
LABEL_GAP = 2.0  # pixels kept clear around a label, beyond its text (its white box reaches past the text)
# Where a label may go, in points from its point, tried in this order: right, left, above, below,
# then the corners, then further out.
CANDIDATES = ((6, 0), (-6, 0), (0, 7), (0, -7), (6, 7), (6, -7), (-6, 7), (-6, -7),
              (12, 13), (12, -13), (-12, 13), (-12, -13), (0, 16), (0, -16))


def funnel_svg(funnel: Funnel, title: str, unit: str = "", denominator: str = "denominator") -> bytes:
    """The funnel plot as SVG bytes: `title` over it, `unit` on the values' axis (e.g. "%"),
    `denominator` naming the other axis."""
    return funnel_chart(funnel, title, unit, denominator, "svg")


def funnel_png(funnel: Funnel, title: str, unit: str = "", denominator: str = "denominator") -> bytes:
    """The funnel plot as PNG bytes (see `funnel_svg`)."""
    return funnel_chart(funnel, title, unit, denominator, "png")


def funnel_chart(funnel: Funnel, title: str, unit: str = "", denominator: str = "denominator", format: str = "svg") -> bytes:
    """The funnel plot as SVG or PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if format not in FORMATS:
        raise ValueError(f"a chart is written as {' or '.join(FORMATS)}, not {format!r}")
    with _style():
        figure = Figure(figsize=(9, 5.4), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)  # a renderer to measure the labels with
        axes = figure.add_subplot()
        _draw(axes, funnel, title, unit, denominator)
        figure.draw_without_rendering()  # lays the figure out, so the labels can be placed in it
        labels, unnamed = _label(axes, figure, funnel)
        if unnamed:  # say so under the axis, then place the labels again in the axes that leaves
            for label in labels:
                label.remove()
            axes.set_xlabel(_unnamed_note(denominator, unnamed), fontsize=8)
            figure.draw_without_rendering()
            labels, unnamed = _label(axes, figure, funnel)
            axes.set_xlabel(_unnamed_note(denominator, unnamed), fontsize=8)
        return figure_bytes(figure, format)


def _with_unit(value: float, unit: str) -> str:
    text = f"{value:.3g}"
    if not unit:
        return text
    return text + unit if unit.startswith("%") else f"{text} {unit}"


# Characters of the title's lines at its size: the figure is 9 inches wide, and a longer line
# would run off its right edge.
TITLE_WIDTH = 100
OUTLIER_LINES = 3


def _outliers_line(lead: str, names: list[str]) -> str:
    """The members outside the widest limits, wrapped; past `OUTLIER_LINES` lines, how many more
    (the programme report lists them all)."""
    lines = textwrap.wrap(lead + ", ".join(names), TITLE_WIDTH, break_on_hyphens=False)
    if len(lines) <= OUTLIER_LINES:
        return "\n".join(lines)
    for shown in range(len(names) - 1, 0, -1):
        lines = textwrap.wrap(f"{lead}{', '.join(names[:shown])} and {len(names) - shown} more", TITLE_WIDTH,
                              break_on_hyphens=False)
        if len(lines) <= OUTLIER_LINES:
            return "\n".join(lines)
    return f"{lead}{len(names)} members"


def _colour(point: FunnelPoint, funnel: Funnel) -> str:
    if point.name in funnel.outliers:
        return COLOURS["signal"]
    return COLOURS["data"] if point.position == "inside" else BEYOND_NARROWER


def _draw(ax: Any, f: Funnel, title: str, unit: str, denominator: str) -> None:
    widest = level_label(f.levels[-1])
    kind = "proportion" if f.kind == "proportion" else "rate"
    method = "exact binomial" if f.kind == "proportion" else "exact Poisson"
    if f.method == "normal":
        method = "normal approximation"
    subtitle = f"Funnel plot of a {kind}: target the pooled value, limits {method}"
    if f.outliers:
        subtitle += "\n" + _outliers_line(f"Outside the {widest} limits: ", list(f.outliers))
    ax.set_title("\n".join(textwrap.wrap(title, TITLE_WIDTH) or [""]) + f"\n{subtitle}", loc="left", fontsize=10)
    x = f.denominators
    ax.axhline(f.target, color=COLOURS["centre"], linewidth=1.3, zorder=1, label=f"target {_with_unit(f.target, unit)}")
    for number, curve in enumerate(f.curves):
        style = LINE_STYLES[min(number, len(LINE_STYLES) - 1)]
        ax.plot(x, curve.upper, color=COLOURS["limit"], linewidth=1.1, linestyle=style, zorder=1,
                label=f"{level_label(curve.level)} limits")
        ax.plot(x, curve.lower, color=COLOURS["limit"], linewidth=1.1, linestyle=style, zorder=1)
    groups = (("inside", COLOURS["data"], 26, None),
              ("narrower", BEYOND_NARROWER, 34, f"outside the {level_label(f.levels[0])} limits" if len(f.levels) > 1 else None),
              ("outlier", COLOURS["signal"], 44, f"outside the {widest} limits"))
    for group, colour, size, label in groups:
        chosen = [p for p in f.members if _group(p, f) == group]
        if chosen:
            ax.scatter([p.denominator for p in chosen], [p.value for p in chosen], s=size, color=colour, zorder=3,
                       edgecolors="white", linewidths=0.6, label=label)
    values = [p.value for p in f.members] + [f.target]
    curves = [v for c in f.curves for v in c.lower + c.upper]
    low, high = min(values + curves), max(values + curves)
    margin = 0.08 * (high - low or abs(high) or 1.0)
    ax.set_ylim(max(0.0, low - margin) if low >= 0 else low - margin, high + margin)
    if x[-1] > WIDE_RANGE * x[0]:  # denominators of many sizes: a log axis keeps the small ones apart
        from matplotlib.ticker import FuncFormatter, NullFormatter

        ax.set_xscale("log")
        # the log axis labels its ticks in TeX (10^3), which is drawn as written here: plain numbers instead
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel(denominator, fontsize=8)
    if unit:
        ax.set_ylabel(unit, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_axisbelow(True)
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def _group(point: FunnelPoint, f: Funnel) -> str:
    if point.name in f.outliers:
        return "outlier"
    return "inside" if point.position == "inside" else "narrower"


def _unnamed_note(denominator: str, unnamed: int) -> str:
    if not unnamed:
        return denominator
    members = "member" if unnamed == 1 else "members"
    return f"{denominator}\n({unnamed} {members} inside the limits not named: no room for the name clear of the others)"


def _label(ax: Any, figure: Any, f: Funnel) -> tuple[list[Any], int]:
    """Names beside their points: each label takes the first of CANDIDATES that stays inside the
    axes and clear of the points and of the labels placed before it. Members outside any limits
    are named first and always, where they overlap least if nowhere is clear; a member inside the
    limits is named only where its name is clear. Returns the labels and how many went unnamed."""
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    points = [ax.transData.transform((p.denominator, p.value)) for p in f.members]
    taken = [(x - MARKER_PIXELS, y - MARKER_PIXELS, x + MARKER_PIXELS, y + MARKER_PIXELS) for x, y in points]
    order = sorted(range(len(f.members)), key=lambda i: (_group(f.members[i], f) != "outlier", _group(f.members[i], f) == "inside", i))
    labels: list[Any] = []
    unnamed = 0
    for i in order:
        point = f.members[i]
        outlier = point.name in f.outliers
        best: tuple[float, Any] | None = None
        for dx, dy in CANDIDATES:
            text = ax.annotate(point.name, (point.denominator, point.value), xytext=(dx, dy), textcoords="offset points",
                               ha="left" if dx > 0 else "right" if dx < 0 else "center",
                               va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                               fontsize=7.5, fontweight="bold" if outlier else "normal", color=_colour(point, f), zorder=5,
                               bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
            text.set_in_layout(False)
            box = text.get_window_extent(renderer)
            extent = (box.x0 - LABEL_GAP, box.y0 - LABEL_GAP, box.x1 + LABEL_GAP, box.y1 + LABEL_GAP)
            outside = _outside(extent, (frame.x0, frame.y0, frame.x1, frame.y1))
            overlap = sum(_overlap(extent, other) for other in taken) + 1e6 * outside
            if best is None or overlap < best[0]:
                if best is not None:
                    best[1].remove()
                best = (overlap, text)
            else:
                text.remove()
            if overlap == 0:
                break
        assert best is not None
        if best[0] > 0 and point.position == "inside":
            best[1].remove()
            unnamed += 1
            continue
        labels.append(best[1])
        box = best[1].get_window_extent(renderer)
        taken.append((box.x0, box.y0, box.x1, box.y1))
    return labels, unnamed


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(a: tuple[float, float, float, float], frame: tuple[float, float, float, float]) -> float:
    """How far (in pixels, summed over the sides) a box reaches out of the frame."""
    return (max(0.0, frame[0] - a[0]) + max(0.0, a[2] - frame[2]) + max(0.0, frame[1] - a[1]) + max(0.0, a[3] - frame[3]))
