"""Reviewing the common ground: the questions people answer, one at a time.

The finder's groups are suggestions and its near matches a list to read (see
driverkit.programme.common); people decide. A review asks about each suggested group (are these
all one change?) and then each near match (the same change, or different ones?), and turns each
answer into a decision for the programme file (driverkit.programme.recording writes it). An
answer can make a later question moot: once two texts are decided the same, a pair between their
groups is not asked again; once decided different, neither is any other pair between those groups.

    >>> review = Review(load_programme("national.yaml", review_from=60))       # doctest: +SKIP
    >>> for question in review.questions:                                     # doctest: +SKIP
    ...     if not review.moot(question):
    ...         decision = review.answer(question, same=True)                 # then record_decisions(...)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from driverkit.project.model import Decision
from driverkit.programme.analysis import Programme
from driverkit.programme.common import root_of
from driverkit.programme.likeness import TextItem

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
        """Whether "different" answers it: a pair, or a group of two (of a larger group, which of
        its texts differ would not be said)."""
        return len(self.items) == 2

    @property
    def references(self) -> list[str]:
        """The items as the programme file names them: `trusts/a.yaml#C1.1`."""
        return [f"{item.member}#{item.id}" for item in self.items]


class Review:
    """The questions of a programme's common ground, and what the answers so far make of them."""

    def __init__(self, programme: Programme, kinds: Optional[set[str]] = None) -> None:
        groups = [cluster for cluster in programme.clusters if not cluster.confirmed]
        self.questions: list[Question] = [Question("group", cluster.kind, cluster.items) for cluster in groups] + [
            Question("pair", match.a.kind, (match.a, match.b), match.score, match.why) for match in programme.near]
        if kinds:
            self.questions = [question for question in self.questions if question.element in kinds]
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
        self._replay()

    def answer(self, question: Question, same: bool, note: Optional[str] = None) -> Decision:
        """The decision for an answer, which later questions take into account. A ValueError, and
        nothing taken into account, for a question already settled (`moot`: answered, or decided
        by other answers), for "different" of a group of more than two (which of them differ is
        not said), or when a decision cannot name the items (a `#` in a file name)."""
        if self.moot(question):
            raise ValueError("this question is settled by the answers given already")
        if not same and not question.can_be_different:
            raise ValueError(f"a group of {len(question.items)} is not decided different as a whole: "
                             "decide its pairs, or write which of them differ by hand")
        references = question.references
        decision = Decision(same=references, note=note) if same else Decision(different=references, note=note)
        self.answers.append((question, same))
        self._answered.add(question)
        self._join_or_part(question, same)
        return decision

    def undo(self) -> Optional[Question]:
        """Forget the last answer; returns its question (None when there was none)."""
        if not self.answers:
            return None
        question, _ = self.answers.pop()
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
        for question, same in self.answers:
            self._join_or_part(question, same)

    def _root(self, key: Key) -> Key:
        return root_of(self._parent, key)

    def _join_or_part(self, question: Question, same: bool) -> None:
        roots = [self._root(self._key(item)) for item in question.items]
        if same:
            for root in roots[1:]:
                if root != roots[0]:
                    self._parent[root] = roots[0]
                    # what was kept apart from the group joined is kept apart from the whole
                    self._apart = {frozenset(roots[0] if key == root else key for key in pair) for pair in self._apart}
        else:
            self._apart.update(frozenset((a, b)) for a in roots for b in roots if a != b)
