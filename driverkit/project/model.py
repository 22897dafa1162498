"""The project file format, as Pydantic models.

One YAML file describes one improvement project. Its shape follows the driver diagram: the aim,
then primary drivers with their secondary (and tertiary) drivers nested inside them, change ideas
nested under the drivers they serve, and measures listed once and attached by id. Links that the
nesting cannot express (a second parent) are written by id with `also:`; change ideas that serve
several drivers can be listed at the top level with `drivers:`.

Elements without an `id` get a stable generated one from their position: P1, S1.2, T1.2.1 for
drivers, C1.2.1 for a change idea nested under S1.2, C1 for the first top-level change idea, M1 for
the first measure, and so on.
"""

# No `from __future__ import annotations` here: pydantic would compile and evaluate each field's
# annotation from its text when the models are made (a few ms of every start-up).
import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Iterator, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator, model_validator

from driverkit.project.fields import FlexDate, Id, Percent, Reduction, Reference, Tag, Text, Url

LEVEL_NAMES = {1: "primary", 2: "secondary", 3: "tertiary"}
MAX_DRIVER_LEVEL = len(LEVEL_NAMES)
ID_PREFIXES = {1: "P", 2: "S", 3: "T"}

Status = Literal["idea", "testing", "adopted", "abandoned"]
STATUSES = ("idea", "testing", "adopted", "abandoned")  # in this order in legends
Strength = Literal["strong", "weak"]
Family = Literal["outcome", "process", "balancing"]
Better = Literal["higher", "lower"]
PathKey = tuple[Union[str, int], ...]


def _empty_list() -> list[Any]:
    """The default of a list field. Not `default_factory=list`: pydantic asks each factory for its
    signature, and a builtin's is parsed from text (with tokenize), about 0.2 ms a field."""
    return []


class Model(BaseModel):
    # defer_build: each model's validator is made when that model is first used, not at import.
    # Loading a file makes the Project's alone, the models under it part of it; made at import,
    # every model's would be made too, each over again for the models inside it.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True, allow_inf_nan=False, defer_build=True)


def _one_or_many(schema: dict[str, Any]) -> None:
    """In the JSON Schema a list field also takes a single item, as the loader does (`also: S1`)."""
    as_list = dict(schema)
    items = as_list.get("items", {})
    schema.clear()
    for key in ("title", "description"):
        if key in as_list:
            schema[key] = as_list.pop(key)
    as_list.pop("default", None)
    schema["anyOf"] = [items, as_list]


def _link_schema(schema: dict[str, Any]) -> None:
    """In the JSON Schema a link is either an id or an object with `to`."""
    as_object = dict(schema)
    schema.clear()
    schema["title"] = as_object.pop("title", "Link")
    schema["description"] = as_object.pop("description", "")
    schema["anyOf"] = [{"type": "string", "description": "the id of the element linked to"}, as_object]


class Link(Model):
    """A link to another element by its id, with its strength and the evidence behind it."""

    model_config = ConfigDict(json_schema_extra=_link_schema)

    to: Id = Field(description="The id of the element this one contributes to.")
    strength: Strength = Field("strong", description="strong (drawn solid) or weak (drawn dotted).")
    evidence: Optional[str] = Field(None, description="Why the team believes in this link: a study, an audit, a guideline.")

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        return {"to": value} if isinstance(value, str) else value


class Element(Model):
    """What every driver, change idea and measure has: an optional id, tags and notes."""

    id: Optional[Id] = Field(None, description="A short id (P1, S2, C7) used to refer to this element; generated from its position when absent.")
    tags: list[Tag] = Field(default_factory=_empty_list, description="Free-form tags, used to filter views.", json_schema_extra=_one_or_many)
    notes: Optional[str] = Field(None, description="Free-form notes, shown in the documents (the measurement plan, the outline of the diagram).")
    url: Optional[Url] = Field(None, description="A link to more about this element (an http or https address, or a path relative to the outputs): its box is clickable in SVG and PDF, its name a link in the documents.")

    _path: PathKey = PrivateAttr(default=())
    _generated_id: bool = PrivateAttr(default=False)

    @property
    def path(self) -> PathKey:
        """Where this element sits in the YAML document, e.g. ("drivers", 0, "changes", 2)."""
        return self.__pydantic_private__["_path"]  # type: ignore[index]  # direct: private reads are slow

    @property
    def id_generated(self) -> bool:
        """True when the id was generated from the element's position rather than written."""
        return self._generated_id

    @field_validator("tags", mode="before")
    @classmethod
    def _one_tag(cls, value: Any) -> Any:
        return _as_list(value)


def _as_list(value: Any) -> Any:
    """`also: S1` is read as `also: [S1]`: one item written without brackets (a mapping too)."""
    return [value] if isinstance(value, (str, dict)) else value


class Linked(Element):
    """An element drawn in the driver diagram: its text, and the measures attached to it."""

    text: Text = Field(description="What the box says.")
    description: Optional[str] = Field(None, description="A longer explanation: a tooltip in rendered diagrams, a smaller second line in the box with the render setting `descriptions: true`, and in the documents.")
    measures: list[Id] = Field(default_factory=_empty_list, description="Ids of the measures attached to this element.", json_schema_extra=_one_or_many)

    _lists = field_validator("measures", mode="before")(_as_list)


