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
