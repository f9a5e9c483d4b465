"""BM25 over passages with the project's tokeniser. The only module that imports bm25s."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from index.tokens import tokenize

logger = logging.getLogger(__name__)
# An empty token list would make bm25s drop the row; this token keeps rows aligned with passages.
_EMPTY = ("\0",)


def _bm25s():
    """bm25s, imported on first use. Its import sets its own logger to DEBUG ("Building index
    from tokens" on every build), so the level is set after it, on every call."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class LexicalIndex:
    """BM25 scores for every passage; numbers and one-character tokens count."""

    def __init__(self, retriever) -> None:
        self._retriever = retriever

    @classmethod
    def build(cls, texts: Iterable[str]) -> "LexicalIndex":
        """BM25 over `texts`, read one at a time: each is kept only as an array of token ids (a
        million passages' tokens as Python strings took about 3.5 GB while building)."""
        vocab: dict[str, int] = {}
        ids = [np.fromiter((vocab.setdefault(token, len(vocab)) for token in tokenize(text) or _EMPTY),
                           dtype=np.int32) for text in texts]
        return cls.build_token_ids(ids, vocab)

    @classmethod
    def build_token_ids(cls, ids: Sequence[Sequence[int]], vocab: dict[str, int]) -> "LexicalIndex":
        """Index passages given as token ids (`vocab` maps each token to its id): for large
        archives, a million passages' tokens as Python strings would take gigabytes."""
        retriever = _bm25s().BM25()
        retriever.index((ids, vocab), show_progress=False)
        return cls(retriever)

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = False) -> "LexicalIndex":
        """Read a saved index; with `mmap` the postings stay on disk (large archives)."""
        return cls(_bm25s().BM25.load(str(folder), mmap=mmap, show_progress=False))

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for a tokenised question (zeros when no token matches)."""
        if not tokens:
            return np.zeros(self._retriever.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)

    def top(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the k best-scoring passages, best first; only rows scoring above 0."""
        scores = self.scores(tokens)
        k = min(k, len(scores))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = np.argpartition(-scores, k - 1)[:k]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        rows = rows[scores[rows] > 0]
        return rows, scores[rows]
