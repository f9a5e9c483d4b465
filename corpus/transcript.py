"""Read a transcript file into a Document, and split it into speaker Turns and Passages.

The layout reader is picked by content (`corpus.layouts`: one module per publisher family,
the bundled press-room layout as the fallback). A layout may blank page furniture (a PDF's
running header and page numbers) to spaces: `Document.text` is then the file's text with those
lines blanked, the same length, so every offset is still an offset into the file, and
`corpus.document_text(source)` gives exactly that text.
"""

from __future__ import annotations

from pathlib import Path

from corpus import layouts
from corpus.layouts.dates import parse_date
from corpus.layouts.press_room import UNLABELLED_ASKER, document_id
from corpus.models import Document, Passage, Turn

__all__ = ["UNLABELLED_ASKER", "parse_passages", "prepared_text", "read_document"]


def read_document(path: Path) -> Document:
    """Read a transcript file. Raises UnicodeDecodeError/OSError for the caller to report."""
    raw = path.read_text(encoding="utf-8")
    layout = layouts.pick(raw)
    return layout.read(path, layout.prepare(raw))


def prepared_text(raw: str) -> str:
    """The document text of a `.txt` transcript whose file holds `raw`."""
    return layouts.pick(raw).prepare(raw)


def parse_passages(document: Document) -> tuple[list[Turn], list[Passage]]:
    """Split a document into speaker turns and one passage per paragraph."""
    return layouts.pick(document.text).parse(document)


_parse_date = parse_date  # "June 18, 2022", "5 June 2025", "13/12/2002", ... as ISO; formats and html use it
_document_id = document_id  # formats and html import it under this name
