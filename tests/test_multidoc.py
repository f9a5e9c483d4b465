"""Three transcripts in three layouts (plain text, two HTML pages, Markdown), real model:
questions reach the right document, figures from several dates say which is which, filters."""

from __future__ import annotations

import json
import re

import pytest

from corpus import document_text
from qa.eval import evaluate, load_set
from qa.faithfulness import citations_valid, number_faithful
from tests.conftest import FIXTURES

MULTIDOC = FIXTURES / "multidoc"
MULTIDOC_SET = FIXTURES / "multidoc_eval.jsonl"
RIVER = ("Water Resources Office holds press conference on river basin management", "2021-04-12")
SECURITY = ("Water Resources Office holds press conference on water security", "2022-05-17")
GROUNDWATER = ("Water Resources Office holds press conference on groundwater recovery", "2023-06-08")

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def engine(tmp_path_factory, real_embedder):
    from qa import QA

    return QA(corpus=MULTIDOC, index_dir=tmp_path_factory.mktemp("multidoc-index"), embedder=real_embedder,
              progress=False).load()


def _checked(answer):
    assert citations_valid(answer) and number_faithful(answer), answer.text
    for citation in answer.citations:
        assert document_text(citation.source)[citation.start : citation.end] == citation.quote
    return answer


@pytest.mark.parametrize("question, answer, speaker, document", [
    ("How many unsafe reservoirs were reinforced?", "1,240", "Feng Qiaoyu", RIVER),
    ("How many new irrigation districts were started?", "1,580", "Ou Jianming", SECURITY),
    ("How many key cities had their flood control standard raised?", "46", "Sun Peilin", SECURITY),  # page 2
    ("How many wells drawing from deep aquifers were sealed?", "9,600", "Wei Shuang", GROUNDWATER),
])
def test_each_question_cites_its_document_speaker_and_date(engine, question, answer, speaker, document):
    result = _checked(engine.ask(question))
    assert answer in result.answer
    citation = result.citations[0]
    assert (citation.speaker, citation.document, citation.date) == (speaker, *document)
    assert f'of "{document[0]}", {document[1]}' in result.text


def test_one_measure_at_three_dates_says_which_is_which(engine):
    result = _checked(engine.ask("How many hectares of water-saving irrigation area were there?"))
    assert [(c.document, c.date) for c in result.citations] == [GROUNDWATER, SECURITY, RIVER]  # newest first
    assert [c.speaker for c in result.citations] == ["Lin Haoran", "Ou Jianming", "Feng Qiaoyu"]
    assert result.answer == ("40.1 million hectares (by the end of 2022) [1]; 38.9 million hectares "
                             "(by the end of 2021) [2]; 37.6 million hectares (by the end of 2020) [3]")
    for figure, citation in zip(result.figures, result.citations):
        assert figure.text in citation.quote


def test_a_named_year_picks_that_years_document(engine):
    result = _checked(engine.ask("How many hectares of water-saving irrigation were there in 2021?"))
    assert result.answer == "38.9 million hectares"
    assert [(c.document, c.date) for c in result.citations] == [SECURITY]


@pytest.mark.parametrize("filters, expected, document", [
    ({"document": "groundwater"}, "40.1 million hectares", GROUNDWATER),
    ({"speaker": "ou jianming"}, "38.9 million hectares", SECURITY),
    ({"date_to": "2021-12-31"}, "37.6 million hectares", RIVER),
    ({"date_from": "2022-01-01", "date_to": "2022-12-31"}, "38.9 million hectares", SECURITY),
])
def test_filters_restrict_answers_and_hits(engine, filters, expected, document):
    question = "How many hectares of water-saving irrigation area were there?"
    result = _checked(engine.ask(question, **filters))
    assert result.answer == expected
    assert {(c.document, c.date) for c in result.citations} == {document}
    hits = engine.retrieve(question, k=20, **filters)
    assert hits and all(h.document == document[0] for h in hits)


