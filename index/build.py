"""Build, save and load the search index for a corpus; rebuild it when it is stale."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import Corpus, Figure, Passage
from index.corpus_store import (
    COLUMNS,
    DATABASE,
    TERMS,
    load_corpus_store,
    load_row_counts,
    load_term_counts,
    save_corpus_store,
)
from index.embedder import Embedder
from index.incremental import PASSAGE_VECTORS, document_entries, encode_corpus
from index.lexical import LexicalIndex
from index.progress import progress_bar
from index.store import (
    build_lock,
    checksums_match,
    current_version,
    new_temp_folder,
    publish,
    read_manifest,
)
from index.vectors import VectorIndex

logger = logging.getLogger(__name__)

_ENCODE_CHUNK = 256  # texts per progress-bar step
_LOAD_ATTEMPTS = 5  # reads of CURRENT before giving up on a version that keeps being replaced


@dataclass(frozen=True)
class Rows:
    """Which passage each sentence and figure vector belongs to (row order is corpus order)."""

    sentence_passage: np.ndarray  # int32, one per sentence row
    figure_passage: np.ndarray  # int32, one per figure row
    first_sentence: np.ndarray  # passage i's sentences are rows first_sentence[i]:[i+1]
    first_figure: np.ndarray  # passage i's statistics are rows first_figure[i]:[i+1]

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> "Rows":
        n = len(passages)
        return cls.from_counts(np.fromiter((len(p.sentences) for p in passages), np.int32, n),
                               np.fromiter((len(p.statistics) for p in passages), np.int32, n))

    @classmethod
    def from_counts(cls, sentences: np.ndarray, figures: np.ndarray) -> "Rows":
        """The rows of passages holding `sentences[i]` sentences and `figures[i]` statistics."""
        passages = np.arange(len(sentences), dtype=np.int32)
        return cls(np.repeat(passages, sentences), np.repeat(passages, figures),
                   np.concatenate([[0], np.cumsum(sentences, dtype=np.int64)]),
                   np.concatenate([[0], np.cumsum(figures, dtype=np.int64)]))


@dataclass(frozen=True)
class SearchIndex:
    """Everything retrieval needs, aligned row for row with `corpus.passages`."""

    corpus: Corpus
    rows: Rows
    passage_index: VectorIndex
    sentence_vectors: np.ndarray  # memory-mapped: pages are read as rows are scored
    figure_vectors: np.ndarray  # memory-mapped
    passage_vectors: np.ndarray  # memory-mapped; the rows of `passage_index`
    lexical: LexicalIndex
    model: str
    folder: Path
    term_counts: tuple[dict[str, int], int]  # passages holding each token; number of passages


def figure_description(figure: Figure) -> str:
    """The text embedded for a figure: what it measures, in the transcript's words."""
    if figure.kind == "count" and figure.unit and figure.unit not in figure.subject:
        return f"{figure.subject} {figure.unit}".strip()
    return figure.subject or figure.unit


def open_index(corpus: Corpus, embedder: Embedder, index_dir: Path, *, rebuild: bool = False,
               progress: bool = True) -> SearchIndex:
    """Load the index for `corpus` from `index_dir`, building it first if missing or stale; the
    index returned holds `corpus` itself."""
    return _open(lambda: corpus, embedder, index_dir, rebuild=rebuild, progress=progress, keep=True)


def parse_and_open_index(parse: Callable[[], Corpus], embedder: Embedder, index_dir: Path, *,
                         progress: bool = True) -> SearchIndex:
    """Parse the corpus (`parse()`) and load its index, building it first if missing or stale.

    Unlike `open_index`, this owns the parsed corpus, so a build lets it go before the FAISS
    index is built (at a million passages they were 3.7 GiB and 1.5 GB side by side, the build's
    peak); the index returned then reads the corpus back from its store, as a start does."""
    return _open(parse, embedder, index_dir, rebuild=False, progress=progress, keep=False)


def _open(parse: Callable[[], Corpus], embedder: Embedder, index_dir: Path, *, rebuild: bool,
          progress: bool, keep: bool) -> SearchIndex:
    corpus: Corpus | None = parse()
    if not rebuild and (loaded := _try_load(corpus, embedder, index_dir)):
        return loaded
    fingerprint = corpus.fingerprint
    with build_lock(index_dir):
        # Another process may have finished the same build while we waited for the lock.
        if not rebuild and (loaded := _try_load(corpus, embedder, index_dir)):
            return loaded
        temp, manifest = _write_parts(corpus, embedder, index_dir, progress=progress, reuse=not rebuild)
        if not keep:
            corpus = None
            gc.collect()  # the corpus's objects are freed now, not at some later collection
        _finish(index_dir, temp, manifest)
    loaded = _try_load(corpus, embedder, index_dir, fingerprint)  # no corpus: read from the store
    if loaded is None:
        raise RuntimeError(f"the index just built in {index_dir} does not load; delete the folder and retry")
    return loaded


