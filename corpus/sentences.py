"""Sentence splitting with exact character offsets.

A small rule-based splitter rather than pysbd: press transcripts are well punctuated, and
owning the rules keeps `text[start:end] == sentence.text` exact by construction.
"""

from __future__ import annotations

import re

from corpus.models import Sentence

# Words that end in a period without ending a sentence ("Mr. Li", "No. 5", "U.S. exports").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof no nos st co ltd inc corp vs etc e.g i.e u.s u.k jan feb mar apr jun "
    "jul aug sep sept oct nov dec fig approx dept gov est".split()
)

# A candidate boundary: terminal punctuation (plus closing quotes/brackets), then whitespace,
# then something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split `text` into sentences; offsets are `offset + index into text`."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if _ends_with_abbreviation(text[start:end]):
            continue
        _append(sentences, text, start, end, offset)
        start = end
    _append(sentences, text, start, len(text), offset)
    return sentences


def _ends_with_abbreviation(chunk: str) -> bool:
    word = _WORD_BEFORE.search(chunk)
    return bool(word) and word.group(1).lower().rstrip(".") in _ABBREVIATIONS


def _append(out: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    """Append text[start:end] with surrounding whitespace trimmed, if not empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start=offset + start, end=offset + end, text=text[start:end]))