class Nested(Linked):
    """An element written inside the one it contributes to, with further parents by id."""

    strength: Strength = Field("strong", description="The strength of the link to the element this one is nested in: strong (solid) or weak (dotted).")
    evidence: Optional[str] = Field(None, description="The evidence for the link to the element this one is nested in.")
    also: list[Link] = Field(default_factory=_empty_list, description="Further elements this one contributes to, by id (a second or third parent).", json_schema_extra=_one_or_many)

    _also_list = field_validator("also", mode="before")(_as_list)


class ChangeIdea(Linked):
    """A concrete change that can be tested next week (nested under a driver, or listed on its own)."""

    status: Status = Field("idea", description="idea, testing, adopted or abandoned.")
    owner: Optional[str] = Field(None, description="Who leads the tests of this change idea.")
    introduced: Optional[FlexDate] = Field(None, description="When the change became part of routine practice; marked on the charts of the measures it should move.")


class NestedChangeIdea(ChangeIdea, Nested):
    """A change idea nested under the driver it serves."""


class LinkedChangeIdea(ChangeIdea):
    """A change idea listed at the top level, linked to the drivers it serves by id."""

    drivers: list[Link] = Field(default_factory=_empty_list, description="The drivers this change idea serves, by id.", json_schema_extra=_one_or_many)

    _drivers_list = field_validator("drivers", mode="before")(_as_list)


class Driver(Nested):
    """A driver: something that, if it changes, moves the aim. Primary drivers nest secondary ones."""

    drivers: list["Driver"] = Field(default_factory=_empty_list, description="The drivers one level down (secondary under primary, tertiary under secondary).")
    changes: list[NestedChangeIdea] = Field(default_factory=_empty_list, description="Change ideas that serve this driver.")
    serves: list[Reference] = Field(default_factory=_empty_list, description="Drivers (or the aim) of programme files that this driver serves: `../national.yaml#S1.1`, `../national.yaml#aim`.", json_schema_extra=_one_or_many)

    _serves_list = field_validator("serves", mode="before")(_as_list)

    _level: int = PrivateAttr(default=1)

    @property
    def level(self) -> int:
        """1 for a primary driver, 2 for secondary, 3 for tertiary."""
        return self.__pydantic_private__["_level"]  # type: ignore[index]


class DataPoint(Model):
    """One point of a measure's data: a period and a value, or a numerator and a denominator; on an
    xbar-s chart, a subgroup: its values, or its size, mean and standard deviation."""

    period: Text = Field(description="When: a date (2024-03-31), a month (2024-03) or a label (Week 12).")
    value: Optional[float] = Field(None, description="The value, for a measure charted as it is.")
    numerator: Optional[float] = Field(None, ge=0, description="The count on top, for a rate or a proportion.")
    denominator: Optional[float] = Field(None, description="What it is divided by; above zero.")
    values: Optional[list[float]] = Field(None, description="xbar-s: the values of the period's subgroup (2 or more), e.g. minutes for each patient of the week.")
    n: Optional[int] = Field(None, description="xbar-s: the size of the period's subgroup (2 or more), with `mean` and `sd`.")
    mean: Optional[float] = Field(None, description="xbar-s: the mean of the period's subgroup, with `n` and `sd`.")
    sd: Optional[float] = Field(None, description="xbar-s: the sample standard deviation (n - 1 divisor) of the period's subgroup, 0 or more, with `n` and `mean`.")
    note: Optional[str] = Field(None, description="A note shown on the chart at this point.")
    exclude: bool = Field(False, description="Plotted, but left out of the centre line and limits.")
    astronomical: bool = Field(False, description="ihi: the team judges this point astronomical, blatantly different from all the others; the ihi rules report it as a signal, excluded from the calculations or not.")

    @model_validator(mode="before")
    @classmethod
    def _period_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("period"), (int, float)):
            return {**value, "period": str(value["period"])}
        return value


ChartType = Literal["run", "xmr", "xbar-s", "p", "p-prime", "u", "u-prime", "c", "g", "t"]


class Phase(Model):
    """A deliberate, documented change to the process: a new centre line and limits from a period."""

    start: Text = Field(alias="from", description="The period the phase starts at.")
    note: Optional[str] = Field(None, description="Why: the change made at that point.")


class ChartSettings(Model):
    """How a measure's data are charted and read."""

    type: ChartType = Field("run", description="run, xmr (I/MR), xbar-s (subgroups: Xbar and S), p, p-prime, u, u-prime, c, g or t.")
    rules: Optional[Literal["anhoej", "ihi", "mdc"]] = Field(None, description="The rules that read the chart: anhoej (the default for run charts), ihi, or mdc (Making Data Count, the default for XmR).")
    baseline: Optional[Union[Annotated[int, Field(ge=2)], Text]] = Field(None, description="The centre line and limits from the first N points, or from the points before a period (e.g. 2024-06), extended.")
    shift: int = Field(6, ge=6, le=7, description="mdc: the points on one side of the mean that make a shift (6, or 7 as in earlier guidance).")
    trend: int = Field(6, ge=6, le=7, description="mdc: the points all rising or all falling that make a trend (6, or 7 as in earlier guidance).")
    two_of_three_beyond_3_sigma: bool = Field(False, description="mdc: whether points beyond 3 sigma count towards two of three beyond 2 sigma.")
    screening: bool = Field(False, description="XmR: leave moving ranges above 3.267 x their mean out of the limits (off, as in Making Data Count).")
    moving_range: bool = Field(False, description="XmR: draw the moving-range chart under the individuals, with its upper range limit (3.267 x the mean moving range).")

    @field_validator("baseline")
    @classmethod
    def _count_or_period(cls, value: Union[int, str, None]) -> Union[int, str, None]:
        """A number (even written as text) is a count of points, and needs 2 or more."""
        if isinstance(value, str) and value.lstrip("+-").replace(".", "", 1).isdigit():
            if not value.lstrip("+").isdigit():
                raise ValueError("a baseline is a whole number of points (2 or more) or a period such as 2024-06")
            value = int(value)
        if isinstance(value, int) and value < 2:
            raise ValueError("a baseline needs at least 2 points")
        return value
    phases: list[Phase] = Field(default_factory=_empty_list, description="Deliberate changes to the process, each starting a new centre line and limits.")


