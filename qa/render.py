"""Turn chosen evidence into an Answer: the short answer, citations and chat markdown.

Layout of `Answer.text`, of `qa ask` and of the page's chat bubble (`markdown`):
    **<short answer>**
    _<what the figure measures (period)>_    subject and period, words from the quote
    > <verbatim quote> [1]
    **Computed** by this tool, ...: <change> [1]    only for computed figures
    [1] <speaker>, paragraph <n> of "<document>"    attribution lines
    Related: ...                             only when abstaining
The page's plain-text copy (`plain_text`) shows the same parts without markup.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

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
COMPUTED_PREFIX = "**Computed**"
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
        case SpanAnswer(day=None):
            return decision.said
        case SpanAnswer():
            return f"{decision.said} {placed_day(decision.said, decision.day, decision.evidence.document.date)}"
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
        note = resolved_period(figure, said.sentence.text, said.sentence.start, said.document.date)
        period = f" {note}" if note else period
        parts.append(f"{figure_phrase(figure)}{period} [{n}]")
    return "; ".join(parts)


def build_answer(question: Question, hits: list[Hit], evidence: list[Evidence],
                 *, figures: list[Figure], computed: list[Computed], confidence: float,
                 answer: str | None, dated: bool = False) -> Answer:
    """An answer resting on `evidence`, cited in order; `dated` adds each document's date to
    its attribution lines (for corpora of several transcripts)."""
    citations = tuple(Citation(n, item.passage.id, item.document.source, item.passage.speaker,
                               item.sentence.text, item.sentence.start, item.sentence.end,
                               item.document.title, item.document.date)
                      for n, item in enumerate(evidence, start=1))
    short = answer if answer is not None else short_answer(figures, computed)
    made = Answer(question.text, short, "", tuple(figures), citations, tuple(hits), False,
                  round(confidence, 4), tuple(computed), _note_tuple(question))
    return replace(made, text=markdown(made, dated=dated))


def abstention(question: Question, hits: list[Hit], confidence: float) -> Answer:
    """'The transcript does not say', with the closest passages offered as related."""
    made = Answer(question.text, NOT_ANSWERED, "", (), (), tuple(hits), True,
                  round(1.0 - confidence, 4), (), _note_tuple(question))
    return replace(made, text=markdown(made))


# ---------------------------------------------------------------- the formats of one answer
# `Answer.text` (and so `qa ask`), the page's chat bubble and its plain-text copy are written
# by the two functions below from the same Answer, so they show the same label, quotes,
# computed figures and attributions; only escaping and a few words for the place differ.

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$^=:])")


def escape_markdown(text: str) -> str:
    """Text shown literally in a chat bubble: no HTML, no markdown, no maths, whatever it contains."""
    text = text.replace("\r", " ")
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _as_is(text: str) -> str:
    return text


def markdown(answer: Answer, *, dated: bool = False, escape: Callable[[str], str] = _as_is,
             related_lead: str = RELATED_PREFIX, searched: str | None = None) -> str:
    """The answer as markdown: the short answer in bold, what its figure measures, each quote
    with its [n], computed figures, the attribution lines and any notes (the layout in this
    module's docstring). `escape` makes corpus text literal (the page passes `escape_markdown`);
    `related_lead` opens the related passages of an abstention; `searched` names the question
    searched when it is not the one typed (a follow-up)."""
    e = escape
    lines = [f"**{e(answer.answer)}**", ""]
    if answer.abstained:  # the short answer already says so: only where to look next is added
        if related := related_hits(answer.passages):
            lines += [f"{related_lead} {e(related_places(related))}", ""]
    else:
        if (label := answer_label(answer)).strip():  # a time of day has no subject to say
            lines += [f"_{e(label)}_", ""]
        lines += [f"> {e(c.quote)} {e(f'[{c.n}]')}" for c in answer.citations]
        lines.append("")
        for computed in answer.computed:
            lines += [f"{COMPUTED_PREFIX} by this tool, not stated in the transcript: {e(computed.text)} {e('[1]')}",
                      ""]
        lines += [e(citation_attribution(c, dated=dated)) for c in answer.citations]
    for note in answer.notes:
        lines += ["", f"_{e(note)}_"]
    if searched:
        lines += ["", f"_Searched for: {e(searched)}_"]
    return "\n".join(lines).strip()


def plain_text(answer: Answer, *, asked: str, searched: str | None = None) -> str:
    """The answer and its citations as plain text, for pasting elsewhere: the question `asked`
    (and the one `searched`, for a follow-up), the answer, what it measures, computed figures,
    the quotes and where each lies (characters start-end of its file)."""
    lines = [f"Q: {asked}"]
    if searched:
        lines.append(f"(searched for: {searched})")
    lines.append(f"A: {answer.answer}")
    if not answer.abstained and (label := answer_label(answer)).strip():
        lines.append(f"({label})")
    for computed in answer.computed:
        lines.append(f"Computed by transcript-qa, not stated in the transcript: {computed.text}")
    lines += [f'"{c.quote}" [{c.n}]' for c in answer.citations]
    lines += [f"{citation_attribution(c, dated=True)}, characters {c.start}-{c.end} of {Path(c.source).name}"
              for c in answer.citations]
    if answer.abstained and (related := related_hits(answer.passages)):
        lines.append(f"{RELATED_PREFIX} {related_places(related)}")
    return "\n".join(lines)


def answer_label(answer: Answer) -> str:
    """What the answer's first figure measures, and when ("" when it answers with no figure)."""
    if not answer.figures:
        return ""
    quoted = answer.citations[0] if answer.citations else None
    return measures(answer.figures[0], quoted, whole_range=bool(answer.computed))


def citation_attribution(citation: Citation, *, dated: bool = False) -> str:
    """A citation's attribution line; its paragraph number is the one its passage id ends with.
    A header line, before the first turn, is cited as the transcript's header."""
    if citation.passage_id.endswith(":header"):
        line = f'[{citation.n}] the header of "{citation.document}"'
        return line + (f", {citation.date}" if dated and citation.date else "")
    paragraph = citation.passage_id.rpartition(":p")[2]
    return attribution(citation.n, citation.speaker, paragraph, citation.document,
                       citation.date if dated else None)


def related_hits(hits: Sequence[Hit]) -> list[Hit]:
    """The passages an abstention points to: the best three that are not a reporter's question."""
    return [h for h in hits[:3] if h.passage.role != "question"]


def related_places(hits: Sequence[Hit]) -> str:
    """'Li Ming, paragraph 3; Wu Fang, paragraph 7', with each document's title when they differ."""
    several = len({h.source for h in hits}) > 1  # then "paragraph 3" needs its document
    return "; ".join(f"{h.passage.speaker}, paragraph {h.passage.paragraph_no}"
                     + (f' of "{h.document}"' if several else "") for h in hits)


def attribution(n: int, speaker: str, paragraph: int | str, title: str, date: str | None = None) -> str:
    """An attribution line: '[1] Li Ming, paragraph 4 of "Briefing on ports", 2024-05-21'."""
    return f'[{n}] {speaker}, paragraph {paragraph} of "{title}"' + (f", {date}" if date else "")


def measures(figure: Figure, quoted: Citation | None = None, *, whole_range: bool = False) -> str:
    """What the figure measures and when, in the transcript's words; a period said without its
    year ("last year") is shown resolved against the document's date (`resolved_period`). One end
    of a range gets its own period unless the answer is the `whole_range` (a growth answer)."""
    subject = label_subject(figure.subject)
    subject = subject[:1].upper() + subject[1:]
    note = resolved_period(figure, quoted.quote, quoted.start, quoted.date) if quoted is not None else None
    if not note and not whole_range and (own := range_end_period(figure)):
        note = f"({own})"
    if not note and (said := _period_said(figure, quoted) or figure.period):
        note = f"({label_period(said)})"
    return f"{subject} {note}".strip() if note else subject


def _period_said(figure: Figure, quoted: Citation | None) -> str | None:
    """The words the figure's resolved period was read from ("at the end of 2020" for the 3.4
    percent of "2.6 percent at the end of 2032, and 3.1 percent at the end of 2033"), which the
    figure parser's nearest phrase before it may not be; None when it has no resolved period."""
    if quoted is None or figure.period_start is None:
        return None
    mention = figure_mention(figure, quoted.quote, quoted.start, reference_date(quoted.date))
    return " ".join(mention.text.split()) if mention is not None else None


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


def resolved_period(figure: Figure, sentence: str, sentence_start: int, said_on: str | None) -> str | None:
    """"(in 2021, said as 'last year' on 2022-01-20)" when the figure's period was resolved from
    words that give no year; None when its period is unknown or said with its year. `sentence`
    is the quote the figure lies in, at `sentence_start`, said on the ISO date `said_on`."""
    if figure.period_start is None or figure.period_end is None:
        return None
    mention = figure_mention(figure, sentence, sentence_start, reference_date(said_on))
    said = " ".join((mention.text if mention is not None else figure.period or "").split())
    if not said or _YEAR_SAID.search(said) or "'" in said:
        return None
    start, end = reference_date(figure.period_start), reference_date(figure.period_end)
    said_on_date = reference_date(said_on)
    if start is None or end is None or start == end == said_on_date:
        return None  # "today", "now": the briefing's own date, which its citation gives
    when = describe(Period(start, end, said))
    on = f" on {said_on_date.isoformat()}" if said_on_date else ""
    return f"({when}, said as '{said}'{on})"


def placed_day(said: str, day: date, said_on: str | None) -> str:
    """"(on May 22, 2024, said as 'tomorrow' on 2024-05-21)": the day a word that names no
    date stands for, read from the briefing's date (a RESOLVED_NOTE, so it asserts no quoted number)."""
    on = f" on {said_on}" if said_on else ""
    return f"(on {calendar.month_name[day.month]} {day.day}, {day.year}, said as '{' '.join(said.split())}'{on})"


def _note_tuple(question: Question) -> tuple[str, ...]:
    return (TRUNCATED_NOTE,) if question.truncated else ()
