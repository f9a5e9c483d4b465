"""Checks that an answer is checkable: quotes match their sources, numbers match quotes, and a
decision (qa.decision) rests on the spans it cites."""

from __future__ import annotations

import re
from functools import lru_cache

from corpus import CorpusError, Figure, document_text
from index import normalize_number
from qa.decision import Decision, SpanAnswer, evidence_of, figures_of
from qa.models import Answer, Citation
from qa.render import RESOLVED_NOTE, answer_label

_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")
_MARKER = re.compile(r"\[\d+\]")
_COMPUTED_INLINE = re.compile(r"\(computed:[^)]*\)")


def numbers_in(text: str) -> set[str]:
    return {normalize_number(n) for n in _NUMBER.findall(text)}


def claimed_numbers(answer: Answer) -> set[str]:
    """Numbers the answer asserts in its own words: its short answer and what its figure
    measures (`qa.render.answer_label`), minus citation markers ("[2]" in a listed answer),
    figures labelled computed and periods shown resolved against the document's date ("(in 2021,
    said as 'last year' on 2022-01-20)"). The quotes and attribution lines assert nothing: the
    quotes are checked against their sources (`citations_valid`)."""
    return numbers_in(_unclaimed(answer.answer) + "\n" + _unclaimed(answer_label(answer)))


def _unclaimed(text: str) -> str:
    """The text without what asserts no quoted number: markers, computed values, resolved periods."""
    return RESOLVED_NOTE.sub("", _COMPUTED_INLINE.sub("", _MARKER.sub("", text)))


def number_faithful(answer: Answer) -> bool:
    """Every figure the answer rests on lies, at its offsets, inside one of its cited quotes, and
    every number the answer asserts (`claimed_numbers`) occurs in one of those quotes."""
    if not all(any(_inside(figure, c) for c in answer.citations) for figure in answer.figures):
        return False
    quoted = set().union(*(numbers_in(c.quote) for c in answer.citations)) if answer.citations else set()
    return claimed_numbers(answer) <= quoted


def _inside(figure: Figure, citation: Citation) -> bool:
    """Whether the figure's span lies in the quote and reads the same there."""
    at = figure.start - citation.start
    return citation.start <= figure.start < figure.end <= citation.end and \
        citation.quote[at : at + len(figure.text)] == figure.text


def grounded(decision: Decision) -> bool:
    """Whether a decision rests on the transcripts' own words: each evidence sentence is its
    document's text at its offsets, each figure it answers with is the text at its offsets and
    lies inside an evidence sentence, and a span answer lies inside its sentence."""
    evidence = evidence_of(decision)
    if any(not e.sentence.text.strip() for e in evidence):
        return False  # an empty quote proves nothing
    if any(_source_text(e.document.source)[e.sentence.start : e.sentence.end] != e.sentence.text for e in evidence):
        return False
    if isinstance(decision, SpanAnswer):
        sentence = decision.evidence.sentence
        return sentence.start <= decision.start < decision.end <= sentence.end
    return all(any(_source_text(e.document.source)[f.start : f.end] == f.text
                   and e.sentence.start <= f.start < f.end <= e.sentence.end for e in evidence)
               for f in figures_of(decision))


def citations_valid(answer: Answer) -> bool:
    """Every citation quotes something, and its quote is exactly its source's text at its offsets
    (for an HTML page, the transcript text extracted from it: see `corpus.document_text`)."""
    return all(c.quote.strip() and _source_text(c.source)[c.start : c.end] == c.quote for c in answer.citations)


@lru_cache(maxsize=64)
def _source_text(source: str) -> str:
    try:
        return document_text(source)
    except CorpusError:
        return ""
