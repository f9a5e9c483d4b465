"""Questions that name their briefing, by date or by who speaks in it, reach that briefing first
(fake embedder, invented briefings that share their wording); other questions rank as before."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import qa.retrieval as retrieval
from corpus import load_corpus
from corpus.periods import reference_date
from qa import QA
from qa.named import names_of
from qa.question import analyse, name_briefings
from qa.retrieval import score_all
from tests.conftest import FIXTURES, FakeEmbedder

# Invented briefings in the layout of a central bank's press conferences: the same board, the
# same words, other dates, other numbers (own sentences). The moderator speaks at every one.
BRIEFINGS = {
    "2019-03-14_chair-alder-press-conference.txt": """Transcript of Chair Alder’s Press Conference
March 14, 2019
MIRA SOLE.  Good afternoon.  The chair will open with a statement.
CHAIR ALDER.  Good afternoon.  The harbour toll for container ships stays at 4.5 percent.  The \
harbour toll for container ships was reviewed by the board, and the harbour toll for container \
ships will be reviewed again next spring.
KIM LOTUS.  Thank you.  Kim Lotus, Harbour Ledger.  Will the harbour toll for container ships rise \
next year?
CHAIR ALDER.  The board sees no reason to raise the harbour toll this year.
""",
    "2020-03-12_chair-alder-press-conference.txt": """Transcript of Chair Alder’s Press Conference
March 12, 2020
MIRA SOLE.  Good afternoon.  The chair will open with a statement.
CHAIR ALDER.  Good afternoon.  The board cut the toll for container ships to 3.0 percent.
RAY OSPREY.  Ray Osprey, Coast Wire.  How many ships used the new berths?
CHAIR ALDER.  Some 2,400 ships used the new berths.
""",
    "2020-09-10_chair-birch-press-conference.txt": """Transcript of Chair Birch’s Press Conference
