"""How well a sentence or a figure fits a question. Pure functions over precomputed vectors.

The weights here were chosen on the dev split of the evaluation set (corpus/eval), never on
the held-out split.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

from corpus import Figure
from corpus.figures import CHANGE_NOUNS, currencies_named, currency_of
from corpus.periods import MONTHS, Period, reference_date
from index import token_set, tokenize
from qa.answer_types import ANSWER_TYPES
from qa.question import ASKS_TALLY, Question

_BASELINE = re.compile(r"(over|compared (with|to)|than|against)\b", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_CHANGE_NOUN_END = re.compile(rf"\b(?:an?|the)\s+(?:\w+\s+)?(?:{CHANGE_NOUNS})$", re.IGNORECASE)
_COUNTING_PREFIX = re.compile(
    r"^(?:the\s+)?(?:total\s+)?(?:number|amount|share|proportion|percentage|scale|size)\s+of\s+", re.IGNORECASE
)

# How well each figure kind answers each expectation (0 = cannot answer it).


@dataclass(frozen=True)
class TermWeights:
    """Inverse document frequencies of the corpus's tokens, for lexical coverage."""

    idf: dict[str, float]
    default: float  # weight of a token the corpus never uses

    @classmethod
    def of(cls, texts: list[str]) -> "TermWeights":
        return cls.from_counts(Counter(token for text in texts for token in set(tokenize(text))), len(texts))

    @classmethod
    def from_counts(cls, counts: dict[str, int], texts: int) -> "TermWeights":
        """From the number of texts holding each token (saved with the index) and of texts."""
        n = max(texts, 1)
        return cls({t: math.log(1 + n / c) for t, c in counts.items()}, math.log(1 + n))

    def with_names(self, tokens: Iterable[str]) -> "TermWeights":
        """These weights, knowing also `tokens` (of titles and speaker labels) at the weight of
        the rarest word: "Lin" of "Spokesperson Lin Meiyu" is a word of the corpus even when no
        paragraph says it, so a question naming her is not doubted, nor "corrected", for it."""
        extra = {t: self.default for t in tokens if t not in self.idf}
        return TermWeights({**self.idf, **extra}, self.default) if extra else self

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default)

    @cached_property
    def alphabet(self) -> str:
        """Every character of the corpus's tokens (for spelling correction)."""
        return "".join(sorted(set().union(*self.idf))) if self.idf else ""

    def known(self, term: str) -> bool:
        return term in self.idf


def coverage(question: Question, text_tokens: frozenset[str], weights: TermWeights) -> float:
    """IDF-weighted share of the question's content terms that occur in a text, in [0, 1]."""
    return weighted_share(question.terms, text_tokens, weights)


def weighted_share(terms: Iterable[str], found_in: Collection[str], weights: TermWeights) -> float:
    """IDF-weighted share of `terms` found in `found_in` (0 when there are no terms)."""
    terms = list(terms)
    total = sum(weights.weight(t) for t in terms)
    found = sum(weights.weight(t) for t in terms if t in found_in)
    return found / total if total else 0.0


def unknown_share(question: Question, weights: TermWeights) -> float:
    """IDF-weighted share of the question's terms that the corpus never uses ("5G", "exports");
    the name a question attributes its answer to does not count (`Question.attributed`)."""
    total = sum(weights.weight(t) for t in question.terms)
    unknown = sum(weights.weight(t) for t in question.terms
                  if not weights.known(t) and t not in question.attributed)
    return unknown / total if total else 0.0


def subject_head(subject: str) -> str:
    """The measured thing without its complement: "the waiting time" of "the waiting time of patients".

    A leading "the number of" / "the share of" is skipped: the head is what is counted."""
    subject = _COUNTING_PREFIX.sub("", subject.strip())
    head, *rest = _OF.split(subject, maxsplit=1)
    # "announced an increase of vaccine allotments": the change is the figure's, the head what changed
    return rest[0] if rest and _CHANGE_NOUN_END.search(head) else head


