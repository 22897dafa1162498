"""How well common ground finds the same change in other words, next to plain fuzzy matching.

    python benchmarks/common_ground_quality.py               # the table, about 15 seconds
    python benchmarks/common_ground_quality.py --details     # and the failures of driverkit at 80
    python benchmarks/common_ground_quality.py --thresholds 70 80 --fuzzy-thresholds 50 70 90
    python benchmarks/common_ground_quality.py --review-from 60         # near matches to review from 60
    python benchmarks/common_ground_quality.py --intervals --corpus benchmarks/common_ground_ninth.yaml
        benchmarks/common_ground_eleventh.yaml benchmarks/common_ground_thirteenth.yaml  # (one line) and together

The corpus is benchmarks/common_ground_corpus.yaml (its header says how it was written): gold
clusters (one change idea in 3 to 8 wordings from different trusts), singletons (change ideas with
no partner) and hard negatives (pairs that share most words but are different changes). Every text
becomes one TextItem of kind "change" with a member of its own (trust-001, trust-002, ...), so no
pair is kept apart for being from one member, and `serves` set from the corpus (a hard negative
that names none serves what the clusters of its workstream mostly serve, as the other texts of a
workstream do: look-alikes under one programme driver get the structural bonus too). A singleton
or hard-negative text that the check of the corpus found to be the same change as a cluster names
it (`same_as`, `a_same_as`, `b_same_as`) and counts as one of its wordings in the gold pairs.

Methods:

- `fuzzy token_set_ratio` and `fuzzy WRatio`: rapidfuzz's scorer on the lower-cased texts, every
  pair scored, pairs at or above the threshold joined into connected components. This is what
  "just use fuzzy matching" gives, shown at several thresholds since none is right for all pairs.
  Connected components chain: one text above the threshold with two ideas joins them. WRatio
  scores a short text against a much longer one by partial token matching, where one shared
  word (often "for") is worth 85.5, so below that it joins nearly everything.
- `driverkit`: driverkit.programme.common.find_clusters(items, threshold), and
  driverkit.programme.likeness.compare(a, b) for the nearest neighbours. `driverkit, no serves`
  is the same with every item's serves emptied, so the share of the result that comes from
  structure (both texts linked to the same programme driver) is visible.

Figures:

- NN accuracy: over every wording of a gold cluster, the share whose highest-scoring other text in
  the whole corpus (cluster wordings, singletons and hard-negative texts) is in its own gold
  cluster. Ties for the highest score give the share of the tied texts that are in the cluster
  (the expected result of breaking the tie at random). It does not depend on the threshold.
- precision and recall, pairwise: a predicted pair is two texts in one predicted cluster, a gold
  pair two wordings of one gold cluster; singletons and hard-negative texts are in no gold pair.
  Precision is "-" when nothing was joined.
- hard negatives merged: the hard-negative pairs whose two texts end in one predicted cluster.
- intervals (`--intervals`): how far precision, recall and the share of hard negatives merged could
  move with another draw of the corpus's changes, the clustering held: its units (a gold cluster
  with its wordings, a singleton, a hard-negative pair) drawn again with replacement 2,000 times,
  the middle 95% of the figures; for several corpora, also of them all together.
- seconds: the clustering alone (for fuzzy, scoring every pair and joining; for driverkit, the
  call to find_clusters), one run. The nearest-neighbour scoring (every pair, once) is timed apart
  and printed below the table.

Near matches: below the table, for the clusters at 80, `near_matches` from each `--review-from`
score: the pairs listed, those of one gold cluster, the hard negatives among them, and the
clusters' precision and recall once a reviewer who is always right confirmed the true pairs (as
`same:` decisions, with the clusters found) and rejected the others (`different:`). Then the same
as `driverkit review` asks it (driverkit.programme.review): the suggested groups first (confirmed
when all their texts are one change; a wrong group of two decided different, a wrong larger one
split), then the near matches, the questions settled by earlier answers not asked: how
many questions, and the clusters after; with `--wrong`, also by a person wrong for that share of
the answers, drawn at random.

Scores are taken as symmetric: each pair is scored once, compare(a, b) with a the earlier text.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from types import SimpleNamespace
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import yaml
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, code_version  # noqa: E402

from driverkit.programme.common import find_clusters, near_matches  # noqa: E402
from driverkit.programme.likeness import TextItem, compare, word_weights  # noqa: E402
from driverkit.programme.review import Review  # noqa: E402

CORPUS = ROOT / "benchmarks" / "common_ground_corpus.yaml"
FUZZY_METHODS = ("fuzzy token_set_ratio", "fuzzy WRatio")
DRIVERKIT_METHODS = ("driverkit", "driverkit, no serves")
METHODS = FUZZY_METHODS + DRIVERKIT_METHODS
FUZZY_THRESHOLDS = (60.0, 70.0, 80.0, 90.0)
DRIVERKIT_THRESHOLDS = (50.0, 65.0, 80.0)
DEFAULT_THRESHOLD = 80.0
"""find_clusters' own default."""


