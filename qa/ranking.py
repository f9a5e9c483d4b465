"""Ranking helpers that cost O(n), not O(n log n), per question on large archives."""

from __future__ import annotations

import numpy as np


def top_rows(values: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k largest values above -inf, best first, ties by ascending index.

    Exactly `order[values[order] > -inf][:k]` for `order = np.argsort(-values, kind="stable")`,
    but found with `np.argpartition`: only the k winners are sorted. Rows at -inf (left out by
    a filter, or not scored) are never returned; nor are NaNs.
    """
    values = np.asarray(values)
    if k <= 0 or values.size == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.flatnonzero(values > -np.inf)  # ascending: ties below stay in index order
    if len(rows) > k:
        negated = -values[rows]
        threshold = negated[np.argpartition(negated, k - 1)[k - 1]]  # the k-th best value
        better = negated < threshold
        # Of the rows tied at the k-th value, the lowest indexes come first in a stable sort.
        tied = np.flatnonzero(negated == threshold)[: k - int(better.sum())]
        rows = rows[np.sort(np.concatenate([np.flatnonzero(better), tied]))]
    return rows[np.argsort(-values[rows], kind="stable")]


def row_ranges(first: np.ndarray, passages: np.ndarray) -> np.ndarray:
    """The sentence (or figure) rows of some passages: `first[i]:first[i + 1]` for each i,
    concatenated in the order given, without a Python loop."""
    passages = np.asarray(passages, dtype=np.int64)
    starts = np.asarray(first)[passages]
    lengths = np.asarray(first)[passages + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    # Each row is its range's start plus its position within the range.
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths).astype(np.int64) + np.arange(total) - offsets
