"""Aim statements: composing one from the structured fields, and reading a free-text one.

Many teams have only a sentence ("Reduce falls on ward 7 by 30% by March 2025"). The checks that
a structured aim gets from its fields, a free-text aim gets from these heuristics: is there a
number, a date, a population, a baseline?
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Optional

from driverkit.project.fields import WrittenDate
from driverkit.project.model import Aim

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = re.compile(
    rf"\b(19|20)\d\d\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b{_MONTH}\b\.?\s+\d{{2,4}}"
    r"|\bwithin\s+(a|one|two|three|four|five|six|\d+)\s+(weeks?|months?|years?)\b"
    r"|\b(q[1-4]|quarter\s+[1-4])\s+(of\s+)?\d{4}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|half|halve|halving|double|doubling|zero)\b",
    re.IGNORECASE,
)
# A population is a group of people named anywhere in the aim ("women booking at Riverside",
# "for inpatients aged 65 and over"); a place alone ("on ward 7") is not one.
_POPULATION = re.compile(
    r"\b(patients?|inpatients?|outpatients?|people|persons?|individuals?|women|men|mothers?|fathers?|babies|"
    r"infants?|newborns?|neonates?|children|child|adolescents?|teenagers?|young\s+people|adults?|elderly|"
    r"residents?|families|users?|clients?|staff|workforce|nurses?|doctors?|midwives|population|admissions?|"
    r"births?|pregnanc(y|ies)|students?|members?|customers?|employees?|carers?|parents?|veterans?|pupils?|"
    r"households?|citizens?|tenants?|cases?|referrals?|attendances?|attenders?|visits?|callers?)\b",
    re.IGNORECASE,
)
_BASELINE = re.compile(r"\bfrom\s+(a\s+)?(baseline\s+(of\s+)?)?[~≈]?\d|\bbaseline\b|\bcurrently\s+(at\s+|is\s+)?\d", re.IGNORECASE)
# Numbers that name a place or a stage, not an amount: "ward 7", "wave 2".
_LABEL_NUMBERS = re.compile(r"\b(ward|bay|unit|level|floor|room|block|building|phase|wave|stage|tier|step|team|site|area|zone|year)\s+\d+\b", re.IGNORECASE)
SOLUTION_WORDS = re.compile(
    r"\b(implement(s|ed|ing|ation)?|introduc(e|es|ed|ing|tion)|roll(ing)?[\s-]+out|rolled\s+out|deploy(s|ed|ing|ment)?|"
    r"install(s|ed|ing|ation)?|launch(es|ed|ing)?|purchas(e|es|ed|ing)|procur(e|es|ed|ing|ement))\b",
    re.IGNORECASE,
)


# Ages name who the aim is for, not how much will improve: "aged 18 and over", "aged 16-24",
# "people over 65", "children under 5", "the under 5s", "over-75s", "18-year-olds", "65 and older".
_AGE = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
        r"seventeen|eighteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)")
_OLDER = r"(?:over|above|older|under|below|younger)"
_WHO = r"\b(?:people|persons|patients|adults|children|women|men|residents|individuals|those|anyone|everyone)"
_AGES = re.compile(
    rf"\baged?\s+(?:between\s+|from\s+|{_OLDER}\s+)?{_AGE}(?:\s*\+)?(?:\s*(?:-|–|to|and)\s*{_AGE})?(?:\s+(?:years?|yrs?))?"
    rf"(?:\s+(?:and|or)\s+{_OLDER})?"
    rf"|\b(?:over|under|above|below)[\s-]+(?:the\s+age\s+of\s+)?{_AGE}(?:s|ies)\b"
    rf"|\b{_AGE}[\s-]*(?:years?|yrs?)[\s-]*olds?\b|\b{_AGE}\s+(?:years?|yrs?)\s+of\s+age\b"
    rf"|\b{_AGE}(?:\s*\+)?\s+(?:and|or)\s+{_OLDER}\b"
    # after a word for people, "over 65" is an age ("waits over 4 hours" is not)
    rf"|(?P<who>{_WHO}\s+)(?:{_OLDER}(?:\s+than)?\s+(?:the\s+age\s+of\s+)?){_AGE}\b(?:\s*\+)?(?!\s*(?:%|per\b|percent\b|weeks?\b|days?\b|hours?\b|months?\b|minutes?\b|mins?\b|hrs?\b))"
    rf"|(?P<who_plus>{_WHO}\s+){_AGE}\s*\+",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)  # the rules ask for one statement several times, and the pattern is slow
def without_ages(text: str) -> str:
    """`text` with the ages in it blanked out ("people over 65" -> "people "), so that an age is
    never read as the aim's amount, baseline or target."""
    return _AGES.sub(lambda m: m.group("who") or m.group("who_plus") or " ", text)


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(_LABEL_NUMBERS.sub(" ", _without_dates(without_ages(text)))))


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def has_population(text: str) -> bool:
    return bool(_POPULATION.search(text))


def has_baseline(text: str) -> bool:
    return bool(_BASELINE.search(without_ages(text)))


