"""The figures explorer: every statistic of a corpus as a row, and one measure traced across
briefings. Nothing is shown that is not a figure of the corpus, or a change computed from two
of them and labelled computed with both cited."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from typing import NamedTuple

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
# A figure may leave out one of the measure's words ("the berthing charge for container ships"
# for "container berthing fee") when the words it says are rarer in the corpus than the one it
# leaves out and its subject is this close to the measure (cosine).
CLOSE_SCORE = 0.5
# A subject of fewer content words than this ("taking it") says too little for its vector to
# judge: its sentence's vector is used too.
THIN_SUBJECT = 2
# Words that make a figure a projection when said in its own clause ("we expect the harbour fee
# to settle at 2 percent"), or anywhere in its sentence when its period is not over by the
# briefing ("in our forecasts, throughput reaches 5 million this year").
_FORECAST = frozenset(tokenize("projected projection forecast expected anticipated predicted"))
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
    return [candidate.row for candidate in _scored(index, keep, kinds, query)]


def trace(index: SearchIndex, measure: str, vector: np.ndarray, keep: np.ndarray | None = None, *,
          questions: bool = False) -> list[TrendPoint]:
    """The measure's values across documents, in briefing then period order: the figures whose words
    near them name the measure (every word, or all but one with a close subject), whose subject
    is close to it (`vector`), in the measure's most common kind and unit (levels before
    changes). Projections (a later period, or forecast words) are not values of a briefing and
    are left out. Figures in reporters' questions count only with `questions`."""
    terms = token_set(measure)
    if not terms:
        raise ValueError('name a measure in words, e.g. "container throughput"')
    found = [c for c in _scored(index, keep, (), vector) if questions or c.row.role != "question"]
    mates: dict[int, list[Figure]] = {}
    for candidate in found:
        mates.setdefault(candidate.passage, []).append(candidate.figure)
    weights = _rarity(index, terms)
    named = [(c.row, c.figure) for c in found if not _projection(c.row)
             and _names(c, terms, weights, lambda c=c: _meaning(index, c, vector), mates[c.passage])]
    if not named:
        return []
    kind = _main_kind(named)
    levels = any(not f.change for _, f in named)
    # A measure stated in levels is not traced by its changes ("throughput fell 20 percent").
    return _with_changes(_collapse([(row, f) for row, f in named
                                    if (f.kind, f.unit) == kind and not (levels and f.change)]))


class _Candidate(NamedTuple):
    row: FigureRow
    figure: Figure
    passage: int  # the passage's row in the corpus


def _names(candidate: _Candidate, terms: frozenset[str], weights: dict[str, float], meaning: Callable[[], float],
           mates: Sequence[Figure]) -> bool:
    """Whether the words near the figure name the measure: all of them with a subject not unlike
    it, or all but one, the words said outweighing (by rarity) the one left out, with a subject
    close to it. `meaning` (the subject's closeness) is asked only once the words fit: most
    figures of a corpus fail on words alone."""
    said = terms & _nearby(candidate.row, len(terms) + SLACK_TOKENS, _claimed(candidate, mates))
    if said == terms:
        return meaning() >= MIN_SCORE
    missing = terms - said
    return (len(missing) == 1 and len(terms) > 1
            and sum(weights[t] for t in said) > sum(weights[t] for t in missing) and meaning() >= CLOSE_SCORE)


def _rarity(index: SearchIndex, terms: frozenset[str]) -> dict[str, float]:
    """Each word's weight by how few passages hold it (inverse document frequency). Not
    `qa.scoring.TermWeights`, whose log(1 + n/c) still weighs a word every passage says: here
    such a word ("harbour" in a harbour board's briefings) must weigh nothing."""
    counts, passages = index.term_counts
    return {term: math.log((passages + 1) / (counts.get(term, 0) + 1)) + 1e-6 for term in terms}


def _meaning(index: SearchIndex, candidate: _Candidate, vector: np.ndarray) -> float:
    """How close the figure's subject is to the measure (cosine); for a thin subject ("taking
    it"), the better of that and its sentence's."""
    score = candidate.row.score or 0.0
    if len(tokenize(candidate.row.subject)) >= THIN_SUBJECT:
        return score
    passage = index.corpus.passages[candidate.passage]
    at = next((i for i, s in enumerate(passage.sentences) if s.start <= candidate.figure.start < s.end), None)
    if at is None:
        return score
    row = int(index.rows.first_sentence[candidate.passage]) + at
    return max(score, float(index.sentence_vectors[row] @ vector))


def _claimed(candidate: _Candidate, mates: Sequence[Figure]) -> int:
    """How many characters of the figure's sentence, before it, belong to an earlier figure: in
    "the harbour fee was 3 percent, and the pilot fee 5 percent" the words before 3 percent are
    not 5 percent's. An earlier figure claims them when it is of the same kind and unit and of
    another subject (a list shares one: "3 percent in May and 4 percent in June", and so does
    "from 3 percent to 4 percent")."""
    row, figure = candidate.row, candidate.figure
    at = row.sentence.find(row.text)
    if at < 0:
        return 0
    sentence_start = row.start - at
    ends = [m.end for m in mates if sentence_start <= m.start and m.end <= figure.start
            and (m.kind, m.unit) == (figure.kind, figure.unit) and m.subject != figure.subject]
    return max(ends, default=sentence_start) - sentence_start


