"""The figures explorer: every statistic of a corpus as a row, and one measure traced across
briefings. Nothing is shown that is not a figure of the corpus, or a change computed from two
of them and labelled computed with both cited."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np

from corpus import Document, Figure, Passage
from index import SearchIndex, token_set, tokenize
from qa.answerer import computed_change
from qa.models import Computed

# A measure's words must all be said close to the figure: within this many words of it beyond
# the measure's own, before or after ("a steady 3 to 3½ percent deposit rate for the harbour
# fund"), or in its subject when that is short. "The deposit rate for the harbour fund ... and
# we expect shipping costs to settle at 2 percent" is not the deposit rate. Long subjects are
# the extractor's guesses and are not trusted for this.
SLACK_TOKENS = 4
SHORT_SUBJECT = 12
# Figures whose subject is this unlike the measure (cosine) mention its words in passing.
MIN_SCORE = 0.2
_RANGE = re.compile(r"\d\S*\s*(?:to|–|-)\s*\d")
# Words after a figure describe it only up to the end of its clause or the next number: in
# "rose to 14.1 trillion yuan, and that of the software industry from 2.5 trillion yuan" the
# software industry is not what 14.1 trillion yuan measures.
_CLAUSE_END = re.compile(r"[,;:()—–]|\band\b|\bbut\b|\d")


@dataclass(frozen=True)
class FigureRow:
    """One statistic of the corpus, where it was said, and its exact place in the source."""

    document: str  # the document's id
    title: str
    date: str | None
    speaker: str
    role: str  # of the turn: question, answer, statement, chair
    text: str  # as written: "12.5%", "4.2 trillion yuan", "3 to 3½ percent"
    value: float  # a range's low end
    unit: str
    scale: str | None
    magnitude: float  # value x scale
    qualifier: str | None
    kind: str
    period: str | None  # as written
    period_start: str | None  # resolved (ISO dates)
    period_end: str | None
    subject: str
    sentence: str
    source: str  # the transcript file: document_text(source)[start:end] == text
    start: int
    end: int
    passage: str  # the passage id
    passage_start: int  # the paragraph's offsets in the same text: the figure's context
    passage_end: int
    score: float | None = None  # how well the subject matches a query or measure (cosine)

    def to_dict(self) -> dict:
        return asdict(self)


COLUMNS = tuple(f.name for f in fields(FigureRow))


@dataclass(frozen=True)
class TrendPoint:
    """One value of a measure in one document and period, with every place it was said there
    and the change from the previous point (computed, never quoted)."""

    row: FigureRow
    citations: tuple[FigureRow, ...]
    change: Computed | None = None

    def to_dict(self) -> dict:
        change = None if self.change is None else {"text": self.change.text, "computed": True}
        return {**self.row.to_dict(), "citations": [{"source": c.source, "start": c.start, "end": c.end,
                                                      "passage": c.passage} for c in self.citations],
                "change": change}


def figure_rows(index: SearchIndex, keep: np.ndarray | None = None, *, kinds: Sequence[str] = (),
                query: np.ndarray | None = None) -> list[FigureRow]:
    """Every statistic of the passages `keep` marks (all when None), of the given kinds (all
    when empty), in corpus order; with a `query` vector, scored and best first."""
    return [row for row, _ in _scored(index, keep, kinds, query)]


def trace(index: SearchIndex, measure: str, vector: np.ndarray, keep: np.ndarray | None = None, *,
          questions: bool = False) -> list[TrendPoint]:
    """The measure's values across documents, in briefing then period order: the figures whose words
    near them name every word of `measure`, whose subject is close to it (`vector`), in the
    measure's most common kind and unit (levels before changes). Figures in reporters'
    questions count only with `questions`."""
    terms = token_set(measure)
    if not terms:
        raise ValueError('name a measure in words, e.g. "container throughput"')
    named = [(row, figure) for row, figure in _scored(index, keep, (), vector)
             if (questions or row.role != "question") and (row.score or 0.0) >= MIN_SCORE
             and terms <= _nearby(row, len(terms) + SLACK_TOKENS)]
    if not named:
        return []
    kind = _main_kind(named)
    return _with_changes(_collapse([(row, f) for row, f in named if (f.kind, f.unit) == kind]))


def _scored(index: SearchIndex, keep: np.ndarray | None, kinds: Sequence[str],
            query: np.ndarray | None) -> list[tuple[FigureRow, Figure]]:
    scores = None if query is None else np.asarray(index.figure_vectors @ query, dtype=np.float32)
    pairs = [(row, figure) for row, figure in _rows(index, keep, scores) if not kinds or figure.kind in kinds]
    if query is not None:
        pairs.sort(key=lambda pair: -(pair[0].score or 0.0))
    return pairs


def _rows(index: SearchIndex, keep: np.ndarray | None,
          scores: np.ndarray | None) -> Iterator[tuple[FigureRow, Figure]]:
    corpus = index.corpus
    first = index.rows.first_figure
    documents: dict[str, Document] = {}
    for row in range(len(corpus.passages)) if keep is None else np.flatnonzero(keep):
        passage = corpus.passages[int(row)]
        if not passage.statistics:
            continue
        if passage.doc_id not in documents:
            documents[passage.doc_id] = corpus.document(passage.doc_id)
        for offset, figure in enumerate(passage.statistics):
            score = None if scores is None else round(float(scores[first[int(row)] + offset]), 4)
            yield _row(passage, figure, documents[passage.doc_id], score), figure


def _row(passage: Passage, figure: Figure, document: Document, score: float | None) -> FigureRow:
    sentence = next((s.text for s in passage.sentences if s.start <= figure.start < s.end), passage.text)
    return FigureRow(
        document=passage.doc_id, title=document.title, date=document.date, speaker=passage.speaker,
        role=passage.role, text=figure.text, value=figure.value, unit=figure.unit, scale=figure.scale,
        magnitude=figure.magnitude, qualifier=figure.qualifier, kind=figure.kind, period=figure.period,
        period_start=figure.period_start, period_end=figure.period_end, subject=figure.subject,
        sentence=sentence, source=document.source, start=figure.start, end=figure.end, passage=passage.id,
        passage_start=passage.start, passage_end=passage.end, score=score)


def _nearby(row: FigureRow, width: int) -> frozenset[str]:
    """The tokens of the `width` words before the figure in its sentence, of the `width` after
    it in its clause, and of its subject when that is short."""
    at = row.sentence.find(row.text)
    at = at if at >= 0 else len(row.sentence)
    after = row.sentence[at + len(row.text):]
    after = after[: end.start()] if (end := _CLAUSE_END.search(after)) else after
    near = _words(row.sentence[:at])[-width:] + _words(after)[:width]
    subject = tokenize(row.subject)
    return frozenset(near + subject) if len(subject) <= SHORT_SUBJECT else frozenset(near)


def _words(text: str) -> list[str]:
    """The text's tokens without numbers: "by ½ percentage point" (tokens "1" and "2") must not
    push the measure's words out of the window."""
    return [token for token in tokenize(text) if not token[0].isdigit()]


