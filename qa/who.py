"""Answer who-questions from the turn structure: who asked, for which outlet, who answered,
who chaired, who spoke, who said something, or whom the text names.

The question's sub-kind comes from `qa.question.who_kind`. Each kind finds the turn about the
question's topic (question turns for askers, answer turns for answerers and sayers) and reads
the name from the structure (a turn's label, `Passage.asked_by`, the document's chair and
speakers) or from the words around it (a reporter's "Jane Roe, Daily Planet.", a moderator's
"Let's go to Jane Roe at Daily Planet", "Foreign Minister Ana Lima said"). When neither tells,
`answer_who` returns None and the caller answers as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from corpus import Document, Passage, Sentence
from corpus.layouts.labels import is_outlet, split_affiliation
from corpus.periods import reference_date
from index import SearchIndex, token_set, tokenize
from qa.decision import Abstain, Decision, Evidence, NamedAnswer
from qa.names import Introduction, handover_outlet, introductions, own_outlet, person_names
from qa.question import BRIEFING_MAX_DAYS, Question
from qa.ranking import top_rows
from qa.retrieval import Scores
from qa.scoring import TermWeights, unknown_share, weighted_share

# A topic matched less well than this is not in the transcripts. Lower than the answerer's 0.37:
# a question asking for a name describes the person at length ("which senator did the PM thank
# for ...") and shares fewer words with the naming sentence than a figure question does; on the
# real dev questions 0.33 answers more who questions and declines every one it declined at 0.37.
ABSTAIN_BELOW = 0.33
UNKNOWN_TERM_PENALTY = 0.25
TOP_PASSAGES = 12  # passages about the topic examined per question
# Best sentences looked through for a name: more for a question about whom the text names ("who
# represented X": 3 missed "Ambassador Li, head of ..., attended as representative"), fewer for
# one about who spoke of a topic (a name said further down is seldom the speaker's).
NAMED_SENTENCES, TOPIC_SENTENCES = 5, 3
LOOK_BACK = 1500  # characters before a question's topic searched for the reporter's introduction
OPENING_CHARS = 200  # where in a question turn a reporter introduces themselves ("Peter Barnes, Fox Business.")

# Labels that name no one: the reporter's turn in a transcript that does not say who asked.
_GENERIC_LABEL = re.compile(
    r"^(q|question|questioner|reporter|journalist|correspondent|audience( member)?|participant|"
    r"unidentified.*|follow-?up|press|media|a|answer|moderator|operator|host|speaker( \d+)?)$", re.IGNORECASE)
# Question words that say what kind of answer is wanted, not what the turn is about.
_GRAMMAR_WORDS = frozenset("""
who whom whose which what outlet outlets news agency newspaper paper publication network reporter journalist
correspondent asked ask asks question questions answered answer fielded responded replied represent
represented work works worked reporting report for with was were did does the at on in of about press
conference briefing call first last gave spoke said moderated chaired hosted according transcript
""".split())
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_DATE = re.compile(rf"\b({'|'.join(_MONTHS)})\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+((?:19|20)\d{{2}})\b",
                   re.IGNORECASE)
_ORDINAL = re.compile(r"\b(first|opening|last|final) question\b", re.IGNORECASE)
_CHAIR_WORDS = re.compile(r"\b(moderat\w*|chair(ed|ing|s|person|man|woman)?|co-chair\w*|host(ed|ing|s)?|"
                          r"presid\w*|emcee\w*)\b", re.IGNORECASE)
_SAID = re.compile(r"(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})\s+(said|says|told|stated|noted|added)\b")
# The person an outlet question is about: "was Jane Roe with", "did Jane Roe represent".
_SUBJECT = re.compile(r"\b(?:was|did|does|is|do)\s+(?:the\s+)?(?:reporter\s+|journalist\s+)?"
                      r"(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})"
                      # an aside may come before the verb: "did Jane Roe, who asked about fees, work for"
                      r"(?:\s*,[^?]{1,160}?,)?\s+"
                      r"(?:with|represent|work|write|report|from)")


@dataclass(frozen=True)
class _Doc:
    """One document's passages in order, with their corpus rows."""

    document: Document
    rows: list[int]
    passages: list[Passage]


