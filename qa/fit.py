"""Fit the answerer's weights from labelled questions (`qa fit`), validated by whole transcript.

For every figure question of the given sets, the engine lists its candidate figures with their
features (qa/features.py). A candidate is a positive when its value is the expected figure. Two
models are fitted:

- the ranker, over each question's candidates: a listwise (softmax) linear model, which learns
  which candidate of a question beats the others rather than an absolute score (numpy);
- the answerable model, over questions: given the ranker's choice, is it right, or should the
  answerer say the transcript does not say (logistic regression, scikit-learn: an optional
  dependency, `pip install -e ".[fit]"`).

Cross-validation is grouped by transcript (a question's `doc`, else its set), so a transcript is
never in the fit and the test at once. The abstention threshold is the one with the best
cross-validated accuracy over all questions (answered right, or declined when unanswerable);
among those within `THRESHOLD_SLACK` of it, the one with the fewest false abstentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from qa.eval import Item, first_number, is_correct, normalize
from qa.features import DECISION_NAMES, FEATURE_NAMES, decision_vector
from qa.weights import Logistic, Weights

FOLDS = 5
# Regularisation of both models: strong enough that ~25 features fitted on a few hundred
# questions stay smooth; set once, not tuned per set.
C = 1.0
RANKER_L2 = 1.0
RANKER_STEPS, RANKER_RATE = 400, 0.5  # plain gradient descent on a convex loss: converged well before
# Accuracy differences this small between thresholds are noise on a few hundred questions;
# within them, refusing fewer answerable questions is the better promise to users.
THRESHOLD_SLACK = 0.01


class FitError(ValueError):
    """Fitting cannot run (no scikit-learn, or no labelled figure questions); says what to do."""


@dataclass
class Labelled:
    """One question with its candidates' features and which candidates are right."""

    item: Item
    set_name: str
    group: str  # the transcript it is about: cross-validation never splits one
    figure_question: bool  # the fitted models decide it (else the sentence path answers)
    features: np.ndarray  # (candidates, len(FEATURE_NAMES))
    positive: np.ndarray  # bool per candidate
    current_correct: bool  # what the answerer with its present weights got
    current_abstained: bool = False
    extra: dict = field(default_factory=dict)


def candidate_is_right(item: Item, figure_text: str, value: float) -> bool:
    """Whether a figure answers an item: its value equals the expected first number (or, for a
    text-checked item, its text holds every expected string)."""
    if not item.answerable or item.mode == "none" or not item.answers:
        return False
    if item.mode == "all":
        return all(normalize(a) in normalize(figure_text) for a in item.answers)
    expected = [first_number(a) for a in (item.answers[:1] if item.mode == "number" else item.answers)]
    return any(e is not None and abs(value - e) < 1e-9 for e in expected)


def label(engine, items: Sequence[Item], set_name: str, *, progress: bool = True) -> list[Labelled]:
    """Every item with its candidates (through `engine.figure_candidates`) and today's outcome."""
    from index.progress import progress_bar

    rows = []
    for item in progress_bar(items, desc=f"Features ({set_name})", unit="q", shown=progress):
        question, picks = engine.figure_candidates(item.question)
        answer = engine.ask(item.question)
        figure_question = engine.answers_with_figures(question)
        features = (np.stack([p.evidence.vector() for p in picks]) if picks
                    else np.zeros((0, len(FEATURE_NAMES))))
        positive = np.array([candidate_is_right(item, p.figure.text, p.figure.value) for p in picks], dtype=bool)
        group = item.doc or set_name
        rows.append(Labelled(item, set_name, group, figure_question, features, positive,
                             is_correct(item, answer), answer.abstained))
    return rows


def fit(rows: Sequence[Labelled], trained_on: Sequence[str] = ()) -> Weights:
    """Fit the ranker and the answerable model on all rows; the threshold from grouped CV."""
    threshold = cross_validate(rows).threshold
    ranker, answerable = _fit_models(rows)
    return Weights(ranker, answerable, threshold, tuple(trained_on))


@dataclass(frozen=True)
class Outcome:
    """A question answered (or declined) by weights fitted without its transcript."""

    row: Labelled
    probability: float  # the answerable model's, for the ranker's best candidate (0: no candidate)
    top_right: bool


@dataclass(frozen=True)
class Validation:
    outcomes: tuple[Outcome, ...]
    threshold: float

    def correct(self, outcome: Outcome) -> bool:
        row = outcome.row
        if not row.figure_question:
            return row.current_correct
        answers = outcome.probability >= self.threshold
        if not _answerable(row.item):
            return not answers
        return answers and outcome.top_right

    def abstained(self, outcome: Outcome) -> bool:
        if not outcome.row.figure_question:
            return outcome.row.current_abstained
        return outcome.probability < self.threshold

    def metrics(self, set_name: str | None = None) -> dict[str, float]:
        chosen = [o for o in self.outcomes if set_name is None or o.row.set_name == set_name]
        return summary([(o.row, self.correct(o), self.abstained(o)) for o in chosen])


def summary(results: Sequence[tuple[Labelled, bool, bool]]) -> dict[str, float]:
    """Answer accuracy, abstention recall and false abstention of (row, correct, abstained) triples."""
    answerable = [(c, a) for row, c, a in results if _answerable(row.item)]
    unanswerable = [a for row, _, a in results if not _answerable(row.item)]
    return {"questions": len(results),
            "answer_accuracy": _share(c for c, _ in answerable),
            "abstention_recall": _share(unanswerable),
            "false_abstention_rate": _share(a for _, a in answerable)}


