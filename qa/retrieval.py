"""Hybrid retrieval: dense (passage and sentence vectors) fused with BM25."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from index import SearchIndex
from qa.models import Hit
from qa.question import Question
from qa.scoring import TermWeights, figure_relevance, kind_fit

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
    raw = index.lexical.scores(question.lexical_tokens())
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
    # Passages a filter left out score -inf (qa.filters): never a hit.
    order = np.argsort(-scores.passage, kind="stable")
    order = order[scores.passage[order] > -np.inf][: max(k, 0)]  # vectorised: no Python loop over the corpus
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
