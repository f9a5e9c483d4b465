"""The named features of a candidate figure: what the fitted ranker and abstention model see.

One table, `FIGURE_FEATURES`, names every feature with the reason it is there; the weights file
(`qa/weights.json`) stores this list and is refused when it differs, so a feature cannot be
added, dropped or reordered without refitting. Each feature is in [0, 1] or [-1, 1], so the
fitted coefficients are comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (name, why it helps tell the answering figure from the others)
FIGURE_FEATURES: tuple[tuple[str, str], ...] = (
    ("subject_similarity", "MiniLM cosine of the question and the figure's subject: the measured thing matches"),
    ("subject_recall", "IDF share of the question's terms found in the subject and unit"),
    ("head_match", "the subject's head noun is in the question: tells apart figures of one sentence"),
    ("focus_match", "what the question counts ('how many X') is in the subject (0 when it names nothing)"),
    ("has_focus", "the question names what it counts, so focus_match is informative"),
    ("sentence_similarity", "MiniLM cosine of the question and the figure's sentence"),
    ("sentence_coverage", "IDF share of the question's terms in the sentence"),
    ("passage_coverage", "IDF share of the question's terms in the paragraph"),
    ("passage_score", "the fused BM25 + dense retrieval score of the paragraph"),
    ("passage_dense", "the paragraph's best MiniLM cosine (paragraph or sentence): paraphrases"),
    ("passage_lexical", "the paragraph's BM25 score scaled to [0, 1]: names and numbers"),
    ("near_terms", "IDF share of the question's terms within a few words of the figure"),
    ("unit_in_question", "the figure's unit or counted noun ('doses', 'meetings') is in the question"),
    ("passage_rank", "1 / (1 + rank) of the paragraph among the answer's context passages"),
    ("kind_fit", "how well the figure's kind (percent, count, money...) fits what is asked"),
    ("period_fit", "the figure's resolved period or document date matches the question's (-1 contradicts)"),
    ("answer_turn", "said by an official answering or stating, not by a chair"),
    ("qualifier", "the figure is hedged ('more than', 'about')"),
    ("change", "the figure states a change ('up 3 percent'), not a level"),
    ("range_end", "one end of 'from X to Y'"),
    ("subject_empty", "no subject was found for the figure: its relevance features say little"),
    ("sentence_share", "1 / number of statistics in the sentence: one figure in a sentence is less ambiguous"),
    ("unknown_share", "IDF share of the question's terms the corpus never uses: likely not answered"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(name for name, _ in FIGURE_FEATURES)

# The abstention model sees the chosen figure's features and how far ahead of the next one it is.
DECISION_FEATURES: tuple[tuple[str, str], ...] = (
    *FIGURE_FEATURES,
    ("rank_score", "the fitted ranker's probability that this figure answers"),
    ("margin", "its lead over the second-best figure's probability: a clear winner is safer"),
)
DECISION_NAMES: tuple[str, ...] = tuple(name for name, _ in DECISION_FEATURES)


@dataclass(frozen=True)
class FigureEvidence:
    """The measurements one candidate figure is judged by (values as the answerer computes them)."""

    subject_similarity: float
    subject_recall: float
    head_match: float
    focus_match: float | None
    sentence_similarity: float
    sentence_coverage: float
    passage_coverage: float
    passage_score: float
    passage_dense: float
    passage_lexical: float
    near_terms: float
    unit_in_question: float
    passage_rank: int  # 0 for the best context passage
    kind_fit: float
    period_fit: float
    answer_turn: bool
    qualifier: bool
    change: bool
    range_end: bool
    subject_empty: bool
    statistics_in_sentence: int
    unknown_share: float

    def vector(self) -> np.ndarray:
        """The features in `FEATURE_NAMES` order."""
        return np.array([
            self.subject_similarity, self.subject_recall, self.head_match, self.focus_match or 0.0,
            float(self.focus_match is not None), self.sentence_similarity, self.sentence_coverage,
            self.passage_coverage, self.passage_score, self.passage_dense, self.passage_lexical,
            self.near_terms, self.unit_in_question, 1.0 / (1 + self.passage_rank), self.kind_fit,
            self.period_fit, float(self.answer_turn), float(self.qualifier), float(self.change),
            float(self.range_end), float(self.subject_empty), 1.0 / max(1, self.statistics_in_sentence),
            self.unknown_share,
        ], dtype=np.float64)


def decision_vector(figure_vector: np.ndarray, rank_score: float, second_score: float) -> np.ndarray:
    """The abstention model's input: the figure's features, its ranker score and its margin."""
    return np.concatenate([figure_vector, [rank_score, rank_score - second_score]])
