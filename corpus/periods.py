"""Time expressions -> date ranges: "last year" said on 2022-01-20 is 2021.

Briefings speak relatively ("last year", "the first quarter", "so far this year"), so every
period expression is resolved against a reference date: the document's date for a figure, the
newest document's date for a question. A small grammar built from one lexicon (months,
weekdays, number and ordinal words, units of time), general English only; no library does this
offline (dateutil parses absolute dates, not "the first half" or "over the past decade").

`mentions(text, reference)` finds every expression with its offsets; `resolve` gives the
first one's period. Comparison baselines ("year on year", "over 2012", "compared with 2012",
"than a year ago") are found too but marked `baseline`: they are not the period a figure
is for. An expression that needs a reference date and has none resolves to nothing.
"""

from __future__ import annotations

import calendar
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from corpus.models import Figure, Passage

# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A date range, both ends inclusive, and the expression it was read from."""

    start: date
    end: date
    text: str  # the expression as written: "last year", "From 2012 to 2021"
    ends: tuple[Period, Period] | None = None  # the two ends of a range ("from 2012 to 2021")

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Mention:
    """A time expression found in a text; offsets index that text."""

    start: int
    end: int
    text: str
    period: Period | None  # None: a baseline with no date ("year on year") or not resolvable
    baseline: bool = False  # what a change is measured against, not the figure's own period


# ---------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    **{name.lower(): n for n, name in enumerate(calendar.month_name) if name},
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {name.lower(): n for n, name in enumerate(calendar.day_name)}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "couple of": 2, "few": 3, "several": 3,
}
ORDINALS: dict[str, int] = {
    word: n for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), start=1)
}
# Seasons of the northern hemisphere, as (first month, months long).
SEASONS: dict[str, tuple[int, int]] = {"spring": (3, 3), "summer": (6, 3), "autumn": (9, 3), "fall": (9, 3),
                                       "winter": (12, 3)}
UNIT_DAYS: dict[str, int] = {"day": 1, "week": 7}
UNIT_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12, "decade": 120}
# Parts of a year as (first month, months long).
QUARTERS = {1: (1, 3), 2: (4, 3), 3: (7, 3), 4: (10, 3)}
HALVES = {1: (1, 6), 2: (7, 6)}
# Phases of a year or month: "early 2022", "the end of 2021" (first month, months long).
YEAR_PHASES: dict[str, tuple[int, int]] = {
    "early": (1, 4), "beginning": (1, 1), "start": (1, 1), "mid": (5, 4), "middle": (5, 4),
    "late": (9, 4), "end": (12, 1), "close": (12, 1),
}
# China's Five-Year Plans: the first ran 1953-1957, the second 1958-1962; after three years of
# adjustment the third began in 1966, and each since has followed the last (the 13th: 2016-2020).
FIVE_YEAR_PLAN_STARTS = {1: 1953, 2: 1958}
FIVE_YEAR_PLAN_THREE = 1966

_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_WD = "|".join(WEEKDAYS)
_NUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"|\d{1,3}"
_ORD = "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th)"
_YEAR = r"(?:19\d{2}|20\d{2}|2100)(?![\d%]|[.,]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[.,]\d)"
_REL = r"(?:last|this|next|the\s+current|the\s+previous|the\s+prior|the\s+past|the\s+coming|the\s+following)"
# Words after a number that make it an amount, not a year ("2021 yuan", "2000 companies").
_UNIT_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|percentage|yuan|dollars?|euros?|pounds?|-?fold|times|thousand|million|"
    r"billion|trillion|tonnes?|tons?|units?|people|persons|km|kilometres?|kilometers?|hectares?)\b", re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")
# Lower-case words that may follow a year ("over 2012 levels", "in 2021 was").
_YEAR_FOLLOWERS = frozenset(
    "and or to through until till was were is has had will would saw when while levels level figures figure "
    "projections projection forecasts forecast numbers results budget census election plan as versus vs "
    "the we our they it its there this that compared against than".split())
_AMOUNT_BEFORE = re.compile(
    r"(?:[$€£¥]|\b(?:rmb|us\$|usd|no\.?|number|nearly|almost|about|around|roughly|some|approximately|"
    r"more\s+than|less\s+than|fewer\s+than|up\s+to|at\s+least|over|under|exceeded|reached|total(?:led|ed)?)\s*)$",
    re.IGNORECASE)
# Said before a point in time, it makes the point a comparison baseline.
_BASELINE_BEFORE = re.compile(
    r"\b(?:over|compared\s+(?:with|to)|comparing\s+with|than(?:\s+(?:in|during|at|that\s+of|those\s+of))?|"
    r"relative\s+to|against|versus|vs\.?|from)\s+(?:the\s+same\s+(?:period|time|month|quarter)\s+(?:of\s+|in\s+)?)?$",
    re.IGNORECASE)
# "from" makes a baseline only of a relative point ("up 5% from a year ago"); "from 2012" starts a range.
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_RELATIVE_POINT = re.compile(r"\b(?:last|ago|earlier|previous|prior|before)\b", re.IGNORECASE)
# A full stop after a month's full name ends the sentence ("in July."), after "Sept" it is the abbreviation's.
_SENTENCE_STOP = re.compile(r"(?<!\bjan)(?<!\bfeb)(?<!\bmar)(?<!\bapr)(?<!\bjun)(?<!\bjul)(?<!\baug)(?<!\bsep)"
                            r"(?<!\bsept)(?<!\boct)(?<!\bnov)(?<!\bdec)\.$", re.IGNORECASE)
_MONTH_FIRST = re.compile(rf"(?:{_M})\b", re.IGNORECASE)
_RANGE_START = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|and|through|thru|till|until|up\s+to)\s*", re.IGNORECASE)
_BARE_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|through)\s*", re.IGNORECASE)
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_MONTH_DASH = re.compile(r"[-–]")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_BARE_MONTH = re.compile(rf"(?:{_M})\.?", re.IGNORECASE)
# "the 12 months to June", "the three months ending in March", "the year to September"
_MONTHS_TO_BEFORE = re.compile(rf"\b(?:the\s+)?(?:(?P<n>{_NUM})[\s-]+months?|(?P<year>year))\s+"
                               r"(?:to|ending(?:\s+in)?|ended|through|until|up\s+to)\s+$", re.IGNORECASE)
