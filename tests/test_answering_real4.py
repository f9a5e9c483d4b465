"""Questions that state one end of a change and ask for the other, "what was the figure for X",
and reporters named at the start of their question, on invented briefings (fake embedder)."""

from __future__ import annotations

import pytest

from qa.faithfulness import citations_valid
from qa.question import analyse

FEES = """Harbour Office holds press conference on port fees

Press conference on port fees | July 17, 2018

Li Ming:

Since we joined the customs union, the average harbour levy was reduced from 15.3 percent in 2001 to 9.8 percent. \
Dock workers' wages rose from 410 yuan to 655 yuan a week. Weekly ferry crossings rose from 8.6 thousand when \
the new timetable began to 14.5 thousand now. In the years before the safety code, the average annual accidents \
at the three docks were 3, 8, and 16, respectively.
"""

RULING = """Transcript of Chair Varga's Press Conference
January 31, 2024

CHAIR VARGA.  Good afternoon. The board kept the harbour fee at 3 percent.
ANA LIMA.  Ana Lima, Daily Ledger.  Chair Varga, I wanted to ask about the dredging ruling this past Monday. \
The judge said the Harbour Board of Kent had no power to run the dredging company. Does the ruling change your \
plans for the dredging works?
CHAIR VARGA.  We believe our actions on the dredging works were legal and proper.
BO CHEN.  Bo Chen, Coast FM.  What about ferry fares for the winter?
CHAIR VARGA.  Ferry fares for the winter rose 2 percent.
"""

RAIL = """Rail Office holds press conference on freight

Press conference on rail freight | June 12, 2024

Wu Fang:

Freight trains carried 40 million tonnes in May. Night trains will run on four lines.
"""


@pytest.fixture
def engine(tmp_path, fake_embedder):
    from qa import QA

    (tmp_path / "2018-07-17_port-fees.txt").write_text(FEES, encoding="utf-8")
    (tmp_path / "2024-01-31_chair-varga.txt").write_text(RULING, encoding="utf-8")
    (tmp_path / "2024-06-12_rail-freight.txt").write_text(RAIL, encoding="utf-8")
    return QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


@pytest.mark.parametrize("question, expect", [
    ("Dock wages rose from 410 yuan to what?", "money"),
    ("The levy fell from 15.3 percent in 2001 to what?", "percent"),
    ("Ferry crossings rose to 14.5 thousand -- from what level?", "figure"),
    ("Wages were cut from 95 to what?", "figure"),
    ("To what extent did wages rise from 410 yuan?", "change"),  # not a level asked for
])
def test_a_question_stating_one_end_asks_for_a_level_of_its_kind(question, expect):
    assert analyse(question).expect == expect


def test_the_other_end_of_a_change_answers(engine):
    wages = engine.ask("Dock workers' wages rose from 410 yuan to what?")
    assert wages.answer == "655 yuan"
    crossings = engine.ask("Weekly ferry crossings rose to 14.5 thousand now -- from what level when the new "
                           "timetable began?")
    assert crossings.answer == "8.6 thousand"


def test_the_year_of_a_stated_figure_is_not_the_period_asked(engine):
    parsed = analyse("The average harbour levy fell from 15.3 percent in 2001 to what?")
    assert [p.text for p in parsed.periods] == []
    assert engine.ask("The average harbour levy fell from 15.3 percent in 2001 to what?").answer == "9.8 percent"


def test_what_was_the_figure_for_one_of_a_list_asks_for_a_figure(engine):
    assert analyse("What was the figure for the third dock?").expect == "figure"
    assert analyse("harbour levy number").expect == "figure"
    assert analyse("What was the mood at the docks?").expect == "text"
    answer = engine.ask("The average annual accidents at the three docks were listed; what was the figure for "
                        "the third dock?")
    assert not answer.abstained and answer.figures


@pytest.mark.parametrize("question, kind", [
    ("Which Daily Ledger reporter asked about the dredging ruling?", "asker"),
    ("At the January 2024 press conference, which Coast FM reporter asked about ferry fares?", "asker"),
    ("At the January 2024 press conference, which outlet asked about ferry fares?", "asker_outlet"),
])
def test_a_reporter_question_is_read_past_an_outlet_name_and_an_opening_setting(question, kind):
    parsed = analyse(question)
    assert parsed.expect == "speaker" and parsed.who == kind


def test_the_reporter_is_the_one_introduced_as_the_question_opens(engine):
    answer = engine.ask("Which Daily Ledger reporter asked about the dredging ruling?")
    assert answer.answer == "Ana Lima (Daily Ledger)"  # not "Harbour Board (Kent)", named later in the question
    # the citation is the introduction in its own transcript, never an empty line of another one
    (citation,) = answer.citations
    assert citation.source.endswith("2024-01-31_chair-varga.txt") and "Ana Lima, Daily Ledger" in citation.quote
    assert citations_valid(answer)


def test_an_empty_quote_is_no_valid_citation():
    from qa.models import Answer, Citation

    empty = Citation(1, "d:p1", "", "X", "", 0, 0)
    assert not citations_valid(Answer("q", "Ana Lima", "**Ana Lima**", (), (empty,), (), False, 0.5))
