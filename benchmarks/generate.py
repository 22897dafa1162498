"""Generate a realistic, valid driverkit project of about N elements, for benchmarks.

    python benchmarks/generate.py 1000 > project.yaml
    python benchmarks/generate.py 1000 --seed 3 > project.yaml

or from Python:

    from generate import generate_project
    text = generate_project(10_000, seed=0)

"Elements" are drivers, change ideas and measures, as `Project.elements()` counts them. The shape
follows a real driver diagram, scaled: per 100 elements about 5 primary drivers, 20 secondary
drivers (about one in ten with two tertiary drivers under it), 55 change ideas and 20 measures.
Change ideas are nested under the drivers at the end of each branch; about 10% of them are listed
in the top-level `changes:` list and linked with `drivers:` to two secondary drivers. A few drivers
and change ideas name a second parent with `also:`. Measures are listed once and attached by id:
an outcome and a balancing measure to the aim, a process measure to every driver at the end of a
branch (shared between two drivers where there are fewer process measures than such drivers), the
remaining process measures to change ideas, a few more balancing measures to primary drivers.
Every text is unique.

The file loads and checks with no errors. The only warning expected is `primary-driver-count`
(DK203) once there are more than 5 primary drivers, i.e. above about 110 elements.

The output depends only on (n_elements, seed): the same arguments give the same text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from pathlib import Path
from typing import Optional

__all__ = ["generate_project", "count_elements", "write_project", "write_series"]

# -- vocabulary ---------------------------------------------------------------------------------
# Words are chosen so that no rule fires on them: drivers do not name a solution ("implement",
# "introduce", "roll out" ...), change ideas do not start with "improve"/"increase"/"reduce" ...,
# measure names carry no direction ("fewer", "better", "reduction" ...).

_PRIMARY = [
    "Falls risk is known for every patient",
    "Patients can move safely",
    "Medicines are given safely",
    "Deterioration is recognised early",
    "Staff have the time and skills to care",
    "Patients and families take part in care",
    "Discharge is planned from the day of admission",
    "Handover carries every risk to the next shift",
    "The environment supports safe care",
    "Learning from incidents reaches the ward",
]
_SECONDARY_SUBJECT = [
    "Reliable", "Timely", "Consistent", "Complete", "Shared", "Visible", "Standardised",
    "Person-centred", "Documented", "Daily", "Multidisciplinary", "Accurate",
]
_SECONDARY_OBJECT = [
    "falls risk assessment", "lying and standing blood pressure checks", "medicines reconciliation",
    "early warning score observations", "pressure area care", "continence care", "delirium screening",
    "nutrition and hydration support", "safety huddles", "bedside handover", "escalation to the medical team",
    "pain assessment", "sepsis screening", "mobility plans", "night-time checks", "discharge planning",
    "family involvement", "staff training", "enhanced supervision", "post-fall reviews",
]
_SETTING = [
    "on ward {n}", "in bay {n}", "on admissions unit {n}", "for unit {n}", "in clinic {n}",
    "across team {n}", "on the night shift of ward {n}", "in outpatient area {n}",
]
_ACTOR = [
    "Pharmacist", "Ward sister", "Healthcare assistant", "Physiotherapist", "Junior doctor",
    "Nurse in charge", "Occupational therapist", "Dietitian", "Matron", "Patient safety lead",
    "Consultant", "Student nurse", "Discharge coordinator", "Falls practitioner",
]
_ACTION = [
    "reviews", "checks", "discusses", "records", "audits", "updates", "signs off", "explains",
    "displays", "agrees", "rechecks", "countersigns",
]
_THING = [
    "the falls care plan", "the medication chart", "the early warning score", "the mobility card",
    "the bed rails assessment", "the footwear check", "the call bell position", "the lying and standing blood pressure",
    "the delirium screen", "the continence plan", "the discharge checklist", "the fluid balance chart",
    "the safety brief", "the handover sheet", "the pain score", "the sepsis screen",
]
_WHEN = [
    "at every shift handover", "within 24 hours of admission", "at the daily board round",
    "after every fall", "before every discharge", "at each medicines round", "at the weekly review",
    "within 4 hours of transfer", "at the evening huddle", "after every physiotherapy review",
]
# Not "after every fall": "... fall in bay 3" reads as a direction ("a fall in") to measure-name-has-direction.
_MEASURE_WHEN = [w for w in _WHEN if "fall" not in w]
_MEASURE_THING = [
    "falls risk assessments", "medicines reconciliations", "observations", "care plans", "mobility cards",
    "huddles", "handovers", "delirium screens", "sepsis screens", "pain scores", "discharge checklists",
    "post-fall reviews", "blood pressure checks", "footwear checks", "fluid balance charts",
]
_MEASURE_FORM = [
    "Proportion of {t} completed {w}",
    "Percentage of {t} recorded {w}",
    "Number of {t} done {w}",
    "Compliance with {t} {w}",
    "Median time to {t} {w}",
]
_BALANCING = [
    "Length of stay", "Patients mobilising each day", "Use of bed rails", "Staff overtime hours",
    "Readmissions within 30 days", "Time nurses spend on documentation", "Patient reported restriction",
    "Use of sedation at night", "Incidents of pressure damage", "Staff sickness absence",
]
_FREQUENCY = ["weekly", "monthly", "fortnightly", "daily"]
_OWNER = ["Ward 7 sister", "Lead physiotherapist", "Ward matron", "Lead pharmacist", "Falls practitioner",
          "Quality improvement lead", "Nurse in charge", "Patient safety lead"]
_TAGS = ["falls", "medicines", "handover", "deterioration", "discharge", "quick-win", "night", "education"]

_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.'()/-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "none"}


def _q(text: str) -> str:
    """The text as a YAML scalar: plain when that is unambiguous, double-quoted otherwise."""
    if _SAFE.match(text) and text.lower() not in _YAML_WORDS and not text.endswith((" ", ":")):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _normal(text: str) -> str:
    """The same normal form as driverkit's duplicate-text rule: case, punctuation and spaces ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