# "the lowest since 1994", "the first time since 2011": a record against that year, which is no
# period of the figure (a baseline, like "over 2012").
_RECORD_BEFORE = re.compile(r"\b(?:(?:high|low|larg|bigg|small|strong|weak|fast|slow|great|deep|sharp|steep|tight|"
                            r"wid|narrow|cheap|hott|cold|warm|long|short)est|best|worst|first|most|least)\b"
                            r"(?:\s+[\w'’-]+){0,3}\s*$", re.IGNORECASE)
# Cheap test that a text may hold a time expression at all (most sentences of a passage do not).
_QUICK = re.compile(rf"\d|\b(?:{_M}|{_WD}|years?|months?|weeks?|quarters?|half|decades?|hours?|days?|today|"
                    r"yesterday|tomorrow|tonight|now|so\s+far|to\s+date|present|currently|season|spring|summer|autumn|fall|winter)\b",
                    re.IGNORECASE)


# ---------------------------------------------------------------------------
# Date arithmetic
# ---------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(year: int, first: int, count: int, text: str) -> Period:
    """`count` whole months from month `first` of `year` (running into the next year if needed)."""
    start = date(year, 1, 1)
    start = _add_months(start, first - 1)
    end = _add_months(start, count) - timedelta(days=1)
    return Period(start, end, text)


def _year(year: int, text: str) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), text)


def _day(year: int, month: int, day: int, text: str) -> Period | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return Period(value, value, text)


def _nearest(make: Callable[[int], Period | None], reference: date | None) -> Period | None:
    """A yearless month or day ("in May", "on February 22"): the occurrence around the
    reference date, the last past one unless the next one comes within three months."""
    if reference is None:
        return None
    options = [p for p in (make(reference.year + k) for k in (-1, 0, 1)) if p is not None]
    past = [p for p in options if p.start <= reference]
    future = [p for p in options if p.start > reference and (p.start - reference).days <= 92]
    if future:
        return future[0]
    return past[-1] if past else None


def _not_future(make: Callable[[int], Period], reference: date | None, year: int | None) -> Period | None:
    """A part of a year given without its year ("the first quarter"): this year's once at
    least half of it has passed by the reference date, else last year's (figures are reported
    for parts that are over: "the first quarter" said in January is last year's)."""
    if year is not None:
        return make(year)
    if reference is None:
        return None
    period = make(reference.year)
    passed = (reference - period.start).days
    return period if passed >= ((period.end - period.start).days + 1) / 2 else make(reference.year - 1)


# ---------------------------------------------------------------------------
# Grammar: each rule is a pattern and what it means
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    reference: date | None
    year: int | None  # the last year the text named before this point ("that year")


Rule = Callable[[re.Match[str], _Context], Period | None]
_RULES: list[tuple[re.Pattern[str], Rule, bool]] = []  # pattern, meaning, is a baseline


def _rule(pattern: str, baseline: bool = False) -> Callable[[Rule], Rule]:
    def register(meaning: Rule) -> Rule:
        _RULES.append((re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), meaning, baseline))
        return meaning
    return register


def _num(word: str | None, default: int = 1) -> int:
    if not word:
        return default
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, default)


def _ordinal(word: str) -> int:
    word = word.lower()
    return ORDINALS.get(word) or int(re.sub(r"\D", "", word))


def _relative_year(word: str, ctx: _Context) -> int | None:
    """The year meant by "this", "last", "next", "that", "the same" ... year."""
    word = " ".join(word.lower().split())
    if word in ("that", "the same"):
        return ctx.year if ctx.year is not None else (ctx.reference.year if ctx.reference else None)
    if ctx.reference is None:
        return None
    offset = {"last": -1, "the previous": -1, "the prior": -1, "the past": -1, "next": 1, "the coming": 1,
              "the following": 1}.get(word, 0)
    return ctx.reference.year + offset


_YEARISH = rf"(?P<y>{_YEAR})|(?P<rel>{_REL}|that|the\s+same)\s+year|the\s+year"


def _yearish(m: re.Match[str], ctx: _Context) -> tuple[int | None, bool]:
    """The year of a `_YEARISH` group, and whether one was given at all."""
    if m.group("y"):
        return int(m.group("y")), True
    if m.group("rel"):
        return _relative_year(m.group("rel"), ctx), True
    if re.search(r"the\s+year\s*$", m.group(0), re.IGNORECASE):
        return (ctx.reference.year if ctx.reference else None), True
    return None, False


@_rule(r"year[-\s](?:on|over)[-\s]year|y-o-y|yoy|(?:than|from|over|compared\s+(?:with|to))\s+(?:a|one|the)\s+"
       r"(?:year|month|week|quarter)\s+(?:ago|earlier|before)|the\s+same\s+period\s+(?:of\s+)?last\s+year"
       r"|(?:a|the)\s+year\s+earlier", baseline=True)
def _baseline(m: re.Match[str], ctx: _Context) -> Period | None:
    return None


# "on Monday, February 22, 2021": the whole date, not "on Monday" alone (the earliest match wins).
@_rule(rf"(?:(?:on\s+)?(?P<wd>{_WD}),?\s+)?(?P<m>{_M})\.?\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})"
       rf"|(?:(?:on\s+)?(?P<wd2>{_WD}),?\s+)?(?:the\s+)?(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_M})\.?,?\s+(?P<y2>{_YEAR})")
def _full_date(m: re.Match[str], ctx: _Context) -> Period | None:
    month = MONTHS[(m.group("m") or m.group("m2")).lower()]
    day = int(re.sub(r"\D", "", m.group("d") or m.group("d2")))
    return _day(int(m.group("y") or m.group("y2")), month, day, m.group(0))


@_rule(rf"(?:(?:on\s+)?(?P<wd>{_WD}),?\s+)?(?P<m>{_M})\.?\s+(?P<d>{_DAY})(?!\s*,?\s*\d)"
       rf"|(?:(?:on\s+)?(?P<wd2>{_WD}),?\s+)?the\s+(?P<d2>{_DAY})\s+of\s+(?P<m2>{_M})"
       rf"|(?P<d3>{_DAY})\s+(?P<m3>{_M})(?!\s*,?\s*\d)")
