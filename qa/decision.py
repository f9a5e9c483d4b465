"""What the answerer decided, as data: the kind of answer, the evidence spans it rests on, its
figures. Never text: `qa.render.answer_from` is the one place that writes the short answer, the
chat markdown and the citations from a decision.

The answering code (qa.answerer, qa.who) returns one of the kinds below; each holds the
`Evidence` sentences it quotes, in citation order.

| kind             | answers                                    | short answer, as rendered             |
|------------------|--------------------------------------------|---------------------------------------|
| `Abstain`        | nothing: the transcripts do not say        | "The transcript does not say."        |
| `FigureAnswer`   | a figure, a time of day, an ordinal        | the figure with its qualifier         |
| `RangeAnswer`    | "from X to Y", growth and change questions | both ends and the computed change     |
| `ListedAnswer`   | one measure in several briefings           | each figure with its period and [n]   |
| `SpanAnswer`     | a date said in the sentence                | the sentence's words at the span, a   |
|                  |                                            | day said as "tomorrow" with its date  |
| `SentenceAnswer` | what was said                              | the quoted sentence                   |
| `NamedAnswer`    | who asked, answered, chaired, was named    | the name (or outlet)                  |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from corpus import Document, Figure, Passage, Sentence
from qa.models import Computed


@dataclass(frozen=True)
class Evidence:
    """A sentence an answer rests on, with its passage and document."""

    passage: Passage
    sentence: Sentence
    document: Document


@dataclass(frozen=True)
class Abstain:
    """The transcripts do not answer; `confidence` is how sure the best candidate was that
    they do (the answer shows how sure the abstention is: 1 - confidence)."""

    confidence: float


@dataclass(frozen=True)
class FigureAnswer:
    evidence: Evidence
    figure: Figure
    confidence: float


@dataclass(frozen=True)
class RangeAnswer:
    """Both ends of "from X to Y", and their difference when the units allow it."""

    evidence: Evidence
    start: Figure
    end: Figure
    computed: Computed | None
    confidence: float


@dataclass(frozen=True)
class ListedAnswer:
    """The same measure in several briefings: one figure per evidence sentence, newest first."""

    evidence: tuple[Evidence, ...]
    figures: tuple[Figure, ...]
    confidence: float


@dataclass(frozen=True)
class SpanAnswer:
    """Words of the evidence sentence, `start`-`end` in document offsets ("the 19th of December")."""

    evidence: Evidence
    start: int
    end: int
    confidence: float
    # The day the span stands for when it says no date itself ("tomorrow", "yesterday"),
    # resolved against the briefing's date; None when the span gives its date.
    day: date | None = None

    @property
    def said(self) -> str:
        sentence = self.evidence.sentence
        return sentence.text[self.start - sentence.start : self.end - sentence.start]


@dataclass(frozen=True)
class SentenceAnswer:
    evidence: Evidence
    confidence: float


@dataclass(frozen=True)
class NamedAnswer:
    """A person or an outlet, read from the turn structure or named in the evidence sentence."""

    evidence: Evidence
    name: str
    confidence: float


Decision = Abstain | FigureAnswer | RangeAnswer | ListedAnswer | SpanAnswer | SentenceAnswer | NamedAnswer


def evidence_of(decision: Decision) -> tuple[Evidence, ...]:
    """The sentences a decision quotes, in citation order (none for an abstention)."""
    if isinstance(decision, Abstain):
        return ()
    return decision.evidence if isinstance(decision, ListedAnswer) else (decision.evidence,)


def figures_of(decision: Decision) -> tuple[Figure, ...]:
    """The figures a decision answers with, the answering one first."""
    match decision:
        case FigureAnswer():
            return (decision.figure,)
        case RangeAnswer():
            return (decision.start, decision.end)
        case ListedAnswer():
            return decision.figures
    return ()
