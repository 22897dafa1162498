"""The common-ground finder measured on the hand-written corpora of benchmarks/ (see
benchmarks/README.md): it must stay well ahead of plain fuzzy matching, and careful with look-alikes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from driverkit.programme import common

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import common_ground_quality as quality  # noqa: E402


@lru_cache(maxsize=None)
def nearest_text_accuracy(corpus_path: Path, method: str) -> float:
    corpus = quality.load_corpus(corpus_path)
    return quality.nearest_neighbours(corpus, quality.score_all_pairs(quality.method_items(corpus, method), method))[0]


def evaluate(corpus_path: Path, method: str, threshold: float) -> dict:
    """`quality.evaluate`'s figures, the nearest texts (every pair scored, the slow part, the same at
    every threshold) worked out once for each corpus and method."""
    corpus = quality.load_corpus(corpus_path)
    groups, _ = quality.predict_clusters(corpus, method, threshold)
    return {"nn_accuracy": nearest_text_accuracy(corpus_path, method), **quality.cluster_figures(corpus, groups)}


def test_the_figures_here_are_the_benchmarks_own() -> None:
    own = quality.evaluate(quality.CORPUS, "driverkit", 80.0)
    here = evaluate(quality.CORPUS, "driverkit", 80.0)
    assert here == {key: own[key] for key in here} and own["seconds"] > 0 and own["nn_seconds"] > 0


def test_on_the_development_corpus_the_nearest_text_is_mostly_the_same_change_and_joins_are_careful() -> None:
    finder = evaluate(quality.CORPUS, "driverkit", 80.0)
    fuzzy = evaluate(quality.CORPUS, "fuzzy token_set_ratio", 80.0)
    assert finder["nn_accuracy"] >= 0.9 > 0.5 > fuzzy["nn_accuracy"]
    assert finder["precision"] >= 0.93 and finder["hard_negatives_merged"] == 0
    assert finder["recall"] >= 0.23


def test_on_the_development_corpus_at_70_precision_holds_and_recall_grows() -> None:
    finder = evaluate(quality.CORPUS, "driverkit", 70.0)
    assert finder["precision"] >= 0.9 and finder["recall"] >= 0.36
    assert finder["hard_negatives_merged"] <= 0.1 * finder["hard_negatives"]


@pytest.mark.parametrize("name, threshold", [("corpus", 45.0), ("corpus", 50.0), ("corpus", 70.0), ("corpus", 80.0),
                                             ("tenth", 50.0)])
def test_blocking_loses_no_join_that_scoring_every_pair_would_make(name: str, threshold: float,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocking is a heuristic: on some corpora, at some thresholds, scoring every pair changes a
    # cluster (the ninth at 60 and 45, the tenth at 45; see benchmarks/README.md). Not at these.
    corpus = quality.load_corpus(BENCHMARKS / f"common_ground_{name}.yaml")
    blocked = quality.predict_clusters(corpus, "driverkit", threshold)[0]

    def every_pair(kind: common._Kind, keys: np.ndarray, texts: np.ndarray, ranks: list, size: int) -> np.ndarray:
        n = len(kind.keys)
        return np.array([i * n + j for i in range(n) for j in range(i + 1, n)], np.int64)

    monkeypatch.setattr(common._Kind, "_pairs", every_pair)
    assert blocked == quality.predict_clusters(corpus, "driverkit", threshold)[0]


def test_on_the_second_corpus_at_50_the_bar_of_the_field_is_met_too() -> None:
    second = evaluate(BENCHMARKS / "common_ground_second.yaml", "driverkit", 50.0)
    assert second["nn_accuracy"] >= 0.8 and second["precision"] >= 0.8 and second["recall"] >= 0.6
    assert second["hard_negatives_merged"] <= 0.1 * second["hard_negatives"]


def far_ahead_of_plain_fuzzy_matching(corpus: Path, hard_negatives_fewer_by: float) -> dict:
    """The finder's figures at 80 on `corpus`, checked against plain fuzzy matching's."""
    finder = evaluate(corpus, "driverkit", 80.0)
    fuzzy = evaluate(corpus, "fuzzy token_set_ratio", 80.0)
    assert finder["nn_accuracy"] > fuzzy["nn_accuracy"] + 0.3
    assert finder["precision"] > fuzzy["precision"] + 0.5
    assert finder["hard_negatives_merged"] < fuzzy["hard_negatives_merged"] / hard_negatives_fewer_by
    return finder


def test_on_the_third_corpus_the_finder_beats_plain_fuzzy_matching_and_at_50_meets_the_bar() -> None:
    # Written blind and first only measured; a development corpus since its failures taught the
    # matcher general rules, so these are the figures reached, pinned, not a measure of unseen text.
    third = BENCHMARKS / "common_ground_third.yaml"
    finder = far_ahead_of_plain_fuzzy_matching(third, 3)
    assert finder["precision"] >= 0.95 and finder["hard_negatives_merged"] == 0
    at_50 = evaluate(third, "driverkit", 50.0)
    assert at_50["nn_accuracy"] >= 0.9 and at_50["precision"] >= 0.8 and at_50["recall"] >= 0.6
    assert at_50["hard_negatives_merged"] <= 0.1 * at_50["hard_negatives"]


def test_on_the_development_corpus_at_60_the_bar_of_the_field_is_met() -> None:
    # The bar: precision 0.8 or more at a recall of 0.6 or more, at most 1 hard negative in 10
    # merged, the right nearest text for 8 wordings in 10. (At 50 and 55, 5 and 4 of 36 are merged.)
    finder = evaluate(quality.CORPUS, "driverkit", 60.0)
    assert finder["nn_accuracy"] >= 0.8 and finder["precision"] >= 0.8 and finder["recall"] >= 0.6
    assert finder["hard_negatives_merged"] <= 0.1 * finder["hard_negatives"]


def figures_hold(name: str, nn: float, precision: float, merged: int,
                 at_50: tuple[float, float, int] | None = None) -> None:
    """The finder's figures on a corpus, far ahead of plain fuzzy matching, at least these: nearest-text
    accuracy, precision and hard negatives merged at 80, and (precision, recall, merged) at 50."""
    corpus = BENCHMARKS / f"common_ground_{name}.yaml"
    finder = far_ahead_of_plain_fuzzy_matching(corpus, 4)
    assert finder["nn_accuracy"] >= nn and finder["precision"] >= precision and finder["hard_negatives_merged"] <= merged
    if at_50 is not None:
        low = evaluate(corpus, "driverkit", 50.0)
        assert low["precision"] >= at_50[0] and low["recall"] >= at_50[1] and low["hard_negatives_merged"] <= at_50[2]


def test_on_the_fourth_and_fifth_corpora_written_blind_then_studied_the_figures_reached_hold() -> None:
    # Written blind, measured, then studied: the figures reached, pinned (the bar is not met there).
    figures_hold("fourth", 0.82, 0.93, 1, at_50=(0.78, 0.48, 6))
    figures_hold("fifth", 0.82, 0.93, 3)


def test_on_the_sixth_and_seventh_corpora_written_blind_then_studied_the_figures_reached_hold() -> None:
    # Each measured once on text the finder was not shaped by, then studied: the figures reached,
    # pinned (the bar is not met there).
    figures_hold("sixth", 0.81, 0.9, 2)
    figures_hold("seventh", 0.73, 0.8, 2)


def test_on_the_eighth_corpus_written_blind_then_studied_the_figures_reached_hold() -> None:
    figures_hold("eighth", 0.74, 0.8, 3)


def test_on_the_tenth_corpus_written_blind_then_studied_the_figures_reached_hold() -> None:
    figures_hold("tenth", 0.86, 0.95, 2)


def test_on_the_twelfth_corpus_written_blind_then_studied_the_figures_reached_hold() -> None:
    figures_hold("twelfth", 0.73, 0.93, 1, at_50=(0.58, 0.37, 7))


def test_on_the_corpora_written_blind_and_long_unstudied_the_finder_beats_plain_fuzzy_matching() -> None:
    # Long never tuned on (studied since): a floor under the figures, not a target.
    figures_hold("ninth", 0.88, 0.91, 4, at_50=(0.81, 0.59, 8))
    figures_hold("eleventh", 0.87, 0.93, 3, at_50=(0.76, 0.54, 9))
    figures_hold("thirteenth", 0.84, 0.9, 4, at_50=(0.76, 0.52, 12))
    # Written after the changes of the field. Recall at 50 was 0.572 until "removes" stopped being
    # read as "remote" (a change of remote support named by mistake): a cluster of NRT changes then
    # forms in another order, 0.565.
    figures_hold("fourteenth", 0.87, 0.98, 0, at_50=(0.83, 0.56, 11))


def test_on_the_sixteenth_and_seventeenth_corpora_written_blind_the_finder_beats_plain_fuzzy_matching() -> None:
    # Floors with some slack, set while they were never studied (so not targets): the figures were
    # 0.86, 0.84 / 4 and 0.79 / 0.61 / 9; and 0.97, 0.94 / 7 and 0.83 / 0.82 / 19.
    figures_hold("sixteenth", 0.84, 0.8, 6, at_50=(0.75, 0.58, 12))
    figures_hold("seventeenth", 0.95, 0.9, 9, at_50=(0.8, 0.79, 22))


def test_on_the_eighteenth_corpus_written_blind_the_finder_is_ahead_of_plain_fuzzy_matching() -> None:
    # Plain fuzzy matching finds the nearest text 7 times in 10 here (its paraphrases share more
    # words), so the margin asked is smaller than on the other corpora. Floors with some slack: the
    # figures were NN 0.96, at 80 0.95 / 3 merged, at 50 0.88 / 0.69 / 12.
    corpus = BENCHMARKS / "common_ground_eighteenth.yaml"
    finder, fuzzy = evaluate(corpus, "driverkit", 80.0), evaluate(corpus, "fuzzy token_set_ratio", 80.0)
    assert finder["nn_accuracy"] >= 0.94 and finder["nn_accuracy"] > fuzzy["nn_accuracy"] + 0.2
    assert finder["precision"] >= 0.9 and finder["hard_negatives_merged"] <= 5
    assert finder["hard_negatives_merged"] < fuzzy["hard_negatives_merged"] / 5
    low = evaluate(corpus, "driverkit", 50.0)
    assert low["precision"] >= 0.85 and low["recall"] >= 0.66 and low["hard_negatives_merged"] <= 15


def test_on_the_nineteenth_and_twentieth_corpora_never_studied_the_finder_is_ahead_of_plain_fuzzy_matching() -> None:
    # Never tuned on: floors with some slack, not targets. The figures were NN 0.94 and 0.91; at 80
    # 0.98 / 1 of 56 and 0.99 / 0 of 53 merged; at 50 0.90 / 0.67 / 8 and 0.92 / 0.61 / 6. Plain fuzzy
    # matching at 80: NN 0.62 and 0.69, 15 and 5 merged.
    for name, nn, at_50 in (("nineteenth", 0.92, (0.86, 0.63, 11)), ("twentieth", 0.89, (0.88, 0.57, 9))):
        corpus = BENCHMARKS / f"common_ground_{name}.yaml"
        finder, fuzzy = evaluate(corpus, "driverkit", 80.0), evaluate(corpus, "fuzzy token_set_ratio", 80.0)
        assert finder["nn_accuracy"] >= nn and finder["nn_accuracy"] > fuzzy["nn_accuracy"] + 0.2, name
        assert finder["precision"] >= 0.95 and finder["hard_negatives_merged"] < min(3, fuzzy["hard_negatives_merged"]), name
        low = evaluate(corpus, "driverkit", 50.0)
        assert low["precision"] >= at_50[0] and low["recall"] >= at_50[1] and low["hard_negatives_merged"] <= at_50[2], name


def test_reviewing_the_near_matches_finds_most_of_what_the_groups_miss() -> None:
    # From 60, about a hundred and fifty to two hundred pairs to read, about two in three of them
    # the same change; confirming them takes recall from about 0.1 or 0.2 to 0.5 or 0.6 at the precision of the groups.
    sixth = quality.load_corpus(BENCHMARKS / "common_ground_sixth.yaml")
    reviewed = quality.review(sixth, 60.0)
    assert reviewed["pairs"] <= 180 and reviewed["true"] >= 0.6 * reviewed["pairs"]
    assert reviewed["recall_after"] >= 0.55 and reviewed["precision_after"] >= 0.95
    eighth = quality.review(quality.load_corpus(BENCHMARKS / "common_ground_eighth.yaml"), 60.0)
    assert eighth["pairs"] <= 235 and eighth["true"] >= 0.6 * eighth["pairs"]
    assert eighth["recall_after"] >= 0.45 and eighth["precision_after"] >= 0.92
    # On the two corpora never studied.
    ninth = quality.review(quality.load_corpus(BENCHMARKS / "common_ground_ninth.yaml"), 60.0)
    assert ninth["pairs"] <= 155 and ninth["true"] >= 0.65 * ninth["pairs"]
    assert ninth["recall_after"] >= 0.6 and ninth["precision_after"] >= 0.95
    eleventh = quality.review(quality.load_corpus(BENCHMARKS / "common_ground_eleventh.yaml"), 60.0)
    assert eleventh["pairs"] <= 140 and eleventh["true"] >= 0.6 * eleventh["pairs"]
    assert eleventh["recall_after"] >= 0.5 and eleventh["precision_after"] >= 0.95
    assert eleventh["hard_negatives_merged_after"] <= 4  # only those the clusters at 80 hold


def test_a_review_session_asks_fewer_questions_than_it_lists_and_leaves_no_look_alike_grouped() -> None:
    # `driverkit review` with a person who is always right: the groups it suggests are confirmed or
    # split, the near matches decided, and the questions earlier answers settled are not asked.
    thirteenth = quality.load_corpus(BENCHMARKS / "common_ground_thirteenth.yaml")
    session = quality.review_session(thirteenth, 60.0)
    pairs_only = quality.review(thirteenth, 60.0)
    assert session["groups"] + session["pairs"] < session["listed"]
    assert session["answered"] == session["groups"] + session["pairs"] <= session["same"] + session["different"]
    assert session["precision_after"] >= 0.98 and session["recall_after"] >= pairs_only["recall_after"]
    assert session["hard_negatives_merged_after"] < pairs_only["hard_negatives_merged_after"]
    # A person wrong one time in five, drawn the same way each time: a wrong "the same" costs precision.
    erring = quality.review_session(thirteenth, 60.0, wrong=0.2, seed=1)
    assert erring == quality.review_session(thirteenth, 60.0, wrong=0.2, seed=1)
    assert erring["precision_after"] < session["precision_after"]


def test_with_people_deciding_from_45_the_bar_is_met_on_text_never_studied() -> None:
    # A review from 45 (`driverkit review`'s default) answered rightly: precision 0.8 or more at a
    # recall of 0.6 or more, at most 1 look-alike pair in 10 in one group, for about five
    # questions a change (0.64 and 0.68 recall on these two, 0.73 on the ninth).
    for name in ("eleventh", "thirteenth"):
        corpus = quality.load_corpus(BENCHMARKS / f"common_ground_{name}.yaml")
        session = quality.review_session(corpus, 45.0)
        assert session["precision_after"] >= 0.8 and session["recall_after"] >= 0.6, name
        assert session["hard_negatives_merged_after"] <= 0.1 * len(corpus.hard_negatives), name
        changes = len({entry.cluster for entry in corpus.entries if entry.cluster}) + sum(entry.cluster is None for entry in corpus.entries)
        assert session["groups"] + session["pairs"] <= 6 * changes, name


def test_a_checked_corpus_counts_a_look_alike_found_the_same_as_a_cluster_and_gives_look_alikes_their_driver(
        tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(
        "clusters:\n"
        "  - {id: co, workstream: smoke-free, serves: P1, wordings: [{text: CO test at booking}, {text: CO at booking}]}\n"
        "singletons:\n"
        "  - {text: Vapes for smokers, workstream: smoke-free, serves: P1}\n"
        "hard_negatives:\n"
        "  - {workstream: smoke-free, a: Carbon monoxide test at booking, a_same_as: co, b: CO test at 36 weeks, why: time}\n",
        encoding="utf-8")
    loaded = quality.load_corpus(corpus)
    texts = [entry.item.text for entry in loaded.entries]
    assert (texts.index("CO test at booking"), texts.index("Carbon monoxide test at booking")) in loaded.gold_pairs()
    assert len(loaded.gold_pairs()) == 3
    assert loaded.entries[texts.index("CO test at 36 weeks")].item.serves == ("P1",)
    written = corpus.read_text(encoding="utf-8")
    corpus.write_text(written.replace("a_same_as: co", "a_same_as: cot"), encoding="utf-8")
    with pytest.raises(ValueError, match="same_as names no cluster: cot"):
        quality.load_corpus(corpus)
    corpus.write_text(written.replace("b: CO test at 36 weeks,", "b: CO test at 36 weeks, b_same_as: co,"), encoding="utf-8")
    with pytest.raises(ValueError, match="the two texts of a hard negative are the same change"):
        quality.load_corpus(corpus)


def test_bootstrap_intervals_hold_the_figures_repeat_and_narrow_with_two_corpora() -> None:
    results = []
    for name in ("ninth", "eleventh"):
        corpus = quality.load_corpus(BENCHMARKS / f"common_ground_{name}.yaml")
        groups = quality.predict_clusters(corpus, "driverkit", 50.0)[0]
        figures = quality.cluster_figures(corpus, groups)
        found = quality.intervals([(corpus, groups)], rounds=500)
        assert found["precision"][0] < figures["precision"] < found["precision"][1]
        assert found["recall"][0] < figures["recall"] < found["recall"][1]
        share = figures["hard_negatives_merged"] / figures["hard_negatives"]
        assert found["hard_negatives_merged"][0] < share < found["hard_negatives_merged"][1]
        assert found == quality.intervals([(corpus, groups)], rounds=500)  # the same seed, the same intervals
        results.append((corpus, groups, found))
    both = quality.intervals([(corpus, groups) for corpus, groups, _ in results], rounds=500)
    width = {key: high - low for key, (low, high) in both.items()}
    # Together they say more than the less certain of the two alone.
    assert all(width[key] < max(alone[key][1] - alone[key][0] for _, _, alone in results) for key in width)


def test_a_draw_counts_a_unit_as_often_as_it_is_drawn_and_a_look_alike_with_its_cluster(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(
        "clusters:\n"
        "  - {id: co, workstream: smoke-free, wordings: [{text: CO test at booking}, {text: CO at booking}]}\n"
        "  - {id: nrt, workstream: smoke-free, wordings: [{text: NRT at first visit}, {text: NRT on the day}]}\n"
        "singletons:\n"
        "  - {text: Vapes for smokers, workstream: smoke-free}\n"
        "hard_negatives:\n"
        "  - {workstream: smoke-free, a: Carbon monoxide test at booking, a_same_as: co, b: CO test at 36 weeks, why: time}\n"
        "  - {workstream: smoke-free, a: NRT for partners, b: NRT for mothers, why: who}\n",
        encoding="utf-8")
    loaded = quality.load_corpus(corpus)
    text = {entry.item.text: i for i, entry in enumerate(loaded.entries)}
    # The clusters found: the CO cluster with both look-alikes, and the two NRT look-alikes with an NRT wording.
    groups = [[text["CO test at booking"], text["CO at booking"], text["Carbon monoxide test at booking"], text["CO test at 36 weeks"]],
              [text["NRT at first visit"], text["NRT for partners"], text["NRT for mothers"]]]
    size, found, wanted, true, negatives, merged = quality._units(loaded, groups)
    assert size == 4  # the CO cluster with its look-alike pair, the NRT cluster, the singleton, the NRT pair
    co, nrt_pair = found[0][0], found[-1][1]
    assert list(negatives) == [co, nrt_pair] and list(merged) == [True, True]
    counts = np.zeros(size)
    counts[co], counts[nrt_pair] = 2.0, 3.0
    weights = quality._pair_weights(found, counts)
    # Pairs within the CO unit count twice; the NRT wording with a look-alike counts 0 (its cluster
    # not drawn), the two look-alikes together 3 times.
    assert sorted(weights.tolist()) == [0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0]
    assert true.sum() == 3 and len(wanted) == 4  # the CO cluster's 3 texts found together; the NRT pair missed
    narrow = quality.intervals([(loaded, groups)], rounds=500, level=0.5)
    wide = quality.intervals([(loaded, groups)], rounds=500, level=0.95)
    assert wide["precision"][0] <= narrow["precision"][0] <= narrow["precision"][1] <= wide["precision"][1]


def test_the_script_prints_intervals_for_each_corpus_and_for_both_together(capsys: pytest.CaptureFixture[str]) -> None:
    assert quality.main(["--intervals", "--thresholds", "50", "--fuzzy-thresholds", "80", "--review-from", "60",
                         "--corpus", str(BENCHMARKS / "common_ground_ninth.yaml"),
                         str(BENCHMARKS / "common_ground_eleventh.yaml")]) == 0
    printed = capsys.readouterr().out
    assert printed.count("95% intervals: precision") == 3
    assert "corpus common_ground_ninth.yaml" in printed and "corpus common_ground_eleventh.yaml" in printed
    assert "2 corpora together" in printed
    assert re.search(r"at 50: precision 0\.\d\d, recall 0\.\d\d, hard negatives merged \d+ of 83; 95% intervals: "
                     r"precision 0\.\d\d to 0\.\d\d, recall", printed)


def test_scores_and_clusters_are_the_same_in_every_process() -> None:
    # Word weights are summed over sets of words, whose order changes with the hash seed: the sums
    # must not (a last bit can decide a tie, and so a cluster or its label).
    code = (
        "import sys; sys.path.insert(0, 'benchmarks')\n"
        "import common_ground_quality as quality\n"
        "from driverkit.programme import common\n"
        "from driverkit.programme.reading import normaliser\n"
        "items = quality.load_corpus(quality.ROOT / 'benchmarks' / 'common_ground_ninth.yaml').items()\n"
        "kind = common._Kind('change', items, normaliser(), 50.0, common.MatchStats())\n"
        "kind._search()\n"
        "print(sorted((pair, repr(score)) for pair, score in kind.scores.items()))\n"
        "print([(c.label, [i.member for i in c.items]) for c in common.find_clusters(items, threshold=50.0)])\n")
    root = BENCHMARKS.parent
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1
