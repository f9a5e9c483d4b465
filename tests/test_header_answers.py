"""Questions about the briefing itself (when it was held, what time it began), answered from the
header lines before the first turn, on an invented briefing (fake embedder)."""

from __future__ import annotations

import pytest

from qa.faithfulness import citations_valid
from qa.header import asks_about_the_briefing

BRIEFING = """Press Briefing by Harbour Board Chair Ines Marlow
March 10, 2031

Board Room, Harbour House

3:05 P.M. EST

CHAIR MARLOW:  Good afternoon.  Cargo rose 4 percent in February, and the new berths open in June.

Q    Will fees rise this year?

CHAIR MARLOW:  Not this year.  The levy stays at 2 percent.
"""


@pytest.fixture
def engine(tmp_path, fake_embedder):
    from qa import QA

    (tmp_path / "2031-03-10_harbour-board-briefing.txt").write_text(BRIEFING, encoding="utf-8")
    return QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


@pytest.mark.parametrize("question, asks", [
    ("At what time did the March 10, 2031 press briefing with Chair Marlow begin?", True),
    ("What time did the harbour board briefing start?", True),
    ("On what date was the harbour board press briefing with Ines Marlow held?", True),
    ("When was the harbour board press briefing held?", True),
    ("At what time do the new berths open?", False),
    ("On what date do the new berths open?", False),
])
def test_questions_about_the_briefing_itself_are_told_apart(question, asks):
    assert asks_about_the_briefing(question) is asks


def test_the_start_time_is_read_from_the_header(engine):
    answer = engine.ask("At what time did the March 10, 2031 press briefing with Chair Marlow begin?")
    assert answer.answer == "3:05 P.M. EST"
    assert citations_valid(answer) and answer.citations[0].quote == "3:05 P.M. EST"
    assert 'the header of "Press Briefing by Harbour Board Chair Ines Marlow"' in answer.text


def test_the_date_held_is_the_header_date_line(engine):
    answer = engine.ask("On what date was the March 2031 press briefing with Ines Marlow held?")
    assert answer.answer == "March 10, 2031" and citations_valid(answer)
