"""Person names and news-outlet introductions in transcript text, by general press-room grammar.

Reporters and outlets are often only said in words: a moderator's "Let's go to Jane Roe at
the Daily Planet." or a reporter's "Thanks. Jane Roe, Daily Planet." This module finds such
introductions and the person names of a sentence ("Foreign Minister Ana Lima of Ruritania").
Nothing here knows any transcript's names: only capitalisation, titles and connecting words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A capitalised word of a name: "Pellman", "O'Donnell", "O'Connell", "LaBarre", "Saint-Cyr".
_NAME_WORD = r"(?:[A-Z][a-z]+|[A-Z](?=['’][A-Z]))(?:['’\-][A-Z]?[a-z]+)*(?:[A-Z][a-z]+)?"
# A word of an outlet's name: "Reuters", "AFP", "Ratewatch.com", "France-Presse", "NBC".
_OUTLET_WORD = r"[A-Z][\w&'’\-]*(?:\.(?:com|net|org|cn|co\.uk))?"
# On one line ("Jo Lee from Coast Radio" over the next label); a channel's number may lead ("4 News").
_OUTLET = (rf"(?:[Tt]he\s+)?(?:\d{{1,2}}[^\S\n]+)?{_OUTLET_WORD}"
           rf"(?:(?:[^\S\n]+(?:of|and|&|for|the|on))*[^\S\n]+{_OUTLET_WORD}){{0,5}}")
# A struck-out outlet corrected in brackets, as some transcripts publish it: "<s>Old</s> [New]".
_CORRECTED = r"<s>[^<]{0,80}</s>\s*\[(?P<corrected>[^\]]{1,80})\]"

# Words that open a capitalised run but are not part of a name: greetings, pronouns, titles.
_NOT_NAME = frozenset("""
a an and as at but by for from good hello hi i if in it madam my no of oh ok okay on or our so sorry
sure thank thanks the then this we well yeah yes you your let next first last all great
""".split())
TITLES = frozenset("""
mr mrs ms miss dr prof professor sir dame madam senator minister president vice chair chairman chairwoman
chairperson secretary governor ambassador director director-general general deputy foreign prime premier
state councilor councillor spokesperson spokesman spokeswoman commissioner treasurer attorney mayor
king queen prince princess judge justice representative rep congressman congresswoman speaker leader
chancellor envoy special assistant adviser advisor economic national security press acting associate
assistant chief executive officer head counselor senior
""".split())
# Words that end an outlet's name: the next sentence addresses someone ("Reuters. Chair Marlow").
_OUTLET_STOP = frozenset("i thanks thank chair chairman madam mr mrs ms dr president secretary governor so".split())
# Organisation words: a capitalised run holding one is an institution, not a person.
_ORGANISATION = frozenset("""
house reserve bank council committee ministry department office agency party republic states nations
union organization organisation conference association commission court government university
institute board corporation company group news times post journal press ministry embassy army navy
daily weekly radio tv television gazette herald tribune magazine network channel agency
coalition alliance fund foundation initiative programme program centre center service authority
forum assembly mission federation society innovations partnership
""".split())

_RUN = re.compile(rf"{_NAME_WORD}(?:\.?\s+{_NAME_WORD}|-{_NAME_WORD})*")

# Words a moderator uses to hand the floor to a reporter.
_HANDOVER = (r"(?:go(?:ing)?\s+to|got\s+to|turn\s+to|start\s+with|call\s+on|hear\s+from|recogni[sz]e|"
             r"go\s+ahead,|question(?:\s+is)?(?:\s+from)?,?|next\s+(?:is|up\s+is|we\s+have))")
_JOB = r"(?:,\s*(?:(?:a|an|the)\s+)?(?:[a-z][\w\-]*\s+){0,5}?(?:reporting\s+for|writing\s+for|with|from|at|for)|,)"
_LINK = rf"(?:{_JOB}|\s+(?:with|from|at|of|for|reporting\s+for|representing))"


@dataclass(frozen=True)
class Introduction:
    """A reporter named in the text, with their outlet when it is said; offsets into the text."""

    name: str
    outlet: str | None
    start: int
    end: int

    def label(self) -> str:
        """'Jane Roe (Daily Planet)', or the name alone."""
        return f"{self.name} ({self.outlet})" if self.outlet else self.name


def introductions(text: str, offset: int = 0) -> list[Introduction]:
    """Every introduction of a reporter in `text`, in order ("Jane Roe with the Daily Planet",
    "go to Jane Roe at Daily Planet", "Jane Roe, Daily Planet", "Go ahead, Jane.")."""
    found: list[Introduction] = []
    position = 0
    for match in re.finditer(r"\b[A-Z]", text):
        if match.start() < position:
            continue
        intro = _introduction_at(text, match.start())
        if intro is not None:
            found.append(Introduction(intro.name, intro.outlet, intro.start + offset, intro.end + offset))
            position = intro.end
    return found


# A name on one line: the label "Jo Lee" over "Jo Lee from ABC News." is not "Jo Lee Jo Lee".
_INTRODUCED_NAME = re.compile(rf"{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}}")


def _introduction_at(text: str, at: int) -> Introduction | None:
    handover = re.search(rf"{_HANDOVER}\s+$", text[max(0, at - 40):at], re.IGNORECASE)
    name = _INTRODUCED_NAME.match(text, at)
    if name is None:
        return None
    words = name.group(0).split()
    if words[0].lower().rstrip(".") in _NOT_NAME | TITLES:
        return None  # "Thanks, ...", "Chair Marlow, ...": not a reporter's name
    if any(re.search(r"['’]s$", w) for w in words):
        return None  # "the President's State of the Union": a possessive, not a name
    outlet = _outlet_after(text, name.end())
    if outlet is not None and (len(words) >= 2 or handover):
        label, end = outlet
        return Introduction(" ".join(words), label, at, end)
    if handover and re.match(r"\s*[.?!]", text[name.end():]):  # "Go ahead, Arlette." -- no outlet said
        return Introduction(" ".join(words), None, at, name.end())
    return None


_HANDOVER_OUTLET = re.compile(rf"(?i:{_HANDOVER})\s+(?P<the>the\s+)?(?P<outlet>{_OUTLET})(?=\s*[.?!,])")


# "Governor, from Harbour Radio. Two questions": the reporter's label named them, and
# their turn opens with the outlet alone, after a greeting of a few words at most.
_OWN_OUTLET = re.compile(rf"(?:[\w’'.]+,?[^\S\n]+){{0,3}}?(?:from|with)[^\S\n]+(?P<outlet>{_OUTLET})(?=\s*[.?!,])")


def own_outlet(turn: str) -> str | None:
    """The outlet a reporter's turn opens by saying without their name ("Hi, from the Harbour
    Gazette."), None when it does not."""
    match = _OWN_OUTLET.match(turn.lstrip())
    return match.group("outlet") if match else None


