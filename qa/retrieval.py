"""Hybrid retrieval: dense (passage and sentence vectors) fused with BM25."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from corpus import Figure
from index import SearchIndex, tokenize
from qa.models import Hit
from qa.question import Question
from qa.scoring import TermWeights, coverage, kind_fit, subject_head, weighted_share

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")

# Share of the dense score in the fused score; chosen on the dev split (see README).
DENSE_WEIGHT = 0.5
# A figure "matches" the question when its subject is this close to it (dev split).
MATCH_THRESHOLD = 0.35


@dataclass(frozen=True)
class Scores:
    """Every score one question gets, aligned with the index rows."""

    passage: np.ndarray  # fused, one per passage
    dense: np.ndarray  # max of passage and sentence cosines, one per passage
    lexical: np.ndarray  # BM25 scaled to [0, 1], one per passage
    sentence: np.ndarray  # cosine, one per sentence row
    figure: np.ndarray  # cosine of each figure's subject, one per figure row


def score_all(index: SearchIndex, question: Question, vector: np.ndarray, mode: Mode = "hybrid") -> Scores:
    """Score every passage, sentence and figure of the index for one question."""
    sentence = index.sentence_vectors @ vector
    figure = index.figure_vectors @ vector
    n = len(index.corpus.passages)
    dense = np.full(n, -1.0, dtype=np.float32)
    for row, score in index.passage_index.search(vector, n):
        dense[row] = score
    if len(sentence):
        np.maximum.at(dense, index.rows.sentence_passage, sentence)
    raw = index.lexical.scores(question.text)
    lexical = raw / raw.max() if raw.size and raw.max() > 0 else np.zeros(n, dtype=np.float32)
    if mode == "dense":
        fused = dense
    elif mode == "bm25":
        fused = lexical
    else:
        fused = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
    return Scores(fused, dense, lexical, sentence, figure)


def top_hits(index: SearchIndex, question: Question, scores: Scores, weights: TermWeights,
             k: int) -> list[Hit]:
    """The k best passages as Hits, their matching figures marked."""
    order = np.argsort(-scores.passage, kind="stable")[: max(k, 0)]
    hits = []
    for row in order:
        passage = index.corpus.passages[row]
        document = index.corpus.document(passage.doc_id)
        first = index.rows.first_figure[row]
        matched = tuple(
            f for f, similarity in zip(passage.statistics, scores.figure[first:])
            if (kind_fit(question, f) > 0 or question.expect == "text")  # keyword queries
            and figure_relevance(question, f, float(similarity), weights).value >= MATCH_THRESHOLD
        )
        hits.append(Hit(passage, float(scores.passage[row]), passage.statistics, matched,
                        document.title, document.source, float(scores.dense[row]),
                        float(scores.lexical[row])))
    return hits


@dataclass(frozen=True)
class Relevance:
    """How well a figure's subject fits the question; `value` combines the parts, in [0, 1]."""

    similarity: float  # cosine of question and subject
    recall: float  # share of the question's terms found in the subject
    head: float  # share of the subject's head found in the question
    focus: float | None  # share of what the question counts found in the subject
    value: float


def figure_relevance(question: Question, figure: Figure, similarity: float, weights: TermWeights) -> Relevance:
    """How well a figure's subject fits the question.

    Dense similarity of the subject; the share of the question found in the subject; the
    share of the subject's head found in the question, which tells apart figures that share
    a sentence ("the R&D period of products" vs "the production efficiency of projects");
    and, when the question names what it counts ("how many units of equipment"), how much
    of that the figure's subject and unit cover.
    """
    subject_tokens = set(tokenize(f"{figure.subject} {figure.unit}"))
    head_tokens = tokenize(subject_head(figure.subject) if figure.subject else figure.unit)
    head = weighted_share(head_tokens, set(question.terms), weights)
    recall = coverage(question, subject_tokens, weights)
    if question.focus:
        focus = weighted_share(question.focus, subject_tokens, weights)
        value = 0.35 * similarity + 0.15 * recall + 0.25 * head + 0.25 * focus
        return Relevance(similarity, recall, head, focus, value)
    return Relevance(similarity, recall, head, None, 0.45 * similarity + 0.25 * recall + 0.3 * head)
