"""Figures placed in time at load, and questions matched to them by period (invented transcripts)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus import Figure, load_corpus
from qa import QA
from qa.faithfulness import claimed_numbers, number_faithful
from qa.question import analyse, name_briefings
from qa.render import RESOLVED_NOTE
from qa.scoring import PERIOD_BRIEFING, PERIOD_CONTRADICTS, PERIOD_OTHER_BRIEFING, PERIOD_UNKNOWN, period_fit

# Invented briefings in the plain-text layout of the bundled transcripts: own sentences and numbers.
LANTERN_2022 = """Ministry of Lanterns holds press conference on lantern workshops

Press conference on the lantern industry | January 20, 2022

Wen Shao:

Good morning. Welcome to the briefing.

Pei Lin:

Thank you. Last year, the output of lantern workshops reached 4.6 billion yuan. In the first quarter, the \
workshops hired 730 apprentices. From 2012 to 2021, the number of lantern workshops rose from 310 to 1,940. \
Exports grew 12% year on year. Since 2015, the share of paper lanterns has reached 64%.

Wen Shao:

Thank you, Ms. Pei.
"""

LANTERN_2019 = """Ministry of Lanterns holds press conference on lantern fairs

Press conference on lantern fairs | June 12, 2019

Pei Lin:

Next year, the number of lantern fairs will reach 85. In 2018, the lantern fairs drew 2.2 million visitors.
"""


@pytest.fixture
def lantern_dir(tmp_path) -> Path:
    folder = tmp_path / "lanterns"
    folder.mkdir()
    (folder / "2022-01-20_lantern-workshops.txt").write_text(LANTERN_2022, encoding="utf-8")
    (folder / "2019-06-12_lantern-fairs.txt").write_text(LANTERN_2019, encoding="utf-8")
    return folder


def _figures(folder: Path) -> dict[str, Figure]:
    corpus = load_corpus(folder)
    return {f.text: f for p in corpus.passages for f in p.statistics}


def test_figures_get_their_periods_resolved_against_the_document_date(lantern_dir):
    figures = _figures(lantern_dir)
    assert (figures["4.6 billion yuan"].period_start, figures["4.6 billion yuan"].period_end) == (
        "2021-01-01", "2021-12-31")  # "last year" said on 2022-01-20
    assert figures["730"].period_start == "2021-01-01"  # "the first quarter" said in January: last year's
    assert figures["730"].period_end == "2021-03-31"
    # "From 2012 to 2021, ... rose from 310 to 1,940": 310 is the 2012 figure, 1,940 the 2021 one.
    assert (figures["310"].period_start, figures["310"].period_end) == ("2012-01-01", "2012-12-31")
    assert (figures["1,940"].period_start, figures["1,940"].period_end) == ("2021-01-01", "2021-12-31")
    assert figures["12%"].period_start is None  # "year on year" is a baseline, not a period
    assert (figures["64%"].period_start, figures["64%"].period_end) == ("2015-01-01", "2022-01-20")
    assert (figures["85"].period_start, figures["85"].period_end) == ("2020-01-01", "2020-12-31")
    assert (figures["2.2 million"].period_start, figures["2.2 million"].period_end) == ("2018-01-01", "2018-12-31")


def test_a_document_without_a_date_leaves_relative_periods_unknown(tmp_path):
    file = tmp_path / "undated.txt"
    file.write_text(LANTERN_2022.replace(" | January 20, 2022", ""), encoding="utf-8")
    assert load_corpus(file).documents[0].date is None
    figures = _figures(file)
    assert figures["4.6 billion yuan"].period_start is None
    assert figures["310"].period_start == "2012-01-01"  # explicit years need no date


def _figure(start: str | None, end: str | None, period: str | None = None, change: bool = False) -> Figure:
    return Figure("5", 5.0, "", None, None, "count", period, "lanterns", 0, 1, change=change,
                  period_start=start, period_end=end)


def test_period_fit_matches_a_relative_figure_period():
    question = analyse("What was the output of lantern workshops in 2021?", date(2022, 1, 20))
    last_year = _figure("2021-01-01", "2021-12-31")
    assert period_fit(question, last_year, "", "2022-01-20") == 1.0


def test_a_whole_years_figure_does_not_meet_one_quarter_asked():
    question = analyse("How many lanterns were sold in the September quarter of 2021?", date(2022, 1, 20))
    assert period_fit(question, _figure("2021-01-01", "2021-12-31"), "", "2022-01-20") == PERIOD_UNKNOWN
    assert period_fit(question, _figure("2021-07-01", "2021-09-30"), "", "2022-01-20") == 1.0
    assert period_fit(question, _figure("2021-07-01", "2021-12-31"), "", "2022-01-20") == 0.75  # half inside


def test_period_fit_matches_the_named_briefing_whatever_the_figures_own_period():
    question = analyse("How many fairs did Pei Lin expect at the June 2019 press conference?", date(2022, 1, 20))
    next_year = _figure("2020-01-01", "2020-12-31", "Next year")
    assert period_fit(question, next_year, "", "2019-06-12") == PERIOD_BRIEFING
    assert period_fit(question, _figure(None, None), "", "2019-06-12") == PERIOD_BRIEFING
    # ...and a figure the briefing dates to its own day ("now") is no better a fit than those.
    today = _figure("2019-06-12", "2019-06-12", "now")
    assert period_fit(question, today, "", "2019-06-12") == PERIOD_BRIEFING


def test_period_fit_unknown_is_a_doubt_and_a_double_miss_a_contradiction():
    question = analyse("What was the output of lantern workshops in 2021?", date(2022, 1, 20))
    assert PERIOD_CONTRADICTS < period_fit(question, _figure(None, None), "", "2022-01-20") == PERIOD_UNKNOWN < 0
    # the figure is for 2018 and was said in 2019: both miss 2021
    assert period_fit(question, _figure("2018-01-01", "2018-12-31"), "", "2019-06-12") == PERIOD_CONTRADICTS
    # a figure for 2018 said at a 2021 briefing: a whole year asked is the figure's period, not
    # the briefing, so 2018 misses it (a month or day holding the briefing date would name it)
    assert period_fit(question, _figure("2018-01-01", "2018-12-31"), "", "2021-05-03") == PERIOD_CONTRADICTS


def test_period_fit_a_figure_said_without_a_period_is_of_about_its_briefings_time():
    undated = _figure(None, None)
    for asked in ("in 2012", "by 2025"):  # years before or after the briefing's year: not this figure's
        question = analyse(f"How many lantern workshops were there {asked}?", date(2022, 1, 20))
        assert period_fit(question, undated, "", "2022-01-20") == PERIOD_CONTRADICTS
    question = analyse("How many lantern workshops were there in 2021?", date(2022, 1, 20))
    assert period_fit(question, undated, "", "2022-01-20") == PERIOD_UNKNOWN
    assert period_fit(question, undated, "", None) == PERIOD_UNKNOWN  # an undated document: no telling
    # ...nor, said of a budget or a plan, the coming year: a May 2021 call on next year's budget
    # speaks of 2022 undated; a figure of what has been done does not
    question = analyse("How much does the FY2022 budget give lantern workshops?", date(2022, 1, 20))
    planned = "The budget calls for 4 billion yuan for lantern workshops."
    assert period_fit(question, undated, planned, "2021-05-28") == PERIOD_UNKNOWN
    assert period_fit(question, undated, planned, "2020-05-28") == PERIOD_CONTRADICTS  # two years before
    assert period_fit(question, undated, "We have built 310 lantern workshops.", "2021-05-28") == PERIOD_CONTRADICTS


def test_period_fit_a_briefing_and_a_figure_period_both_named():
    question = name_briefings(
        analyse("What output for 2020 did Pei Lin expect at the June 2019 press conference?", date(2022, 1, 20)),
        [date(2019, 6, 12), date(2022, 1, 20)])
    assert [p.text for p in question.briefings] == ["June 2019"]
    assert period_fit(question, _figure("2020-01-01", "2020-12-31"), "", "2019-06-12") == 1.0
    assert period_fit(question, _figure("2018-01-01", "2018-12-31"), "", "2019-06-12") == PERIOD_CONTRADICTS
    # the right period said at another briefing than the one named: all but a contradiction
    assert period_fit(question, _figure("2020-01-01", "2020-12-31"), "", "2022-01-20") == PERIOD_OTHER_BRIEFING
    assert PERIOD_CONTRADICTS < PERIOD_OTHER_BRIEFING < PERIOD_UNKNOWN


def test_a_month_the_sentence_names_is_no_briefing():
    """'What output for 2020 did the June 2019 forecast project?': where the figure's sentence
    says "the June forecast", the month names the forecast, not a briefing held then."""
    question = name_briefings(
        analyse("What output for 2020 did the June 2019 forecast project?", date(2022, 1, 20)),
        [date(2019, 6, 12), date(2022, 1, 20)])
    assert [p.text for p in question.briefings] == ["June 2019"]
    output_2020 = _figure("2020-01-01", "2020-12-31")
    assert period_fit(question, output_2020, "The June forecast projected output of 5 billion yuan in 2020.",
                      "2022-01-20") > 0.5
    # a sentence silent on the month: the figure was said at another briefing than the one named
    assert period_fit(question, output_2020, "We project output of 5 billion yuan in 2020.",
                      "2022-01-20") == PERIOD_OTHER_BRIEFING


def test_a_day_named_is_that_briefing_and_no_other():
    """'As of the June 12, 2019 briefing': a figure said at another briefing over a period that
    holds the day is not the one asked; a figure for that very day is."""
    question = name_briefings(analyse("How many lantern fairs were there as of the June 12, 2019 briefing?"),
                              [date(2019, 6, 12), date(2022, 1, 20)])
    assert [p.text for p in question.briefings] == ["June 12, 2019"]
    past_year = _figure("2019-01-20", "2020-01-20", "in the year to January")
    assert period_fit(question, past_year, "", "2020-01-20") == PERIOD_CONTRADICTS
    assert period_fit(question, _figure("2019-06-12", "2019-06-12", "on June 12, 2019"), "", "2022-01-20") > 0
    assert period_fit(question, past_year, "", "2019-06-12") == PERIOD_BRIEFING


def test_the_current_figure_at_a_named_briefing_is_not_one_it_looks_back_on():
    question = name_briefings(analyse("What is the current lantern output, per the June 2019 briefing?"),
                              [date(2019, 6, 12)])
    a_year_before = _figure("2018-06-01", "2018-06-30", "last June")
    assert period_fit(question, a_year_before, "", "2019-06-12") == PERIOD_UNKNOWN
    assert period_fit(question, _figure("2019-05-01", "2019-05-31", "in May"), "", "2019-06-12") == PERIOD_BRIEFING
    assert period_fit(question, _figure(None, None), "", "2019-06-12") == PERIOD_BRIEFING
    plain = name_briefings(analyse("What was lantern output, per the June 2019 briefing?"), [date(2019, 6, 12)])
    assert period_fit(plain, a_year_before, "", "2019-06-12") == PERIOD_BRIEFING


def test_period_fit_a_relative_question_period_never_contradicts():
    question = analyse("What was the output of lantern workshops last year?", date(2022, 1, 20))
    assert [p.text for p in question.relative_periods] == ["last year"]
    assert period_fit(question, _figure("2018-01-01", "2018-12-31"), "", "2019-06-12") == PERIOD_UNKNOWN


def test_period_fit_keeps_the_baseline_rule():
    question = analyse("What was the number of lantern workshops in 2012?", date(2022, 1, 20))
    assert period_fit(question, _figure(None, None, "over 2012", change=True), "", "2022-01-20") == PERIOD_CONTRADICTS


@pytest.fixture
def lantern_engine(lantern_dir, tmp_path, fake_embedder) -> QA:
    return QA(corpus=lantern_dir, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


def test_a_year_question_is_answered_from_last_year(lantern_engine):
    answer = lantern_engine.ask("What was the output of lantern workshops in 2021?")
    assert not answer.abstained
    assert answer.answer == "4.6 billion yuan"
    # the subject line says which year "last year" was, and the faithfulness check still holds
    assert "(in 2021, said as 'Last year' on 2022-01-20)" in answer.text
    assert number_faithful(answer)
    assert "2021" not in claimed_numbers(answer)


def test_a_contradicting_year_still_abstains(lantern_engine):
    assert lantern_engine.ask("What was the output of lantern workshops in 2017?").abstained


def test_a_question_naming_the_briefing_date_is_answered(lantern_engine):
    answer = lantern_engine.ask("How many lantern fairs will there be, according to the June 12, 2019 briefing?")
    assert not answer.abstained
    assert answer.answer == "85"


KITE_JUNE_2019 = """Ministry of Kites holds press conference on kite festivals

