"""Restrict a question to some speakers, documents or dates.

A filter becomes a mask over the corpus's passages; passages outside it get a score of
minus infinity, so retrieval and the answerer never pick them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

import numpy as np

from corpus import Corpus
from corpus.models import DocumentInfo

# A filter error names a few choices, not the whole corpus (the page and its API show it to anyone).
MAX_LISTED_DOCUMENTS = 5
MAX_LISTED_SPEAKERS = 10


@dataclass(frozen=True)
class Filter:
    """Which passages a question may be answered from; None means any.

    speaker: part of a speaker's name, any case ("li" matches "Li Ming").
    document: a document's id or file name, or part of its title, any case.
    date_from, date_to: ISO days ("2022-05-17"), inclusive; undated documents are left out
        when either is given.
    """

    speaker: str | None = None
    document: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _iso_day(value, name))
        for name in ("speaker", "document"):
            value = getattr(self, name)
            if value is not None and not str(value).strip():
                object.__setattr__(self, name, None)  # an empty box in the page means "any"
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}; swap them")

    @property
    def empty(self) -> bool:
        return not (self.speaker or self.document or self.date_from or self.date_to)

    def mask(self, corpus: Corpus) -> np.ndarray:
        """True for each passage the filter keeps.

        Raises:
            ValueError: the filter keeps nothing; the message lists what there is to choose from.
        """
        catalogue = corpus.catalogue()
        kept_documents = np.array([self._keeps_document(d) for d in catalogue], dtype=bool)
        if not kept_documents.any():
            raise ValueError(self._no_document_message(catalogue))
        columns = corpus.columns()  # arrays: no Python loop over the passages
        keep = kept_documents[columns.document]
        if self.speaker:
            wanted = self.speaker.strip().lower()
            matching = np.array([wanted in name.lower() for name in columns.speakers], dtype=bool)
            by_speaker = matching[columns.speaker]
            if not (keep & by_speaker).any():
                officials = np.unique(columns.speaker[keep & ~columns.question])
                names = [columns.speakers[i] for i in officials]
                listed = _few(names, MAX_LISTED_SPEAKERS, ", ")
                raise ValueError(f"no speaker matches {self.speaker!r}; speakers: {listed}")
            keep &= by_speaker
        return keep

    def _keeps_document(self, document: DocumentInfo) -> bool:
        if self.document and not _document_matches(document, self.document):
            return False
        if self.date_from or self.date_to:
            if document.date is None:
                return False
            if self.date_from and document.date < self.date_from:
                return False
            if self.date_to and document.date > self.date_to:
                return False
        return True

    def _no_document_message(self, catalogue: tuple[DocumentInfo, ...]) -> str:
        listed = _few([f"{d.id} ({d.date or 'undated'})" for d in catalogue], MAX_LISTED_DOCUMENTS, "; ")
        wanted = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if v and k != "speaker")
        return f"no document matches {wanted}; documents: {listed}"


def _few(names: list[str], limit: int, separator: str) -> str:
    """The first `limit` names, then how many more there are ("a; b ... and 27 more")."""
    listed = separator.join(names[:limit])
    return listed + (f" ... and {len(names) - limit:,} more" if len(names) > limit else "")


def _document_matches(document: DocumentInfo, wanted: str) -> bool:
    wanted = wanted.strip().lower()
    names = {document.id.lower(), Path(document.source).name.lower(), Path(document.source).stem.lower()}
    return wanted in names or wanted in document.title.lower() or wanted in document.id.lower()


def _iso_day(value: str, name: str) -> str:
    try:
        return Date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"{name} must be a day written YYYY-MM-DD, not {value!r}") from None
