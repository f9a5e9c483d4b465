"""Property-based tests (hypothesis): any text parses without an exception, and every offset
slices back to its text. Example counts are modest so the suite stays fast."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.figures import extract_figures
from corpus.models import Document
from corpus.sentences import MAX_SENTENCE_CHARS, split_sentences
from corpus.transcript import parse_passages
from index import tokenize
from qa.question import analyse

# Pieces of press-conference text, so that generated texts reach the deep parsing rules
# (labels, units, qualifiers, periods, "respectively") and not only random noise.
_PIECES = st.sampled_from([
    "Li Ming:", "Xinhua News Agency:", "Reuters: Could you", "Thank you.", "\n", "\n\n", "\r\n", " ",
    "  ", "\t", "By the end of 2021,", "from 2012 to 2021", "more than", "nearly", "up", "by", "over 2012",
    "1,500", "51.3%", "25.9 percentage points", "4.2 trillion yuan", "RMB 860 billion", "$3", "3.8 times",
    "15-fold", "four", "twenty-one", "a hundred", "First,", "18th", "June 18, 2022", "respectively",
    "and", "the rate", "factories", "reached", "Mr.", "U.S.", "No. 5", "?", ".", "...", ",", ";", "(",
    ")", '"', "—", "ㄑ", "<", ">", "|", "é", "e\u0301", "５", "\u00a0", "\u200b", "\x00", "🙂", "数字",
])
TRANSCRIPT_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(_PIECES, max_size=60).map(" ".join),
    st.lists(_PIECES, max_size=60).map("".join),
)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _document(text: str) -> Document:
    return Document(id="doc", title="t", date=None, source="doc.txt", text=text)


@SETTINGS
@given(TRANSCRIPT_TEXT)
def test_any_text_parses_and_every_offset_slices_back(text):
    document = _document(text)
    turns, passages = parse_passages(document)
    for turn in turns:
        assert 0 <= turn.start <= turn.end <= len(text)
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text and passage.text.strip()
        assert passage.id.startswith("doc:p")
        for sentence in passage.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert passage.start <= sentence.start < sentence.end <= passage.end
        for figure in passage.figures:
            assert text[figure.start : figure.end] == figure.text
            assert passage.start <= figure.start < figure.end <= passage.end


@SETTINGS
@given(TRANSCRIPT_TEXT, st.integers(min_value=0, max_value=10_000))
def test_figures_and_sentences_of_any_text_slice_back_at_any_offset(text, offset):
    for figure in extract_figures(text, offset):
        assert text[figure.start - offset : figure.end - offset] == figure.text
        assert figure.text.strip()
    sentences = split_sentences(text, offset)
    for sentence in sentences:
        assert text[sentence.start - offset : sentence.end - offset] == sentence.text
        assert len(sentence.text) <= MAX_SENTENCE_CHARS
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)


@SETTINGS
@given(TRANSCRIPT_TEXT)
def test_any_question_is_analysed_or_refused_as_empty(text):
    tokenize(text)
    try:
        question = analyse(text)
    except ValueError as error:
        assert "empty" in str(error)
        return
    assert question.text and question.text == question.text.strip()


@pytest.mark.parametrize("unit", ["1 ", "...", " ", "Mr. ", "$1 ", "from 1 to 2 ", "more than 1 ", "up 5% "])
def test_long_runs_that_were_quadratic_parse_and_slice_back(unit):
    """Runs that once made parsing quadratic (40 KB took minutes); now linear, a fraction of a
    second each (timings: see the benchmark table in SECURITY.md, not asserted here)."""
    text = "Title\nLi Ming:\n" + unit * (40_000 // len(unit))
    _, passages = parse_passages(_document(text))
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
        assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in passage.sentences)
        assert all(text[f.start : f.end] == f.text for f in passage.figures)