def handover_outlet(text: str) -> str | None:
    """The outlet a moderator last hands the floor to without naming the reporter ("we're going
    to go to the Harbour Gazette.", "next up is AP."): an outlet word or an acronym says it is no
    person's name. None when `text` has no such handover."""
    found = None
    for match in _HANDOVER_OUTLET.finditer(text):
        outlet = match.group("outlet")
        words = outlet.split()
        if not words[0][0].isupper() or words[0].lower() in _NOT_NAME | TITLES:
            continue
        organised = any(w.lower().rstrip(".") in _ORGANISATION for w in words)
        acronym = len(words) == 1 and words[0].isupper() and len(words[0]) >= 2
        if organised or acronym or (match.group("the") and len(words) >= 2):
            found = outlet
    return found


def _outlet_after(text: str, at: int) -> tuple[str, int] | None:
    link = re.compile(rf"{_LINK}\s*").match(text, at)
    if link is None:
        return None
    start = link.end()
    corrected = re.compile(_CORRECTED).match(text, start)
    if corrected:
        return corrected.group("corrected").strip(), corrected.end()
    outlet = re.compile(_OUTLET).match(text, start)
    if outlet is None:
        return None
    words = outlet.group(0).split()
    if words[0].lower() in _NOT_NAME - {"the"} or words[0].lower() in TITLES or len(outlet.group(0)) < 2:
        return None
    # Stop before what opens the next sentence-like run ("Reuters Chair Marlow").
    spans = list(re.finditer(r"\S+", outlet.group(0)))
    kept = 0
    for n, word in enumerate(spans):
        if n and word.group(0).lower().rstrip(".") in _OUTLET_STOP:
            break
        kept = n + 1
    last = spans[kept - 1]
    return " ".join(w.group(0) for w in spans[:kept]), start + last.end()


def person_names(text: str) -> list[tuple[str, str | None]]:
    """The people a sentence names, in order, each with the title before it if any:
    "Foreign Minister Ana Lima of Ruritania and Dr. Bo Chen" -> [("Ana Lima", "Foreign Minister"),
    ("Bo Chen", "Dr.")]. A run of capitalised words with no title must have two words and no
    organisation word ("Daily Planet News", "Papua New Guinea" with "of" before it are skipped)."""
    names: list[tuple[str, str | None]] = []
    for run in _RUN.finditer(text):
        words = run.group(0).replace(".", ". ").split()
        words = [w for w in words if w]
        # The name follows the last title word: "Deputy Transport Secretary Ana Lima".
        titled = [n for n, w in enumerate(words) if w.lower().rstrip(".") in TITLES | _NOT_NAME]
        cut = titled[-1] + 1 if titled and titled[-1] < len(words) - 1 else 0
        if titled and not cut:
            continue  # only titles ("Vice Chair") or a name before a title: no one named here
        title, words = words[:cut], words[cut:]
        if not words:
            continue
        if any(w.lower().rstrip(".") in _ORGANISATION for w in words):
            continue
        if re.search(r"\b(of|in|for)\s+(the\s+)?$", text[max(0, run.start() - 12):run.start()]) and not title:
            continue  # "the President of Ruritania", "the Coalition for Harbour Safety": a place or a body
        if not title and len(words) < 2:
            continue
        real_title = [w for w in title if w.lower().rstrip(".") in TITLES]
        names.append((" ".join(w.rstrip(".") for w in words), " ".join(real_title) or None))
    return names
