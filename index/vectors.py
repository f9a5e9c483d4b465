"""Inner-product search over normalised vectors. The only module that imports faiss.

Small corpora get an exact index (`IndexFlatIP`). Beyond `EXACT_MAX` vectors an exact scan
costs more than encoding the question (see the scale table in the README), so the index is an
inverted file (`IndexIVFFlat`): k-means cells, and a query scans only the `nprobe` nearest
cells. `nprobe` is calibrated at build time on a sample of the vectors themselves, as the
smallest value whose recall@10 against exact search reaches `TARGET_RECALL`.
"""

from __future__ import annotations

import logging
import mmap
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

# At 100k vectors an exact scan costs about as much CPU as encoding the question (~8 ms, see
# `qa bench --scale`); up to half that the exact index is kept, beyond it the IVF one.
EXACT_MAX = 50_000
TARGET_RECALL = 0.97  # calibration target, with a margin over the 0.95 promised for real questions
_TRAIN_PER_CELL = 40  # faiss warns below 39 training points per centroid
_CALIBRATION_QUERIES = 200
# Vectors added to the IVF index per call: each slice's file pages and its cell assignments are
# held until the next (25,000 x 384 floats: 37 MB).
_ADD_SLICE = 25_000
_NPROBES = (4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256)


class VectorIndex:
    """A FAISS inner-product index; with normalised vectors the scores are cosines."""

    def __init__(self, index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, *, exact: bool | None = None, seed: int = 0) -> "VectorIndex":
        """Index `vectors` (row i gets id i): exact up to `EXACT_MAX` rows, IVF beyond unless `exact`."""
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if exact is None:
            exact = len(vectors) <= EXACT_MAX
        if exact:
            index = faiss.IndexFlatIP(vectors.shape[1])
            if len(vectors):
                index.add(vectors)
            return cls(index)
        return cls(_build_ivf(vectors, seed))

    @classmethod
    def load(cls, path: Path, *, mmap: bool = False) -> "VectorIndex":
        """Read an index file; the caller verifies its checksum first (a corrupt file can crash faiss).

        With `mmap` the vectors stay in the page cache instead of being copied into memory."""
        import faiss

        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        return cls(faiss.read_index(str(path), flags))

    @classmethod
    def from_bytes(cls, data: bytes | np.ndarray) -> "VectorIndex":
        """An index from its serialised bytes (read once, already checksummed by the caller)."""
        import faiss

        return cls(faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8)))

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def kind(self) -> str:
        """"exact", or "ivf<cells>,nprobe=<n>" for the approximate index."""
        nprobe = getattr(self._index, "nprobe", None)
        return "exact" if nprobe is None else f"ivf{self._index.nlist},nprobe={nprobe}"

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (row, score) pairs; FAISS pads missing results with id -1, dropped here."""
        ids, scores = self.search_batch(query.reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) arrays of shape (len(queries), k'), k' = min(k, len(self)); ids -1 pad."""
        k = min(k, len(self))
        if k <= 0:
            return np.zeros((len(queries), 0), dtype=np.int64), np.zeros((len(queries), 0), dtype=np.float32)
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return ids, scores


def set_threads(n: int) -> None:
    """Threads FAISS may use; one is best for single questions on a shared machine."""
    import faiss

    faiss.omp_set_num_threads(n)


def _build_ivf(vectors: np.ndarray, seed: int):
    import faiss

    n, dim = vectors.shape
    cells = min(_cells_for(n), max(1, n // _TRAIN_PER_CELL))
    rng = np.random.default_rng(seed)
    train = _gather(vectors, np.sort(rng.choice(n, size=min(n, cells * _TRAIN_PER_CELL), replace=False)))
    logger.info("training an IVF index: %d cells on %d of %d vectors", cells, len(train), n)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, cells, faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = seed
    index.cp.niter = 10  # k-means converges enough for search; 25 (the default) costs minutes at 1M
    index.train(train)
    for start in range(0, n, _ADD_SLICE):  # add in slices: no second full copy of the vectors
        index.add(vectors[start : start + _ADD_SLICE])
        drop_pages(vectors)
    index.nprobe = _calibrate_nprobe(index, vectors, rng)
    return index


def _gather(vectors: np.ndarray, rows: np.ndarray, slice_rows: int = 100_000) -> np.ndarray:
    """vectors[rows], read one slice of the file at a time: a random sample touches nearly every
    page of a memory-mapped file, and each slice's pages are handed back before the next."""
    out = np.empty((len(rows), vectors.shape[1]), dtype=np.float32)
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    for start in range(0, len(vectors), slice_rows):
        lo, hi = np.searchsorted(sorted_rows, [start, start + slice_rows])
        out[order[lo:hi]] = vectors[sorted_rows[lo:hi]]
        drop_pages(vectors)
    return out


def _cells_for(n: int) -> int:
    """About 2 * sqrt(n) cells, a power of two: cheap to train on 2 cores, short cell scans."""
    return int(2 ** round(np.log2(max(16.0, 2 * np.sqrt(n)))))


def _calibrate_nprobe(index, vectors: np.ndarray, rng: np.random.Generator, k: int = 10) -> int:
    """The smallest nprobe whose recall@k against exact search reaches TARGET_RECALL.

    The calibration queries are stored vectors plus noise, so that they sit between cells as
    real questions do, not on a stored point. No question of any evaluation set is used."""
    sample = _gather(vectors, rng.choice(len(vectors), size=min(_CALIBRATION_QUERIES, len(vectors)), replace=False))
    # Noise of norm ~1: a cosine of ~0.7 to the stored vector, about what a question gets.
    queries = sample + rng.normal(0, 1 / np.sqrt(sample.shape[1]), sample.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    truth = exact_top_k(vectors, queries, k)
    for nprobe in _NPROBES:
        if nprobe > index.nlist:
            break
        index.nprobe = nprobe
        _, ids = index.search(queries, k)
        if recall_at_k(ids, truth) >= TARGET_RECALL:
            return nprobe
    return min(_NPROBES[-1], index.nlist)


def exact_top_k(vectors: np.ndarray, queries: np.ndarray, k: int, chunk: int = 20_000) -> np.ndarray:
    """Row ids of the exact k best inner products, by brute force in slices (bounded memory:
    a slice's scores and their argpartition are queries x chunk floats and ints)."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), chunk):
        scores = queries @ np.asarray(vectors[start : start + chunk], dtype=np.float32).T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.hstack([best_scores, np.take_along_axis(scores, top, axis=1)])
        best_ids = np.hstack([best_ids, top + start])
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_ids = np.take_along_axis(best_ids, keep, axis=1)
        drop_pages(vectors)
    return best_ids


def drop_pages(array: np.ndarray) -> None:
    """Let the kernel drop the pages of a memory-mapped array read so far. A build reads a
    million vectors (1.5 GB) once from their file: without this every page read stays in the
    process's resident memory until the map is closed, on top of the index being built."""
    base = array
    while base is not None and not isinstance(getattr(base, "_mmap", None), mmap.mmap):
        base = getattr(base, "base", None)
    if base is not None and hasattr(mmap, "MADV_DONTNEED"):
        try:
            base._mmap.madvise(mmap.MADV_DONTNEED)
        except (OSError, ValueError):  # a closed map, or a platform without madvise: nothing to drop
            pass


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each query's exact top-k that the approximate search also returned."""
    k = truth.shape[1]
    if k == 0:
        return 1.0
    return float(np.mean([len(set(f[f >= 0]) & set(t)) / k for f, t in zip(found, truth)]))
