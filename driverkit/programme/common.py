"""Common ground across the projects of a programme: the same change idea, driver or measure
name written by different member projects, in the same words or in other words.

The module takes plain items (a member, a kind, an id, a text and some structural evidence) and
returns clusters of items from different members, each join explained. It knows nothing of the
project model, so that it can be tested and reused on its own. How a text is read is
`driverkit.programme.reading`'s business, how alike two texts are `driverkit.programme.likeness`'s.

Clusters grow by average linkage (see `find_clusters`), so look-alikes do not chain; nor does a
cluster take in a text whose amount differs from one of its texts that it does not match on its
own ("call the team at 500 ml" does not join a cluster holding "at 1000 ml" through a third
text about measuring blood loss).

Cost: identical normalised texts are scored once, and other texts only when they share a
blocking key (a rare word, a pair of their rarest words, or for a short text any of its rarer
words; a large block split again; see `_Kind._blocks`), so the number of pairs scored grows
about in proportion to the number of texts, not with its square. The candidates are listed
and weighed many at a time (numpy): a bound on the weight of their common words, worked out on
the words as bits, rules out most of them before any is compared word by word (`_Kind._reach_bounds`).
`MatchStats` counts them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain, combinations
from typing import Iterable, Mapping, Optional

import numpy as np

from driverkit.programme.likeness import (
    CHANGE_DAMPING,
    STRUCTURE_BONUS,
    Difference,
    Match,
    TextItem,
    Weights,
    _apart,
    _own_words,
    _score,
    _text_score,
    _weighed,
    _word_weights,
)
from driverkit.programme.decisions import Key, Settled, settle
from driverkit.programme.reading import LIGHT, KnownChanges, Normalised, Normaliser, change_words, normaliser

NEAR_LOWEST = 40.0
"""The lowest score `near_matches` searches from. Below 50 most pairs listed are different
changes, yet a person deciding each still finds a third to a fifth of them the same (see
benchmarks/README.md); below 40 the list grows long for little more."""

# Blocking (see `_Kind._blocks`): a word in at most this many distinct texts of a kind is
# a key on its own; otherwise pairs of a text's rarest words are.
_RARE_DF = 10
_PREFIX = 7
# A text short enough to reach the cutoff with a partner sharing only `_FEW_SHARED` of its words
# also has each of its `_SHORT_PREFIX` rarest words as a key, when the word is in at most
# `_BLOCK_CAP` texts.
_FEW_SHARED = 2
_SHORT_PREFIX = 8
_BLOCK_CAP = 48
_SUB_PREFIX = 8
_WINDOW = 12


@dataclass(frozen=True)
class Cluster:
    kind: str
    items: tuple[TextItem, ...]
    """Sorted by (member, id)."""
    matches: tuple[Match, ...]
    """The pairs that joined it, in the order they joined."""
    label: str
    """A representative text: the item's text closest on average to the others (the medoid)."""
    confirmed: bool = False
    """Every join of it was decided by people (`same:` in the programme file), none suggested."""

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({item.member for item in self.items}))


@dataclass
class MatchStats:
    """What `find_clusters` did, for tests and benchmarks (pass one in to have it filled)."""

    items: int = 0
    distinct_texts: int = 0
    """Distinct (kind, normalised text): identical texts are scored once."""
    candidate_pairs: int = 0
    """Pairs of distinct texts sharing a blocking key."""
    pairs_scored: int = 0
    """Calls to the wording scorer, candidates and linkage checks together."""
    matches: int = 0
    """Item pairs at or above the threshold offered to the clustering."""