@dataclass(frozen=True)
class Entry:
    """One text of the corpus, as the item the matcher sees and what the corpus says of it."""

    item: TextItem
    section: str
    """"cluster", "singleton" or "hard negative"."""
    workstream: str
    cluster: Optional[str] = None
    """The gold cluster's id, for cluster wordings only."""


@dataclass(frozen=True)
class HardNegative:
    a: int
    """Index of text a in Corpus.entries."""
    b: int
    why: str
    workstream: str


@dataclass(frozen=True)
class Corpus:
    entries: tuple[Entry, ...]
    hard_negatives: tuple[HardNegative, ...]

    def items(self, structure: bool = True) -> list[TextItem]:
        """The TextItems in corpus order; without structure, every item's serves is emptied."""
        if structure:
            return [entry.item for entry in self.entries]
        return [replace(entry.item, serves=()) for entry in self.entries]

    def gold_pairs(self) -> set[tuple[int, int]]:
        """Every pair (i, j), i < j, of two wordings of one gold cluster."""
        return {(i, j) for i, a in enumerate(self.entries) for j in range(i + 1, len(self.entries))
                if a.cluster is not None and a.cluster == self.entries[j].cluster}


def _serves(value: object) -> tuple[str, ...]:
    """A corpus `serves` value (None, one id or a list of ids) as a tuple of ids."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def load_corpus(path: Path = CORPUS) -> Corpus:
    """Reads the corpus: one Entry per text, in the order clusters, singletons, hard negatives."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries: list[Entry] = []

    def add(text: str, serves: object, section: str, workstream: str, cluster: Optional[str] = None) -> int:
        number = len(entries) + 1
        item = TextItem(member=f"trust-{number:03d}", kind="change", id=f"C{number}", text=text, serves=_serves(serves))
        entries.append(Entry(item, section, workstream, cluster))
        return number - 1

    for cluster in data["clusters"]:
        for wording in cluster["wordings"]:
            serves = wording["serves"] if "serves" in wording else cluster.get("serves")
            add(wording["text"], serves, "cluster", cluster["workstream"], cluster["id"])
    # A singleton or a hard-negative text found, when the corpus was checked, to be the same change
    # as a cluster names it (`same_as`, `a_same_as`, `b_same_as`): it counts as a wording of that
    # cluster in the gold pairs, while it stays in its section.
    for single in data["singletons"]:
        add(single["text"], single.get("serves"), "singleton", single["workstream"], single.get("same_as"))
    # A hard negative that names no driver serves what its workstream's clusters mostly serve: two
    # look-alike changes of one workstream sit under one programme driver in a real programme, so
    # the structural evidence must not keep them apart for free.
    usual: dict[str, Counter] = {}
    for cluster in data["clusters"]:
        usual.setdefault(cluster["workstream"], Counter())[_serves(cluster.get("serves"))] += 1
    hard = []
    for pair in data["hard_negatives"]:
        default = pair["serves"] if "serves" in pair else usual.get(pair["workstream"], Counter([()])).most_common(1)[0][0]
        a = add(pair["a"], pair["a_serves"] if "a_serves" in pair else default, "hard negative", pair["workstream"],
                pair.get("a_same_as"))
        b = add(pair["b"], pair["b_serves"] if "b_serves" in pair else default, "hard negative", pair["workstream"],
                pair.get("b_same_as"))
        hard.append(HardNegative(a, b, pair["why"], pair["workstream"]))
    texts = [entry.item.text for entry in entries]
    if len(set(texts)) != len(texts):
        raise ValueError(f"{path}: the same text appears twice")
    ids = {cluster["id"] for cluster in data["clusters"]}
    unknown = sorted({entry.cluster for entry in entries if entry.cluster is not None} - ids)
    if unknown:
        raise ValueError(f"{path}: same_as names no cluster: {', '.join(unknown)}")
    if any(entries[h.a].cluster is not None and entries[h.a].cluster == entries[h.b].cluster for h in hard):
        raise ValueError(f"{path}: the two texts of a hard negative are the same change as one cluster")
    return Corpus(tuple(entries), tuple(hard))