# The verb an aim statement leads with, and which way it takes the measure. Only the leading verb
# counts: in "Increase detection of reduced fetal movements" the aim goes up.
_LEAD_IN = r"^\W*(?:(?:we|the\s+team|the\s+project)\s+(?:will|aims?\s+to|want\s+to|plans?\s+to)\s+|(?:our\s+)?aim(?:\s+is)?\s*(?:to\b|:)\s*|to\s+)?"
_LOWER = r"reduc\w*|decreas\w*|lower\w*|cut|cutting|halv\w*|minimi[sz]\w*|eliminat\w*|prevent\w*|fewer|less|shorten\w*|drop|bring\s+down"
_HIGHER = r"increas\w*|rais\w*|doubl\w*|maximi[sz]\w*|boost\w*|grow\w*|more|expand\w*|extend\w*|lift\w*"
_LEADING_VERB = re.compile(rf"{_LEAD_IN}(?:(?P<lower>{_LOWER})|(?P<higher>{_HIGHER}))\b", re.IGNORECASE)


def stated_direction(text: str) -> Optional[tuple[str, str]]:
    """Which way the statement's leading verb takes the measure, and the verb: ("lower", "Reduce"),
    ("higher", "Increase"); None for a statement that does not lead with one ("Improve ...")."""
    found = _LEADING_VERB.search(text)
    if not found:
        return None
    return ("lower", found.group("lower")) if found.group("lower") else ("higher", found.group("higher"))


def names_solution(text: str) -> Optional[str]:
    """The solution word the text leads with ("implement", "roll out"), if any."""
    found = SOLUTION_WORDS.search(text)
    return found.group(0) if found else None


def _without_dates(text: str) -> str:
    return _DATE.sub(" ", text)


def relative_change(baseline: float, target: float) -> float:
    """The change from baseline to target as a percentage of the baseline (negative: a reduction)."""
    return (target - baseline) / baseline * 100.0


def compose_statement(aim: Aim) -> str:
    """An aim statement written from the structured fields.

    "Reduce the stillbirth rate for babies born in England, across all maternity units, from 4.1
    per 1,000 births (2017) to 3.3 per 1,000 births (a 20% reduction) by 31 December 2020."
    """
    verb = _verb(aim)
    parts = [f"{verb} {aim.improve}" if aim.improve else verb]
    if aim.for_:
        parts.append(f"for {aim.for_}")
    if aim.where:
        parts.append(_where(aim.where))
    unit = "" if not aim.unit else aim.unit if aim.unit.startswith("%") else f" {aim.unit}"
    if aim.from_ is not None:
        when = f" ({_date(aim.baseline_date)})" if aim.baseline_date else ""
        parts.append(f"from {_number(aim.from_)}{unit}{when}")
    if aim.to is not None:
        relative = ""
        percent = aim.reduce_by or aim.increase_by
        if percent:
            relative = f" (a {_number(percent)}% {'reduction' if aim.reduce_by else 'increase'})"
        parts.append(f"to {_number(aim.to)}{unit}{relative}")
    elif aim.reduce_by:
        parts.append(f"by {_number(aim.reduce_by)}%")
    elif aim.increase_by:
        parts.append(f"by {_number(aim.increase_by)}%")
    if aim.by:
        parts.append(f"by {_date(aim.by)}")
    sentence = " ".join(parts).strip()
    return sentence[0].upper() + sentence[1:] + "." if sentence else ""


def _verb(aim: Aim) -> str:
    if aim.reduce_by or (aim.from_ is not None and aim.to is not None and aim.to < aim.from_):
        return "reduce"
    if aim.increase_by or (aim.from_ is not None and aim.to is not None and aim.to > aim.from_):
        return "increase"
    return "improve"


def _where(where: str) -> str:
    first = where.split(" ", 1)[0].lower()
    prepositions = {"in", "at", "across", "within", "on", "throughout", "from", "for", "among", "amongst", "of", "by", "to", "into"}
    return where if first in prepositions else f"in {where}"


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value):,}"


def _date(value: object) -> str:
    if isinstance(value, WrittenDate):
        return value.human()
    if isinstance(value, dt.date):
        return f"{value.day} {value.strftime('%B %Y')}"
    return str(value)


# "from 4.1 per 1,000 births (2017) to 3.3": the unit may stand between the two numbers, and a
# bracket there may hold a "to" of its own ("from 54% (April to September 2025) to 90%").
_FROM_TO = re.compile(
    r"\bfrom\s+(?:a\s+)?(?:baseline\s+of\s+)?(\d+(?:\.\d+)?)(?:\([^();]{0,60}\)|(?!\bto\b)[^;]){0,60}?\bto\s+(\d+(?:\.\d+)?)",
    re.IGNORECASE,
)


def baseline_and_target(text: str) -> Optional[tuple[float, float]]:
    """The numbers of "from 4.1 to 3.3" in a free-text aim, if it has them ("from 2019 to 2024" is a span of years)."""
    for found in _FROM_TO.finditer(without_ages(text)):
        baseline, target = found.group(1), found.group(2)
        if _is_year(baseline) and _is_year(target):
            continue
        return float(baseline), float(target)
    return None


def _is_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and 1900 <= int(number) <= 2100
