"""The evaluation set and its metrics; a quality gate on the dev split (real model)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from corpus import load_corpus
from qa.eval import BUNDLED_SET, EvalSetError, Item, evaluate, first_number, is_correct, load_set
from qa.faithfulness import citations_valid, number_faithful
from qa.models import Answer, Citation
from tests.conftest import FIXTURES, RURAL_TRANSCRIPT, SEED_TRANSCRIPT

RURAL_SET = FIXTURES / "rural_energy_eval.jsonl"

# Floors a little under what the dev split reaches (see README); a change that makes answers
# worse fails here. Faithfulness has no slack.
DEV_FLOORS = {"answer_accuracy": 0.91, "abstention_recall": 0.92}
DEV_CEILINGS = {"false_abstention_rate": 0.05}
PORTS_TRANSCRIPT = BUNDLED_SET.parent / "2024-05-21_ports-and-logistics-briefing.txt"
PORTS_SET = BUNDLED_SET.parent / "ports.jsonl"
# Abstention recall was 0.867 until figures said "last year" were dated: ports-037 ("air cargo
# routes opened in 2023") used to be declined only because its sentence named no year; it is now a
# known near miss (answered from "international routes"), listed under Evaluation in the README.
# It fell again, to 0.733, when a figure's confidence took a share of its paragraph's coverage
# (ports-032: the paragraph says "cargo throughput" of 2023, its Q1 2024 figure is container
# throughput): a trade made for real briefings, where the same change raised real dev, held out
# and both fresh sets (README, "Real briefings"). The floor keeps it from falling further.
PORTS_FLOORS = {"answer_accuracy": 0.95, "abstention_recall": 0.73}


def answer(text: str, *, abstained: bool = False, quotes: tuple[str, ...] = ()) -> Answer:
    citations = tuple(Citation(i + 1, "p", "", "x", q, 0, len(q)) for i, q in enumerate(quotes))
    return Answer("q", text, f"**{text}**", (), citations, (), abstained, 0.5)


def item(answers, answerable=True) -> Item:
    return Item("t", "q", tuple(answers), "", answerable)


@pytest.mark.parametrize("path, transcript", [(BUNDLED_SET, SEED_TRANSCRIPT), (RURAL_SET, RURAL_TRANSCRIPT),
                                              (PORTS_SET, PORTS_TRANSCRIPT)])
def test_every_gold_snippet_occurs_verbatim(path, transcript):
    text = transcript.read_text(encoding="utf-8")
    items = load_set(path)
    assert len({i.id for i in items}) == len(items)
    for entry in items:
        assert entry.tags, entry.id
        if entry.answerable:
            assert entry.gold and entry.gold in text, entry.id
        else:
            assert not entry.answers and not entry.gold, entry.id


# The kinds of question the set must cover, in both splits, so that neither is blind to one.
REQUIRED_TAGS = {"paraphrase", "keyword", "case", "typo", "speaker", "list", "growth", "respectively",
                 "unanswerable", "near-miss", "off-topic"}


def test_bundled_set_has_splits_and_unanswerables():
    items = load_set(BUNDLED_SET)
    assert len(items) >= 120
    assert sum(not i.answerable for i in items) >= 30
    heldout = load_set(BUNDLED_SET, "heldout")
    dev = load_set(BUNDLED_SET, "dev")
    assert len(heldout) >= 0.3 * len(items)
    assert len(dev) + len(heldout) == len(items)
    for split in (dev, heldout):
        assert REQUIRED_TAGS <= {tag for i in split for tag in i.tags}


def test_split_values_and_empty_splits_are_errors(tmp_path):
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"id": "a", "question": "q", "split": "test"}\n', encoding="utf-8")
    with pytest.raises(EvalSetError, match="odd.jsonl:1: split must be"):
        load_set(odd)
    dev_only = tmp_path / "dev.jsonl"
    dev_only.write_text('{"id": "a", "question": "q"}\n', encoding="utf-8")
    assert [i.id for i in load_set(dev_only, "dev")] == ["a"]
    with pytest.raises(EvalSetError, match="no questions in the 'heldout' split"):
        load_set(dev_only, "heldout")
    with pytest.raises(EvalSetError, match="unknown split"):
        load_set(dev_only, "train")


def test_numbers_compare_numerically():
    assert first_number("more than 6,000 suppliers") == 6000
    assert first_number("five major top-level nodes") == 5
    assert is_correct(item(["51.3%"]), answer("51.3 percent"))
    assert is_correct(item(["6,000"]), answer("more than 6000 suppliers"))
    assert not is_correct(item(["51.3%"]), answer("74.7%"))
    assert not is_correct(item(["51.3%"]), answer("The transcript does not say.", abstained=True))
    assert is_correct(item([], answerable=False), answer("The transcript does not say.", abstained=True))
    assert not is_correct(item([], answerable=False), answer("51.3%"))
    assert is_correct(item(["Han Xia"]), answer("Han Xia"))


def test_gold_rank_ignores_line_wraps_and_double_spaces():
    from qa.eval import gold_rank
    from qa.models import Hit

    passages = load_corpus(RURAL_TRANSCRIPT).passages
    wrapped = dataclasses.replace(passages[3], text="the harbour levy\nwas cut to  2 percent in May")
    hits = tuple(Hit(p, 0.5, (), (), "t", "s") for p in (passages[2], wrapped))
    found = dataclasses.replace(answer("2 percent"), passages=hits)
    gold = dataclasses.replace(item(["2 percent"]), gold="the harbour levy was cut to 2 percent")
    assert gold_rank(gold, found) == 2
    assert gold_rank(dataclasses.replace(gold, gold="the harbour fee was cut"), found) is None


def test_a_line_mode_decides_how_the_answer_is_checked(tmp_path):
    def moded(mode, answers, answerable=True):
        return dataclasses.replace(item(answers, answerable), mode=mode)

    # "number": the first number of the answer against the first of answers[0], fractions too
    assert first_number("2¼ to 2½ percent") == 2.25 and first_number("¾ percentage point") == 0.75
    assert is_correct(moded("number", ["2¼ to 2½ percent"]), answer("2¼ to 2½ percent"))
    assert not is_correct(moded("number", ["2¼ to 2½ percent"]), answer("2 percent"))
    assert not is_correct(moded("number", ["17 meetings"]), answer("about 18 meetings, or 17"))
    # "all": every expected string, not any one of them
    assert is_correct(moded("all", ["Hannah", "Max"]), answer("Hannah and Max"))
    assert not is_correct(moded("all", ["Hannah", "Max"]), answer("Hannah"))
    # "none": the product must decline, whatever `answerable` says
    assert is_correct(moded("none", [], answerable=False), answer("The transcript does not say.", abstained=True))
    assert not is_correct(moded("none", []), answer("Hannah"))
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "q", "answers": ["1"], "mode": "some"}) + "\n")
    with pytest.raises(EvalSetError, match="mode must be one of number, all, none"):
        load_set(path)
    path.write_text(json.dumps({"id": "a", "question": "q", "answers": ["1"], "mode": "all"}) + "\n")
    assert load_set(path)[0].mode == "all"


def test_number_faithfulness_catches_an_unquoted_number():
    assert number_faithful(answer("51.3%", quotes=("reached 51.3% and 74.7%",)))
    assert not number_faithful(answer("52.3%", quotes=("reached 51.3% and 74.7%",)))
    assert number_faithful(answer("from 2.5 to 9.5 (computed: +7.0, 3.8x)", quotes=("from 2.5 to 9.5",)))


def test_citation_validity_catches_a_shifted_quote():
    document = load_corpus(SEED_TRANSCRIPT).documents[0]
    start = document.text.index("51.3%")
    good = Citation(1, "p", str(SEED_TRANSCRIPT), "Han Xia", "51.3%", start, start + 5)
    shifted = dataclasses.replace(good, start=start + 1, end=start + 6)
    assert citations_valid(dataclasses.replace(answer("51.3%"), citations=(good,)))
    assert not citations_valid(dataclasses.replace(answer("51.3%"), citations=(shifted,)))


def test_malformed_set_names_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(EvalSetError, match="bad.jsonl:2"):
        load_set(bad)


@pytest.mark.model
def test_dev_split_quality_gate(real_engine):
    result = evaluate(BUNDLED_SET, split="dev", engine=real_engine, progress=False)
    for metric, floor in DEV_FLOORS.items():
        assert result[metric] >= floor, (metric, result)
    for metric, ceiling in DEV_CEILINGS.items():
        assert result[metric] <= ceiling, (metric, result)
    assert result["citation_validity"] == 1.0 and result["number_faithfulness"] == 1.0


@pytest.mark.model
def test_second_dev_transcript_quality_gate(tmp_path, real_embedder):
    from qa import QA

    engine = QA(corpus=PORTS_TRANSCRIPT, index_dir=tmp_path / "index", embedder=real_embedder, progress=False)
    result = evaluate(PORTS_SET, engine=engine, progress=False)
    for metric, floor in PORTS_FLOORS.items():
        assert result[metric] >= floor, (metric, result)
    assert result["citation_validity"] == 1.0 and result["number_faithfulness"] == 1.0


@pytest.mark.model
def test_faithfulness_is_total_on_every_question(real_engine, rural_engine):
    for engine, path in ((real_engine, BUNDLED_SET), (rural_engine, RURAL_SET)):
        result = evaluate(path, engine=engine, progress=False)
        assert result["citation_validity"] == 1.0 and result["number_faithfulness"] == 1.0, json.dumps(result)


@pytest.mark.model
def test_unseen_transcript_set(rural_engine):
    result = evaluate(RURAL_SET, engine=rural_engine, progress=False)
    assert result["answer_accuracy"] >= 0.85 and result["abstention_recall"] >= 0.75, result