def describe(corpus: Corpus) -> list[str]:
    """Lines counting the corpus: clusters, wordings, singletons and hard negatives, per workstream."""
    workstreams = sorted({entry.workstream for entry in corpus.entries})
    lines = [f"{'workstream':<16}{'clusters':>9}{'wordings':>9}{'singletons':>11}{'hard neg':>9}"]
    totals = [0, 0, 0, 0]
    for workstream in workstreams:
        wordings = [e for e in corpus.entries if e.section == "cluster" and e.workstream == workstream]
        row = [len({e.cluster for e in wordings}), len(wordings),
               sum(e.section == "singleton" and e.workstream == workstream for e in corpus.entries),
               sum(h.workstream == workstream for h in corpus.hard_negatives)]
        totals = [t + r for t, r in zip(totals, row)]
        lines.append(f"{workstream:<16}{row[0]:>9}{row[1]:>9}{row[2]:>11}{row[3]:>9}")
    lines.append(f"{'all':<16}{totals[0]:>9}{totals[1]:>9}{totals[2]:>11}{totals[3]:>9}"
                 f"   ({len(corpus.entries)} texts, {len(corpus.gold_pairs())} gold pairs)")
    return lines


# --- scoring ------------------------------------------------------------------------------------


def pair_scorer(method: str, items: Sequence[TextItem] = ()) -> Callable[[TextItem, TextItem], float]:
    """The function that scores two items (0 to 100) for a method; driverkit weighs words as
    rare as they are among `items`, as it does among the texts it clusters."""
    if method == "fuzzy token_set_ratio":
        return lambda a, b: fuzz.token_set_ratio(a.text.lower(), b.text.lower())
    if method == "fuzzy WRatio":
        return lambda a, b: fuzz.WRatio(a.text.lower(), b.text.lower())
    if method in DRIVERKIT_METHODS:
        weights = word_weights(items)
        return lambda a, b: compare(a, b, weights=weights).score
    raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")


def score_all_pairs(items: list[TextItem], method: str) -> dict[tuple[int, int], float]:
    """The score of every pair (i, j), i < j."""
    score = pair_scorer(method, items)
    return {(i, j): score(items[i], items[j]) for i in range(len(items)) for j in range(i + 1, len(items))}


def method_items(corpus: Corpus, method: str) -> list[TextItem]:
    """The items a method sees: without serves for "driverkit, no serves"."""
    return corpus.items(structure=method != "driverkit, no serves")


# --- nearest neighbours -------------------------------------------------------------------------


@dataclass(frozen=True)
class NearestMiss:
    """A cluster wording whose nearest text is not (or not only) in its own cluster."""

    index: int
    nearest: int
    """The best-scoring text outside the cluster."""
    score: float
    best_own: int
    """The best-scoring wording of its own cluster."""
    best_own_score: float
    credit: float
    """Share of the tied best texts that are in the cluster (0 when the nearest is outside alone)."""


def nearest_neighbours(corpus: Corpus, scores: dict[tuple[int, int], float]) -> tuple[float, list[NearestMiss]]:
    """NN accuracy over the cluster wordings, and the wordings that missed (fully or by a tie)."""
    count = len(corpus.entries)
    credits = []
    misses = []
    for i, entry in enumerate(corpus.entries):
        if entry.cluster is None:
            continue
        others = [(scores[(min(i, j), max(i, j))], j) for j in range(count) if j != i]
        best = max(score for score, _ in others)
        tied = [j for score, j in others if score == best]
        own = [j for j in tied if corpus.entries[j].cluster == entry.cluster]
        credit = len(own) / len(tied)
        credits.append(credit)
        if credit < 1:
            outside = [j for j in tied if corpus.entries[j].cluster != entry.cluster][0]
            own_score, own_best = max((score, j) for score, j in others if corpus.entries[j].cluster == entry.cluster)
            misses.append(NearestMiss(i, outside, best, own_best, own_score, credit))
    return sum(credits) / len(credits), misses


# --- clusters -----------------------------------------------------------------------------------


