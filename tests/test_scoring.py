"""qa.scoring's small judgements, on invented figures."""

import pytest

from corpus import Figure
from qa.scoring import points_back


@pytest.mark.parametrize("subject, lead, expected", [
    ("It's averaged only", "It's averaged only about ", True),
    ("that is a cost", "Now, that is a cost of ", True),
    ("", "We have seen that: ", True),  # no subject, next to nothing said before the figure
    ("", "Of those who have received their first booster dose, only ", False),
    ("we've been through many years of growth", "You know, we've been through many years of growth around ", False),
    ("exports", "Exports rose ", False),
])
def test_a_subject_that_points_back(subject, lead, expected):
    figure = Figure(text="2 percent", value=2.0, unit="percent", scale=None, qualifier=None, kind="percent",
                    period=None, subject=subject, start=0, end=9)
    assert points_back(figure, lead) is expected


@pytest.mark.parametrize("text, qualifier, kind, unit, phrase", [
    ("600,000", "exceeded", "count", "", "exceeded 600,000"),  # the transcript's own word, not "more than"
    ("300", "More than", "count", "charging stations", "more than 300 charging stations"),  # opened a sentence
    ("12.5%", None, "percent", "percent", "12.5%"),
])
def test_a_figure_is_shown_with_its_qualifier_as_said(text, qualifier, kind, unit, phrase):
    from qa.render import figure_phrase

    figure = Figure(text=text, value=1.0, unit=unit, scale=None, qualifier=qualifier, kind=kind,
                    period=None, subject="", start=0, end=len(text))
    assert figure_phrase(figure) == phrase


def test_an_acronym_said_covers_the_name_asked():
    from qa.scoring import abbreviated

    asked = "Which session of the Harbour Safety Assembly opens in May?"
    assert abbreviated(asked, "The 41st HSA opens on May 18.") == {"harbour", "safety", "assembly"}
    assert abbreviated(asked, "The 41st session opens on May 18.") == frozenset()
    assert abbreviated("How many ports reopened?", "The HSA met.") == frozenset()  # no name asked


def test_a_named_briefings_date_is_not_counted_as_words_a_figures_subject_misses() -> None:
    from datetime import date

    from corpus.figures import extract_figures
    from qa.question import analyse, name_briefings
    from qa.scoring import TermWeights, figure_relevance

    figure = extract_figures("The harbour board cut berth fees by 2 percent.")[0]
    weights = TermWeights.of(["The harbour board cut berth fees by 2 percent.", "Ferries ran on March 15."])
    plain = analyse("How much did the harbour board cut berth fees by?")
    dated = analyse("How much did the harbour board cut berth fees by on March 15, 2031?")
    named = name_briefings(dated, [date(2031, 3, 15)])
    assert named.briefings  # the question names the briefing of March 15, 2031
    recall = figure_relevance(named, figure, 0.5, weights).recall
    assert recall == pytest.approx(figure_relevance(plain, figure, 0.5, weights).recall)
    assert recall > figure_relevance(dated, figure, 0.5, weights).recall  # a date named no briefing


def test_the_head_of_an_increase_of_something_is_what_increased() -> None:
    from qa.scoring import subject_head

    assert subject_head("The office announced an increase of ferry allotments to the islands") == \
        "ferry allotments to the islands"
    assert subject_head("the waiting time of patients") == "the waiting time"  # no change noun: as before