def _write_parts(corpus: Corpus, embedder: Embedder, index_dir: Path, *, progress: bool,
                 reuse: bool = True) -> tuple[Path, dict]:
    """Everything of a new index version that needs the parsed corpus, in a temporary folder;
    returns the folder and its manifest. `_finish` adds the FAISS index from the vectors on disk."""
    passages = corpus.passages
    rows = Rows.of(passages)
    logger.info("building the index for %d passages in %s", len(passages), index_dir)
    # Only new or changed documents are embedded; the others' vectors come from the live version.
    temp = new_temp_folder(index_dir)
    with _LazyBar("Embedding passages", shown=progress) as bar:
        stats = encode_corpus(corpus, index_dir, embedder.dim, embedder.name, figure_description,
                              lambda texts: _encode(embedder, texts, bar), temp,
                              reuse=reuse, announce=bar.start)
    LexicalIndex.build(p.text for p in passages).save(temp / "bm25")
    (temp / "passages.jsonl").write_text(_passage_rows(passages), encoding="utf-8")
    save_corpus_store(corpus, temp)
    return temp, {**_manifest(corpus, embedder, rows),
                  "documents": document_entries(corpus, figure_description),
                  "last_build": {"embedded_documents": stats.embedded, "reused_documents": stats.reused,
                                 "embedded_texts": stats.texts}}


def _finish(index_dir: Path, temp: Path, manifest: dict) -> None:
    """Build the FAISS index from the passage vectors in `temp` and publish the new version."""
    VectorIndex.build(np.load(temp / PASSAGE_VECTORS, mmap_mode="r")).save(temp / "passages.faiss")
    publish(index_dir, temp, manifest)


class _LazyBar:
    """A progress bar that appears only once there is work to show (no empty "0text" bar when
    every document's vectors are reused) and that work has taken a second."""

    def __init__(self, description: str, *, shown: bool) -> None:
        self.description, self.shown = description, shown
        self._bar = None  # a tqdm bar once started

    def start(self, total: int) -> None:
        if self.shown and total > 0:
            self._bar = progress_bar(total=total, desc=self.description, unit="text")

    def update(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done)

    def __enter__(self) -> "_LazyBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()


def _encode(embedder: Embedder, texts: list[str], bar: _LazyBar) -> np.ndarray:
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), _ENCODE_CHUNK):
        chunk = texts[start : start + _ENCODE_CHUNK]
        vectors[start : start + len(chunk)] = embedder.encode(chunk)
        bar.update(len(chunk))
    return vectors


def _manifest(corpus: Corpus, embedder: Embedder, rows: Rows) -> dict:
    return {
        "model": embedder.name,
        "dim": embedder.dim,
        "corpus_fingerprint": corpus.fingerprint,  # names, sizes, times: what a start compares
        "content_fingerprint": corpus.content_fingerprint,  # the bytes: what `qa index --verify` compares
        "rows_fingerprint": _rows_fingerprint(corpus.passages),
        "counts": {
            "documents": len(corpus.documents),
            "passages": len(corpus.passages),
            "sentences": int(len(rows.sentence_passage)),
            "figures": len(rows.figure_passage),
        },
        "versions": _library_versions(),
    }


def open_saved(fingerprint: str, embedder: Embedder, index_dir: Path) -> SearchIndex | None:
    """The live index if it was built from transcripts with this `corpus.loader.fingerprint`
    and this model, with the corpus read back from the index instead of parsed again; None
    when there is no such index (then parse the corpus and call `open_index`)."""
    return _try_load(None, embedder, index_dir, fingerprint)


def _try_load(corpus: Corpus | None, embedder: Embedder, index_dir: Path,
              fingerprint: str | None = None) -> SearchIndex | None:
    """The saved index if it is complete, intact and built from this corpus and model; with no
    corpus, the one saved in the index if its fingerprint is `fingerprint`."""
    # A concurrent build may publish a new version and delete the one we are reading: when a
    # load fails and CURRENT has moved on meanwhile, read the new version instead.
    for _ in range(_LOAD_ATTEMPTS):
        folder = current_version(index_dir)
        loaded = _load_version(corpus, embedder, index_dir, folder, fingerprint or corpus.fingerprint)
        if loaded is not None or current_version(index_dir) == folder:
            return loaded
    return None


