"""Incremental index updates: only new or changed documents are embedded."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from corpus import load_corpus
from index import open_index
from index.incremental import PASSAGE_VECTORS
from index.store import MANIFEST
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT, SEED_TRANSCRIPT, FakeEmbedder

MULTIDOC = FIXTURES / "multidoc"


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, remembering every text it was asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts, *, progress=False):
        self.texts.extend(texts)
        return super().encode(texts, progress=progress)


def _texts_of(corpus, doc_id: str) -> int:
    passages = [p for p in corpus.passages if p.doc_id == doc_id]
    return len(passages) + sum(len(p.sentences) + len(p.statistics) for p in passages)


def _open(folder, index_dir, **options):
    embedder = CountingEmbedder()
    return open_index(load_corpus(folder), embedder, index_dir, progress=False, **options), embedder


@pytest.fixture
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    shutil.copy(MULTIDOC / "2021-04-12_river-basin-water-briefing.txt", folder / "river.txt")
    return folder


def _same_as_full_rebuild(index, tmp_path):
    """Vectors, rows and BM25 scores equal those of an index built from nothing."""
    full, _ = _open(tmp_path / "corpus", tmp_path / "full-index")
    assert np.array_equal(index.sentence_vectors, full.sentence_vectors)
    assert np.array_equal(index.figure_vectors, full.figure_vectors)
    query = np.asarray(FakeEmbedder().encode(["water projects investment"])[0])
    assert index.passage_index.search(query, 5) == full.passage_index.search(query, 5)
    tokens = ["investment", "water", "reservoirs"]
    assert np.allclose(index.lexical.scores(tokens), full.lexical.scores(tokens))


def test_adding_a_document_embeds_only_that_document(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    first, embedder = _open(corpus_dir, index_dir)
    assert len(embedder.texts) == sum(_texts_of(first.corpus, d.id) for d in first.corpus.documents)
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")
    second, embedder = _open(corpus_dir, index_dir)
    assert len(embedder.texts) == _texts_of(second.corpus, "rural")
    assert len(second.passage_index) == len(second.corpus.passages)
    manifest = json.loads((second.folder / MANIFEST).read_text())
    assert [d["id"] for d in manifest["documents"]] == ["river", "rural", "seed"]
    assert manifest["last_build"] == {"embedded_documents": 1, "reused_documents": 2,
                                      "embedded_texts": len(embedder.texts)}
    _same_as_full_rebuild(second, tmp_path)


def test_changing_a_document_reembeds_only_it(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    first, _ = _open(corpus_dir, index_dir)
    before = {d["id"]: d["fingerprint"] for d in json.loads((first.folder / MANIFEST).read_text())["documents"]}
    river = corpus_dir / "river.txt"
    river.write_text(river.read_text(encoding="utf-8").replace("1,240", "1,250"), encoding="utf-8")
    second, embedder = _open(corpus_dir, index_dir)
    assert 0 < len(embedder.texts) == _texts_of(second.corpus, "river")
    after = {d["id"]: d["fingerprint"] for d in json.loads((second.folder / MANIFEST).read_text())["documents"]}
    assert after["seed"] == before["seed"] and after["river"] != before["river"]
    _same_as_full_rebuild(second, tmp_path)


def test_removing_a_document_drops_its_vectors_and_bm25_rows(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    first, _ = _open(corpus_dir, index_dir)
    (corpus_dir / "river.txt").unlink()
    second, embedder = _open(corpus_dir, index_dir)
    assert embedder.texts == []  # nothing to embed
    n = len(second.corpus.passages)
    assert len(second.passage_index) == n < len(first.corpus.passages)
    assert second.lexical.scores(["reservoirs"]).shape == (n,)
    assert np.load(second.folder / PASSAGE_VECTORS).shape[0] == n
    _same_as_full_rebuild(second, tmp_path)


def test_rebuild_reembeds_everything_and_damaged_vectors_are_not_reused(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    first, _ = _open(corpus_dir, index_dir)
    total = sum(_texts_of(first.corpus, d.id) for d in first.corpus.documents)
    _, embedder = _open(corpus_dir, index_dir, rebuild=True)
    assert len(embedder.texts) == total
    current, _ = _open(corpus_dir, index_dir)
    (current.folder / "sentences.npy").write_bytes(b"damaged")
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")
    third, embedder = _open(corpus_dir, index_dir)
    assert len(embedder.texts) == sum(_texts_of(third.corpus, d.id) for d in third.corpus.documents)


def test_another_model_reuses_nothing(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    _open(corpus_dir, index_dir)

    class OtherModel(CountingEmbedder):
        name = "another-model"

    embedder = OtherModel()
    index = open_index(load_corpus(corpus_dir), embedder, index_dir, progress=False)
    assert len(embedder.texts) == sum(_texts_of(index.corpus, d.id) for d in index.corpus.documents)


@pytest.mark.parametrize("batch", [1, 7, 100_000])
def test_vectors_are_written_in_corpus_order_whatever_the_batch(corpus_dir, tmp_path, monkeypatch, batch):
    """Vectors go to disk in batches of documents, interleaved with reused documents: the rows
    still equal a build from nothing, however the documents fall into batches."""
    monkeypatch.setattr("index.incremental._ENCODE_BATCH", batch)
    index_dir = tmp_path / "index"
    _open(corpus_dir, index_dir)
    for name in ("2022-05-17_water-security-briefing.html", "2023-06-08_groundwater-recovery-briefing.md"):
        shutil.copy(MULTIDOC / name, corpus_dir / name)
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")  # new documents before and after the reused ones
    grown, embedder = _open(corpus_dir, index_dir)
    assert 0 < len(embedder.texts) < sum(_texts_of(grown.corpus, d.id) for d in grown.corpus.documents)
    _same_as_full_rebuild(grown, tmp_path)
    assert np.array_equal(grown.passage_vectors, np.load(grown.folder / PASSAGE_VECTORS))
    assert grown.passage_vectors.shape == (len(grown.corpus.passages), FakeEmbedder.dim)
