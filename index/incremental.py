"""Incremental builds: embed only the documents that are new or changed.

Every build records, per document, a fingerprint of what was embedded (passage texts,
sentences, figure descriptions, offsets) and how many rows of each kind it has; the vectors
stay in corpus order. The next build slices the previous version's vectors by those counts
and reuses a document's rows when its fingerprint is unchanged. The FAISS index and BM25 are
then rebuilt from the assembled rows, which costs no embedding: a removed document's vectors
and BM25 entries are simply not carried over.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import Corpus, Passage
from index.store import checksums_match, current_version, read_manifest

logger = logging.getLogger(__name__)

PASSAGE_VECTORS = "passage_vectors.npy"  # the FAISS index's rows, kept readable for reuse
VECTOR_FILES = (PASSAGE_VECTORS, "sentences.npy", "figures.npy")  # row order: corpus order
_ENCODE_BATCH = 4096  # texts embedded per call, at least: bounds the fresh vectors held in memory

Vectors = tuple[np.ndarray, np.ndarray, np.ndarray]  # passage, sentence, figure rows of one document


@dataclass(frozen=True)
class BuildStats:
    embedded: int  # documents embedded in this build
    reused: int  # documents whose vectors came from the previous version
    texts: int  # texts sent to the model


def document_entries(corpus: Corpus, describe: Callable) -> list[dict]:
    """The manifest's per-document record: id, fingerprint and row counts, in corpus order."""
    return [
        {"id": doc_id, "fingerprint": _fingerprint(passages, describe), "passages": len(passages),
         "sentences": sum(len(p.sentences) for p in passages),
         "figures": sum(len(p.statistics) for p in passages)}
        for doc_id, passages in _by_document(corpus).items()
    ]


def encode_corpus(corpus: Corpus, index_dir: Path, dim: int, model: str, describe: Callable,
                  encode: Callable[[list[str]], np.ndarray], out: Path, *, reuse: bool = True,
                  announce: Callable[[int], None] = lambda texts: None) -> BuildStats:
    """Write the passage, sentence and figure vectors of the whole corpus, in corpus order, to
    `VECTOR_FILES` in `out`, embedding only the documents the previous version of the index
    does not hold unchanged. Vectors go to disk document by document: a large archive's
    vectors are never all in memory. `announce` is told how many texts will be embedded."""
    previous = previous_vectors(index_dir, dim, model) if reuse else {}
    groups = _by_document(corpus)
    entries = document_entries(corpus, describe)
    missing = [entry for entry in entries if entry["fingerprint"] not in previous]
    announce(sum(entry["passages"] + entry["sentences"] + entry["figures"] for entry in missing))
    totals = [sum(entry[kind] for entry in entries) for kind in ("passages", "sentences", "figures")]
    writers = [_NpyWriter(out / name, rows, dim) for name, rows in zip(VECTOR_FILES, totals)]
    pending: list[dict] = []  # consecutive documents to embed, written once encoded
    texts = 0
    try:
        for entry in entries:
            if entry["fingerprint"] in previous:
                _write_encoded(pending, groups, describe, encode, writers, dim)
                pending, texts = [], 0
                for writer, part in zip(writers, previous[entry["fingerprint"]]):
                    writer.write(part)
                continue
            pending.append(entry)
            texts += entry["passages"] + entry["sentences"] + entry["figures"]
            if texts >= _ENCODE_BATCH:
                _write_encoded(pending, groups, describe, encode, writers, dim)
                pending, texts = [], 0
        _write_encoded(pending, groups, describe, encode, writers, dim)
    finally:
        for writer in writers:
            writer.close()
    for writer in writers:
        writer.check()
    stats = BuildStats(embedded=len(missing), reused=len(entries) - len(missing),
                       texts=sum(e["passages"] + e["sentences"] + e["figures"] for e in missing))
    logger.info("embedded %d document(s) (%d texts), reused %d", stats.embedded, stats.texts, stats.reused)
    return stats


