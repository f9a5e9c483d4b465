"""Follow-up questions are read with the previous question, by their shape alone."""

from __future__ import annotations

import pytest

from qa.followup import compose

SIZE = "What was the size of the widget industry in 2021?"
GROWTH = "How much did the widget industry grow from 2012 to 2021?"


@pytest.mark.parametrize("previous, question, searched", [
    (SIZE, "And in 2012?", "What was the size of the widget industry in 2012?"),
    (SIZE, "In 2012?", "What was the size of the widget industry in 2012?"),
    (SIZE, "what about 2015?", "What was the size of the widget industry in 2015?"),
    (SIZE, "And by the end of 2019?", "What was the size of the widget industry in 2019?"),
    (GROWTH, "And from 2015 to 2020?", "How much did the widget industry grow from 2015 to 2020?"),
    (GROWTH, "And in 2015?", "How much did the widget industry grow in 2015?"),
    (SIZE, "And the gadget sector?", "What was the size of the gadget sector in 2021?"),
    ("How many blue kiosks were built?", "And red lanterns?", "How many red lanterns were built?"),
    ("Who spoke about river ports?", "How about rail freight?", "Who spoke about rail freight?"),
    (SIZE, "How much did it grow?", "How much did the widget industry grow?"),
    (SIZE, "How much did it grow from 2012 to 2021?", "How much did the widget industry grow from 2012 to 2021?"),
    ("What was the failure rate of blue pumps in 2020?", "And the share of red pumps?",
     "What was the share of red pumps in 2020?"),
    ("What was the failure rate of blue pumps in 2020?", "And red pumps?",
     "What was the failure rate of red pumps in 2020?"),
    (SIZE, "Who said that?", "Who said the widget industry?"),
    (SIZE, "And?", SIZE),
    (SIZE, "And how much did it grow?", "how much did the widget industry grow?"),
])
def test_follow_ups_are_composed_with_the_previous_question(previous, question, searched):
    search = compose(question, previous)
    assert search.searched == searched and search.followup and search.question == question


@pytest.mark.parametrize("question", [
    "How many 5G base stations were built?",  # names its own subject
    "What was the penetration rate of design tools in 2020?",
    "Is that true?",  # a pronoun, but no question word to resolve it with
    "Why?",
])
def test_questions_that_stand_on_their_own_are_searched_as_typed(question):
    search = compose(question, SIZE)
    assert search.searched == question and not search.followup


def test_a_full_question_after_and_is_searched_on_its_own():
    search = compose("And how many gadget shops opened in 2020?", SIZE)
    assert search.searched == "And how many gadget shops opened in 2020?" and not search.followup


def test_without_a_previous_question_nothing_is_composed():
    assert compose("And in 2012?", None).searched == "And in 2012?"
    assert not compose("And in 2012?", "").followup


def test_follow_ups_chain_on_what_was_searched_last():
    first = compose("And in 2012?", SIZE)
    second = compose("And the gadget sector?", first.searched)
    assert second.searched == "What was the size of the gadget sector in 2012?"