def answer_who(index: SearchIndex, question: Question, scores: Scores,
               weights: TermWeights) -> Decision | None:
    """The answer to a who-question from the turn structure, an abstention when the question's
    topic is not in the transcripts, or None when the structure does not tell."""
    answer = _answer_who(index, question, scores, weights)
    if isinstance(answer, NamedAnswer) and _GENERIC_LABEL.match(answer.name.strip()):
        # "Reporter", "Speaker": the transcript never names who it was, so it does not answer
        return Abstain(0.0)
    return answer


def _answer_who(index: SearchIndex, question: Question, scores: Scores,
                weights: TermWeights) -> Decision | None:
    kind = question.who
    if kind is None:
        return None
    rows = _kept_rows(index, question, scores)
    if len(rows) == 0:
        return None
    if kind in ("asker", "asker_outlet"):
        return _asker_answer(index, question, scores, weights, rows, outlet=kind == "asker_outlet")
    if kind == "answerer":
        return _answerer_answer(index, question, scores, weights, rows)
    if kind == "chair":
        return _chair_answer(index, question, scores, weights, rows)
    if kind == "speakers" and (answer := _speakers_answer(index, question, rows, scores)) is not None:
        return answer
    return _named_answer(index, question, scores, weights, rows, kind)


# --- which transcript ---------------------------------------------------------------------

def _kept_rows(index: SearchIndex, question: Question, scores: Scores) -> np.ndarray:
    """Passage rows that may answer: those of the documents dated as the question says
    ("in June 2022", "on May 28, 2021"), else every scored row."""
    finite = np.isfinite(scores.passage)
    match = _DATE.search(question.text)
    years = set(question.years)
    if not match and not years:
        return np.flatnonzero(finite)
    catalogue = index.corpus.catalogue()
    wanted: list[int] = []
    if match is None:
        # "on 15 May 2031": a day or a month said day-first, as the question's periods read it
        days = [p for p in question.periods if (p.end - p.start).days <= BRIEFING_MAX_DAYS]
        wanted = [i for i, d in enumerate(catalogue)
                  if (day := reference_date(d.date)) is not None and any(p.contains(day) for p in days)]
    for precision in (3, 2, 1):
        if wanted:
            break
        wanted = [i for i, d in enumerate(catalogue) if d.date and _date_fits(d.date, match, years, precision)]
    if not wanted:
        return np.flatnonzero(finite)
    documents = index.corpus.columns().document
    return np.flatnonzero(finite & np.isin(documents, wanted))


def _date_fits(date: str, match: re.Match[str] | None, years: set[int], precision: int) -> bool:
    year, month, day = (int(part) for part in date.split("-")[:3])
    if match is None:
        return precision == 1 and year in years
    asked_year, asked_month = int(match.group(3)), _MONTHS.index(match.group(1).lower()) + 1
    asked_day = int(match.group(2)) if match.group(2) else None
    if precision == 3:
        return asked_day is not None and (year, month, day) == (asked_year, asked_month, asked_day)
    if precision == 2:
        return (year, month) == (asked_year, asked_month)
    return year == asked_year


def _document_of(index: SearchIndex, row: int) -> _Doc:
    """Every passage of the document holding `row`, in order."""
    documents = index.corpus.columns().document
    doc_row = int(documents[row])
    rows = [int(r) for r in np.flatnonzero(documents == doc_row)]
    return _Doc(index.corpus.documents[doc_row], rows, [index.corpus.passages[r] for r in rows])


# --- topic --------------------------------------------------------------------------------

def _topic_terms(question: Question) -> list[str]:
    grammar = {t for word in (*_GRAMMAR_WORDS, *_MONTHS) for t in tokenize(word)}
    return [t for t in question.terms if t not in grammar]