class _Unique:
    """Hands out texts that are unique after normalisation, qualifying a repeat with a number."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, text: str) -> str:
        candidate, k = text, 1
        while _normal(candidate) in self.seen:
            k += 1
            candidate = f"{text} (group {k})"
        self.seen.add(_normal(candidate))
        return candidate


def _split(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """`total` split into `parts` random counts of at least `minimum` each (when total allows it)."""
    if parts <= 0:
        return []
    base = min(minimum, total // parts)
    counts = [base] * parts
    for _ in range(total - base * parts):
        counts[rng.randrange(parts)] += 1
    return counts


def _plan(n: int) -> dict[str, int]:
    """How many of each kind of element make about n in all."""
    n = max(n, 12)
    primary = max(2, round(n * 0.05))
    measures = max(3, round(n * 0.20))
    secondary = max(primary, round(n * 0.20))
    with_tertiary = secondary // 10 if n >= 100 else 0
    tertiary = 2 * with_tertiary
    changes = max(1, n - primary - secondary - tertiary - measures)
    top_changes = round(changes * 0.10) if secondary >= 2 else 0
    return {"primary": primary, "secondary": secondary, "with_tertiary": with_tertiary, "tertiary": tertiary,
            "changes": changes, "top_changes": top_changes, "measures": measures}


def count_elements(n_elements: int) -> int:
    """The exact number of elements generate_project(n_elements) writes."""
    p = _plan(n_elements)
    return p["primary"] + p["secondary"] + p["tertiary"] + p["changes"] + p["measures"]


class _Driver:
    def __init__(self, id_: str, text: str, level: int):
        self.id, self.text, self.level = id_, text, level
        self.children: list[_Driver] = []
        self.changes: list[_Change] = []
        self.measures: list[str] = []
        self.also: list[str] = []
        self.tags: list[str] = []
        self.strength = "strong"
        self.evidence: Optional[str] = None


class _Change:
    def __init__(self, text: str):
        self.text = text
        self.status = "idea"
        self.owner: Optional[str] = None
        self.measures: list[str] = []
        self.also: list[str] = []
        self.drivers: list[tuple[str, str]] = []  # (id, strength), top-level change ideas only
        self.strength = "strong"


def generate_project(n_elements: int, seed: int = 0, data_folder: Optional[str] = None) -> str:
    """The YAML text of a valid driverkit project with about `n_elements` drivers, change ideas and measures.
    With `data_folder`, every measure reads its data from `<data_folder>/<id>.csv` (see `write_project`);
    the text is otherwise the same."""
    rng = random.Random(seed)
    plan = _plan(n_elements)
    unique = _Unique()
    counter = iter(range(1, 10**9))

    # -- drivers --------------------------------------------------------------------------------
    primaries: list[_Driver] = []
    for i in range(plan["primary"]):
        base = _PRIMARY[i % len(_PRIMARY)]
        text = base if i < len(_PRIMARY) else f"{base} in care group {i // len(_PRIMARY) + 1}"
        primaries.append(_Driver(f"P{i + 1}", unique(text), 1))

    secondaries: list[_Driver] = []
    for primary, count in zip(primaries, _split(plan["secondary"], len(primaries), rng)):
        for _ in range(count):
            number = len(secondaries) + 1
            text = (f"{rng.choice(_SECONDARY_SUBJECT)} {rng.choice(_SECONDARY_OBJECT)} "
                    f"{rng.choice(_SETTING).format(n=rng.randint(1, 60))}")
            driver = _Driver(f"S{number}", unique(text), 2)
            primary.children.append(driver)
            secondaries.append(driver)

    tertiaries: list[_Driver] = []
    for parent in rng.sample(secondaries, plan["with_tertiary"]):
        for _ in range(2):
            text = (f"{rng.choice(_SECONDARY_OBJECT).capitalize()} {rng.choice(_WHEN)} "
                    f"{rng.choice(_SETTING).format(n=rng.randint(1, 60))}")
            driver = _Driver(f"T{len(tertiaries) + 1}", unique(text), 3)
            parent.children.append(driver)
            tertiaries.append(driver)

    # A second parent for about 3% of the secondary drivers (always a primary driver: one column left).
    if len(primaries) > 1:
        for driver in secondaries:
            if rng.random() < 0.03:
                own = next(p for p in primaries if driver in p.children)
                other = rng.choice([p for p in primaries if p is not own])
                driver.also.append(other.id)
    for driver in primaries + secondaries:
        if rng.random() < 0.15:
            driver.tags.append(rng.choice(_TAGS))
        if rng.random() < 0.05:
            driver.strength = "weak"
            driver.evidence = f"Local audit {2020 + rng.randrange(6)}, {rng.randint(20, 400)} records"

    # -- change ideas ---------------------------------------------------------------------------
    def new_change() -> _Change:
        text = (f"{rng.choice(_ACTOR)} {rng.choice(_ACTION)} {rng.choice(_THING)} {rng.choice(_WHEN)} "
                f"{rng.choice(_SETTING).format(n=next(counter) % 97 + 1)}")
        change = _Change(unique(text))
        change.status = rng.choices(["idea", "testing", "adopted", "abandoned"], [40, 30, 20, 10])[0]
        if change.status in ("testing", "adopted") or rng.random() < 0.3:
            change.owner = rng.choice(_OWNER)
        if rng.random() < 0.05:
            change.strength = "weak"
        return change

    leaves = [d for d in secondaries + tertiaries if not d.children]
    nested = plan["changes"] - plan["top_changes"]
    all_changes: list[_Change] = []
    for leaf, count in zip(leaves, _split(nested, len(leaves), rng)):
        for _ in range(count):
            change = new_change()
            if rng.random() < 0.03 and len(secondaries) > 1:
                change.also.append(rng.choice([s for s in secondaries if s is not leaf]).id)
            leaf.changes.append(change)
            all_changes.append(change)
    top_changes: list[_Change] = []
    for _ in range(plan["top_changes"]):
        change = new_change()
        first, second = rng.sample(secondaries, 2)
        change.drivers = [(first.id, "strong"), (second.id, rng.choice(["strong", "weak"]))]
        top_changes.append(change)
        all_changes.append(change)

    # -- measures -------------------------------------------------------------------------------
    measures: list[dict[str, object]] = []
    measure_names = _Unique()

    def new_measure(family: str, name: str, better: str) -> str:
        mid = f"M{len(measures) + 1}"
        measures.append({"id": mid, "family": family, "name": measure_names(name), "better": better})
        return mid

    outcome = new_measure("outcome", "Inpatient falls rate", "lower")
    balancing = new_measure("balancing", "Patients mobilising each day", "higher")
    aim_measures = [outcome, balancing]
    remaining = plan["measures"] - len(measures)
    extra_balancing = min(remaining, max(0, remaining // 20))
    for i in range(extra_balancing):
        mid = new_measure("balancing", f"{_BALANCING[i % len(_BALANCING)]} in care group {i + 1}", "lower")
        primaries[i % len(primaries)].measures.append(mid)
    # Process measures: one on each driver at the end of a branch first (so that every driver has a
    # process measure below it), the rest on change ideas. When there are more such drivers than
    # process measures, the last drivers share a measure already written (one measure, two places).
    leaf_drivers: list[_Driver] = [d for d in secondaries + tertiaries if not d.children]
    rng.shuffle(leaf_drivers)
    process: list[str] = []
    for i in range(plan["measures"] - len(measures)):
        name = rng.choice(_MEASURE_FORM).format(t=rng.choice(_MEASURE_THING),
                                                 w=rng.choice(_MEASURE_WHEN) + " " + rng.choice(_SETTING).format(n=rng.randint(1, 97)))
        mid = new_measure("process", name[0].upper() + name[1:], "lower" if name.startswith("Median") else "higher")
        process.append(mid)
        if i < len(leaf_drivers):
            leaf_drivers[i].measures.append(mid)
        elif all_changes:
            rng.choice(all_changes).measures.append(mid)
        else:
            rng.choice(leaf_drivers).measures.append(mid)
    for i, driver in enumerate(leaf_drivers[len(process):]):
        if process:
            driver.measures.append(process[i % len(process)])

    return _write(plan, rng, primaries, top_changes, measures, aim_measures, seed, n_elements, data_folder)


# -- writing ------------------------------------------------------------------------------------

def _write(plan: dict[str, int], rng: random.Random, primaries: list[_Driver], top_changes: list[_Change],
           measures: list[dict[str, object]], aim_measures: list[str], seed: int, n_elements: int,
           data_folder: Optional[str] = None) -> str:
    out: list[str] = []
    w = out.append
    total = count_elements(n_elements)
    w("# yaml-language-server: $schema=driverkit.schema.json\n")
    w(f"# Generated by benchmarks/generate.py: {total} elements (asked for {n_elements}), seed {seed}.\n")
    w("driverkit: 1\n")
    w(f"title: Fewer falls on the care of older people wards ({total} elements)\n")
    w("description: A synthetic project written by the benchmark generator; its shape follows a real driver diagram.\n")
    w("team:\n  - name: Alex Morgan\n    role: clinical lead\n    email: alex.morgan@example.org\n"
      "  - name: Sam Patel\n    role: improvement advisor\n  - name: Jo Evans\n    role: data analyst\n")
    w("dates:\n  start: 2026-01\n  end: 2027-06\n")
    w("aim:\n  improve: the rate of inpatient falls\n  for: patients aged 65 and over\n"
      "  where: on the care of older people wards\n  from: 8.2\n  baseline_date: 2025-12\n  to: 6.0\n"
      "  unit: falls per 1,000 occupied bed days\n  by: 2027-06\n"
      f"  measures: [{', '.join(aim_measures)}]\n")
    w("columns:\n  primary: Primary drivers\n  secondary: Secondary drivers\n  tertiary: Tertiary drivers\n  change: Change ideas\n")

    w("drivers:\n")
    for driver in primaries:
        _write_driver(w, driver, "  ")

    if top_changes:
        w("changes:\n")
        for change in top_changes:
            _write_change(w, change, "  ")

    w("measures:\n")
    for m in measures:
        w(f"  - id: {m['id']}\n    name: {_q(str(m['name']))}\n    family: {m['family']}\n")
        if m["family"] == "outcome":
            w("    definition: Falls recorded in the incident system per 1,000 occupied bed days\n"
              "    numerator: Inpatient falls\n    denominator: Occupied bed days / 1,000\n"
              "    unit: per 1,000 occupied bed days\n    source: Incident reporting system\n"
              "    baseline: 8.2\n    goal: 6.0\n")
        elif m["family"] == "process":
            w(f"    definition: {_q('Cases meeting the standard out of all eligible cases, ' + str(m['name']).lower())}\n"
              "    unit: \"%\"\n")
            if rng.random() < 0.3:
                w("    sampling: 20 patients a week, chosen at random\n")
        else:
            w("    definition: Counted from the ward dashboard for every patient on the ward\n")
        w(f"    frequency: {rng.choice(_FREQUENCY)}\n    owner: {rng.choice(_OWNER)}\n    better: {m['better']}\n")
        if data_folder is not None:
            w(f"    data_file: {data_folder}/{m['id']}.csv\n")
    return "".join(out)


def write_series(path: Path, points: int, seed: int = 0, proportion: bool = False) -> None:
    """A CSV of `points` daily values (a numerator and a denominator for a proportion), from
    1 January 2020 (from 1900 for a series too long to end before 2999), with a step down halfway."""
    rng = random.Random(seed)
    start = dt.date(2020 if points < 300_000 else 1900, 1, 1)
    rows = ["period,numerator,denominator" if proportion else "period,value"]
    for i in range(points):
        day = (start + dt.timedelta(days=i)).isoformat()
        if proportion:
            n = rng.randint(20, 40)
            rows.append(f"{day},{sum(rng.random() < (0.6 if i < points // 2 else 0.7) for _ in range(n))},{n}")
        else:
            rows.append(f"{day},{(40 if i < points // 2 else 36) + rng.gauss(0, 3):.2f}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_project(folder: Path, n_elements: int, points: int, seed: int = 0, name: str = "project.yaml") -> Path:
    """`generate_project` written in `folder` with `points` points of data for every measure, in
    `data/<id>.csv` beside it (process measures as proportions, the others as values). Returns
    the project file."""
    text = generate_project(n_elements, seed, data_folder="data")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for index, (mid, family) in enumerate(re.findall(r"^  - id: (M\d+)\n    name: .*\n    family: (\w+)$", text, re.M)):
        write_series(folder / "data" / f"{mid}.csv", points, seed * 100_000 + index, proportion=family == "process")
    project = folder / name
    project.write_text(text, encoding="utf-8")
    return project


def _write_driver(w, driver: _Driver, pad: str) -> None:  # type: ignore[no-untyped-def]
    w(f"{pad}- id: {driver.id}\n{pad}  text: {_q(driver.text)}\n")
    if driver.strength != "strong":
        w(f"{pad}  strength: {driver.strength}\n")
    if driver.evidence:
        w(f"{pad}  evidence: {_q(driver.evidence)}\n")
    if driver.tags:
        w(f"{pad}  tags: [{', '.join(driver.tags)}]\n")
    if driver.also:
        w(f"{pad}  also: [{', '.join(driver.also)}]\n")
    if driver.measures:
        w(f"{pad}  measures: [{', '.join(driver.measures)}]\n")
    if driver.children:
        w(f"{pad}  drivers:\n")
        for child in driver.children:
            _write_driver(w, child, pad + "    ")
    if driver.changes:
        w(f"{pad}  changes:\n")
        for change in driver.changes:
            _write_change(w, change, pad + "    ")


def _write_change(w, change: _Change, pad: str) -> None:  # type: ignore[no-untyped-def]
    w(f"{pad}- text: {_q(change.text)}\n")
    if change.status != "idea":
        w(f"{pad}  status: {change.status}\n")
    if change.owner:
        w(f"{pad}  owner: {_q(change.owner)}\n")
    if change.strength != "strong" and not change.drivers:  # a top-level change idea has no nesting link
        w(f"{pad}  strength: {change.strength}\n")
    if change.drivers:
        links = ", ".join(d if s == "strong" else f"{{to: {d}, strength: {s}}}" for d, s in change.drivers)
        w(f"{pad}  drivers: [{links}]\n")
    if change.also:
        w(f"{pad}  also: [{', '.join(change.also)}]\n")
    if change.measures:
        w(f"{pad}  measures: [{', '.join(change.measures)}]\n")


def generate_diagram(primaries: int = 20, secondaries: int = 100, changes: int = 500,
                     cross_links: float = 0.3, seed: int = 0) -> str:
    """A large driver diagram for rendering: `primaries` primary drivers, `secondaries` secondary
    drivers spread evenly under them, `changes` change ideas spread evenly under those, and a share
    `cross_links` of the change ideas linked with `also:` to a second secondary driver elsewhere."""
    rng = random.Random(seed)
    unique = _Unique()
    lines = ["driverkit: 1", f"title: {_q(f'Large diagram: {primaries} primary, {secondaries} secondary, {changes} change ideas')}",
             "aim:", "  improve: the rate of inpatient falls", "  for: patients aged 65 and over", "  from: 8.2",
             "  to: 6.0", "  unit: falls per 1,000 occupied bed days", "  by: 2027-12", "drivers:"]
    per_primary = _split(secondaries, primaries, rng)
    per_secondary = _split(changes, secondaries, rng)
    secondary_ids = [f"S{p + 1}.{k + 1}" for p, count in enumerate(per_primary) for k in range(count)]
    index = 0
    for p, count in enumerate(per_primary):
        lines += [f"  - id: P{p + 1}", f"    text: {_q(unique(rng.choice(_PRIMARY)))}", "    drivers:"]
        for k in range(count):
            own = f"S{p + 1}.{k + 1}"
            subject, obj = rng.choice(_SECONDARY_SUBJECT), rng.choice(_SECONDARY_OBJECT)
            lines += [f"      - id: {own}", f"        text: {_q(unique(f'{subject} {obj}'))}", "        changes:"]
            for _ in range(per_secondary[index]):
                text = (f"{rng.choice(_ACTOR)} {rng.choice(_ACTION)} {rng.choice(_THING)} {rng.choice(_WHEN)} "
                        f"{rng.choice(_SETTING).format(n=rng.randint(1, 97))}")
                lines.append(f"          - text: {_q(unique(text))}")
                lines.append(f"            status: {rng.choice(['idea', 'testing', 'adopted', 'abandoned'])}")
                lines.append(f"            owner: {_q(rng.choice(_OWNER))}")
                if rng.random() < cross_links:
                    other = rng.choice([s for s in secondary_ids if s != own])
                    lines.append(f"            also: [{other}]")
            index += 1
    return "\n".join(lines) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Write a generated driverkit project of about N elements to standard output.")
    parser.add_argument("n", type=int, help="about how many elements (drivers + change ideas + measures)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0); the same seed gives the same file")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    sys.stdout.write(generate_project(args.n, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
