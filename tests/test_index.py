"""The index folder: built once, reused, rebuilt when stale or corrupt, never half-written."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from corpus import load_corpus
from index import IndexFormatError, open_index
from index.store import CURRENT, MANIFEST, current_version
from tests.conftest import RURAL_TRANSCRIPT, FakeEmbedder


def build(corpus_dir, index_dir, embedder=None):
    embedder = embedder or FakeEmbedder()
    return open_index(load_corpus(corpus_dir), embedder, index_dir, progress=False), embedder


def test_build_writes_manifest_with_counts_model_and_checksums(corpus_dir, tmp_path):
    index, _ = build(corpus_dir, tmp_path / "idx")
    manifest = json.loads((index.folder / MANIFEST).read_text())
    assert manifest["format_version"] == 1
    assert manifest["model"] == FakeEmbedder.name and manifest["dim"] == FakeEmbedder.dim
    assert manifest["counts"]["passages"] == len(index.corpus.passages) == len(index.passage_index)
    assert manifest["counts"]["sentences"] == index.sentence_vectors.shape[0]
    assert set(manifest["checksums"]) >= {"passages.faiss", "sentences.npy", "figures.npy", "passages.jsonl"}
    assert manifest["corpus_fingerprint"] == index.corpus.fingerprint


def test_second_open_reuses_the_index_without_encoding(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder == first.folder
    assert embedder.calls == 0


def test_changed_corpus_is_rebuilt(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder != first.folder and embedder.calls > 0
    assert len(second.passage_index) == len(second.corpus.passages) > len(first.corpus.passages)
    assert not first.folder.exists()  # the old version is cleaned up


def test_other_model_triggers_rebuild(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")

    class OtherModel(FakeEmbedder):
        name = "another-model"

    second, embedder = build(corpus_dir, tmp_path / "idx", OtherModel())
    assert embedder.calls > 0 and second.model == "another-model"


@pytest.mark.parametrize("damage", ["empty", "one_byte", "half", "flip", "delete"])
def test_corrupt_files_are_detected_and_rebuilt(corpus_dir, tmp_path, damage):
    first, _ = build(corpus_dir, tmp_path / "idx")
    target = first.folder / "passages.faiss"
    data = target.read_bytes()
    if damage == "delete":
        target.unlink()
    else:
        damaged = {"empty": b"", "one_byte": data[:1], "half": data[: len(data) // 2],
                   "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]}[damage]
        target.write_bytes(damaged)
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0
    assert len(second.passage_index) == len(second.corpus.passages)


def test_missing_manifest_or_pointer_rebuilds(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")
    (first.folder / MANIFEST).unlink()
    _, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0
    (tmp_path / "idx" / CURRENT).write_text("../../etc")
    _, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0


def test_newer_format_is_refused_with_a_clear_error(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")
    manifest_path = first.folder / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 99
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="newer"):
        build(corpus_dir, tmp_path / "idx")


def test_leftovers_of_a_killed_build_are_ignored_then_cleaned(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")
    leftover = tmp_path / "idx" / ".tmp-deadbeef"
    leftover.mkdir()
    (leftover / "passages.faiss").write_bytes(b"partial")
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder == first.folder and embedder.calls == 0  # previous index still used
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")  # force a rebuild
    build(corpus_dir, tmp_path / "idx")
    assert not leftover.exists()
    assert current_version(tmp_path / "idx") is not None
    assert sorted(p.name for p in (tmp_path / "idx").iterdir() if not p.name.startswith(".lock"))[0] == CURRENT
    assert os.listdir(tmp_path / "idx").count(CURRENT) == 1


def test_bm25_built_from_token_ids_scores_as_from_token_strings(tmp_path):
    """The build keeps each passage's tokens as an array of ids (memory); the scores are those
    bm25s gives for the same tokens as strings."""
    import bm25s
    import numpy as np

    from corpus import load_corpus
    from index.lexical import LexicalIndex
    from index.tokens import tokenize
    from tests.conftest import FIXTURES

    texts = [p.text for p in load_corpus(FIXTURES / "multidoc").passages] + [""]  # an empty row too
    built = LexicalIndex.build(iter(texts))  # any iterable, read once
    reference = bm25s.BM25()
    reference.index([tokenize(t) or ["\0"] for t in texts], show_progress=False)
    for question in ("water-saving irrigation area", "investment in water projects 2021", "the", "nothing-like-it"):
        tokens = tokenize(question)
        expected = reference.get_scores(tokens) if tokens else np.zeros(len(texts))
        assert np.allclose(built.scores(tokens), expected, atol=1e-6), question
    built.save(tmp_path / "bm25")
    assert np.allclose(LexicalIndex.load(tmp_path / "bm25").scores(tokenize("water projects")),
                       built.scores(tokenize("water projects")))


def test_a_memory_mapped_vector_file_read_by_the_build_does_not_stay_resident(tmp_path):
    """Building the index reads every vector once; the pages read are handed back to the kernel
    (at a million passages they were 1.5 GB of the build's peak memory)."""
    import numpy as np

    from index.vectors import drop_pages

    def resident_mb() -> float:
        line = next(line for line in open("/proc/self/status") if line.startswith("VmRSS"))
        return int(line.split()[1]) / 1024

    np.save(tmp_path / "v.npy", np.ones((100_000, 384), dtype=np.float32))  # 146 MB
    vectors = np.load(tmp_path / "v.npy", mmap_mode="r")
    before = resident_mb()
    assert float(np.asarray(vectors).sum()) == 100_000 * 384
    read = resident_mb()
    assert read - before > 100
    drop_pages(np.ascontiguousarray(vectors))  # as the build passes it on: a view of the map
    assert resident_mb() < read - 100


def test_a_sample_gathered_slice_by_slice_is_the_same_rows_in_the_asked_order(tmp_path):
    import numpy as np

    from index.vectors import _gather

    vectors = np.arange(50 * 4, dtype=np.float32).reshape(50, 4)
    np.save(tmp_path / "v.npy", vectors)
    mapped = np.load(tmp_path / "v.npy", mmap_mode="r")
    rows = np.array([49, 3, 17, 3, 0, 31])  # unsorted, with a repeat, across several slices
    assert np.array_equal(_gather(mapped, rows, slice_rows=8), vectors[rows])
    assert _gather(mapped, np.array([], dtype=np.int64)).shape == (0, 4)
