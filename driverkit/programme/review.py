"""Reviewing the common ground: the questions people answer, one at a time.

The finder's groups are suggestions and its near matches a list to read (see
driverkit.programme.common); people decide. A review asks about each suggested group (are these
all one change?) and then each near match (the same change, or different ones?), and turns each
answer into a decision for the programme file (driverkit.programme.recording writes it). An
answer can make a later question moot: once two texts are decided the same, a pair between their
groups is not asked again; once decided different, neither is any other pair between those groups.
A suggested group whose texts are not all one change can be split: people say which of its
wordings are another change, and the rest are one.

    >>> review = Review(load_programme("national.yaml", review_from=60))       # doctest: +SKIP
    >>> for question in review.questions:                                     # doctest: +SKIP
    ...     if not review.moot(question):
    ...         decision = review.answer(question, same=True)                 # then record_decisions(...)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from driverkit.project.model import Decision
from driverkit.programme.analysis import Programme
from driverkit.programme.common import root_of
from driverkit.programme.likeness import Match, TextItem

Key = tuple[str, str]  # (member, element id)


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

    @property
    def wordings(self) -> tuple[tuple[TextItem, ...], ...]:
        """The items by wording (the same words, however spaced), in the order they first come: a
        large group is mostly one text copied by many members. A split names wordings by their
        place in this."""
        by_text: dict[str, list[TextItem]] = {}
        for item in self.items:
            by_text.setdefault(" ".join(item.text.split()), []).append(item)
        return tuple(tuple(items) for items in by_text.values())

    @property
    def can_be_split(self) -> bool:
        """Whether `Review.split` answers it: a group of more than two, in two wordings or more."""
        return len(self.items) > 2 and len(self.wordings) > 1


class Review:
    """The questions of a programme's common ground, and what the answers so far make of them."""

    def __init__(self, programme: Programme, kinds: Optional[set[str]] = None) -> None:
        self._kinds = kinds
        self.questions: list[Question] = []
        self._ask([Question("group", cluster.kind, cluster.items) for cluster in programme.clusters if not cluster.confirmed])
        self.add_pairs(programme.near)
        # Items start together only in groups people confirmed; a suggested group is one once
        # it is answered the same.
        self._start: dict[Key, Key] = {}
        for cluster in programme.clusters:
            if not cluster.confirmed:
                continue
            first = (cluster.items[0].member, cluster.items[0].id)
            for item in cluster.items:
                self._start[(item.member, item.id)] = first
        self.answers: list[tuple[Question, bool]] = []
        self._groups: list[list[tuple[bool, list[Key]]]] = []  # each answer as decisions: (the same?, the items)
        self._replay()

    def add_pairs(self, near: Iterable[Match]) -> None:
        """Ask about these near matches too, after the questions there are (of a programme
        loaded without its near matches, once `find_near_matches` has found them)."""
        self._ask([Question("pair", match.a.kind, (match.a, match.b), match.score, match.why) for match in near])

    def _ask(self, questions: list[Question]) -> None:
        self.questions += [question for question in questions if not self._kinds or question.element in self._kinds]

    def answer(self, question: Question, same: bool, note: Optional[str] = None) -> Decision:
        """The decision for an answer, which later questions take into account. A ValueError, and
        nothing taken into account, for a question already settled (`moot`: answered, or decided
        by other answers), for "different" of a group of more than two (which of them differ is
        not said), or when a decision cannot name the items (a `#` in a file name)."""
        if self.moot(question):
            raise ValueError("this question is settled by the answers given already")
        if not same and not question.can_be_different:
            raise ValueError(f"a group of {len(question.items)} is not decided different as a whole: "
                             "say which of its wordings are another change (`split`)")
        keys = [self._key(item) for item in question.items]
        return self._take(question, same, [(same, keys)], note)[0]

    def split(self, question: Question, apart: Iterable[int], note: Optional[str] = None) -> list[Decision]:
        """The decisions for "some of these differ": the wordings at the places `apart` (from 0, in
        `question.wordings`) are each another change than the rest, and the rest are one change.
        A wording written by several members stays one change; wordings named apart are not said
        to differ from one another (they may be one change), unless all are named, which says
        that no two of them are the same. Recorded as one answer (`answers` holds it as
        "different"). A ValueError, and nothing taken into account, for a question already
        settled, one that is not a group of more than two in two wordings or more
        (`can_be_split`), or places that are none or not of its wordings."""
        if self.moot(question):
            raise ValueError("this question is settled by the answers given already")
        if not question.can_be_split:
            raise ValueError("only a group of more than two, in two wordings or more, is split")
        wordings = question.wordings
        places = set(apart)
        if not places or not all(0 <= place < len(wordings) for place in places):
            raise ValueError(f"name the wordings that are another change, by their places from 0 to {len(wordings) - 1}")
        odd = [[self._key(item) for item in wordings[place]] for place in sorted(places)]
        rest = [self._key(item) for place, items in enumerate(wordings) if place not in places for item in items]
        groups: list[tuple[bool, list[Key]]] = [(True, keys) for keys in [rest] + odd if len(keys) > 1]
        if rest:
            groups += [(False, [keys[0], rest[0]]) for keys in odd]
        else:
            groups.append((False, [keys[0] for keys in odd]))
        return self._take(question, False, groups, note)

    def _take(self, question: Question, same: bool, groups: list[tuple[bool, list[Key]]],
              note: Optional[str]) -> list[Decision]:
        named = {self._key(item): _reference(item) for item in question.items}
        decisions = [Decision(same=[named[key] for key in keys], note=note) if joined
                     else Decision(different=[named[key] for key in keys], note=note) for joined, keys in groups]
        self.answers.append((question, same))
        self._groups.append(groups)
        self._answered.add(question)
        self._apply(groups)
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
        """Whether the answers so far have settled the question: one answered already, a pair
        whose two items are already in one group or in two groups decided different, a group with
        two items decided different."""
        if question in self._answered:
            return True
        roots = {self._root(self._key(item)) for item in question.items}
        if question.kind == "pair" and len(roots) == 1:
            return True
        return any(frozenset((a, b)) in self._apart for a in roots for b in roots if a != b)

    @staticmethod
    def _key(item: TextItem) -> Key:
        return (item.member, item.id)

    def _replay(self) -> None:
        self._parent: dict[Key, Key] = dict(self._start)
        self._apart: set[frozenset[Key]] = set()
        self._answered = {question for question, _ in self.answers}
        for groups in self._groups:
            self._apply(groups)

    def _root(self, key: Key) -> Key:
        return root_of(self._parent, key)

    def _apply(self, groups: list[tuple[bool, list[Key]]]) -> None:
        for same, keys in groups:  # an answer's joins come before its parts
            roots = [self._root(key) for key in keys]
            if same:
                for root in roots[1:]:
                    if root != roots[0]:
                        self._parent[root] = roots[0]
                        # what was kept apart from the group joined is kept apart from the whole
                        self._apart = {frozenset(roots[0] if key == root else key for key in pair) for pair in self._apart}
            else:
                self._apart.update(frozenset((a, b)) for a in roots for b in roots if a != b)


def _reference(item: TextItem) -> str:
    return f"{item.member}#{item.id}"
