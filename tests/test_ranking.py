"""Per-question ranking that scales: top_rows against a full stable sort, and candidate scoring
(forced on for small corpora) against scoring every row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import qa.retrieval as retrieval
from corpus import BUNDLED_CORPUS
from qa import QA
from qa.answerer import (
    CONTEXT_FIGURES,
    CONTEXT_PASSAGES,
    CONTEXT_WALK,
    FIGURE_EXPECTATIONS,
    _context_rows,
    answer_question,
)
from qa.filters import Filter
from qa.question import analyse
from qa.ranking import row_ranges, top_rows
from qa.retrieval import restrict, score_all, top_hits
from tests.conftest import RURAL_TRANSCRIPT, SEED_TRANSCRIPT, FakeEmbedder

EVAL = Path(BUNDLED_CORPUS).parent / "eval"
PORTS_TRANSCRIPT = EVAL / "2024-05-21_ports-and-logistics-briefing.txt"


def _dev_questions(name: str) -> list[str]:
    rows = [json.loads(line) for line in (EVAL / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["question"] for row in rows if row["split"] == "dev"]


def _stable_prefix(values: np.ndarray, k: int) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    return order[values[order] > -np.inf][: max(k, 0)]


@pytest.mark.parametrize("seed", range(60))
def test_top_rows_is_the_stable_argsort_prefix_with_ties_and_left_out_rows(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    # Few distinct values: many ties, also at the k-th value; some rows left out (-inf).
    values = rng.integers(0, int(rng.integers(1, 8)), n).astype(rng.choice([np.float32, np.float64]))
    values[rng.random(n) < rng.random()] = -np.inf
    if seed % 5 == 0:
        values[rng.random(n) < 0.1] = np.inf
    for k in {0, 1, 2, 3, n // 2, n - 1, n, n + 5, int(rng.integers(0, n + 2))}:
        found = top_rows(values, k)
        assert found.tolist() == _stable_prefix(values, k).tolist(), (seed, k)


def test_top_rows_on_continuous_scores_and_all_left_out():
    values = np.random.default_rng(1).normal(size=10_000).astype(np.float32)
    assert top_rows(values, 25).tolist() == _stable_prefix(values, 25).tolist()
    assert top_rows(np.full(10, -np.inf), 3).tolist() == []
    assert top_rows(np.array([np.nan, 1.0, np.nan, 2.0]), 3).tolist() == [3, 1]


def test_row_ranges_concatenates_each_passages_rows_in_the_order_given():
    counts = np.array([2, 0, 3, 1, 0, 4])
    first = np.concatenate([[0], np.cumsum(counts)])
    for passages in ([], [1, 4], [0, 2, 5], [5, 3, 0], list(range(6))):
        expected = [r for p in passages for r in range(first[p], first[p + 1])]
        assert row_ranges(first, np.array(passages, dtype=np.int64)).tolist() == expected


def _old_context_rows(index, question, scores) -> list[int]:
    """_context_rows as it was with full sorts: the reference for the top-block version."""
    wanted = ("answer",) if question.expect == "speaker" else ("answer", "chair")
    figures_asked = question.expect in FIGURE_EXPECTATIONS
    rows: list[int] = []
    counted = 0
    for row in np.argsort(-scores.passage, kind="stable"):
        if scores.passage[row] == -np.inf:
            break
        if index.corpus.passages[row].role in wanted:
            rows.append(int(row))
            # for a figure question, only a passage stating a figure counts, up to CONTEXT_WALK walked
            counted += not figures_asked or bool(index.corpus.passages[row].statistics)
            if counted == CONTEXT_PASSAGES or len(rows) == CONTEXT_WALK:
                break
    if question.expect in FIGURE_EXPECTATIONS:
        for figure_row in np.argsort(-scores.figure, kind="stable")[:CONTEXT_FIGURES]:
            row = int(index.rows.figure_passage[figure_row])
            if row not in rows and index.corpus.passages[row].role in wanted and scores.figure[figure_row] > -np.inf:
                rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_context_rows_equal_the_full_sort_when_wanted_passages_are_rare(seed):
    # Mostly reporters' questions, so the first top blocks hold too few wanted passages and grow.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    roles = rng.choice(["question", "answer", "chair"], n, p=[0.9, 0.07, 0.03])
    passage = rng.integers(0, 5, n).astype(np.float32)
    passage[rng.random(n) < 0.3] = -np.inf
    figure_passage = np.sort(rng.integers(0, n, int(rng.integers(0, 2 * n))))
    figure = rng.integers(0, 4, len(figure_passage)).astype(np.float32)
    figure[passage[figure_passage] == -np.inf] = -np.inf
    states = rng.random(n) < 0.5  # half the passages state a figure
    index = SimpleNamespace(corpus=SimpleNamespace(passages=[SimpleNamespace(role=r, statistics=(1,) * int(s))
                                                             for r, s in zip(roles, states)]),
                            rows=SimpleNamespace(figure_passage=figure_passage))
    scores = SimpleNamespace(passage=passage, figure=figure)
    for expect in ("speaker", "text", "count"):
        question = SimpleNamespace(expect=expect, periods=(), briefings=(), text="")  # names no month
        assert _context_rows(index, question, scores) == _old_context_rows(index, question, scores)


@pytest.fixture(scope="module")
def seed_engine(tmp_path_factory):
    return QA(corpus=BUNDLED_CORPUS, index_dir=tmp_path_factory.mktemp("ranking-seed"), embedder=FakeEmbedder(),
              progress=False).load()


@pytest.fixture(scope="module")
def three_engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ranking-three-corpus")
    for path in (SEED_TRANSCRIPT, RURAL_TRANSCRIPT, PORTS_TRANSCRIPT):
        shutil.copy(path, folder / path.name)
    return QA(corpus=folder, index_dir=tmp_path_factory.mktemp("ranking-three"), embedder=FakeEmbedder(),
              progress=False).load()


def _candidate_mode(monkeypatch, count: int) -> None:
    monkeypatch.setattr(retrieval, "CANDIDATES_FROM", 0)
    monkeypatch.setattr(retrieval, "DENSE_CANDIDATES", count)
    monkeypatch.setattr(retrieval, "LEXICAL_CANDIDATES", count)


def test_candidate_scoring_of_every_passage_gives_the_full_answers(seed_engine, monkeypatch):
    questions = _dev_questions("seed.jsonl")
    full = {q: seed_engine.ask(q).to_dict() for q in questions}
    retrieved = {q: seed_engine.retrieve(q, 7) for q in questions}
    _candidate_mode(monkeypatch, len(seed_engine._state().index.corpus.passages))
    for q in questions:
        assert seed_engine.ask(q).to_dict() == full[q], q
        assert seed_engine.retrieve(q, 7) == retrieved[q], q


def test_few_candidates_keep_most_top_hits_and_answers(seed_engine, monkeypatch):
    questions = _dev_questions("seed.jsonl")
    full = {q: seed_engine.ask(q) for q in questions}
    _candidate_mode(monkeypatch, 2)
    small = {q: seed_engine.ask(q) for q in questions}
    # Candidate mode is on: at most 2 dense + 2 BM25 passages can be hits.
    assert max(len(a.passages) for a in small.values()) <= 4 < len(full[questions[0]].passages)
    same_top = sum(small[q].passages[:1] == full[q].passages[:1] for q in questions)
    same_answer = sum(small[q].answer == full[q].answer for q in questions)
    assert same_top >= 0.9 * len(questions) and same_answer >= 0.9 * len(questions)


def _answer(engine: QA, question: str, keep: np.ndarray, *, keep_in_scoring: bool):
    """ask() with the filter applied in score_all (keep=) or only afterwards (restrict)."""
    state = engine._state()
    parsed = analyse(question)
    vector = engine._vector(state.embedder, parsed.text)
    scores = score_all(state.index, parsed, vector, keep=keep if keep_in_scoring else None)
    scores = restrict(scores, keep, state.index.rows)
    hits = top_hits(state.index, parsed, scores, state.weights, 5)
    return answer_question(state.index, parsed, scores, hits, state.weights)


def _gist(answer) -> tuple:
    return answer.answer, answer.abstained, [(c.source, c.start, c.end) for c in answer.citations]


def test_a_narrow_filter_finds_its_answer_among_candidates(three_engine, monkeypatch):
    corpus = three_engine._state().index.corpus
    keep = Filter(document="ports").mask(corpus)
    assert 0 < keep.sum() < len(corpus.passages)
    questions = _dev_questions("ports.jsonl")
    full = {q: _gist(_answer(three_engine, q, keep, keep_in_scoring=False)) for q in questions}
    assert sum(not abstained for _, abstained, _ in full.values()) >= len(questions) // 2
    _candidate_mode(monkeypatch, 1)  # far fewer candidates than the filter keeps
    for q in questions:
        assert _gist(_answer(three_engine, q, keep, keep_in_scoring=True)) == full[q], q


def test_a_wide_filter_scores_only_kept_candidates(three_engine, monkeypatch):
    state = three_engine._state()
    keep = Filter(document="ports").mask(state.index.corpus)
    _candidate_mode(monkeypatch, 2)
    monkeypatch.setattr(retrieval, "KEPT_EXACT_MAX", 0)  # too many kept rows to score them all
    for q in _dev_questions("ports.jsonl")[:10]:
        parsed = analyse(q)
        scores = score_all(state.index, parsed, three_engine._vector(state.embedder, parsed.text), keep=keep)
        scored = scores.passage > -np.inf
        assert scored.any() and not (scored & ~keep).any(), q
        assert not (scores.sentence > -np.inf)[~keep[state.index.rows.sentence_passage]].any()
        assert (scores.dense > -np.inf).tolist() == scored.tolist()


DREDGING = """Harbour Office holds press conference on dredging

