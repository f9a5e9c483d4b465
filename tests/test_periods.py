"""Period expressions resolved to date ranges (corpus.periods), with fixed reference dates."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.figures import extract_figures
from corpus.models import Passage, Sentence
from corpus.periods import Period, describe, mentions, place_in_time, resolve, resolve_all

JAN_20 = date(2022, 1, 20)  # a briefing on 2022-01-20
JUNE_17 = date(2015, 6, 17)


def span(text: str, reference: date | None = JAN_20) -> tuple[str, str] | None:
    period = resolve(text, reference)
    return (period.start.isoformat(), period.end.isoformat()) if period else None


@pytest.mark.parametrize("text, expected", [
    # explicit years, months, days
    ("in 2031", ("2031-01-01", "2031-12-31")),
    ("May 2015", ("2015-05-01", "2015-05-31")),
    ("in December 2017", ("2017-12-01", "2017-12-31")),
    ("Monday, February 22, 2021", ("2021-02-22", "2021-02-22")),
    ("from 1 January 2010", ("2010-01-01", "2010-01-01")),
    ("as of May 6, 2020", ("2020-05-06", "2020-05-06")),
    ("summer 2020", ("2020-06-01", "2020-08-31")),
    ("early 2022", ("2022-01-01", "2022-04-30")),
    ("by the end of 2021", ("2021-12-01", "2021-12-31")),
    ("the 1990s", ("1990-01-01", "1999-12-31")),
    # relative to the reference date
    ("last year", ("2021-01-01", "2021-12-31")),
    ("this year", ("2022-01-01", "2022-12-31")),
    ("so far this year", ("2022-01-01", "2022-01-20")),
    ("next year", ("2023-01-01", "2023-12-31")),
    ("last month", ("2021-12-01", "2021-12-31")),
    ("this month", ("2022-01-01", "2022-01-31")),
    ("last week", ("2022-01-10", "2022-01-16")),
    ("over the past week", ("2022-01-13", "2022-01-20")),
    ("yesterday", ("2022-01-19", "2022-01-19")),
    ("today", ("2022-01-20", "2022-01-20")),
    ("over the past decade", ("2012-01-20", "2022-01-20")),
    ("in the past ten years", ("2012-01-20", "2022-01-20")),
    ("over the past three months", ("2021-10-20", "2022-01-20")),
    ("two years ago", ("2020-01-01", "2020-12-31")),
    ("the end of the year", ("2022-12-01", "2022-12-31")),
    ("the year before last", ("2020-01-01", "2020-12-31")),
    ("in December", ("2021-12-01", "2021-12-31")),  # the last one past: no December is near ahead
    ("on January 18", ("2022-01-18", "2022-01-18")),
    # parts of a year: this year's once half over, else last year's
    ("the first quarter", ("2021-01-01", "2021-03-31")),  # said in January: last year's
    ("Q1", ("2021-01-01", "2021-03-31")),
    ("the second half", ("2021-07-01", "2021-12-31")),
    ("H1", ("2021-01-01", "2021-06-30")),
    ("the first half of 2021", ("2021-01-01", "2021-06-30")),
    ("the fourth quarter of this year", ("2022-10-01", "2022-12-31")),
    ("the first three quarters of 2021", ("2021-01-01", "2021-09-30")),
    # ranges and since
    ("since 2012", ("2012-01-01", "2022-01-20")),
    ("from 2012 to 2021", ("2012-01-01", "2021-12-31")),
    ("between 2012 and 2021", ("2012-01-01", "2021-12-31")),
    ("2012-2021", ("2012-01-01", "2021-12-31")),
    ("between March 1 and April 4, 2021", ("2021-03-01", "2021-04-04")),
    ("from January to May this year", ("2022-01-01", "2022-05-31")),
    ("in the January-November period", ("2021-01-01", "2021-11-30")),  # two months joined by a dash
    # a span of months that ends with a month
    ("in the 12 months to June 2021", ("2020-07-01", "2021-06-30")),
    ("the three months ending in November", ("2021-09-01", "2021-11-30")),
    ("in the year to September 2021", ("2020-10-01", "2021-09-30")),
    # plans and fiscal years
    ("the 13th Five-Year Plan period", ("2016-01-01", "2020-12-31")),
    ("during the 14th Five-Year Plan", ("2021-01-01", "2025-12-31")),
    ("the first Five-Year Plan", ("1953-01-01", "1957-12-31")),
    ("fiscal year 2021", ("2020-07-01", "2021-09-30")),
    ("FY2021-22", ("2021-07-01", "2022-06-30")),
])
def test_resolves_each_expression(text, expected):
    assert span(text) == expected


def test_the_first_quarter_is_this_years_once_mostly_past():
    assert span("the first quarter", date(2022, 3, 1)) == ("2022-01-01", "2022-03-31")
    assert span("the first quarter", date(2022, 1, 5)) == ("2021-01-01", "2021-03-31")
    assert span("the fourth quarter", date(2018, 12, 19)) == ("2018-10-01", "2018-12-31")


def test_a_quarter_named_by_the_month_it_ends_in():
    assert span("in the September quarter of 2031") == ("2031-07-01", "2031-09-30")
    assert span("the June quarter 2031") == ("2031-04-01", "2031-06-30")
    assert span("growth in the March quarter", date(2032, 6, 2)) == ("2032-01-01", "2032-03-31")
    assert span("the December quarter", date(2032, 1, 20)) == ("2031-10-01", "2031-12-31")
    # two quarters named together: the run from the first to the second
    assert span("fell in the March and June quarters", date(2032, 9, 2)) == ("2032-01-01", "2032-06-30")
    assert span("in the December and the March quarters", date(2032, 6, 2)) == ("2031-10-01", "2032-03-31")
    assert span("in March 2031") == ("2031-03-01", "2031-03-31")  # a month is still a month


def test_last_december_and_next_march():
    assert span("Last December, unemployment was 4.1 percent", date(2018, 12, 19)) == ("2017-12-01", "2017-12-31")
    assert span("next March", date(2018, 12, 19)) == ("2019-03-01", "2019-03-31")


def test_that_year_is_the_year_named_before():
    assert span("In 2019 we set a goal, and at the end of that year it was met") == ("2019-01-01", "2019-12-31")
    assert resolve_all("In 2019 we set a goal, and at the end of that year it was met", JAN_20)[1].start == \
        date(2019, 12, 1)


def test_between_two_days_without_a_year_takes_the_reference_year():
    assert span("between March 1 and April 4", date(2022, 5, 2)) == ("2022-03-01", "2022-04-04")


@pytest.mark.parametrize("text", [
    "up 5% year on year", "up 7 points over 2012", "compared with 2012", "higher than a year ago",
    "up 3% over the same period last year", "up 12% from a year earlier",
    "the lowest since 1994", "the first time since 2011", "its highest level since March 2020",
])
def test_baselines_are_no_period(text):
    assert resolve(text, JAN_20) is None
    assert any(m.baseline for m in mentions(text, JAN_20))


def test_since_a_year_is_a_period_unless_a_record_is_set_against_it():
    assert span("fares have risen 30 percent since 2012")[0] == "2012-01-01"
    assert span("the interest rate since 2010")[0] == "2010-01-01"  # "interest" is no superlative
    assert span("the gap in the June quarter was 2 percent, the lowest since 1994", date(2031, 9, 12)) == \
        ("2031-04-01", "2031-06-30")


def test_a_level_and_its_baseline():
    found = mentions("In 2021, the rate reached 51.3%, up 7 points over 2012.", JAN_20)
    assert [(m.text, m.baseline) for m in found] == [("2021", False), ("over 2012", True)]


def test_over_the_past_decade_is_no_baseline():
    assert not mentions("It rose 40% over the past decade", JAN_20)[0].baseline


@pytest.mark.parametrize("text", [
    "more than 2000 companies", "2021 yuan", "we built 2000 stations", "May I ask a question?",
    "the SEP shows", "prices may fall",
])
def test_amounts_verbs_and_acronyms_are_no_period(text):
    assert resolve(text, JAN_20) is None


def test_relative_expressions_need_a_reference():
    assert resolve("last year", None) is None
    assert resolve("the first quarter", None) is None
    assert span("in 2021", None) == ("2021-01-01", "2021-12-31")


def test_ranges_keep_their_ends():
    period = resolve("From 2012 to 2021", JAN_20)
    assert period is not None and period.ends is not None
    assert [p.start.year for p in period.ends] == [2012, 2021]


def test_a_hard_wrapped_expression():
    assert span("in the fourth\nquarter of this year") == ("2022-10-01", "2022-12-31")


def test_expression_as_written_without_the_sentence_stop():
    assert resolve("It peaked in July.", JAN_20).text == "July"


@pytest.mark.parametrize("text, said", [
    ("last year", "in 2021"), ("last month", "in December 2021"), ("the first quarter", "in Q1 2021"),
    ("the second half", "in H2 2021"), ("yesterday", "on 2022-01-19"), ("the 13th Five-Year Plan", "in 2016-2020"),
    ("from January to May this year", "in January-May 2022"), ("the past week", "from 2022-01-13 to 2022-01-20"),
])
def test_describe(text, said):
    assert describe(resolve(text, JAN_20)) == said


def test_over_a_period_right_after_a_level_is_its_own_period_not_a_baseline():
    from corpus.figures import extract_figures
    from corpus.periods import figure_mention

    said_on = date(2015, 6, 17)
    sentence = ("Over the past three months, ferry trips averaged 2,100 a week, down from an average pace of "
                "2,800 a week over the second half of last year.")
    recent, earlier = extract_figures(sentence)
    assert figure_mention(recent, sentence, 0, said_on).text == "the past three months"
    assert figure_mention(earlier, sentence, 0, said_on).period == Period(date(2014, 7, 1), date(2014, 12, 31),
                                                                          "the second half of last year")
    change = "Fares rose 5 percent over last year."  # a change is measured over a baseline
    assert figure_mention(extract_figures(change)[0], change, 0, said_on) is None


def test_a_weekday_before_a_full_date_is_read_with_the_date():
    found = mentions("How many ferries sailed on Monday, February 22, 2021?", date(2024, 3, 7))
    assert [(m.text, m.period.start) for m in found] == [("on Monday, February 22, 2021", date(2021, 2, 22))]
    assert [m.period.start for m in mentions("They sailed on Tuesday the 3rd of May 2022.", None)] == [date(2022, 5, 3)]


def _periods_of(text: str, reference: str = "2026-03-10") -> list[tuple[str | None, str | None]]:
    """The resolved period of each statistic of a one-sentence passage."""
    passage = Passage(id="d:p1", doc_id="d", speaker="X", role="answer", turn=0, paragraph_no=1, text=text,
                      start=0, end=len(text), question_context=None, sentences=(Sentence(0, len(text), text),),
                      figures=tuple(extract_figures(text)))
    (placed,) = place_in_time([passage], reference)
    return [(f.period_start, f.period_end) for f in placed.figures if f.is_statistic]


@pytest.mark.parametrize("text", [
    "Growth this year and next year is put at 2.1 percent and 1.8 percent respectively.",
    "Cargo rose 2.1 percent and 1.8 percent in 2026 and 2027 respectively.",
])
def test_respectively_pairs_periods_with_figures_in_order(text):
    assert _periods_of(text) == [("2026-01-01", "2026-12-31"), ("2027-01-01", "2027-12-31")]


def test_respectively_pairing_items_leaves_the_period_shared():
    text = "In 2025, ferry and bus fares rose 3 percent and 4 percent respectively."
    assert _periods_of(text) == [("2025-01-01", "2025-12-31")] * 2


def test_two_months_running_joined_by_and_are_one_span():
    text = "In January and February, ferry and bus fares rose 3 percent and 4 percent respectively."
    assert _periods_of(text) == [("2026-01-01", "2026-02-28")] * 2
    assert _periods_of("Cargo rose 3 percent and 4 percent in January and February respectively.") == [
        ("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28")]
    assert span("Sales in March and June rose.", date(2026, 7, 1)) != ("2026-03-01", "2026-06-30")


def _passage_periods(text: str, reference: str = "2026-03-10") -> list[tuple[str | None, str | None]]:
    """The resolved period of each statistic of a passage, split into sentences at '. '."""
    sentences, start = [], 0
    for piece in text.split(". "):
        end = start + len(piece) + (0 if piece.endswith(".") else 1)
        sentences.append(Sentence(start, end, text[start:end]))
        start = end + 1
    passage = Passage(id="d:p1", doc_id="d", speaker="X", role="answer", turn=0, paragraph_no=1, text=text,
                      start=0, end=len(text), question_context=None, sentences=tuple(sentences),
                      figures=tuple(extract_figures(text)))
    (placed,) = place_in_time([passage], reference)
    return [(f.period_start, f.period_end) for f in placed.figures if f.is_statistic]


def test_a_period_a_passage_opens_with_dates_the_undated_sentences_after_it():
    text = ("In the first quarter, cargo grew 3.2% year on year. Ferry cargo grew 7.1%. "
            "We expect growth of 5% for the year.")
    first_quarter = ("2026-01-01", "2026-03-31")
    assert _passage_periods(text) == [first_quarter, first_quarter, (None, None)]


def test_a_period_said_inside_a_sentence_dates_only_that_sentence():
    text = "Cargo grew 3.2% in the first quarter. Ferry cargo grew 7.1%."
    assert _passage_periods(text) == [("2026-01-01", "2026-03-31"), (None, None)]


def test_a_period_in_a_comparison_after_a_figure_is_not_the_figures():
    text = "Cargo grew by 5.4% year on year, 0.8 points higher than the growth rate of 2025."
    assert _periods_of(text)[0] == (None, None)
    assert _periods_of("Cargo grew by 5.4%, the fastest pace of 2025.")[0] == ("2025-01-01", "2025-12-31")
