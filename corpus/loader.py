"""Load a corpus: one transcript file or every transcript under a folder."""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from corpus.formats import HTML_SUFFIXES, MAX_FILE_BYTES, html_pages, read_any, source_text
from corpus.models import Document, DocumentInfo, Passage, Turn
from corpus.periods import place_in_time
from corpus.safe_text import printable
from corpus.transcript import parse_passages

logger = logging.getLogger(__name__)

# Bump when parsing, figure extraction or tokenising changes what a passage is: indexes built by an
# older parser are then rebuilt, because their rows would no longer line up.
PARSER_VERSION = "64"
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".markdown", *HTML_SUFFIXES)
BUNDLED_CORPUS = Path(__file__).parent / "transcripts"


# MAX_FILE_BYTES (corpus.formats, 20 MB): a press conference is well under 1 MB of text; a file
# this big is a mistake (a log, an archive) and would take minutes to parse and hours to embed.
# Folder levels searched below a corpus folder; deeper folders are skipped with a note (a
# crafted tree 1,200 levels deep once ended in a RecursionError).
MAX_DEPTH = 32
_HASH_CHUNK = 1 << 20  # bytes read at a time by `content_fingerprint`


class CorpusError(ValueError):
    """The corpus cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class PassageColumns:
    """Columns of the passage table: row i describes passage i."""

    document: np.ndarray  # int32: row of the passage's document in `Corpus.documents`
    speaker: np.ndarray  # int32: index of the passage's speaker in `speakers`
    question: np.ndarray  # bool: the passage is a reporter's question
    speakers: tuple[str, ...]  # distinct speaker names, sorted
    # bool: a later paragraph of the same turn as the passage before it (None: not known)
    continues: np.ndarray | None = None

    @classmethod
    def of(cls, passages: Sequence[Passage], document_ids: list[str]) -> "PassageColumns":
        rows = {doc_id: i for i, doc_id in enumerate(document_ids)}
        speakers = tuple(sorted({p.speaker for p in passages}))
        index = {name: i for i, name in enumerate(speakers)}
        n = len(passages)
        continues = np.fromiter((i > 0 and (passages[i - 1].doc_id, passages[i - 1].turn) == (p.doc_id, p.turn)
                                 for i, p in enumerate(passages)), dtype=bool, count=n)
        return cls(np.fromiter((rows[p.doc_id] for p in passages), dtype=np.int32, count=n),
                   np.fromiter((index[p.speaker] for p in passages), dtype=np.int32, count=n),
                   np.fromiter((p.role == "question" for p in passages), dtype=bool, count=n),
                   speakers, continues)


@dataclass(frozen=True)
class Corpus:
    """Parsed transcripts. The sequences are tuples when parsed now; a corpus read back from
    the index (`index.corpus_store`) holds them on disk and reads rows on demand, and answers
    the column questions below from stored arrays instead of touching every passage."""

    documents: Sequence[Document]
    turns: Sequence[tuple[Turn, ...]]  # turns[i] belong to documents[i]
    passages: Sequence[Passage]
    fingerprint: str  # `fingerprint(files)`: names, sizes and modification times
    content_fingerprint: str | None = None  # `content_fingerprint(files)`; None when read back from an index

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


def transcript_files(path: str | Path | Sequence[str | Path]) -> list[Path]:
    """The transcript files a corpus path stands for, sorted; raises CorpusError.

    The path itself may be a symbolic link (the user chose it); inside a folder, links are not
    followed, names that are not UTF-8 and folders over MAX_DEPTH deep are skipped, each with
    a logged note naming it. A list or tuple of paths (`qa.config.CorpusRoots`: the bundled
    folder, then the user's) is one corpus: each path's files in turn, a path that does not
    exist (the user's folder before the first `qa add`) skipped."""
    if isinstance(path, (list, tuple)):
        return _files_of_roots([Path(root).expanduser() for root in path])
    root = Path(path).expanduser()
    files = _root_files(root)
    if not files:
        raise CorpusError(f"no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) found under {printable(root)}")
    return files


def _files_of_roots(roots: list[Path]) -> list[Path]:
    """The files of several corpus paths, path by path (so earlier paths' documents keep their
    ids); missing paths and a path given twice are skipped."""
    files: list[Path] = []
    seen: set[str] = set()
    for root in roots:
        if root.exists() and (real := os.path.realpath(root)) not in seen:
            seen.add(real)
            files += _root_files(root)
    if not files:
        listed = " or ".join(printable(root) for root in roots)
        raise CorpusError(f"no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) found under {listed}")
    return files


def _root_files(root: Path) -> list[Path]:
    """The transcript files of one corpus path, sorted (none for an empty folder)."""
    if not _is_utf8(str(root)):
        raise CorpusError(f"{printable(root)}: the path is not valid UTF-8; rename it")
    if not root.exists():
        raise CorpusError(f"corpus not found: {printable(root)} (give a transcript file or a folder of them)")
    if root.is_file():
        return [root]
    return sorted(_walk(root))


def _walk(root: Path) -> Iterator[Path]:
    """The transcript files under `root`, folder by folder from a stack (no recursion); the
    directory entries' types come from the listing, so no file is stat-ed here."""
    folders = [(root, 0)]
    while folders:
        folder, depth = folders.pop()
        for entry in _entries(folder, top=depth == 0):
            # Hidden files and folders are skipped: `qa add` writes its temporary files there.
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():  # it could lead out of the corpus (`ln -s /etc/passwd a.txt`)
                logger.warning("skipped %s: a symbolic link; links in a corpus folder are not followed",
                               printable(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                if not _is_utf8(entry.name):
                    logger.warning("skipped the folder %s: its name is not valid UTF-8; rename it",
                                   printable(entry.path))
                elif depth >= MAX_DEPTH:
                    logger.warning("skipped the folder %s: more than %d levels below %s", printable(entry.path),
                                   MAX_DEPTH, printable(root))
                else:
                    folders.append((Path(entry.path), depth + 1))
            elif entry.is_file(follow_symlinks=False) and Path(entry.name).suffix.lower() in TRANSCRIPT_SUFFIXES:
                if _is_utf8(entry.name):
                    yield Path(entry.path)
                else:
                    logger.warning("skipped %s: its name is not valid UTF-8; rename it", printable(entry.path))


def _entries(folder: Path, *, top: bool) -> list[os.DirEntry]:
    """The entries of `folder`; an unreadable sub-folder is skipped with a note."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError as error:
        if top:
            raise CorpusError(f"{printable(folder)}: cannot read ({error.strerror})") from None
        logger.warning("skipped the folder %s: cannot read it (%s)", printable(folder), error.strerror)
        return []


def _is_utf8(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (decoded as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def fingerprint(files: list[Path]) -> str:
    """A hash of the transcripts' names (paths relative to their common folder), sizes and
    modification times plus the parser version: one `stat` per file, no byte read, so a start
    on unchanged transcripts is quick. A file over MAX_FILE_BYTES is refused here, by name.
    Content changed with size and time kept is caught by `content_fingerprint` (`qa index --verify`)."""
    digest = hashlib.sha256(f"parser={PARSER_VERSION}".encode())
    for file, name in _named(files):
        size, mtime = _checked_stat(file)
        digest.update(f"{name}\0{size}\0{mtime}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def content_fingerprint(files: list[Path]) -> str:
    """A hash of the transcripts' names and bytes plus the parser version. Every file's size is
    checked before any byte is read, and files are read in chunks (memory stays flat)."""
    named = _named(files)
    for file, _ in named:
        _checked_stat(file)
    digest = hashlib.sha256(f"parser={PARSER_VERSION}".encode())
    for file, name in named:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_file_digest(file))
    return digest.hexdigest()


def _named(files: list[Path]) -> list[tuple[Path, str]]:
    """Each file with its path relative to the files' common folder ("a/b.txt"), so that moving
    a file to another sub-folder changes the fingerprint but moving the whole corpus does not."""
    if not files:
        return []
    common = Path(os.path.commonpath([os.path.abspath(file.parent) for file in files]))
    return [(file, Path(os.path.abspath(file)).relative_to(common).as_posix()) for file in files]


def _checked_stat(file: Path) -> tuple[int, int]:
    """The file's size and modification time (ns); raises CorpusError when it is over the limit."""
    with read_errors(file):
        stat = file.stat()
    _check_size(file, stat.st_size)
    return stat.st_size, stat.st_mtime_ns


def _file_digest(file: Path) -> bytes:
    digest = hashlib.sha256()
    with read_errors(file), file.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.digest()


def load_corpus(path: str | Path = BUNDLED_CORPUS) -> Corpus:
    """Parse every transcript under `path` into documents and passages.

    Raises:
        CorpusError: the path is missing, holds no transcripts, or a file is unreadable.
    """
    files = transcript_files(path)
    # Sizes are checked (fingerprint) before any byte is read; both hashes are taken before
    # parsing, so a file changed meanwhile leaves an index that looks stale, never current.
    cheap, content = fingerprint(files), content_fingerprint(files)
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
            raise CorpusError(f"{printable(file)}: no paragraphs found; is it an empty or non-transcript file?")
        documents.append(document)
        turns.append(tuple(doc_turns))
        passages.extend(doc_passages)
    return Corpus(tuple(documents), tuple(turns), tuple(passages), cheap, content)


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
        raise CorpusError(f"{printable(file)}: not UTF-8 text ({reason}); save it as UTF-8") from None
    except OSError as error:
        raise CorpusError(f"{printable(file)}: cannot read ({error.strerror})") from None


def _read(file: Path) -> Document:
    with read_errors(file):
        _check_size(file, file.stat().st_size)  # again: it may have grown since it was listed
        document = read_any(file)
    if "\0" in document.text:  # valid UTF-8 can still be binary (an image, an archive)
        raise CorpusError(f"{printable(file)}: a binary file, not a text transcript; remove it from the corpus")
    return document


def _check_size(file: Path, size: int) -> None:
    """Refuse a file too big to be one transcript before spending minutes reading and parsing it."""
    if size > MAX_FILE_BYTES:
        raise CorpusError(f"{printable(file)}: {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit "
                          "for one transcript; split it into smaller files")


def _starts_with_utf16_bom(file: Path) -> bool:
    with file.open("rb") as handle:
        return handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _with_id(document: Document, doc_id: str) -> Document:
    return replace(document, id=doc_id)
