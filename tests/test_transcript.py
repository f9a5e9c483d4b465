"""Parsing transcripts into documents, turns and passages (no model)."""

from __future__ import annotations

import textwrap

import pytest

from corpus import CorpusError, load_corpus
from tests.conftest import RURAL_TRANSCRIPT, SEED_TRANSCRIPT


@pytest.fixture(scope="module")
def seed():
    return load_corpus(SEED_TRANSCRIPT)


@pytest.fixture(scope="module")
def rural():
    return load_corpus(RURAL_TRANSCRIPT)


def test_seed_document_title_and_date(seed):
    document = seed.documents[0]
    assert document.title.startswith("Publicity Department of CPC Central Committee holds press conference")
    assert not document.title.startswith("ㄑ")
    assert document.date == "2022-06-18"
    assert document.text == SEED_TRANSCRIPT.read_text(encoding="utf-8")


def test_seed_turns_question_then_answer(seed):
    turns = seed.turns[0]
    assert [(t.speaker, t.role) for t in turns] == [("Reporter", "question"), ("Han Xia", "answer")]


def test_every_passage_and_sentence_slices_back_exactly(seed, rural):
    for corpus in (seed, rural):
        text = corpus.documents[0].text
        for passage in corpus.passages:
            assert text[passage.start : passage.end] == passage.text
            for sentence in passage.sentences:
                assert text[sentence.start : sentence.end] == sentence.text
                assert passage.start <= sentence.start < sentence.end <= passage.end
            for figure in passage.figures:
                assert text[figure.start : figure.end] == figure.text


def test_seed_passages_one_per_paragraph_without_navigation_or_thanks(seed):
    texts = [p.text for p in seed.passages]
    assert len(texts) == 7
    assert texts[1].startswith("Thank you for your questions.")
    assert texts[2].startswith("First, we deepened the digital transformation.")
    assert not any(t.strip() == "Thank you." or t.startswith("<") or "ㄑ" in t for t in texts)
    assert [p.paragraph_no for p in seed.passages] == list(range(1, 8))
    assert len({p.id for p in seed.passages}) == 7


def test_answer_passages_carry_the_question_they_reply_to(seed):
    question, *answers = seed.passages
    assert question.role == "question" and question.question_context is None
    assert all(p.question_context == question.text for p in answers)


def test_passage_ids_are_stable_across_loads():
    first = [p.id for p in load_corpus(SEED_TRANSCRIPT).passages]
    assert first == [p.id for p in load_corpus(SEED_TRANSCRIPT).passages]
    assert first[0] == "2022-06-18_industry-and-it-achievements:p1"


def test_unseen_transcript_roles_speakers_and_outlets(rural):
    turns = [(t.speaker, t.role) for t in rural.turns[0]]
    assert turns == [
        ("Li Wenhua", "chair"),
        ("Zhou Mingyuan", "answer"),
        ("Li Wenhua", "chair"),
        ("China Daily", "question"),  # outlet label alone on a line
        ("Tang Yuhe", "answer"),
        ("Reuters", "question"),  # inline outlet label
        ("Zhou Mingyuan", "answer"),
        ("Reporter", "question"),  # no label at all
        ("Tang Yuhe", "answer"),
        ("Li Wenhua", "chair"),
    ]
    reuters = next(p for p in rural.passages if p.speaker == "Reuters")
    assert reuters.text.startswith("Could you tell us how much has been invested")
    answer = next(p for p in rural.passages if "RMB 860 billion" in p.text)
    assert answer.question_context == reuters.text
    assert rural.documents[0].date == "2023-03-09"


def test_folder_corpus_reads_every_transcript(tmp_path):
    (tmp_path / "a.txt").write_text(SEED_TRANSCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(RURAL_TRANSCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [d.id for d in corpus.documents] == ["a", "b"]
    assert {p.doc_id for p in corpus.passages} == {"a", "b"}


@pytest.mark.parametrize(
    "content, message",
    [(b"", "no paragraphs"), (b"\xff\xfe\x00\x01binary", "not UTF-8"), (b"\n\n  \n", "no paragraphs")],
)
def test_unusable_files_raise_a_clear_error_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as raised:
        load_corpus(bad)
    assert "bad.txt" in str(raised.value)


def test_missing_corpus_and_empty_folder(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no transcripts"):
        load_corpus(tmp_path)


def _wrapped(text: str, width: int = 60) -> str:
    """The body's paragraphs hard-wrapped; the heading and date lines stay whole."""
    lines = text.split("\n")
    body = [textwrap.fill(line, width, break_on_hyphens=False, break_long_words=False) if len(line) > width else line
            for line in lines[3:]]
    return "\n".join(lines[:3] + body)


def test_hard_wrapped_paragraphs_are_rejoined(tmp_path):
    original = RURAL_TRANSCRIPT.read_text(encoding="utf-8")
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(_wrapped(original), encoding="utf-8")
    plain, folded = load_corpus(RURAL_TRANSCRIPT), load_corpus(wrapped)
    assert len(folded.passages) == len(plain.passages)
    text = folded.documents[0].text
    for a, b in zip(plain.passages, folded.passages):
        assert " ".join(a.text.split()) == " ".join(b.text.split())
        assert (a.speaker, a.role) == (b.speaker, b.role)
        assert text[b.start : b.end] == b.text
        assert [f.value for f in a.statistics] == [f.value for f in b.statistics]
        assert len(a.sentences) == len(b.sentences)


def test_without_blank_lines_every_line_is_a_paragraph(tmp_path):
    transcript = tmp_path / "dense.txt"
    transcript.write_text(
        "Briefing\nBriefing on ports | May 2, 2024\nLi Ming:\nWe built 42 berths.\n"
        "Throughput rose 5%.\nChina Daily:\nHow many berths?\n",
        encoding="utf-8",
    )
    passages = load_corpus(transcript).passages
    assert [p.text for p in passages] == ["We built 42 berths.", "Throughput rose 5%.", "How many berths?"]
    assert [p.role for p in passages] == ["answer", "answer", "question"]
