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


def test_generated_edits_find_exactly_the_neighbours_a_vocabulary_scan_finds():
    """The lookup of generated edits replaced a scan of the whole vocabulary: same neighbours."""
    import random

    from corpus import BUNDLED_CORPUS, load_corpus
    from qa.spelling import edits

    weights = TermWeights.of([p.text for p in load_corpus(BUNDLED_CORPUS).passages])
    vocabulary = sorted(weights.idf)
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(300):
        word = list(rng.choice([w for w in vocabulary if len(w) >= 4 and w.isalpha()]))
        at = rng.randrange(len(word))
        how = rng.choice(["drop", "swap", "change", "insert"])
        if how == "drop":
            del word[at]
        elif how == "swap" and at + 1 < len(word):
            word[at], word[at + 1] = word[at + 1], word[at]
        elif how == "change":
            word[at] = rng.choice(letters)
        else:
            word.insert(at, rng.choice(letters))
        term = "".join(word)
        scanned = {w for w in vocabulary if abs(len(w) - len(term)) <= 1 and one_edit_apart(term, w)}
        generated = {w for w in edits(term, weights.alphabet) if w in weights.idf and one_edit_apart(term, w)}
        assert generated == scanned, term


def test_question_grammar_words_and_attributed_names_are_no_typos():
    weights = TermWeights.of(["At the outset the harbour fee was set.", "Gillan said the fee rose; rises follow."])
    outlet = correct_spelling(analyse("Which news outlet asked about the harbour fee?"), weights)
    assert "outlet" not in outlet.corrections  # not "outset"
    named = correct_spelling(analyse("How much did the fee rise, according to Gillam?"), weights)
    assert named.corrections == {}  # who said it, not a misspelt "Gillan"
    typo = correct_spelling(analyse("How much did the fee rise at the outsett?"), weights)
    assert typo.corrections == {"outsett": "outset"}