def find_clusters(items: Iterable[TextItem], threshold: float = 80.0, vocabulary: Optional[Mapping[str, str]] = None,
                  stats: Optional[MatchStats] = None, same: Iterable[Iterable[Key]] = (),
                  different: Iterable[Iterable[Key]] = (), known_changes: Optional[KnownChanges] = None) -> list[Cluster]:
    """Clusters of items of one kind, from two or more members, whose texts say the same thing.

    Pairs scoring `threshold` or more are joined, best first, into clusters (union-find). A pair
    joins its two clusters only when all their cross pairs score `threshold` or more on average
    (average linkage): a look-alike that matches one item of a cluster but not the others stays
    out, so clusters do not grow by chaining. Nor do two clusters join when an item of each names
    an amount of one measure that differs and the two do not match on their own: "up to 2 doses"
    and "up to 6 doses" are two changes however close both are to a third text. Two items of one
    member are never in one cluster.

    Texts are read with the shipped vocabulary and known changes of the field, and `vocabulary`
    and `known_changes` added (a programme's own: see `reading.Normaliser`).

    People decide over the scores: each group in `same` (items by (member, id)) is joined first,
    whatever its texts, and no cluster ever holds two items of one group in `different`. A
    cluster joined by such decisions only is `confirmed`.

    Clusters come with the most members first, then by label. Pass a `MatchStats` to have it
    filled with what the search did."""
    if not 0.0 <= threshold <= 100.0:
        raise ValueError(f"threshold must be between 0 and 100, not {threshold}")
    stats = stats if stats is not None else MatchStats()
    normalise = normaliser(vocabulary, known_changes)
    items = list(items)
    settled = settle(same, different, {(item.member, item.id): item.kind for item in items})
    clusters: list[Cluster] = []
    for kind, of_kind in _by_kind(items):
        clusters.extend(_Kind(kind, of_kind, normalise, threshold, stats).clusters(settled))
    clusters.sort(key=lambda cluster: (-len(cluster.members), cluster.label, cluster.kind, _order(cluster.items[0])))
    return clusters


def near_matches(items: Iterable[TextItem], clusters: Iterable[Cluster], low: float,
                 vocabulary: Optional[Mapping[str, str]] = None, different: Iterable[Iterable[Key]] = (),
                 most: Optional[int] = None, known_changes: Optional[KnownChanges] = None) -> list[Match]:
    """Pairs of items of two members that score `low` or more and are in no one cluster of
    `clusters` (those `find_clusters` gave), for people to decide: below the threshold, or kept
    apart by the linkage. Pairs decided different (`different`) are left out, with any other pair
    of the two groups holding them, as are two items of clusters already paired once (the best
    pair of two groups stands for them) and two items whose groups, confirmed by people, hold
    elements of one member (they could not be one group). Best first; at most `most` (all when None). `low` is from
    `NEAR_LOWEST`: the lower, the longer the list and the search, and the fewer of the pairs
    listed are the same change.

    On unseen text about 2 in 3 of the pairs listed from 60 are the same change (see
    benchmarks/README.md): a list to review, not to trust. Searching this low costs more than
    finding the clusters: on a programme of 136 members about 0.8 s from 70, 1 s from 65 and 1.6 s
    from 60, beside 0.6 s for the clusters."""
    if not NEAR_LOWEST <= low <= 100.0:
        raise ValueError(f"low must be from {NEAR_LOWEST:g} to 100, not {low:g}")
    group_of: dict[Key, int] = {}
    members_of: dict[object, frozenset[str]] = {}  # of the groups people confirmed: a suggested one may yet be split
    for number, cluster in enumerate(clusters):
        if cluster.confirmed:
            members_of[number] = frozenset(item.member for item in cluster.items)
        for item in cluster.items:
            group_of[(item.member, item.id)] = number
    # A pair decided different keeps apart the groups that hold its two items: a `same:` line
    # joining them could not be kept.
    apart = {frozenset((group_of.get(x, x), group_of.get(y, y)))
             for group in different for x, y in combinations([tuple(key) for key in group], 2)}
    normalise = normaliser(vocabulary, known_changes)
    found: list[tuple[float, tuple, Match]] = []
    for kind, of_kind in _by_kind(items):
        search = _Kind(kind, of_kind, normalise, low, MatchStats())
        seen: set[frozenset] = set()
        for score, x, y in search._joins():
            a, b = search.items[x], search.items[y]
            ka, kb = (a.member, a.id), (b.member, b.id)
            ga, gb = group_of.get(ka, ka), group_of.get(kb, kb)
            if ga == gb or frozenset((ga, gb)) in apart or frozenset((ga, gb)) in seen:
                continue
            # two groups people confirmed with an element of one member each cannot be one (a group
            # holds one element of each member); an item of a suggested group counts alone
            if members_of.get(ga, {a.member}) & members_of.get(gb, {b.member}):
                continue
            seen.add(frozenset((ga, gb)))
            found.append((score, (kind, _order(a), _order(b)), search._match(x, y)))
    found.sort(key=lambda entry: (-entry[0], entry[1]))
    return [match for _, _, match in found[:most]]


def _by_kind(items: Iterable[TextItem]) -> list[tuple[str, list[TextItem]]]:
    """The items of each kind, kinds and items in a fixed order (the result does not depend on
    the order they came in)."""
    grouped: dict[str, list[TextItem]] = defaultdict(list)
    for item in items:
        grouped[item.kind].append(item)
    return [(kind, sorted(grouped[kind], key=_order)) for kind in sorted(grouped)]


