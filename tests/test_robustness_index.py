"""A damaged index folder is detected before FAISS reads it, then rebuilt (or a clear error);
never a crash, never an answer from mismatched rows. Builds killed with SIGKILL lose nothing."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from corpus import load_corpus
from index import open_index
from index.store import CURRENT, MANIFEST, current_version
from index.vectors import VectorIndex
from tests.conftest import RURAL_TRANSCRIPT, FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def faiss_reads(monkeypatch):
    """The bytes of every index FAISS is asked to read, by file or from memory."""
    import faiss

    reads: list[bytes] = []
    read_index, deserialize = faiss.read_index, faiss.deserialize_index

    def recording_read(path, *args):
        reads.append(Path(path).read_bytes())
        return read_index(path, *args)

    def recording_deserialize(data, *args):
        reads.append(bytes(data))
        return deserialize(data, *args)

    monkeypatch.setattr(faiss, "read_index", recording_read)
    monkeypatch.setattr(faiss, "deserialize_index", recording_deserialize)
    return reads


def build(corpus_dir, index_dir, embedder=None):
    embedder = embedder or FakeEmbedder()
    return open_index(load_corpus(corpus_dir), embedder, index_dir, progress=False), embedder


def assert_aligned(index, embedder):
    """Row i of every vector table is the embedding of what row i stands for in the corpus."""
    passages = index.corpus.passages
    assert len(index.passage_index) == len(passages)
    expected = embedder.encode([p.text for p in passages])
    for row, vector in enumerate(expected):
        found = dict(index.passage_index.search(vector, 3))
        assert row in found and found[row] == pytest.approx(1.0, abs=1e-5)
    sentences = [s.text for p in passages for s in p.sentences]
    np.testing.assert_allclose(index.sentence_vectors, embedder.encode(sentences), atol=1e-6)
    assert index.figure_vectors.shape[0] == len(index.rows.figure_passage)


def _damage(data: bytes, how: str) -> bytes:
    rng = random.Random(len(data))
    if how == "empty":
        return b""
    if how == "one_byte":
        return data[:1]
    if how == "half":
        return data[: len(data) // 2]
    if how == "size_minus_1":
        return data[:-1]
    if how == "appended":
        return data + b"\0"
    flipped = bytearray(data)
    for position in rng.sample(range(len(data)), min(3, len(data))):
        flipped[position] ^= 1 << rng.randrange(8)
    return bytes(flipped)


DAMAGES = ["empty", "one_byte", "half", "size_minus_1", "appended", "flipped"]


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_faiss_file_is_never_read_by_faiss(corpus_dir, tmp_path, faiss_reads, how):
    first, _ = build(corpus_dir, tmp_path / "idx")
    target = first.folder / "passages.faiss"
    damaged = _damage(target.read_bytes(), how)
    target.write_bytes(damaged)
    faiss_reads.clear()
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0 and second.folder != first.folder  # detected and rebuilt
    assert damaged not in faiss_reads
    assert_aligned(second, embedder)


@pytest.mark.parametrize("name, position", [("sentences.npy", 60), ("sentences.npy", 20),
                                            ("bm25/data.csc.index.npy", 60), ("bm25/vocab.index.json", 8)])
def test_other_files_damaged_keeping_size_and_time_are_rebuilt_not_raised(corpus_dir, tmp_path, name, position):
    """Not re-hashed when size and time are unchanged: their loaders' errors (NumPy raises even
    tokenize.TokenError on a damaged header) lead to a rebuild, never to a traceback."""
    first, _ = build(corpus_dir, tmp_path / "idx")
    target = first.folder / name
    before = target.stat()
    data = bytearray(target.read_bytes())
    data[position] ^= 0xFF
    target.write_bytes(bytes(data))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder != first.folder
    assert_aligned(second, FakeEmbedder())


@pytest.mark.parametrize("position", [5, 40, 100, -5])
def test_faiss_file_damaged_keeping_size_and_time_is_still_never_read(corpus_dir, tmp_path, faiss_reads, position):
    """Disk corruption keeps a file's size and time. A flipped byte in the FAISS header once made
    FAISS allocate 17 GB and the process get killed; the FAISS file is hashed on every load."""
    first, _ = build(corpus_dir, tmp_path / "idx")
    target = first.folder / "passages.faiss"
    before = target.stat()
    data = bytearray(target.read_bytes())
    data[position] ^= 0xFF
    target.write_bytes(bytes(data))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    faiss_reads.clear()
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder != first.folder and bytes(data) not in faiss_reads
    assert_aligned(second, embedder)


def _version_files(folder: Path) -> list[str]:
    return sorted(json.loads((folder / MANIFEST).read_text())["checksums"])


@pytest.mark.parametrize("how", ["size_minus_1", "flipped", "appended"])
def test_every_index_file_damaged_is_detected_and_rebuilt(corpus_dir, tmp_path, faiss_reads, how):
    probe, _ = build(corpus_dir, tmp_path / "probe")
    names = _version_files(probe.folder)
    assert {"passages.faiss", "sentences.npy", "figures.npy", "passages.jsonl"} <= set(names)
    for name in names:
        index_dir = tmp_path / f"idx-{name.replace('/', '_')}"
        first, _ = build(corpus_dir, index_dir)
        target = first.folder / name
        target.write_bytes(_damage(target.read_bytes(), how))
        second, embedder = build(corpus_dir, index_dir)
        assert embedder.calls > 0, name
        assert_aligned(second, embedder)


def _rewrite_manifest(folder: Path, change) -> None:
    path = folder / MANIFEST
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def _rechecksum(folder: Path, manifest: dict) -> None:
    """Make the manifest agree with the files again, as a careless tool would."""
    for name in manifest["checksums"]:
        manifest["checksums"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    manifest.pop("stats", None)


@pytest.mark.parametrize("damage", [
    "truncated_json", "not_an_object", "version_is_text", "no_checksums", "empty_checksums",
    "checksum_of_missing_file", "checksum_outside_the_folder", "wrong_counts_dim",
])
def test_damaged_manifest_is_rebuilt(corpus_dir, tmp_path, faiss_reads, damage):
    first, _ = build(corpus_dir, tmp_path / "idx")
    path = first.folder / MANIFEST
    text = path.read_text()
    manifest = json.loads(text)
    if damage == "truncated_json":
        path.write_text(text[: len(text) // 2])
    elif damage == "not_an_object":
        path.write_text("[1, 2, 3]")
    else:
        if damage == "version_is_text":
            manifest["format_version"] = "1"
        elif damage == "no_checksums":
            del manifest["checksums"]
        elif damage == "empty_checksums":
            manifest["checksums"] = {}
        elif damage == "checksum_of_missing_file":
            manifest["checksums"]["extra.npy"] = "0" * 64
        elif damage == "checksum_outside_the_folder":
            outside = tmp_path / "outside.bin"
            outside.write_bytes(b"x")
            manifest["checksums"]["../../outside.bin"] = hashlib.sha256(b"x").hexdigest()
            manifest["stats"] = None
        elif damage == "wrong_counts_dim":
            manifest["dim"] = FakeEmbedder.dim * 2
        path.write_text(json.dumps(manifest))
    faiss_reads.clear()
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0 and not faiss_reads[:-1]  # FAISS read only the new build
    assert_aligned(second, embedder)


@pytest.mark.parametrize("table", ["sentences.npy", "figures.npy"])
def test_row_count_different_from_the_corpus_is_rebuilt_even_with_matching_checksums(corpus_dir, tmp_path, table):
    first, _ = build(corpus_dir, tmp_path / "idx")
    vectors = np.load(first.folder / table)
    np.save(first.folder / table, np.vstack([vectors, vectors[:1]]))  # one row too many
    _rewrite_manifest(first.folder, lambda m: _rechecksum(first.folder, m))
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder != first.folder  # rebuilt (intact rows of the old version may be reused)
    assert_aligned(second, FakeEmbedder())


def test_edited_passage_rows_are_rebuilt_even_with_matching_checksums(corpus_dir, tmp_path):
    first, _ = build(corpus_dir, tmp_path / "idx")
    rows_file = first.folder / "passages.jsonl"
    lines = rows_file.read_text().splitlines(keepends=True)
    rows_file.write_text("".join([lines[1], lines[0], *lines[2:]]))  # two rows swapped
    _rewrite_manifest(first.folder, lambda m: _rechecksum(first.folder, m))
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert second.folder != first.folder
    assert_aligned(second, FakeEmbedder())


def test_same_model_name_with_another_dimension_is_rebuilt_before_faiss_reads(corpus_dir, tmp_path, faiss_reads):
    first, _ = build(corpus_dir, tmp_path / "idx")

    class Narrow(FakeEmbedder):
        dim = 32  # same name, other dimension: vectors of the old index would not fit

    faiss_reads.clear()
    second, embedder = build(corpus_dir, tmp_path / "idx", Narrow())
    assert embedder.calls > 0 and second.passage_index.dim == 32
    assert len(faiss_reads) == 1  # only the new index, never the 64-dimension one
    assert_aligned(second, embedder)


@pytest.mark.parametrize("pointer", ["", "\x00\xff", "v-missing", "manifest.json", "/etc", ".lock", "v-a/../../x"])
def test_damaged_current_pointer_is_rebuilt(corpus_dir, tmp_path, pointer):
    build(corpus_dir, tmp_path / "idx")
    (tmp_path / "idx" / CURRENT).write_bytes(pointer.encode("utf-8", "surrogateescape"))
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0 and second.folder.parent == tmp_path / "idx"
    assert_aligned(second, embedder)


def test_intact_files_that_fail_to_load_are_rebuilt_not_raised(corpus_dir, tmp_path, monkeypatch):
    """If a file fails to load after its checksum passed (e.g. a concurrent build removed the
    version meanwhile), the index is rebuilt under the lock instead of raising."""
    import index.build
    from index.store import checksums_match

    first, _ = build(corpus_dir, tmp_path / "idx")
    (first.folder / "sentences.npy").write_bytes(b"not numpy")
    monkeypatch.setattr(index.build, "checksums_match",
                        lambda folder, manifest: folder == first.folder or checksums_match(folder, manifest))
    second, embedder = build(corpus_dir, tmp_path / "idx")
    assert embedder.calls > 0
    assert_aligned(second, embedder)


@pytest.mark.parametrize("exact", [True, False])
def test_faiss_minus_one_ids_never_reach_a_lookup(exact):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(400 if exact else 4000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex.build(vectors, exact=exact)
    n = len(index)
    queries = [vectors[0], np.zeros(16, np.float32), np.full(16, np.nan, np.float32), -vectors[1]]
    for query in queries:
        for k in (1, 10, n, n + 50):
            results = index.search(query, k)
            assert len(results) <= min(k, n)
            assert all(0 <= row < n for row, _ in results)  # FAISS pads with -1: dropped
    assert index.search(vectors[0], 0) == []
    assert VectorIndex.build(np.zeros((0, 16), np.float32)).search(vectors[0], 5) == []


# --- builds killed with SIGKILL -------------------------------------------------------------

_KILLED_BUILD = textwrap.dedent('''
    """Build the index for a corpus, stopping (to be killed) at one point of the build."""
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from corpus import load_corpus
    from index import incremental, open_index
    from tests.conftest import FakeEmbedder

    corpus, index_dir, point, ready = sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])

    def stop():
        ready.write_text(point)
        time.sleep(600)  # killed here

    class StoppingEmbedder(FakeEmbedder):
        def encode(self, texts, *, progress=False):
            if point == "embedding":
                stop()
            return super().encode(texts, progress=progress)

    def wrap(module, name, before=False, when=lambda *a: True):
        real = getattr(module, name)
        def wrapper(*args, **kwargs):
            if before and when(*args):
                stop()
            result = real(*args, **kwargs)
            if not before and when(*args):
                stop()
            return result
        setattr(module, name, wrapper)

    if point == "writing_vectors":  # half of the vector files are written
        wrap(incremental._NpyWriter, "close", when=lambda writer: "sentences" in writer._handle.name)
    if point == "before_rename":  # every file written, the folder not yet a version
        wrap(os, "rename", before=True)
    if point == "before_pointer":  # the version exists, CURRENT still names the old one
        wrap(os, "replace", before=True, when=lambda src, dst: str(dst).endswith("CURRENT"))
    if point == "after_pointer":  # CURRENT switched, old versions not yet removed
        wrap(os, "replace", when=lambda src, dst: str(dst).endswith("CURRENT"))
    open_index(load_corpus(corpus), StoppingEmbedder(), index_dir, progress=False)
    ready.write_text("finished")
''')


@pytest.mark.parametrize("point", ["embedding", "writing_vectors", "before_rename", "before_pointer",
                                   "after_pointer"])
def test_a_build_killed_at_any_point_leaves_a_complete_index_in_use(corpus_dir, tmp_path, point):
    index_dir = tmp_path / "idx"
    old, _ = build(corpus_dir, index_dir)
    old_pointer = (index_dir / CURRENT).read_text()
    grown = tmp_path / "grown"
    shutil.copytree(corpus_dir, grown)
    shutil.copy(RURAL_TRANSCRIPT, grown / "rural.txt")  # a changed corpus: a real rebuild

    script = tmp_path / "killed_build.py"
    script.write_text(_KILLED_BUILD.format(root=str(ROOT)))
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, str(script), str(grown), str(index_dir), point, str(ready)],
                             env=dict(os.environ, HF_HUB_OFFLINE="1"), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists() and ready.read_text() == point, child.stderr.read().decode()[-2000:]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stderr.close()

    switched = (index_dir / CURRENT).read_text() != old_pointer
    assert switched == (point == "after_pointer")
    live = current_version(index_dir)
    assert live is not None and json.loads((live / MANIFEST).read_text())["checksums"]
    # The old corpus still gets the previous index, whole and unchanged, without re-embedding ...
    if not switched:
        again, embedder = build(corpus_dir, index_dir)
        assert again.folder == old.folder and embedder.calls == 0
        assert_aligned(again, FakeEmbedder())
    # ... and the grown corpus gets a complete index; the killed build's leftovers are cleaned.
    grown_index, embedder = build(grown, index_dir)
    assert len(grown_index.corpus.documents) == 2
    if switched:  # the killed build had finished its work: it is used as is
        assert embedder.calls == 0 and grown_index.folder == live
    assert_aligned(grown_index, FakeEmbedder())
    if not switched:  # the rebuild cleaned up; after a switch the next rebuild will
        leftovers = [p.name for p in index_dir.iterdir() if p.name.startswith((".tmp-", "v-"))
                     and p != grown_index.folder]
        assert leftovers == []
