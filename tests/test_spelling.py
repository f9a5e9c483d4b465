"""Typo tolerance against the corpus vocabulary (no model)."""

from __future__ import annotations

from qa.question import analyse
from qa.scoring import TermWeights
from qa.spelling import correct_spelling, one_edit_apart

WEIGHTS = TermWeights.of([
    "The non-performing rate of products dropped.",
    "The software industry grew; the software industry leads.",
    "New energy trucks.",
])


def test_one_edit():
    assert one_edit_apart("prodcut", "product")  # swapped neighbours
    assert one_edit_apart("enrgy", "energy")  # a letter missing
    assert one_edit_apart("industral", "industrial")
    assert one_edit_apart("softwara", "softwar")
    assert not one_edit_apart("same", "same")
    assert not one_edit_apart("abcd", "ab")
    assert not one_edit_apart("export", "import")


def test_unknown_words_are_read_as_their_corpus_neighbour():
    question = correct_spelling(analyse("how big was the sofware industry and new enrgy truck use?"), WEIGHTS)
    assert question.corrections == {"sofwar": "softwar", "enrgy": "energy"}
    assert "softwar" in question.terms and "sofwar" not in question.terms
    assert "energy" in question.lexical_tokens()


def test_known_short_and_numeric_terms_are_left_alone():
    question = correct_spelling(analyse("What was the rate of products in 2021, about 5G?"), WEIGHTS)
    assert question.corrections == {}