def _shared_measure_schema(schema: dict[str, Any]) -> None:
    """In the JSON Schema a measure needs `name` and `family`, unless it uses a shared one."""
    required = schema.pop("required", [])
    schema["anyOf"] = [{"required": required}, {"required": ["use"]}]


class Measure(Element):
    """A measure with its operational definition: outcome, process or balancing."""

    model_config = ConfigDict(json_schema_extra=_shared_measure_schema)

    use: Optional[Reference] = Field(None, description="A shared measure of a programme file used here (`../national.yaml#M3`): its definition is taken from there, keys written here replace its keys, and its data are this project's own.")
    name: Text = Field(description="The measure's name, neutral about direction (\"Stillbirth rate\", not \"Reduce stillbirths\").")
    family: Family = Field(description="outcome (the aim), process (are the changes happening) or balancing (what might get worse).")
    definition: Optional[str] = Field(None, description="The operational definition: exactly what is counted, so that two people get the same number.")
    numerator: Optional[str] = Field(None, description="What is counted on top of a rate or proportion.")
    denominator: Optional[str] = Field(None, description="What the numerator is divided by.")
    unit: Optional[str] = Field(None, description="The unit, e.g. 'per 1,000 births' or '%'.")
    source: Optional[str] = Field(None, description="Where the data come from.")
    collection: Optional[str] = Field(None, description="How the data are collected.")
    sampling: Optional[str] = Field(None, description="The sampling plan, if not every case is counted.")
    frequency: Optional[str] = Field(None, description="How often the measure is reported, e.g. weekly or monthly.")
    owner: Optional[str] = Field(None, description="Who collects and reports the measure.")
    baseline: Optional[float] = Field(None, description="The value before the changes.")
    baseline_date: Optional[FlexDate] = Field(None, description="When the baseline was measured.")
    goal: Optional[float] = Field(None, description="The value the team aims for.")
    better: Optional[Better] = Field(None, description="Which direction is an improvement: higher or lower.")
    data: list[DataPoint] = Field(default_factory=_empty_list, description="The measure's data, written in the file: one point per period, in time order.")
    data_file: Optional[Text] = Field(None, description="Or: a CSV file of the data, relative to the project file, with columns period and value (or period, numerator and denominator; on an xbar-s chart, period, n, mean and sd, or period and value with a row for each value of the subgroup); note, exclude and astronomical optional.")
    chart: Optional[ChartSettings] = Field(None, description="How the data are charted and read.")

    _shared: Any = PrivateAttr(default=None)  # for `use:`, the Reference it came from, resolved by the loader

    @property
    def shared_from(self) -> Optional[Any]:
        """For a measure that uses a shared one: the resolved reference (a
        `driverkit.project.references.Resolved`, with the file and the shared Measure); else None."""
        return self.__pydantic_private__["_shared"]  # type: ignore[index]


