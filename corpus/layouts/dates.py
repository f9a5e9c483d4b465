"""Dates as transcripts write them, read to ISO ("June 18, 2022", "5 June 2025", "13/12/2002").

Slashed dates are read day first (the order of the Commonwealth and Chinese publishers these
layouts come from) unless the first number cannot be a day-first month (> 12 in the second
place) or the caller says the document writes month first (`day_first=False`, for documents
that use US month-name dates such as "June 18, 2022").
"""

from __future__ import annotations

import re
from datetime import date as Date

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_NAME = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
              r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
# "June 18, 2022", "Jan. 18, 2023", "June 18 2022"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_NAME}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
                             re.IGNORECASE)
# "5 June 2025", "5th June, 2025"
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME}\.?,?\s+(?P<year>\d{{4}})\b",
                             re.IGNORECASE)
_ISO = re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])")  # also in "2022-06-15_x"
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})(?![\d/])")
# A US writer's month-first date, used to decide the order of slashed dates in one document.
US_STYLE = _MONTH_DAY_YEAR


def parse_date(line: str, *, day_first: bool = True) -> str | None:
    """The first date written in `line`, as an ISO string, or None."""
    found: list[tuple[int, str]] = []
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        for match in pattern.finditer(line):
            month = _month_number(match.group("month"))
            if (iso := _iso(int(match.group("year")), month, int(match.group("day")))):
                found.append((match.start(), iso))
                break
    for match in _ISO.finditer(line):
        if (iso := _iso(int(match.group("year")), int(match.group("month")), int(match.group("day")))):
            found.append((match.start(), iso))
            break
    for match in _SLASHED.finditer(line):
        a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
        day, month = (a, b) if (day_first and b <= 12) or a > 12 else (b, a)
        if (iso := _iso(year, month, day)):
            found.append((match.start(), iso))
            break
    return min(found)[1] if found else None


def is_date_line(line: str) -> bool:
    """A line that is only a date (a dateline), perhaps with a weekday or a place."""
    if parse_date(line) is None:
        return False
    rest = _strip_dates(line)
    return len(rest.split()) <= 3


def _strip_dates(line: str) -> str:
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _ISO, _SLASHED):
        line = pattern.sub(" ", line)
    return re.sub(r"[\s,|()\-–]+", " ", line).strip()


def _month_number(name: str) -> int:
    prefix = name.lower()[:3]
    return next(i for i, month in enumerate(MONTHS, 1) if month.startswith(prefix))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return None