def connected_components(count: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Groups of two or more indexes joined by the pairs (union-find)."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return [group for group in groups.values() if len(group) > 1]


def predict_clusters(corpus: Corpus, method: str, threshold: float) -> tuple[list[list[int]], float]:
    """The method's clusters (lists of corpus indexes) at a threshold, and the seconds they took."""
    items = method_items(corpus, method)
    start = time.perf_counter()
    if method in FUZZY_METHODS:
        scores = score_all_pairs(items, method)
        groups = connected_components(len(items), [pair for pair, score in scores.items() if score >= threshold])
    else:
        index = {item.member: i for i, item in enumerate(items)}
        clusters = find_clusters(items, threshold=threshold)
        groups = [[index[item.member] for item in cluster.items] for cluster in clusters]
    return groups, time.perf_counter() - start


def predicted_pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    """Every pair (i, j), i < j, of two texts in one predicted cluster."""
    pairs = set()
    for group in groups:
        ordered = sorted(group)
        pairs.update((ordered[x], ordered[y]) for x in range(len(ordered)) for y in range(x + 1, len(ordered)))
    return pairs


def merged_hard_negatives(corpus: Corpus, groups: list[list[int]]) -> list[HardNegative]:
    """The hard-negative pairs whose two texts are in one predicted cluster."""
    where = {i: number for number, group in enumerate(groups) for i in group}
    return [pair for pair in corpus.hard_negatives if pair.a in where and where.get(pair.a) == where.get(pair.b)]


# --- evaluation ---------------------------------------------------------------------------------


def cluster_figures(corpus: Corpus, groups: list[list[int]]) -> dict:
    """Pairwise precision and recall against the gold clusters, and the hard negatives merged."""
    gold = corpus.gold_pairs()
    predicted = predicted_pairs(groups)
    true = len(gold & predicted)
    merged = merged_hard_negatives(corpus, groups)
    return {
        "predicted_pairs": len(predicted),
        "gold_pairs": len(gold),
        "true_pairs": true,
        "precision": true / len(predicted) if predicted else None,
        "recall": true / len(gold) if gold else None,
        "clusters": len(groups),
        "hard_negatives_merged": len(merged),
        "hard_negatives": len(corpus.hard_negatives),
    }


def evaluate(corpus_path: Path = CORPUS, method: str = "driverkit", threshold: float = DEFAULT_THRESHOLD) -> dict:
    """Every figure of one method at one threshold, as a dict (for tests and scripts).

    Keys: method, threshold, nn_accuracy, precision (None when nothing was joined), recall,
    predicted_pairs, gold_pairs, true_pairs, clusters, hard_negatives_merged, hard_negatives,
    seconds (the clustering) and nn_seconds (scoring every pair for the nearest neighbours).
    """
    corpus = load_corpus(corpus_path)
    start = time.perf_counter()
    accuracy, _ = nearest_neighbours(corpus, score_all_pairs(method_items(corpus, method), method))
    nn_seconds = time.perf_counter() - start
    groups, seconds = predict_clusters(corpus, method, threshold)
    return {"method": method, "threshold": threshold, "nn_accuracy": accuracy, **cluster_figures(corpus, groups),
            "seconds": seconds, "nn_seconds": nn_seconds}


def intervals(results: Sequence[tuple[Corpus, list[list[int]]]], rounds: int = 2000, seed: int = 0,
              level: float = 0.95) -> dict[str, tuple[float, float]]:
    """How far the figures of these clusterings (one per corpus, pooled) could move with another
    draw of the corpora's changes: a bootstrap over their units (a gold cluster with its wordings,
    a singleton, a hard-negative pair), each draw taking as many units of each corpus as it has,
    with replacement, the clustering held as it is. A unit drawn k times counts k times: its own
    pairs k times, a pair across two units the product of their counts. Returns (low, high) of
    precision, recall and the share of hard negatives merged, the middle `level` of the draws;
    the same seed gives the same intervals. A draw with nothing to divide by (no pair predicted)
    counts for no figure. A figure of 0 or 1 stays 0 or 1 in every draw: the interval then says
    nothing of how far it could move (0 look-alikes merged of 37 is not proof of none in 37 more).
    The corpora themselves are held: how much another corpus would differ is not in it."""
    rng = np.random.default_rng(seed)
    prepared = [_units(corpus, groups) for corpus, groups in results]
    figures: dict[str, list[float]] = {"precision": [], "recall": [], "hard_negatives_merged": []}
    for _ in range(rounds):
        totals = np.zeros(5)  # true pairs found, pairs found, gold pairs, negatives merged, negatives
        for size, found, wanted, true, negatives, merged in prepared:
            counts = np.bincount(rng.integers(0, size, size), minlength=size).astype(float)
            found_weight, wanted_weight = _pair_weights(found, counts), _pair_weights(wanted, counts)
            totals += (found_weight[true].sum(), found_weight.sum(), wanted_weight.sum(),
                       counts[negatives[merged]].sum(), counts[negatives].sum())
        for name, (part, whole) in {"precision": (0, 1), "recall": (0, 2), "hard_negatives_merged": (3, 4)}.items():
            if totals[whole] > 0:
                figures[name].append(totals[part] / totals[whole])
    tail = (1.0 - level) / 2 * 100
    return {name: (float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail)))
            for name, values in figures.items() if values}


