"""Follow-up questions in a chat: "And in 2012?" read with the previous question, no language model.

A follow-up is recognised by its shape alone (general English, nothing about any transcript):
- it names no subject of its own, only a period ("And in 2012?", "What about 2015?"): the
  previous question is searched again with its years replaced;
- it starts with "and" / "what about" / "how about" and names a new subject ("And the
  widget sector?"): the previous question is searched with that subject in place of its own;
- it is short and points back with a pronoun ("How much did it grow?"): the pronoun is read
  as the previous question's subject.
Anything else stands on its own. The composed question is what gets searched, and the chat
shows it, so the reader can see how the follow-up was understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.question import YEAR, analyse

# "and", "and what about", "how about", "what about", "also", "but"; then the rest.
_CUE = re.compile(r"^\s*(?:(?:and|but|also|so|then)\b[\s,]*)?(?:(?:what|how)\s+about\b[\s,]*)?", re.IGNORECASE)
_STARTS_WITH_CUE = re.compile(r"^\s*(?:and|but|also|what about|how about)\b", re.IGNORECASE)
_WH_START = re.compile(r"^\s*(?:who|whom|whose|what|which|how|when|where|why)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|its|that|this|they|them|their|those|these)\b", re.IGNORECASE)
_MAX_PRONOUN_WORDS = 8  # besides a period; longer questions that say "it" usually stand on their own
# A year with the words that anchor it: "in 2021", "by the end of 2021", "from 2012 to 2021".
_YEAR_PHRASE = re.compile(
    r"\s*\b(?:(?:in|by|at|during|since|from|to|until|through|between|and|over)\s+)?"
    r"(?:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+)?(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
# What a question is about: after "how many", "the size of", "... about", up to a verb or period.
_SUBJECT = re.compile(
    r"\b(?:how many|how much|number of|(?:what|how)\s+(?:was|is|were|are|has been|have been)\s+the|"
    r"about|regarding|on|for)\s+(?P<subject>.+?)"
    r"(?=\s+(?:are|is|were|was|has|have|had|did|do|does|will|can|could|in|by|at|since|during|from|between|"
    r"over|so far|reach|reached|increased|grew|rose)\b|[?.!]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Search:
    """What to search for a chat turn: the typed question, or it composed with the previous one."""

    question: str  # as typed
    searched: str  # what is sent to the engine
    followup: bool  # True when `searched` was composed with the previous question


def compose(question: str, previous: str | None) -> Search:
    """The question to search for, reading `question` as a follow-up of `previous` if it is one.

    Args:
        question: the question as typed.
        previous: the question searched for on the previous turn (already composed), or None.
    """
    question = " ".join(question.split())
    if not previous or not question:
        return Search(question, question, False)
    rest = _CUE.sub("", question, count=1).strip(" ?.!,")
    cue = _STARTS_WITH_CUE.match(question) is not None
    if cue and _WH_START.match(rest):  # "And how many ... ?": a question of its own after the "and"
        inner = compose(rest + "?", previous)
        return Search(question, inner.searched, True) if inner.followup else Search(question, question, False)
    if (not cue and _WH_START.match(question) and _PRONOUN.search(question)
            and len(_YEAR_PHRASE.sub("", question).split()) <= _MAX_PRONOUN_WORDS):
        searched = _with_pronoun_resolved(question, previous)
    elif not _content_terms(_YEAR_PHRASE.sub(" ", rest)) and (cue or YEAR.search(rest)):
        searched = _with_period(previous, rest)
    elif cue and rest:
        searched = _with_subject(previous, rest)
    else:
        return Search(question, question, False)
    return Search(question, searched, searched != question)


def _content_terms(text: str) -> tuple[str, ...]:
    """The words that name a subject (stopwords, question words and years left out)."""
    try:
        return analyse(text).terms
    except ValueError:  # nothing left at all ("And?")
        return ()


def _stem(question: str) -> str:
    return question.strip().rstrip("?.! ")


def _with_period(previous: str, rest: str) -> str:
    """The previous question asked about the period named in `rest` ("in 2012")."""
    new_years = YEAR.findall(rest)
    if not new_years:
        return previous
    base = _stem(previous)
    old_years = YEAR.findall(base)
    if len(old_years) == len(new_years):  # "in 2021" -> "in 2012"; "from 2012 to 2021" keeps its shape
        replacement = iter(new_years)
        return YEAR.sub(lambda _: next(replacement), base) + "?"
    period = rest if rest.split()[0].lower() in {"in", "by", "at", "during", "since", "from", "between",
                                                 "over", "until"} else f"in {rest}"
    return f"{_YEAR_PHRASE.sub('', base)} {period}?"


def _subject_span(question: str, whole: bool = False) -> tuple[int, int] | None:
    """Where the question's subject is: "the ferry fleet" in "the size of the ferry fleet",
    or all of it when `whole` (the new subject names its own measure: "the share of exports")."""
    match = _SUBJECT.search(question)
    if not match:
        return None
    start, end = match.span("subject")
    of = question[start:end].lower().rfind(" of ")  # the thing measured, not the measure
    return (start + of + 4, end) if of >= 0 and not whole else (start, end)


def _with_subject(previous: str, subject: str) -> str:
    """The previous question about a new subject ("... the widget sector in 2021?")."""
    base = _stem(previous)
    span = _subject_span(base, whole=" of " in subject.lower())
    if span is None:
        return f"{subject} {base}?"
    before = base[:span[0]]
    if re.search(r"\b(the|a|an)\s+$", before, re.IGNORECASE):  # "what was the" + "the share of ..."
        subject = re.sub(r"^(the|a|an)\s+", "", subject, flags=re.IGNORECASE)
    return f"{before}{subject}{base[span[1]:]}?"


def _with_pronoun_resolved(question: str, previous: str) -> str:
    """'How much did it grow?' -> 'How much did the ferry fleet grow?'."""
    base = _stem(previous)
    span = _subject_span(base)
    if span is None:
        return f"{_stem(question)} ({base})?"
    subject = base[span[0]:span[1]]
    possessive = {"its": f"{subject}'s", "their": f"{subject}'s"}
    return _PRONOUN.sub(lambda m: possessive.get(m.group(1).lower(), subject), question, count=1)
