"""Questions about the briefing itself that its header answers: when it was held, what time it
began. The header (title, date line, room and start time) comes before the first turn and is
no passage, so the answer quotes the header line itself, at its offsets in the transcript."""

from __future__ import annotations

import re
from dataclasses import replace

from corpus import Document, Passage, Sentence
from corpus.layouts.dates import parse_date
from qa.decision import Evidence, SpanAnswer

HEADER_SPEAKER = "Transcript header"  # who "says" a header line, in its citation

_BRIEFING = (r"(?:briefing|press conference|news conference|conference|press call|call|gaggle|telebriefing|"
             r"teleconference|session|presser)")
# "At what time did the June 3 press briefing begin?", "What time did the telebriefing start?"
_ASKS_START_TIME = re.compile(rf"\b(?:what|which) time\b.*\b{_BRIEFING}\b.*\b(?:begin|began|start|started|open|"
                              r"opened|kick off|get under ?way)\b", re.IGNORECASE)
# "On what date was the briefing with Marta Lindqvist held?", "When did the press call take place?"
_ASKS_HELD_ON = re.compile(rf"\b(?:what|which) (?:date|day)\b.*\b{_BRIEFING}\b.*\b(?:held|take place|took place|"
                           rf"happen|happened)\b|^\W*when (?:was|did) (?:the|this)\b.*\b{_BRIEFING}\b.*\b(?:held|"
                           r"take place)\b", re.IGNORECASE)
# A clock time on a header line: "3:05 P.M. EST", "11:40 a.m. EDT", "10.00am".
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?(?:\s+[A-Z]{2,4}\b)?(?![\d:])", re.IGNORECASE)
_LINE = re.compile(r"[^\n]+")


def asks_about_the_briefing(question: str) -> bool:
    """Whether the question asks when the briefing was held or what time it began."""
    return bool(_ASKS_START_TIME.search(question) or _ASKS_HELD_ON.search(question))


def header_answer(question: str, document: Document, first: Passage, confidence: float) -> SpanAnswer | None:
    """The header line of `document` (before its `first` passage) that answers: its start time,
    or the date line holding the document's date; None when the header does not say."""
    header = document.text[: first.start]
    for line in _LINE.finditer(header):
        text = line.group(0)
        if _ASKS_START_TIME.search(question) and (clock := _CLOCK.search(text)):
            return _span(document, first, line, line.start() + clock.start(), line.start() + clock.end(), confidence)
        if _ASKS_HELD_ON.search(question) and document.date and parse_date(text) == document.date:
            return _span(document, first, line, line.start(), line.end(), confidence)
    return None


def _span(document: Document, first: Passage, line: re.Match[str], start: int, end: int,
          confidence: float) -> SpanAnswer:
    text = line.group(0)
    left = len(text) - len(text.lstrip())
    stripped = text.strip()
    sentence = Sentence(line.start() + left, line.start() + left + len(stripped), stripped)
    passage = replace(first, id=f"{document.id}:header", speaker=HEADER_SPEAKER, role="chair", paragraph_no=0,
                      text=stripped, start=sentence.start, end=sentence.end, sentences=(sentence,), figures=(),
                      question_context=None, asked_by=None)
    span_start, span_end = max(start, sentence.start), min(end, sentence.end)
    return SpanAnswer(Evidence(passage, sentence, document), span_start, span_end, confidence)
