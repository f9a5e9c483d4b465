"""Sentence splitting and tokenisation (no model)."""

from __future__ import annotations

from corpus import split_sentences
from index import tokenize


def test_sentences_keep_decimals_abbreviations_and_offsets():
    text = "Mr. Li said output rose 51.3% in 2021. R&D grew by 4.5 percent! Was it 1,480? Yes."
    sentences = split_sentences(text, offset=100)
    assert [s.text for s in sentences] == [
        "Mr. Li said output rose 51.3% in 2021.",
        "R&D grew by 4.5 percent!",
        "Was it 1,480?",
        "Yes.",
    ]
    for sentence in sentences:
        assert text[sentence.start - 100 : sentence.end - 100] == sentence.text


def test_sentence_split_handles_empty_and_unterminated_text():
    assert split_sentences("") == []
    assert [s.text for s in split_sentences("  no full stop here  ")] == ["no full stop here"]


def test_tokens_keep_numbers_and_single_characters():
    assert tokenize("R&D reached 51.3% and 1,500 units") == ["r", "d", "reach", "51.3", "percent", "1500", "unit"]


def test_equivalent_number_forms_tokenize_alike():
    assert tokenize("51.3 percent") == tokenize("51.3%")
    assert tokenize("four nodes") == tokenize("4 nodes")
    assert tokenize("1,500 cities") == tokenize("1500 cities")
    assert tokenize("５１．３％") == tokenize("51.3%")  # full-width forms


def test_a_possessive_is_the_word_it_belongs_to():
    # "Norway's exports" is about Norway: it must match a passage that says "Norway".
    assert tokenize("Norway's exports") == tokenize("Norway exports") == ["norway", "export"]
    assert tokenize("the ministry’s plan") == tokenize("the ministry plan")


def test_stemming_joins_plural_and_verb_forms():
    assert tokenize("factories") == tokenize("factory")
    assert tokenize("increased") == tokenize("increase") == tokenize("increasing")
    assert tokenize("5G stations") == ["5g", "station"]


def test_stopwords_whose_stem_is_no_stopword_are_still_dropped():
    # "does" stems to "doe", "those" to "thos": the list is checked before and after stemming.
    assert tokenize("Where does the ferry stop, and those buses?") == ["ferry", "stop", "buse"]
    assert tokenize("does", keep_stopwords=True) == ["doe"]