def _ranked(index: SearchIndex, scores: Scores, rows: np.ndarray, roles: tuple[str, ...],
            n: int = TOP_PASSAGES) -> list[int]:
    """The best `n` rows among `rows` by the fused score whose passages have one of `roles`."""
    order = rows[top_rows(scores.passage[rows], min(len(rows), 4 * n))]
    return [int(r) for r in order if index.corpus.passages[int(r)].role in roles][:n]


def _best_sentence(index: SearchIndex, scores: Scores, row: int) -> tuple[Sentence, float]:
    passage = index.corpus.passages[row]
    first = int(index.rows.first_sentence[row])
    similarities = [float(scores.sentence[first + k]) for k in range(len(passage.sentences))]
    if not similarities:
        return Sentence(passage.start, passage.end, passage.text), float(scores.dense[row])
    k = int(np.argmax(similarities))
    return passage.sentences[k], similarities[k]


def _confidence(index: SearchIndex, question: Question, scores: Scores, row: int, weights: TermWeights,
                extra_text: str = "") -> float:
    """How well the passage at `row` (with `extra_text`, e.g. the question it answers) matches the
    question's topic: sentence similarity and topic-term coverage, lowered by unknown terms."""
    passage = index.corpus.passages[row]
    _, similarity = _best_sentence(index, scores, row)
    terms = _topic_terms(question)
    # The title counts: questions name the briefing ("on the rail freight call").
    title = index.corpus.document(passage.doc_id).title
    tokens = token_set(" ".join((passage.text, extra_text, title)))
    cover = weighted_share(terms, tokens, weights) if terms else 1.0
    value = 0.5 * similarity + 0.5 * cover - UNKNOWN_TERM_PENALTY * unknown_share(question, weights)
    return float(min(max(value, 0.0), 1.0))


# --- askers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Asker:
    name: str | None  # the reporter, when said
    outlet: str | None  # the outlet, when said (or the question turn's label)
    position: int  # document offset of the words that show it
    document: _Doc  # the transcript they are in


def _asker_answer(index: SearchIndex, question: Question, scores: Scores, weights: TermWeights,
                  rows: np.ndarray, *, outlet: bool) -> Decision | None:
    subject = _SUBJECT.search(question.text) if outlet else None
    person = _surnames(subject.group("name")) if subject else set()
    ranked = _ranked(index, scores, rows, ("question", "answer", "chair"))
    if not ranked:
        return None
    if person:  # "Which outlet was Jane Roe with ...": her introduction in the transcript, or nothing
        return _outlet_of_person(index, question, scores, weights, rows, ranked, person)
    if ordinal := _ORDINAL.search(question.text):
        document = _document_of(index, ranked[0])
        # Introductions in the turns, not in the title or header lines before them.
        found = [i for i in introductions(document.document.text) if i.start >= document.passages[0].start]
        if not found:
            return None
        # "Which CNBC reporter asked the first question": the first introduction naming that outlet.
        found = [i for i in found if _names_outlet(question, i.outlet)] or found
        intro = found[0] if ordinal.group(1).lower() in ("first", "opening") else found[-1]
        return _asker_reply(_Asker(intro.name, intro.outlet, intro.start, document), outlet, confidence=1.0)
    askers: list[tuple[_Asker, float]] = []
    for row in ranked[:TOP_PASSAGES]:
        asker = _asker_of(index, scores, row)
        if asker is not None:
            askers.append((asker, _confidence(index, question, scores, row, weights,
                                              index.corpus.passages[row].question_context or "")))
    if not askers:
        return None
    # "Which Daily Planet reporter asked ...": the asker whose outlet the question names.
    fitting = [a for a in askers if _names_outlet(question, a[0].outlet)]
    asker, confidence = (fitting or askers)[0]
    if confidence < ABSTAIN_BELOW:
        return Abstain(confidence)
    if outlet and asker.outlet is None:
        return None
    return _asker_reply(asker, outlet, confidence)


