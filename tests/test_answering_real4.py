"""Questions that state one end of a change and ask for the other, "what was the figure for X",
and reporters named at the start of their question, on invented briefings (fake embedder)."""

from __future__ import annotations

import numpy as np
import pytest

from corpus.figures import extract_figures
from corpus.models import Passage, Sentence
from corpus.periods import place_in_time
from qa.faithfulness import citations_valid
from qa.models import Citation
from qa.question import analyse
from qa.render import measures
from qa.scoring import is_age, is_identifier

FEES = """Harbour Office holds press conference on port fees

Press conference on port fees | July 17, 2018

Li Ming:

Since we joined the customs union, the average harbour levy was reduced from 14.6 percent in 2003 to 8.9 percent. \
Dock workers' wages rose from 410 yuan to 655 yuan a week. Weekly ferry crossings rose from 8.6 thousand when \
the new timetable began to 14.5 thousand now. In the years before the safety code, the average annual accidents \
at the three docks were 3, 8, and 16, respectively. Since 2002, the port's contribution to regional economic \
growth has approached 30 percent on average.
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
    ("The levy fell from 14.6 percent in 2003 to what?", "percent"),
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
    parsed = analyse("The average harbour levy fell from 14.6 percent in 2003 to what?")
    assert [p.text for p in parsed.periods] == []
    assert engine.ask("The average harbour levy fell from 14.6 percent in 2003 to what?").answer == "8.9 percent"


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


LEVY = """Harbour Office holds press call on the dredging levy

Press call on the dredging levy | March 7, 2024

Li Ming:

Thank you all for joining this call on the dredging levy for large ships.

Reporter:

On the dredging levy for large ships: can you say more about the dredging levy?

Li Ming:

The dredging levy for large ships is fair, and the dredging levy for large ships is simple.

Li Ming:

We have talked with owners of large ships about the dredging levy many times.

Reporter:

How much money would the dredging levy on large ships bring in?

Li Ming:

We think this levy would raise more than 40 million yuan. The structure is simple.
"""


@pytest.fixture
def levy(tmp_path, fake_embedder):
    from qa import QA

    (tmp_path / "2024-03-07_dredging-levy.txt").write_text(LEVY, encoding="utf-8")
    return QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


def test_a_figure_question_looks_past_passages_that_state_no_figure(levy, monkeypatch):
    from qa import answerer

    monkeypatch.setattr(answerer, "CONTEXT_PASSAGES", 1)  # the best passage states no figure
    monkeypatch.setattr(answerer, "CONTEXT_FIGURES", 0)
    state, parsed, scores = levy._understand("How much would the dredging levy for large ships raise?", 10)
    assert not state.index.corpus.passages[int(np.argmax(scores.passage))].statistics
    rows = answerer._context_rows(state.index, parsed, scores)
    stating = [r for r in rows if state.index.corpus.passages[r].statistics]
    assert stating, "the one passage stating a figure is in the context"
    answer = levy.ask("How much would the dredging levy for large ships raise?")
    assert answer.answer == "more than 40 million yuan"


def test_this_levy_takes_its_meaning_from_the_question_it_answers():
    from corpus.figures import extract_figures
    from qa.scoring import points_back

    (figure,) = [f for f in extract_figures("We think this levy would raise more than 40 million yuan.")
                 if f.is_statistic]
    assert points_back(figure, "We think this levy would raise ")
    (plain,) = [f for f in extract_figures("The dredging levy on large ships raised 40 million yuan.")
                if f.is_statistic]
    assert not points_back(plain, "The dredging levy on large ships raised ")


@pytest.mark.parametrize("text, start, end", [
    ("meant to keep up to 7,400 ferry berths open in ‘09 and ‘10.", "2009-01-01", "2010-12-31"),
    ("the '08 crisis", "2008-01-01", "2008-12-31"),
    ("back in ’98", "1998-01-01", "1998-12-31"),
])
def test_years_said_by_their_last_two_digits_are_periods(text, start, end):
    from datetime import date

    from corpus.periods import mentions

    (found,) = mentions(text, date(2009, 2, 3))
    assert (found.period.start.isoformat(), found.period.end.isoformat()) == (start, end)


def test_a_decade_or_a_quote_mark_is_no_two_digit_year():
    from datetime import date

    from corpus.periods import mentions

    assert mentions("in the ’90s", date(2009, 2, 3)) == [] and mentions("rock 'n' roll", date(2009, 2, 3)) == []


def test_how_much_a_port_contributed_may_be_a_share(engine):
    question = "Roughly how much has the port contributed to regional economic growth since 2002?"
    assert analyse(question).expect == "amount"
    assert engine.ask(question).answer == "30 percent"


def test_an_answers_first_sentence_points_back_to_the_question_it_answers(levy):
    from qa import answerer

    state, parsed, scores = levy._understand("How much would the dredging levy for large ships raise?", 10)
    candidates = answerer._candidates(state.index, parsed, scores, state.weights)
    first = next(c for c in candidates if c.sentence.text.startswith("We think this levy"))
    before = answerer._sentence_before(state.index, first, scores)
    assert before is not None and before[0].startswith("How much money would the dredging levy")
    second = next(c for c in candidates if c.sentence.text == "The structure is simple.")
    assert answerer._sentence_before(state.index, second, scores)[0] == first.sentence.text


BUDGET = """Harbour Office holds press conference on the port budget