# "a 75 basis point increase": hundredths of a percentage point, a rate said as a count.
_BASIS_POINTS = re.compile(r"^basis[\s-]+points?\b", re.IGNORECASE)


def answer_kind(figure: Figure) -> str:
    """The kind a figure answers as: basis points count as percentage points."""
    if figure.kind in ("count", "number") and _BASIS_POINTS.match(figure.unit or ""):
        return "percentage_points"
    return figure.kind


# A count of a unit of time asked ("how many days") and said ("three weeks"), by the unit's stem.
_ASKS_TIME_UNIT = re.compile(r"\bhow many (second|minute|hour|day|week|month|quarter|year|decade)s?\b", re.IGNORECASE)
_TIME_UNIT = re.compile(r"(second|minute|hour|day|week|month|quarter|year|decade)s?\b", re.IGNORECASE)


# "How many people", "how much will it pay": the noun or the verb asks for no length of time.
_HOW_MANY_NOUN = re.compile(r"\bhow many (?:more |additional |extra )?([a-z][\w-]*)", re.IGNORECASE)
_ASKS_TIME = re.compile(r"\b(?:how long|time|times|duration|period|term|length|when|until|days?|weeks?|months?|"
                        r"years?|hours?|minutes?|decades?|quarters?)\b", re.IGNORECASE)


_PER_TIME = re.compile(r"\b(?:per|a|each|every)\s+(?:day|week|month|year|hour|quarter)\b", re.IGNORECASE)


def _asks_no_time(question: Question) -> bool:
    """Whether a count or amount question asks for something other than a length of time ("per
    week" is a rate's time, not a length asked)."""
    text = _PER_TIME.sub(" ", question.text)
    if question.expect == "count":
        noun = _HOW_MANY_NOUN.search(text)
        return noun is not None and not _TIME_UNIT.match(noun.group(1)) and not _ASKS_TIME.search(text)
    return question.expect in ("amount", "money") and not _ASKS_TIME.search(text)


def kind_fit(question: Question, figure: Figure) -> float:
    """How well this kind of figure can answer the question (0 when it cannot)."""
    answer_type = ANSWER_TYPES[question.expect]
    if answer_type.answered_by != "figure":
        return 0.0  # a time of day, an ordinal or a name is never chosen as a figure
    fit = answer_type.kinds.get(answer_kind(figure), 0.0)
    if question.expect == "change" and not (figure.change or figure.role):
        fit *= 0.5  # "by how much" wants a stated change, not a level
    if question.expect in ("count", "amount", "figure") and _ASKS_INCREMENT.search(question.text):
        # "how many workers did the port add": the increment said ("300 more"), not the workforce
        fit *= 1.0 if figure.change else 0.7
    elif question.expect in ("percent", "count", "money", "amount", "figure") and figure.change:
        fit *= 0.7  # and a level question prefers a level
    if question.expect == "growth" and figure.role is not None:
        fit = min(1.0, fit + 0.3)
    if figure.kind == "count" and _TIME_UNIT.match(figure.unit or "") and _asks_no_time(question):
        return 0.0  # "two days" answers neither "how many people attended" nor "how much would it pay"
    if (asked := _ASKS_TIME_UNIT.search(question.text)) and figure.kind == "count" \
            and (said := _TIME_UNIT.match(figure.unit or "")) and said.group(1) != asked.group(1):
        fit *= 0.7  # "for how many days": "21 days" before "three weeks", which says it in other units
    if ASKS_TALLY.search(question.text):
        fit *= 1.0 if _TALLY.fullmatch(figure.text) else 0.5  # "by what vote": "91 to 7", not "97"
    if _ASKS_PERCENT.search(question.text) and figure.kind not in ("percent", "percentage_points"):
        return 0.0  # "by what percentage did FDI rise": a sum or a count is no percentage
    asked = currencies_named(question.text)
    if len(asked) == 1 and (currency := currency_of(figure)) is not None and currency not in asked:
        return 0.0  # "FDI in US dollars": the sum in yuan is not what was asked
    return fit


