"""Which briefings a question names: by their date ("at the June 2015 meeting", "per the
November 10, 2021 briefing"), their title ("at the Ferry Outlook press conference") or by who
speaks in them ("according to Ostrow", "Lin Meiyu said").

Many briefings of one publisher share their vocabulary (every central-bank meeting talks about
the policy rate), so a question that names its briefing must reach that briefing's passages
before any other's. Retrieval gives those documents a bonus (`qa.retrieval`); it never filters
them hard (the `--document` and `--date-from` filters do that).

Everything here works on the corpus's column arrays and its catalogue: a name table built once
per index, then per question a few dictionary look-ups and one gather over the passages.
Nothing here knows any transcript's names: only capitalisation and general press-room titles.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass
from datetime import date

import numpy as np

from corpus.periods import MONTHS, WEEKDAYS, reference_date
from index import SearchIndex, tokenize
from qa.names import TITLES
from qa.question import Question

# Words of a speaker label that are a role, not a name: "Chair Ostrow", "Dr. Kessler", "PM",
# "Senior Administration Official", "Moderator". General press-room vocabulary only.
ROLE_WORDS = TITLES | frozenset("""
q a pm moderator reporter journalist correspondent questioner participant audience member staff
official officia administration white house spokesperson spokesman spokeswoman host interpreter
operator unidentified unknown male female voice defence defense finance treasury health air marshal
surgeon administrator coordinator the of and for to
""".split())
# A name word of the question: "Ostrow", "Marlow's", "Saint-Cyr", "O'Neill".
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
_CALENDAR_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)
# A bare year names a briefing only when a briefing noun follows it closely ("the 2015 press
# conference", "Ostrow's 2017 news conference"); elsewhere ("exports in 2017") it is more likely
# the period of the figure asked for. A month or a day before it makes it part of a date.
_BRIEFING_YEAR = re.compile(
    r"(?<![\d,])\s(?P<year>(?:19|20)\d{2})(?:\s+[A-Za-z][\w&'’-]*){0,3}?\s+"
    r"(?:press conference|news conference|press briefing|briefing|press call|presser)s?\b")
_BEFORE = re.compile(r"([^\W\d_]+)\W*$")


@dataclass(frozen=True)
class Named:
    """What a question names, as weights over the corpus's documents and speakers.

    documents: per document, the share of the question's signals it meets (a date it was held
        on, each person named who speaks in it), in [0, 1]; all zero when nothing is named.
    speakers: per entry of `PassageColumns.speakers`, True for a person the question names who
        does not speak at every briefing.
    signals: how many signals the question gives (0: it names no briefing).
    """

    documents: np.ndarray
    speakers: np.ndarray
    signals: int

    @property
    def empty(self) -> bool:
        return self.signals == 0


@dataclass(frozen=True)
class _NameTable:
    """The corpus's documents' dates and its speakers' name words, built once per index."""

    days: np.ndarray  # int64 per document: its date's ordinal, -1 when undated
    official: np.ndarray  # bool per speaker: says something other than a reporter's question
    words: tuple[frozenset[str], ...]  # per speaker: the name words of the label (roles dropped)
    last: tuple[str, ...]  # per speaker: the label's last name word ("" when it has none)
    by_word: dict[str, tuple[int, ...]]  # name word -> speakers whose label holds it
    speaker_documents: tuple[frozenset[int], ...]  # per speaker: the documents it speaks in
    titles: tuple[frozenset[str], ...] = ()  # per document: its title's tokens


