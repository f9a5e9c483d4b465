"""The candidates an answer is chosen from: sentences that might answer, and their figures.

Their own module so that the answerer and the cross-document rules (qa.crossdoc) can both use
them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus import Figure, Passage, Sentence
from qa.features import FigureEvidence
from qa.scoring import Relevance


@dataclass(frozen=True)
class Candidate:
    """A sentence that might answer, with the passage it sits in."""

    row: int  # passage row in the corpus
    passage: Passage
    sentence: Sentence
    similarity: float  # cosine between question and sentence
    coverage: float  # share of question terms in the sentence's passage
    score: float
    sentence_coverage: float = 0.0  # share of question terms in the sentence itself
    rank: int = 0  # the passage's place among the answer's context passages (0: best)


@dataclass(frozen=True)
class FigurePick:
    figure: Figure
    candidate: Candidate
    relevance: Relevance
    score: float  # the fitted ranker's probability, or the hand-set blend without weights
    evidence: FigureEvidence | None = None  # the features the score was computed from
    period: float = 0.0  # qa.scoring.period_fit of the figure
