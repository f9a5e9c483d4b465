"""Sentence splitting with exact character offsets.

A small rule-based splitter rather than pysbd: press transcripts are well punctuated, and
owning the rules keeps `text[start:end] == sentence.text` exact by construction.
"""

from __future__ import annotations

import re

from corpus.models import Sentence

# Words that end in a period without ending a sentence ("Mr. Li", "No. 5", "U.S. exports").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof no nos st jr sr co ltd inc corp vs etc e.g i.e jan feb mar apr jun "
    "jul aug sep sept oct nov dec fig approx dept gov est".split()
)

# A boundary: terminal punctuation (plus closing quotes/brackets), then white space and
# something that can start a sentence; or a blank line, which always ends one. A single line
# break is only white space: paragraphs may be hard-wrapped.
# The look-behinds make a match start only where a run of punctuation or white space starts,
# so a long run ("......", many spaces) is scanned once, not once per position (quadratic).
_BOUNDARY = re.compile(
    r"(?<![.!?])(?P<punct>[.!?]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])|(?<!\s)\s*\n[^\S\n]*\n\s*"
)
_WORD_BEFORE = re.compile(r"[\w.&'-]*$")
_WORD_WINDOW = 40  # an abbreviation or initial is read from at most this many characters
# A "sentence" longer than this is not prose (a table, a list of numbers, a broken file): it is
# cut at white space so that figure extraction, which works per sentence, stays linear.
MAX_SENTENCE_CHARS = 1000
# A paragraph longer than this is not one (a whole file on one line, a generated table): only its
# first MAX_PARAGRAPH_CHARS are split and searched for figures, and the loader cuts the passage
# there with a note. Real transcripts' longest paragraphs are about 3,000 characters; without a
# cap a 2 MB line took minutes and gave hundreds of thousands of figures to embed.
MAX_PARAGRAPH_CHARS = 20_000


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split `text` into sentences; offsets are `offset + index into text`. Text past
    `paragraph_end(text)` (an overlong paragraph) is left out."""
    text = text[: paragraph_end(text)]
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group("punct") and _ends_with_abbreviation(text, match.start()):
            continue
        _append(sentences, text, start, match.start() + len(match.group("punct") or ""), offset)
        start = match.end()
    _append(sentences, text, start, len(text), offset)
    return sentences


def paragraph_end(text: str) -> int:
    """Where the analysed part of a paragraph ends: `len(text)`, or for a paragraph over
    MAX_PARAGRAPH_CHARS the last space before the limit (the limit when there is none nearby),
    with white space before it trimmed."""
    if len(text) <= MAX_PARAGRAPH_CHARS:
        return len(text)
    cut = text.rfind(" ", MAX_PARAGRAPH_CHARS // 2, MAX_PARAGRAPH_CHARS + 1)
    cut = cut if cut > 0 else MAX_PARAGRAPH_CHARS
    while cut > 0 and text[cut - 1].isspace():
        cut -= 1
    return cut


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """True if the "." at `dot` closes an abbreviation or an initial ("Mr.", "U.S.")."""
    word = _WORD_BEFORE.search(text, max(0, dot - _WORD_WINDOW), dot)
    token = word.group(0).lower() if word else ""
    return token in _ABBREVIATIONS or (len(token.split(".")[-1]) == 1 and token[-1:].isalpha())


def _append(out: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    """Append text[start:end] with surrounding whitespace trimmed, if not empty; an
    overlong sentence is cut into pieces of at most MAX_SENTENCE_CHARS."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind(" ", start + 1, limit + 1)
        cut = cut if cut > start else limit
        _append(out, text, start, cut, offset)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start=offset + start, end=offset + end, text=text[start:end]))
