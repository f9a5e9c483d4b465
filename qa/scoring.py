"""How well a sentence or a figure fits a question. Pure functions over precomputed vectors.

The weights here were chosen on the dev split of the evaluation set (corpus/eval), never on
the held-out split.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from corpus import Figure
from index import token_set, tokenize
from qa.question import YEAR, Question

_BASELINE = re.compile(r"(over|compared (with|to)|than|against)\b", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_COUNTING_PREFIX = re.compile(
    r"^(?:the\s+)?(?:total\s+)?(?:number|amount|share|proportion|percentage|scale|size)\s+of\s+", re.IGNORECASE
)

# How well each figure kind answers each expectation (0 = cannot answer it).
_KIND_FIT: dict[str, dict[str, float]] = {
    "percent": {"percent": 1.0, "percentage_points": 0.5},
    "count": {"count": 1.0, "number": 0.8},
    "money": {"money": 1.0, "number": 0.3},
    "amount": {"money": 1.0, "count": 0.9, "number": 0.5},
    "multiple": {"multiple": 1.0, "percent": 0.3},
    "change": {"percentage_points": 1.0, "percent": 1.0, "money": 0.5, "multiple": 0.8, "count": 0.3},
    "growth": {"money": 1.0, "count": 0.8, "percent": 0.6, "percentage_points": 0.6, "multiple": 0.6, "number": 0.5},
    "figure": {"percent": 0.8, "count": 0.8, "money": 0.8, "number": 0.6, "multiple": 0.6, "percentage_points": 0.6},
}


@dataclass(frozen=True)
class TermWeights:
    """Inverse document frequencies of the corpus's tokens, for lexical coverage."""

    idf: dict[str, float]
    default: float  # weight of a token the corpus never uses

    @classmethod
    def of(cls, texts: list[str]) -> "TermWeights":
        return cls.from_counts(Counter(token for text in texts for token in set(tokenize(text))), len(texts))

    @classmethod
    def from_counts(cls, counts: dict[str, int], texts: int) -> "TermWeights":
        """From the number of texts holding each token (saved with the index) and of texts."""
        n = max(texts, 1)
        return cls({t: math.log(1 + n / c) for t, c in counts.items()}, math.log(1 + n))

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default)

    @cached_property
    def alphabet(self) -> str:
        """Every character of the corpus's tokens (for spelling correction)."""
        return "".join(sorted(set().union(*self.idf))) if self.idf else ""

    def known(self, term: str) -> bool:
        return term in self.idf


def coverage(question: Question, text_tokens: frozenset[str], weights: TermWeights) -> float:
    """IDF-weighted share of the question's content terms that occur in a text, in [0, 1]."""
    return weighted_share(question.terms, text_tokens, weights)


def weighted_share(terms: Iterable[str], found_in: Collection[str], weights: TermWeights) -> float:
    """IDF-weighted share of `terms` found in `found_in` (0 when there are no terms)."""
    terms = list(terms)
    total = sum(weights.weight(t) for t in terms)
    found = sum(weights.weight(t) for t in terms if t in found_in)
    return found / total if total else 0.0


def unknown_share(question: Question, weights: TermWeights) -> float:
    """IDF-weighted share of the question's terms that the corpus never uses ("5G", "exports")."""
    return 1.0 - weighted_share(question.terms, weights.idf.keys(), weights) if question.terms else 0.0


def subject_head(subject: str) -> str:
    """The measured thing without its complement: "the waiting time" of "the waiting time of patients".

    A leading "the number of" / "the share of" is skipped: the head is what is counted."""
    subject = _COUNTING_PREFIX.sub("", subject.strip())
    return _OF.split(subject, maxsplit=1)[0]


def kind_fit(question: Question, figure: Figure) -> float:
    """How well this kind of figure can answer the question (0 when it cannot)."""
    fit = _KIND_FIT.get(question.expect, {}).get(figure.kind, 0.0)
    if question.expect == "change" and not (figure.change or figure.role):
        fit *= 0.5  # "by how much" wants a stated change, not a level
    if question.expect in ("percent", "count", "money", "amount", "figure") and figure.change:
        fit *= 0.7  # and a level question prefers a level
    if question.expect == "growth" and figure.role is not None:
        fit = min(1.0, fit + 0.3)
    return fit


def period_fit(question: Question, figure: Figure, sentence: str) -> float:
    """+1 when the figure's period names the question's year, -1 when it contradicts it."""
    if not question.years:
        return 0.0
    said = {int(y) for y in YEAR.findall(figure.period or "")} or {int(y) for y in YEAR.findall(sentence)}
    if figure.change and _BASELINE.match(figure.period or "") and question.expect not in ("change", "growth"):
        # "up 30.7 points over 2012" gives no level for 2012, nor for any other year.
        return -1.0
    if figure.role and len(said) == 2 and len(set(question.years)) == 1:
        # "from 2012 to 2021, X rose from A to B": A is the 2012 figure, B the 2021 one.
        said = {min(said)} if figure.role == "from" else {max(said)}
    if not said:
        return -0.5  # the question pins a year the sentence never mentions
    return 1.0 if said & set(question.years) else -1.0


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
    a sentence ("the waiting time of patients" vs "the bed capacity of hospitals");
    and, when the question names what it counts ("how many units of equipment"), how much
    of that the figure's subject and unit cover.
    """
    subject_tokens = token_set(f"{figure.subject} {figure.unit}")
    head_tokens = token_set(subject_head(figure.subject) if figure.subject else figure.unit)
    head = weighted_share(head_tokens, set(question.terms), weights)
    recall = coverage(question, subject_tokens, weights)
    if question.focus:
        focus = weighted_share(question.focus, subject_tokens, weights)
        value = 0.35 * similarity + 0.15 * recall + 0.25 * head + 0.25 * focus
        return Relevance(similarity, recall, head, focus, value)
    return Relevance(similarity, recall, head, None, 0.45 * similarity + 0.25 * recall + 0.3 * head)
