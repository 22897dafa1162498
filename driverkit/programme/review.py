"""Reviewing the common ground: the questions people answer, one at a time.

The finder's groups are suggestions and its near matches a list to read (see
driverkit.programme.common); people decide. A review asks about each suggested group (are these
all one change?) and then each near match (the same change, or different ones?), and turns each
answer into a decision for the programme file (driverkit.programme.recording writes it). An
answer can make a later question moot: once two texts are decided the same, a pair between their
groups is not asked again; once decided different, neither is any other pair between those groups.
A suggested group whose texts are not all one change can be split: people say which of its
wordings are another change, and the rest are one. What the programme file decided already is
taken into account: no answer is taken that would contradict it.

    >>> review = Review(load_programme("national.yaml", review_from=60))       # doctest: +SKIP
    >>> for question in review.questions:                                     # doctest: +SKIP
    ...     if not review.moot(question):
    ...         decision = review.answer(question, same=True)                 # then record_decisions(...)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Optional, Sequence

from driverkit.project.model import Decision
from driverkit.programme.analysis import Programme, decisions_of
from driverkit.programme.decisions import Key, Settled, settle
from driverkit.programme.likeness import Match, TextItem


@dataclass(frozen=True)
class Question:
    """A suggested group (are these all the same change?) or a near match (the same change, or not?)."""

    kind: str
    """"group" or "pair"."""
    element: str
    """What is compared: "change", "driver" or "measure"."""
    items: tuple[TextItem, ...]
    score: Optional[float] = None
    """A pair's score (0 to 100); None for a group."""
    why: str = ""
    """A pair's reason, as the finder gives it."""

    @property
    def can_be_different(self) -> bool:
        """Whether "different" answers it: a pair, or a group of two (a larger group is split,
        saying which of its texts differ)."""
        return len(self.items) == 2

    @property
    def references(self) -> list[str]:
        """The items as the programme file names them: `trusts/a.yaml#C1.1`."""
        return [_reference(item) for item in self.items]

    @cached_property
    def wordings(self) -> tuple[tuple[TextItem, ...], ...]:
        """The items by wording (the same words, however spaced), in the order they first come: a
        large group is mostly one text copied by many members."""
        by_text: dict[str, list[TextItem]] = {}
        for item in self.items:
            by_text.setdefault(" ".join(item.text.split()), []).append(item)
        return tuple(tuple(items) for items in by_text.values())

    @cached_property
    def parts(self) -> tuple[tuple[TextItem, ...], ...]:
        """What a split names, by place: the wordings, or each item when all are worded alike
        (measures of one name may be defined differently)."""
        return self.wordings if len(self.wordings) > 1 else tuple((item,) for item in self.items)

    @property
    def can_be_split(self) -> bool:
        """Whether `Review.split` answers it: a group of more than two."""
        return self.kind == "group" and len(self.items) > 2