def _order(item: TextItem) -> tuple[str, str, str, tuple[str, ...], tuple[str, ...]]:
    return item.member, item.id, item.text, item.serves, item.measures


_Structure = tuple[frozenset[str], frozenset[str]]


@dataclass
class _Group:
    """A cluster being built: its items, and how many of them have each (text, structure)."""

    items: list[int]
    members: set[str]
    profile: dict[tuple[int, _Structure], int]
    matches: list[tuple[int, Match]] = field(default_factory=list)
    suggested: int = 0  # joins made by the scores, not decided by people


def _few_shared(text: Normalised, weights: Optional[Weights] = None) -> float:
    """The weight of a text's `_FEW_SHARED` heaviest words (as `weights` weighs them, if given)."""
    if weights:
        return sum(sorted(map(weights.__getitem__, text.words), reverse=True)[:_FEW_SHARED])
    heavy = min(_FEW_SHARED, len(text.heavy))
    return heavy + LIGHT * min(_FEW_SHARED - heavy, len(text.words) - len(text.heavy))


def _reach(cutoff: float, shared: float) -> float:
    """The largest weight of a text whose wording score can reach `cutoff` with a text it shares
    words of weight `shared` with (infinite at a cutoff of 50 or less).

    The best such partner holds those words only: "shared" is then 100 and "whole" is
    200 * shared / (weight + shared), so the wording is at least the cutoff c (as a fraction)
    while weight <= shared * (3 - 2c) / (2c - 1)."""
    c = cutoff / 100.0
    return shared * (3 - 2 * c) / (2 * c - 1) if c > 0.5 else float("inf")


# The candidates of a search are first weighed many at a time, each text's words as `_BITS` bits
# (see `_Kind._reach_bounds`), `_CHUNK` pairs at a time.
_BITS = 1024
_CHUNK = 1 << 15


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The places start, start + 1, ..., start + size - 1 of each span, one after the other."""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes - starts, sizes)


def _reach_of(shared: np.ndarray, wa: np.ndarray, wb: np.ndarray) -> np.ndarray:
    """shared * (1 / min(wa, wb) + 2 / (wa + wb)): how far common words of weight `shared` take
    two texts of weights `wa` and `wb` towards the bar of `_Kind._scored`; 0 where they share none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(shared > 0.0, shared * (1.0 / np.minimum(wa, wb) + 2.0 / (wa + wb)), 0.0)


def _pairs_within(texts: np.ndarray, sizes: np.ndarray, n: int) -> np.ndarray:
    """Every pair of texts within each group, the groups one after the other in `texts` (each in
    ascending order) with their `sizes`, as numbers i * n + j, i < j."""
    # Each text pairs with the `follow` texts after it in its group.
    follow = np.repeat(np.cumsum(sizes), sizes) - np.arange(len(texts)) - 1
    left = np.repeat(np.arange(len(texts)), follow)
    return texts[left] * n + texts[left + _spans(np.ones_like(follow), follow)]


def _pairs_near(walk: np.ndarray, n: int) -> np.ndarray:
    """Each text of a walk with its `_WINDOW` next ones, as numbers i * n + j, i < j."""
    near = [(np.minimum(walk[:-d], walk[d:]), np.maximum(walk[:-d], walk[d:])) for d in range(1, _WINDOW + 1)]
    return np.concatenate([low * n + high for low, high in near])


