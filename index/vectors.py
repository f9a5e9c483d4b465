"""Exact inner-product search over normalised vectors. The only module that imports faiss."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class VectorIndex:
    """A FAISS inner-product index; with normalised vectors the scores are cosines."""

    def __init__(self, index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> "VectorIndex":
        import faiss

        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        """Read an index file; the caller verifies its checksum first (a corrupt file can crash faiss)."""
        import faiss

        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (row, score) pairs; FAISS pads missing results with id -1, dropped here."""
        k = min(k, len(self))
        if k <= 0:
            return []
        scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
