"""What a question expects: the kind of figure that can answer it."""

from __future__ import annotations

import pytest

from qa.question import analyse


@pytest.mark.parametrize("question, expect", [
    ("How much was spent on new reservoirs?", "money"),
    ("What was the value of harbour exports?", "money"),
    ("How much grain was stored in 2020?", "amount"),  # a quantity, not necessarily money
    ("How large was the restored wetland area?", "amount"),
    ("What was the scale of the bicycle industry?", "amount"),
    ("How many reservoirs were built?", "count"),
    ("What share of villages have broadband?", "percent"),
    ("How much did rail freight grow from 2015 to 2020?", "growth"),
    ("By how much did freight rise?", "change"),
    ("Who spoke about broadband?", "speaker"),
    ("What was the growth of harbour exports?", "change"),
    ("What growth rate did forecasters expect for next year?", "percent"),  # a rate is a level
])
def test_expectation_from_the_question_wording(question, expect):
    assert analyse(question).expect == expect


def test_numbers_the_question_states_are_kept_apart_years_aside():
    assert analyse("How many 25 basis point rises came in 2023?").stated == (25.0,)
    assert analyse("What was core inflation over the 12 months to April 2022?").stated == (12.0,)
    assert analyse("What 2021 growth rate did forecasters expect?").stated == ()