def names_of(question: Question, index: SearchIndex) -> Named:
    """The documents and speakers `question` names in `index`'s corpus.

    A date signal: the question's briefing periods (`Question.briefings`: a day or a month
    holding some document's date), else a bare year a briefing noun follows ("the 2015 press
    conference"). A title signal: the documents whose titles hold most words of the phrase
    naming the briefing (`Question.briefing_phrase`: "at the Ferry Outlook press conference").
    A speaker signal: a capitalised word of the question that is a name word of an official's
    label ("Ostrow" for "Chair Ostrow"), or every name word of any other speaker's label ("Nina
    Castell", a reporter; "CNN", an outlet). A signal every document meets tells nothing and is
    dropped, so a single-document corpus names nothing; so is a month no briefing of the
    officials surely named was held in.
    """
    table = _table(index)
    n_documents = len(table.days)
    signals: list[np.ndarray] = []
    held = np.zeros(n_documents, dtype=bool)
    for period in question.briefings:
        held |= (table.days >= period.start.toordinal()) & (table.days <= period.end.toordinal())
    if not question.briefings:
        for year in _briefing_years(question.text):
            held |= (table.days >= date(year, 1, 1).toordinal()) & (table.days <= date(year, 12, 31).toordinal())
    dated = held.any()
    if dated:
        signals.append(held)
    if (titled := _titled(question, table)) is not None:
        signals.append(titled)
    named_speakers = np.zeros(len(table.words), dtype=bool)
    persons = _persons(question.text, table)
    vetoes = np.zeros(n_documents, dtype=bool)  # the documents of the officials surely named
    for person in persons:
        documents = np.zeros(n_documents, dtype=bool)
        documents[list(frozenset().union(*(table.speaker_documents[s] for s in person.speakers)))] = True
        signals.append(documents)
        if not documents.all():  # a person speaking at every briefing singles out nothing
            named_speakers[list(person.speakers)] = True
        if person.sure and person.official and not documents.all():
            vetoes |= documents
    if dated and vetoes.any() and not (signals[0] & vetoes).any() and not _names_a_day(question):
        # No briefing held in that month (or year) has the officials named: it is more likely
        # the period of the figure asked for ("the jobless rate in May, according to Marlow").
        signals = signals[1:]
    informative = [s for s in signals if s.any() and not s.all()]
    if not informative:
        return Named(np.zeros(n_documents, dtype=np.float32), np.zeros(len(table.words), dtype=bool), 0)
    met = np.sum(informative, axis=0, dtype=np.float32) / len(informative)
    return Named(met, named_speakers, len(informative))


@dataclass(frozen=True)
class _Person:
    """A person the question names: the speaker labels that are them, and whether the name
    leaves no doubt (a full label or a surname, not a lone first word) and is an official's."""

    speakers: frozenset[int]
    sure: bool
    official: bool


def _persons(text: str, table: _NameTable) -> list[_Person]:
    """The persons the question names, one per name.

    A speaker is named by all the name words of its label ("Nina Castell", "CNN"). An official
    is also named by a run of capitalised words ("Ostrow", "Lin", "Dana Marlow") that holds
    only words of its label or ends with one (its surname), unless the run is exactly another
    speaker's label: "Tom Howell" does not name "Tom Smith", nor "Ann Brown" "Joe Brown".
    Months and weekdays name no one ("May 6"). Labels that share the matched words are one
    person ("Chair Marlow", "Chairman Marlow").
    """
    runs = _name_runs(text)
    present = {w for run in runs for w in run}
    candidates = {s for w in present for s in table.by_word.get(w, ())}
    full = {s for s in candidates if table.words[s] <= present}
    matched: dict[int, tuple[frozenset[str], bool]] = {s: (table.words[s], True) for s in full}
    for run in runs:
        if len(run) > 1 and any(table.words[s] == set(run) for s in full):
            continue  # the run is someone's whole name
        for speaker in {s for w in run for s in table.by_word.get(w, ())} - matched.keys():
            words = table.words[speaker]
            if table.official[speaker] and (set(run) <= words or run[-1] in words):
                sure = run[-1] in words and (len(run) > 1 or run[-1] == table.last[speaker])
                matched[speaker] = (frozenset(run) & words, sure)
    # Connected components over shared words: one person per component.
    groups: list[tuple[set[str], set[int]]] = []
    for speaker, (words, _) in sorted(matched.items()):
        merged = (set(words), {speaker})
        for group in [g for g in groups if g[0] & words]:
            groups.remove(group)
            merged[0].update(group[0])
            merged[1].update(group[1])
        groups.append(merged)
    return [_Person(frozenset(speakers), any(matched[s][1] for s in speakers),
                    any(table.official[s] for s in speakers)) for _, speakers in groups]


def _name_runs(text: str) -> list[tuple[str, ...]]:
    """The question's runs of consecutive capitalised words, lower-cased, that could be a name:
    split at titles ("Fed Chair Marlow" -> "fed", "marlow"), months and weekdays (dropped), and
    after a possessive ("Marlow's December"). In a question typed all in lower case every word
    may be a name, so each word is its own run."""
    lowered_only = text == text.lower()
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    end = -1
    for match in _WORD.finditer(text):
        raw = match.group(0)
        word = _POSSESSIVE.sub("", raw).lower()
        capitalised = raw[0].isupper() or lowered_only
        joined = bool(run) and not lowered_only and text[end:match.start()].strip(" .") == ""
        if not joined and run:
            runs.append(tuple(run))
            run = []
        if capitalised and word not in ROLE_WORDS and word not in _CALENDAR_WORDS:
            run.append(word)
            if raw.lower().endswith(("'s", "’s")):  # "Marlow's December": the name ends here
                runs.append(tuple(run))
                run = []
        elif run:
            runs.append(tuple(run))
            run = []
        end = match.end()
    if run:
        runs.append(tuple(run))
    return runs


