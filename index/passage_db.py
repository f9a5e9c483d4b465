"""Passage metadata of a large archive in SQLite: opened in milliseconds, read row by row.

A corpus of a million passages should not be parsed into Python objects on every start; the
rows a query returns are fetched by row number instead. Standard library only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE passages (
    row INTEGER PRIMARY KEY,   -- the row of the passage's vector and BM25 document
    id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    speaker TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class PassageRow:
    row: int
    id: str
    doc_id: str
    speaker: str
    start: int
    end: int
    text: str


class PassageTable:
    """Read-only access to the passage rows saved by `write`."""

    def __init__(self, path: Path) -> None:
        # Read-only URI: opening never creates or locks the file for writing.
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    @staticmethod
    def write(path: Path, rows: Iterable[PassageRow], batch: int = 50_000) -> int:
        """Create the table at `path` from rows in row order; returns how many were written."""
        db = sqlite3.connect(path)
        try:
            db.execute("PRAGMA journal_mode=OFF")  # a fresh file in a temporary build folder
            db.execute("PRAGMA synchronous=OFF")
            db.execute(_SCHEMA)
            count, pending = 0, []
            for row in rows:
                pending.append((row.row, row.id, row.doc_id, row.speaker, row.start, row.end, row.text))
                if len(pending) >= batch:
                    db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)", pending)
                    count, pending = count + len(pending), []
            db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)", pending)
            db.commit()
            return count + len(pending)
        finally:
            db.close()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def get(self, rows: Iterable[int]) -> list[PassageRow]:
        """The passages at these rows, in the order asked (missing rows are skipped)."""
        wanted = [int(r) for r in rows]
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        found = {r[0]: PassageRow(*r) for r in self._db.execute(
            f'SELECT row, id, doc_id, speaker, start, "end", text FROM passages WHERE row IN ({marks})', wanted)}
        return [found[r] for r in wanted if r in found]

    def close(self) -> None:
        self._db.close()