class Objective(Model):
    """One objective (a sub-outcome) of the aim, with the measure that shows it."""

    text: Text = Field(description="The objective, e.g. 'people over 65 identified earlier'.")
    measure: Optional[Id] = Field(None, description="The id of the measure that shows whether the objective is met.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class Aim(Model):
    """The aim: what will improve, for whom, how much and by when."""

    statement: Optional[Text] = Field(None, description="The aim in the team's own words; composed from the fields below when absent.")
    improve: Optional[Text] = Field(None, description="What will improve, e.g. 'the stillbirth rate'.")
    for_: Optional[Text] = Field(None, alias="for", description="For whom: the population, e.g. 'babies born at Riverside'.")
    where: Optional[Text] = Field(None, description="Where: the setting, e.g. 'the maternity unit'.")
    from_: Optional[float] = Field(None, alias="from", description="The baseline value.")
    baseline_date: Optional[FlexDate] = Field(None, description="When the baseline was measured.")
    to: Optional[float] = Field(None, description="The target value.")
    reduce_by: Optional[Reduction] = Field(None, description="The target as a relative reduction, e.g. 20%.")
    increase_by: Optional[Percent] = Field(None, description="The target as a relative increase, e.g. 10%.")
    unit: Optional[Text] = Field(None, description="The unit of the baseline and the target, e.g. 'per 1,000 births'.")
    by: Optional[FlexDate] = Field(None, description="The date by which the target is reached.")
    measures: list[Id] = Field(default_factory=_empty_list, description="Ids of the measures of the aim: its outcome measure first.", json_schema_extra=_one_or_many)
    objectives: list[Objective] = Field(default_factory=_empty_list, description="The objectives (sub-outcomes) of the aim, each its text and, optionally, the measure that shows it: `- text: people report positive experiences` / `measure: M2`, or just the text.", json_schema_extra=_one_or_many)
    tags: list[Tag] = Field(default_factory=_empty_list, description="Free-form tags.", json_schema_extra=_one_or_many)
    notes: Optional[str] = Field(None, description="Free-form notes.")
    url: Optional[Url] = Field(None, description="A link to more about the aim: the aim box is clickable in SVG and PDF.")

    _lists = field_validator("measures", "tags", "objectives", mode="before")(_as_list)

    @property
    def target_date(self) -> Optional[dt.date]:
        """The `by:` date, or None when there is none or it is still a placeholder."""
        return self.by if isinstance(self.by, dt.date) else None

    @property
    def baseline(self) -> Optional[float]:
        """The baseline value: `from:`, or read from a statement such as "from 4.1 to 3.3"."""
        if self.from_ is not None:
            return self.from_
        parsed = self._statement_numbers()
        return parsed[0] if parsed else None

    @property
    def target(self) -> Optional[float]:
        """The target value: `to:`, or worked out from `from:` and `reduce_by:` / `increase_by:`,
        or read from a statement such as "from 4.1 to 3.3"."""
        if self.to is not None:
            return self.to
        if self.from_ is not None and (self.reduce_by or self.increase_by):
            change = -(self.reduce_by or 0.0) if self.reduce_by else (self.increase_by or 0.0)
            return round(self.from_ * (1 + change / 100.0), 10)
        parsed = self._statement_numbers()
        return parsed[1] if parsed else None

    @property
    def date(self) -> Union[dt.date, str, None]:
        """By when: the `by:` date (a `driverkit.Placeholder` when it is still "TBC" or "[date]"),
        else a date read from the statement ("... by March 2026"), else None."""
        if self.by is not None:
            return self.by
        if not self.statement:
            return None
        from driverkit.project.fields import parse_date

        for found in _BY_DATE.finditer(self.statement):
            try:
                return parse_date(found.group(1).rstrip(".,;"))
            except ValueError:
                continue
        return None

    def _statement_numbers(self) -> Optional[tuple[float, float]]:
        from driverkit.project.aimtext import baseline_and_target

        return baseline_and_target(self.statement) if self.statement else None


# "... by 31 March 2026", "by March 2026", "by 2026-03": the date an aim statement gives.
_BY_DATE = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?((?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Za-z]+\.?,?\s+\d{4}|\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)\b")


class TeamMember(Model):
    """A member of the improvement team."""

    name: Optional[Text] = Field(None, description="The person's name (a team may list roles only).")
    role: Optional[Text] = Field(None, description="Their role in the project, e.g. 'clinical lead'.")
    email: Optional[str] = Field(None, description="How to reach them.")

    @model_validator(mode="after")
    def _name_or_role(self) -> "TeamMember":
        if not self.name and not self.role:
            raise ValueError("a team member needs a `name` or a `role`")
        return self


class Dates(Model):
    """When the project runs."""

    start: Optional[FlexDate] = Field(None, description="When the project starts.")
    end: Optional[FlexDate] = Field(None, description="When the project ends.")


class Columns(Model):
    """The column headers of the driver diagram, renamable ("Key drivers", "Interventions")."""

    aim: Text = Field("Aim", description="Header of the aim column.")
    primary: Text = Field("Primary drivers", description="Header of the primary drivers column.")
    secondary: Text = Field("Secondary drivers", description="Header of the secondary drivers column.")
    tertiary: Text = Field("Tertiary drivers", description="Header of the tertiary drivers column.")
    change: Text = Field("Change ideas", description="Header of the change ideas column.")


# -- the execution theory, the tests of change and the spread ----------------------------------

class LogicItem(Model):
    """One box of the logic model, with the boxes of the next stage it leads to."""

    id: Optional[Id] = Field(None, description="A short id used to refer to this item; generated from its place when absent (A1, O1, OS1 ...).")
    text: Text = Field(description="What the box says.")
    leads_to: list[Id] = Field(default_factory=_empty_list, description="Ids of the items of the next stage this one leads to.", json_schema_extra=_one_or_many)
    changes: list[Id] = Field(default_factory=_empty_list, description="For an activity: the change ideas it delivers, by id.", json_schema_extra=_one_or_many)
    drivers: list[Id] = Field(default_factory=_empty_list, description="For an outcome: the drivers it moves, by id.", json_schema_extra=_one_or_many)
    aim: bool = Field(False, description="For an impact: true when it is the project's aim.")
    notes: Optional[str] = Field(None, description="Free-form notes.")

    _path: PathKey = PrivateAttr(default=())
    _lists = field_validator("leads_to", "changes", "drivers", mode="before")(_as_list)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @property
    def path(self) -> PathKey:
        return self.__pydantic_private__["_path"]  # type: ignore[index]


# What one item of each stage of the logic model is called, in messages and pages.
ITEM_NAMES = {"inputs": "input", "activities": "activity", "outputs": "output", "outcomes.short": "short-term outcome",
              "outcomes.medium": "medium-term outcome", "outcomes.long": "long-term outcome", "impact": "impact"}


class Outcomes(Model):
    """The outcomes of the logic model, by horizon."""

    short: list[LogicItem] = Field(default_factory=_empty_list, description="Short-term outcomes (months).")
    medium: list[LogicItem] = Field(default_factory=_empty_list, description="Medium-term outcomes (a year or two).")
    long: list[LogicItem] = Field(default_factory=_empty_list, description="Long-term outcomes.")


class LogicModel(Model):
    """The execution theory: inputs -> activities -> outputs -> outcomes -> impact."""

    inputs: list[LogicItem] = Field(default_factory=_empty_list, description="What the programme puts in: people, time, money, data.")
    activities: list[LogicItem] = Field(default_factory=_empty_list, description="What it does; `changes:` ties an activity to the change ideas it delivers.")
    outputs: list[LogicItem] = Field(default_factory=_empty_list, description="What the activities produce, countable.")
    outcomes: Outcomes = Field(default_factory=Outcomes, description="The changes that follow, short, medium and long term; `drivers:` ties an outcome to the drivers it moves.")
    impact: list[LogicItem] = Field(default_factory=_empty_list, description="The lasting difference; `aim: true` ties it to the aim.", json_schema_extra=_one_or_many)
    assumptions: list[Text] = Field(default_factory=_empty_list, description="What must hold for the theory to work.", json_schema_extra=_one_or_many)
    external_factors: list[Text] = Field(default_factory=_empty_list, description="What outside the programme could help or hinder it.", json_schema_extra=_one_or_many)

    _lists = field_validator("impact", "assumptions", "external_factors", mode="before")(_as_list)


class PdsaPlan(Model):
    """Who, what, when and where of a PDSA cycle's plan."""

    who: Optional[str] = Field(None, description="Who runs the test.")
    what: Optional[str] = Field(None, description="What exactly is tried.")
    when: Optional[str] = Field(None, description="When, e.g. 'Monday to Friday of week 12'.")
    where: Optional[str] = Field(None, description="Where, e.g. 'ward 7, day shifts'.")


class PdsaCycle(Model):
    """One Plan-Do-Study-Act cycle: a small test of one change idea."""

    id: Optional[Id] = Field(None, description="A short id (PDSA1); generated when absent.")
    change: Id = Field(description="The id of the change idea this cycle tests.")
    title: Optional[Text] = Field(None, description="A short name for the cycle.")
    objective: Optional[str] = Field(None, description="What this cycle is for.")
    question: Optional[str] = Field(None, description="The question the test answers.")
    prediction: Optional[str] = Field(None, description="What the team expects to happen, written before the test.")
    plan: Optional[PdsaPlan] = Field(None, description="Who, what, when and where.")
    do: Optional[str] = Field(None, description="What was done, and what was observed.")
    study: Optional[str] = Field(None, description="What was learned, against the prediction.")
    decision: Optional[Literal["adopt", "adapt", "abandon"]] = Field(None, description="adopt, adapt or abandon.")
    start: Optional[FlexDate] = Field(None, description="When the test started.")
    end: Optional[FlexDate] = Field(None, description="When it ended.")
    next: Optional[Id] = Field(None, description="The id of the next cycle of the ramp.")
    notes: Optional[str] = Field(None, description="Free-form notes.")

    _path: PathKey = PrivateAttr(default=())

    @property
    def path(self) -> PathKey:
        return self.__pydantic_private__["_path"]  # type: ignore[index]


Adoption = Literal["planned", "testing", "adopted", "not-adopting"]


class Dissemination(Model):
    """Who needs to hear what, how, when, from whom."""

    audience: Text = Field(description="Who needs to hear it.")
    messages: list[Text] = Field(default_factory=_empty_list, description="The key messages for this audience.", json_schema_extra=_one_or_many)
    channels: list[Text] = Field(default_factory=_empty_list, description="How they will hear it: board paper, newsletter, learning event ...", json_schema_extra=_one_or_many)
    timing: Optional[str] = Field(None, description="When, or how often.")
    owner: Optional[str] = Field(None, description="Who makes sure it happens.")

    _lists = field_validator("messages", "channels", mode="before")(_as_list)


class Wave(Model):
    """A wave of sites joining the spread."""

    number: int = Field(ge=1, description="The wave's number: 1, 2 ...")
    start: Optional[FlexDate] = Field(None, description="When the wave starts.")
    end: Optional[FlexDate] = Field(None, description="When it ends.")
    notes: Optional[str] = Field(None, description="Free-form notes.")


class Site(Model):
    """A site or unit that adopts change ideas, with the status of each."""

    id: Optional[Id] = Field(None, description="A short id for the site.")
    name: Text = Field(description="The site's name, e.g. a trust or a ward.")
    wave: Optional[int] = Field(None, ge=1, description="The wave the site joins in.")
    adopts: dict[Id, Adoption] = Field(default_factory=dict, description="Change idea id to its status at this site: planned, testing, adopted or not-adopting.")
    notes: Optional[str] = Field(None, description="Free-form notes.")


class Spread(Model):
    """The dissemination and spread plan."""

    dissemination: list[Dissemination] = Field(default_factory=_empty_list, description="Audiences, messages, channels, timing and owners.")
    waves: list[Wave] = Field(default_factory=_empty_list, description="The waves in which sites join.")
    sites: list[Site] = Field(default_factory=_empty_list, description="The sites and which change ideas each adopts.")


class Member(Model):
    """A member project of a programme, or several by a glob, with the wave they joined in."""

    file: Text = Field(description="The member's project file relative to this one, or a glob (`trusts/wave2-*.yaml`).")
    wave: Optional[int] = Field(None, ge=1, description="The wave the member joined in (a number under `waves:`).")
    notes: Optional[str] = Field(None, description="Free-form notes.")


class Decision(Model):
    """People's decision on common ground: elements of members that are the same change, or not."""

    same: list[Reference] = Field(default_factory=_empty_list, description="Elements that are one change in other words: `trusts/a.yaml#C1.1`, `trusts/b.yaml#C2.3`.")
    different: list[Reference] = Field(default_factory=_empty_list, description="Elements that look alike and are different changes, never to be grouped.")
    note: Optional[str] = Field(None, description="Why, for the next reader.")

    @model_validator(mode="after")
    def _one_kind(self) -> "Decision":
        if bool(self.same) == bool(self.different):
            raise ValueError("a decision lists its elements under `same:` or under `different:`, not both or neither")
        if len(self.same or self.different) < 2:
            raise ValueError("a decision names at least two elements")
        return self


# A known change of a programme's own (`programme: known_changes:`): groups of phrases, a text naming the change
# when it holds a phrase of every group. A group of one phrase may be written without brackets.
# Bounds far above a programme's needs, so that a hostile file cannot make every text slow to read.
MAX_KNOWN_CHANGES, MAX_GROUPS, MAX_PHRASES, MAX_PHRASE = 500, 10, 100, 200
ChangePhrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PHRASE)]
ChangePhrases = Annotated[list[ChangePhrase], Field(min_length=1, max_length=MAX_PHRASES, json_schema_extra=_one_or_many),
                          BeforeValidator(_as_list)]
