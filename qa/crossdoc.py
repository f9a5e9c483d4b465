"""Several transcripts, one measure: the same kind of figure reported at different dates.

Two cases, both about figures that measure the same thing (same kind, unit and subject) in
different documents:

- the question names a year, and the best figure is for another year while the same measure
  is given for the named year elsewhere: answer with that one (when it also names a briefing,
  that briefing's figure for the year answers before another briefing's);
- the question names no year, and other documents give the same measure about as well: the
  answer lists each figure with its period, and each citation names its document and date,
  so the reader sees which is which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from corpus import Document, Figure
from index import token_set
from qa.candidates import FigurePick as Pick
from qa.question import Question
from qa.scoring import PERIOD_CONTRADICTS, PERIOD_OTHER_BRIEFING, period_fit

# Another document's figure is listed when its pick score is at least this share of the best.
SCORE_SHARE = 0.85
# Two figures measure the same thing when this share of the shorter subject's words is in the other.
SUBJECT_OVERLAP = 0.8


def for_named_year(question: Question, picks: Sequence[Pick],
                   dated_on: Callable[[Pick], str | None] = lambda pick: None) -> Pick | None:
    """The best pick, unless it contradicts the question's period: then the best pick of the
    same measure for that period, else the best pick for that period. `dated_on` gives a
    pick's document date."""
    if not picks:
        return None
    best = picks[0]
    if not _names_period(question):
        return best
    fit = _period(question, best, dated_on)
    if fit == PERIOD_OTHER_BRIEFING:
        # "the June 2031 projection for 2032", best said in December: the briefing named has its
        # own figure for 2032, and that one answers (the confidence gate still judges it).
        return max((p for p in picks if _period(question, p, dated_on) > 0), key=lambda p: p.score, default=best)
    if fit > PERIOD_CONTRADICTS:
        return best
    meeting = [p for p in picks if _period(question, p, dated_on) > 0]
    fitting = [p for p in meeting if same_measure(p.figure, best.figure)]
    # Else the best figure said for the period asked, of whatever subject: a figure of another
    # period never answers, and the confidence gate still judges this one.
    return max(fitting or meeting, key=lambda p: p.score, default=best)


def same_measure_elsewhere(question: Question, best: Pick, picks: Sequence[Pick],
                           confident: Callable[[Pick], bool]) -> list[Pick]:
    """The same measure in other documents, one per document, best first; empty when the
    question names a year (then only that year's figure answers)."""
    if _names_period(question) or best.figure.role is not None:
        return []
    found: dict[str, Pick] = {}
    for pick in picks:
        doc_id = pick.candidate.passage.doc_id
        if doc_id == best.candidate.passage.doc_id or doc_id in found:
            continue
        if (same_measure(pick.figure, best.figure) and pick.figure.role is None
                and pick.score >= SCORE_SHARE * best.score and confident(pick)):
            found[doc_id] = pick
    return list(found.values())


def same_measure(a: Figure, b: Figure) -> bool:
    """Same kind, unit and change-or-level, and subjects that share most of their words
    ("investment in water projects" and "alone, investment in water projects")."""
    if (a.kind, a.unit, a.change) != (b.kind, b.unit, b.change):
        return False
    words_a, words_b = token_set(a.subject), token_set(b.subject)
    if not words_a or not words_b:
        return words_a == words_b
    return len(words_a & words_b) / min(len(words_a), len(words_b)) >= SUBJECT_OVERLAP


def newest_first(picks: Sequence[Pick], documents: Callable[[str], Document]) -> list[Pick]:
    return sorted(picks, key=lambda p: documents(p.candidate.passage.doc_id).date or "", reverse=True)


def _names_period(question: Question) -> bool:
    return bool(question.years or question.periods or question.relative_periods)


def _period(question: Question, pick: Pick, dated_on: Callable[[Pick], str | None]) -> float:
    return period_fit(question, pick.figure, pick.candidate.sentence.text, dated_on(pick))
