"""The values qa returns: retrieval hits, citations, computed figures and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from corpus import Figure, Passage


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its score and figures; `matched` fit the question."""

    passage: Passage
    score: float
    figures: tuple[Figure, ...]
    matched: tuple[Figure, ...]
    document: str  # document title
    source: str  # transcript file path
    dense: float = 0.0  # the two scores fused into `score`, for inspection
    lexical: float = 0.0


@dataclass(frozen=True)
class Citation:
    """A verbatim quote: `corpus.document_text(source)[start:end] == quote`, which for a
    `.txt` or `.md` transcript is `Path(source).read_text()[start:end] == quote`."""

    n: int
    passage_id: str
    source: str
    speaker: str
    quote: str
    start: int
    end: int
    document: str = ""  # the document's title
    date: str | None = None  # the document's ISO date, when it gives one


@dataclass(frozen=True)
class Computed:
    """A figure the tool computed (a change or a ratio), never read from the transcript."""

    text: str  # "+0.4 trillion yuan, 1.5x"
    operands: tuple[Figure, ...]


@dataclass(frozen=True)
class Answer:
    """The answer to one question, with the evidence it rests on.

    Attributes:
        answer: the short answer ("12.5%", "more than 300 ...", one sentence, or an abstention).
        text: markdown for a chat: answer, verbatim evidence with [n] markers, speaker.
        figures: the figures the answer rests on, the answering figure first.
        citations: the quotes, numbered as in `text`.
        passages: what retrieval returned.
        abstained: True when the transcript does not answer the question.
        confidence: in [0, 1].
    """

    question: str
    answer: str
    text: str
    figures: tuple[Figure, ...]
    citations: tuple[Citation, ...]
    passages: tuple[Hit, ...]
    abstained: bool
    confidence: float
    computed: tuple[Computed, ...] = ()
    notes: tuple[str, ...] = field(default=())  # e.g. that the question was truncated

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict with stable keys (the shape of `qa ask --json`)."""
        return asdict(self)
