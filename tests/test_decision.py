"""The answerer's decision is data (qa.decision), and qa.render.answer_from is the one place that
writes an Answer from it. Invented briefings, fake embedder."""

from __future__ import annotations

import pytest

from corpus import document_text
from qa.decision import (
    Abstain,
    FigureAnswer,
    ListedAnswer,
    NamedAnswer,
    RangeAnswer,
    SentenceAnswer,
    SpanAnswer,
)
from qa.question import analyse
from qa.render import NOT_ANSWERED, answer_from

BRIEFING = (
    "Harbour Office holds press conference on port trade\n\nPress conference on port trade | May 21, 2024\n\n"
    "Li Ming:\n\nThe new ferry terminal will open on the 19th of June. Harbour fees rose from 3.2 percent to "
    "4.8 percent over the year. The port handled 2,400 ships in April.\n\n"
    "Reporter:\n\nWhat about the dredging works?\n\n"
    "Li Ming:\n\nThe dredging works are going well and will be finished soon.\n")


@pytest.fixture
def engine(tmp_path, fake_embedder):
    from qa import QA

    (tmp_path / "port.txt").write_text(BRIEFING, encoding="utf-8")
    return QA(corpus=tmp_path / "port.txt", index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


def _spans_hold(decision) -> None:
    """Every evidence sentence is its document's text at its offsets, every figure lies in one."""
    evidence = decision.evidence if isinstance(decision.evidence, tuple) else (decision.evidence,)
    for item in evidence:
        text = document_text(item.document.source)
        assert text[item.sentence.start : item.sentence.end] == item.sentence.text
    figures = [getattr(decision, name) for name in ("figure", "start", "end") if hasattr(decision, name)]
    for figure in [f for f in figures if not isinstance(f, int)]:
        assert any(e.sentence.start <= figure.start < figure.end <= e.sentence.end for e in evidence)


def test_each_kind_of_question_gets_its_kind_of_decision(engine):
    figure = engine.decide("How many ships did the port handle in April?")
    assert isinstance(figure, FigureAnswer) and figure.figure.text == "2,400"
    _spans_hold(figure)
    growth = engine.decide("By how much did harbour fees rise over the year?")
    assert isinstance(growth, RangeAnswer) and (growth.start.text, growth.end.text) == ("3.2 percent", "4.8 percent")
    assert growth.computed is not None
    _spans_hold(growth)
    day = engine.decide("On what date will the new ferry terminal open?")
    assert isinstance(day, SpanAnswer) and day.said == "the 19th of June"
    _spans_hold(day)
    assert isinstance(engine.decide("What did Li Ming say about the dredging works?"), SentenceAnswer)
    assert isinstance(engine.decide("What is the price of bottled water in Lisbon?"), Abstain)


def test_the_rendered_answer_is_the_decisions(engine):
    for question in ("How many ships did the port handle in April?", "On what date will the new ferry terminal open?",
                     "What is the price of bottled water in Lisbon?"):
        decision, answer = engine.decide(question), engine.ask(question)
        assert answer.abstained == isinstance(decision, Abstain)
        if isinstance(decision, FigureAnswer):
            assert answer.figures == (decision.figure,) and answer.citations[0].quote == decision.evidence.sentence.text
        if isinstance(decision, SpanAnswer):
            assert answer.answer == decision.said and not answer.figures


def test_the_renderer_writes_every_kind(engine):
    question = analyse("How many ships?")
    figure = engine.decide("How many ships did the port handle in April?")
    evidence = figure.evidence
    assert answer_from(question, [], Abstain(0.2)).answer == NOT_ANSWERED
    assert answer_from(question, [], Abstain(0.2)).confidence == pytest.approx(0.8)
    assert answer_from(question, [], figure).answer == "2,400 ships"
    assert answer_from(question, [], SentenceAnswer(evidence, 0.5)).answer == evidence.sentence.text
    named = answer_from(question, [], NamedAnswer(evidence, "Li Ming", 0.5))
    assert named.answer == "Li Ming" and named.citations[0].quote == evidence.sentence.text
    listed = answer_from(question, [], ListedAnswer((evidence, evidence), (figure.figure, figure.figure), 0.5),
                         dated=True)
    said = "2,400 ships (in April 2024, said as 'April' on 2024-05-21)"
    assert listed.answer == f"{said} [1]; {said} [2]"
    assert len(listed.citations) == 2 and "2024-05-21" in listed.text
    with pytest.raises(TypeError):
        answer_from(question, [], "an answer")


def test_every_decision_on_the_bundled_set_rests_on_the_transcripts_words(fake_engine):
    from qa.eval import load_set
    from qa.faithfulness import grounded

    decisions = [fake_engine.decide(item.question) for item in load_set()]
    assert sum(not isinstance(d, Abstain) for d in decisions) > 20  # most answer: the check has work
    assert all(grounded(d) for d in decisions)


def test_a_decision_whose_figure_is_not_in_its_sentence_is_not_grounded(engine):
    from dataclasses import replace

    from qa.faithfulness import grounded

    figure = engine.decide("How many ships did the port handle in April?")
    moved = replace(figure.figure, start=figure.figure.start + 1, end=figure.figure.end + 1)
    assert grounded(figure) and not grounded(replace(figure, figure=moved))
    day = engine.decide("On what date will the new ferry terminal open?")
    assert not grounded(replace(day, end=day.evidence.sentence.end + 5))


def test_every_kind_of_question_has_its_row_in_the_answer_types_table():
    from typing import get_args

    from qa.answer_types import ANSWER_TYPES, FIGURE_EXPECTATIONS
    from qa.question import Expect

    assert set(ANSWER_TYPES) == set(get_args(Expect))
    for name, row in ANSWER_TYPES.items():
        # a type answered with a figure names the kinds that fit it; the others name none but their own
        assert bool(row.kinds) == (row.answered_by in ("figure", "kind")), name
    assert "count" in FIGURE_EXPECTATIONS and "speaker" not in FIGURE_EXPECTATIONS


def test_number_faithfulness_checks_the_figure_spans_not_the_markdown(engine):
    from dataclasses import replace

    from qa.faithfulness import number_faithful

    answer = engine.ask("How many ships did the port handle in April?")
    figure = answer.figures[0]
    assert number_faithful(answer)
    moved = replace(figure, start=figure.start + 1, end=figure.end + 1)  # "2,400" read one character late
    assert not number_faithful(replace(answer, figures=(moved,)))
    # a number only the markdown says, not the short answer or the label, is no claim of the answer
    assert number_faithful(replace(answer, text=answer.text + "\n\n> 9,999"))
    assert not number_faithful(replace(answer, answer="9,999 ships"))


def test_the_page_and_the_library_write_the_same_answer(engine):
    """The chat bubble, the plain-text copy and Answer.text come from one renderer: the same
    label, quote and attribution, escaped for markdown on the page."""
    import ui
    from qa.followup import compose

    question = "How many ships did the port handle in April?"
    answer = engine.ask(question)
    search = compose(question, None)
    label = "Ships in April (in April 2024, said as 'April' on 2024-05-21)"
    assert f"_{label}_" in answer.text
    assert f"_{ui.escape_markdown(label)}_" in ui.chat_markdown(answer, search)
    plain = ui.plain_text(answer, search)
    assert f"A: 2,400 ships\n({label})" in plain
    assert f'"{answer.citations[0].quote}" [1]' in plain
    growth = engine.ask("By how much did harbour fees rise over the year?")
    assert "**Computed** by this tool, not stated in the transcript:" in growth.text
    assert "**Computed** by this tool, not stated in the transcript:" in ui.chat_markdown(growth, compose("x", None))


def test_figure_scores_equal_but_for_float_noise_keep_reading_order():
    from types import SimpleNamespace

    from qa.answerer import best_first

    first, second, better = (SimpleNamespace(score=s) for s in (0.70800001, 0.70800004, 0.75))
    assert best_first([first, second, better]) == [better, first, second]  # not second before first
    assert best_first([second, first]) == [second, first]