ChangeGroups = Annotated[list[ChangePhrases], Field(min_length=1, max_length=MAX_GROUPS)]


class ProgrammeSettings(Model):
    """This project is a programme: its member projects and the waves they join in."""

    waves: list[Wave] = Field(default_factory=_empty_list, description="The waves in which members join.")
    members: list[Member] = Field(default_factory=_empty_list, description="The member projects: files or globs, relative to this file.")
    vocabulary: dict[str, str] = Field(default_factory=dict, description="Words of this programme for finding common ground, added to the shipped vocabulary: `golden hour: first hour stabilisation`.")
    known_changes: dict[Text, ChangeGroups] = Field(default_factory=dict, max_length=MAX_KNOWN_CHANGES, description="Changes of this programme for finding common ground, added to the shipped known changes of the field (one of the same name is replaced): each a list of groups of phrases, and a text names the change when it holds a phrase of every group: `golden hour bundle: [[golden hour, first hour], [bundle, checklist]]`.")
    decisions: list[Decision] = Field(default_factory=_empty_list, description="Common ground decided by people: elements that are the same change, or different ones; never overridden by the analysis.")


class RenderSettings(Model):
    """How this project's diagrams are drawn; command-line options override these."""

    theme: Literal["default", "print", "colourblind"] = Field("default", description="default (calm colours), print (greyscale) or colourblind (Okabe-Ito colours).")
    font_size: float = Field(10.0, ge=6, le=24, description="The size of box text, in points.")
    font_file: Optional[str] = Field(None, description="A TrueType font file to draw with instead of DejaVu Sans, relative to the project file.")
    show_ids: bool = Field(False, description="Show each element's id in its box.")
    show_measures: bool = Field(True, description="Show measure badges (M1, M2) on the elements they measure, with a key.")
    hide_abandoned: bool = Field(False, description="Leave abandoned change ideas out of the diagram.")
    legend: bool = Field(True, description="Draw the legend of statuses and the key of measures.")
    order: Literal["balanced", "file"] = Field("balanced", description="balanced: boxes of each column ordered to cross as few links as possible, near what they are written under; file: boxes kept in the order they are written.")
    descriptions: bool = Field(False, description="Draw each element's description as a smaller second line in its box.")


