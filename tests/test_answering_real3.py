"""Abbreviated year ranges ("2004-06") are periods, not figures; "that period" points back; a
figure for the period asked, and the best passage's transcript, are preferred."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from corpus.figures import extract_figures
from corpus.models import Figure, Passage, Sentence
from corpus.periods import place_in_time, resolve_all
from qa import answerer, crossdoc


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("During the 1996-99 expansion, output grew.", date(1996, 1, 1), date(1999, 12, 31)),
        ("The 2011–13 programme cost money.", date(2011, 1, 1), date(2013, 12, 31)),
        ("The 1998-01 stretch was long.", date(1998, 1, 1), date(2001, 12, 31)),
        ("The 2030-31 season starts soon.", date(2030, 1, 1), date(2031, 12, 31)),
    ],
)
def test_abbreviated_year_ranges_are_periods(text, start, end):
    (period,) = resolve_all(text, date(2040, 1, 1))
    assert (period.start, period.end) == (start, end)


def test_two_digits_too_far_from_the_year_are_no_range():
    assert all(p.end.year < 2037 for p in resolve_all("Back in 2004-37 units were shipped.", date(2010, 1, 1)))


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Over the 2007-09 slump we cut staff by 12 percent.", [12.0]),
        ("In FY2031-32 the agency hired 450 inspectors.", [450.0]),
        ("Spending in 2016/17 reached $3 billion.", [3.0]),
    ],
)
def test_the_closing_digits_of_a_year_range_are_no_figure(text, figures):
    statistics = [f.value for f in extract_figures(text) if f.is_statistic]
    assert statistics == figures


def test_a_number_after_a_far_year_still_counts():
    assert 37.0 in [f.value for f in extract_figures("Back in 2004-37 units were shipped.")]


def _passage(text: str) -> Passage:
    """One passage of `text`, split on '. ' into sentences, with its figures."""
    sentences, start = [], 0
    for piece in text.split(". "):
        piece = piece if piece.endswith(".") else piece + "."
        begin = text.index(piece.rstrip("."), start)
        sentences.append(Sentence(begin, begin + len(piece), text[begin:begin + len(piece)]))
        start = begin + len(piece)
    return Passage(id="d:p1", doc_id="d", speaker="X", role="answer", turn=0, paragraph_no=1, text=text,
                   start=0, end=len(text), question_context=None, sentences=tuple(sentences),
                   figures=tuple(extract_figures(text)))


def test_that_period_takes_the_period_said_in_the_sentence_before():
    passage = _passage("You asked about the 2001-03 tightening. Throughout that period, the board "
                       "met on 9 occasions and raised the rate each time.")
    (placed,) = place_in_time([passage], "2020-05-01")
    nine = next(f for f in placed.figures if f.value == 9)
    assert (nine.period_start, nine.period_end) == ("2001-01-01", "2003-12-31")


def test_the_same_period_takes_the_period_said_in_the_sentence_before():
    passage = _passage("Harbour fees rose 1.7 percent in the year to March 2019. "
                       "Core fees rose 1.2 percent over the same period.")
    (placed,) = place_in_time([passage], "2020-05-01")
    core = next(f for f in placed.figures if f.value == 1.2)
    assert (core.period_start, core.period_end) == ("2018-04-01", "2019-03-31")  # the year to March 2019


def test_an_undated_figure_without_a_back_reference_stays_undated():
    passage = _passage("You asked about the 2001-03 tightening. The board has 9 members.")
    (placed,) = place_in_time([passage], "2020-05-01")
    nine = next(f for f in placed.figures if f.value == 9)
    assert nine.period_start is None and nine.period_end is None


# --- choosing among figures of several transcripts -------------------------------------------


def _figure(subject: str, value: float) -> Figure:
    return Figure(text=str(value), value=value, unit="jobs", scale=None, qualifier=None, kind="count",
                  period=None, subject=subject, start=0, end=1)


def test_a_figure_for_the_period_asked_beats_a_better_one_of_another_period(monkeypatch):
    wrong_year = SimpleNamespace(figure=_figure("jobs per month", 1.0), score=0.6)
    other_measure = SimpleNamespace(figure=_figure("hiring gains", 2.0), score=0.5)
    fits = {id(wrong_year): -1.0, id(other_measure): 0.6}
    monkeypatch.setattr(crossdoc, "_names_period", lambda question: True)
    monkeypatch.setattr(crossdoc, "_period", lambda question, pick, dated_on: fits[id(pick)])
    assert crossdoc.for_named_year(None, [wrong_year, other_measure]) is other_measure


def test_the_briefing_named_answers_with_its_own_figure_for_the_period(monkeypatch):
    """'The June projection for 2023': December's projection for 2023, ranked first, gives way
    to June's; with no figure of June's for 2023, the best pick stays."""
    december = SimpleNamespace(figure=_figure("projected levy", 5.1), score=0.7)
    june = SimpleNamespace(figure=_figure("projected levy", 3.8), score=0.6)
    june_other_year = SimpleNamespace(figure=_figure("projected levy", 3.4), score=0.65)
    fits = {id(december): crossdoc.PERIOD_OTHER_BRIEFING, id(june): 1.0, id(june_other_year): -1.0}
    monkeypatch.setattr(crossdoc, "_names_period", lambda question: True)
    monkeypatch.setattr(crossdoc, "_period", lambda question, pick, dated_on: fits[id(pick)])
    assert crossdoc.for_named_year(None, [december, june_other_year, june]) is june
    assert crossdoc.for_named_year(None, [december, june_other_year]) is december


def _candidate(doc_id: str, rank: int) -> SimpleNamespace:
    return SimpleNamespace(similarity=0.5, coverage=0.5, rank=rank, passage=SimpleNamespace(doc_id=doc_id))


def test_a_low_ranked_figure_of_another_transcript_is_less_sure(monkeypatch):
    monkeypatch.setattr(answerer, "unknown_share", lambda question, weights: 0.0)
    pick = SimpleNamespace(relevance=SimpleNamespace(value=0.5))
    same = answerer._confidence(_candidate("a", 4), pick, None, None, top_doc="a")
    other = answerer._confidence(_candidate("b", 4), pick, None, None, top_doc="a")
    near = answerer._confidence(_candidate("b", 1), pick, None, None, top_doc="a")
    assert other < same == near



def test_a_figure_of_a_transcript_whose_best_passage_ranks_high_is_not_doubted(monkeypatch):
    monkeypatch.setattr(answerer, "unknown_share", lambda question, weights: 0.0)
    pick = SimpleNamespace(relevance=SimpleNamespace(value=0.5))
    low = answerer._confidence(_candidate("b", 4), pick, None, None, top_doc="a")
    # the same passage, of a transcript whose best passage is second: as sure as one ranked there
    high = answerer._confidence(_candidate("b", 4), pick, None, None, top_doc="a", doc_rank=1)
    assert low < high == answerer._confidence(_candidate("b", 1), pick, None, None, top_doc="a")


def test_the_second_end_of_a_range_is_not_dated_by_the_first_ends_year():
    passage = _passage("The average harbour levy was reduced from 15.3 percent in 2001 to 9.8 percent.")
    (placed,) = place_in_time([passage], "2018-07-17")
    old, new = (next(f for f in placed.figures if f.value == v) for v in (15.3, 9.8))
    assert (old.period_start, old.period_end) == ("2001-01-01", "2001-12-31")
    assert new.period_start is None  # said of now, not of 2001
