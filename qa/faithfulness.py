"""Checks that an answer is checkable: quotes match their sources, numbers match quotes, and a
decision (qa.decision) rests on the spans it cites."""

from __future__ import annotations

import re
from functools import lru_cache

from corpus import CorpusError, document_text
from index import normalize_number
from qa.decision import Decision, SpanAnswer, evidence_of, figures_of
from qa.models import Answer
from qa.render import COMPUTED_PREFIX, RELATED_PREFIX, RESOLVED_NOTE

_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")
_MARKER = re.compile(r"\[\d+\]")
_COMPUTED_INLINE = re.compile(r"\(computed:[^)]*\)")
_ATTRIBUTION_LINE = re.compile(r"^\[\d+\] ")


def numbers_in(text: str) -> set[str]:
    return {normalize_number(n) for n in _NUMBER.findall(text)}


def claimed_numbers(answer: Answer) -> set[str]:
    """Numbers the answer asserts: in `answer` and `text`, minus citation markers,
    attribution lines (speaker, document, paragraph), figures labelled computed and periods shown
    resolved against the document's date ("(in 2021, said as 'last year' on 2022-01-20)")."""
    kept = [_unclaimed(answer.answer)]  # "[2]" in a listed answer is no claim
    for line in answer.text.splitlines():
        stripped = line.strip()
        if stripped.startswith((COMPUTED_PREFIX, RELATED_PREFIX)) or _ATTRIBUTION_LINE.match(stripped):
            continue
        kept.append(_unclaimed(stripped))
    return numbers_in("\n".join(kept))


def _unclaimed(text: str) -> str:
    """The text without what asserts no quoted number: markers, computed values, resolved periods."""
    return RESOLVED_NOTE.sub("", _COMPUTED_INLINE.sub("", _MARKER.sub("", text)))


def number_faithful(answer: Answer) -> bool:
    """Every number the answer asserts occurs in one of its cited quotes."""
    quoted = set().union(*(numbers_in(c.quote) for c in answer.citations)) if answer.citations else set()
    return claimed_numbers(answer) <= quoted


def grounded(decision: Decision) -> bool:
    """Whether a decision rests on the transcripts' own words: each evidence sentence is its
    document's text at its offsets, each figure it answers with is the text at its offsets and
    lies inside an evidence sentence, and a span answer lies inside its sentence."""
    evidence = evidence_of(decision)
    if any(_source_text(e.document.source)[e.sentence.start : e.sentence.end] != e.sentence.text for e in evidence):
        return False
    if isinstance(decision, SpanAnswer):
        sentence = decision.evidence.sentence
        return sentence.start <= decision.start < decision.end <= sentence.end
    return all(any(_source_text(e.document.source)[f.start : f.end] == f.text
                   and e.sentence.start <= f.start < f.end <= e.sentence.end for e in evidence)
               for f in figures_of(decision))


def citations_valid(answer: Answer) -> bool:
    """Every citation's quote is exactly its source's text at its offsets (for an HTML page,
    the transcript text extracted from it: see `corpus.document_text`)."""
    return all(_source_text(c.source)[c.start : c.end] == c.quote for c in answer.citations)


@lru_cache(maxsize=64)
def _source_text(source: str) -> str:
    try:
        return document_text(source)
    except CorpusError:
        return ""