def _names_outlet(question: Question, outlet: str | None) -> bool:
    """Whether the question names the outlet ("Which Daily Planet reporter ...") by a word of
    its own: "News" names neither "4 News" nor "Coast News"; "4" and "Coast" do."""
    if outlet is None:
        return False
    words = set(outlet.lower().split())
    own = {w for w in words if not is_outlet(w)} or words
    wanted = {w.lower() for w in _capitalised(question.text)} | set(_DIGITS.findall(question.text))
    return bool(own & wanted)


_DIGITS = re.compile(r"\b\d+\b")


def _outlet_of_person(index: SearchIndex, question: Question, scores: Scores,
                      weights: TermWeights, rows: np.ndarray, ranked: list[int], person: set[str]) -> Decision:
    """The outlet a named reporter gave in the transcript the question points to (the one
    nearest the question's topic); an abstention when that transcript never says it."""
    document = _document_of(index, ranked[0])
    topic = index.corpus.passages[ranked[0]].start
    found = [i for i in introductions(document.document.text) if i.outlet and _surnames(i.name) & person]
    if found:
        intro = min(found, key=lambda i: abs(i.start - topic)) if _topic_terms(question) else found[0]
        return _asker_reply(_Asker(intro.name, intro.outlet, intro.start, document), True, confidence=1.0)
    # "Jane Roe, Daily Ledger:": the reporter's own label names the outlet, in the best transcript that has one
    seen: set[str] = set()
    for row in ranked:
        if index.corpus.passages[row].doc_id in seen:
            continue
        seen.add(index.corpus.passages[row].doc_id)
        candidate = _document_of(index, row)
        for passage in candidate.passages:
            name, outlet = split_affiliation(passage.speaker)
            outlet = outlet or (own_outlet(passage.text) if passage.role == "question" else None)
            if passage.role == "question" and outlet and _surnames(name) & person:
                return _asker_reply(_Asker(name, outlet, passage.start, candidate), True, confidence=1.0)
    return Abstain(0.0)


def _asker_of(index: SearchIndex, scores: Scores, row: int) -> _Asker | None:
    """Who asked the question turn that `row` is (or that it answers)."""
    document = _document_of(index, row)
    i = document.rows.index(row)
    passage = document.passages[i]
    label = passage.asked_by if passage.role == "answer" else None
    topic = _best_sentence(index, scores, row)[0].end
    if passage.role != "question":  # the question turn this answer replies to
        j = i
        while j > 0 and document.passages[j].role != "question":
            j -= 1
        if document.passages[j].role != "question":
            return None
        i, topic = j, document.passages[j].end
    first = i
    while first > 0 and document.passages[first - 1].turn == document.passages[i].turn and i - first < 40:
        first -= 1
    question_turn = document.passages[i]
    if label is None and not _GENERIC_LABEL.match(question_turn.speaker.strip()):
        label = question_turn.speaker
    # The reporter's own introduction in the question, else the moderator's just before it.
    floor = document.passages[max(first - 1, 0)].start
    floor = max(floor, topic - LOOK_BACK)
    # The opening of the question is read whichever of its sentences matched ("Hi, Chair. This is
    # Jane Roe from the Daily Planet." before the question itself).
    topic = max(topic, min(question_turn.end, question_turn.start + OPENING_CHARS))
    text = document.document.text
    before = [intro for intro in introductions(text[floor:topic], floor)]
    if before:
        # A reporter introduces themselves as their question opens; a name later in it ("the Federal
        # Reserve Bank of New York did ...") is what they ask about. Else the moderator's, just before.
        opening = [x for x in before if question_turn.start <= x.start < question_turn.start + OPENING_CHARS]
        intro = opening[0] if opening else before[-1]
        if label and not intro.outlet and not _surnames(intro.name) & _surnames(label):
            return _Asker(intro.name, label, intro.start, document)
        return _Asker(intro.name, intro.outlet, intro.start, document)
    if label and (affiliation := split_affiliation(label))[1] is not None:
        # "Tom Reed (Daily Ledger)": the label, or the moderator's call, says both
        return _Asker(affiliation[0], affiliation[1], question_turn.start, document)
    if label and (said := own_outlet(question_turn.text)) is not None:
        return _Asker(label, said, question_turn.start, document)  # "Governor, from the Daily Ledger."
    if label:
        # "We're going to go to the Harbour Gazette." and then the reporter's own label: the
        # label is the person, the moderator said the outlet.
        previous = max(first - 1, 0)  # the whole turn before: the moderator may speak in several paragraphs
        while previous > 0 and document.passages[previous - 1].turn == document.passages[first - 1].turn:
            previous -= 1
        outlet = handover_outlet(text[max(document.passages[previous].start, question_turn.start - LOOK_BACK):
                                      question_turn.start])
        if outlet is not None and not set(outlet.lower().split()) & set(label.lower().split()):
            return _Asker(label, outlet, question_turn.start, document)
        return _Asker(None, label, question_turn.start, document)
    return None


