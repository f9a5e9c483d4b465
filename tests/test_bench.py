"""The benchmarks run at a tiny size so that they cannot rot. No timing is asserted."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

from bench import synth
from corpus import BUNDLED_CORPUS, load_corpus
from index import open_index, store
from index.passage_db import PassageRow, PassageTable
from index.vectors import VectorIndex, exact_top_k, recall_at_k


def test_synthetic_archive_is_read_by_the_real_loader_with_fresh_numbers(tmp_path):
    pool = synth.source_sentences()
    files = synth.write_archive(tmp_path / "archive", 100, pool, seed=3)
    corpus = load_corpus(tmp_path / "archive")
    assert len(files) == len(corpus.documents) == 3  # 40 passages a document
    assert len(corpus.passages) == 100
    assert {p.speaker for p in corpus.passages} <= set(synth.speaker_names())
    assert len({p.speaker for p in corpus.passages}) > 3
    source_numbers = {n for s in pool for n in re.findall(r"\d+(?:\.\d+)?", s)}
    new_numbers = {n for p in corpus.passages for n in re.findall(r"\d+(?:\.\d+)?", p.text)}
    assert len(new_numbers - source_numbers) > len(new_numbers) / 2
    assert sum(len(p.statistics) for p in corpus.passages) > 50  # the figure grammar still finds figures


def test_same_seed_same_archive():
    pool = synth.source_sentences()
    assert [p.text for p in synth.passages(20, pool, seed=5)] == [p.text for p in synth.passages(20, pool, seed=5)]
    assert [p.text for p in synth.passages(20, pool, seed=5)] != [p.text for p in synth.passages(20, pool, seed=6)]


def _clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(50, dim)).astype(np.float32)
    vectors = centres[rng.integers(0, 50, n)] + rng.normal(0, 0.3, (n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_index_is_exact_when_small_and_approximate_with_high_recall_when_large(tmp_path, monkeypatch):
    vectors, queries = np.split(_clustered(4100), [4000])  # queries from the same distribution
    assert VectorIndex.build(vectors).kind == "exact"
    monkeypatch.setattr("index.vectors.EXACT_MAX", 1000)
    approximate = VectorIndex.build(vectors)
    assert approximate.kind.startswith("ivf")
    approximate.save(tmp_path / "ivf.faiss")
    loaded = VectorIndex.load(tmp_path / "ivf.faiss", mmap=True)
    assert loaded.kind == approximate.kind and len(loaded) == 4000
    found, _ = loaded.search_batch(queries, 10)
    assert recall_at_k(found, exact_top_k(vectors, queries, 10)) >= 0.9
    exact, _ = VectorIndex.build(vectors, exact=True).search_batch(queries, 10)
    assert recall_at_k(exact, exact_top_k(vectors, queries, 10)) == 1.0


def test_passage_table_returns_rows_in_the_order_asked(tmp_path):
    rows = [PassageRow(i, f"d:p{i}", "d", f"S{i % 3}", i * 10, i * 10 + 5, f"text {i}") for i in range(1000)]
    assert PassageTable.write(tmp_path / "p.sqlite", iter(rows)) == 1000
    table = PassageTable(tmp_path / "p.sqlite")
    assert len(table) == 1000
    assert table.get([999, 3, 500]) == [rows[999], rows[3], rows[500]]
    assert table.get([]) == [] and table.get([5000]) == []


def test_unchanged_index_loads_hashing_only_faiss_and_a_rewritten_file_is_caught(tmp_path, fake_embedder, monkeypatch):
    corpus = load_corpus(BUNDLED_CORPUS)
    first = open_index(corpus, fake_embedder, tmp_path, progress=False)
    hashed = []
    original = store.file_sha256
    monkeypatch.setattr(store, "file_sha256", lambda path: hashed.append(path) or original(path))
    again = open_index(corpus, fake_embedder, tmp_path, progress=False)
    assert again.folder == first.folder
    assert hashed == [first.folder / "passages.faiss"]  # only the file FAISS parses (SECURITY.md)
    target = first.folder / "sentences.npy"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    target.write_bytes(bytes(data))
    calls = fake_embedder.calls
    rebuilt = open_index(corpus, fake_embedder, tmp_path, progress=False)
    assert hashed and rebuilt.folder != first.folder and fake_embedder.calls > calls
    os.utime(rebuilt.folder / "sentences.npy")  # a touch alone changes no byte: still valid
    assert open_index(corpus, fake_embedder, tmp_path, progress=False).folder == rebuilt.folder


@pytest.mark.model
def test_benchmark_runs_end_to_end_at_tiny_size(tmp_path):
    from bench.run import run, table

    result = run(rounds=1, cold_repeats=1, questions=3, scale_sizes=[300], qa_scale_sizes=[200], embed_sample=16,
                 output=tmp_path / "result.json", quiet=True)
    app = result["app"]
    assert app["texts_encoded_per_question"] == 1.0  # the corpus is never encoded again
    assert app["texts_encoded_per_repeated_question"] == 0.0  # served from the LRU cache
    assert app["load"]["texts_encoded"] == 0  # loading an unchanged index encodes nothing
    assert app["floor"]["n"] >= 3 and app["onnx_floor"]["ratio_to_floor"] > 0
    for encoder in ("onnx", "sentence-transformers"):
        for name in ("retrieve", "ask", "ask_repeated"):
            assert app["warm"][encoder][name]["median_ms"] > 0 and app["warm"][encoder][name]["n"] >= 3
        assert app["page"][encoder]["median_ms"] > 0 and app["page"][encoder]["peak_rss_mb"] > 0
    cold = app["cold"]
    assert {"bare_st", "bare_onnx", "qa_ask_st", "qa_ask"} <= cold.keys() and cold["ratio_to_st_path"] > 0
    assert app["build"]["texts_encoded"] > 0 and app["build"]["onnx_export_s"] > 0
    row = result["scale"]["sizes"][0]
    assert row["passages"] == 300 and row["index_kind"] == "exact" and row["recall_at_10"] == 1.0
    assert row["disk_mb"] > 0 and row["query"]["n"] == result["scale"]["embedding"]["questions"]
    assert (tmp_path / "result.json").is_file()
    answered = result["qa_scale"][0]
    assert answered["passages"] == 200 and answered["ask"]["n"] == answered["questions"] > 100
    assert answered["index_mb"] > 0 and answered["start_s"] > 0 and answered["abstained"] < answered["questions"]
    text = table(result)
    assert "floor" in text and "| 300 |" in text and "| 200 |" in text