# A count question asking for what was added: "how many more", "how many jobs did it add".
_ASKS_INCREMENT = re.compile(r"\bhow many (?:more|additional|extra)\b|"
                             r"\bhow many\b.*\b(?:did|does|do|will|would|has|have|had)\b.*\b(?:add|gain)(?:ed)?\b",
                             re.IGNORECASE)
# A question whose answer must be written as a percentage, whatever else it asks.
_ASKS_PERCENT = re.compile(r"\b(?:by )?(?:what|which) (?:percentage|percent)\b|"
                           r"\bhow many (?:percent|percentage points)\b", re.IGNORECASE)
_TALLY = re.compile(r"\d[\d,]*\s*(?:to|-|–)\s*\d[\d,]*")


# A question about the earlier end of "from X to Y": "before the cut", "when the board took office".
_EARLIER_END = re.compile(
    r"\b(before|previous(ly)?|prior|original(ly)?|initial(ly)?|at first|start(ed|ing)?|began|"
    r"begin(ning)?|used to|took office|to begin with|formerly)\b", re.IGNORECASE)


def range_end_fit(question: Question, figure: Figure) -> float:
    """For a level question, which end of "rose from X to Y" answers: the end it lands at
    (1.0), unless the question asks about the earlier time ("before", "originally"); 0 for
    figures that are no range end and for questions that want the change (both ends)."""
    if figure.role is None or question.expect in ("change", "growth"):
        return 0.0
    wanted = "from" if _EARLIER_END.search(question.text) else "to"
    return 1.0 if figure.role == wanted else 0.0


# What `period_fit` returns besides the overlap score in [0.5, 1].
PERIOD_CONTRADICTS = -1.0  # the figure's own period and its briefing's date both miss the period asked
PERIOD_UNKNOWN = -0.25  # the question names a period, the figure's is not known: a small doubt only
PERIOD_OTHER_BRIEFING = -0.9  # the period asked, but said at another briefing than the one named
PERIOD_BRIEFING = 0.5  # the period asked is the briefing's date ("at the June 2015 meeting")
WIDE_FIGURE_SHARE = 0.5  # under this share of its period inside the one asked, a figure does not meet it
UNDATED_FIGURE_DAYS = 366  # a figure said without a period is of the year up to its briefing
UNDATED_AHEAD_DAYS = 366  # ...or, said of a plan, budget or forecast, of the year after it