def _asker_reply(asker: _Asker, outlet: bool, confidence: float) -> Decision:
    if outlet:
        short = asker.outlet or asker.name or ""
    else:
        short = (f"{asker.name} ({asker.outlet})" if asker.name and asker.outlet else asker.name or asker.outlet
                 or "")
    return _reply(asker.document, asker.position, short, confidence)


# --- answerers, chairs, named people ------------------------------------------------------

def _answerer_answer(index: SearchIndex, question: Question, scores: Scores,
                     weights: TermWeights, rows: np.ndarray) -> Decision | None:
    """Who answered the question turn about the topic: the next answer turn's speaker."""
    for row in _ranked(index, scores, rows, ("question", "answer"), 4):
        passage = index.corpus.passages[row]
        confidence = _confidence(index, question, scores, row, weights, passage.question_context or "")
        if confidence < ABSTAIN_BELOW:
            return Abstain(confidence)
        document = _document_of(index, row)
        i = document.rows.index(row)
        if passage.role == "question":
            later = [p for p in document.passages[i + 1:i + 40] if p.turn != passage.turn]
            answer = next((p for p in later[:20] if p.role == "answer"), None)
        else:
            answer = passage
        if answer is None or _GENERIC_LABEL.match(answer.speaker.strip()):
            continue
        # Quote the answer's own words on the topic.
        position = _topical_sentence(question, answer, weights).start
        return _reply(document, position, answer.speaker, confidence)
    return None


def _topical_sentence(question: Question, passage: Passage, weights: TermWeights) -> Sentence:
    """The passage's sentence holding most of the question's topic words (the first on a tie)."""
    terms = _topic_terms(question)
    if not passage.sentences:
        return Sentence(passage.start, passage.end, passage.text)
    return max(passage.sentences, key=lambda s: weighted_share(terms, token_set(s.text), weights))


def _chair_answer(index: SearchIndex, question: Question, scores: Scores,
                  weights: TermWeights, rows: np.ndarray) -> Decision | None:
    """Who chaired or moderated: a sentence that says so ("moderating is Jane Roe"), else the
    document's chair, else the speaker of its chair turns."""
    ranked = _ranked(index, scores, rows, ("question", "answer", "chair"), 40)
    if not ranked:
        return None
    document = _document_of(index, ranked[0])
    if document.document.chair:  # declared by the header ("Chairperson: ...")
        first = document.passages[0]
        return _reply(document, first.start, document.document.chair, 1.0)
    said = []
    for row, passage in zip(document.rows, document.passages):
        for sentence in passage.sentences:
            if _chairs_in(sentence.text) and (names := person_names(sentence.text)):
                said.append((names[0][0], sentence.start))
    if said:
        name, position = said[0]
        return _reply(document, position, name, 1.0)
    chairs = [p for p in document.passages if p.role == "chair" and not _GENERIC_LABEL.match(p.speaker.strip())]
    if chairs:
        return _reply(document, chairs[0].start, chairs[0].speaker, 1.0)
    return None


# "vice chairman of the commission", "the deputy chairwoman": an office held, not chairing the briefing
_OFFICE_OF = re.compile(r"\b(?:vice|deputy|co)[\s-]+chair\w*|\bchair(?:man|woman|person)?\s+of\b", re.IGNORECASE)