class Review:
    """The questions of a programme's common ground, and what the answers so far make of them."""

    def __init__(self, programme: Programme, kinds: Optional[set[str]] = None) -> None:
        # What the programme file decided already, then each answer, taken as the groups take
        # them (driverkit.programme.decisions): the file's `same:` decisions join items (of a
        # confirmed group, and of a suggested group that holds a decided pair), its `different:`
        # decisions keep them apart.
        self._same, self._different, self._kind_of = decisions_of(programme)
        self._kinds = kinds
        self.questions: list[Question] = []
        self._asked: set[Question] = set()
        self._ask([Question("group", cluster.kind, cluster.items) for cluster in programme.clusters if not cluster.confirmed])
        self.add_pairs(programme.near)
        self.answers: list[tuple[Question, bool]] = []
        self._groups: list[list[tuple[bool, list[Key]]]] = []  # each answer as decisions: (the same?, the items)
        self._replay()

    def add_pairs(self, near: Iterable[Match]) -> None:
        """Ask about these near matches too, after the questions there are (of a programme
        loaded without its near matches, once `find_near_matches` has found them); a pair asked
        about already is not added again."""
        self._ask([Question("pair", match.a.kind, (match.a, match.b), match.score, match.why) for match in near])

    def _ask(self, questions: list[Question]) -> None:
        for question in questions:
            if question not in self._asked and (not self._kinds or question.element in self._kinds):
                self._asked.add(question)
                self.questions.append(question)

    def answer(self, question: Question, same: bool, note: Optional[str] = None) -> Decision:
        """The decision for an answer, which later questions take into account. A ValueError, and
        nothing taken into account, for a question already settled (`moot`: answered, or decided
        by other answers or by the programme file), for "different" of a group of more than two
        (`split` it), for an answer that contradicts what is decided already, or when a decision
        cannot name the items (a `#` in a file name)."""
        if self.moot(question):
            raise ValueError("this question is settled by the answers given already")
        if not same and not question.can_be_different:
            raise ValueError(f"a group of {len(question.items)} is not decided different as a whole: "
                             "say which of its wordings are another change (`split`)")
        keys = [self._key(item) for item in question.items]
        return self._take(question, same, [(same, keys)], note)[0]

    def split(self, question: Question, apart: Iterable[int | Iterable[int]], note: Optional[str] = None) -> list[Decision]:
        """The decisions for "not all the same": `apart` names the other changes among the parts
        of a group (`question.parts`, by place from 0: its wordings, or its items when all are
        worded alike), each a place, or several places that are one change together: `[2]`,
        `[1, 3]` (two other changes), `[(1, 3)]` (one other change, worded two ways). The parts
        not named are one change, and each other change is different from it; other changes are
        not said to differ from one another (they may be one), unless no part is left unnamed,
        which says that no two of them are the same. A wording written by several members is one
        change.

        Taken as one answer (`answers` holds it as "different"). A ValueError, and nothing taken
        into account, for a question already settled, one that is not a group of more than two
        (`can_be_split`), places that are none, repeated or not of its parts, all of them named
        as one change (that is "the same"), or a split that contradicts what is decided already
        (two wordings decided the same, set apart)."""
        if self.moot(question):
            raise ValueError("this question is settled by the answers given already")
        if not question.can_be_split:
            raise ValueError("only a group of more than two is split")
        parts = question.parts
        changes = sorted(sorted({place} if isinstance(place, int) else set(place)) for place in apart)
        named = [place for change in changes for place in change]
        if not changes or not all(changes) or len(named) != len(set(named)) or not all(0 <= place < len(parts) for place in named):
            raise ValueError(f"name the parts that are another change, each once, by their places from 0 to {len(parts) - 1}")
        left = [place for place in range(len(parts)) if place not in named]
        if not left and len(changes) == 1:
            raise ValueError("that names them all as one change: they are the same")

        def keys(places: list[int]) -> list[Key]:
            return [self._key(item) for place in places for item in parts[place]]

        rest, others = keys(left), [keys(change) for change in changes]
        groups: list[tuple[bool, list[Key]]] = [(True, group) for group in [rest] + others if len(group) > 1]
        if rest:
            groups += [(False, [other[0], rest[0]]) for other in others]
        else:
            groups.append((False, [other[0] for other in others]))
        return self._take(question, False, groups, note)

    def refresh(self, programme: Programme) -> None:
        """Take the programme file's decisions again (from `programme.project`, the file read
        anew), as when it was changed by hand during the review; the answers stay."""
        kind_of = self._kind_of
        self._same, self._different, self._kind_of = decisions_of(programme)
        self._kind_of.update(kind_of)
        self._replay()

    def decided_together(self, question: Question) -> list[tuple[int, ...]]:
        """The parts of a question (places in `question.parts`) that the programme file or the
        answers so far make one change, in twos or more: a split names them together or not at
        all."""
        places: dict[Key, list[int]] = {}
        for place, items in enumerate(question.parts):
            for root in dict.fromkeys(self._root(self._key(item)) for item in items):
                places.setdefault(root, []).append(place)
        return [tuple(together) for together in places.values() if len(together) > 1]

    def _take(self, question: Question, same: bool, groups: list[tuple[bool, list[Key]]],
              note: Optional[str]) -> list[Decision]:
        named = {self._key(item): _reference(item) for item in question.items}
        self._kind_of.update((key, question.element) for key in named)  # what the answers name counts too
        # a `same:` the file or the answers say already is not written again
        groups = [(joined, keys) for joined, keys in groups if not joined or len({self._root(key) for key in keys}) > 1]
        # Taken only if every join kept so far is still kept, and every join it asks for is kept.
        before = {(d.a, d.b) for d in self._settled.dropped}
        dropped = next((d for d in self._settle(groups).dropped if (d.a, d.b) not in before), None)
        if dropped is not None:
            a, b = dropped.apart if dropped.why == "different" else (dropped.a, dropped.b)
            parting = next((keys for joined, keys in groups if not joined and a in keys and b in keys), None)
            if parting and parting.index(a) > parting.index(b):  # named as the answer names them
                a, b = b, a
            if dropped.why == "member":
                why = "cannot be one change: one member would have two elements in it (with what is decided already; " \
                      "a group holds one element of each member)"
            else:  # a `different:` asked for that parts a join kept, or a join asked for that one keeps apart
                why = f"are decided {'the same' if self._root(a) == self._root(b) else 'different'} already " \
                      "(in the programme file or by an earlier answer)"
            raise ValueError(f"{_reference_of(a)} and {_reference_of(b)} {why}")
        decisions = [Decision(same=[named[key] for key in keys], note=note) if joined
                     else Decision(different=[named[key] for key in keys], note=note) for joined, keys in groups]
        self.answers.append((question, same))
        self._groups.append(groups)
        self._replay()
        return decisions

    def undo(self) -> Optional[Question]:
        """Forget the last answer; returns its question (None when there was none)."""
        if not self.answers:
            return None
        question, _ = self.answers.pop()
        self._groups.pop()
        self._replay()
        return question

    def moot(self, question: Question) -> bool:
        """Whether the answers so far, or the programme file, have settled the question: one
        answered already, one whose items are all one change already, one with two items
        decided different (directly or through the groups that hold them), or a pair whose
        groups hold elements of one member (they cannot be one change)."""
        if question in self._answered:
            return True
        roots = list(dict.fromkeys(self._root(self._key(item)) for item in question.items))
        if len(roots) == 1:
            return True
        if question.kind == "pair" and self._settled.members(roots[0]) & self._settled.members(roots[1]):
            return True
        return any(frozenset((a, b)) in self._settled.apart_groups for a in roots for b in roots if a != b)

    @staticmethod
    def _key(item: TextItem) -> Key:
        return (item.member, item.id)

    def _replay(self) -> None:
        self._answered = {question for question, _ in self.answers}
        self._settled = self._settle()

    def _settle(self, more: Sequence[tuple[bool, list[Key]]] = ()) -> Settled:
        """The file's decisions, then the answers' (and `more`), as the groups take them."""
        answered = [group for groups in self._groups for group in groups] + list(more)
        return settle(self._same + [keys for same, keys in answered if same],
                      self._different + [keys for same, keys in answered if not same], self._kind_of)

    def _root(self, key: Key) -> Key:
        return self._settled.group(key)


def _reference_of(key: Key) -> str:
    return f"{key[0]}#{key[1]}"


def _reference(item: TextItem) -> str:
    return _reference_of((item.member, item.id))