def period_fit(question: Question, figure: Figure, sentence: str, document_date: str | None = None) -> float:
    """How well the figure's period fits the period(s) the question names.

    0 when the question names none. A question's period may name the briefing rather than the
    figure: "at the June 2015 meeting" holds the date of a transcript (`Question.briefings`, or
    this figure's own document date). A figure then fits when its document is that briefing
    (`PERIOD_BRIEFING`), whatever its own period ("next year"); when the question also names a
    period that is no briefing ("growth in 2016, as projected in June 2015"), that period is the
    one the figure must meet. Meeting a period scores 0.5 to 1, by how much of the figure's
    period lies inside it. A figure of unknown period gets `PERIOD_UNKNOWN`; one for the period
    asked but said at another briefing than the one named, `PERIOD_OTHER_BRIEFING` (a day named
    is that briefing only: another's figure contradicts); only a period that misses what the question states
    outright, said in a document not dated in it, contradicts (`PERIOD_CONTRADICTS`): the
    figure's resolved period, or for a figure said without one, the year up to its briefing
    and, said of what is to come, the year after (`UNDATED_FIGURE_DAYS`, `UNDATED_AHEAD_DAYS`).
    A period the question gives relatively ("last year") never contradicts. The figure's period
    was resolved when the corpus was loaded (`corpus.periods`); `sentence` is the figure's sentence.
    """
    asked = question.periods + question.relative_periods
    if not asked:
        return 0.0
    if figure.change and _BASELINE.match(figure.period or "") and question.expect not in ("change", "growth"):
        # "up 30.7 points over 2012" gives no level for 2012, nor for any other year.
        return PERIOD_CONTRADICTS
    held = figure_dates(figure)
    said_on = reference_date(document_date)
    if figure.change and held is not None and (compared := [_met_share(held, b) for b in question.baselines]):
        if max(compared) >= WIDE_FIGURE_SHARE:
            # "0.4 points above last June", asked "higher in February than in June 2031": the
            # period said is the change's baseline, the one the question compares with.
            return 0.5 + 0.5 * max(compared)
    # A day or month holding this figure's briefing date names that briefing; a whole year does
    # not ("invested in 2023", asked of a March 2023 briefing, asks for 2023's figure).
    briefings = [p for p in asked if (p in question.briefings and not _month_said(p, sentence))
                 or (said_on is not None and p.contains(said_on) and (p.end - p.start).days <= 31)]
    wanted = [p for p in asked if p not in briefings] or asked
    at_briefing = said_on is not None and any(p.contains(said_on) for p in briefings)
    share, met = max(((_overlap_share(held, p) * _narrowness(p, wanted), _met_share(held, p)) for p in wanted),
                     default=(0.0, 0.0)) if held is not None else (0.0, 0.0)
    if len(wanted) < len(asked):  # the question names a briefing and a period of the figure's
        if share > 0:
            # "in the June 2031 projections, the levy at the end of 2032": December's projection
            # for 2032 is another briefing's, not the one asked about.
            return 0.5 + 0.5 * met if at_briefing else PERIOD_OTHER_BRIEFING
    elif at_briefing:  # only the briefing is named: the figure's own period may be any
        if held is not None and _ASKS_CURRENT.search(question.text) and (said_on - held.end).days > CURRENT_DAYS:
            return PERIOD_UNKNOWN  # "the current vacancy rate": not the one of "last spring"
        return PERIOD_BRIEFING
    elif any(p.start == p.end for p in briefings) and said_on is not None and share < 0.5:
        # "as of the May 3, 2031 briefing": a day names that briefing and no other; a figure
        # said at another one, unless for that very day, is not what was asked.
        return PERIOD_CONTRADICTS
    elif share >= WIDE_FIGURE_SHARE:
        return 0.5 + 0.5 * met
    elif share > 0:
        # A figure of the whole year asked of one quarter: it gives no value for that quarter.
        return PERIOD_UNKNOWN
    stated = [p for p in wanted if p in question.periods]
    if not stated:
        return PERIOD_UNKNOWN
    if held is None:
        # A figure said without a period is of about the briefing's time, the year before it or,
        # for a budget or a plan, the year after: a briefing in 2022 saying "more than 150
        # platforms have been built" says nothing of 2012 nor of 2023.
        if said_on is None or any(p.overlaps(_around(said_on, _SPEAKS_AHEAD.search(sentence) is not None))
                                  for p in stated):
            return PERIOD_UNKNOWN
    return PERIOD_CONTRADICTS


def _month_said(period: Period, sentence: str) -> bool:
    """Whether the figure's sentence names the month `period` is ("the February forecast
    projected 5.2 percent"): asked "what did the February 2031 forecast project", the month
    names what the sentence speaks of, not a briefing held then."""
    if period.start.month != period.end.month or period.start.year != period.end.year:
        return False
    said = {MONTHS[w] for w in re.findall(r"[a-z]+", sentence.lower()) if w in MONTHS and len(w) > 3}
    return period.start.month in said


# "The current vacancy rate, per the March 2031 briefing": the briefing's own time, not a
# period it looks back on.
_ASKS_CURRENT = re.compile(r"\b(?:current|currently|now|today|latest|at present|presently)\b", re.IGNORECASE)
CURRENT_DAYS = 62  # a reading up to two months old (last month's data) is still the current one