def _chairs_in(sentence: str) -> bool:
    """Whether the sentence says someone chairs or hosts (not only that someone holds a chair)."""
    return bool(_CHAIR_WORDS.search(_OFFICE_OF.sub(" ", sentence)))


def _named_answer(index: SearchIndex, question: Question, scores: Scores,
                  weights: TermWeights, rows: np.ndarray, kind: str) -> Decision | None:
    """Whom the best-matching sentence names ("Whom did X nominate", "Which minister", "Who
    said ..."), or for "who spoke" the document's speakers."""
    ranked = _ranked(index, scores, rows, ("answer", "chair"), 6)
    if not ranked:
        return None
    in_question = {w.lower() for w in _capitalised(question.text) for w in w.split()}
    role = _role_noun(question.text)
    candidates = []
    for row in ranked:
        passage = index.corpus.passages[row]
        first = int(index.rows.first_sentence[row])
        terms = _topic_terms(question)
        for k, sentence in enumerate(passage.sentences):
            fit = 0.5 * float(scores.sentence[first + k]) + 0.2 * float(scores.passage[row])
            candidates.append((fit + 0.3 * weighted_share(terms, token_set(sentence.text), weights), row, sentence))
    candidates.sort(key=lambda c: c[0], reverse=True)
    best = _confidence(index, question, scores, candidates[0][1] if candidates else ranked[0], weights)
    if role and kind == "named":  # "Which foreign minister": a sentence naming one with that title
        titled = [c for c in candidates[:8] if any(t and role in t.lower() for _, t in person_names(c[2].text))]
        candidates = titled[:1] + candidates
    for _, row, sentence in candidates[: NAMED_SENTENCES if kind == "named" else TOPIC_SENTENCES]:
        # A sentence among the best few is judged by the best one's match: the passage that
        # names the person often shares fewer words with the question than its neighbour.
        confidence = max(best, _confidence(index, question, scores, row, weights))
        if confidence < ABSTAIN_BELOW:
            continue
        passage = index.corpus.passages[row]
        speaker = _surnames(passage.speaker)
        if kind == "said":
            said = _SAID.search(sentence.text)
            if said and not _surnames(said.group("name")) & in_question:
                return _reply(_document_of(index, row), sentence.start,
                              said.group("name"), confidence)
            return _reply(_document_of(index, row), sentence.start, passage.speaker,
                          confidence)
        names = [(n, t) for n, t in person_names(sentence.text)
                 if not {w.lower() for w in n.split()} & in_question and not _surnames(n) & speaker]
        if role:  # "Who is the head of X": only a name said with that office answers
            names = [(n, t) for n, t in names if t and role in t.lower()]
        if len(names) > 1 and (said_of := _named_for(question, sentence.text, names, weights)):
            names = [said_of]  # "Dr A is Director of X, Dr B is Chief Adviser for Y": Y was asked
        if names:
            short = " and ".join(dict.fromkeys(n for n, _ in names))
            return _reply(_document_of(index, row), sentence.start, short, confidence)
    return Abstain(best) if best < ABSTAIN_BELOW else None


def _speakers_answer(index: SearchIndex, question: Question, rows: np.ndarray,
                     scores: Scores) -> Decision | None:
    """Who spoke at a briefing the question names by its title: the header's speakers, else the
    officials whose turns answer (hosts and reporters aside), in order of their first turn."""
    ranked = _ranked(index, scores, rows, ("answer", "chair"), 1)
    if not ranked:
        return None
    document = _document_of(index, ranked[0])
    terms = _topic_terms(question)
    titled = bool(terms) and weighted_share(terms, token_set(document.document.title), TermWeights({}, 1.0)) >= 1.0
    if not (titled or _dated_as_asked(question, document.document)):
        return None  # the question is about something said, not the whole briefing
    if document.document.speakers:
        return _reply(document, document.passages[0].start,
                      ", ".join(document.document.speakers), 1.0)
    first_turns = {}
    for passage in document.passages:
        if passage.role == "answer" and not _GENERIC_LABEL.match(passage.speaker.strip()):
            first_turns.setdefault(passage.speaker, passage)
    if not first_turns:
        return None
    first = next(iter(first_turns.values()))
    return _reply(document, first.start, ", ".join(first_turns), 1.0)


