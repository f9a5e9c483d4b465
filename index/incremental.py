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
                  encode: Callable[[list[str]], np.ndarray], *, reuse: bool = True) -> tuple[Vectors, BuildStats]:
    """Passage, sentence and figure vectors of the whole corpus, in corpus order, embedding only
    the documents the previous version of the index does not hold unchanged."""
    previous = previous_vectors(index_dir, dim, model) if reuse else {}
    groups = _by_document(corpus)
    entries = document_entries(corpus, describe)
    missing = [(entry, groups[entry["id"]]) for entry in entries if entry["fingerprint"] not in previous]
    texts: list[str] = []
    for _, passages in missing:
        texts += _texts(passages, describe)
    encoded = encode(texts) if texts else np.zeros((0, dim), dtype=np.float32)
    fresh: dict[str, Vectors] = {}
    position = 0
    for entry, _ in missing:
        rows = [entry["passages"], entry["sentences"], entry["figures"]]
        parts = []
        for count in rows:
            parts.append(encoded[position : position + count])
            position += count
        fresh[entry["fingerprint"]] = (parts[0], parts[1], parts[2])
    chosen = [previous.get(e["fingerprint"]) or fresh[e["fingerprint"]] for e in entries]
    stats = BuildStats(embedded=len(missing), reused=len(entries) - len(missing), texts=len(texts))
    logger.info("embedded %d document(s) (%d texts), reused %d", stats.embedded, stats.texts, stats.reused)
    return tuple(_stack([c[i] for c in chosen], dim) for i in range(3)), stats  # type: ignore[return-value]


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
        arrays = [np.load(folder / name, allow_pickle=False) for name in (PASSAGE_VECTORS, "sentences.npy",
                                                                         "figures.npy")]
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


def _stack(parts: list[np.ndarray], dim: int) -> np.ndarray:
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros((0, dim), dtype=np.float32)
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)