# A sentence about what is to come: a plan, a budget, a forecast ("it calls for 3 billion yuan").
_SPEAKS_AHEAD = re.compile(r"\b(?:will|would|shall|going to|plans?|planned|planning|budgets?|propos\w*|project\w*|"
                           r"expect\w*|forecast\w*|calls? for|request\w*|aims?|target\w*|next year|coming)\b",
                           re.IGNORECASE)


def _around(day: date, ahead: bool) -> Period:
    """The year up to a briefing, and the year after it when the figure's sentence speaks of what
    is to come: the time a figure said there without a period may be of."""
    return Period(day - timedelta(days=UNDATED_FIGURE_DAYS),
                  day + timedelta(days=UNDATED_AHEAD_DAYS if ahead else 0), "")


def figure_dates(figure: Figure) -> Period | None:
    """The figure's resolved period (`Figure.period_start`/`period_end`), None when unknown."""
    start, end = reference_date(figure.period_start), reference_date(figure.period_end)
    if start is None or end is None:
        return None
    return Period(start, end, figure.period or "")


def reading_periods(question: Question) -> list[Period]:
    """The months and quarters the question names: the periods of data readings ("the jobless
    rate in May 2015", "GDP in the first quarter of 2021"), also when a briefing was held in
    that month (it may name the briefing or the reading). A day is more often an event's, a
    year a forecast's ("growth for 2019")."""
    return [p for p in question.periods if READING_DAYS[0] <= (p.end - p.start).days + 1 <= READING_DAYS[1]]


READING_DAYS = (28, 92)  # a month to a quarter


def in_periods(figure: Figure, periods: list[Period]) -> bool:
    """Whether the figure's own period lies at least half in one of `periods`."""
    held = figure_dates(figure)
    return held is not None and any(_overlap_share(held, p) >= 0.5 for p in periods)


WIDER_PERIOD = 0.9  # meeting only the wider of two periods asked ("the FY2022 budget ... by the end of 2022")


def _narrowness(period: Period, asked: list[Period]) -> float:
    """1 for the narrowest period asked, `WIDER_PERIOD` for wider ones: a figure that meets the
    most specific period the question names is the likelier answer."""
    narrowest = min((p.end - p.start).days for p in asked)
    return 1.0 if (period.end - period.start).days == narrowest else WIDER_PERIOD


COVERED_WEIGHT = 0.5  # how much of a met period's score is for covering all of the period asked


def _met_share(held: Period, asked: Period) -> float:
    """How well a figure's period meets the one asked, in [0, 1]: mostly the share of it inside
    the period asked, and partly the share of the period asked it covers, so that asked about
    January to March, "since the start of the year" (to mid-April) beats "last month" (March)."""
    inside, covered = _overlap_share(held, asked), _overlap_share(asked, held)
    return inside * (1 - COVERED_WEIGHT + COVERED_WEIGHT * covered)


def _overlap_share(held: Period, asked: Period) -> float:
    """The share of the figure's period that lies in the period asked about, in [0, 1]."""
    start, end = max(held.start, asked.start), min(held.end, asked.end)
    if start > end:
        return 0.0
    return ((end - start).days + 1) / ((held.end - held.start).days + 1)


@dataclass(frozen=True)
class Relevance:
    """How well a figure's subject fits the question; `value` combines the parts, in [0, 1]."""

    similarity: float  # cosine of question and subject
    recall: float  # share of the question's terms found in the subject
    head: float  # share of the subject's head found in the question
    focus: float | None  # share of what the question counts found in the subject
    value: float


# "children 6 to 9", "adults aged 65 and older", "kids under 5": an age naming a group, no figure.
_AGE_GROUP = (r"(?:children|kids|adults|people|persons|individuals|americans|teens|teenagers|adolescents|"
              r"youths?|infants|babies|seniors|residents|workers|those|anyone|ages?|aged)")
