"""The parsed corpus, saved beside the vectors so that a start with unchanged transcripts
does not parse them again and does not hold every passage in memory.

    corpus.sqlite        documents (with turns) and passages, one JSON row each
    passage_columns.npz  per passage: document row, speaker, question flag, same-turn flag, sentence and figure counts
    terms.json           in how many passages each token occurs (the answerer's term weights)

`load_corpus_store` returns a `Corpus` whose sequences read rows from SQLite on demand (the
recently used ones are cached), and whose columns come from the saved arrays: opening an
archive of a million passages costs the arrays, not a million Python objects.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from corpus import Corpus, Document, Figure, Passage, Sentence, Turn
from corpus.loader import PassageColumns
from corpus.models import DocumentInfo
from index.tokens import tokenize

DATABASE = "corpus.sqlite"
COLUMNS = "passage_columns.npz"
TERMS = "terms.json"
_FIGURE_FIELDS = tuple(f.name for f in fields(Figure))
_CACHED_ROWS = 4096  # passages and documents decoded recently; a question touches a few dozen
_BATCH = 2048  # rows per query when iterating a whole table

T = TypeVar("T")


def save_corpus_store(corpus: Corpus, folder: Path) -> None:
    """Write the corpus's documents, passages, columns and term counts into `folder`."""
    database = sqlite3.connect(folder / DATABASE)
    try:
        database.execute("CREATE TABLE documents (row INTEGER PRIMARY KEY, id TEXT UNIQUE, title TEXT, "
                         "date TEXT, source TEXT, text TEXT, speakers TEXT, chair TEXT, turns TEXT)")
        database.execute("CREATE TABLE passages (row INTEGER PRIMARY KEY, data TEXT)")
        database.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            (row, d.id, d.title, d.date, d.source, d.text, json.dumps(list(d.speakers)), d.chair,
             json.dumps([_turn_row(t) for t in turns]))
            for row, (d, turns) in enumerate(zip(corpus.documents, corpus.turns))))
        database.executemany("INSERT INTO passages VALUES (?, ?)", (
            (row, json.dumps(_passage_row(p), ensure_ascii=False)) for row, p in enumerate(corpus.passages)))
        database.commit()
    finally:
        database.close()
    columns = corpus.columns()
    np.savez(folder / COLUMNS, documents=len(corpus.documents), document=columns.document,
             speaker=columns.speaker, question=columns.question, continues=columns.continues,
             speakers=np.array(columns.speakers, dtype=str),
             sentences=np.fromiter((len(p.sentences) for p in corpus.passages), np.int32, len(corpus.passages)),
             figures=np.fromiter((len(p.statistics) for p in corpus.passages), np.int32, len(corpus.passages)))
    counts = Counter(token for p in corpus.passages for token in set(tokenize(p.text)))
    (folder / TERMS).write_text(json.dumps({"passages": len(corpus.passages), "counts": counts}), encoding="utf-8")


def load_term_counts(folder: Path) -> tuple[dict[str, int], int]:
    """How many passages hold each token, and how many passages there are."""
    saved = json.loads((folder / TERMS).read_text(encoding="utf-8"))
    return saved["counts"], saved["passages"]