Press conference on kite festivals | June 12, 2019

Pei Lin:

Next year, the number of kite festivals will come to 85.
"""

KITE_DEC_2019 = """Ministry of Kites holds press conference on kite festival projections

Press conference on kite festival projections | December 18, 2019

Pei Lin:

At this press conference, the projection for the number of kite festivals next year is 97: the \
projection for the number of kite festivals, projected at this press conference.
"""


def test_the_briefing_named_gives_its_own_figure_for_the_period_asked(tmp_path, fake_embedder):
    """June's projection for 2020 answers a question naming June, though December's projection
    for 2020 matches the question's words far better."""
    folder = tmp_path / "kites"
    folder.mkdir()
    (folder / "2019-06-12_kite-festivals.txt").write_text(KITE_JUNE_2019, encoding="utf-8")
    (folder / "2019-12-18_kite-festival-projections.txt").write_text(KITE_DEC_2019, encoding="utf-8")
    engine = QA(corpus=folder, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)
    question = "What was the projection for the number of kite festivals in 2020, at the June 2019 press conference?"
    assert engine.ask(question).answer == "85"
    assert engine.ask(question.replace("June 2019", "December 2019")).answer == "97"


def test_growth_between_two_years_keeps_both_ends(lantern_engine):
    answer = lantern_engine.ask("How much did the number of lantern workshops grow from 2012 to 2021?")
    assert answer.answer.startswith("from 310 to 1,940")