_AGE_BEFORE = re.compile(rf"\b{_AGE_GROUP}\s+(?:aged\s+|ages\s+|between\s+)?(?:(?:under|over|above|below)\s+)?"
                         rf"(?:\d+\s*(?:to|-|–|through|and)\s*)?$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^[\s-]+years?[\s-]+olds?\b", re.IGNORECASE)  # "12-year-olds", "5 years old"


def is_age(lead: str, tail: str) -> bool:
    """Whether the number between `lead` and `tail` (the sentence's words before and after it)
    is an age naming a group of people ("children 6 to 9", "adults aged 65 and older",
    "12-year-olds"), not a figure that could answer."""
    return bool(_AGE_BEFORE.search(lead) or _AGE_AFTER.match(tail))


# "Section 12", "Resolution 417", "Article 5", "Chapter 11": a number that names a provision or a
# document, not a quantity.
_IDENTIFIER_BEFORE = re.compile(r"\b(?:sections?|articles?|resolutions?|chapters?|titles?|clauses?|paragraphs?|"
                                r"amendments?|rules?|regulations?|no\.|nos\.)\s*$", re.IGNORECASE)


def is_identifier(lead: str) -> bool:
    """Whether the number after `lead` (its sentence's words before it) names a provision or a
    document ("the Section 12 duties", "the assembly's Resolution 417") rather than counting anything."""
    return bool(_IDENTIFIER_BEFORE.search(lead))


def counts_another_kind(question: Question, figure: Figure, sentence: str) -> bool:
    """Whether a count answers "how many secondary schools" with "7,500 primary schools", or a
    rate answers "the participation rate" with "the unemployment rate, at 5.5 percent": the same
    counted noun or rate, qualified by words of its own. One without qualifiers ("7,500
    schools", "the rate") is not ruled out."""
    if len(question.focus) < 2:
        return False
    if question.expect == "count" and figure.kind == "count":
        return _another_count(question.focus, figure, sentence)
    if question.expect == "percent" and figure.kind == "percent" and question.focus[-1] in _RATE_NOUNS:
        return _another_rate(question.focus, figure)
    return False


# "year on year", "quarter-on-quarter", "month over month", "y-o-y": what a change is measured against.
_BASIS = re.compile(r"\b(year|quarter|month|week)[\s-]+(?:on|over)[\s-]+(?:the\s+)?(?:previous\s+|last\s+)?\1\b"
                    r"|\b(y)-?o-?y\b|\b(q)-?o-?q\b|\b(m)-?o-?m\b", re.IGNORECASE)
_BASIS_REACH = 24  # characters after a figure (or before it) where its basis is said
_BASES = {"y": "year", "q": "quarter", "m": "month"}


def _basis(text: str) -> str | None:
    m = _BASIS.search(text)
    if m is None:
        return None
    word = next(g for g in m.groups() if g).lower()
    return _BASES.get(word, word)


def measured_on_another_basis(question: Question, figure: Figure, sentence: str, start: int) -> bool:
    """Whether the question asks "year on year" and the figure is said "quarter on quarter" (or
    the like): "growing by 4.7% year on year and 1.2% quarter on quarter" gives two measures."""
    asked = _basis(question.text)
    if asked is None:
        return False
    at, end = figure.start - start, figure.end - start
    after = _basis(sentence[end : end + _BASIS_REACH])
    own = after if after is not None else _basis(sentence[max(0, at - _BASIS_REACH) : at])
    return own is not None and own != asked


