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
])
def test_expectation_from_the_question_wording(question, expect):
    assert analyse(question).expect == expect
