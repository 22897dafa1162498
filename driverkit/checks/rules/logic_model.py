"""Rules on the logic model: items that lead nowhere, and items that nothing leads to.

They look only at a `logic_model:` section written in the file; a logic model drafted from the
driver diagram is not checked. Ids in `leads_to:` that name no item are reported by DK101, and
ids of the wrong kind by DK104.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from driverkit.project.diagnostics import Severity
from driverkit.project.model import ITEM_NAMES, Project
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context

W = Severity.WARNING

_STAGE_INDEX = {stage: index for index, (stage, _) in enumerate(Project.LOGIC_STAGES)}
_OUTCOMES = ("outcomes.short", "outcomes.medium", "outcomes.long")


@rule("DK501", "logic-item-leads-nowhere", W,
      "An input or activity of the logic model leads to nothing.",
      "List what it leads to with `leads_to:`: for an activity the outputs or outcomes it produces, for an input the activities it supports.")
def logic_item_leads_nowhere(ctx: Context) -> Iterator[Finding]:
    """A logic model is read left to right: inputs make activities possible, activities produce
    outputs, outputs bring outcomes and outcomes the impact. An input or an activity with no
    `leads_to:` is cut off from that chain: either the arrow was forgotten, or the item does not
    belong to this programme's theory."""
    for stage, item in ctx.project.logic_items():
        if stage in ("inputs", "activities") and not item.leads_to:
            yield Finding(item.path + ("leads_to",), f"{ITEM_NAMES[stage]} {item.id} leads to nothing")


@rule("DK502", "logic-item-unreached", W,
      "An output, outcome or impact of the logic model is reached by nothing.",
      "Add its id to the `leads_to:` of the earlier item that brings it about, or remove it.")
def logic_item_unreached(ctx: Context) -> Iterator[Finding]:
    """Each output, outcome and impact should follow from something earlier in the logic model: an
    item of an earlier stage that lists it in `leads_to:`. One that nothing leads to is a hope
    rather than part of the theory. Items of the first stage the model has are not reported (there
    is nothing before them), and the impact is taken to be reached when the model has no outcomes
    at all."""
    items = ctx.project.logic_items()
    if not items:
        return
    first = min(_STAGE_INDEX[stage] for stage, _ in items)
    has_outcomes = any(stage in _OUTCOMES for stage, _ in items)
    earliest: dict[str, int] = {}  # item id -> the earliest stage an item leading to it is in
    for stage, item in items:
        for target in item.leads_to:
            earliest[target] = min(earliest.get(target, len(_STAGE_INDEX)), _STAGE_INDEX[stage])
    for stage, item in items:
        index = _STAGE_INDEX[stage]
        if stage in ("inputs", "activities") or index == first:
            continue
        if stage == "impact" and not has_outcomes:
            continue
        if earliest.get(str(item.id), index) < index:
            continue
        yield Finding(item.path, f"{ITEM_NAMES[stage]} {item.id} is reached by nothing: no earlier item lists it in `leads_to:`")


@rule("DK503", "logic-link-wrong-stage", W,
      "A logic-model item links to its own or an earlier stage, or carries a tie its stage cannot have.",
      "`leads_to:` points right, to a later stage; `changes:` belongs to activities, `drivers:` to outcomes, `aim:` to the impact.")
def logic_link_wrong_stage(ctx: Context) -> Iterator[Finding]:
    """A logic model reads left to right, so `leads_to:` names items of a later stage; a link back
    or across makes a loop of cause and effect. Only activities deliver change ideas (`changes:`),
    only outcomes move drivers (`drivers:`), and only an impact is the aim (`aim: true`)."""
    stage_of = {str(item.id): stage for stage, item in ctx.project.logic_items()}
    for stage, item in ctx.project.logic_items():
        for index, target in enumerate(item.leads_to):
            if target in stage_of and _STAGE_INDEX[stage_of[target]] <= _STAGE_INDEX[stage]:
                yield Finding(item.path + ("leads_to", index),
                              f"{ITEM_NAMES[stage]} {item.id} leads to {target} ({ITEM_NAMES[stage_of[target]]}): links point to a later stage")
        misplaced = [key for key, allowed in (("changes", stage == "activities"), ("drivers", stage in _OUTCOMES),
                                              ("aim", stage == "impact")) if getattr(item, key) and not allowed]
        for key in misplaced:
            yield Finding(item.path + (key,), f"{ITEM_NAMES[stage]} {item.id} has `{key}:`, which only "
                          + {"changes": "activities", "drivers": "outcomes", "aim": "the impact"}[key] + " can have", at="key")
