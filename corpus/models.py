"""The typed values that flow from a transcript file to passages and figures.

Every offset (`start`, `end`) is a character offset into `Document.text`, so
`document.text[x.start:x.end] == x.text` holds for every passage, sentence and figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["question", "answer", "chair"]

FigureKind = Literal[
    "percent",  # 12.5%, 12.5 percent
    "percentage_points",  # up 30.7 percentage points
    "money",  # 4.2 trillion yuan, RMB 1.2 trillion
    "count",  # more than 300 charging stations
    "multiple",  # a 15-fold increase, 3.8 times
    "number",  # a bare number with no unit: 0.568
    "year",  # 2021 -- not a statistic
    "ordinal",  # 18th Party Congress, First, -- not a statistic
    "time",  # 9:00 p.m., 10.30am -- a time of day, not a statistic
]

# Kinds that state a measurement; years and ordinals only locate or enumerate.
STATISTIC_KINDS: frozenset[str] = frozenset(
    {"percent", "percentage_points", "money", "count", "multiple", "number"}
)


@dataclass(frozen=True, slots=True)
class Document:
    """One transcript file; `text` is the file's text exactly as read (UTF-8)."""

    id: str
    title: str
    date: str | None  # ISO date "2022-06-18" when the transcript gives one
    source: str  # path of the transcript file
    text: str
    speakers: tuple[str, ...] = ()  # the officials the header declares ("Speakers:", the title's name)
    chair: str | None = None  # the host or moderator the header names, if any


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document without its text: enough to list, filter and name it."""

    id: str
    title: str
    date: str | None
    source: str


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker's uninterrupted contribution."""

    speaker: str
    role: Role
    start: int
    end: int
    asked_by: str | None = None  # for an answer: who asked the question it answers (outlet or reporter)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A number stated in the transcript, with what it measures.

    `value` is the number as written (4.2 for "4.2 trillion yuan"); `magnitude`
    applies the scale. `role` is "from"/"to" for the two ends of "from X to Y".
    """

    text: str  # verbatim: "12.5%", "4.2 trillion yuan", "300", "five"
    value: float
    unit: str  # "percent", "percentage points", "yuan", "times", a count noun, or ""
    scale: str | None  # "thousand" | "million" | "billion" | "trillion" | None
    qualifier: str | None  # verbatim "more than", "over", "exceeded", "nearly", ...
    kind: str  # one of FigureKind
    period: str | None  # verbatim "By the end of 2021", "From 2012 to 2021", "over 2012"
    subject: str  # what it measures, in the transcript's words
    start: int
    end: int
    role: Literal["from", "to"] | None = None
    change: bool = False  # states a change ("increased by 48%", "up 7 percentage points")
    # The period resolved against the document's date, as ISO dates (inclusive); None when the
    # sentence gives no period or it cannot be resolved ("last year" said on 2022-01-20 -> 2021).
    period_start: str | None = None
    period_end: str | None = None

    @property
    def is_statistic(self) -> bool:
        return self.kind in STATISTIC_KINDS

    @property
    def magnitude(self) -> float:
        return self.value * SCALES.get(self.scale or "", 1.0)


SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}


@dataclass(frozen=True, slots=True)
class Passage:
    """One paragraph of one turn: the unit of retrieval and citation."""

    id: str  # stable: "<doc_id>:p<paragraph_no>"
    doc_id: str
    speaker: str
    role: Role
    turn: int  # index of the turn within the document
    paragraph_no: int  # 1-based, counted over the whole document
    text: str
    start: int
    end: int
    question_context: str | None  # for answer turns: the question they reply to
    sentences: tuple[Sentence, ...] = field(default=(), repr=False)
    figures: tuple[Figure, ...] = field(default=(), repr=False)
    asked_by: str | None = None  # for answer turns: who asked (an outlet or a reporter's name)

    @property
    def statistics(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.is_statistic)
