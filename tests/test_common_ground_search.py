"""The common-ground search rules candidates out on a bound, many at a time: it must never rule
out a pair that could reach the cutoff, whatever the words and however they share bits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from driverkit.programme import common, likeness
from driverkit.programme.common import MatchStats, find_clusters
from driverkit.programme.likeness import CHANGE_DAMPING, TextItem, _text_score, _weighed, _wording
from driverkit.programme.reading import LIGHT, normaliser

# Words of the field (they weigh 1) and others (they weigh LIGHT): more than 64, so that with 64
# or 128 bits many words share a bit, also within one text.
WORDS = ["carbon", "monoxide", "smoking", "referral", "nicotine", "glucose", "hypoglycaemia", "thermal",
         "riverside", "ward", "april", "leaflet", "poster", "kingfisher", "audit", "booking",
         *(f"{place}{n}" for place in ("bay", "site", "room", "team") for n in "abcdefghijklmnopqrst")]
texts = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join), min_size=2, max_size=150)


def exact_reach(kind: common._Kind, pair: int) -> float:
    """How far the common words of a pair reach, word by word and weighed as the search weighs
    them (rarity counts among more than 100 texts), as `_scored` tests it against the bar."""
    i, j = divmod(pair, len(kind.keys))
    a, b = kind.keys[i], kind.keys[j]
    shared = _weighed(a, kind.word_weights, a.words & b.words)
    wa, wb = kind.weights[i], kind.weights[j]
    return shared * (1.0 / min(wa, wb) + 2.0 / (wa + wb))


@pytest.mark.parametrize("bits", [64, 128, 1024])
@settings(max_examples=40, deadline=None)
@given(written=texts)
def test_the_bound_is_never_below_the_reach_of_a_pair(bits: int, written: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        # With 128 bits, 64 words have a bit of their own and the others share 64; with 64, all do.
        patch.setattr(common, "_BITS", bits)
        items = [TextItem(f"m{i}", "change", "C1", text) for i, text in enumerate(written)]
        kind = common._Kind("change", items, normaliser(), 80.0, MatchStats())
        _, _, ranks, _ = kind._blocks()
        n = len(kind.keys)
        pairs = np.array([i * n + j for i in range(n) for j in range(i + 1, n)], np.int64)
        bounds = kind._reach_bounds(pairs, ranks)
    assert all(bound >= exact_reach(kind, pair) - 1e-9 for pair, bound in zip(pairs.tolist(), bounds.tolist()))


# Parts of texts, some naming changes of the field, so that pairs name one change both, or more.
PARTS = ["CO test at booking", "NRT on the ward", "opt-out referral to the stop smoking service", "VBA training",
         "for all women", "leaflet", "ward 7", "with a poster", "at 36 weeks", "by the midwife", "in clinic"]
named_texts = st.lists(st.lists(st.sampled_from(PARTS), min_size=1, max_size=4).map(", ".join), min_size=2, max_size=40)


def before_penalties(kind: common._Kind, pair: int) -> float:
    """What `_text_score` weighs a pair at before any penalty, as a reach (a wording of 100 is 2):
    two texts naming one change both count it less the more their own words say already."""
    i, j = divmod(pair, len(kind.keys))
    a, b = kind.keys[i], kind.keys[j]
    full = _wording(a, b, kind.word_weights)[0]
    if a.changes.isdisjoint(b.changes):
        return full / 50.0
    plain = _wording(a, b, kind.word_weights, unnamed=True)[0]
    kept = min(1.0, CHANGE_DAMPING * (1.0 - plain / 100.0))
    return max(plain + (full - plain) * kept, plain) / 50.0


@settings(max_examples=40, deadline=None)
@given(written=named_texts, cutoff=st.sampled_from([45.0, 65.0, 80.0]))
def test_the_reach_of_each_pair_is_what_it_weighs_before_any_penalty(written: list[str], cutoff: float) -> None:
    # The candidates the bound lets through are weighed again many at a time: what is kept must be
    # what the words of each pair give, word by word, or pairs at the bar would be lost; and no
    # pair that scores the cutoff is ruled out.
    items = [TextItem(f"m{i}", "change", "C1", text) for i, text in enumerate(written)]
    with pytest.MonkeyPatch.context() as patch:
        # Rarity counts from a few texts, as it does among more than 100: the weights the search uses.
        patch.setattr(likeness, "RARITY_FROM", 3)
        patch.setattr(likeness, "RARITY_FULL", 10)
        kind = common._Kind("change", items, normaliser(), cutoff + common.STRUCTURE_BONUS, MatchStats())
        patch.setattr(common, "_CHUNK", 7)  # the pairs are weighed a few at a time: the chunks' edges count too
        _, _, ranks, _ = kind._blocks()
        n = len(kind.keys)
        pairs = np.array([i * n + j for i in range(n) for j in range(i + 1, n)], np.int64)
        reaches = kind._reaches(pairs, ranks).tolist()
        scored = kind._scored(pairs, ranks)
    assert reaches == pytest.approx([before_penalties(kind, pair) for pair in pairs.tolist()], rel=1e-9, abs=1e-12)
    # The search keeps exactly the pairs the scorer puts at or above the cutoff.
    expected = {pair for pair in pairs.tolist()
                if _text_score(kind.keys[pair // n], kind.keys[pair % n], kind.cutoff, kind.word_weights)[0] >= kind.cutoff}
    assert set(scored) == expected


def test_the_reach_of_two_texts_naming_one_change_is_at_least_that_of_their_own_words() -> None:
    # Both name the change "carbon monoxide test at booking" and the second names six others
    # besides: their own words say more than all their words, and the pair must not be ruled out
    # on the latter.
    written = ["CO test at booking for all women",
               "CO test at booking for all women, NRT on the ward, opt-out referral to the stop smoking service, and VBA training",
               *(f"ward {n} leaflet" for n in range(120))]
    items = [TextItem(f"m{i}", "change", "C1", text) for i, text in enumerate(written)]
    kind = common._Kind("change", items, normaliser(), 80.0, MatchStats())
    _, _, ranks, _ = kind._blocks()
    assert kind.keys[0].changes & kind.keys[1].changes, "both texts name the change"
    n = len(kind.keys)
    a, b = kind.keys[0], kind.keys[1]
    own = _weighed(a, kind.word_weights, (a.words & b.words) - a.counted)
    wa, wb = kind.own_weights[0], kind.own_weights[1]
    own_reach = own * (1.0 / min(wa, wb) + 2.0 / (wa + wb))
    assert own_reach > exact_reach(kind, 1) + 0.05, "the case is one where their own words say more"
    assert kind._reaches(np.array([0 * n + 1], np.int64), ranks)[0] == pytest.approx(own_reach, rel=1e-9)


def test_two_words_of_one_text_on_one_bit_still_count_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # With 128 bits the 64 commonest words have a bit each and the others share 64: a place and
    # that place + 64 share one. The commonest weigh little here, so that the word hidden must be
    # added back at the weight of the heaviest word, not at that of any column.
    monkeypatch.setattr(common, "_BITS", 128)
    items = [TextItem("m1", "change", "C1", "baya bayb"), TextItem("m2", "change", "C1", "baya bayb bayc")]
    kind = common._Kind("change", items, normaliser(), 80.0, MatchStats())
    weights = np.full(200, LIGHT)
    weights[136:] = 0.1
    kind.bit_of, kind.column_weight = common._bit_places(weights)
    ranks = [[10, 74], [5, 10, 74]]  # baya and bayb, 64 places apart, on one bit
    reach = kind._reach_bounds(np.array([1], np.int64), ranks)[0]  # the pair (0, 1)
    assert reach >= 2 * LIGHT * (1 / (2 * LIGHT) + 2 / (5 * LIGHT)) - 1e-9  # both words shared: 1.8, at the bar of 80


def test_the_search_finds_the_same_clusters_with_few_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    written = ["Carbon monoxide testing at booking", "CO test at booking for every woman", "Offer CO monitoring at booking",
               "Carbon monoxide test at 36 weeks", "Thermal care bundle for preterm babies", "Preterm thermal care bundle",
               "Hat and plastic bag for babies under 32 weeks to keep them warm"]
    items = [TextItem(f"trust-{i}", "change", "C1", text) for i, text in enumerate(written * 3)]
    wide = [(c.label, c.items) for c in find_clusters(items, threshold=70.0)]
    monkeypatch.setattr(common, "_BITS", 64)  # every word on the shared bits
    assert [(c.label, c.items) for c in find_clusters(items, threshold=70.0)] == wide and wide


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("a b c d e f".split()), min_size=1, max_size=9),
       st.lists(st.sampled_from("a b c d e f".split()), min_size=1, max_size=9))
def test_the_quick_bounds_on_a_swap_never_fall_below_what_the_alignment_keeps(left: list[str], right: list[str]) -> None:
    # The search for a word put in place of another skips the alignment when these bounds say it
    # could not pass: they must never be below what the alignment finds, or swaps would be missed.
    from difflib import SequenceMatcher

    from driverkit.programme.likeness import _kept_at_most, _shared_at_most

    opcodes = SequenceMatcher(None, left, right, autojunk=False).get_opcodes()
    kept = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    assert kept <= _shared_at_most(left, right)
    if [tag for tag, *_ in opcodes if tag != "equal"] == ["replace"]:
        assert kept <= _kept_at_most(left, right)