Press conference on harbour works | May 12, 2023

Li Ming:

The harbour dredging programme is the biggest project the harbour office has run.

To date, we have spent 4.2 million yuan on it, and the crews work every night.

Wen Shao:

Ferry fares rose 3 percent this spring, and the ferry timetable is unchanged.
"""


def test_a_paragraph_keeps_a_share_of_the_match_of_the_one_before_it_in_its_turn(tmp_path, fake_embedder, monkeypatch):
    """'To date, we have spent 4.2 million yuan on it' goes on about the programme the paragraph
    before it names: it ranks with that paragraph's match, not by its own words alone."""
    (tmp_path / "2023-05-12_dredging.txt").write_text(DREDGING, encoding="utf-8")
    engine = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)
    question = "How much has the harbour dredging programme cost?"
    passages = engine.loaded_index().corpus.passages
    first, second, other = (next(i for i, p in enumerate(passages) if text in p.text)
                            for text in ("biggest project", "To date", "Ferry fares"))
    carried = engine._understand(question, 5)[2].passage
    assert carried[second] >= retrieval.CONTINUED_SHARE * carried[first] - 1e-6
    # read back from the saved index (its stored columns), the same
    reread = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)
    assert reread._understand(question, 5)[2].passage.tolist() == carried.tolist()
    monkeypatch.setattr(retrieval, "CONTINUED_SHARE", 0.0)
    alone = engine._understand(question, 5)[2].passage
    assert alone[second] < carried[second]
    assert alone[other] == carried[other]  # another speaker's turn keeps its own score
