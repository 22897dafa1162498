"""Value types of the file format that need more than a plain type: dates, percentages, ids."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any, Union

from pydantic import PlainSerializer, PlainValidator, StringConstraints, WithJsonSchema


ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"

Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Placeholder(str):
    """A date field that holds a placeholder ("TBC", "[insert date]") instead of a date."""


_PLACEHOLDER = re.compile(
    r"""^\s*(
        \[.*\] | <.*> | \{.*\} | \(.*\)                 # [insert date], <date>, {date}
        | tb[acdk] | to\ be\ (confirmed|decided|agreed|determined|set|announced)
        | x+([/.\-\ ]x+)*                               # xx/xx/xxxx
        | d{1,2}[/.\-]m{1,2}[/.\-]y{2,4} | yyyy(-mm(-dd)?)? | mm[/.\-]y{2,4}
        | \?+ | -+ | n/?a | none | unknown | pending | date | insert\ date.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


class WrittenDate(dt.date):
    """A date that remembers how precisely it was written: "2017" prints as 2017, not 2017-12-31."""

    precision: str = "day"

    def __new__(cls, year: int, month: int, day: int, precision: str = "day") -> "WrittenDate":
        self = super().__new__(cls, year, month, day)
        self.precision = precision
        return self

    def __reduce__(self) -> Any:
        return (WrittenDate, (self.year, self.month, self.day, self.precision))

    def human(self) -> str:
        """The date as a person would write it in an aim statement."""
        if self.precision == "year":
            return str(self.year)
        if self.precision == "month":
            return self.strftime("%B %Y")
        return f"{self.day} {self.strftime('%B %Y')}"


def first_day(value: dt.date) -> dt.date:
    """The first day of the period a date stands for: 2026 -> 2026-01-01, 2026-06 -> 2026-06-01."""
    precision = getattr(value, "precision", "day")
    if precision == "year":
        return dt.date(value.year, 1, 1)
    if precision == "month":
        return dt.date(value.year, value.month, 1)
    return value


def _end_of_month(year: int, month: int) -> WrittenDate:
    return WrittenDate(year, month, calendar.monthrange(year, month)[1], "month")


def parse_date(value: Any) -> Union[dt.date, Placeholder]:
    """A date as written by a person: 2020-12-31, 2020-12, 2020, December 2020, 31 December 2020.

    A month or a year stands for its last day ("by 2020" means by the end of 2020). Placeholders
    such as "TBC" are kept as Placeholder so that a rule can point at them.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date such as 2020-12-31")
    text = value.strip()
    if _PLACEHOLDER.match(text):
        return Placeholder(text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = dt.date.fromisoformat(text)
            return WrittenDate(day.year, day.month, day.day)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = map(int, text.split("-"))
            return _end_of_month(year, month)
        if re.fullmatch(r"\d{4}", text):
            return WrittenDate(int(text), 12, 31, "year")
        words = re.fullmatch(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})", text)
        if words and words.group(2).lower() in _MONTHS:
            month = _MONTHS[words.group(2).lower()]
            year = int(words.group(3))
            if words.group(1):
                return WrittenDate(year, month, int(words.group(1)))
            return _end_of_month(year, month)
    except ValueError:
        raise ValueError(f"`{text}` is not a real date") from None
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text):
        raise ValueError(f"`{text}` is ambiguous (day/month or month/day?): write it as YYYY-MM-DD")
    raise ValueError(f"`{text}` is not a date: write it as YYYY-MM-DD, YYYY-MM, YYYY or 'December 2020'")


_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "description": "YYYY-MM-DD, YYYY-MM, YYYY or 'December 2020'"},
        {"type": "integer", "minimum": 1900, "maximum": 2999, "description": "a year"},
    ]
}
def written_date(value: Union[dt.date, str]) -> str:
    """A date as it was written, at its precision: 2017, 2020-12 or 2020-12-31 (a placeholder as is)."""
    if isinstance(value, WrittenDate) and value.precision == "year":
        return f"{value.year:04d}"
    if isinstance(value, WrittenDate) and value.precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


FlexDate = Annotated[
    Union[dt.date, Placeholder],
    PlainValidator(parse_date),
    PlainSerializer(written_date, return_type=str),
    WithJsonSchema(_DATE_SCHEMA),
]


def parse_percent(value: Any) -> float:
    """A percentage: 20, 20%, "20 %" or 0.2 is not accepted as 20% (too easy to misread)."""
    if isinstance(value, bool):
        raise ValueError("expected a percentage such as 20%")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*%?\s*", value):
        number = float(value.strip().rstrip("%"))
    else:
        raise ValueError("expected a percentage such as 20%")
    if not 0 < number < 1000:
        raise ValueError("a percentage must be above 0")
    return number


_PERCENT_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$"},
    ],
    "description": "a percentage, such as 20%",
}
Percent = Annotated[float, PlainValidator(parse_percent), WithJsonSchema(_PERCENT_SCHEMA)]
