"""Turn chosen evidence into an Answer: the short answer, citations and chat markdown.

Layout of `Answer.text` (qa.faithfulness relies on it):
    **<short answer>**
    _<what the figure measures (period)>_    subject and period, words from the quote
    > <verbatim quote> [1]
    *Computed: <change>, from [1]*          only for computed figures
    [1] <speaker>, paragraph <n> of "<document>"    attribution lines
    Related: ...                             only when abstaining
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus import Figure
from corpus.periods import Period, describe, figure_mention, reference_date
from qa.decision import (
    Abstain,
    Decision,
    Evidence,
    FigureAnswer,
    ListedAnswer,
    NamedAnswer,
    RangeAnswer,
    SentenceAnswer,
    SpanAnswer,
    evidence_of,
    figures_of,
)
from qa.models import Answer, Citation, Computed, Hit
from qa.question import Question

NOT_ANSWERED = "The transcript does not say."
TRUNCATED_NOTE = "The question was very long and was truncated before searching."
COMPUTED_PREFIX = "*Computed:"
RELATED_PREFIX = "Related:"
# How a period the transcript said relatively is shown resolved: "(in 2021, said as 'last year'
# on 2022-01-20)". Its dates are read from the document's date, not quoted, so the faithfulness
# check (qa.faithfulness) leaves text of this shape out of the numbers an answer asserts.
RESOLVED_NOTE = re.compile(r"\((?:in|on|from) [^()']*, said as '[^']*'(?: on \d{4}-\d{2}-\d{2})?\)")
_YEAR_SAID = re.compile(r"\b(?:19|20)\d{2}\b")

def figure_phrase(figure: Figure) -> str:
    """'more than 300 charging stations', 'exceeded 600,000', '12.5%', '1.8 trillion yuan': the
    qualifier in the transcript's own word (lower-cased: it may open the sentence)."""
    words = [(figure.qualifier or "").lower(), figure.text]
    if figure.kind == "count" and figure.unit:
        words.append(figure.unit)
    return " ".join(w for w in words if w)


def short_answer(figures: list[Figure], computed: list[Computed]) -> str:
    if len(figures) >= 2:
        both = f"from {figure_phrase(figures[0])} to {figure_phrase(figures[1])}"
        return f"{both} (computed: {computed[0].text})" if computed else both
    return figure_phrase(figures[0])


def answer_from(question: Question, hits: list[Hit], decision: Decision, *, dated: bool = False) -> Answer:
    """The Answer a decision makes: its short answer, chat markdown and citations (`dated`:
    attribution lines carry each document's date, for corpora of several transcripts)."""
    if isinstance(decision, Abstain):
        return abstention(question, hits, decision.confidence)
    short = _short(decision)  # first: it refuses what is no decision
    computed = [decision.computed] if isinstance(decision, RangeAnswer) and decision.computed else []
    return build_answer(question, hits, list(evidence_of(decision)), figures=list(figures_of(decision)),
                        computed=computed, confidence=decision.confidence, answer=short, dated=dated)


def _short(decision: Decision) -> str | None:
    """The short answer when it is not the figures' own phrase (None: `short_answer` of them)."""
    match decision:
        case ListedAnswer():
            return listed_short(decision.figures, decision.evidence)
        case SpanAnswer():
            return decision.said
        case SentenceAnswer():
            return decision.evidence.sentence.text
        case NamedAnswer():
            return decision.name
        case FigureAnswer() | RangeAnswer():
            return None
    raise TypeError(f"not a decision: {decision!r}")


def listed_short(figures: Sequence[Figure], evidence: Sequence[Evidence]) -> str:
    """'40 units (by the end of 2022) [1]; 35 units (by the end of 2021) [2]': each figure
    with its period in the quote's words and the number of its citation; a period said without
    its year is shown resolved ("(in 2021, said as 'last year' on 2022-01-20)")."""
    parts = []
    for n, (figure, said) in enumerate(zip(figures, evidence), start=1):
        period = figure.period or ""
        period = f" ({period[:1].lower()}{period[1:]})" if period else ""
        period = f" {note}" if (note := resolved_period(figure, said)) else period
        parts.append(f"{figure_phrase(figure)}{period} [{n}]")
    return "; ".join(parts)


def build_answer(question: Question, hits: list[Hit], evidence: list[Evidence],
                 *, figures: list[Figure], computed: list[Computed], confidence: float,
                 answer: str | None, dated: bool = False) -> Answer:
    """An answer resting on `evidence`, cited in order; `dated` adds each document's date to
    its attribution line (for corpora of several transcripts)."""
    citations = []
    lines = []
    for n, item in enumerate(evidence, start=1):
        citations.append(Citation(n, item.passage.id, item.document.source, item.passage.speaker,
                                  item.sentence.text, item.sentence.start, item.sentence.end,
                                  item.document.title, item.document.date))
        lines.append(f"> {item.sentence.text} [{n}]")
    short = answer if answer is not None else short_answer(figures, computed)
    text = [f"**{short}**", ""]
    label = measures(figures[0], evidence[0] if evidence else None, whole_range=bool(computed)) if figures else ""
    if label.strip():  # a time of day has no subject to say
        text += [f"_{label}_", ""]
    text += [*lines, ""]
    for item in computed:
        text.append(f"{COMPUTED_PREFIX} {item.text}, from the figures in [1]*")
        text.append("")
    for n, item in enumerate(evidence, start=1):
        text.append(attribution(n, item.passage.speaker, item.passage.paragraph_no, item.document.title,
                                item.document.date if dated else None))
    text.extend(_notes(question))
    return Answer(question.text, short, "\n".join(text).strip(), tuple(figures), tuple(citations),
                  tuple(hits), False, round(confidence, 4), tuple(computed), _note_tuple(question))


