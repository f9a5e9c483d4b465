"""The interface every layout reader implements, and the passage builder they share."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from corpus.figures import extract_figures
from corpus.models import Document, Passage, Role, Turn
from corpus.sentences import split_sentences


class Layout(Protocol):
    """One publisher family's transcript layout.

    `detect` scores how well a text fits (0 to 1, on the raw or the prepared text alike);
    `prepare` blanks page furniture to spaces (same length, so offsets stay offsets into the
    file); `read` makes the Document (title, date, declared speakers, chair) from the prepared
    text; `parse` splits it into turns and one passage per paragraph.
    """

    name: str

    def detect(self, text: str) -> float: ...

    def prepare(self, text: str) -> str: ...

    def read(self, path: Path, text: str) -> Document: ...

    def parse(self, document: Document) -> tuple[list[Turn], list[Passage]]: ...


def make_passage(document: Document, start: int, end: int, speaker: str, role: Role, turn_no: int,
                 paragraph_no: int, question_context: str | None, asked_by: str | None = None) -> Passage:
    """A passage over `document.text[start:end]`, with its sentences and figures."""
    text = document.text[start:end]
    return Passage(
        id=f"{document.id}:p{paragraph_no}",
        doc_id=document.id,
        speaker=speaker,
        role=role,
        turn=turn_no,
        paragraph_no=paragraph_no,
        text=text,
        start=start,
        end=end,
        question_context=question_context,
        sentences=tuple(split_sentences(text, start)),
        figures=tuple(extract_figures(text, start)),
        asked_by=asked_by,
    )