def load_row_counts(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """Each passage's number of sentences and of statistics (the rows of its vectors)."""
    with np.load(folder / COLUMNS, allow_pickle=False) as saved:
        return saved["sentences"], saved["figures"]


def load_corpus_store(folder: Path, fingerprint: str) -> Corpus:
    """The corpus saved in `folder`, read lazily; the caller has verified the folder's checksums."""
    database = _Database(folder / DATABASE)
    with np.load(folder / COLUMNS, allow_pickle=False) as saved:
        columns = PassageColumns(saved["document"], saved["speaker"], saved["question"],
                                 tuple(str(name) for name in saved["speakers"]), saved["continues"])
        n_documents = int(saved["documents"])
    # Lengths from the arrays: SQLite's COUNT(*) would read every page of the table.
    n_passages = len(columns.document)
    documents = _Table(database, "documents", n_documents, _document,
                       "row, id, title, date, source, text, speakers, chair")
    turns = _Table(database, "documents", n_documents, _turns, "row, turns")
    passages = _Table(database, "passages", n_passages, _passage, "row, data")
    if n_passages:
        passages[n_passages - 1]  # a damaged database header fails here, at load, not in an answer
    return StoredCorpus(documents, turns, passages, fingerprint, database=database, stored_columns=columns)


class StoredCorpus(Corpus):
    """A corpus read from `corpus.sqlite`: documents looked up by id, columns from arrays."""

    def __init__(self, documents, turns, passages, fingerprint: str, *, database: "_Database",
                 stored_columns: PassageColumns) -> None:
        super().__init__(documents, turns, passages, fingerprint)
        object.__setattr__(self, "_database", database)
        object.__setattr__(self, "_stored_columns", stored_columns)

    def document(self, doc_id: str) -> Document:
        return self.documents[self._rows_by_id[doc_id]]  # KeyError for an unknown id, as Corpus

    @cached_property
    def _rows_by_id(self) -> dict[str, int]:
        return {info.id: row for row, info in enumerate(self.catalogue())}

    def catalogue(self) -> tuple[DocumentInfo, ...]:
        return self._catalogue

    @cached_property
    def _catalogue(self) -> tuple[DocumentInfo, ...]:
        rows = self._database.all("SELECT id, title, date, source FROM documents ORDER BY row")
        return tuple(DocumentInfo(*row) for row in rows)

    def columns(self) -> PassageColumns:
        return self._stored_columns


class _Database:
    """One read-only SQLite connection shared by the engine's threads, used under a lock."""

    def __init__(self, path: Path) -> None:
        # immutable: the file never changes once published, so SQLite takes no locks and
        # keeps reading it even after a newer build deleted its folder.
        self._connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True,
                                           check_same_thread=False)
        self._lock = threading.Lock()
        self._path = path

    def one(self, sql: str, parameters: tuple = ()) -> tuple | None:
        with self._lock, self._damage_reported():
            return self._connection.execute(sql, parameters).fetchone()

    def all(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with self._lock, self._damage_reported():
            return self._connection.execute(sql, parameters).fetchall()

    @contextmanager
    def _damage_reported(self) -> Iterator[None]:
        # Damage that kept the file's size and time is not caught at load (see SECURITY.md):
        # say what to do instead of raising SQLite's own error from deep inside an answer.
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise OSError(f"the saved corpus {self._path} is damaged ({error}); "
                          "rebuild the index with `qa index --rebuild`") from None


class _Table(Sequence[T]):
    """A table's rows as a read-only sequence; `decode` turns a fetched row into a value."""

    def __init__(self, database: _Database, table: str, length: int, decode: Callable[[tuple], T],
                 select: str) -> None:
        self._database, self._decode, self._length = database, decode, length
        self._select = f"SELECT {select} FROM {table}"
        self._row = lru_cache(maxsize=_CACHED_ROWS)(self._fetch)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(self._length))]
        index = int(index)
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._row(index)

    def __iter__(self) -> Iterator[T]:
        for start in range(0, self._length, _BATCH):
            rows = self._database.all(f"{self._select} WHERE row >= ? AND row < ? ORDER BY row",
                                      (start, start + _BATCH))
            yield from (self._decode(row) for row in rows)

    def _fetch(self, index: int) -> T:
        return self._decode(self._database.one(f"{self._select} WHERE row = ?", (index,)))


def _turn_row(turn: Turn) -> list:
    return [turn.speaker, turn.role, turn.start, turn.end, turn.asked_by]


def _passage_row(p: Passage) -> list:
    return [p.id, p.doc_id, p.speaker, p.role, p.turn, p.paragraph_no, p.text, p.start, p.end,
            p.question_context, [[s.start, s.end, s.text] for s in p.sentences],
            [[getattr(f, name) for name in _FIGURE_FIELDS] for f in p.figures], p.asked_by]


def _document(row: tuple) -> Document:
    *head, speakers, chair = row[1:]
    return Document(*head, speakers=tuple(json.loads(speakers)), chair=chair)


def _turns(row: tuple) -> tuple[Turn, ...]:
    return tuple(Turn(*turn) for turn in json.loads(row[1]))


def _passage(row: tuple) -> Passage:
    *head, sentences, figures, asked_by = json.loads(row[1])
    return Passage(*head, sentences=tuple(Sentence(*s) for s in sentences),
                   figures=tuple(Figure(*f) for f in figures), asked_by=asked_by)
