"""Value types of the file format that need more than a plain type: dates, percentages, ids."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any, Union
from urllib.parse import quote

from pydantic import PlainSerializer, PlainValidator, StringConstraints, WithJsonSchema


ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"

Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# An element of another project file: `../national.yaml#P1`, the file relative to this one, then its id
# (`#aim` for its aim).
REFERENCE_PATTERN = r"^[^#\s][^#]*#[A-Za-z][A-Za-z0-9_.\-]*$"
Reference = Annotated[str, StringConstraints(strip_whitespace=True, pattern=REFERENCE_PATTERN, max_length=1000)]


def _link_address(value: Any) -> str:
    """A link a reader can follow from a picture or a page: http(s), or a path relative to the
    output (`pdsa/cycle-3.html`). Any other scheme (`javascript:`, `data:`, `file:`) could run or
    read something when clicked, so it is refused when the file is loaded."""
    if not isinstance(value, str):
        raise ValueError("a url is text, such as https://example.org/page")
    text = value.strip()
    if not text:
        raise ValueError("a url must not be empty")
    if any(ord(c) < 32 or c.isspace() for c in text):
        raise ValueError(f"`{text[:60]}` holds spaces or control characters: write them as %20 or leave them out")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise ValueError(f"the link `{text[:60]}` uses `{scheme.group(1)}:`; only http, https and relative links are allowed")
    if scheme and not re.match(r"(?i)https?://[^/?#]", text):
        raise ValueError(f"`{text[:60]}` is not a complete web address: write it as https://host/path")
    if text.startswith("//") or text.startswith("\\"):
        raise ValueError(f"`{text[:60]}` leaves out the scheme: write it as https://{text.lstrip('/')}")
    # Quotes, angle brackets, backslashes and the like are percent-encoded, as a browser would send
    # them: no output then has to trust its own quoting of an address.
    return quote(text, safe="/:?#[]@!$&()*+,;=%~-._")


Url = Annotated[
    str,
    PlainValidator(_link_address),
    WithJsonSchema({"type": "string", "pattern": r"^(?![A-Za-z][A-Za-z0-9+.\-]*:)(?!//)\S+$|^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]\S*$",
                    "description": "an http(s) address or a relative link"}),
]


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
# English month names, whatever the machine's locale.
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)})
_MONTHS["sept"] = 9
FIRST_YEAR, LAST_YEAR = 1900, 2999


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
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{self.day} {MONTH_NAMES[self.month - 1]} {self.year}"


def first_day(value: dt.date) -> dt.date:
    """The first day of the period a date stands for: 2026 -> 2026-01-01, 2026-06 -> 2026-06-01."""
    precision = getattr(value, "precision", "day")
    if precision == "year":
        return dt.date(value.year, 1, 1)
    if precision == "month":
        return dt.date(value.year, value.month, 1)
    return value


def ends_before(later: object, earlier: object, allow_same: bool = True) -> bool:
    """Whether the period `later` ends before the period `earlier` begins ("2026" is the whole
    year, so 2026 to 2026-06 is in order); equal dates are in order unless `allow_same` is off.
    Anything that is not a date (a placeholder, nothing) is never out of order."""
    if not isinstance(later, dt.date) or not isinstance(earlier, dt.date):
        return False
    if later < first_day(earlier):
        return True
    return not allow_same and later == earlier


def _end_of_month(year: int, month: int) -> WrittenDate:
    return WrittenDate(year, month, calendar.monthrange(year, month)[1], "month")


# The shapes parse_date reads, compiled once: a long series reads a date a row.
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{1,2}")
_YEAR = re.compile(r"\d{4}")  # matched at the start, and as the whole text
_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})")  # 31 December 2020, Dec. 2020
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


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
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        # `by: [insert date]` unquoted is a list to YAML; as a date it can only be a placeholder
        if _PLACEHOLDER.match(f"[{value[0]}]"):
            return Placeholder(f"[{value[0]}]")
    if not isinstance(value, str):
        raise ValueError("expected a date such as 2020-12-31")
    text = value.strip()
    if _PLACEHOLDER.match(text):
        return Placeholder(text)
    year = _YEAR.match(text)
    if year and not FIRST_YEAR <= int(year.group(0)) <= LAST_YEAR:
        raise ValueError(f"`{text}` is not a plausible year")
    try:
        if _DAY.fullmatch(text):
            day = dt.date.fromisoformat(text)
            return WrittenDate(day.year, day.month, day.day)
        if _MONTH.fullmatch(text):
            year, month = map(int, text.split("-"))
            return _end_of_month(year, month)
        if _YEAR.fullmatch(text):
            return WrittenDate(int(text), 12, 31, "year")
        words = _WORDS.fullmatch(text)
        if words and words.group(2).lower() in _MONTHS:
            month = _MONTHS[words.group(2).lower()]
            year = int(words.group(3))
            if words.group(1):
                return WrittenDate(year, month, int(words.group(1)))
            return _end_of_month(year, month)
    except ValueError:
        raise ValueError(f"`{text}` is not a real date") from None
    slashed = _SLASHED.fullmatch(text)
    if slashed:
        first, second, year_text = (int(g) for g in slashed.groups())
        if first > 12 >= second:
            raise ValueError(f"`{text}`: write dates as YYYY-MM-DD (did you mean {year_text}-{second:02d}-{first:02d}?)")
        if second > 12 >= first:
            raise ValueError(f"`{text}`: write dates as YYYY-MM-DD (did you mean {year_text}-{first:02d}-{second:02d}?)")
        raise ValueError(f"`{text}` could be day/month or month/day: write it as YYYY-MM-DD")
    raise ValueError(f"`{text}` is not a date: write it as YYYY-MM-DD, YYYY-MM, YYYY or 'December 2020'")


_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "description": "YYYY-MM-DD, YYYY-MM, YYYY or 'December 2020'"},
        {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR, "description": "a year"},
        {"type": "array", "maxItems": 1, "items": {"type": "string"}, "description": "a placeholder written without quotes, such as [insert date]"},
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


def _percent(value: Any, most: float) -> float:
    """20, "20%" or "20 %" is 20%. A fraction such as 0.2 is taken as 0.2%: write 20% for a fifth."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*%?\s*", value):
        number = float(value.strip().rstrip("%"))
    else:
        raise ValueError("expected a percentage such as 20%")
    if number <= 0:
        raise ValueError("a percentage must be above 0")
    if number > most:
        raise ValueError(f"a percentage here can be at most {most:g}%")
    return number


def _percent_schema(most: float) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0, "maximum": most},
            {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$"},
        ],
        "description": f"a percentage above 0 and at most {most:g}, such as 20%",
    }


MAX_INCREASE = 10_000.0
Percent = Annotated[float, PlainValidator(lambda v: _percent(v, MAX_INCREASE)), WithJsonSchema(_percent_schema(MAX_INCREASE))]
Reduction = Annotated[float, PlainValidator(lambda v: _percent(v, 100.0)), WithJsonSchema(_percent_schema(100.0))]