def abstention(question: Question, hits: list[Hit], confidence: float) -> Answer:
    """'The transcript does not say', with the closest passages offered as related."""
    text = [f"**{NOT_ANSWERED}**", ""]
    related = [h for h in hits[:3] if h.passage.role != "question"]
    if related:
        text.append(f"{RELATED_PREFIX} {_related(related)}")
    text.extend(_notes(question))
    return Answer(question.text, NOT_ANSWERED, "\n".join(text).strip(), (), (), tuple(hits), True,
                  round(1.0 - confidence, 4), (), _note_tuple(question))


def attribution(n: int, speaker: str, paragraph: int | str, title: str, date: str | None = None) -> str:
    """An attribution line: '[1] Li Ming, paragraph 4 of "Briefing on ports", 2024-05-21'."""
    return f'[{n}] {speaker}, paragraph {paragraph} of "{title}"' + (f", {date}" if date else "")


def measures(figure: Figure, evidence: Evidence | None = None, *, whole_range: bool = False) -> str:
    """What the figure measures and when, in the transcript's words; a period said without its
    year ("last year") is shown resolved against the document's date (`resolved_period`). One end
    of a range gets its own period unless the answer is the `whole_range` (a growth answer)."""
    subject = label_subject(figure.subject)
    subject = subject[:1].upper() + subject[1:]
    note = resolved_period(figure, evidence) if evidence is not None else None
    if not note and not whole_range and (own := range_end_period(figure)):
        note = f"({own})"
    if not note and figure.period:
        note = f"({label_period(figure.period)})"
    return f"{subject} {note}".strip() if note else subject


# A figure's subject is the transcript's words before it, sometimes a whole clause ("Cities in
# China are connected to ..."); the label keeps the noun phrase before its first finite verb.
_FINITE_VERBS = re.compile(r"\s+(?:is|are|was|were|has|have|had|will|would|can|could)\b", re.IGNORECASE)
# A period said at the start of a sentence keeps its capital ("By the end of 2021"); inside the
# label's brackets it reads as "(by the end of 2021)". Month names and other proper nouns keep it.
_LOWER_FIRST = frozenset({"in", "by", "from", "over", "at", "during", "as", "since", "for", "until", "through",
                          "between", "so", "last", "this", "next", "compared", "the", "up", "down", "before",
                          "after", "within", "throughout", "to", "on", "of"})


def label_subject(subject: str) -> str:
    """The subject as a noun phrase: cut before its first finite verb when a phrase precedes it."""
    match = _FINITE_VERBS.search(subject)  # needs a word before it: never cuts to nothing
    return subject[: match.start()] if match else subject


def label_period(period: str) -> str:
    """The period as written, with a sentence-initial capital lowered ("In 2023" -> "in 2023")."""
    first = period.split(maxsplit=1)[0] if period.split() else ""
    return period[:1].lower() + period[1:] if first.lower() in _LOWER_FIRST else period


def range_end_period(figure: Figure) -> str | None:
    """One end of "from 2.5 trillion yuan to 9.5 trillion yuan" over "From 2012 to 2021" is
    labelled with its own year ("in 2012"), not the whole range's period."""
    if figure.role is None or figure.period_start is None or figure.period_end is None:
        return None
    start, end = reference_date(figure.period_start), reference_date(figure.period_end)
    if start is None or end is None or start == end:
        return None
    return describe(Period(start, end, figure.period or ""))


def resolved_period(figure: Figure, evidence: Evidence) -> str | None:
    """"(in 2021, said as 'last year' on 2022-01-20)" when the figure's period was resolved from
    words that give no year; None when its period is unknown or said with its year."""
    if figure.period_start is None or figure.period_end is None:
        return None
    mention = figure_mention(figure, evidence.sentence.text, evidence.sentence.start,
                             reference_date(evidence.document.date))
    said = " ".join((mention.text if mention is not None else figure.period or "").split())
    if not said or _YEAR_SAID.search(said) or "'" in said:
        return None
    start, end = reference_date(figure.period_start), reference_date(figure.period_end)
    said_on = reference_date(evidence.document.date)
    if start is None or end is None or start == end == said_on:
        return None  # "today", "now": the briefing's own date, which its citation gives
    when = describe(Period(start, end, said))
    on = f" on {said_on.isoformat()}" if said_on else ""
    return f"({when}, said as '{said}'{on})"


def _related(hits: list[Hit]) -> str:
    several = len({h.source for h in hits}) > 1  # then "paragraph 3" needs its document
    return "; ".join(f"{h.passage.speaker}, paragraph {h.passage.paragraph_no}"
                     + (f' of "{h.document}"' if several else "") for h in hits)


def _notes(question: Question) -> list[str]:
    return ["", f"_{TRUNCATED_NOTE}_"] if question.truncated else []


def _note_tuple(question: Question) -> tuple[str, ...]:
    return (TRUNCATED_NOTE,) if question.truncated else ()
