"""Links added to the embedded Graphviz's PDF: readable by a PDF reader, escaped, and nothing
changed where there is nothing to add or the file is not the page cairo writes."""

from __future__ import annotations

import io

import pypdf
import pytest

from driverkit.output.engine import draw_embedded
from driverkit.output.pdf_links import Link, with_links

pytest.importorskip("pygraphviz")


@pytest.fixture(scope="module")
def page() -> bytes:
    return draw_embedded('digraph { a [shape=box label="A box"] }', "pdf")


def annotations(pdf: bytes) -> list[tuple[list[float], str]]:
    found = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get("/Annots") or []
    return [([float(v) for v in a.get_object()["/Rect"]], a.get_object()["/A"]["/URI"]) for a in found]


def test_nothing_to_add_leaves_the_pdf_as_it_was(page: bytes) -> None:
    assert with_links(page, [], (50, 20)) == page
    assert annotations(page) == []


def test_a_link_is_placed_on_the_page_with_its_margins(page: bytes) -> None:
    drawing = pypdf.PdfReader(io.BytesIO(page)).pages[0].mediabox
    width, height = float(drawing.width) - 20, float(drawing.height) - 30  # margins of 10 and 15
    linked = with_links(page, [Link(0, 0, 40, 20, "https://example.org/a")], (width, height))
    assert linked.startswith(page)  # an incremental update: the original bytes stay as they are
    assert annotations(linked) == [([10.0, 15.0, 50.0, 35.0], "https://example.org/a")]
    assert with_links(page, [Link(0, 0, 40, 20, "https://example.org/a")], (width, height)) == linked


@pytest.mark.parametrize("url, written", [
    ("docs/a (draft).html", "docs/a%20(draft).html"),
    ("https://example.org/x\\y", "https://example.org/x\\y"),
    ("https://example.org/café page", "https://example.org/caf%C3%A9%20page"),
    ("https://example.org/q?a=1&b=%22", "https://example.org/q?a=1&b=%22"),
])
def test_urls_are_escaped_as_pdf_strings(page: bytes, url: str, written: str) -> None:
    assert annotations(with_links(page, [Link(0, 0, 10, 10, url)], (40, 40)))[0][1] == written


def test_a_file_that_is_not_the_single_page_cairo_writes_is_left_alone(page: bytes) -> None:
    link = [Link(0, 0, 10, 10, "https://example.org")]
    assert with_links(b"not a pdf", link, (10, 10)) == b"not a pdf"
    two_pages = page.replace(b"/Count 1", b"/Count 2")
    assert with_links(two_pages, link, (10, 10)) == two_pages