def _write_encoded(pending: list[dict], groups: dict[str, list[Passage]], describe: Callable,
                   encode: Callable[[list[str]], np.ndarray], writers: list["_NpyWriter"], dim: int) -> None:
    """Embed the pending documents in one call and append their rows, document by document."""
    if not pending:
        return
    texts: list[str] = []
    for entry in pending:
        texts += _texts(groups[entry["id"]], describe)
    encoded = np.asarray(encode(texts), dtype=np.float32).reshape(len(texts), dim)
    position = 0
    for entry in pending:
        for writer, count in zip(writers, (entry["passages"], entry["sentences"], entry["figures"])):
            writer.write(encoded[position : position + count])
            position += count


class _NpyWriter:
    """Appends float32 rows to a .npy file whose final shape is written up front."""

    def __init__(self, path: Path, rows: int, dim: int) -> None:
        self._handle = path.open("wb")
        self._rows, self._written, self._dim = rows, 0, dim
        np.lib.format.write_array_header_1_0(
            self._handle, {"descr": "<f4", "fortran_order": False, "shape": (rows, dim)})

    def write(self, rows: np.ndarray) -> None:
        if len(rows):
            self._handle.write(np.ascontiguousarray(rows, dtype="<f4").reshape(-1, self._dim).tobytes())
            self._written += len(rows)

    def close(self) -> None:
        self._handle.close()

    def check(self) -> None:
        if self._written != self._rows:  # a bug, never a user error: do not publish such a file
            raise RuntimeError(f"{self._handle.name}: wrote {self._written} rows, expected {self._rows}")


def previous_vectors(index_dir: Path, dim: int, model: str) -> dict[str, Vectors]:
    """The live version's vectors by document fingerprint; empty when there is nothing sound
    to reuse (no index, another model or dimension, an older format, damaged files)."""
    folder = current_version(index_dir)
    manifest = read_manifest(folder) if folder else None
    if folder is None or manifest is None or manifest.get("model") != model or manifest.get("dim") != dim:
        return {}
    entries = manifest.get("documents")
    if not isinstance(entries, list) or not (folder / PASSAGE_VECTORS).is_file():
        return {}
    if not checksums_match(folder, manifest):
        return {}
    try:
        # Memory-mapped: only the reused rows are read, while they are copied into the new files.
        arrays = [np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in VECTOR_FILES]
        found: dict[str, Vectors] = {}
        starts = [0, 0, 0]
        for entry in entries:
            counts = [int(entry["passages"]), int(entry["sentences"]), int(entry["figures"])]
            parts = [array[start : start + count] for array, start, count in zip(arrays, starts, counts)]
            if any(len(part) != count or part.shape[1:] != (dim,) for part, count in zip(parts, counts)):
                return {}
            found[str(entry["fingerprint"])] = (parts[0], parts[1], parts[2])
            starts = [s + c for s, c in zip(starts, counts)]
    except Exception as error:  # a damaged .npy header raises even tokenize.TokenError
        logger.warning("cannot reuse the vectors in %s (%s); embedding everything", folder, error)
        return {}
    return found


def _by_document(corpus: Corpus) -> dict[str, list[Passage]]:
    groups: dict[str, list[Passage]] = {d.id: [] for d in corpus.documents}
    for passage in corpus.passages:
        groups[passage.doc_id].append(passage)
    return groups


def _texts(passages: list[Passage], describe: Callable) -> list[str]:
    """A document's texts in row order: passages, then sentences, then figure descriptions."""
    return ([p.text for p in passages] + [s.text for p in passages for s in p.sentences]
            + [describe(f) for p in passages for f in p.statistics])


def _fingerprint(passages: list[Passage], describe: Callable) -> str:
    """Changes whenever anything embedded for the document, or an offset, changes."""
    digest = hashlib.sha256()
    for p in passages:
        digest.update(json.dumps([p.id, p.start, p.end, _texts([p], describe)]).encode("utf-8"))
    return digest.hexdigest()