def _projection(row: FigureRow) -> bool:
    """A value for a time after the briefing: its period starts later, or forecast words are said
    in its clause, or in its sentence when its period is not over by the briefing's date."""
    if row.date is None:
        return bool(_FORECAST & _clause(row))
    if row.period_start is not None and row.period_start > row.date:
        return True
    if row.period_end is not None and row.period_end > row.date and _FORECAST & token_set(row.sentence):
        return True
    return bool(_FORECAST & _clause(row))


def _clause(row: FigureRow) -> frozenset[str]:
    """The tokens of the figure's own clause (to the nearest comma, "and", "but" or number)."""
    at = row.sentence.find(row.text)
    if at < 0:
        return frozenset()
    before = row.sentence[:at]
    cuts = list(_CLAUSE_END.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    after = row.sentence[at + len(row.text):]
    after = after[: end.start()] if (end := _CLAUSE_END.search(after)) else after
    return frozenset(tokenize(before) + tokenize(after))


def _scored(index: SearchIndex, keep: np.ndarray | None, kinds: Sequence[str],
            query: np.ndarray | None) -> list[_Candidate]:
    scores = None if query is None else np.asarray(index.figure_vectors @ query, dtype=np.float32)
    found = [c for c in _rows(index, keep, scores) if not kinds or c.figure.kind in kinds]
    if query is not None:
        found.sort(key=lambda c: -(c.row.score or 0.0))
    return found


def _rows(index: SearchIndex, keep: np.ndarray | None, scores: np.ndarray | None) -> Iterator[_Candidate]:
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
            yield _Candidate(_row(passage, figure, documents[passage.doc_id], score), figure, int(row))


def _row(passage: Passage, figure: Figure, document: Document, score: float | None) -> FigureRow:
    sentence = next((s.text for s in passage.sentences if s.start <= figure.start < s.end), passage.text)
    return FigureRow(
        document=passage.doc_id, title=document.title, date=document.date, speaker=passage.speaker,
        role=passage.role, text=figure.text, value=figure.value, unit=figure.unit, scale=figure.scale,
        magnitude=figure.magnitude, qualifier=figure.qualifier, kind=figure.kind, period=figure.period,
        period_start=figure.period_start, period_end=figure.period_end, subject=figure.subject,
        sentence=sentence, source=document.source, start=figure.start, end=figure.end, passage=passage.id,
        passage_start=passage.start, passage_end=passage.end, score=score)


def _nearby(row: FigureRow, width: int, claimed: int = 0) -> frozenset[str]:
    """The tokens of the `width` words before the figure in its sentence (after the first
    `claimed` characters, which another figure's words hold), of the `width` after it in its
    clause, and of its subject when that is short."""
    at = row.sentence.find(row.text)
    at = at if at >= 0 else len(row.sentence)
    after = row.sentence[at + len(row.text):]
    after = after[: end.start()] if (end := _CLAUSE_END.search(after)) else after
    near = _words(row.sentence[min(claimed, at):at])[-width:] + _words(after)[:width]
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
    said for the same period in that document is kept as a citation, and so is every place it
    was said again there without a period ("the fee of 3 percent I mentioned")."""
    groups: dict[tuple, list[tuple[FigureRow, Figure]]] = {}
    for row, figure in sorted(pairs, key=lambda pair: pair[0].period_start is None):  # dated first
        key = (row.document, row.period_start, row.period_end, row.text)
        if row.period_start is None:
            key = next((k for k in groups if (k[0], k[3]) == (row.document, row.text)), key)
        groups.setdefault(key, []).append((row, figure))
    ordered = sorted(groups.values(), key=lambda group: (group[0][0].date or "", _when(group[0][0]),
                                                         min(row.start for row, _ in group)))
    return [(group[0][0], group[0][1], tuple(sorted((row for row, _ in group), key=lambda r: r.start)))
            for group in ordered]


def _when(row: FigureRow) -> str:
    return row.period_start or row.date or ""


def _as_of_briefing(row: FigureRow) -> bool:
    """A value for the briefing's own time or before it, not a projection of a later one."""
    return row.date is None or row.period_start is None or row.period_start <= row.date


def _rank(row: FigureRow) -> tuple[bool, str, float]:
    """Dated before undated, the latest period first (the briefing's current value), then the
    best-matching."""
    return row.period_start is not None, row.period_start or "", row.score or 0.0


def _with_changes(points: list[Point]) -> list[TrendPoint]:
    """Each briefing's value, as of that briefing, with the change from the previous briefing's
    (computed). A briefing's value is a single value (not a range, not a projection), one dated
    by its own words ("in May") before an undated one and the latest of those, then the
    best-matching; the other points of a briefing carry no change."""
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
