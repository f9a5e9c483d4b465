"""The kinds of answer a question can ask for, in one table: what each expects, how it is
answered, and which kinds of figure fit it (and how well).

`qa.question` works out a question's type (`Question.expect`) from its grammar; the answerer
(`qa.answerer.decide`) answers it the way its row says; `qa.scoring.kind_fit` scores a figure's
kind by its row. A new type is one row here, its grammar in `qa.question._EXPECTATIONS` and, for
a new way of answering, one branch in `decide`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# How a type is answered: by choosing a figure; by a sentence; by a name (the turn structure,
# else a sentence's speaker); by the first figure of one kind in the best sentence ("9:00
# p.m.", "73rd"); by a day said in the best sentence.
AnsweredBy = Literal["figure", "sentence", "name", "kind", "date"]


@dataclass(frozen=True)
class AnswerType:
    name: str  # `Question.expect`
    asks_for: str  # what the user wants, in words
    answered_by: AnsweredBy
    # For "figure" and "kind" types: the figure kinds that can answer, with how well they fit.
    kinds: Mapping[str, float] = field(default_factory=dict)


ANSWER_TYPES: dict[str, AnswerType] = {t.name: t for t in (
    AnswerType("count", "how many of something", "figure", {"count": 1.0, "number": 0.8}),
    AnswerType("percent", "a rate, share or percentage", "figure", {"percent": 1.0, "percentage_points": 0.5}),
    AnswerType("money", "a sum of money", "figure", {"money": 1.0, "number": 0.3}),
    # "How much has China contributed to global growth?": a share answers how much too.
    AnswerType("amount", "how much or how big (money or a quantity)", "figure",
               {"money": 1.0, "count": 0.9, "number": 0.5, "percent": 0.5}),
    AnswerType("multiple", "how many times", "figure", {"multiple": 1.0, "percent": 0.3}),
    AnswerType("change", "by how much something changed", "figure",
               {"percentage_points": 1.0, "percent": 1.0, "money": 0.5, "multiple": 0.8, "count": 0.3}),
    AnswerType("growth", "how something grew from one level to another", "figure",
               {"money": 1.0, "count": 0.8, "percent": 0.6, "percentage_points": 0.6, "multiple": 0.6,
                "number": 0.5}),
    AnswerType("figure", "some figure (a level, a year's value)", "figure",
               {"percent": 0.8, "count": 0.8, "money": 0.8, "number": 0.6, "multiple": 0.6,
                "percentage_points": 0.6}),
    AnswerType("time", "a time of day", "kind", {"time": 1.0}),
    AnswerType("ordinal", "a place in a series ('which session')", "kind", {"ordinal": 1.0}),
    AnswerType("year", "a year ('in what year')", "kind", {"year": 1.0}),
    AnswerType("date", "a day of the calendar", "date"),
    AnswerType("speaker", "who: a person or an outlet", "name"),
    AnswerType("list", "which ones", "sentence"),
    AnswerType("text", "what was said", "sentence"),
)}

# The types a chosen figure answers (the fitted models of `qa fit` decide these).
FIGURE_EXPECTATIONS: tuple[str, ...] = tuple(name for name, t in ANSWER_TYPES.items()
                                             if t.answered_by == "figure")