Press conference on the port budget | May 12, 2023

Li Ming:

Good morning. The port budget is balanced and the new cranes are on order.

Reporter:

The audit office projects a port deficit of 4.2 million yuan for next year. Will you cut the dredging works?

Li Ming:

We will not cut the dredging works, and the cranes will arrive in June.
"""


@pytest.fixture
def budget(tmp_path, fake_embedder):
    from qa import QA

    (tmp_path / "2023-05-12_port-budget.txt").write_text(BUDGET, encoding="utf-8")
    return QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


def test_a_deficit_or_a_debt_is_money():
    assert analyse("What deficit did the audit office project?").expect == "money"
    # "how large" a balance: a sum or a share of output, whichever the briefing states
    assert analyse("How large was the port's debt in 2022?").expect == "amount"
    assert analyse("What was the deficit as a share of output?").expect == "percent"


def test_a_reporters_words_answer_a_question_about_what_a_reporter_said(budget):
    asked = budget.ask("What port deficit did the audit office project, according to a reporter?")
    assert asked.answer == "4.2 million yuan" and asked.citations[0].speaker == "Reporter"
    # "as raised at the briefing": a question put to it, a reporter's words
    raised = budget.ask("What port deficit did the audit office project, as raised at the May 12 briefing?")
    assert raised.answer == "4.2 million yuan" and raised.citations[0].speaker == "Reporter"
    # "was Li asked about": what the reporter put to him
    put = budget.ask("What port deficit for next year did the audit office project, when Li Ming was asked about it?")
    assert put.answer == "4.2 million yuan" and put.citations[0].speaker == "Reporter"
    # asked without naming a reporter, a figure only a reporter states answers when it fits
    # the question clearly, and is cited as the reporter's
    plain = budget.ask("What port deficit did the audit office project for next year?")
    assert plain.answer == "4.2 million yuan" and plain.citations[0].speaker == "Reporter"
    # and not when it fits poorly: the reporter's deficit is no answer about crane orders
    assert budget.ask("How many cranes has the port ordered?").abstained


@pytest.mark.parametrize("lead, tail, age", [
    ("31 ferry injuries among children ", " to 9 this winter", True),
    ("31 ferry injuries among children 6 to ", " this winter", True),
    ("boosters for adults aged ", " and older", True),
    ("shots for kids under ", ", starting in June", True),
    ("we have vaccinated ", "-year-olds in every state", True),
    ("there were ", " cases in children", False),
    ("about ", " percent of the ferry riders", False),
])
def test_an_age_naming_a_group_is_no_figure(lead, tail, age):
    assert is_age(lead, tail) is age


PROJECTIONS = """Transcript of Chair Varga's Press Conference
March 21, 2018

CHAIR VARGA.  Good afternoon. The median projection for berths—for the berth vacancy rate stands at 4.2 percent \
in the fourth quarter of this year and sits at 3.9 percent over the next two years.
ANA LIMA.  Ana Lima, Daily Ledger.  Will the vacancy rate keep falling?
CHAIR VARGA.  We will see. The berths are busy.
"""


def test_one_measure_for_several_periods_is_told_apart_by_the_period(tmp_path, fake_embedder):
    """The words of the measure sit next to the second figure, not the first: the period asked
    decides between them."""
    from qa import QA

    (tmp_path / "2018-03-21_berths.txt").write_text(PROJECTIONS, encoding="utf-8")
    engine = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)
    assert engine.ask("What berth vacancy rate did the median projection see for the fourth quarter of 2018?"
                      ).answer.startswith("4.2 percent")
    assert engine.ask("What berth vacancy rate did the median projection see in 2019?").answer.startswith(
        "3.9 percent")


@pytest.mark.parametrize("lead, named", [
    ("the harbour duties under Section ", True),
    ("as the harbour assembly set out in Resolution ", True),
    ("under Article ", True),
    ("the ferries carried ", False),
    ("fees rose by ", False),
])
def test_a_number_naming_a_provision_is_no_figure(lead, named):
    assert is_identifier(lead) is named


def test_the_label_names_the_period_the_figure_was_read_for():
    text = ("The median projection for the harbour levy is 1.8 percent at the end of this year, "
            "2.6 percent at the end of 2032, and 3.1 percent at the end of 2033.")
    passage = Passage(id="d:p1", doc_id="d", speaker="X", role="answer", turn=0, paragraph_no=1, text=text,
                      start=0, end=len(text), question_context=None, sentences=(Sentence(0, len(text), text),),
                      figures=tuple(extract_figures(text)))
    (placed,) = place_in_time([passage], "2031-03-20")
    figure = next(f for f in placed.figures if f.text == "3.1 percent")
    quoted = Citation(1, "d:p1", "d.txt", "X", text, 0, len(text), date="2031-03-20")
    assert measures(figure, quoted) == "The median projection for the harbour levy (the end of 2033)"