def _yearless_date(m: re.Match[str], ctx: _Context) -> Period | None:
    month = MONTHS[(m.group("m") or m.group("m2") or m.group("m3")).lower()]
    day = int(re.sub(r"\D", "", m.group("d") or m.group("d2") or m.group("d3")))
    if not 1 <= day <= 31:
        return None
    return _nearest(lambda y: _day(y, month, day, m.group(0)), ctx.reference)


@_rule(rf"(?:(?P<phase>early|mid|late|end)[-\s]|the\s+(?P<phase2>beginning|start|end|middle|close)\s+of\s+)?"
       rf"(?P<m>{_M})\.?,?\s+(?:of\s+)?(?P<y>{_YEAR})")
def _month_year(m: re.Match[str], ctx: _Context) -> Period | None:
    return _months(int(m.group("y")), MONTHS[m.group("m").lower()], 1, m.group(0))


@_rule(rf"(?:(?P<phase>early|mid|late|end)[-\s]|the\s+(?P<phase2>beginning|start|end|middle|close)\s+of\s+)?"
       rf"(?:(?P<rel0>last|this|next|this\s+past)\s+)?(?P<m>{_M})\.?(?!\s*\d)(?:\s+(?P<rel>this|last|next)\s+year)?"
       r"(?!\s+(?:I|we|you|he|she|they|it|the|a|an|be|have|not|also|well)\b)")
def _month(m: re.Match[str], ctx: _Context) -> Period | None:
    word = m.group("m")
    if word[0].islower() and not (m.group("phase") or m.group("phase2") or m.group("rel")):
        return None  # "may" and "march" are verbs unless capitalised
    if word.isupper() and len(word) <= 4 and word.lower() != "may":
        return None  # "SEP", "DEC": an acronym, not a month
    month = MONTHS[word.lower()]
    if m.group("rel"):
        year = _relative_year(m.group("rel"), ctx)
        return None if year is None else _months(year, month, 1, m.group(0))
    if m.group("rel0") and ctx.reference is not None:  # "last December": the last one before this month
        rel = " ".join(m.group("rel0").lower().split())
        year = ctx.reference.year
        if rel in ("last", "this past"):
            year -= 1 if month >= ctx.reference.month else 0
        elif rel == "next":
            year += 1 if month <= ctx.reference.month else 0
        period = _months(year, month, 1, m.group(0))
        return period
    return _nearest(lambda y: _months(y, month, 1, m.group(0)), ctx.reference)


@_rule(rf"(?:(?P<this>this|last|next)\s+)?(?P<s>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?")
def _season(m: re.Match[str], ctx: _Context) -> Period | None:
    first, count = SEASONS[m.group("s").lower()]
    if m.group("y"):
        return _months(int(m.group("y")) - (1 if first == 12 else 0), first, count, m.group(0))
    if not m.group("this") or ctx.reference is None:
        return None  # a bare "fall" is a verb as often as a season
    this = _not_future(lambda y: _months(y - (1 if first == 12 else 0), first, count, m.group(0)), ctx.reference, None)
    if this is None:
        return None
    shift = {"this": 0, "last": -1, "next": 1}[m.group("this").lower()]
    return _months(this.start.year + shift, first, count, m.group(0)) if shift else this


@_rule(rf"(?P<phase>early|mid|late|end)[-\s](?P<y0>{_YEAR})"
       rf"|the\s+(?P<phase2>beginning|start|end|middle|close)\s+of\s+(?:(?:the\s+)?year\s+)?(?:{_YEARISH})"
       rf"|(?:the\s+)?(?P<ye>year[-\s]end|end\s+of\s+the\s+year)")
def _year_phase(m: re.Match[str], ctx: _Context) -> Period | None:
    if m.group("ye"):
        year = ctx.reference.year if ctx.reference else None
        first, count = YEAR_PHASES["end"]
    else:
        year = int(m.group("y0")) if m.group("y0") else _yearish(m, ctx)[0]
        first, count = YEAR_PHASES[(m.group("phase") or m.group("phase2")).lower()]
    return None if year is None else _months(year, first, count, m.group(0))


_PART = (rf"(?P<qn>first|second|third|fourth|last|final|1st|2nd|3rd|4th)[-\s]quarter"
         rf"|Q(?P<qd>[1-4])|(?P<qd2>[1-4])Q"
         rf"|(?P<hn>first|second|1st|2nd)[-\s]half|H(?P<hd>[12])"
         rf"|first\s+(?P<fq>two|three|2|3)\s+quarters|first\s+(?P<fm>{_NUM})\s+months")


@_rule(rf"(?:(?P<py>{_YEAR})\s+)?(?:the\s+)?(?:{_PART})(?:\s+(?:of\s+|in\s+)?(?:the\s+)?(?:fiscal\s+)?(?:{_YEARISH}))?")
def _part_of_year(m: re.Match[str], ctx: _Context) -> Period | None:
    year, given = _yearish(m, ctx)
    if m.group("py"):
        year, given = int(m.group("py")), True
    if m.group("qn") or m.group("qd") or m.group("qd2"):
        word = (m.group("qn") or m.group("qd") or m.group("qd2")).lower()
        if word in ("last", "final") and not given:
            return _previous_quarter(ctx.reference, m.group(0))
        n = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4, "final": 4}.get(word) or int(word[0])
        first, count = QUARTERS[n]
    elif m.group("hn") or m.group("hd"):
        word = (m.group("hn") or m.group("hd")).lower()
        first, count = HALVES[1 if word in ("first", "1st", "1") else 2]
    elif m.group("fq"):
        first, count = 1, 3 * _num(m.group("fq"))
    else:
        first, count = 1, _num(m.group("fm"))
        if not 1 <= count <= 12:
            return None
    if given and year is None:
        return None
    return _not_future(lambda y: _months(y, first, count, m.group(0)), ctx.reference, year if given else None)


# "the March quarter", "the June quarter of 2031", "the March and June quarters": a quarter
# named by the month it ends in, as Australian, British and New Zealand statistics name them.
_QUARTER_END = r"march|june|september|december|mar|jun|sept|sep|dec"


@_rule(rf"(?:the\s+)?(?:(?P<m1>{_QUARTER_END})\.?\s+and\s+(?:the\s+)?)?(?P<m>{_QUARTER_END})\.?\s+"
       rf"quarters?(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?")