def current_metrics(rows: Sequence[Labelled], set_name: str | None = None) -> dict[str, float]:
    """The same metrics for the answers the engine gave with its present weights."""
    return summary([(r, r.current_correct, r.current_abstained) for r in rows
                    if set_name is None or r.set_name == set_name])


def cross_validate(rows: Sequence[Labelled], folds: int = FOLDS) -> Validation:
    """Grouped k-fold by transcript: each question is decided by models fitted on the others."""
    GroupKFold = _sklearn().model_selection.GroupKFold
    groups = np.array([r.group for r in rows])
    n_splits = min(folds, len(set(groups)))
    if n_splits < 2:
        raise FitError("cross-validation needs questions about at least two transcripts")
    outcomes: list[Outcome] = []
    for train, test in GroupKFold(n_splits=n_splits).split(np.zeros(len(rows)), groups=groups):
        ranker, answerable = _fit_models([rows[i] for i in train])
        outcomes += [_decide(rows[i], ranker, answerable) for i in test]
    return Validation(tuple(outcomes), _best_threshold(outcomes))


def _decide(row: Labelled, ranker: Logistic, answerable: Logistic) -> Outcome:
    if not len(row.features):
        return Outcome(row, 0.0, False)
    scores = np.array([ranker.probability(x) for x in row.features])
    order = np.argsort(-scores, kind="stable")
    best, second = order[0], (scores[order[1]] if len(order) > 1 else 0.0)
    probability = answerable.probability(decision_vector(row.features[best], scores[best], second))
    return Outcome(row, probability, bool(row.positive[best]))


def _fit_models(rows: Sequence[Labelled]) -> tuple[Logistic, Logistic]:
    LogisticRegression = _sklearn().linear_model.LogisticRegression  # fails early without scikit-learn
    figure_rows = [r for r in rows if r.figure_question]
    # The ranker learns from questions whose answer is among the candidates: the others say
    # nothing about which candidate is better.
    ranked = [r for r in figure_rows if r.positive.any()]
    if not ranked:
        raise FitError("no figure question has its expected figure among the candidates; nothing to fit")
    ranker = Logistic(FEATURE_NAMES, tuple(_listwise([(r.features, r.positive) for r in ranked])), 0.0)
    decisions, right = [], []
    for r in figure_rows:
        if not len(r.features):
            continue
        scores = np.array([ranker.probability(x) for x in r.features])
        order = np.argsort(-scores, kind="stable")
        best, second = order[0], (scores[order[1]] if len(order) > 1 else 0.0)
        decisions.append(decision_vector(r.features[best], scores[best], second))
        right.append(bool(r.positive[best]))
    if len(set(right)) < 2:
        raise FitError("the answerable model needs both right and wrong first choices among the questions")
    decision_model = LogisticRegression(C=C, max_iter=2000).fit(np.stack(decisions), np.array(right))
    answerable = Logistic(DECISION_NAMES, tuple(decision_model.coef_[0]), float(decision_model.intercept_[0]))
    return ranker, answerable


def _listwise(questions: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Weights w maximising, over questions, the softmax probability of the right candidates
    (features @ w as scores), with an L2 penalty; gradient descent on this convex loss."""
    w = np.zeros(questions[0][0].shape[1])
    for _ in range(RANKER_STEPS):
        gradient = RANKER_L2 * w / len(questions)
        for features, positive in questions:
            scores = features @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            gradient += features.T @ (p - positive / positive.sum()) / len(questions)
        w -= RANKER_RATE * gradient
    return w


def _best_threshold(outcomes: Sequence[Outcome]) -> float:
    """The threshold with the best accuracy over all questions (answered right, or declined
    when unanswerable); among those within THRESHOLD_SLACK of it, the fewest false abstentions."""
    scored = []
    for threshold in sorted({0.0, *(round(o.probability, 4) for o in outcomes)}):
        validation = Validation(tuple(outcomes), threshold)
        scored.append((_share(validation.correct(o) for o in outcomes),
                       validation.metrics()["false_abstention_rate"], threshold))
    best = max(accuracy for accuracy, _, _ in scored)
    return min((fa, t) for accuracy, fa, t in scored if accuracy >= best - THRESHOLD_SLACK)[1]


def format_report(report: dict) -> str:
    """Per set (then all sets), the cross-validated fitted metrics beside the current weights'."""
    header = f"{'set':<20} {'weights':<20} {'questions':>9} {'accuracy':>9} {'abst. recall':>12} {'false abst.':>11}"
    lines = [header]
    for name, results in report.items():
        for label_, result in results.items():
            lines.append(f"{name or 'all':<20} {label_:<20} {int(result['questions']):>9} "
                         f"{result['answer_accuracy']:>9.3f} {result['abstention_recall']:>12.3f} "
                         f"{result['false_abstention_rate']:>11.3f}")
    return "\n".join(lines)


def _answerable(item: Item) -> bool:
    return item.answerable and item.mode != "none"


def _share(flags) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def _sklearn():
    try:
        import sklearn.linear_model
        import sklearn.model_selection
    except ImportError:
        raise FitError('fitting needs scikit-learn: pip install -e ".[fit]"') from None
    return sklearn