def test_filters_that_match_nothing_say_what_there_is(engine):
    with pytest.raises(ValueError, match="speakers: .*Feng Qiaoyu"):
        engine.ask("How many reservoirs?", speaker="Nobody")
    with pytest.raises(ValueError, match="documents: 2021-04-12_river-basin-water-briefing"):
        engine.ask("How many reservoirs?", document="budget")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        engine.ask("How many reservoirs?", date_from="last year")


def test_cli_speaker_and_document_options(engine, capsys, monkeypatch, real_embedder):
    import index.query_encoder
    from qa.cli import main

    monkeypatch.setattr(index.query_encoder, "load_embedder", lambda model=None: real_embedder)
    monkeypatch.setenv("TRANSCRIPT_QA_ENCODER", "sentence-transformers")  # the session's model encodes questions
    base = ["ask", "How many hectares of water-saving irrigation area were there?", "--json",
            "--corpus", str(MULTIDOC), "--index-dir", str(engine.index_dir)]
    assert main([*base, "--speaker", "Feng"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["answer"] == "37.6 million hectares"
    assert shown["citations"][0]["speaker"] == "Feng Qiaoyu" and shown["citations"][0]["date"] == RIVER[1]
    assert main([*base, "--document", "2022-05-17_water-security-briefing.html"]) == 0
    assert json.loads(capsys.readouterr().out)["answer"] == "38.9 million hectares"
    assert main([*base, "--speaker", "Nobody"]) == 2
    assert capsys.readouterr().err.startswith("qa: error: no speaker matches 'Nobody'")


def test_evaluation_set_over_three_transcripts(engine):
    items = load_set(MULTIDOC_SET)
    assert len(items) >= 25 and sum(not i.answerable for i in items) >= 4
    text = "\n".join(document_text(p) for p in (MULTIDOC / "2021-04-12_river-basin-water-briefing.txt",
                                                 MULTIDOC / "2022-05-17_water-security-briefing.html",
                                                 MULTIDOC / "2023-06-08_groundwater-recovery-briefing.md"))
    assert all(i.gold in text for i in items if i.answerable)
    result = evaluate(MULTIDOC_SET, engine=engine, progress=False)
    assert result["citation_validity"] == 1.0 and result["number_faithfulness"] == 1.0, result
    # Floors a little under the numbers reached (see README); a regression fails here.
    assert result["answer_accuracy"] >= 0.92 and result["abstention_recall"] >= 0.75, result
    assert result["recall@3"] >= 0.9, result


def test_readme_shows_this_answer(engine):
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Adding a transcript") : readme.index("## How it works")]
    shown = re.search(r"r\.answer +# '(?P<a>[^'\n]*)\n +# +(?P<b>[^']*)'", section)
    answer = engine.ask("How many hectares of water-saving irrigation area were there?").answer
    assert shown and f"{shown['a']} {shown['b']}" == answer
    assert "date_to=\"2021-12-31\").answer\n           # '37.6 million hectares'" in section


def test_page_filters_and_dated_attribution(engine):
    import ui

    question = "How many hectares of water-saving irrigation area were there?"
    turn = ui.answer_turn(engine, question, filters={"speaker": "", "document": "river basin", "date_from": " "})
    chat = turn.chat.replace("\\", "")  # markdown escapes
    assert "37.6 million hectares" in chat and "40.1" not in chat
    assert 'Feng Qiaoyu, paragraph 3 of "Water Resources Office holds press conference on river basin ' \
           'management", 2021-04-12' in chat
    unfiltered = ui.answer_turn(engine, question).chat.replace("\\", "")
    assert all(date in unfiltered for date in ("2021-04-12", "2022-05-17", "2023-06-08"))
    bad = ui.answer_turn(engine, question, filters={"speaker": "Nobody"}).chat
    assert "No speaker matches" in bad and "Traceback" not in bad


def test_an_abstention_names_the_documents_of_related_passages(engine):
    result = engine.ask("Who is the head of the Water Resources Office finance department?")  # no one is named
    related = next(line for line in result.text.splitlines() if line.startswith("Related:"))
    assert result.abstained and related.count(' of "Water Resources Office holds press conference on') >= 2