def test_the_resolved_note_is_what_the_faithfulness_check_leaves_out():
    assert RESOLVED_NOTE.fullmatch("(in 2021, said as 'last year' on 2022-01-20)")
    assert RESOLVED_NOTE.fullmatch("(from 2022-01-13 to 2022-01-20, said as 'the past week' on 2022-01-20)")
    assert not RESOLVED_NOTE.search("(in 2021)")  # a bare year is a claim like any other number


def test_a_year_holding_the_briefing_date_still_asks_for_that_years_figure():
    """'Invested in 2023', asked of a March 2023 briefing, is not 'at the briefing': a figure for
    2017-2022 contradicts it; a month holding the date does name the briefing."""
    past = Figure("RMB 860 billion", 860.0, "yuan", "billion", None, "money", "From 2017 to 2022", "investment",
                  0, 15, period_start="2017-01-01", period_end="2022-12-31")
    year = analyse("How much will be invested in rural grids in 2023?")
    assert period_fit(year, past, "", "2023-03-09") == PERIOD_CONTRADICTS
    month = analyse("How much was invested in rural grids, per the March 2023 briefing?")
    assert period_fit(month, past, "", "2023-03-09") == PERIOD_BRIEFING


def test_a_figure_meeting_the_narrower_of_two_periods_asked_fits_better():
    question = analyse("What lantern output did the FY2022 plan expect by the end of 2022?", date(2024, 1, 20))
    end_of_2022, end_of_2021 = _figure("2022-12-01", "2022-12-31"), _figure("2021-12-01", "2021-12-31")
    assert period_fit(question, end_of_2022, "", "2021-05-28") > period_fit(question, end_of_2021, "", "2021-05-28") > 0