def counts_other_nouns(question: Question, figure: Figure, beside: Sequence[Figure]) -> bool:
    """Whether "how many countries" is answered with "12,400 cases" when the same sentence counts
    countries too ("12,400 cases from 37 countries"): the count of the noun asked answers."""
    if question.expect != "count" or figure.kind != "count" or not question.focus or not figure.unit:
        return False

    def counts_focus(f: Figure) -> bool:
        return f.kind == "count" and bool(f.unit) and bool(set(tokenize(f.unit)) & set(question.focus))
    return not counts_focus(figure) and any(counts_focus(f) for f in beside if f is not figure)


def _another_count(focus: tuple[str, ...], figure: Figure, sentence: str) -> bool:
    """The figure counts the noun asked ("schools") with qualifiers of its own ("primary"), and
    the question's ("secondary") is said nowhere in the sentence."""
    named = tokenize(figure.unit or "")  # "primary schools"
    if len(named) < 2 or named[-1] != focus[-1]:
        return False
    asked, own = set(focus[:-1]) - _NOT_A_KIND, set(named[:-1])
    return bool(asked) and not asked & own and not asked & token_set(sentence)


def _another_rate(focus: tuple[str, ...], figure: Figure) -> bool:
    """The word right before the rate names its kind ("dock vacancy rate", "dock participation
    rate"): another kind named there is another rate, even where the sentence also names the rate
    asked ("the unemployment rate, at 5.5 percent, ..., the participation rate ...")."""
    subject = tokenize(figure.subject)  # "the unemployment rate, at"
    if focus[-1] not in subject:
        return False
    head = len(subject) - 1 - subject[::-1].index(focus[-1])
    asked, own = {focus[-2]} - _NOT_A_KIND, set(subject[head - 1 : head]) - _NOT_A_KIND
    return bool(asked) and bool(own) and not asked & own


_RATE_NOUNS = frozenset(tokenize("rate share ratio proportion"))


# Qualifiers that tell no kind of a thing apart ("new jobs" may be "dock jobs").
_NOT_A_KIND = token_set("new additional extra more further other total overall large big small major key main "
                        "current latest recent first last")


# An acronym of the question: "CPI", "GDP", "R&D" (three letters or more, or two around "&").
_ACRONYM = re.compile(r"(?<![\w&])(?:[A-Z]{3,6}|[A-Z]&[A-Z]{1,3})(?![\w&])")
_FILLERS = frozenset("and of the for in on to".split())


@lru_cache(maxsize=256)
def _acronyms(question_text: str) -> tuple[str, ...]:
    """A question's acronyms, found once per question, not once per candidate figure."""
    return tuple(_ACRONYM.findall(question_text))


def spelled_out(question_text: str, text: str) -> frozenset[str]:
    """The tokens of the question's acronyms that `text` spells out: "CPI" in "the consumer
    price index", "R&D" in "research and development" (initials of consecutive words, small
    words skipped)."""
    acronyms = _acronyms(question_text)
    if not acronyms:
        return frozenset()
    _, initials = _initials(text)
    return frozenset(t for a in acronyms if a.replace("&", "").lower() in initials for t in token_set(a))


def _initials(text: str) -> tuple[list[str], str]:
    """The words of `text` that acronyms spell (small words skipped), and their initials."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in _FILLERS]
    return words, "".join(w[0].lower() for w in words)


def spelling_words(question_text: str, text: str) -> frozenset[str]:
    """The tokens of the words in `text` that spell out one of the question's acronyms: "gross
    domestic product" for "GDP" (so that a subject's head said in full meets the acronym asked)."""
    acronyms = _acronyms(question_text)
    if not acronyms:
        return frozenset()
    words, initials = _initials(text)
    found: set[str] = set()
    for acronym in acronyms:
        letters = acronym.replace("&", "").lower()
        at = initials.find(letters) if len(letters) >= 2 else -1
        if at >= 0:
            found |= token_set(" ".join(words[at : at + len(letters)]))
    return frozenset(found)


