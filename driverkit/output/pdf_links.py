"""Clickable boxes added to a one-page PDF written by Graphviz's cairo output.

The Graphviz inside pygraphviz's wheel writes PDF through a cairo too old to mark links, so a
box with a `url:` would not be clickable there. Its links are added afterwards as a PDF
incremental update: the page object is written again with its annotations, after the original
bytes, which stay as they are. The link rectangles come from a layout of the same DOT (its
boxes' places, in points, from the lower left corner of the drawing): the drawing is centred on
the page, so the page's margins are what the page has more than the drawing.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional, Sequence
from urllib.parse import quote


class Link(NamedTuple):
    """A box of the drawing that links to `url`, in layout points (origin at the lower left)."""

    left: float
    bottom: float
    right: float
    top: float
    url: str


_PAGE = re.compile(rb"(\d+) 0 obj\s*(<<\s*/Type\s*/Page\b.*?>>)\s*endobj", re.S)  # the dict, nested ones and all
_PAGES = re.compile(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", re.S)
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
_TRAILER = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)
_SIZE = re.compile(rb"/Size\s+(\d+)")
_KEEP = re.compile(rb"/(Root|Info|ID)\s*(\d+\s+\d+\s+R|\[[^\]]*\])")


def with_links(pdf: bytes, links: Sequence[Link], drawing: tuple[float, float]) -> bytes:
    """`pdf` with a link annotation over each box of `links`; `drawing` is the size of the
    drawing in points (the layout's bounding box). The PDF is returned as it was when it has no
    links, or is not the single page with a plain trailer that cairo writes."""
    if not links:
        return pdf
    pages, trailer = _PAGES.search(pdf), _TRAILER.search(pdf)
    page = _PAGE.search(pdf)
    if not (pages and trailer and page and int(pages.group(1)) == 1 and len(_PAGE.findall(pdf)) == 1):
        return pdf
    box = _MEDIA_BOX.search(page.group(2))
    size = _SIZE.search(trailer.group(1))
    if box is None or size is None:
        return pdf
    x0, y0, x1, y1 = (float(v) for v in box.groups())
    dx, dy = x0 + (x1 - x0 - drawing[0]) / 2, y0 + (y1 - y0 - drawing[1]) / 2
    first = int(size.group(1))
    objects: list[bytes] = []
    for link in links:
        rect = " ".join(f"{v:.2f}" for v in (link.left + dx, link.bottom + dy, link.right + dx, link.top + dy))
        objects.append(f"<< /Type /Annot /Subtype /Link /Rect [ {rect} ] /Border [ 0 0 0 ] "
                       f"/A << /S /URI /URI {_pdf_string(link.url)} >> >>".encode("ascii"))
    annots = " ".join(f"{first + k} 0 R" for k in range(len(links)))
    page_dict = page.group(2)
    page_dict = page_dict[:-2].rstrip() + f"\n   /Annots [ {annots} ]\n>>".encode("ascii")
    numbered = [(int(page.group(1)), page_dict)] + [(first + k, body) for k, body in enumerate(objects)]
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for number, body in numbered:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n" + _section(page.group(1), [offsets[int(page.group(1))]])
    out += _section(str(first).encode(), [offsets[first + k] for k in range(len(links))])
    kept = b" ".join(b"/%s %s" % (m.group(1), m.group(2)) for m in _KEEP.finditer(trailer.group(1)))
    out += b"trailer\n<< /Size %d %s /Prev %s >>\nstartxref\n%d\n%%%%EOF\n" % (first + len(links), kept, trailer.group(2), xref)
    return bytes(out)


def _section(first: bytes, offsets: list[int]) -> bytes:
    """A cross-reference subsection: objects numbered from `first`, at these offsets."""
    return first + b" %d\n" % len(offsets) + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)


def _pdf_string(url: str) -> str:
    """A URL as a PDF literal string: printable ASCII only (any other character percent-encoded,
    as in a URL), with its backslashes and parentheses escaped."""
    printable = "".join(c if 0x21 <= ord(c) <= 0x7E else quote(c, safe="") for c in url)
    return "(" + printable.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def links_of_layout(nodes: Sequence[tuple[Optional[str], str, str, str]]) -> list[Link]:
    """The links of a laid-out graph's nodes, each given as (URL, pos "x,y" in points, width and
    height in inches): nodes without a URL are left out."""
    links = []
    for url, pos, width, height in nodes:
        if not url:
            continue
        x, y = (float(v) for v in pos.split(",")[:2])
        half_w, half_h = float(width) * 36.0, float(height) * 36.0
        links.append(Link(x - half_w, y - half_h, x + half_w, y + half_h, url))
    return links
