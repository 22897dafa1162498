"""The common-ground finder measured on the hand-written corpora of benchmarks/ (see
benchmarks/README.md): it must stay well ahead of plain fuzzy matching, and careful with look-alikes."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import common_ground_quality as quality  # noqa: E402


def test_on_the_development_corpus_the_nearest_text_is_mostly_the_same_change_and_joins_are_careful() -> None:
    finder = quality.evaluate(quality.CORPUS, "driverkit", 80.0)
    fuzzy = quality.evaluate(quality.CORPUS, "fuzzy token_set_ratio", 80.0)
    assert finder["nn_accuracy"] >= 0.8 > 0.5 > fuzzy["nn_accuracy"]
    assert finder["precision"] >= 0.8 and finder["hard_negatives_merged"] <= 0.1 * finder["hard_negatives"]


def test_on_the_held_out_corpus_the_finder_still_beats_plain_fuzzy_matching() -> None:
    held_out = BENCHMARKS / "common_ground_heldout.yaml"
    finder = quality.evaluate(held_out, "driverkit", 80.0)
    fuzzy = quality.evaluate(held_out, "fuzzy token_set_ratio", 80.0)
    assert finder["nn_accuracy"] > fuzzy["nn_accuracy"] + 0.2
    assert finder["precision"] > fuzzy["precision"]
    assert finder["hard_negatives_merged"] < quality.evaluate(held_out, "fuzzy token_set_ratio", 70.0)["hard_negatives_merged"]
