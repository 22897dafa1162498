"""Themes of the rendered diagrams: a calm default, a greyscale print theme, a colour-blind-safe one.

Change-idea status is shown by fill colour and by border style together (dashed: idea; solid:
testing; thick: adopted; dotted: abandoned), so it survives a black-and-white printer and colour
blindness in every theme. The colour-blind theme uses the Okabe-Ito palette.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from driverkit.project.model import STATUSES  # noqa: F401  (the order of the legend)


@dataclass(frozen=True)
class StatusStyle:
    fill: str
    border: str
    style: str  # Graphviz border style: dashed, solid, bold, dotted
    text: str = "#111827"
    width: float = 1.0


@dataclass(frozen=True)
class Theme:
    name: str
    text: str
    muted: str  # secondary text: ids, measure badges, legend notes
    header: str
    aim_fill: str
    aim_border: str
    aim_text: str
    driver_fills: tuple[str, str, str]  # primary, secondary, tertiary
    driver_border: str
    edge: str
    frame: str  # the legend's border
    statuses: dict[str, StatusStyle] = field(default_factory=dict)


DEFAULT = Theme(
    name="default",
    text="#111827",
    muted="#4b5563",
    header="#1f2937",
    aim_fill="#1e3a5f",
    aim_border="#1e3a5f",
    aim_text="#ffffff",
    driver_fills=("#d6e4f5", "#e6eff9", "#f1f6fc"),
    driver_border="#7d98b8",
    edge="#7b8794",
    frame="#c9d1db",
    statuses={
        "idea": StatusStyle("#ffffff", "#8a94a3", "dashed"),
        "testing": StatusStyle("#fdf0cf", "#c98a12", "solid", width=1.3),
        "adopted": StatusStyle("#dcf2e3", "#2f8a55", "bold", width=2.0),
        "abandoned": StatusStyle("#f3f4f6", "#9ca3af", "dotted", text="#596170"),  # 5.4:1 on its fill
    },
)

PRINT = Theme(
    name="print",
    text="#000000",
    muted="#333333",
    header="#000000",
    aim_fill="#ffffff",
    aim_border="#000000",
    aim_text="#000000",
    driver_fills=("#e0e0e0", "#eeeeee", "#f7f7f7"),
    driver_border="#000000",
    edge="#555555",
    frame="#777777",
    statuses={
        "idea": StatusStyle("#ffffff", "#555555", "dashed"),
        "testing": StatusStyle("#e6e6e6", "#000000", "solid", width=1.3),
        "adopted": StatusStyle("#ffffff", "#000000", "bold", width=2.6),
        "abandoned": StatusStyle("#ffffff", "#888888", "dotted", text="#666666"),
    },
)

COLOURBLIND = Theme(
    name="colourblind",
    text="#111111",
    muted="#444444",
    header="#111111",
    aim_fill="#0b4f7c",  # a dark tint of Okabe-Ito blue, white text on it
    aim_border="#0b4f7c",
    aim_text="#ffffff",
    driver_fills=("#cfe6f5", "#e2f0f9", "#f0f7fc"),  # tints of Okabe-Ito sky blue
    driver_border="#0072b2",
    edge="#6e6e6e",
    frame="#bbbbbb",
    statuses={
        "idea": StatusStyle("#ffffff", "#777777", "dashed"),
        "testing": StatusStyle("#fbe3b3", "#e69f00", "solid", width=1.3),  # Okabe-Ito orange
        "adopted": StatusStyle("#c9ebe0", "#009e73", "bold", width=2.0),  # Okabe-Ito bluish green
        "abandoned": StatusStyle("#eeeeee", "#999999", "dotted", text="#555555"),
    },
)

THEMES = {theme.name: theme for theme in (DEFAULT, PRINT, COLOURBLIND)}