def _main_kind(pairs: list[tuple[FigureRow, Figure]]) -> tuple[str, str]:
    """The (kind, unit) the measure is stated in: the one with the highest total score, levels
    preferred to changes ("lifted by 0.4 percentage points" is not the rate's value)."""
    levels = [pair for pair in pairs if not pair[1].change] or pairs
    totals: Counter[tuple[str, str]] = Counter()
    for row, figure in levels:
        totals[(figure.kind, figure.unit)] += max(row.score or 0.0, 0.0) + 1e-6
    return totals.most_common(1)[0][0]


Point = tuple[FigureRow, Figure, tuple[FigureRow, ...]]


def _collapse(pairs: list[tuple[FigureRow, Figure]]) -> list[Point]:
    """One point per document, period and value, in briefing order and within a briefing in
    period order (the period's start, else the briefing's date); every place the same value was
    said for the same period in that document is kept as a citation."""
    groups: dict[tuple, list[tuple[FigureRow, Figure]]] = {}
    for row, figure in pairs:
        groups.setdefault((row.document, row.period_start, row.period_end, row.text), []).append((row, figure))
    ordered = sorted(groups.values(), key=lambda group: (group[0][0].date or "", _when(group[0][0]),
                                                         group[0][0].start))
    return [(group[0][0], group[0][1], tuple(row for row, _ in group)) for group in ordered]


def _when(row: FigureRow) -> str:
    return row.period_start or row.date or ""


def _as_of_briefing(row: FigureRow) -> bool:
    """A value for the briefing's own time or before it, not a projection of a later one."""
    return row.date is None or row.period_start is None or row.period_start <= row.date


def _rank(row: FigureRow) -> tuple[bool, float]:
    return row.period_start is not None, row.score or 0.0


def _with_changes(points: list[Point]) -> list[TrendPoint]:
    """Each briefing's value, as of that briefing, with the change from the previous briefing's
    (computed). A briefing's value is a single value (not a range, not a projection), one dated
    by its own words ("in May") before an undated one, then the best-matching; the other points
    of a briefing carry no change."""
    stated: dict[str, tuple[FigureRow, Figure]] = {}
    for row, figure, _ in points:
        if _as_of_briefing(row) and not _RANGE.search(row.text):
            if row.document not in stated or _rank(row) > _rank(stated[row.document][0]):
                stated[row.document] = (row, figure)
    found: list[TrendPoint] = []
    previous: tuple[FigureRow, Figure] | None = None
    for row, figure, citations in points:
        change = None
        if stated.get(row.document, (None,))[0] is row:
            change = computed_change(previous[1], figure) if previous is not None else None
            previous = (row, figure)
        found.append(TrendPoint(row, citations, change))
    return found