def _month_quarter(m: re.Match[str], ctx: _Context) -> Period | None:
    last = MONTHS[m.group("m").lower()]
    year = int(m.group("y")) if m.group("y") else None
    quarter = _not_future(lambda y: _months(y, last - 2, 3, m.group(0)), ctx.reference, year)
    if quarter is None or m.group("m1") is None:
        return quarter
    # "the March and June quarters": from the earlier quarter, the one ending in m1 before this one
    back = (last - MONTHS[m.group("m1").lower()]) % 12 or 12
    start = _add_months(quarter.start, -back)
    return Period(start, quarter.end, m.group(0))


def _previous_quarter(reference: date | None, text: str) -> Period | None:
    if reference is None:
        return None
    this = _months(reference.year, (reference.month - 1) // 3 * 3 + 1, 3, text)
    return _months(_add_months(this.start, -3).year, _add_months(this.start, -3).month, 3, text)


@_rule(r"(?P<which>this|last|next|the\s+current|the\s+previous|the\s+past|the\s+coming)\s+quarter")
def _relative_quarter(m: re.Match[str], ctx: _Context) -> Period | None:
    if ctx.reference is None:
        return None
    which = " ".join(m.group("which").lower().split())
    if which in ("last", "the previous", "the past"):
        return _previous_quarter(ctx.reference, m.group(0))
    this = _months(ctx.reference.year, (ctx.reference.month - 1) // 3 * 3 + 1, 3, m.group(0))
    if which in ("next", "the coming"):
        start = _add_months(this.start, 3)
        return _months(start.year, start.month, 3, m.group(0))
    return this


@_rule(r"(?:so\s+far|to\s+date|up\s+to\s+now)\s+(?:this\s+year|in\s+(?:the\s+year|this\s+year|(?P<y>" + _YEAR + r")))"
       r"|(?:the\s+)?year[-\s]to[-\s]date|earlier\s+this\s+year|this\s+year\s+so\s+far|the\s+year\s+so\s+far"
       r"|(?P<later>later\s+this\s+year|the\s+rest\s+of\s+(?:this|the)\s+year)")
def _this_year_so_far(m: re.Match[str], ctx: _Context) -> Period | None:
    if m.group("y"):
        return _year(int(m.group("y")), m.group(0))
    if ctx.reference is None:
        return None
    if m.group("later"):
        return Period(ctx.reference, date(ctx.reference.year, 12, 31), m.group(0))
    return Period(date(ctx.reference.year, 1, 1), ctx.reference, m.group(0))


@_rule(r"(?:so\s+far|to\s+date|up\s+to\s+now)\s+this\s+month|earlier\s+this\s+month"
       r"|(?:so\s+far|to\s+date)\s+this\s+week|earlier\s+this\s+week")
def _this_month_so_far(m: re.Match[str], ctx: _Context) -> Period | None:
    if ctx.reference is None:
        return None
    if "week" in m.group(0).lower():
        return Period(ctx.reference - timedelta(days=ctx.reference.weekday()), ctx.reference, m.group(0))
    return Period(ctx.reference.replace(day=1), ctx.reference, m.group(0))


@_rule(r"(?P<rel>last|this|next|the\s+current|the\s+previous|the\s+prior|the\s+coming|the\s+following"
       r"|that|the\s+same)\s+(?:calendar\s+|fiscal\s+)?year|the\s+year\s+before\s+last")
def _relative_year_rule(m: re.Match[str], ctx: _Context) -> Period | None:
    if m.group("rel") is None:  # the year before last
        return None if ctx.reference is None else _year(ctx.reference.year - 2, m.group(0))
    year = _relative_year(m.group("rel"), ctx)
    return None if year is None else _year(year, m.group(0))


@_rule(rf"(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+ago")
def _ago(m: re.Match[str], ctx: _Context) -> Period | None:
    if ctx.reference is None:
        return None
    n, unit = _num(m.group("n")), m.group("unit").lower()
    if unit == "year" and n > 1:
        return _year(ctx.reference.year - n, m.group(0))
    if unit in ("month", "year"):  # "a year ago": the month a year back
        n *= 12 if unit == "year" else 1
        start = _add_months(ctx.reference.replace(day=1), -n)
        return _months(start.year, start.month, 1, m.group(0))
    day = ctx.reference - timedelta(days=n * UNIT_DAYS[unit])
    return Period(day, day, m.group(0)) if unit == "day" else Period(day, day + timedelta(days=6), m.group(0))


@_rule(r"(?:(?P<began>began|begin|begins|started|start|starts)|ended|end|ends|closed|finished)\s+the\s+year")
def _began_the_year(m: re.Match[str], ctx: _Context) -> Period | None:
    """'We began the year with ...': January of the year spoken of; 'ended the year': December."""
    year = ctx.year if ctx.year is not None else ctx.reference.year if ctx.reference else None
    if year is None:
        return None
    return _months(year, 1 if m.group("began") else 12, 1, m.group(0))


@_rule(r"(?P<rel>last|this|next|the\s+previous|the\s+current|the\s+coming)\s+(?P<unit>month|week)")
def _relative_month_week(m: re.Match[str], ctx: _Context) -> Period | None:
    if ctx.reference is None:
        return None
    rel, unit = " ".join(m.group("rel").lower().split()), m.group("unit").lower()
    shift = {"last": -1, "the previous": -1, "next": 1, "the coming": 1}.get(rel, 0)
    if unit == "month":
        start = _add_months(ctx.reference.replace(day=1), shift)
        return _months(start.year, start.month, 1, m.group(0))
    monday = ctx.reference - timedelta(days=ctx.reference.weekday()) + timedelta(days=7 * shift)
    return Period(monday, monday + timedelta(days=6), m.group(0))


@_rule(rf"the\s+(?P<dir>past|last|previous|recent|preceding|next|coming|following)\s+"
       rf"(?:(?P<n>{_NUM})\s+)?(?P<unit>hour|day|week|month|quarter|year|decade)s?"
       rf"|(?P<dir2>past|last|next|coming)\s+(?P<n2>{_NUM})\s+(?P<unit2>hour|day|week|month|quarter|year|decade)s?"
       rf"|(?:in\s+)?(?P<recent>recent\s+(?:years|months|weeks))")
def _span(m: re.Match[str], ctx: _Context) -> Period | None:
    """'the past decade', 'the last three months', 'the next five years': up to or from now."""
    if ctx.reference is None:
        return None
    if m.group("recent"):
        word = m.group("recent").split()[1]
        unit, n, back = word.rstrip("s"), {"years": 5, "months": 3, "weeks": 3}[word], True
    else:
        unit = (m.group("unit") or m.group("unit2")).lower()
        n = _num(m.group("n") or m.group("n2"))
        back = (m.group("dir") or m.group("dir2")).lower() not in ("next", "coming", "following")
    if unit == "hour":
        days = timedelta(days=max(1, n // 24))
        return Period(ctx.reference - days if back else ctx.reference, ctx.reference if back else ctx.reference + days,
                      m.group(0))
    if unit in UNIT_DAYS:
        length = timedelta(days=n * UNIT_DAYS[unit])
        return (Period(ctx.reference - length, ctx.reference, m.group(0)) if back
                else Period(ctx.reference, ctx.reference + length, m.group(0)))
    months = n * UNIT_MONTHS[unit]
    if back:
        return Period(_add_months(ctx.reference, -months), ctx.reference, m.group(0))
    return Period(ctx.reference, _add_months(ctx.reference, months), m.group(0))


@_rule(r"yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening)|(?:right\s+)?now|currently"
       r"|at\s+present|at\s+the\s+moment|so\s+far|to\s+date|as\s+of\s+(?:now|today)|up\s+to\s+now|until\s+now")
def _deictic_day(m: re.Match[str], ctx: _Context) -> Period | None:
    if ctx.reference is None:
        return None
    word = m.group(0).lower()
    shift = -1 if word == "yesterday" else 1 if word == "tomorrow" else 0
    day = ctx.reference + timedelta(days=shift)
    return Period(day, day, m.group(0))


@_rule(rf"(?:(?P<rel>last|this\s+past|this|next)\s+|(?P<on>on)\s+)(?P<wd>{_WD})")
def _weekday(m: re.Match[str], ctx: _Context) -> Period | None:
    if ctx.reference is None:
        return None
    target = WEEKDAYS[m.group("wd").lower()]
    rel = (m.group("rel") or "on").lower()
    back = (ctx.reference.weekday() - target) % 7
    if rel == "next":
        day = ctx.reference + timedelta(days=(target - ctx.reference.weekday()) % 7 or 7)
    elif rel in ("last", "this past"):
        day = ctx.reference - timedelta(days=back or 7)
    elif _FUTURE_TENSE.search(m.string):  # "the briefing will be held on Monday": the coming one
        day = ctx.reference + timedelta(days=(target - ctx.reference.weekday()) % 7)
    else:  # "on Monday": the last one, today included
        day = ctx.reference - timedelta(days=back)
    return Period(day, day, m.group(0))


# A sentence about what is to come: its bare weekday is the coming one, not the last.
_FUTURE_TENSE = re.compile(r"\b(?:will|shall|going\s+to|scheduled|due\s+to|to\s+be\s+held)\b|\w'll\b",
                           re.IGNORECASE)


@_rule(r"(?:the\s+)?(?P<d>19\d0|20\d0)s")
def _decade(m: re.Match[str], ctx: _Context) -> Period | None:
    first = int(m.group("d"))
    return Period(date(first, 1, 1), date(first + 9, 12, 31), m.group(0))


@_rule(rf"(?:the\s+)?(?P<n>{_ORD})\s+five[-\s]year\s+plan(?:\s+period)?(?:\s*\(\s*{_YEAR}\s*[-–]\s*{_YEAR}\s*\))?")
def _five_year_plan(m: re.Match[str], ctx: _Context) -> Period | None:
    n = _ordinal(m.group("n"))
    first = FIVE_YEAR_PLAN_STARTS.get(n, FIVE_YEAR_PLAN_THREE + 5 * (n - 3))
    if n < 1:
        return None
    return Period(date(first, 1, 1), date(first + 4, 12, 31), m.group(0))


@_rule(rf"(?:fiscal(?:\s+year)?|FY)\s?(?P<y>{_YEAR}|\d{{2}})(?:\s*[-–/]\s*(?P<y2>\d{{2}}|{_YEAR}))?")
def _fiscal_year(m: re.Match[str], ctx: _Context) -> Period | None:
    """Fiscal year N: the twelve months ending in year N under the usual conventions (July to
    June, October to September), so from July of N-1 to September of N; a split year
    "2021-22" runs from July 2021 to June 2022."""
    year = int(m.group("y"))
    year += 2000 if year < 100 else 0
    if m.group("y2"):
        return Period(date(year, 7, 1), date(year + 1, 6, 30), m.group(0))
    return Period(date(year - 1, 7, 1), date(year, 9, 30), m.group(0))


@_rule(rf"(?P<y>{_YEAR})\s*[-–/]\s*(?P<y2>\d{{2}})(?![\d-])")
def _split_year(m: re.Match[str], ctx: _Context) -> Period | None:
    """'2021-22' (a season or fiscal year across two calendar years) or '2004-06' (a run of
    years said with the last one's two digits): from the first year to the last."""
    first = int(m.group("y"))
    last = abbreviated_year_end(first, m.group("y2"))
    if last is None:
        return None
    return Period(date(first, 1, 1), date(last, 12, 31), m.group(0))


MAX_ABBREVIATED_SPAN = 10  # "2004-06" spans 2 years; "2004-37" is no year range


@_rule(r"(?<!\w)['‘’](?P<a>\d{2})(?:\s*(?:and|to|-|–|&)\s*['‘’](?P<b>\d{2}))?(?![\d'’s])")
def _apostrophe_years(m: re.Match[str], ctx: _Context) -> Period | None:
    """"in '09 and '10", "the '08 crisis": years said by their last two digits, in the century
    that puts them nearest the briefing (the 2000s without a date)."""
    first = _nearest_century(int(m.group("a")), ctx.reference)
    last = abbreviated_year_end(first, m.group("b")) if m.group("b") else first
    if last is None:
        return None
    return Period(date(first, 1, 1), date(last, 12, 31), m.group(0))


def _nearest_century(two_digits: int, reference: date | None) -> int:
    """The year ending in `two_digits` nearest the reference date's year (2000 + digits without one)."""
    if reference is None:
        return 2000 + two_digits
    century = reference.year - reference.year % 100
    return min((century - 100 + two_digits, century + two_digits, century + 100 + two_digits),
               key=lambda year: abs(year - reference.year))


def abbreviated_year_end(first: int, two_digits: str) -> int | None:
    """The last year of '<first>-<two_digits>' ("2004-06" -> 2006, "1999-01" -> 2001), None
    when the two digits cannot end a run of at most `MAX_ABBREVIATED_SPAN` years after `first`."""
    last = first - first % 100 + int(two_digits)
    if last <= first:
        last += 100
    return last if last - first <= MAX_ABBREVIATED_SPAN else None


@_rule(_YEAR)
def _bare_year(m: re.Match[str], ctx: _Context) -> Period | None:
    return _year(int(m.group(0)), m.group(0))


# ---------------------------------------------------------------------------
# Scanning
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    rule: Rule
    baseline: bool
    match: re.Match[str]


def mentions(text: str, reference: date | None) -> list[Mention]:
    """Every time expression in `text`, in order, with its resolved period (offsets into `text`).

    Expressions that cannot be dated (a relative one without a reference date, "may" the verb)
    are left out, except baselines."""
    if not _QUICK.search(text):
        return []
    result: list[Mention] = []
    points: list[bool] = []  # a point in time, which "over"/"than" make a baseline (not "the past decade")
    context_year: int | None = None
    for item in _longest_first(text):
        if item.rule is _bare_year and _is_amount(text, item.start, item.end):
            continue
        period = item.rule(item.match, _Context(reference, context_year))
        if period is None and not item.baseline:
            continue
        end = item.end
        if _SENTENCE_STOP.search(text, item.start, item.end):
            end -= 1
            period = replace(period, text=text[item.start:end]) if period else None
        result.append(Mention(item.start, end, text[item.start:end], period, item.baseline))
        points.append(item.rule not in (_span, _deictic_day, _this_year_so_far))
        if period is not None and _has_year(item.match.group(0)):
            context_year = period.end.year
    return _combine(text, result, points, reference)


def resolve(text: str, reference: date | None) -> Period | None:
    """The period of the first time expression in `text` that is not a comparison baseline."""
    return next((m.period for m in mentions(text, reference) if not m.baseline and m.period), None)


def resolve_all(text: str, reference: date | None) -> tuple[Period, ...]:
    """Every resolved period of `text` that is not a comparison baseline, in order."""
    return tuple(m.period for m in mentions(text, reference) if not m.baseline and m.period)


def _longest_first(text: str) -> list[_Found]:
    """Matches of every rule; where they overlap, the earliest, then the longest, wins."""
    candidates = [_Found(m.start(), m.end(), rule, baseline, m)
                  for pattern, rule, baseline in _RULES for m in pattern.finditer(text) if m.end() > m.start()]
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[_Found] = []
    for item in candidates:
        if chosen and item.start < chosen[-1].end:
            continue
        chosen.append(item)
    return chosen


def _is_amount(text: str, start: int, end: int) -> bool:
    """A year-shaped number that counts something ("over 2000 companies", "2021 yuan")."""
    if _UNIT_AFTER.match(text, end):
        return True
    word = _WORD_AFTER.match(text, end)
    if word is None or word.group(1) in _YEAR_FOLLOWERS:
        return False
    if word.group(1).endswith("s"):
        return True  # a plural noun: "2000 companies"
    return bool(_AMOUNT_BEFORE.search(text[max(0, start - 30):start]))  # "more than 2000 staff"


def _combine(text: str, found: list[Mention], points: list[bool], reference: date | None) -> list[Mention]:
    """Join ranges ("from 2012 to 2021", "between March 1 and April 4"), "since 2012" (to the
    reference date), and mark points said as comparison baselines ("over 2012")."""
    result: list[Mention] = []
    i = 0
    while i < len(found):
        mention = found[i]
        before = text[:mention.start]
        following = found[i + 1] if i + 1 < len(found) else None
        ranged = following is not None and mention.period and following.period and not following.baseline
        if ranged:
            join = text[mention.end:following.start]
            opener = _RANGE_START.search(before)
            bare = _BARE_RANGE_JOIN.fullmatch(join) and (
                (_has_year(following.text) and (_has_year(mention.text) or _MONTH_FIRST.match(mention.text)))
                # "in the January-October period": two months joined by a dash are one span
                or (_MONTH_DASH.fullmatch(join) and _BARE_MONTH.fullmatch(mention.text)
                    and _BARE_MONTH.fullmatch(following.text)))
            # "in January and February": two months running are one span
            bare = bare or (_AND.fullmatch(join) and _is_month(mention.period) and _is_month(following.period)
                            and mention.period.end + timedelta(days=1) == following.period.start)
            if (opener and _RANGE_JOIN.fullmatch(join)) or bare:
                start = opener.start() if opener else mention.start
                first = _anchored(mention, following.period)
                period = Period(first.start, following.period.end, text[start:following.end], (first, following.period))
                if period.start <= period.end:
                    result.append(Mention(start, following.end, period.text, period))
                    i += 2
                    continue
        if not mention.baseline and mention.period is not None:
            if (lead := _MONTHS_TO_BEFORE.search(before)) and _is_month(mention.period):
                # "the 12 months to June 2023": the span of months that ends with that month
                count = 12 if lead.group("year") else _num(lead.group("n"))
                start = _add_months(mention.period.start, 1 - count)
                period = Period(start, mention.period.end, text[lead.start():mention.end])
                result.append(Mention(lead.start(), mention.end, period.text, period))
                i += 1
                continue
            if since := _SINCE_BEFORE.search(before):
                if _RECORD_BEFORE.search(before[:since.start()]):
                    result.append(Mention(since.start(), mention.end, text[since.start():mention.end],
                                          mention.period, True))
                    i += 1
                    continue
                end = max(reference, mention.period.end) if reference else mention.period.end
                period = Period(mention.period.start, end, text[since.start():mention.end])
                result.append(Mention(since.start(), mention.end, period.text, period))
                i += 1
                continue
            base = _BASELINE_BEFORE.search(before) if points[i] else None
            if base and not (_FROM_BEFORE.search(before) and not _RELATIVE_POINT.search(mention.text)):
                result.append(Mention(base.start(), mention.end, text[base.start():mention.end], mention.period, True))
                i += 1
                continue
        result.append(mention)
        i += 1
    return result


def _is_month(period: Period) -> bool:
    """Whether the period is one whole calendar month."""
    return period.start.day == 1 and _add_months(period.start, 1) - timedelta(days=1) == period.end


def _has_year(text: str) -> bool:
    return re.search(_YEAR, text) is not None


def _anchored(first: Mention, last: Period) -> Period:
    """The start of a range said without its year ("between March 1 and April 4, 2021"):
    in the year of its end, or the year before when that would start after the end."""
    assert first.period is not None
    if _has_year(first.text) or first.period.start.year == last.end.year:
        return first.period
    shift = last.end.year - first.period.start.year
    moved = Period(_shift_years(first.period.start, shift), _shift_years(first.period.end, shift), first.period.text)
    if moved.start > last.end:
        moved = Period(_shift_years(moved.start, -1), _shift_years(moved.end, -1), moved.text)
    return moved


def _shift_years(day: date, years: int) -> date:
    return _add_months(day, 12 * years)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def reference_date(iso: str | None) -> date | None:
    """A document's ISO date as a date; None when missing or malformed."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def figure_mention(figure: Figure, sentence_text: str, sentence_start: int,
                   reference: date | None, found: Iterable[Mention] | None = None) -> Mention | None:
    """The time expression a figure is for, in its sentence (offsets into the sentence).

    The closest expression before the figure, else the first after it, leaving baselines
    aside ("up 7 points over 2012" is not a 2012 figure). The figure's own period phrase (from
    the figure parser) counts as an expression even when this grammar cannot date it ("since
    the 18th Party Congress"): then the figure's period is unknown, not a farther one's.
    """
    found = list(found) if found is not None else mentions(sentence_text, reference)
    left, right = figure.start - sentence_start, figure.end - sentence_start
    found = [m for m in found if not (m.start < right and left < m.end)]  # the figure itself ("2021 yuan")
    if figure.period:
        at = _occurrence(sentence_text, figure.period, left)
        if at is not None and not any(m.start < at + len(figure.period) and at < m.end for m in found):
            found.append(Mention(at, at + len(figure.period), figure.period, None))
    if not figure.change:
        # "280,000 a month over the second half of last year": right after a level, "over" spans
        # the level's own period; only a change is measured "over" a baseline.
        found = [replace(m, baseline=False) if m.baseline and m.start >= right and _OVER.match(m.text)
                 and _CLOSE_AFTER.fullmatch(sentence_text, right, m.start) else m for m in found]
    own = [m for m in found if not m.baseline]
    # "The projection for 2015 is now 1.8 percent": "now" dates a figure only when nothing else does.
    own = [m for m in own if not _WEAK.fullmatch(m.text)] or own
    before = [m for m in own if m.end <= left]
    after = [m for m in own if m.start >= right]
    # "2.4 percent in 2016 and 2.7 percent in 2017": a phrase right after the figure is its own.
    if after and _CLOSE_AFTER.fullmatch(sentence_text, right, after[0].start):
        return after[0]
    if before:
        return before[-1]
    # ", 0.8 points higher than the growth rate of 2030": a period said in a comparison after the
    # figure is what it is compared with, not its own.
    after = [m for m in after if not _COMPARED.search(sentence_text, right, m.start)]
    return after[0] if after else None


_OVER = re.compile(r"over\s", re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:than|compared\s+(?:with|to)|relative\s+to|versus|vs\.?)\s", re.IGNORECASE)
_WEAK = re.compile(r"(?:right\s+)?now|currently|at\s+present|at\s+the\s+moment|so\s+far|to\s+date|up\s+to\s+now|"
                   r"until\s+now|as\s+of\s+now", re.IGNORECASE)
# At most four words and no punctuation between a figure and the phrase after it ("in", "jobs in").
_CLOSE_AFTER = re.compile(r"\s*(?:[\w'’-]+\s+){0,4}")


def _occurrence(text: str, phrase: str, near: int) -> int | None:
    """Where `phrase` occurs in `text`, the occurrence nearest to `near`."""
    spots = [m.start() for m in re.finditer(re.escape(phrase), text)]
    return min(spots, key=lambda s: abs(s - near)) if spots else None


def figure_period(figure: Figure, mention: Mention | None) -> Period | None:
    """The figure's period: a range's first end for the "from" figure of "from 2012 to 2021,
    X rose from A to B", its last end for the "to" figure."""
    if mention is None or mention.period is None:
        return None
    period = mention.period
    if period.ends and figure.role:
        return period.ends[0] if figure.role == "from" else period.ends[1]
    return period


def place_in_time(passages: Iterable[Passage], document_date: str | None) -> list[Passage]:
    """The passages with every figure's `period_start`/`period_end` resolved against the
    document's date (unknown stays None)."""
    reference = reference_date(document_date)
    placed: list[Passage] = []
    for passage in passages:
        if not passage.figures:
            placed.append(passage)
            continue
        figures = []
        earlier: Period | None = None  # the last period said in the passage's earlier sentences
        topic: Period | None = None  # the period an earlier sentence opened with ("In the first quarter, ...")
        for sentence in passage.sentences or ():
            inside = [f for f in passage.figures if sentence.start <= f.start < sentence.end]
            if not inside:
                said = mentions(sentence.text, reference)
                earlier = _last_period(said) or earlier
                topic = _opening_period(sentence.text, said) or topic
                continue
            statistic_spans = [(f.start - sentence.start, f.end - sentence.start) for f in inside if f.is_statistic]
            found = [m for m in mentions(sentence.text, reference)
                     if not any(m.start < e and s < m.end for s, e in statistic_spans if m.text.isdigit())]
            for k, figure in enumerate(inside):
                period = figure_period(figure, figure_mention(figure, sentence.text, sentence.start, reference,
                                                              _not_the_first_ends(inside[:k], figure, sentence.start,
                                                                                  found)))
                if period is None and earlier is not None and _BACK_REFERENCE.search(sentence.text):
                    period = earlier  # "Throughout that period, ..." is of the period said before
                elif period is None and topic is not None and figure.is_statistic and not found \
                        and not _SPEAKS_AHEAD.search(sentence.text):
                    # "In the first quarter, cargo grew 3.2%. Cargo at the east quay
                    # grew 7.1%.": the passage's opening period goes on until another is said.
                    period = topic
                figures.append((figure, period))
            paired = _respective_periods(sentence.text, sentence.start, inside, found)
            figures = [(f, paired.get(id(f), p)) for f, p in figures]
            earlier = _last_period(found) or earlier
            topic = _opening_period(sentence.text, found) or topic
        resolved = {id(f): p for f, p in figures}
        new = tuple(_dated(f, resolved.get(id(f))) for f in passage.figures)
        placed.append(replace(passage, figures=new))
    return placed


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def _respective_periods(text: str, offset: int, figures: list[Figure], found: list[Mention]) -> dict[int, Period]:
    """Periods paired in order with figures by "respectively": in "growth this year and next
    year is put at 2.1 and 1.8 percent respectively", 2.1 is this year's, 1.8 next year's. Only
    when a run of figures of one kind and one subject meets as many dated expressions, all
    before it or all after it. Keyed by the figure's id."""
    if not _RESPECTIVELY.search(text):
        return {}
    dated = [part for m in found if m.period is not None and not m.baseline for part in _and_parts(m)]
    stats = [f for f in figures if f.is_statistic and f.role is None]
    runs: list[list[Figure]] = []
    for f in stats:
        if runs and (runs[-1][-1].kind, runs[-1][-1].unit) == (f.kind, f.unit):
            runs[-1].append(f)
        else:
            runs.append([f])
    paired: dict[int, Period] = {}
    # Figures whose items are named apart ("exports and imports grew 5% and 6% respectively")
    # are what "respectively" pairs; the periods are then shared.
    for run in (r for r in runs if len(r) >= 2 and len({f.subject for f in r}) == 1):
        first, last = run[0].start - offset, run[-1].end - offset
        inside = [m for m in dated if first <= m.start < last]
        before = [m for m in dated if m.end <= first]
        after = [m for m in dated if m.start >= last]
        if inside:
            continue  # "5% in 2024 and 6% in 2025": each has its own
        for side in (before[-len(run):] if len(before) >= len(run) else [], after[:len(run)]):
            if len(side) == len(run) and len({(m.period.start, m.period.end) for m in side}) == len(run):
                paired.update({id(f): m.period for f, m in zip(run, side)})
                break
    return paired


# A sentence that speaks of what is to come: its undated figures are no figures of the period
# said before ("In 2025, sales grew 4%. We expect 3%.").
_SPEAKS_AHEAD = re.compile(r"\b(?:will|would|shall|going to|plans?|planned|expect\w*|forecast\w*|project\w*|"
                           r"aims?|target\w*|next|coming)\b", re.IGNORECASE)
# Words that may come before the period a sentence opens with: "And in 2025, ...", "Overall, in Q1, ..."
_OPENERS = re.compile(r"\s*(?:(?:and|also|meanwhile|overall|moreover|besides|first|second|third|"
                      r"finally|in addition|in particular|specifically)\s*,?\s*)*"
                      r"(?:(?:in|during|over|for|from|by|as of|through|throughout|at|on|since)\s+)?", re.IGNORECASE)


def _opening_period(text: str, found: list[Mention]) -> Period | None:
    """The period a sentence opens with, set off by a comma ("In the first quarter, harbour
    cargo grew 3.2%"), which the sentences after it go on speaking of; else None."""
    first = next((m for m in found if not m.baseline), None)
    if first is None or first.period is None or first.start != _OPENERS.match(text).end():
        return None
    return first.period if text[first.end:first.end + 1] == "," else None


def _and_parts(mention: Mention) -> list[Mention]:
    """A span said as "January and February" as its two months, for "respectively" to pair."""
    period = mention.period
    if period is None or not period.ends or not _AND.search(mention.text):
        return [mention]
    return [replace(mention, end=mention.start + 1, period=period.ends[0]),
            replace(mention, start=mention.end - 1, period=period.ends[1])]


def _not_the_first_ends(earlier: list[Figure], figure: Figure, sentence_start: int,
                        found: list[Mention]) -> list[Mention]:
    """The expressions that may date `figure`: for the "to" end of "from 15.3 percent in 2001 to
    9.8 percent", not those said between the two ends (they are the first end's)."""
    partner = next((f for f in reversed(earlier) if f.role == "from"), None) if figure.role == "to" else None
    if partner is None:
        return found
    low, high = partner.end - sentence_start, figure.start - sentence_start
    return [m for m in found if not low <= m.start < high]


# A period named by pointing back at one said before ("throughout that period", "in those years",
# "over the same period").
_BACK_REFERENCE = re.compile(r"\b(?:throughout|during|in|over|for|across|at|by)\s+(?:all\s+)?"
                             r"(?:that|those|the\s+same)\s+"
                             r"(?:period|periods|time|cycle|years|months|quarters|stretch|span|episode|era|phase)\b",
                             re.IGNORECASE)


def _last_period(found: Iterable[Mention]) -> Period | None:
    """The period of the last dated expression that is not a comparison baseline."""
    dated = [m.period for m in found if not m.baseline and m.period is not None]
    return dated[-1] if dated else None


def _dated(figure: Figure, period: Period | None) -> Figure:
    if period is None:
        return figure
    # Interned: a corpus holds a few thousand distinct dates over millions of figures.
    return replace(figure, period_start=sys.intern(period.start.isoformat()),
                   period_end=sys.intern(period.end.isoformat()))


# ---------------------------------------------------------------------------
# Saying a period
# ---------------------------------------------------------------------------


def describe(period: Period) -> str:
    """A period in plain dates: '2021', 'May 2021', 'Q1 2021', 'H2 2021', '2016-2020',
    'January-May 2021', 'on 2021-02-22', 'from 2012-01-20 to 2022-01-20' (with its preposition)."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and end == _add_months(end.replace(day=1), 1) - timedelta(days=1)
    if start == end:
        return f"on {start.isoformat()}"
    if whole_months and (start.month, end.month) == (1, 12):
        return f"in {start.year}" if start.year == end.year else f"in {start.year}-{end.year}"
    if whole_months and start.year == end.year:
        months = end.month - start.month + 1
        if months == 1:
            return f"in {calendar.month_name[start.month]} {start.year}"
        if months in (3, 6) and (start.month - 1) % months == 0:
            part = "Q" if months == 3 else "H"
            return f"in {part}{(start.month - 1) // months + 1} {start.year}"
        return f"in {calendar.month_name[start.month]}-{calendar.month_name[end.month]} {start.year}"
    return f"from {start.isoformat()} to {end.isoformat()}"