def test_a_part_of_a_year_never_names_a_briefing():
    question = analyse("What lantern output was expected by the end of 2022?", date(2024, 1, 20))
    assert name_briefings(question, [date(2022, 12, 14)]).briefings == ()
    assert name_briefings(analyse("lantern output at the December 2022 briefing"), [date(2022, 12, 14)]).briefings


def test_a_quarters_figure_does_not_meet_one_month_asked():
    question = analyse("How many lanterns were sold in March 2022?", date(2022, 4, 20))
    assert period_fit(question, _figure("2022-01-01", "2022-03-31"), "", "2022-04-20") == PERIOD_UNKNOWN
    assert period_fit(question, _figure("2022-03-01", "2022-03-31"), "", "2022-04-20") == 1.0


def test_a_figure_covering_all_of_the_period_asked_beats_one_covering_part():
    question = analyse("How much was spent on lanterns from January to March 2022?", date(2022, 4, 20))
    assert [(p.start, p.end) for p in question.periods] == [(date(2022, 1, 1), date(2022, 3, 31))]
    so_far = period_fit(question, _figure("2022-01-01", "2022-04-20"), "", "2022-04-20")  # "since January"
    march = period_fit(question, _figure("2022-03-01", "2022-03-31"), "", "2022-04-20")  # "last month"
    assert so_far > march > 0.5


def test_a_changes_baseline_period_meets_the_period_a_question_compares_with():
    question = analyse("How much higher was the lantern output in February 2022 than in June 2021?", date(2022, 3, 1))
    assert [(p.start, p.end) for p in question.baselines] == [(date(2021, 6, 1), date(2021, 6, 30))]
    since_june = _figure("2021-06-01", "2021-06-30", "last June", change=True)  # "0.4 points above last June"
    assert period_fit(question, since_june, "", "2022-03-01") == 1.0
    level = _figure("2021-06-01", "2021-06-30", "last June")  # June's level is no answer for February
    assert period_fit(question, level, "", "2022-03-01") == PERIOD_CONTRADICTS
