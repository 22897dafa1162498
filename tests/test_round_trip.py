"""The importer's output and a hand-written file of the same diagram draw the same picture."""

from __future__ import annotations

import re

import pytest

import driverkit
from driverkit.importing import import_file

from .conftest import ROOT

FOLDER = ROOT / "examples" / "import"


def _imported() -> driverkit.Project:
    return driverkit.loads(import_file(FOLDER / "outline.xlsx", filename="outline.yaml"), str(FOLDER / "outline.yaml"))


def _hand() -> driverkit.Project:
    return driverkit.load(FOLDER / "outline-by-hand.yaml")


def _nameless(text: str) -> str:
    """Drawing text with the names of the boxes taken out. The importer gives every box an id (P4,
    S4.1); a person writes ids only where a link needs one (`hypoglycaemia`, `feed-early`) and
    driverkit names the others from their place. Those names reach the DOT node names, the SVG
    `id` and `<title>` of each box and link, and nothing that is seen: they are replaced by the
    order in which each first appears, so two drawings are equal when they differ only there."""
    order: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        return order.setdefault(match.group(0), f"node{len(order)}")

    text = re.sub(r"\bn_[A-Za-z0-9_]+", number, text)  # DOT node names, and the SVG titles made from them
    return re.sub(r'\bid="[^"]*"', 'id=""', text)


def test_the_hand_written_outline_is_a_clean_project_of_the_same_elements() -> None:
    hand, imported = _hand(), _imported()
    assert [d for d in driverkit.check(hand) if d.severity.value == "error"] == []
    # same texts in the same order, same statuses and owners: only the ids differ
    assert [(c.text, c.status, c.owner) for c in hand.all_changes()] == [(c.text, c.status, c.owner) for c in imported.all_changes()]
    texts = (FOLDER / "outline-by-hand.yaml").read_text(encoding="utf-8")
    assert "S4.1" not in texts and "P4" not in texts  # written as a person writes it, not as the importer does


def test_imported_and_hand_written_outlines_give_the_same_dot() -> None:
    imported = driverkit.render(_imported(), "dot").decode("utf-8")
    hand = driverkit.render(_hand(), "dot").decode("utf-8")
    assert imported != hand  # the box names do differ...
    assert _nameless(imported) == _nameless(hand)  # ...and nothing else: boxes, texts, sizes, links, styles, order


def test_imported_and_hand_written_outlines_are_laid_out_the_same() -> None:
    """The pictures themselves: the same boxes at the same places, the same links along the same paths."""
    from driverkit.output.engine import find_backend

    try:
        find_backend("auto")
    except driverkit.RenderError as exc:  # pragma: no cover - no Graphviz at all
        pytest.skip(str(exc))
    imported = driverkit.render(_imported(), "svg").decode("utf-8")
    hand = driverkit.render(_hand(), "svg").decode("utf-8")
    assert _nameless(imported) == _nameless(hand)
    assert imported.count("<path") == hand.count("<path") > 20
