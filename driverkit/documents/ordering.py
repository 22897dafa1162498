"""Ordering the boxes of each column of a driver diagram so that its links cross as little as possible.

The diagram is a layered graph: its columns are the layers and every link runs from a column to
one further right. A link that spans several columns (a change idea under a secondary driver in a
diagram with tertiary drivers) passes each column in between as a point of its own, as Graphviz
draws it. Crossings are counted between each pair of adjacent columns: two segments cross when
their ends are in opposite orders (segments that share an end never cross). To count the crossings
of boxes in a given order, the points of each column are placed among its boxes where their links
cross fewest others, column by column from the left, then again from the right.

Each box stays with the element it is written under (its home): the boxes of one home are kept
together, the groups in the order of their homes. What moves is the order of the boxes within
each group, and where the boxes written under no element (top-level change ideas) go between the
groups. `Layers.balanced` sweeps the columns left to right and right to left, sorting each group
by the barycentre (the mean position) of its boxes' links in the column just placed, then moves
each box to the place in its group where fewest links cross (sifting; a driver takes what is
written under it along, and each of its places is counted on the whole diagram while that is
cheap), round after round while a round finds fewer crossings. The order with the fewest
crossings is kept: the starting order unless one beats it. Finally neighbours in a group are put
back in the order of the file wherever that crosses no more. Ties are broken by the current
position, so the result depends on the input only.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from typing import Callable, Optional, Sequence, Union

PASSES = 8  # rounds of sweeps (left to right, right to left, sifting) at most
# Sifting tries each place of a driver on the whole diagram (so that what is written under it
# moves with it) while (places to try) x (links and boxes) stays within this; beyond it, a driver
# counts the crossings of its own links only. (A change idea, with nothing to its right, always
# counts its own links: that is exact for it.)
EXACT_BUDGET = 250_000  # at most about 0.3 s of sifting on the project's 2-core machine
WINDOW = 40  # how far (in slots) sifting moves a box of no home


class Point:
    """Where the link from `parent` to `child` passes a column between theirs. Each is made once,
    by `Layers`, and compared by identity: the counting hashes points very often."""

    __slots__ = ("parent", "child", "layer")

    def __init__(self, parent: str, child: str, layer: int):
        self.parent, self.child, self.layer = parent, child, layer

    def __repr__(self) -> str:
        return f"Point({self.parent!r}, {self.child!r}, {self.layer})"


Item = Union[str, Point]
Order = list[list[Item]]


class Layers:
    """The columns of a diagram (box keys, top to bottom, in the order they are written) and its
    links (parent key, child key), with the points where links cross the columns between their
    ends. `homes` maps a box to the box it is written under; `fixed` columns keep their order."""

    def __init__(self, columns: Sequence[Sequence[str]], links: Sequence[tuple[str, str]],
                 homes: Optional[dict[str, str]] = None, fixed: Sequence[int] = ()):
        layer_of = {key: index for index, column in enumerate(columns) for key in column}
        self.columns = [list(column) for column in columns]
        self.written = {key: index for column in columns for index, key in enumerate(column)}
        self.fixed = set(fixed)
        self.points: list[list[Point]] = [[] for _ in columns]
        self.left: dict[Item, list[Item]] = {}  # the ends of an item's segments one column to the left
        self.right: dict[Item, list[Item]] = {}
        self.home: dict[str, Item] = {}  # the item one column to the left on the link to a box's home
        for parent, child in links:
            first, last = layer_of[parent], layer_of[child]
            if last <= first:
                raise ValueError(f"the link {parent} -> {child} does not run left to right")
            chain: list[Item] = [parent]
            for layer in range(first + 1, last):
                point = Point(parent, child, layer)
                self.points[layer].append(point)
                chain.append(point)
            chain.append(child)
            for upper, lower in zip(chain, chain[1:]):
                self.right.setdefault(upper, []).append(lower)
                self.left.setdefault(lower, []).append(upper)
            if (homes or {}).get(child) == parent:
                self.home[child] = chain[-2]
        self.segments = sum(len(ends) for ends in self.right.values())
        self._counted: dict[tuple[tuple[Item, ...], tuple[Item, ...]], int] = {}
        self._sifted: dict[tuple[tuple[Item, ...], ...], Order] = {}
        # What each item's group follows: for a box, the item one column to the left on the link
        # to the box it is written under (none for a box of no home); for a point, the item
        # before it on its link, so that a link passes a column near where it comes from.
        self.group: dict[Item, Optional[Item]] = {**self.home, **{p: self.left[p][0] for points in self.points for p in points}}

    # -- counting -----------------------------------------------------------------------------

    def crossings(self, columns: Optional[Sequence[Sequence[str]]] = None) -> int:
        """The crossings of the diagram with its columns in this order (by default, as written)."""
        return self.count(self.settle(self.columns if columns is None else columns))

    def count(self, order: Order, first: int = 0) -> int:
        """The crossings of an order whose points are placed, between the columns from `first` on."""
        return sum(self._between(tuple(upper), tuple(lower)) for upper, lower in zip(order[first:], order[first + 1:]))

    def _between(self, upper: tuple[Item, ...], lower: tuple[Item, ...]) -> int:
        """The crossings between two adjacent columns, remembered: sifting tries many orders that
        differ in one or two columns only."""
        known = self._counted.get((upper, lower))
        if known is None:
            below = {item: index for index, item in enumerate(lower)}
            known = self._counted[(upper, lower)] = _inversions([[below[n] for n in self.right[item]] for item in upper if item in self.right])
        return known

    def settle(self, columns: Sequence[Sequence[Item]]) -> Order:
        """The boxes in the order given, and each column's points placed among them: from left to
        right against the segments already placed, then from right to left against both sides."""
        order: Order = [_boxes(column) for column in columns]
        place = _places(order)
        for layer in range(len(order)):
            self._place_points(order, layer, place)
        for layer in range(len(order) - 1, -1, -1):  # links across three columns or more
            if any(isinstance(self.right[point][0], Point) for point in self.points[layer]):
                self._place_points(order, layer, place)
        return order

    def _place_points(self, order: Order, layer: int, place: dict[Item, int]) -> None:
        """The column's points taken out and put back among its boxes. Sorted by their ends, the
        points cross each other least; they are then merged into the boxes (each keeping its
        order) where the fewest of their segments cross the boxes' segments placed so far."""
        if not self.points[layer]:
            return
        boxes = _boxes(order[layer])
        for point in self.points[layer]:
            place.pop(point, None)
        place.update({box: index for index, box in enumerate(boxes)})

        def ends(point: Point) -> tuple[int, int]:
            return place.get(self.left[point][0], -1), place.get(self.right[point][0], -1)

        points = sorted(self.points[layer], key=ends)
        # fewest[s]: the fewest crossings of the points so far, the last of them before box s
        fewest: list[int] = []
        choices: list[list[int]] = []
        for point in points:
            costs = self._slot_costs(boxes, point, place, 0, len(boxes))
            best, choice, running = [], [], (0, 0)
            for slot, cost in enumerate(costs):
                if fewest:
                    running = min(running, (fewest[slot], slot)) if slot else (fewest[0], 0)
                best.append(cost + running[0])
                choice.append(running[1])
            fewest = best
            choices.append(choice)
        slot = min(range(len(fewest)), key=lambda s: (fewest[s], s))
        slots = []
        for choice in reversed(choices):
            slots.append(slot)
            slot = choice[slot]
        column: list[Item] = []
        waiting = iter(zip(reversed(slots), points))
        upcoming = next(waiting, None)
        for index in range(len(boxes) + 1):
            while upcoming is not None and upcoming[0] == index:
                column.append(upcoming[1])
                upcoming = next(waiting, None)
            if index < len(boxes):
                column.append(boxes[index])
        order[layer] = column
        place.update({item: index for index, item in enumerate(column)})

    def _slot_costs(self, column: Sequence[Item], item: Item, place: dict[Item, int], low: int, high: int) -> list[int]:
        """For each slot from `low` to `high` of `column` (which does not hold `item`), the
        crossings of the segments of `item` put there with those of the items from `low` to
        `high`, counting placed ends only."""
        sides = []
        for neighbours in (self.left, self.right):
            mine = sorted(place[n] for n in neighbours.get(item, ()) if n in place)
            if mine:
                sides.append((neighbours, mine))
        above, below = [], []  # crossings with each item when it is above `item`, and when below
        for other in column[low:high]:
            over = under = 0
            for neighbours, mine in sides:
                for end in neighbours.get(other, ()):
                    if end in place:
                        over += bisect_left(mine, place[end])
                        under += len(mine) - bisect_right(mine, place[end])
            above.append(over)
            below.append(under)
        costs = [sum(below)]
        for over, under in zip(above, below):
            costs.append(costs[-1] + over - under)
        return costs

    # -- ordering -----------------------------------------------------------------------------

    def balanced(self, start: Optional[Sequence[Sequence[str]]] = None) -> list[list[str]]:
        """The columns ordered for fewest crossings, starting from `start` (by default, as written)."""
        start = self.settle(self.columns if start is None else start)
        best = current = self._regrouped(start)
        fewest = self.count(best)
        for _ in range(PASSES):
            if fewest == 0:
                break
            improved = False
            for step in (self._sweep_right, self._sweep_left, self._sift):
                current = step(current)
                crossings = self.count(current)
                if crossings < fewest:
                    best, fewest, improved = current, crossings, True
            if not improved:
                break
        tidied = self._tidy(best)
        if self.count(tidied) <= fewest:
            best = tidied
        # The points were kept with the links' parents while searching; the boxes' order is
        # judged as it is counted, points placed where they cross least.
        if self.count(self.settle(best)) > self.count(start):
            best = start
        return [_boxes(column) for column in best]

    def _sweep_right(self, order: Order) -> Order:
        """Each column from the left, each group sorted by the mean place of its boxes' left ends."""
        order = [list(column) for column in order]
        for layer in range(1, len(order)):
            self._arrange(order, layer, self.left)
        return order

    def _sweep_left(self, order: Order) -> Order:
        """Each column from the right, each group sorted by the mean place of its boxes' right
        ends; then the groups of the columns further right put back in the order of their homes."""
        order = [list(column) for column in order]
        for layer in range(len(order) - 2, 0, -1):
            self._arrange(order, layer, self.right)
        return self._regrouped(order)

    def _regrouped(self, order: Order, first: int = 1) -> Order:
        """The groups of each column from `first` on put in the order of their homes."""
        order = [list(column) for column in order]
        for layer in range(first, len(order)):
            if layer not in self.fixed:
                order[layer] = self._in_home_order(order[layer - 1], order[layer])
        return order

    def _in_home_order(self, upper: Sequence[Item], column: Sequence[Item]) -> list[Item]:
        """`_arrange` without `neighbours`, the step sifting repeats most: each home's group (in its
        current order) where the home stands in `upper`, each box of no home after the groups
        whose homes stand at or above the mean place of its left ends (last when it has none)."""
        return self._arranged(upper, self._grouped(column))

    def _grouped(self, column: Sequence[Item]) -> tuple[dict[Item, list[Item]], list[tuple[int, Item]]]:
        """A column's groups by home (each in its current order) and its boxes of no home (with
        their places)."""
        groups: dict[Item, list[Item]] = {}
        free = []
        for index, item in enumerate(column):
            home = self.group.get(item)
            if home is None:
                free.append((index, item))
            else:
                groups.setdefault(home, []).append(item)
        return groups, free

    def _arranged(self, upper: Sequence[Item], grouped: tuple[dict[Item, list[Item]], list[tuple[int, Item]]]) -> list[Item]:
        groups, free = grouped
        if not free:
            return [item for home in upper if home in groups for item in groups[home]]
        place = {item: index for index, item in enumerate(upper)}
        waiting = sorted(((_mean(place, self.left.get(item, ())), index, item) for index, item in free),
                         key=lambda f: (float("inf") if f[0] is None else f[0], f[1]))
        arranged: list[Item] = []
        next_free = 0
        for position, home in enumerate(upper):
            block = groups.get(home)
            if block is None:
                continue
            while next_free < len(waiting) and waiting[next_free][0] is not None and waiting[next_free][0] < position:
                arranged.append(waiting[next_free][2])
                next_free += 1
            arranged.extend(block)
        arranged.extend(item for _, _, item in waiting[next_free:])
        return arranged

    def _arrange(self, order: Order, layer: int, neighbours: Optional[dict[Item, list[Item]]]) -> None:
        """Lay out one column: its groups in the order of their homes, each group sorted by the mean
        place of its items' ends on one side (`neighbours`; an item with none there keeps its place
        in the group, and without `neighbours` every item keeps it), and each box of no home
        between the groups, after those whose homes stand above the mean place of its left ends
        (last when it has none)."""
        if layer in self.fixed:
            return
        place = _places(order[layer - 1:layer] + (order[layer + 1:layer + 2] if neighbours is self.right else []))  # either side
        groups: dict[Item, list[Item]] = {}
        free = []
        for index, item in enumerate(order[layer]):
            home = self.group.get(item)
            if home is None:
                mean = _mean(place, self.left.get(item, ()))
                free.append(((float("inf") if mean is None else mean, 1, index), [item]))
            else:
                groups.setdefault(home, []).append(item)
        def key(item: Item) -> Optional[float]:
            return _mean(place, neighbours.get(item, ())) if neighbours else None

        blocks = [((place[home], 0, 0), _keeping_places(items, key) if neighbours else items) for home, items in groups.items()]
        order[layer] = [item for _, items in sorted(blocks + free, key=lambda block: block[0]) for item in items]

    def _best(self, column: list[Item], item: Item, place: dict[Item, int], slots: Sequence[int], near: int) -> int:
        """The one of `slots` where the segments of `item` cross fewest others; of equally good
        slots, the nearest to `near`."""
        low, high = min(slots), max(slots)
        costs = self._slot_costs(column, item, place, low, high)
        return min(slots, key=lambda s: (costs[s - low], abs(s - near), s))

    def _put(self, column: list[Item], item: Item, place: dict[Item, int], slots: Sequence[int], near: int) -> None:
        """`item`, just taken out of `column` at `near`, inserted at its best slot (see `_best`)."""
        slot = self._best(column, item, place, slots, near)
        column.insert(slot, item)
        first, last = min(slot, near), max(slot, near)  # the items between moved by one
        place.update({moved: index for index, moved in enumerate(column[first:last + 1], first)})

    def _slots(self, column: list[Item], item: Item, index: int) -> list[int]:
        """Where an item taken out of `column` at `index` may go back: within its group, or, for a
        box of no home, between the groups, at most WINDOW slots away (the sweeps put it near
        its best place already)."""
        home = self.group.get(item)
        if home is None:
            low, high = max(index - WINDOW, 0), min(index + WINDOW, len(column))
            return [slot for slot in range(low, high + 1) if slot in (0, len(column))
                    or self.group.get(column[slot - 1]) is None or self.group.get(column[slot - 1]) != self.group.get(column[slot])]
        low = high = index
        while low > 0 and self.group.get(column[low - 1]) == home:
            low -= 1
        while high < len(column) and self.group.get(column[high]) == home:
            high += 1
        return list(range(low, high + 1))

    def _trials(self, order: Order) -> int:
        """About how many places sifting tries on the whole diagram: for each box with links to its
        right, the slots of its group, or those between the groups for a box of no home."""
        total = 0
        for layer, column in enumerate(order):
            if layer not in self.fixed:
                sizes = Counter(self.group.get(item) for item in column)
                for item in column:
                    if isinstance(item, str) and item in self.right:
                        home = self.group.get(item)
                        total += (sizes[home] if home is not None else len(sizes)) + 1
        return total

    def _sift(self, order: Order) -> Order:
        """Each item in turn taken out and put back where fewest links cross: within its group,
        or, for a box of no home, between the groups. While that stays cheap (EXACT_BUDGET) each
        place is tried on the whole diagram, what is written under the item moving with it;
        otherwise an item counts the crossings of its own links only."""
        known = self._sifted.get(tuple(map(tuple, order)))
        if known is not None:  # a later round may start the sifting where an earlier one did
            return [list(column) for column in known]
        given = tuple(map(tuple, order))
        order = self._regrouped(order)
        exact = self._trials(order) * (self.segments + sum(map(len, order))) <= EXACT_BUDGET
        for layer in range(1, len(order)):
            if layer in self.fixed:
                continue
            place = _places(order)
            for item in list(order[layer]):
                column = order[layer]
                index = place[item]
                del column[index]
                slots = self._slots(column, item, index)
                if exact and isinstance(item, str) and item in self.right and len(slots) > 1:
                    # Each trial regroups the columns to the right; only the column just left of
                    # each changes from trial to trial, so each column is grouped once.
                    later = [(k, self._grouped(order[k])) for k in range(layer + 1, len(order)) if k not in self.fixed]
                    trials = []
                    for slot in slots:
                        column.insert(slot, item)
                        trial = order[:layer] + [list(column)] + order[layer + 1:]
                        for k, grouped in later:
                            trial[k] = self._arranged(trial[k - 1], grouped)
                        trials.append(((self.count(trial, layer - 1), abs(slot - index), slot), trial))
                        del column[slot]
                    order = min(trials, key=lambda t: t[0])[1]
                    place = _places(order)
                else:
                    self._put(column, item, place, slots, index)
        order = self._regrouped(order)
        self._sifted[given] = order
        return [list(column) for column in order]

    def _tidy(self, order: Order) -> Order:
        """Neighbouring boxes of one group swapped back into the order they are written in,
        wherever the swap crosses no more links (boxes of no home stay where the links put them)."""
        order = [list(column) for column in order]
        place = _places(order)
        for layer, column in enumerate(order):
            if layer in self.fixed:
                continue
            swapped = True
            while swapped:
                swapped = False
                for index in range(len(column) - 1):
                    upper, lower = column[index], column[index + 1]
                    if (isinstance(upper, str) and isinstance(lower, str) and upper in self.home and self.home.get(upper) == self.home.get(lower)
                            and self.written[lower] < self.written[upper]
                            and self._pair(lower, upper, place) <= self._pair(upper, lower, place)):
                        column[index], column[index + 1] = lower, upper
                        place[upper], place[lower] = index + 1, index
                        swapped = True
        return order

    def _pair(self, upper: Item, lower: Item, place: dict[Item, int]) -> int:
        """Crossings between the segments of two neighbours in a column, `upper` above `lower`."""
        total = 0
        for neighbours in (self.left, self.right):
            ends = [place[n] for n in neighbours.get(lower, ())]
            total += sum(a > b for a in (place[n] for n in neighbours.get(upper, ())) for b in ends)
        return total


def _boxes(column: Sequence[Item]) -> list[Item]:
    return [item for item in column if not isinstance(item, Point)]


def _places(order: Order) -> dict[Item, int]:
    return {item: index for column in order for index, item in enumerate(column)}


def _mean(place: dict[Item, int], ends: Sequence[Item]) -> Optional[float]:
    placed = [place[end] for end in ends if end in place]
    return sum(placed) / len(placed) if placed else None


def _keeping_places(items: list[Item], key: Callable[[Item], Optional[float]]) -> list[Item]:
    """`items` sorted by `key`, ties in their current order; items whose key is None keep their places."""
    keyed = [(key(item), index, item) for index, item in enumerate(items)]
    moving = iter(item for _, _, item in sorted((k for k in keyed if k[0] is not None), key=lambda k: (k[0], k[1])))
    return [next(moving) if k is not None else item for k, _, item in keyed]


def _inversions(groups: list[list[int]]) -> int:
    """Pairs of values, each from a different group, where the value of the earlier group is the
    greater (values in one group are ends of segments that share the other end: they never cross)."""
    seen: list[int] = []
    total = 0
    for values in groups:
        size = len(seen)
        for value in values:
            total += size - bisect_right(seen, value)
        for value in values:
            insort(seen, value)
    return total
