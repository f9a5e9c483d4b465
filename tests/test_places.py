"""A figure said of one country does not answer for another (qa.places; invented briefing)."""

from __future__ import annotations

import pytest

from qa import QA
from qa.places import countries_in, of_another_country
from tests.conftest import FakeEmbedder


def test_countries_are_found_by_their_iso_names_and_a_few_short_forms():
    assert countries_in("Peru and the Republic of Korea met the U.S. and the UK.") == {"PER", "KOR", "USA", "GBR"}
    assert countries_in("Nigeria sent us 12 ships") == {"NGA"}  # not "Niger", not "us"
    assert countries_in("It costs US$34 billion.") == frozenset()  # a currency, not a country
    assert countries_in("How many ferries sailed?") == frozenset()


@pytest.mark.parametrize("sentence, other", [
    ("Chile has reported 7,400 cases.", True),  # another country only
    ("Peru has reported 310 cases.", False),
    ("Peru reported 310 cases, fewer than Chile.", False),  # the country asked is named too
    ("There are now 310 cases in 12 provinces.", False),  # no country named: it may be the one asked
])
def test_a_sentence_of_another_country_does_not_answer(sentence, other):
    assert of_another_country("How many cases had Peru reported?", sentence) is other
    assert of_another_country("How many cases were reported?", sentence) is False  # no country asked


BRIEFING = """Health briefing on the ferry fever outbreak
March 3, 2031
DR. ANA WREN:  Good afternoon.  Chile has reported 7,400 cases of ferry fever to us, including 96 deaths.
The outbreak is slowing there.
Q    How many cases has Chile reported?
DR. ANA WREN:  As I said, 7,400 cases.
"""


def test_the_answer_for_a_country_never_named_is_no_other_countrys_figure(tmp_path):
    path = tmp_path / "2031-03-03_ferry-fever-briefing.txt"
    path.write_text(BRIEFING, encoding="utf-8")
    engine = QA(corpus=path, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    assert "7,400" in engine.ask("How many cases of ferry fever has Chile reported?").text
    assert engine.ask("How many cases of ferry fever has Peru reported?").abstained