def _dated_as_asked(question: Question, document: Document) -> bool:
    """Whether the question names the briefing by its day ("held the press conference on 15 May
    2023"): then it asks who gave that briefing, whatever words its title uses."""
    day = reference_date(document.date)
    return day is not None and any(p.start == p.end == day for p in question.periods)


_DESCRIBED = re.compile(r"[\s,]*(?:(?:who\s+)?(?:is|was|serves\s+as)|as)\b", re.IGNORECASE)


def _named_for(question: Question, sentence: str, names: list[tuple[str, str | None]],
               weights: TermWeights) -> tuple[str, str | None] | None:
    """Of several people a sentence describes one by one ("Dr A is Director of X, Dr B is
    Chief Adviser for Y"), the one whose own words (up to the next name) hold most of the
    question's topic, when one holds clearly more than the others. People named together ("co-chaired
    by A and B") are all the answer."""
    terms = _topic_terms(question)
    spans = []
    for i, (name, _) in enumerate(names):
        at = sentence.find(name)
        if at < 0 or not _DESCRIBED.match(sentence, at + len(name)):
            return None
        following = [sentence.find(n, at + len(name)) for n, _ in names[i + 1:]]
        end = min([f for f in following if f > at] or [len(sentence)])
        spans.append(weighted_share(terms, token_set(sentence[at:end]), weights))
    best = max(range(len(names)), key=lambda i: spans[i])
    return names[best] if spans[best] > 0 and sorted(spans)[-2] < spans[best] else None


def _role_noun(text: str) -> str | None:
    """The office a question asks to be named: "Which Maldivian foreign minister" -> "minister"."""
    match = re.search(r"^\s*(?:which|who (?:is|was|are|were) the) (?:\S+ ){0,3}?(minister|director-general|"
                      r"secretary|president|ambassador|envoy|senator|governor|premier|chancellor|spokes\w*|"
                      r"official|mayor|commissioner|head|chief|director|chair\w*)\b",
                      text, re.IGNORECASE)
    if not match or match.group(1).lower() == "official":
        return None  # "which official": anyone holding an office, whatever the title said with the name
    return match.group(1).lower()


# --- shared -------------------------------------------------------------------------------

def _reply(document: _Doc, position: int, short: str, confidence: float) -> NamedAnswer:
    """The name `short`, citing the sentence of `document` at `position`."""
    for passage in document.passages:
        if passage.start <= position < passage.end:
            sentence = next((s for s in passage.sentences if s.start <= position < s.end), None)
            if sentence is None:
                sentence = Sentence(passage.start, passage.end, passage.text)
            return NamedAnswer(Evidence(passage, sentence, document.document), short, confidence)
    # The words are outside every passage (a label line): quote the line itself.
    text = document.document.text
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    passage = min(document.passages, key=lambda p: abs(p.start - position))
    return NamedAnswer(Evidence(passage, Sentence(start, end, text[start:end]), document.document), short, confidence)


def _capitalised(text: str) -> list[str]:
    """Capitalised words of a question after its first word, months aside: names it mentions."""
    words = re.findall(r"[A-Z][\w'’\-]*", text)[1:] if text[:1].isupper() else re.findall(r"[A-Z][\w'’\-]*", text)
    return [w for w in words if w.lower() not in _MONTHS and w not in ("I", "Q", "A")]


def _surnames(name: str) -> set[str]:
    """Lower-cased words of a name, titles aside ("MR. HARLAN" -> {"harlan"})."""
    return {w.lower().strip(".,") for w in name.split()
            if w.lower().strip(".,") not in ("mr", "mrs", "ms", "dr", "chair", "chairman", "the", "prof")}


__all__ = ["answer_who", "Introduction"]
