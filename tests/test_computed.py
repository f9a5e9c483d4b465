"""Computed figures: changes and ratios, labelled and in sensible units (no model)."""

from __future__ import annotations

from corpus import Figure
from qa.answerer import computed_change


def figure(text, value, unit, scale=None):
    return Figure(text, value, unit, scale, None, "money", None, "x", 0, len(text))


def test_computed_change_handles_scales_units_and_shares():
    assert computed_change(figure("2.5 trillion yuan", 2.5, "yuan", "trillion"),
                           figure("9.5 trillion yuan", 9.5, "yuan", "trillion")).text == "+7.0 trillion yuan, 3.8x"
    assert computed_change(figure("800 billion yuan", 800, "yuan", "billion"),
                           figure("1.2 trillion yuan", 1.2, "yuan", "trillion")).text == "+0.4 trillion yuan, 1.5x"
    assert computed_change(figure("20%", 20, "percent"), figure("35%", 35, "percent")).text == "+15.0 percentage points"
    assert computed_change(figure("52 hours", 52, "hours"), figure("9 days", 9, "days")) is None