class RuleSettings(Model):
    """Per-project rule settings."""

    disable: list[str] = Field(default_factory=_empty_list, description="Rules switched off for this project, by code (DK202) or name (driver-without-change-ideas).", json_schema_extra=_one_or_many)

    _lists = field_validator("disable", mode="before")(_as_list)


class Project(Model):
    """One improvement project: its aim, driver diagram and measures."""

    driverkit: Literal[1] = Field(description="The version of the file format: 1.")
    title: Text = Field(description="The project's title.")
    description: Optional[str] = Field(None, description="A paragraph on the project.")
    draft: bool = Field(False, description="The project is an early draft: rules about what a draft does not have yet (change ideas, measures, baseline, dates) are quiet.")
    team: list[TeamMember] = Field(default_factory=_empty_list, description="The improvement team.")
    dates: Optional[Dates] = Field(None, description="When the project runs.")
    serves: list[Reference] = Field(default_factory=_empty_list, description="Drivers (or the aim) of programme files that this project's aim serves: `../national.yaml#P1`.", json_schema_extra=_one_or_many)
    programme: Optional[ProgrammeSettings] = Field(None, description="For a programme: its member projects and waves.")
    aim: Aim = Field(description="The aim statement.")
    columns: Columns = Field(default_factory=Columns, description="Column headers of the driver diagram.")
    drivers: list["Driver"] = Field(default_factory=_empty_list, description="The primary drivers, each with its secondary drivers and change ideas nested inside.")
    changes: list[LinkedChangeIdea] = Field(default_factory=_empty_list, description="Change ideas listed on their own, linked to the drivers they serve with `drivers:`.")
    measures: list[Measure] = Field(default_factory=_empty_list, description="The measures: outcome, process and balancing.")
    rules: RuleSettings = Field(default_factory=RuleSettings, description="Rules switched off for this project.")
    logic_model: Optional[LogicModel] = Field(None, description="The execution theory: inputs, activities, outputs, outcomes, impact.")
    pdsa: list[PdsaCycle] = Field(default_factory=_empty_list, description="The PDSA cycles that test the change ideas.")
    spread: Optional[Spread] = Field(None, description="The dissemination and spread plan.")
    render: RenderSettings = Field(default_factory=RenderSettings, description="How the diagrams are drawn.")
    tags: list[Tag] = Field(default_factory=_empty_list, description="Free-form tags.", json_schema_extra=_one_or_many)
    notes: Optional[str] = Field(None, description="Free-form notes.")

    _lists = field_validator("tags", "serves", mode="before")(_as_list)

    _file: str = PrivateAttr(default="<string>")
    _allowed: tuple[str, ...] = PrivateAttr(default=())
    _workspace: Any = PrivateAttr(default=None)  # the files loaded with this one (driverkit.project.references.Workspace)
    _source: Any = PrivateAttr(default=None)
    _elements: list[Element] = PrivateAttr(default_factory=_empty_list)
    _graph: Any = PrivateAttr(default=None)  # the project graph, kept by driverkit.project.graph.project_graph

    def __init__(self, **data: Any) -> None:
        """A project built in code; a wrong value raises ProjectError (a ValueError), whose
        diagnostics carry the rule code and the path of each problem (`drivers[0]`)."""
        from pydantic import ValidationError

        try:
            super().__init__(**data)
        except ValidationError as exc:
            from driverkit.project.loader import code_error

            raise code_error(exc, data) from None

    # Marked as pydantic marks its own __init__, so that `model_validate` (the loader) does not
    # call it: the loader places each problem in the file itself, from pydantic's own error.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @field_validator("driverkit", mode="before")
    @classmethod
    def _version_number(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value

    @model_validator(mode="after")
    def _number_elements(self) -> "Project":
        self.reindex()
        return self

    def reindex(self) -> None:
        """Record each element's path and level, and generate the missing ids.

        Runs when the project is validated; `driverkit.check` runs it again, so a project changed
        in place (a driver appended, say) is checked as it now is. The project graph kept on the
        project is dropped, to be built again from the project as it now is.
        """
        self._graph = None
        walked = list(self._walk())
        others = list(self._walk_others())
        taken = {e.id for e, _ in walked if e.id} | {item.id for item, _, _ in others if item.id}

        def fresh(generated: str) -> str:  # the generated id, or a variant of it nobody has written
            candidate, suffix = generated, 0
            while candidate in taken:
                suffix += 1
                candidate = f"{generated}-{suffix}"
            taken.add(candidate)
            return candidate

        for element, generated in walked:
            if element.id is None:
                element.id = fresh(generated)
                element._generated_id = True
        self._elements = [e for e, _ in walked]
        for item, generated, path in others:
            item._path = path
            if item.id is None:
                item.id = fresh(generated)

    LOGIC_STAGES: ClassVar[tuple[tuple[str, str], ...]] = (("inputs", "IN"), ("activities", "A"), ("outputs", "O"), ("outcomes.short", "OS"),
                    ("outcomes.medium", "OM"), ("outcomes.long", "OL"), ("impact", "IM"))

    def logic_items(self) -> list[tuple[str, LogicItem]]:
        """Every item of the logic model with its stage (inputs, activities, outputs,
        outcomes.short, outcomes.medium, outcomes.long, impact), in order."""
        return [(stage, item) for stage, item, _ in self._logic_walk()]

    def _logic_walk(self) -> Iterator[tuple[str, LogicItem, str]]:
        if self.logic_model is None:
            return
        for stage, prefix in self.LOGIC_STAGES:
            holder: Any = self.logic_model
            for part in stage.split("."):
                holder = getattr(holder, part)
            for index, item in enumerate(holder):
                yield stage, item, f"{prefix}{index + 1}"

    def _walk_others(self) -> Iterator[tuple[Any, str, PathKey]]:
        """Logic-model items and PDSA cycles: ids from the same namespace as the diagram's."""
        counters: dict[str, int] = {}
        for stage, item, generated in self._logic_walk():
            index = counters[stage] = counters.get(stage, -1) + 1
            yield item, generated, ("logic_model", *stage.split("."), index)
        for index, cycle in enumerate(self.pdsa):
            yield cycle, f"PDSA{index + 1}", ("pdsa", index)

    def _walk(self) -> Iterator[tuple[Element, str]]:
        """Every element with the id its position would give it; also sets paths and levels."""

        def drivers(items: list[Driver], path: PathKey, numbers: tuple[int, ...]) -> Iterator[tuple[Element, str]]:
            for index, driver in enumerate(items):
                number = numbers + (index + 1,)
                level = len(number)
                # kept here, not read back: a private attribute is read through pydantic's __getattr__
                driver_path = driver._path = path + (index,)
                driver._level = level
                yield driver, ID_PREFIXES.get(level, "D") + ".".join(map(str, number))
                for c, change in enumerate(driver.changes):
                    change._path = driver_path + ("changes", c)
                    yield change, "C" + ".".join(map(str, number + (c + 1,)))
                yield from drivers(driver.drivers, driver_path + ("drivers",), number)

        yield from drivers(self.drivers, ("drivers",), ())
        for index, change in enumerate(self.changes):
            change._path = ("changes", index)
            yield change, f"C{index + 1}"
        for index, measure in enumerate(self.measures):
            measure._path = ("measures", index)
            yield measure, f"M{index + 1}"

    # -- convenient views ---------------------------------------------------------------------
    @property
    def file(self) -> str:
        """The file the project was read from ("<string>" when read from text)."""
        return self.__pydantic_private__["_file"]  # type: ignore[index]  # read often: no __getattr__

    @property
    def allowed_paths(self) -> tuple[str, ...]:
        """Places outside the project's folder that its named files may be read from (`allow=`)."""
        return self.__pydantic_private__["_allowed"]  # type: ignore[index]

    # The lists below are taken when the project is validated; after changing the project in
    # place, call `Project.model_validate(project.model_dump())` for a fresh, numbered copy.
    def all_drivers(self) -> list[Driver]:
        """Every driver, depth first in file order."""
        return [e for e in self._elements if isinstance(e, Driver)]

    def all_changes(self) -> list[ChangeIdea]:
        """Every change idea: nested ones in file order, then the top-level ones."""
        return [e for e in self._elements if isinstance(e, ChangeIdea)]

    def elements(self) -> list[Element]:
        """Every driver, change idea and measure, in file order."""
        return list(self._elements)

    @property
    def change_ideas(self) -> list[ChangeIdea]:
        """Every change idea of the project, nested under drivers or listed at the top level
        (`project.changes` holds only the top-level ones, as the file writes them)."""
        return self.all_changes()

    def parents(self, element: Union[Element, str]) -> list[Union[Driver, Aim]]:
        """What an element (or the element with this id) contributes to, in file order: the
        drivers it is nested under or linked to, or the aim for a primary driver."""
        return self._related(element, up=True)

    def children(self, element: Union[Element, Aim, str]) -> list[Union[Driver, ChangeIdea]]:
        """What contributes directly to an element (or to the aim: pass `project.aim` or "aim"):
        the drivers and change ideas nested under it or linked to it, in file order."""
        return self._related(element, up=False)  # type: ignore[return-value]

    def _related(self, element: Union[Element, Aim, str], up: bool) -> list[Any]:
        from driverkit.project.graph import AIM, project_graph

        graph = project_graph(self)
        if element is self.aim or element == "aim":
            key = AIM
        elif isinstance(element, str):
            node = graph.by_id.get(element)
            if node is None:
                raise KeyError(f"the project has no element with the id {element!r}")
            key = node.key
        else:
            key = graph.node_of(element).key  # type: ignore[arg-type]
        keys = graph.graph.successors(key) if up else graph.graph.predecessors(key)
        order = {k: i for i, k in enumerate(graph.nodes)}
        found = [graph.nodes[k] for k in sorted(keys, key=order.__getitem__)]
        return [self.aim if node.kind == "aim" else node.element for node in found]

    def element(self, element_id: str) -> Optional[Element]:
        """The first element with this id, or None."""
        return next((e for e in self.elements() if e.id == element_id), None)

    @property
    def aim_statement(self) -> str:
        """The aim as written, or composed from its fields."""
        from driverkit.project.aimtext import compose_statement

        return self.aim.statement or compose_statement(self.aim)

    @property
    def source_map(self) -> Any:
        """Where each part of the file was written (a driverkit.project.source.SourceMap), or None."""
        return self.__pydantic_private__["_source"]  # type: ignore[index]

    def _repr_svg_(self) -> Optional[str]:
        """Jupyter shows a project as its driver diagram (drawn by the hook in
        `driverkit.project.display`, which `import driverkit` sets)."""
        from driverkit.project import display

        return display.svg(self) if display.svg is not None else None

    def is_written(self, path: PathKey) -> bool:
        """True when this path was written in the file (`drivers: []` is written, but empty)."""
        source = self.source_map
        return source is not None and path in source.values

    def location(self, path: PathKey, at: str = "value") -> tuple[int, int]:
        """The line and column (from 1) where a path of the document was written."""
        source = self.source_map
        if source is None:
            return (1, 1)
        return source.locate(path, at)


__all__ = [
    "Aim",
    "ChangeIdea",
    "Columns",
    "Dates",
    "Driver",
    "Element",
    "Link",
    "LinkedChangeIdea",
    "Measure",
    "Member",
    "Nested",
    "NestedChangeIdea",
    "Objective",
    "ProgrammeSettings",
    "Project",
    "RenderSettings",
    "RuleSettings",
    "TeamMember",
]
