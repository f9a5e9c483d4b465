"""Read a transcript file into a Document, and split it into speaker Turns and Passages.

The layout reader is picked by content (`corpus.layouts`: one module per publisher family,
the bundled press-room layout as the fallback). A layout may blank page furniture (a PDF's
running header and page numbers) to spaces: `Document.text` is then the file's text with those
lines blanked, the same length, so every offset is still an offset into the file, and
`corpus.document_text(source)` gives exactly that text.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from corpus import front_matter, layouts
from corpus.layouts.dates import parse_date
from corpus.layouts.header import names_in_title
from corpus.layouts.press_room import UNLABELLED_ASKER, document_id
from corpus.models import Document, Passage, Turn
from corpus.safe_text import printable
from corpus.sentences import MAX_PARAGRAPH_CHARS, paragraph_end

logger = logging.getLogger(__name__)

__all__ = ["UNLABELLED_ASKER", "parse_passages", "prepared_text", "read_document"]


def read_document(path: Path) -> Document:
    """Read a transcript file. Raises UnicodeDecodeError/OSError for the caller to report.

    A front-matter block (`corpus.front_matter`) is blanked before the layout reads the text,
    and its title and date win over the ones the layout finds."""
    raw = path.read_text(encoding="utf-8")
    front = front_matter.read(raw)
    raw = front_matter.blank(raw, front)
    layout = layouts.pick(raw)
    document = layout.read(path, layout.prepare(raw))
    if front is not None:
        title = front.title or document.title
        document = replace(document, title=title, date=front.date or document.date,
                           speakers=document.speakers or tuple(names_in_title(title)))
    return document


def prepared_text(raw: str) -> str:
    """The document text of a `.txt` transcript whose file holds `raw`."""
    raw = front_matter.blank(raw)
    return layouts.pick(raw).prepare(raw)


def parse_passages(document: Document) -> tuple[list[Turn], list[Passage]]:
    """Split a document into speaker turns and one passage per paragraph; a paragraph over
    MAX_PARAGRAPH_CHARS is cut to its first MAX_PARAGRAPH_CHARS characters, with a note."""
    turns, passages = layouts.pick(document.text).parse(document)
    return turns, [_capped(document, passage) for passage in passages]


def _capped(document: Document, passage: Passage) -> Passage:
    """`passage`, cut where its sentences and figures stop (`paragraph_end`) when overlong:
    text, offsets, sentences and figures then cover the same characters."""
    question = passage.question_context
    if question is not None and len(question) > MAX_PARAGRAPH_CHARS:
        passage = replace(passage, question_context=question[: paragraph_end(question)])
    end = paragraph_end(passage.text)
    if end == len(passage.text):
        return passage
    logger.warning("%s: paragraph %d is %s characters long, over the %s limit; only its first %s are indexed",
                   printable(document.source), passage.paragraph_no, f"{len(passage.text):,}",
                   f"{MAX_PARAGRAPH_CHARS:,}", f"{end:,}")
    return replace(passage, text=passage.text[:end], end=passage.start + end)


_parse_date = parse_date  # "June 18, 2022", "5 June 2025", "13/12/2002", ... as ISO; formats and html use it
_document_id = document_id  # formats and html import it under this name