def _bit_places(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each word (by rank from the rarest, with its `weights`) goes among `_BITS` bits, and
    what a bit of each 64 weighs at most. The commonest words have a bit each, those of a like
    weight side by side, so that the weight of a column is close to that of each of its words; the
    others share the last 64 bits by rank."""
    size = len(weights)
    own = min(size, _BITS - 64)  # the commonest words, a bit each
    commonest = np.arange(size - 1, size - 1 - own, -1, dtype=np.int64)
    bit_of = np.empty(size, np.int64)
    bit_of[commonest[np.argsort(weights[commonest], kind="stable")]] = np.arange(own)
    rest = np.arange(size - own, dtype=np.int64)
    bit_of[rest] = _BITS - 64 + rest % 64
    column_weight = np.zeros(_BITS // 64)
    np.maximum.at(column_weight, bit_of // 64, weights)
    return bit_of, column_weight


def _as_bits(ranks: list[list[int]], bit_of: np.ndarray) -> np.ndarray:
    """Each text's words (ranks) as `_BITS` bits, placed by `bit_of` (see `_bit_places`)."""
    lengths = np.fromiter(map(len, ranks), np.int64, len(ranks))
    bit = bit_of[np.fromiter(chain.from_iterable(ranks), np.int64, int(lengths.sum()))]
    bits = np.zeros((len(ranks), _BITS // 64), np.uint64)
    np.bitwise_or.at(bits, (np.repeat(np.arange(len(ranks)), lengths), bit // 64), np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64)))
    return bits


class _Kind:
    """The search among the items of one kind."""

    def __init__(self, kind: str, items: list[TextItem], normalise: Normaliser, threshold: float,
                 stats: MatchStats) -> None:
        self.kind, self.items, self.threshold, self.stats = kind, items, threshold, stats
        self.keys: list[Normalised] = []
        self.key_of: list[int] = []
        self.with_key: list[list[int]] = []
        index: dict[Normalised, int] = {}
        for i, item in enumerate(items):
            normalised = normalise(item.text)
            k = index.setdefault(normalised, len(self.keys))
            if k == len(self.keys):
                self.keys.append(normalised)
                self.with_key.append([])
            self.key_of.append(k)
            self.with_key[k].append(i)
        self.structure: list[_Structure] = [(frozenset(item.serves), frozenset(item.measures)) for item in items]
        # Words common to many of these texts weigh less (see `likeness._word_weights`).
        self.word_weights = _word_weights(self.keys)
        self.weights = [_weighed(key, self.word_weights) for key in self.keys]
        # The weight of each text's own words, without those that count the changes it names
        # (`likeness._own_words`): the score of two texts that name one change both is at most the
        # wording of all their words or of their own words alone, and the search's bounds stay
        # above both with these weights (for other pairs, the wording of all their words).
        self.own_weights = [_weighed(key, self.word_weights, _own_words(key)) if key.counted else weight
                            for key, weight in zip(self.keys, self.weights)]
        # Text scores of distinct texts: those at or above the cutoff from the search, others
        # as the linkage asks for them. A pair of texts (i, j), i < j, is kept as one number,
        # i * len(keys) + j: cheaper than a tuple when there are hundreds of thousands.
        self.scores: dict[int, float] = {}
        # The whole scoring of the pairs at or above the cutoff, for the reasons of the matches
        # made of them: kept, not worked out again (a tenth more memory for a near-match search
        # from 45 on 136 members, a quarter less time).
        self.explained: dict[tuple[int, int], tuple[float, float, float, list[Difference]]] = {}
        # Pairs of texts that name different terms of one kind (see `_apart`), as the numbers above.
        self.apart: set[int] = set()
        # Where each word is among the bits of the bounds, and what a bit of each 64 weighs at most;
        # what each word weighs, by its rank from the rarest (set by `_blocks`).
        self.bit_of, self.column_weight = np.zeros(0, np.int64), np.zeros(_BITS // 64)
        self.rank_weight = np.zeros(0)
        self.change_ranks: set[int] = set()  # the ranks of the words that count changes named (set by `_blocks`)
        self.cutoff = max(0.0, threshold - STRUCTURE_BONUS)
        stats.items += len(items)
        stats.distinct_texts += len(self.keys)

    def _search(self) -> None:
        """Finds the candidate pairs and keeps in `self.scores` those at or above the cutoff."""
        keys, texts, ranks, size = self._blocks()
        pairs = self._pairs(keys, texts, ranks, size)
        self.stats.candidate_pairs += len(pairs)
        self.stats.pairs_scored += len(pairs)
        self.scores.update(self._scored(pairs, ranks))

    # Distinct texts are compared only when they share a blocking key: a word in at most
    # `_RARE_DF` texts, or two of each text's `_PREFIX` rarest words. A near-duplicate shares the
    # words that make it specific; a single word common to many texts ("booking", "midwife")
    # would make nearly every pair a candidate, while two of them together rarely do.
    #
    # A short text is the exception: two short wordings of one change may share one or two words
    # only, and not their rarest ("Offer NRT on the antenatal ward" and "NRT supplied by the quit
    # team"). A text that could reach the cutoff with a partner sharing that little (see the
    # function `_reach`) has each of its `_SHORT_PREFIX` rarest words as a key too, unless the
    # word is in more than `_BLOCK_CAP` texts. At a high threshold few texts are that short, so
    # the cost stays small.
    #
    # In a large programme even a pair of words can be common to hundreds of texts ("audit" and
    # "hypothermia"), and comparing all of them would grow with the square of the members. A block
    # of more than `_BLOCK_CAP` texts is split again by a third word, one of each text's next
    # `_SUB_PREFIX` rarest; a part still too large is walked in two sorted orders (by rarest words,
    # and alphabetically), each text compared with its `_WINDOW` next neighbours.
    def _blocks(self) -> tuple[np.ndarray, np.ndarray, list[list[int]], int]:
        """The blocking keys and their texts, as two arrays sorted by key (texts in ascending
        order within a key), each text's words as ranks from the rarest, and the number of words."""
        df: Counter[str] = Counter()
        for key in self.keys:
            df.update(key.words)
        # Words numbered from the rarest, so that a text's rarest words are its smallest numbers
        # and a pair of words is one number.
        ordered = sorted(df, key=lambda word: (df[word], word))
        rank = {word: r for r, word in enumerate(ordered)}
        counts = [df[word] for word in ordered]
        size = len(ordered)
        # A word of one text only can match nothing: it is no key, and takes no place among the rarest.
        ranks = [sorted(rank[word] for word in key.words if df[word] > 1) for key in self.keys]
        if self.word_weights:
            word_weight = [self.word_weights[word] for word in ordered]
        else:
            heavy = set().union(*(key.heavy for key in self.keys))
            word_weight = [1.0 if word in heavy else LIGHT for word in ordered]
        self.rank_weight = np.array(word_weight, np.float64)
        self.bit_of, self.column_weight = _bit_places(self.rank_weight)
        # The words that count a change of the field named (see `reading.change_words`) are keys of
        # their own, below: among a text's rarest, they would push its own words out.
        self.change_ranks = {r for word, r in rank.items() if " " in word}
        own = [[r for r in ranked if r not in self.change_ranks] for ranked in ranks] if self.change_ranks else ranks
        n = len(self.keys)
        block_keys: list[int] = []  # the keys of one word
        block_texts: list[int] = []
        for k, ranked in enumerate(own):
            rarest = ranked[:_PREFIX]
            blocking = {size * size + r for r in rarest if len(rarest) == 1 or counts[r] <= _RARE_DF}
            if self.weights[k] <= _reach(self.cutoff, _few_shared(self.keys[k], self.word_weights)):
                blocking.update(size * size + r for r in ranked[:_SHORT_PREFIX] if counts[r] <= _BLOCK_CAP)
            # Two texts naming one change of the field are compared, when few texts name it: among
            # many, its words are common and weigh little (see `likeness._word_weights`), so that
            # their own words decide, and those are keys already.
            blocking.update(size * size + rank[change_words(change)[0]] for change in self.keys[k].changes
                            if 1 < df[change_words(change)[0]] <= _BLOCK_CAP)
            block_keys.extend(blocking)
            block_texts.extend([k] * len(blocking))
        # The keys of two words: every pair of each text's `_PREFIX` rarest, a column of pairs at a time.
        rarest = np.full((n, _PREFIX), -1, np.int64)
        for k, ranked in enumerate(own):
            rarest[k, :min(len(ranked), _PREFIX)] = ranked[:_PREFIX]
        keys, texts = [np.array(block_keys, np.int64)], [np.array(block_texts, np.int64)]
        for a, b in combinations(range(_PREFIX), 2):
            has = np.flatnonzero(rarest[:, b] >= 0)
            keys.append(rarest[has, a] * size + rarest[has, b])
            texts.append(has)
        # Sorted by key, then text; each (key, text) once.
        both = np.sort(np.concatenate(keys) * n + np.concatenate(texts))
        both = both[np.r_[True, both[1:] != both[:-1]]] if len(both) else both
        return both // n, both % n, ranks, size

    def _pairs(self, keys: np.ndarray, texts: np.ndarray, ranks: list[list[int]], size: int) -> np.ndarray:
        """The candidate pairs of texts of these blocks, as numbers i * len(self.keys) + j, i < j,
        in ascending order."""
        n = len(self.keys)
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
        sizes = np.diff(np.r_[starts, len(keys)])
        small = (sizes > 1) & (sizes <= _BLOCK_CAP)
        found = [_pairs_within(texts[_spans(starts[small], sizes[small])], sizes[small], n)]
        for start, count in zip(starts[sizes > _BLOCK_CAP].tolist(), sizes[sizes > _BLOCK_CAP].tolist()):
            block = int(keys[start])
            words = {block - size * size} if block >= size * size else {block // size, block % size}
            parts: dict[int, list[int]] = defaultdict(list)
            for k in texts[start:start + count].tolist():
                for r in [r for r in ranks[k] if r not in words and r not in self.change_ranks][:_SUB_PREFIX]:
                    parts[r].append(k)
            groups = [part for part in parts.values() if 1 < len(part) <= _BLOCK_CAP]
            found.append(_pairs_within(np.fromiter(chain.from_iterable(groups), np.int64),
                                       np.fromiter(map(len, groups), np.int64, len(groups)), n))
            for part in parts.values():
                if len(part) > _BLOCK_CAP:
                    for walk in (sorted(part, key=ranks.__getitem__), sorted(part, key=lambda k: self.keys[k].text)):
                        found.append(_pairs_near(np.array(walk, np.int64), n))
        pairs = np.sort(np.concatenate(found))
        return pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs  # each once (np.unique is slower)

    def _text(self, i: int, j: int) -> float:
        """The text score of two distinct texts (keys), scored once."""
        if i == j:
            return 100.0
        pair = i * len(self.keys) + j if i < j else j * len(self.keys) + i
        score = self.scores.get(pair)
        if score is None:
            self.stats.pairs_scored += 1
            score, _, _, differs = _text_score(self.keys[i], self.keys[j], weights=self.word_weights)
            self.scores[pair] = score
            if _apart(differs):
                self.apart.add(pair)
        return score

    def _item_score(self, x: int, y: int) -> float:
        return self._with_structure(self._text(self.key_of[x], self.key_of[y]), self.structure[x], self.structure[y])

    @staticmethod
    def _with_structure(text: float, a: _Structure, b: _Structure) -> float:
        shared = bool(a[0] & b[0]) or bool(a[1] & b[1])
        return min(100.0, text + (STRUCTURE_BONUS if shared else 0.0))

    def _reach_bounds(self, pairs: np.ndarray, ranks: list[list[int]]) -> np.ndarray:
        """For each candidate pair, a bound on how far its common words can reach (the left side
        of the test against the bar in `_scored`), never below it; 0 when it has no common word.

        It is worked out on the texts' words as bits, many pairs at once, and rules out most
        candidates: each common bit weighs what the heaviest word of its column weighs (see
        `_bit_places`). Two words on one bit can only make two texts look closer, except two
        words of one text, which hide each other: each text's number of words so hidden is added
        back, at the weight of the heaviest word."""
        n = len(self.keys)
        reach = self._bound(pairs, ranks, self.weights)
        if self.change_ranks:
            # Two texts that name one change both score at most what all their words or their own
            # words alone give: the bound of their own words too, with their own weights, where
            # their changes' words (as bits of their own) meet.
            drop = self.change_ranks
            named = _as_bits([[r for r in ranked if r in drop] for ranked in ranks], self.bit_of)
            own = self._bound(pairs, [[r for r in ranked if r not in drop] for ranked in ranks], self.own_weights)
            i, j = pairs // n, pairs % n
            both = np.concatenate([(named[i[k:k + _CHUNK]] & named[j[k:k + _CHUNK]]).any(axis=1) for k in range(0, len(pairs), _CHUNK)] or [np.zeros(0, bool)])
            reach = np.maximum(reach, np.where(both, own, 0.0))
        return reach

    def _bound(self, pairs: np.ndarray, ranks: list[list[int]], text_weights: list[float]) -> np.ndarray:
        """`_reach_bounds` of these words of each text, weighed as `text_weights`."""
        n = len(self.keys)
        words = _as_bits(ranks, self.bit_of)
        hidden = np.fromiter(map(len, ranks), np.int64, n) - np.bitwise_count(words).sum(axis=1, dtype=np.int64)
        heaviest = float(self.column_weight.max())
        weights = np.fromiter(text_weights, np.float64, n)
        reach = [np.zeros(0)]
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start:start + _CHUNK]
            i, j = chunk // n, chunk % n
            common = np.bitwise_count(words[i] & words[j]).astype(np.float64) @ self.column_weight + heaviest * np.minimum(hidden[i], hidden[j])
            reach.append(_reach_of(common, weights[i], weights[j]))
        return np.concatenate(reach)

    def _reaches(self, pairs: np.ndarray, ranks: list[list[int]]) -> np.ndarray:
        """How far the common words of each pair reach exactly, as `_reach_bounds` bounds it: the
        weight of the words both texts hold, as `likeness._wording` weighs them. For two texts
        that name one change both, what `likeness._text_score` weighs before any penalty: the
        wording of their own words, or more when the change adds to it (less the more their own
        words say already, `CHANGE_DAMPING`). Worked out `_CHUNK` pairs at a time: each word of
        the text with fewer words is looked up among the other's."""
        n = len(self.keys)
        lengths = np.fromiter(map(len, ranks), np.int64, n)
        if not len(pairs) or not lengths.any():  # no pair, or no word in two texts
            return np.zeros(len(pairs))
        starts = np.cumsum(lengths) - lengths
        size = len(self.rank_weight)
        flat = np.fromiter(chain.from_iterable(ranks), np.int64, int(lengths.sum()))
        # Every (text, word) as one number, in ascending order: the texts in order, each text's ranks sorted.
        held = np.repeat(np.arange(n, dtype=np.int64), lengths) * size + flat
        weights = np.fromiter(self.weights, np.float64, n)
        named = np.zeros(size, bool)
        named[list(self.change_ranks)] = True
        own_weight = np.where(named, 0.0, self.rank_weight)
        own_weights = np.fromiter(self.own_weights, np.float64, n)
        reaches = []
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start:start + _CHUNK]
            i, j = chunk // n, chunk % n
            fewer = lengths[i] <= lengths[j]
            a, b = np.where(fewer, i, j), np.where(fewer, j, i)
            pair = np.repeat(np.arange(len(chunk)), lengths[a])
            word = flat[_spans(starts[a], lengths[a])]
            wanted = b[pair] * size + word
            found = held[np.minimum(np.searchsorted(held, wanted), len(held) - 1)] == wanted
            pair, word = pair[found], word[found]
            reach = _reach_of(np.bincount(pair, self.rank_weight[word], len(chunk)), weights[i], weights[j])
            if self.change_ranks:
                own = _reach_of(np.bincount(pair, own_weight[word], len(chunk)), own_weights[i], own_weights[j])
                kept = np.minimum(1.0, CHANGE_DAMPING * (1.0 - own / 2.0))  # a reach of 2 is a wording of 100
                reach = np.where(np.bincount(pair, named[word], len(chunk)) > 0, np.maximum(own + (reach - own) * kept, own), reach)
            reaches.append(reach)
        return np.concatenate(reaches)

    def _scored(self, pairs: np.ndarray, ranks: list[list[int]]) -> dict[int, float]:
        """The scores of the candidate pairs at or above the cutoff."""
        n = len(self.keys)
        keys, cutoff, word_weights = self.keys, self.cutoff, self.word_weights
        # The wording score is (100 * shared / smaller + 200 * shared / (wa + wb)) / 2, shared the
        # weight of the common words, and the penalties only lower it: most candidates fall short
        # of the cutoff on their common words alone. The bound rules out most of them, the exact
        # weight of their common words most of the others. Those sums, many at a time, may differ
        # from `_weighed`'s exact ones in the last bits: a pair this close to the bar is scored,
        # and `_text_score` decides.
        bar = cutoff / 50.0 - 1e-6
        near = pairs[self._reach_bounds(pairs, ranks) >= bar]
        reach = self._reaches(near, ranks)
        scores: dict[int, float] = {}
        for pair in near[(reach >= bar) & (reach > 0.0)].tolist():
            i, j = divmod(pair, n)
            scored = _text_score(keys[i], keys[j], cutoff, word_weights)
            score, differs = scored[0], scored[3]
            if score >= cutoff:
                scores[pair] = score
                self.explained[(i, j)] = scored  # all of it: the cutoff stops only a score below it
            if _apart(differs):
                self.apart.add(pair)
        return scores

    def _joins(self) -> list[tuple[float, int, int]]:
        """Item pairs at or above the threshold, as (score, item, item), best first."""
        n = len(self.keys)
        self._search()
        joins: list[tuple[float, int, int]] = []
        # Items with the same text: each joins the first of them (or, if that is its own
        # member's, the first of another member), not every other one: the linkage counts them all.
        for k, same in enumerate(self.with_key):
            if not self.keys[k].words:
                continue
            first = same[0]
            other = next((x for x in same if self.items[x].member != self.items[first].member), None)
            for x in same[1:]:
                y = first if self.items[x].member != self.items[first].member else other
                if y is not None and y != x:
                    joins.append((self._item_score(x, y), min(x, y), max(x, y)))
        # Texts that match: the best pair of their items (the first 16 of each looked at; the
        # linkage then counts every item).
        for pair, text in list(self.scores.items()):
            i, j = divmod(pair, n)
            best: Optional[tuple[float, int, int]] = None
            for x in self.with_key[i][:16]:
                for y in self.with_key[j][:16]:
                    if self.items[x].member == self.items[y].member:
                        continue
                    candidate = (self._with_structure(text, self.structure[x], self.structure[y]), min(x, y), max(x, y))
                    if best is None or (-candidate[0], candidate[1], candidate[2]) < (-best[0], best[1], best[2]):
                        best = candidate
            if best is not None:
                joins.append(best)
        joins = [join for join in joins if join[0] >= self.threshold]
        joins.sort(key=lambda join: (-join[0], join[1], join[2]))
        self.stats.matches += len(joins)
        return joins

    def _linkage(self, a: _Group, b: _Group) -> float:
        """The mean score over all item pairs across two clusters; 0 when two of their texts name
        different terms of one kind and do not match on their own (see `_apart`)."""
        total = 0.0
        n = len(self.keys)
        for (i, sa), na in a.profile.items():
            for (j, sb), nb in b.profile.items():
                score = self._with_structure(self._text(i, j), sa, sb)
                if score < self.threshold and (i * n + j if i < j else j * n + i) in self.apart:
                    return 0.0
                total += na * nb * score
        return total / (len(a.items) * len(b.items))

    def clusters(self, settled: Optional[Settled] = None) -> list[Cluster]:
        """The clusters of this kind, people's decisions (`settled`, of every kind) first."""
        settled = settled if settled is not None else Settled()
        where = {(item.member, item.id): x for x, item in enumerate(self.items)}
        decided = [(100.0, min(where[a], where[b]), max(where[a], where[b])) for _, a, b in settled.joins if a in where]
        apart = {(min(where[a], where[b]), max(where[a], where[b])) for a, b in map(tuple, settled.apart) if a in where}
        joins = decided + self._joins()
        parent = list(range(len(self.items)))
        groups: dict[int, _Group] = {}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def group(x: int) -> _Group:
            if x not in groups:
                groups[x] = _Group([x], {self.items[x].member}, {(self.key_of[x], self.structure[x]): 1})
            return groups[x]

        for sequence, (_, x, y) in enumerate(joins):
            rx, ry = find(x), find(y)
            if rx == ry:
                continue
            gx, gy = group(rx), group(ry)
            by_people = sequence < len(decided)
            if gx.members & gy.members or (apart and any((min(a, b), max(a, b)) in apart for a in gx.items for b in gy.items)):
                continue
            if not by_people and self._linkage(gx, gy) < self.threshold:
                continue
            if len(gx.items) < len(gy.items):
                rx, ry, gx, gy = ry, rx, gy, gx
            parent[ry] = rx
            del groups[ry]
            gx.items.extend(gy.items)
            gx.members |= gy.members
            for key, count in gy.profile.items():
                gx.profile[key] = gx.profile.get(key, 0) + count
            match = self._match(x, y)
            if by_people:
                match = Match(match.a, match.b, match.score, "Decided the same in the programme file. " + match.why)
            gx.matches.extend(gy.matches + [(sequence, match)])
            gx.suggested += gy.suggested + (0 if by_people else 1)
        return [self._cluster(g) for g in groups.values() if len(g.items) > 1]

    def _match(self, x: int, y: int) -> Match:
        """The match of two items, the part of their texts worked out once for each pair of texts
        (most joins are of items with the same text)."""
        i, j = self.key_of[x], self.key_of[y]
        scored = self.explained.get((i, j))
        if scored is None:
            scored = self.explained[(i, j)] = _text_score(self.keys[i], self.keys[j], weights=self.word_weights)
        return _score(self.keys[i], self.keys[j], self.items[x], self.items[y], scored, self.word_weights)

    def _cluster(self, g: _Group) -> Cluster:
        items = sorted(g.items)
        return Cluster(kind=self.kind, items=tuple(self.items[x] for x in items),
                       matches=tuple(match for _, match in sorted(g.matches, key=lambda m: m[0])),
                       label=self._label(items), confirmed=g.suggested == 0)

    def _label(self, items: list[int]) -> str:
        """The medoid: the text with the highest total score against the cluster's items; on a tie
        the shortest, then the first by member and id."""
        counts: dict[int, int] = {}
        first: dict[int, int] = {}
        for x in items:
            counts[self.key_of[x]] = counts.get(self.key_of[x], 0) + 1
            first.setdefault(self.key_of[x], x)
        best = min(counts, key=lambda k: (-sum(n * self._text(k, other) for other, n in counts.items()),
                                          len(self.items[first[k]].text), first[k]))
        return self.items[first[best]].text
