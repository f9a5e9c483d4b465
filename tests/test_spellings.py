"""Numbers spelled either way give the question the same vector."""

from __future__ import annotations

import numpy as np
import pytest

from qa.spellings import spellings


@pytest.mark.parametrize("a, b", [
    ("villages in the four pilot provinces", "villages in the 4 pilot provinces"),
    ("a rate of 51.3 percent", "a rate of 51.3%"),
    ("a rate of 51.3 per cent", "a rate of 51.3 %"),
    ("2,400 villages", "2400 villages"),
    ("the top ten ports handled 1,500 ships", "the top 10 ports handled 1500 ships"),
])
def test_both_spellings_of_a_number_give_the_same_forms(a, b):
    assert spellings(a) == spellings(b)


def test_questions_without_such_numbers_are_left_alone():
    for text in ("How many platforms are there?", "What happened in 2021?", "Growth of 4.5 points",
                 "Which one of them?"):
        assert spellings(text) == (text,)
    assert spellings("grew 4.5% to 12 units") == ("grew 4.5% to 12 units", "grew 4.5 percent to twelve units")


def test_the_engine_gives_both_spellings_one_vector(fake_engine):
    fake_engine.load()
    one = fake_engine.retrieve("villages in the four pilot provinces")
    other = fake_engine.retrieve("villages in the 4 pilot provinces")
    assert [h.passage.id for h in one] == [h.passage.id for h in other]
    assert np.allclose([h.dense for h in one], [h.dense for h in other])