September 10, 2020
MIRA SOLE.  Good afternoon.  The chair will open with a statement.
CHAIR BIRCH.  Good afternoon.  The board set the toll for container ships at 2.5 percent.
ANA WREN.  The berths are run by the port office, which I lead.  Some 3,100 ships used the new \
berths.
KIM LOTUS.  Kim Lotus, Harbour Ledger.  How many ships used the new berths?
CHAIR BIRCH.  I would point you to the port office for that.
""",
}
MARCH_2019 = "2019-03-14_chair-alder-press-conference"
MARCH_2020, SEPTEMBER_2020 = "2020-03-12_chair-alder-press-conference", "2020-09-10_chair-birch-press-conference"


@pytest.fixture(scope="module")
def harbour(tmp_path_factory) -> QA:
    folder = tmp_path_factory.mktemp("harbour")
    for name, text in BRIEFINGS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return QA(corpus=folder, index_dir=tmp_path_factory.mktemp("harbour-index"), embedder=FakeEmbedder(),
              progress=False).load()


def _parsed(engine: QA, question: str):
    state = engine._state()
    return state, name_briefings(analyse(question, state.dates[-1]), state.dates)


def _scores(engine: QA, question: str, *, named: bool = True):
    state, parsed = _parsed(engine, question)
    return score_all(state.index, parsed, engine._vector(state.embedder, parsed.searched_text), named=named)


def _top_document(engine: QA, question: str, *, named: bool = True) -> str:
    scores = _scores(engine, question, named=named)
    corpus = engine._state().index.corpus
    return corpus.passages[int(np.argmax(scores.passage))].doc_id


def _named(engine: QA, question: str) -> dict[str, float]:
    state, parsed = _parsed(engine, question)
    found = names_of(parsed, state.index)
    return {d.id: float(w) for d, w in zip(state.index.corpus.catalogue(), found.documents) if w > 0}


@pytest.mark.parametrize("question, document", [
    ("What was the harbour toll for container ships at the March 2020 meeting?", MARCH_2020),
    ("Per the September 10, 2020 press conference, what was the toll for container ships?", SEPTEMBER_2020),
    ("According to Chair Birch, what was the harbour toll for container ships?", SEPTEMBER_2020),
    ("What harbour toll for container ships did Birch announce?", SEPTEMBER_2020),
    ("harbour toll container ships birch", SEPTEMBER_2020),  # a keyword query typed in lower case
])
def test_the_named_briefing_ranks_first(harbour, question, document):
    # Without the names, another briefing with the same words wins.
    assert _top_document(harbour, question, named=False) != document
    assert _top_document(harbour, question) == document
    assert harbour.retrieve(question, k=1)[0].passage.doc_id == document
    hit = harbour.retrieve(question, k=3)[0]
    assert hit.lexical == pytest.approx(float(_scores(harbour, question, named=False).lexical[
        _row(harbour, hit.passage.id)]))  # the lexical and dense scores shown are not boosted


def _row(engine: QA, passage_id: str) -> int:
    return next(i for i, p in enumerate(engine._state().index.corpus.passages) if p.id == passage_id)


def test_date_and_speaker_together_pick_the_briefing_that_meets_both(harbour):
    named = _named(harbour, "What did Chair Alder say about the toll at the March 2020 press conference?")
    assert named == {MARCH_2020: 1.0, MARCH_2019: 0.5}
    assert _top_document(harbour, "What toll did Alder set for container ships in March 2020?") == MARCH_2020


@pytest.mark.parametrize("question", [
    "What was the harbour toll for container ships?",  # names nothing
    "What did Mira Sole say about the harbour toll for container ships?",  # speaks at every briefing
    "What was the harbour toll for container ships in 2020?",  # a bare year: the figure's period
    "What was the harbour toll for container ships in May 2020?",  # a month no briefing was held in
    "What did Ana Fenn say about the toll for container ships?",  # another Ana, not Ana Wren
    "What did Lotus ask about the toll for container ships?",  # a reporter is named in full
])
def test_a_question_naming_no_briefing_ranks_as_before(harbour, question):
    assert _named(harbour, question) == {}
    with_names, without = _scores(harbour, question), _scores(harbour, question, named=False)
    for field in ("passage", "dense", "lexical", "sentence", "figure"):
        assert np.array_equal(getattr(with_names, field), getattr(without, field)), field


def test_a_reporter_is_named_by_the_whole_name_an_official_by_the_surname(harbour):
    assert _named(harbour, "What did Kim Lotus ask about the berths?") == {MARCH_2019: 1.0, SEPTEMBER_2020: 1.0}
    assert _named(harbour, "What did Wren say about the berths?") == {SEPTEMBER_2020: 1.0}
    assert _named(harbour, "What did Jane Wren say about the berths?") == {SEPTEMBER_2020: 1.0}  # same surname
    assert _named(harbour, "What did Ana Wren say about the berths?") == {SEPTEMBER_2020: 1.0}
    assert _top_document(harbour, "How many ships used the new berths, according to Wren?") == SEPTEMBER_2020


def test_a_bare_year_names_a_briefing_only_before_a_briefing_noun(harbour):
    assert _named(harbour, "What toll was set at the 2019 press conference?") == {
        MARCH_2019: 1.0}
    assert _named(harbour, "What was the toll in 2019?") == {}


def test_a_month_the_official_named_never_briefed_in_is_the_figures_period(harbour):
    # Birch briefed in September only: "March 2020" is when the toll applied, not the briefing.
    assert _named(harbour, "What was the toll in March 2020, according to Chair Birch?") == {SEPTEMBER_2020: 1.0}
    # A day is always the briefing's.
    assert _named(harbour, "What did Chair Birch say on March 12, 2020?") == {
        MARCH_2020: 0.5, SEPTEMBER_2020: 0.5}


def test_candidate_mode_keeps_the_named_briefings_passages(harbour, monkeypatch):
    question = "What was the harbour toll for container ships at the March 2020 meeting?"
    monkeypatch.setattr(retrieval, "CANDIDATES_FROM", 0)
    monkeypatch.setattr(retrieval, "DENSE_CANDIDATES", 1)
    monkeypatch.setattr(retrieval, "LEXICAL_CANDIDATES", 1)
    monkeypatch.setattr(retrieval, "KEPT_EXACT_MAX", 0)  # even the named briefing's rows are drawn by search
    assert _top_document(harbour, question) == MARCH_2020
    assert _top_document(harbour, question, named=False) != MARCH_2020


def test_one_briefing_names_nothing(tmp_path):
    name, text = next(iter(BRIEFINGS.items()))
    (tmp_path / name).write_text(text, encoding="utf-8")
    engine = QA(corpus=tmp_path / name, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    question = "What harbour toll did Chair Alder set at the March 2019 press conference?"
    assert _named(engine, question) == {}
    assert np.array_equal(_scores(engine, question).passage, _scores(engine, question, named=False).passage)


@pytest.fixture(scope="module")
def multidoc(tmp_path_factory) -> QA:
    return QA(corpus=FIXTURES / "multidoc", index_dir=tmp_path_factory.mktemp("multidoc-named"),
              embedder=FakeEmbedder(), progress=False).load()


@pytest.mark.parametrize("question, document", [
    ("How large was the water-saving irrigation area at the May 2022 briefing?", "2022-05-17"),
    ("How large was the water-saving irrigation area, per the April 12, 2021 press conference?", "2021-04-12"),
    ("How large was the water-saving irrigation area in June 2023?", "2023-06-08"),
])
def test_three_layouts_the_dated_briefing_ranks_first(multidoc, question, document):
    corpus = multidoc._state().index.corpus
    assert corpus.document(multidoc.retrieve(question, k=1)[0].passage.doc_id).date == document
    # The named briefing's answering passage climbs: a bonus, not a filter.
    answering = next(i for i, p in enumerate(corpus.passages) if "irrigation area reached" in p.text
                     and corpus.document(p.doc_id).date == document)
    with_names, without = _scores(multidoc, question).passage, _scores(multidoc, question, named=False).passage
    rank = lambda scores: int((scores > scores[answering]).sum())  # noqa: E731
    assert rank(with_names) < rank(without) or rank(with_names) == 0
    assert np.isfinite(with_names).all()  # nothing is filtered out


def test_three_layouts_an_undated_question_ranks_as_before(multidoc):
    question = "How large was the water-saving irrigation area?"
    assert np.array_equal(_scores(multidoc, question).passage, _scores(multidoc, question, named=False).passage)


def test_real_briefings_named_by_date_and_speaker():
    """On the real transcripts (when present): a question naming a briefing by its date and the
    person speaking gets that briefing alone at full weight."""
    real = Path(__file__).parents[2] / "shared" / "real" / "transcripts"
    if not real.is_dir():
        pytest.skip("the real transcripts are not here")
    corpus = load_corpus(real / "fomc")
    index = SimpleNamespace(corpus=corpus)  # names_of reads only the corpus
    dates = sorted(d for d in (reference_date(info.date) for info in corpus.catalogue()) if d is not None)
    parsed = name_briefings(analyse("According to Yellen in June 2015, what was the jobless rate?", dates[-1]), dates)
    found = names_of(parsed, index)  # type: ignore[arg-type]
    full = [d.date for d, w in zip(corpus.catalogue(), found.documents) if w == 1.0]
    assert full == ["2015-06-17"]


def test_a_person_at_every_briefing_gets_no_bonus_beside_a_date(harbour):
    state, parsed = _parsed(harbour, "What did Mira Sole say at the March 2020 meeting?")
    found = names_of(parsed, state.index)
    assert found.signals == 1 and not found.speakers.any()  # only the date singles out a briefing
    state, parsed = _parsed(harbour, "What did Chair Birch say at the September 2020 meeting?")
    speakers = state.index.corpus.columns().speakers
    assert [speakers[i] for i in np.flatnonzero(names_of(parsed, state.index).speakers)] == ["Chair Birch"]


OUTLOOKS = {  # two invented briefings of one office, told apart by their titles only
    "2031-01-20_outlook.txt": "Press Conference on the Release of the Ferry Traffic Outlook\nJanuary 20, 2031\n"
    "MIRA SOLE.  Welcome to the release of the Ferry Traffic Outlook.  The Ferry Traffic Outlook is "
    "published twice a year, and the Ferry Traffic Outlook team is here.\n"
    "ANA WREN.  Ferry traffic will grow 3.1 percent this year.\n",
    "2031-01-21_levy.txt": "Press Conference on the Harbour Levy Review\nJanuary 21, 2031\n"
    "MIRA SOLE.  Welcome to the review of the harbour levy.\n"
    "ANA WREN.  Ferry traffic will grow 2.0 percent this year if the levy stays.\n",
}


def test_a_briefing_named_by_its_title_ranks_first_and_its_name_is_not_searched(tmp_path):
    """"At the Ferry Traffic Outlook press conference, ...": the title picks the transcript, and
    the host's passage repeating the title does not outrank the answer."""
    folder = tmp_path / "outlooks"
    folder.mkdir()
    for name, text in OUTLOOKS.items():
        (folder / name).write_text(text, encoding="utf-8")
    engine = QA(corpus=folder, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False).load()
    question = "At the Ferry Traffic Outlook press conference, how fast will ferry traffic grow?"
    assert _named(engine, question) == {"2031-01-20_outlook": 1.0}
    assert _parsed(engine, question)[1].searched_text == "how fast will ferry traffic grow?"
    top = engine.retrieve(question, k=1)[0].passage
    assert top.doc_id == "2031-01-20_outlook" and "3.1 percent" in top.text
    assert _named(engine, "At the press conference, how fast will ferry traffic grow?") == {}  # no title words