_TABLES: dict[int, tuple[weakref.ref, _NameTable]] = {}
_TABLES_LOCK = threading.Lock()


def _table(index: SearchIndex) -> _NameTable:
    """The name table of an index, built on first use (the index is frozen, so it never changes)."""
    with _TABLES_LOCK:
        cached = _TABLES.get(id(index))
        if cached is not None and cached[0]() is index:
            return cached[1]
    table = _build_table(index)
    try:
        reference = weakref.ref(index)
    except TypeError:  # an object standing in for an index (tests): not cached
        return table
    with _TABLES_LOCK:
        for key in [k for k, (ref, _) in _TABLES.items() if ref() is None]:
            del _TABLES[key]  # indexes no longer in use
        _TABLES[id(index)] = (reference, table)
    return table


def _build_table(index: SearchIndex) -> _NameTable:
    corpus = index.corpus
    days = np.array([_ordinal(reference_date(d.date)) for d in corpus.catalogue()], dtype=np.int64)
    columns = corpus.columns()
    n_speakers = len(columns.speakers)
    official = np.zeros(n_speakers, dtype=bool)
    official[np.unique(columns.speaker[~columns.question])] = True
    # Each (speaker, document) pair once, from one pass over the column arrays.
    pairs = np.unique(columns.speaker.astype(np.int64) * max(len(days), 1) + columns.document)
    speaker_documents: list[set[int]] = [set() for _ in range(n_speakers)]
    for speaker, document in zip(*np.divmod(pairs, max(len(days), 1))):
        speaker_documents[int(speaker)].add(int(document))
    names = [_name_list(label) for label in columns.speakers]
    words = tuple(frozenset(name) for name in names)
    by_word: dict[str, list[int]] = {}
    for speaker, name in enumerate(words):
        for word in name:
            by_word.setdefault(word, []).append(speaker)
    return _NameTable(days, official, words, tuple(name[-1] if name else "" for name in names),
                      {w: tuple(s) for w, s in by_word.items()},
                      tuple(frozenset(d) for d in speaker_documents),
                      tuple(frozenset(tokenize(d.title or "")) for d in corpus.catalogue()))


def _name_list(label: str) -> list[str]:
    """The words of a speaker label that name someone, in order: "Chair Ostrow" -> ["ostrow"]."""
    words = (_POSSESSIVE.sub("", w).lower() for w in _WORD.findall(label))
    return [w for w in words if w not in ROLE_WORDS and len(w) > 1]


# Words of a phrase naming a briefing that every title may hold: they single out none.
_BRIEFING_WORDS = frozenset(tokenize("press news media conference briefing call availability presser doorstop "
                                     "transcript first last latest regular daily weekly held"))
TITLE_SHARE = 0.5  # the share of the phrase's own words a title must hold to be the briefing named


def _titled(question: Question, table: _NameTable) -> np.ndarray | None:
    """The documents whose titles hold most of the words of the phrase naming the briefing
    ("at the Harbour Outlook Update press conference": "Release of the Harbour Outlook
    Update"), None when the phrase has no words of its own or no title holds enough of them."""
    words = {t for t in tokenize(question.briefing_phrase)
             if t not in _BRIEFING_WORDS and t not in _CALENDAR_WORDS and not t.isdigit()}
    if not words or not table.titles:
        return None
    shares = np.array([len(words & title) / len(words) for title in table.titles], dtype=np.float32)
    best = float(shares.max())
    return shares >= best if best >= TITLE_SHARE else None


def _briefing_years(text: str) -> list[int]:
    """The bare years of the question that name a briefing ("at the 2015 press conference")."""
    years = []
    text = " " + text
    for match in _BRIEFING_YEAR.finditer(text):
        before = _BEFORE.search(text[: match.start("year")])
        if before is None or before.group(1).lower() not in _CALENDAR_WORDS:  # "June 2015": a month
            years.append(int(match.group("year")))
    return years


def _names_a_day(question: Question) -> bool:
    """Whether one of the question's briefing periods is a single day ("on May 6, 2020")."""
    return any(p.start == p.end for p in question.briefings)


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else -1
