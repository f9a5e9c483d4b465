"""Typo tolerance: a question word the corpus never uses is read as the corpus word one edit
away ("prodcuts" -> "products", "enrgy" -> "energy"), for lexical matching only."""

from __future__ import annotations

import dataclasses

from qa.question import GRAMMAR_WORDS, Question
from qa.scoring import TermWeights

MIN_LENGTH = 4  # shorter words have too many neighbours one edit away


def correct_spelling(question: Question, weights: TermWeights) -> Question:
    """The question with each unknown term replaced by its only, or most frequent, corpus
    neighbour at one edit (insert, delete, substitute or swap two letters)."""
    vocabulary = weights.idf
    corrections = {}
    for term in set(question.terms):
        if (term in vocabulary or not term.isalpha() or len(term) < MIN_LENGTH
                or term in question.attributed or term in GRAMMAR_WORDS):
            continue  # a name of who said it, or a word the question grammar reads, is no typo
        # Generating the variants costs about 2 x len(term) x len(alphabet) probes: for a small
        # vocabulary a scan of it is cheaper. Both find the same words.
        alphabet = weights.alphabet
        pool = vocabulary if len(vocabulary) < 2 * (len(term) + 1) * len(alphabet) else edits(term, alphabet)
        neighbours = [word for word in pool if word in vocabulary and abs(len(word) - len(term)) <= 1
                      and word[:1] == term[:1] and one_edit_apart(term, word)]
        if neighbours:
            corrections[term] = min(neighbours, key=lambda w: (vocabulary[w], w))  # most frequent
    if not corrections:
        return question
    return dataclasses.replace(
        question,
        terms=tuple(corrections.get(t, t) for t in question.terms),
        focus=tuple(corrections.get(t, t) for t in question.focus),
        corrections=corrections,
    )


def edits(term: str, alphabet: str) -> set[str]:
    """Every string one edit from `term` using letters of `alphabet`: looking these up costs
    a few thousand dictionary probes, where scanning the vocabulary would grow with the corpus."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changed = {a + c + b[1:] for a, b in splits if b for c in alphabet}
    inserted = {a + c + b for a, b in splits for c in alphabet}
    return deleted | swapped | changed | inserted


def one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one letter inserted, deleted, changed, or two neighbours swapped."""
    if a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if len(longer) - len(shorter) != 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(shorter, longer)) if x != y), len(shorter))
    return shorter[i:] == longer[i + 1:]
