"""The diagram as a Mermaid flowchart, which GitHub and GitLab draw natively inside Markdown.

Columns become subgraphs laid out left to right; status colours become class definitions; weak
links are dotted. Every label goes through `escape.mermaid`.
"""

from __future__ import annotations

from driverkit.output import escape
from driverkit.documents.diagram import Box, Diagram
from driverkit.output.themes import THEMES


def to_mermaid(diagram: Diagram) -> str:
    theme = THEMES[diagram.options.theme]
    names = {box.key: f"n{index}" for index, box in enumerate(diagram.boxes())}
    lines = ["---", f'title: "{escape.mermaid_title(diagram.title)}"', "---", "flowchart LR"]
    for index, column in enumerate(diagram.columns):
        lines.append(f'  subgraph column{index}["{escape.mermaid(column.header)}"]')
        lines.append("    direction TB")
        for box in column.boxes:
            lines.append(f'    {names[box.key]}["{_label(box, diagram.options.show_ids)}"]')
        lines.append("  end")
    for link in diagram.connectors:
        arrow = "-.-" if link.weak else "---"
        lines.append(f"  {names[link.parent]} {arrow} {names[link.child]}")
    lines.append(f"  classDef aim fill:{theme.aim_fill},stroke:{theme.aim_border},color:{theme.aim_text}")
    lines.append(f"  classDef driver fill:{theme.driver_fills[0]},stroke:{theme.driver_border},color:{theme.text}")
    for status, style in theme.statuses.items():
        dash = ",stroke-dasharray:5 3" if style.style == "dashed" else ",stroke-dasharray:2 2" if style.style == "dotted" else ""
        lines.append(f"  classDef {status} fill:{style.fill},stroke:{style.border},color:{style.text},stroke-width:{style.width:g}px{dash}")
    for box in diagram.boxes():
        lines.append(f"  class {names[box.key]} {box.status or box.kind}")
    return "\n".join(lines) + "\n"


def _label(box: Box, show_ids: bool) -> str:
    text = escape.mermaid(box.text)
    if show_ids and box.kind != "aim":
        text = f"<b>{escape.mermaid(box.element_id)}</b><br/>{text}"
    if box.measures:
        text += "<br/><small>" + " ".join(escape.mermaid(m) for m in box.measures) + "</small>"
    if box.cycles:
        text += f"<br/><small>{box.cycles} PDSA</small>"
    return text
