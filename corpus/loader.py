"""Load a corpus: one transcript file or every transcript under a folder."""

from __future__ import annotations

import codecs
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from corpus.formats import HTML_SUFFIXES, html_pages, read_any, source_text
from corpus.models import Document, DocumentInfo, Passage, Turn
from corpus.periods import place_in_time
from corpus.transcript import parse_passages

# Bump when parsing or figure extraction changes what a passage is: indexes built by an
# older parser are then rebuilt, because their rows would no longer line up.
PARSER_VERSION = "7"
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".markdown", *HTML_SUFFIXES)
BUNDLED_CORPUS = Path(__file__).parent / "transcripts"


# A press conference is well under 1 MB of text; a file this big is a mistake (a log, an
# archive) and would take minutes to parse and much longer to embed.
MAX_FILE_BYTES = 20_000_000


class CorpusError(ValueError):
    """The corpus cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class PassageColumns:
    """Columns of the passage table: row i describes passage i."""

    document: np.ndarray  # int32: row of the passage's document in `Corpus.documents`
    speaker: np.ndarray  # int32: index of the passage's speaker in `speakers`
    question: np.ndarray  # bool: the passage is a reporter's question
    speakers: tuple[str, ...]  # distinct speaker names, sorted

    @classmethod
    def of(cls, passages: Sequence[Passage], document_ids: list[str]) -> "PassageColumns":
        rows = {doc_id: i for i, doc_id in enumerate(document_ids)}
        speakers = tuple(sorted({p.speaker for p in passages}))
        index = {name: i for i, name in enumerate(speakers)}
        n = len(passages)
        return cls(np.fromiter((rows[p.doc_id] for p in passages), dtype=np.int32, count=n),
                   np.fromiter((index[p.speaker] for p in passages), dtype=np.int32, count=n),
                   np.fromiter((p.role == "question" for p in passages), dtype=bool, count=n),
                   speakers)


@dataclass(frozen=True)
class Corpus:
    """Parsed transcripts. The sequences are tuples when parsed now; a corpus read back from
    the index (`index.corpus_store`) holds them on disk and reads rows on demand, and answers
    the column questions below from stored arrays instead of touching every passage."""

    documents: Sequence[Document]
    turns: Sequence[tuple[Turn, ...]]  # turns[i] belong to documents[i]
    passages: Sequence[Passage]
    fingerprint: str

    def document(self, doc_id: str) -> Document:
        return self._documents_by_id[doc_id]

    def catalogue(self) -> tuple[DocumentInfo, ...]:
        """Every document's id, title, date and source, in corpus order (no texts)."""
        return tuple(DocumentInfo(d.id, d.title, d.date, d.source) for d in self.documents)

    def columns(self) -> PassageColumns:
        """Per-passage document, speaker and role as arrays, for masks over the whole corpus."""
        return self._columns

    @cached_property
    def _columns(self) -> PassageColumns:
        return PassageColumns.of(self.passages, [d.id for d in self.documents])

    @cached_property
    def _documents_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}


def transcript_files(path: str | Path) -> list[Path]:
    """The transcript files a corpus path stands for, sorted; raises CorpusError."""
    root = Path(path).expanduser()
    if not root.exists():
        raise CorpusError(f"corpus not found: {root} (give a transcript file or a folder of them)")
    if root.is_file():
        return [root]
    # Hidden files and folders are skipped: `qa add` writes its temporary files there.
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    if not files:
        raise CorpusError(f"no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) found under {root}")
    return files


def fingerprint(files: list[Path]) -> str:
    """A hash of the transcripts' names and bytes plus the parser version."""
    digest = hashlib.sha256(f"parser={PARSER_VERSION}".encode())
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        with read_errors(file):
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def load_corpus(path: str | Path = BUNDLED_CORPUS) -> Corpus:
    """Parse every transcript under `path` into documents and passages.

    Raises:
        CorpusError: the path is missing, holds no transcripts, or a file is unreadable.
    """
    files = transcript_files(path)
    documents: list[Document] = []
    turns: list[tuple[Turn, ...]] = []
    passages: list[Passage] = []
    seen_ids: set[str] = set()
    for file in _document_starts(files):
        document = _read(file)
        if document.id in seen_ids:  # same stem in two folders: keep ids unique and stable
            document = _with_id(document, f"{document.id}-{len(documents)}")
        seen_ids.add(document.id)
        doc_turns, doc_passages = parse_passages(document)
        # Figures' periods resolved against the document's date, whichever layout read them.
        doc_passages = place_in_time(doc_passages, document.date)
        if not doc_passages:
            raise CorpusError(f"{file}: no paragraphs found; is it an empty or non-transcript file?")
        documents.append(document)
        turns.append(tuple(doc_turns))
        passages.extend(doc_passages)
    return Corpus(tuple(documents), tuple(turns), tuple(passages), fingerprint(files))


def _document_starts(files: list[Path]) -> list[Path]:
    """The files that start a document: later pages of a paginated HTML transcript belong to
    the document of its first page."""
    continuations: set[Path] = set()
    for file in files:
        if file.suffix.lower() in HTML_SUFFIXES and file not in continuations:
            continuations.update(page.resolve() for page in _html_pages(file)[1:])
    return [f for f in files if f.resolve() not in continuations]


def _html_pages(file: Path) -> list[Path]:
    with read_errors(file):
        return html_pages(file)


def document_text(source: str | Path) -> str:
    """The text a document's offsets point into: the file's own text for `.txt`; for Markdown
    the file with markup blanked (same length, same offsets); for HTML the extracted
    transcript of the page and its following pages. Raises CorpusError."""
    file = Path(source)
    with read_errors(file):
        return source_text(file)


@contextmanager
def read_errors(file: Path) -> Iterator[None]:
    """Turn decoding and OS errors while reading `file` into a CorpusError naming it."""
    try:
        yield
    except UnicodeDecodeError as error:
        reason = "UTF-16, by its byte-order mark" if _starts_with_utf16_bom(file) else error.reason
        raise CorpusError(f"{file}: not UTF-8 text ({reason}); save it as UTF-8") from None
    except OSError as error:
        raise CorpusError(f"{file}: cannot read ({error.strerror})") from None


def _read(file: Path) -> Document:
    with read_errors(file):
        _check_size(file)
        document = read_any(file)
    if "\0" in document.text:  # valid UTF-8 can still be binary (an image, an archive)
        raise CorpusError(f"{file}: a binary file, not a text transcript; remove it from the corpus")
    return document


def _check_size(file: Path) -> None:
    """Refuse a file too big to be one transcript before spending minutes parsing it."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(f"{file}: {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit for one "
                          "transcript; split it into smaller files")


def _starts_with_utf16_bom(file: Path) -> bool:
    with file.open("rb") as handle:
        return handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _with_id(document: Document, doc_id: str) -> Document:
    return replace(document, id=doc_id)