def _load_version(corpus: Corpus | None, embedder: Embedder, index_dir: Path, folder: Path | None,
                  fingerprint: str) -> SearchIndex | None:
    manifest = read_manifest(folder) if folder else None
    if folder is None or manifest is None:
        return None
    if (manifest.get("model") != embedder.name or manifest.get("dim") != embedder.dim
            or manifest.get("corpus_fingerprint") != fingerprint):
        logger.info("the index in %s is stale (corpus, model or dimension changed); rebuilding", index_dir)
        return None
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or not {DATABASE, COLUMNS, TERMS} <= set(checksums):
        logger.info("the index in %s has no saved corpus (an older version); rebuilding", index_dir)
        return None
    # passages.jsonl is the row list the vectors were built from: its recorded hash must be the
    # fingerprint of the rows parsed now, or row i of the vectors may not be passage i. (A
    # corpus read back from the index is those rows: its files' checksums prove it.)
    if corpus is not None and not _rows_match(corpus, manifest):
        logger.info("the index rows do not match the parsed corpus; rebuilding")
        return None
    # Checksums before FAISS reads anything: a corrupt index file can crash the process.
    if not checksums_match(folder, manifest):
        return None
    try:
        if corpus is None:
            corpus = load_corpus_store(folder, fingerprint)
            rows = Rows.from_counts(*load_row_counts(folder))
        else:
            rows = Rows.of(corpus.passages)
        index = SearchIndex(
            corpus=corpus,
            rows=rows,
            passage_index=VectorIndex.load(folder / "passages.faiss"),
            sentence_vectors=_vectors(folder / "sentences.npy"),
            figure_vectors=_vectors(folder / "figures.npy"),
            passage_vectors=_vectors(folder / PASSAGE_VECTORS),
            lexical=LexicalIndex.load(folder / "bm25", mmap=True),  # postings stay on disk
            model=manifest["model"],
            folder=folder,
            term_counts=load_term_counts(folder),
        )
    except Exception as error:  # the loaders raise many types (NumPy even tokenize.TokenError)
        # Files that fail to load although their checksums passed or were skipped (a version
        # removed by a concurrent build while we read it, disk corruption that kept size and
        # time): rebuild under the lock rather than fail.
        logger.warning("the index in %s does not load (%s); rebuilding", folder, error)
        return None
    if not _shapes_match(index, embedder.dim):
        logger.warning("the index in %s has the wrong shape; rebuilding", folder)
        return None
    return index


def _rows_match(corpus: Corpus, manifest: dict) -> bool:
    rows_fingerprint = _rows_fingerprint(corpus.passages)
    return manifest.get("rows_fingerprint") == rows_fingerprint == manifest["checksums"].get("passages.jsonl")


def _vectors(path: Path) -> np.ndarray:
    # Memory-mapped, read-only: a large archive's vectors are not copied into memory, and only
    # the rows a question scores are read from disk. The mapping outlives a concurrent build
    # that deletes the file.
    return np.load(path, mmap_mode="r", allow_pickle=False)


def _shapes_match(index: SearchIndex, dim: int) -> bool:
    n_passages = len(index.corpus.passages)
    return (
        len(index.passage_index) == n_passages
        and index.passage_index.dim == dim
        and index.passage_vectors.shape == (n_passages, dim)
        and len(index.rows.first_sentence) == n_passages + 1
        and index.sentence_vectors.shape == (len(index.rows.sentence_passage), dim)
        and index.figure_vectors.shape == (len(index.rows.figure_passage), dim)
    )


def _passage_rows(passages: tuple[Passage, ...]) -> str:
    """One line per passage row. The hashes cover what was embedded (text, sentences and
    figure descriptions), so a parser change that alters any of them forces a rebuild."""
    return "".join(
        json.dumps({"row": i, "id": p.id, "start": p.start, "end": p.end,
                    "sha1": _sha1(p.text), "sentences": _sha1("\n".join(s.text for s in p.sentences)),
                    "figures": _sha1("\n".join(map(figure_description, p.statistics)))}) + "\n"
        for i, p in enumerate(passages)
    )


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _rows_fingerprint(passages: tuple[Passage, ...]) -> str:
    """Proves that row i of the saved vectors is passage i of the parsed corpus."""
    return hashlib.sha256(_passage_rows(passages).encode()).hexdigest()


def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("transcript-qa", "sentence-transformers", "faiss-cpu", "bm25s"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found