def _units(corpus: Corpus, groups: list[list[int]]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A corpus's units for `intervals`: their number, the predicted and gold pairs as unit pairs,
    which predicted pairs are true, and each hard negative's unit and whether it was merged.

    A unit is a gold cluster with its wordings, a singleton, or a hard-negative pair; a pair one of
    whose texts is a wording of a cluster (`same_as`) is one unit with that cluster, so that it is
    drawn with both of its texts."""
    first_of: dict[str, int] = {}
    links = [(i, first_of.setdefault(entry.cluster, i)) for i, entry in enumerate(corpus.entries) if entry.cluster is not None]
    links += [(h.a, h.b) for h in corpus.hard_negatives]
    unit_of = {i: number for number, group in enumerate(connected_components(len(corpus.entries), links)) for i in group}
    names: dict[object, int] = {}
    units = np.array([names.setdefault(unit_of.get(i, ("text", i)), len(names)) for i in range(len(corpus.entries))],
                     dtype=int)
    gold = corpus.gold_pairs()
    predicted = sorted(predicted_pairs(groups))
    merged = {(h.a, h.b) for h in merged_hard_negatives(corpus, groups)}

    def as_units(pairs: list[tuple[int, int]]) -> np.ndarray:
        return units[np.array(pairs, dtype=int).reshape(-1, 2)]

    return (len(names), as_units(predicted), as_units(sorted(gold)), np.array([pair in gold for pair in predicted], dtype=bool),
            units[[h.a for h in corpus.hard_negatives]].astype(int),
            np.array([(h.a, h.b) in merged for h in corpus.hard_negatives], dtype=bool))


def _pair_weights(pairs: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """What each pair (as two units) counts in a draw: a pair within one unit as often as the unit
    was drawn, a pair across two the product of their draws."""
    left, right = counts[pairs[:, 0]], counts[pairs[:, 1]]
    return np.where(pairs[:, 0] == pairs[:, 1], left, left * right)


# --- output -------------------------------------------------------------------------------------


def review(corpus: Corpus, low: float, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The near matches from `low` beside the clusters at `threshold`: how many pairs a person would
    read, how many are true pairs and hard negatives, and the clusters' precision, recall and hard
    negatives merged once that person confirmed the true pairs and rejected the others (a reviewer
    who is always right, who does not reopen the clusters found)."""
    items = corpus.items()
    index = {item.member: i for i, item in enumerate(items)}
    gold = corpus.gold_pairs()
    negatives = {(min(h.a, h.b), max(h.a, h.b)) for h in corpus.hard_negatives}
    clusters = find_clusters(items, threshold=threshold)
    near = near_matches(items, clusters, low, most=len(items) ** 2)
    pair = {id(m): tuple(sorted((index[m.a.member], index[m.b.member]))) for m in near}
    true = [m for m in near if pair[id(m)] in gold]
    same = [[(i.member, i.id) for i in c.items] for c in clusters] + [[(m.a.member, m.a.id), (m.b.member, m.b.id)] for m in true]
    different = [[(m.a.member, m.a.id), (m.b.member, m.b.id)] for m in near if pair[id(m)] not in gold]
    after = find_clusters(items, threshold=threshold, same=same, different=different)
    figures = cluster_figures(corpus, [[index[i.member] for i in c.items] for c in after])
    return {"pairs": len(near), "true": len(true), "hard_negatives": sum(pair[id(m)] in negatives for m in near),
            "precision_after": figures["precision"], "recall_after": figures["recall"],
            "hard_negatives_merged_after": figures["hard_negatives_merged"]}


def review_session(corpus: Corpus, low: float, threshold: float = DEFAULT_THRESHOLD, wrong: float = 0.0,
                   seed: int = 0) -> dict:
    """`driverkit review` from `low` with a person who is right but for a share `wrong` of the
    answers, drawn at random (`seed`): each suggested group confirmed when all its texts are one
    change (a wrong group of two decided different, a wrong larger one split: the wordings of the
    change most of its texts are stay, the others are named as another change, or all of them when
    no two are one change), then each near match decided, the questions earlier answers settled
    skipped as the command skips them. A wrong answer is the other one (a wrong larger group
    confirmed, a right one left undecided). How many questions were asked, and the clusters after."""
    items = corpus.items()
    index = {item.member: i for i, item in enumerate(items)}
    gold = corpus.gold_pairs()
    clusters = find_clusters(items, threshold=threshold)
    near = near_matches(items, clusters, low, most=len(items) ** 2)
    session = Review(SimpleNamespace(clusters=clusters, near=near, project=SimpleNamespace(programme=None), members=[]))  # type: ignore[arg-type]  # what Review reads of a programme
    draw = np.random.default_rng(seed)
    asked = {"group": 0, "pair": 0}
    answered = 0
    same: list[list[tuple[str, str]]] = []
    different: list[list[tuple[str, str]]] = []
    for question in session.questions:
        if session.moot(question):
            continue
        asked[question.kind] += 1
        places = sorted(index[item.member] for item in question.items)
        answer = all((a, b) in gold for i, a in enumerate(places) for b in places[i + 1:])
        if wrong and draw.random() < wrong:
            answer = not answer
        if not answer and len(places) > 2:
            apart = _another_change(corpus, index, question.parts)
            if not apart or not question.can_be_split:
                continue  # a wrong answer to a right group, or texts worded alike: no decision
            decisions = session.split(question, apart)
        else:
            decisions = [session.answer(question, same=answer)]
        answered += 1
        for decision in decisions:
            keys = [tuple(reference.rsplit("#", 1)) for reference in decision.same or decision.different]
            (same if decision.same else different).append(keys)
    after = find_clusters(items, threshold=threshold, same=same, different=different)
    figures = cluster_figures(corpus, [[index[i.member] for i in c.items] for c in after])
    return {"listed": len(session.questions), "groups": asked["group"], "pairs": asked["pair"], "answered": answered, "same": len(same),
            "different": len(different), "precision_after": figures["precision"], "recall_after": figures["recall"],
            "hard_negatives_merged_after": figures["hard_negatives_merged"]}


def _another_change(corpus: Corpus, index: dict[str, int], parts: tuple) -> list[int]:
    """The places of the parts (wordings) a person who knows the corpus names as another change than the
    rest of a group: those not of the change most of its texts are, or all when no two are one."""
    changes = [corpus.entries[index[items[0].member]].cluster or f"#{index[items[0].member]}" for items in parts]
    counts = {change: sum(len(items) for items, c in zip(parts, changes) if c == change) for change in changes}
    most = max(counts, key=lambda change: (counts[change], -changes.index(change)))
    if counts[most] == 1:
        return list(range(len(parts)))
    return [place for place, change in enumerate(changes) if change != most]


def table_row(method: str, threshold: float, accuracy: float, figures: dict, seconds: float) -> str:
    """One line of the table."""
    precision = "-" if figures["precision"] is None else f"{figures['precision']:.2f}"
    share = figures["hard_negatives_merged"] / figures["hard_negatives"]
    merged = f"{figures['hard_negatives_merged']}/{figures['hard_negatives']} {share:>4.0%}"
    mark = " (default)" if method in DRIVERKIT_METHODS and threshold == DEFAULT_THRESHOLD else ""
    return (f"{method:<23}{threshold:>5.0f}{mark:<10}{accuracy:>6.2f}{precision:>7}{figures['recall']:>7.2f}"
            f"{figures['predicted_pairs']:>7}{merged:>16}{seconds:>9.2f}")


def label(corpus: Corpus, i: int) -> str:
    """A text with what the corpus says of it: its gold cluster, or singleton / hard negative."""
    entry = corpus.entries[i]
    where = entry.cluster if entry.cluster else entry.section
    return f"[{where}] {entry.item.text}"


def print_details(corpus: Corpus, misses: list[NearestMiss], groups: list[list[int]], structure: bool) -> None:
    """The failures of one driverkit run: wrong nearest neighbours, merged hard negatives, mixed clusters."""
    items = corpus.items(structure)
    print(f"\nWrong nearest neighbours ({len(misses)}; credit below 1 when tied):")
    for miss in misses:
        match = compare(items[miss.index], items[miss.nearest])
        print(f"\n  {label(corpus, miss.index)}")
        print(f"    nearest   {miss.score:5.1f}  {label(corpus, miss.nearest)}")
        print(f"              why: {match.why}")
        print(f"    own best  {miss.best_own_score:5.1f}  {label(corpus, miss.best_own)}")
        if miss.credit > 0:
            print(f"    (tie: credit {miss.credit:.2f})")
    merged = merged_hard_negatives(corpus, groups)
    print(f"\nHard negatives merged ({len(merged)} of {len(corpus.hard_negatives)}):")
    for pair in merged:
        match = compare(items[pair.a], items[pair.b])
        print(f"\n  a: {corpus.entries[pair.a].item.text}")
        print(f"  b: {corpus.entries[pair.b].item.text}")
        print(f"     corpus: {pair.why}")
        print(f"     score {match.score:.1f}, why: {match.why}")
    mixed = [group for group in groups if len({corpus.entries[i].cluster or f'#{i}' for i in group}) > 1]
    print(f"\nPredicted clusters holding more than one gold idea ({len(mixed)} of {len(groups)}):")
    for group in mixed:
        print()
        for i in sorted(group, key=lambda i: (corpus.entries[i].cluster or "~", i)):
            print(f"  {label(corpus, i)}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[CORPUS],
                        help="the corpus file, or several (default benchmarks/common_ground_corpus.yaml)")
    parser.add_argument("--thresholds", type=float, nargs="+", default=list(DRIVERKIT_THRESHOLDS),
                        help="find_clusters thresholds (default 50 65 80)")
    parser.add_argument("--fuzzy-thresholds", type=float, nargs="+", default=list(FUZZY_THRESHOLDS),
                        help="thresholds of the plain fuzzy baselines (default 60 70 80 90)")
    parser.add_argument("--review-from", type=float, nargs="+", default=[45.0, 50.0, 60.0], metavar="SCORE",
                        help="scores from which near matches are listed for review beside the clusters at 80 (default 45 50 60)")
    parser.add_argument("--wrong", type=float, nargs="+", default=[], metavar="SHARE",
                        help="also play each review with a person wrong for this share of the answers (0.05 for 1 in 20), "
                             "7 draws: the median and the range")
    parser.add_argument("--intervals", action="store_true",
                        help="95%% bootstrap intervals of driverkit's precision, recall and hard negatives merged "
                             "(and, for several corpora, of the figures of all of them together)")
    parser.add_argument("--details", action="store_true",
                        help="print the failures of driverkit at the default threshold 80, with serves")
    args = parser.parse_args(argv)
    pooled: dict[float, list[tuple[Corpus, list[list[int]]]]] = {}
    for path in args.corpus:
        for threshold, result in report(path, args).items():
            pooled.setdefault(threshold, []).append(result)
    if args.intervals and len(args.corpus) > 1:
        print(f"\n{len(args.corpus)} corpora together, driverkit (pairs and hard negatives summed over the corpora):")
        for threshold, results in pooled.items():
            figures = [cluster_figures(corpus, groups) for corpus, groups in results]
            true, found = sum(f["true_pairs"] for f in figures), sum(f["predicted_pairs"] for f in figures)
            gold, merged = sum(f["gold_pairs"] for f in figures), sum(f["hard_negatives_merged"] for f in figures)
            negatives = sum(f["hard_negatives"] for f in figures)
            precision = f"{true / found:.2f}" if found else "-"
            print(f"  at {threshold:g}: precision {precision}, recall {true / max(1, gold):.2f}, "
                  f"hard negatives merged {merged} of {negatives}; {interval_text(intervals(results))}")
    return 0


def interval_text(found: dict[str, tuple[float, float]]) -> str:
    names = {"precision": "precision", "recall": "recall", "hard_negatives_merged": "share of hard negatives merged"}
    return "95% intervals: " + ", ".join(f"{names[key]} {low:.2f} to {high:.2f}" for key, (low, high) in found.items())


def report(path: Path, args: argparse.Namespace) -> dict[float, tuple[Corpus, list[list[int]]]]:
    """Prints the table of one corpus; returns driverkit's clusters at each threshold."""
    corpus = load_corpus(path)
    print(f"common ground quality, {code_version()}, corpus {path.name}")
    print("\n".join(describe(corpus)))
    print()
    print(f"{'method':<23}{'thr':>5}{'':<10}{'NN acc':>6}{'prec':>7}{'recall':>7}{'pairs':>7}{'hard neg merged':>16}{'seconds':>9}")
    nn_seconds = {}
    details = None
    found: dict[float, tuple[Corpus, list[list[int]]]] = {}
    for method in METHODS:
        thresholds = args.fuzzy_thresholds if method in FUZZY_METHODS else args.thresholds
        start = time.perf_counter()
        accuracy, misses = nearest_neighbours(corpus, score_all_pairs(method_items(corpus, method), method))
        nn_seconds[method] = time.perf_counter() - start
        for threshold in thresholds:
            groups, seconds = predict_clusters(corpus, method, threshold)
            print(table_row(method, threshold, accuracy, cluster_figures(corpus, groups), seconds))
            if method == "driverkit":
                found[threshold] = (corpus, groups)
                if args.intervals:
                    print(f"{'':<28}{interval_text(intervals([(corpus, groups)]))}")
            if method == "driverkit" and threshold == DEFAULT_THRESHOLD:
                details = (misses, groups)
    count = len(corpus.entries)
    print(f"\nNN acc: nearest neighbour accuracy over {sum(e.cluster is not None for e in corpus.entries)} cluster wordings; "
          f"prec, recall: pairwise;\npairs: predicted pairs; hard neg merged: hard-negative pairs in one predicted cluster; seconds: the clustering.")
    print(f"Nearest neighbours score all {count * (count - 1) // 2} pairs once: "
          + ", ".join(f"{method} {seconds:.2f} s" for method, seconds in nn_seconds.items()) + ".")
    print(f"\nNear matches for review beside the clusters at {DEFAULT_THRESHOLD:.0f} (pairs in no one cluster; "
          "after: the clusters once a reviewer who is always right confirmed the true pairs and rejected the rest):")
    for low in args.review_from:
        r = review(corpus, low)
        print(f"  from {low:g}: {r['pairs']} pairs to read, {r['true']} true ({r['true'] / max(1, r['pairs']):.2f}), "
              f"{r['hard_negatives']} hard negatives; after: precision {r['precision_after']:.2f}, recall {r['recall_after']:.2f}, "
              f"hard negatives merged {r['hard_negatives_merged_after']} of {len(corpus.hard_negatives)}")
        r = review_session(corpus, low)
        print(f"    as `driverkit review --from {low:g}` asks them: {r['groups'] + r['pairs']} questions of {r['listed']} "
              f"({r['groups']} groups, {r['pairs']} pairs; the others settled by earlier answers), decided in {r['same']} same "
              f"and {r['different']} different; after: precision {r['precision_after']:.2f}, recall {r['recall_after']:.2f}, "
              f"hard negatives merged {r['hard_negatives_merged_after']} of {len(corpus.hard_negatives)}")
        for share in args.wrong:
            runs = [review_session(corpus, low, wrong=share, seed=seed) for seed in range(7)]
            print(f"    with {share:.0%} of the answers wrong (7 draws, median and range): "
                  + "; ".join(f"{label} {np.median([r[key] for r in runs]):{form}} ({min(r[key] for r in runs):{form}} to "
                              f"{max(r[key] for r in runs):{form}})"
                              for label, key, form in (("precision", "precision_after", ".2f"), ("recall", "recall_after", ".2f"),
                                                       ("hard negatives merged", "hard_negatives_merged_after", "g"))))
    if args.details:
        if details is None:
            groups, _ = predict_clusters(corpus, "driverkit", DEFAULT_THRESHOLD)
            details = (nearest_neighbours(corpus, score_all_pairs(corpus.items(), "driverkit"))[1], groups)
        print(f"\n--- details: driverkit, threshold {DEFAULT_THRESHOLD:.0f}, with serves")
        print_details(corpus, details[0], details[1], structure=True)
    print()
    return found


if __name__ == "__main__":
    sys.exit(main())
