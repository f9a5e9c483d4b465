"""The parsed corpus saved in the index: read back row for row, and used instead of parsing
the transcripts again when they are unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import qa.engine
from corpus import load_corpus
from index import Rows, open_index, open_saved
from index.corpus_store import load_corpus_store, save_corpus_store
from qa import QA
from qa.scoring import TermWeights
from tests.conftest import FakeEmbedder

MULTIDOC = Path(__file__).parent / "fixtures" / "multidoc"
QUESTIONS = [
    "How much water was saved?",
    "Who spoke about groundwater?",
    "What share of rivers met the standard?",
    "How many reservoirs were reinforced?",
    "wter savng",
    "What was said about football?",
]


@pytest.fixture
def multidoc(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(MULTIDOC, folder)
    return folder


def test_a_saved_corpus_reads_back_equal_row_for_row(multidoc, tmp_path):
    corpus = load_corpus(multidoc)
    save_corpus_store(corpus, tmp_path)
    stored = load_corpus_store(tmp_path, corpus.fingerprint)
    assert list(stored.passages) == list(corpus.passages)
    assert list(stored.documents) == list(corpus.documents)
    assert list(stored.turns) == list(corpus.turns)
    assert stored.catalogue() == corpus.catalogue()
    assert stored.fingerprint == corpus.fingerprint
    for document in corpus.documents:
        assert stored.document(document.id) == document
    with pytest.raises(KeyError):
        stored.document("no-such-document")
    n = len(corpus.passages)
    assert len(stored.passages) == n
    assert stored.passages[-1] == corpus.passages[-1] and stored.passages[np.int64(3)] == corpus.passages[3]
    assert stored.passages[2:5] == list(corpus.passages[2:5])
    with pytest.raises(IndexError):
        stored.passages[n]
    for name in ("document", "speaker", "question"):
        np.testing.assert_array_equal(getattr(stored.columns(), name), getattr(corpus.columns(), name))
    assert stored.columns().speakers == corpus.columns().speakers


def test_rows_from_saved_counts_equal_rows_of_the_parsed_passages(multidoc, tmp_path):
    corpus = load_corpus(multidoc)
    built = open_index(corpus, FakeEmbedder(), tmp_path / "index", progress=False)
    saved = open_saved(corpus.fingerprint, FakeEmbedder(), tmp_path / "index")
    assert saved is not None and saved.folder == built.folder
    expected = Rows.of(corpus.passages)
    for name in ("sentence_passage", "figure_passage", "first_sentence", "first_figure"):
        np.testing.assert_array_equal(getattr(saved.rows, name), getattr(expected, name))
    weights = TermWeights.from_counts(*saved.term_counts)
    assert weights == TermWeights.of([p.text for p in corpus.passages])


def test_open_saved_refuses_another_corpus_or_model(multidoc, tmp_path):
    corpus = load_corpus(multidoc)
    open_index(corpus, FakeEmbedder(), tmp_path / "index", progress=False)
    assert open_saved("0" * 64, FakeEmbedder(), tmp_path / "index") is None

    class OtherModel(FakeEmbedder):
        name = "another-model"

    assert open_saved(corpus.fingerprint, OtherModel(), tmp_path / "index") is None
    assert open_saved(corpus.fingerprint, FakeEmbedder(), tmp_path / "empty") is None


def test_a_reopened_engine_answers_exactly_as_the_one_that_parsed(multidoc, tmp_path, monkeypatch):
    first = QA(corpus=multidoc, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    filters = [{}, {"speaker": "feng"}, {"date_from": "2022-01-01"}, {"document": "groundwater"}]
    expected = {(q, i): first.ask(q, **f).to_dict() for q in QUESTIONS for i, f in enumerate(filters)}

    def no_parsing(path):
        raise AssertionError("the transcripts were parsed again although unchanged")

    monkeypatch.setattr(qa.engine, "load_corpus", no_parsing)
    second = QA(corpus=multidoc, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    assert {(q, i): second.ask(q, **f).to_dict() for q in QUESTIONS for i, f in enumerate(filters)} == expected
    assert type(second.load()._state().index.corpus).__name__ == "StoredCorpus"
    with pytest.raises(ValueError, match="no speaker matches 'nobody'; speakers: "):
        second.ask("How much water was saved?", speaker="nobody")
    with pytest.raises(ValueError, match="no document matches"):
        second.ask("How much water was saved?", document="nothing-like-this")


def test_a_changed_transcript_is_parsed_and_answered_from_its_new_text(multidoc, tmp_path):
    engine = QA(corpus=multidoc, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    engine.ask("How much water was saved?")
    (multidoc / "2024-01-02_desalination-briefing.txt").write_text(
        "Desalination briefing\n\nJanuary 2, 2024\n\nHe Lan:\n\n"
        "By the end of 2023, 140 desalination plants were running along the coast.\n", encoding="utf-8")
    reopened = QA(corpus=multidoc, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    answer = reopened.ask("How many desalination plants were running?")
    assert any(c.quote and "140 desalination plants" in c.quote for c in answer.citations)


def test_a_damaged_saved_corpus_says_how_to_rebuild_instead_of_raising_sqlite_errors(multidoc, tmp_path):
    corpus = load_corpus(multidoc)
    save_corpus_store(corpus, tmp_path)
    database = tmp_path / "corpus.sqlite"
    database.write_bytes(b"\0" * 100 + database.read_bytes()[100:])  # header gone, same size
    with pytest.raises(OSError, match="is damaged .*qa index --rebuild"):
        load_corpus_store(tmp_path, corpus.fingerprint)


def test_a_build_from_a_parser_lets_the_parsed_corpus_go_and_reads_it_back_from_the_store(multidoc, tmp_path):
    import gc
    import weakref

    from index import parse_and_open_index
    from index.corpus_store import StoredCorpus

    parsed = []  # a weak reference to what the parser made: it must not outlive the build

    def parse():
        corpus = load_corpus(multidoc)
        parsed.append(weakref.ref(corpus))
        return corpus

    built = parse_and_open_index(parse, FakeEmbedder(), tmp_path / "index", progress=False)
    gc.collect()
    assert parsed[0]() is None  # the parsed corpus is gone
    assert isinstance(built.corpus, StoredCorpus)
    expected = load_corpus(multidoc)
    assert [p.text for p in built.corpus.passages] == [p.text for p in expected.passages]
    # Opening it again with the index in place is a plain load: nothing is rebuilt.
    again = parse_and_open_index(lambda: load_corpus(multidoc), FakeEmbedder(), tmp_path / "index", progress=False)
    assert again.folder == built.folder