# A subject that only points back ("It's averaged only", "that is a cost"): what the figure
# measures was said in the sentence before.
_POINTING = re.compile(r"^(?:it|its|it['’]s|that|that['’]s|this|these|those|they|they['’]re)\b", re.IGNORECASE)
_POINTED_AT = re.compile(r"\b(?:this|these|those|that)\s+[a-z]+", re.IGNORECASE)  # "this proposal"


def points_back(figure: Figure, lead: str) -> bool:
    """Whether a figure's subject is a pronoun with at most two words of its own, or there is
    none and its sentence says at most two words before it (`lead`: "We have seen that:")."""
    subject = figure.subject.strip()
    if not subject:
        return len(token_set(lead)) <= 2
    if _POINTED_AT.search(subject) and len(token_set(subject)) <= 3:
        return True  # "we think this proposal would": the proposal was named before
    if _CHANGE_ALONE.fullmatch(subject) and _POINTING.match(lead.strip()):
        return True  # "That is a 2.6 percent increase": an increase of what the sentence before named
    return bool(_POINTING.match(subject)) and len(token_set(subject)) <= 2


_CHANGE_ALONE = re.compile(rf"(?:an?\s+|the\s+)?(?:{CHANGE_NOUNS})", re.IGNORECASE)


@lru_cache(maxsize=256)
def _spelled_phrases(question_text: str) -> dict[str, frozenset[str]]:
    """Initials of the question's runs of two to six words (small words skipped) -> the tokens of
    those words: "World Health Assembly" -> {"wha": {world, health, assembl}}."""
    words = [w for w in re.findall(r"[A-Za-z]+", question_text) if w.lower() not in _FILLERS]
    runs: dict[str, frozenset[str]] = {}
    for start in range(len(words)):
        for end in range(start + 2, min(start + 6, len(words)) + 1):
            run = words[start:end]
            if all(w[0].isupper() for w in run):  # a name's words are capitalised
                runs.setdefault("".join(w[0].lower() for w in run), token_set(" ".join(run)))
    return runs


def abbreviated(question_text: str, text: str) -> frozenset[str]:
    """The tokens of the question's names that `text` says as an acronym: "World Health
    Assembly" asked, "the 73rd WHA" said."""
    runs = _spelled_phrases(question_text)
    if not runs:
        return frozenset()
    found = [runs[a.replace("&", "").lower()] for a in _ACRONYM.findall(text) if a.replace("&", "").lower() in runs]
    return frozenset().union(*found) if found else frozenset()


def figure_relevance(question: Question, figure: Figure, similarity: float, weights: TermWeights) -> Relevance:
    """How well a figure's subject fits the question.

    Dense similarity of the subject; the share of the question found in the subject; the
    share of the subject's head found in the question, which tells apart figures that share
    a sentence ("the waiting time of patients" vs "the bed capacity of hospitals");
    and, when the question names what it counts ("how many units of equipment"), how much
    of that the figure's subject and unit cover.
    """
    spelled = spelled_out(question.text, f"{figure.subject} {figure.unit}")  # "R&D": research, development
    subject_tokens = token_set(f"{figure.subject} {figure.unit}") | spelled
    head_tokens = token_set(subject_head(figure.subject) if figure.subject else figure.unit)
    head = weighted_share(head_tokens, set(question.terms) | spelled
                          | (spelling_words(question.text, figure.subject) if spelled else frozenset()), weights)
    # The date of the briefing a question names ("on March 15") picks the transcript, which the
    # period fit checks; a figure's subject never says it, so it must not count as missed.
    dated = set().union(*(token_set(p.text) for p in question.briefings)) if question.briefings else set()
    recall = weighted_share([t for t in question.terms if t not in dated], subject_tokens, weights)
    if question.focus:
        focus = weighted_share(question.focus, subject_tokens, weights)
        value = 0.35 * similarity + 0.15 * recall + 0.25 * head + 0.25 * focus
        return Relevance(similarity, recall, head, focus, value)
    return Relevance(similarity, recall, head, None, 0.45 * similarity + 0.25 * recall + 0.3 * head)
