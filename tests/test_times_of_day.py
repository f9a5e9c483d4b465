"""Times of day ("9:00 p.m.") are read as times, never as figures of their own, and answer
"at what time" questions (invented transcript, fake embedder)."""

from __future__ import annotations

import pytest

from corpus.figures import extract_figures
from qa import QA
from qa.faithfulness import citations_valid, number_faithful
from qa.question import analyse

FERRY = """Harbour Office holds press conference on the night ferry

Press conference on the night ferry | May 21, 2024

Li Ming:

The first night ferry will leave the east pier at 9:30 p.m. on Friday. It will carry up to 400 passengers.

Li Ming:

Ticket offices open at 7 a.m. and the harbour museum stays open until 18:00.
"""


@pytest.mark.parametrize("sentence, times, others", [
    ("The address will air at 9:00 p.m. Eastern.", ["9:00 p.m."], []),
    ("Doors open at 10.30am and close at 9 pm.", ["10.30am", "9 pm"], []),
    ("It is 14:45 now and 3.5 million came.", ["14:45"], ["3.5 million"]),
    ("Fees rose 3.50 percent.", [], ["3.50 percent"]),  # a decimal, not half past three
    ("At 2.45 p.m. the ship left with 12 crew.", ["2.45 p.m."], ["12"]),
])
def test_a_time_of_day_is_one_time_and_no_statistic(sentence, times, others):
    figures = extract_figures(sentence)
    assert [f.text for f in figures if f.kind == "time"] == times
    assert [f.text for f in figures if f.is_statistic] == others


def test_what_time_asks_for_a_time():
    assert analyse("At what time will the night ferry leave?").expect == "time"
    assert analyse("What time do ticket offices open?").expect == "time"
    assert analyse("How many times did the ferry sail?").expect != "time"


@pytest.fixture
def ferry_engine(tmp_path, fake_embedder):
    (tmp_path / "ferry.txt").write_text(FERRY, encoding="utf-8")
    return QA(corpus=tmp_path / "ferry.txt", index_dir=tmp_path / "index", embedder=fake_embedder,
              progress=False)


def test_an_at_what_time_question_is_answered_with_the_time_and_its_quote(ferry_engine):
    answer = ferry_engine.ask("At what time will the first night ferry leave the east pier?")
    assert not answer.abstained and answer.answer == "9:30 p.m."
    assert answer.figures[0].kind == "time" and "__" not in answer.text
    assert citations_valid(answer) and number_faithful(answer)
    assert ferry_engine.ask("What time do ticket offices open?").answer == "7 a.m."


def test_no_time_said_is_no_answer(ferry_engine):
    assert ferry_engine.ask("At what time does the harbour tunnel close for repairs?").abstained


def test_a_weekday_said_of_what_is_to_come_is_the_coming_one():
    from datetime import date

    from corpus.periods import mentions

    friday = date(2024, 5, 24)
    coming = mentions("The night ferry will start on Monday at 9:30 p.m.", friday)
    assert [m.period.start for m in coming] == [date(2024, 5, 27)]
    past = mentions("On Monday the night ferry carried 300 passengers.", friday)
    assert [m.period.start for m in past] == [date(2024, 5, 20)]


def test_a_time_answer_is_labelled_with_its_day_only(ferry_engine):
    text = ferry_engine.ask("At what time will the first night ferry leave the east pier?").text
    label = text.splitlines()[2]
    assert label.startswith("_(") and "2024-05-24" in label  # "on Friday", said of the coming Friday
