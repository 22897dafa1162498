"""People's decisions on common ground, taken as the groups take them.

A programme file's `same:` decisions join elements whatever their texts say, and its `different:`
decisions keep elements apart. Not every join asked for can be kept: a group holds one element
of each member, and never two elements a `different:` decision names. `settle` works out, once,
which joins are kept and which are not, and why; the groups (driverkit.programme.common), the
check of the decisions (DK810) and a review (driverkit.programme.review) all start from it, so
they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, TypeVar

Key = tuple[str, str]  # (member, element id)
Node = TypeVar("Node", bound=Hashable)


def root_of(parent: Mapping[Node, Node], node: Node) -> Node:
    """The group of `node` in a union-find kept as a mapping of each joined node to another of its
    group: the node its links lead to (a node not in it is a group of its own)."""
    while parent.get(node, node) != node:
        node = parent[node]
    return node


@dataclass(frozen=True)
class Dropped:
    """A join a `same:` decision asks for that is not kept."""

    decision: int
    """Its place among the `same:` decisions."""
    a: Key
    b: Key
    """The two elements it would join."""
    why: str
    """"member": the two groups hold elements of one member (`twice` names them); "different": a
    `different:` decision (`different`, its place among those) names an element of each
    (`apart`)."""
    joined_by: tuple[int, ...]
    """The `same:` decisions (places) that made the two groups, and this one."""
    twice: tuple[Key, ...] = ()
    different: int = -1
    apart: tuple[Key, ...] = ()


@dataclass
class Settled:
    """What people decided, as kept: the joins, in the order they are made, the groups they make,
    and the pairs kept apart."""

    joins: list[tuple[int, Key, Key]] = field(default_factory=list)
    """(the `same:` decision's place, a, b) for each join kept."""
    apart: dict[frozenset[Key], int] = field(default_factory=dict)
    """Each pair of elements a `different:` decision names -> that decision's place."""
    dropped: list[Dropped] = field(default_factory=list)
    parent: dict[Key, Key] = field(default_factory=dict)
    """The groups as a union-find (see `root_of`): `group` reads it."""
    held: dict[Key, dict[str, Key]] = field(default_factory=dict)
    """A group's root -> its element of each member (groups of two or more)."""
    apart_groups: set[frozenset[Key]] = field(default_factory=set)
    """The pairs of groups (roots) that hold a pair kept apart."""

    def group(self, key: Key) -> Key:
        """The root of the group that holds `key` (itself when it is in none)."""
        return root_of(self.parent, key)

    def members(self, root: Key) -> set[str]:
        """The members of the group of `root`."""
        return set(self.held.get(root, {root[0]: root}))


def settle(same: Iterable[Iterable[Key]], different: Iterable[Iterable[Key]], kind_of: Mapping[Key, str]) -> Settled:
    """The decisions as the groups take them. Only the elements of `kind_of` (those whose texts
    are compared, with their kinds) count. Each `same:` decision, in file order, joins its
    elements of each kind one after the other; a join is not kept when the two groups it would
    join hold elements of one member, or two elements that a `different:` decision names (of one
    kind, pairwise)."""
    settled = Settled()
    for place, group in enumerate(different):
        named = [key for key in map(_key, group) if key in kind_of]
        for x, a in enumerate(named):
            for b in named[x + 1:]:
                if a != b and kind_of[a] == kind_of[b]:
                    settled.apart.setdefault(frozenset((a, b)), place)
    parent, held = settled.parent, settled.held
    made: dict[Key, set[int]] = {}  # a group's root -> the decisions that joined it
    for place, group in enumerate(same):
        named = [key for key in map(_key, group) if key in kind_of]
        for kind in sorted({kind_of[key] for key in named}):
            of_kind = [key for key in named if kind_of[key] == kind]
            for a, b in zip(of_kind, of_kind[1:]):
                ra, rb = root_of(parent, a), root_of(parent, b)
                if ra == rb:
                    continue
                here, there = held.get(ra, {a[0]: a}), held.get(rb, {b[0]: b})
                by = tuple(sorted(made.get(ra, set()) | made.get(rb, set()) | {place}))
                shared = sorted(here.keys() & there.keys())
                if shared:
                    settled.dropped.append(Dropped(place, a, b, "member", by, twice=(here[shared[0]], there[shared[0]])))
                    continue
                blocked = _apart(settled.apart, here.values(), there.values())
                if blocked is not None:
                    (x, y), decision = blocked
                    settled.dropped.append(Dropped(place, a, b, "different", by, different=decision, apart=(x, y)))
                    continue
                parent[rb] = ra
                held[ra] = {**here, **there}
                made[ra] = set(by)
                held.pop(rb, None)
                settled.joins.append((place, a, b))
    settled.apart_groups = {frozenset(map(settled.group, pair)) for pair in settled.apart}
    return settled


def _apart(apart: dict[frozenset[Key], int], one: Iterable[Key], other: Iterable[Key]) -> tuple[tuple[Key, Key], int] | None:
    """The first pair of an element of each group that a `different:` decision names, with it."""
    if apart:
        for a in one:
            for b in other:
                decision = apart.get(frozenset((a, b)))
                if decision is not None:
                    return (a, b), decision
    return None


def _key(key: Iterable[str]) -> Key:
    member, element = key
    return (member, element)
