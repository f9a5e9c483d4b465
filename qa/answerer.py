"""Extractive answers: pick the sentence and the figure that answer the question, or abstain.

No language model: the answer is a figure or a sentence copied from the transcript, so it
cannot misquote a number. Which figure answers, and whether the transcript answers at all, is
decided by fitted weights (qa/weights.py, fitted by `qa fit` on dev splits only) when the engine
has them; without a weights file, by the hand-set blend below (the "current" weights `qa fit`
compares against).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from corpus import Figure, Passage, Sentence
from corpus.models import SCALES
from corpus.periods import Mention, Period, mentions, reference_date
from index import SearchIndex, token_set
from qa import crossdoc
from qa.answer_types import ANSWER_TYPES, FIGURE_EXPECTATIONS
from qa.candidates import Candidate, FigurePick
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
)
from qa.features import FigureEvidence, decision_vector
from qa.header import asks_about_the_briefing, header_answer
from qa.models import Answer, Computed, Hit
from qa.places import of_another_country
from qa.question import ASKS_WHEN, Question
from qa.ranking import top_rows
from qa.render import answer_from
from qa.retrieval import Scores
from qa.scoring import (
    PERIOD_CONTRADICTS,
    TermWeights,
    abbreviated,
    counts_another_kind,
    counts_other_nouns,
    coverage,
    figure_relevance,
    in_periods,
    is_age,
    is_identifier,
    kind_fit,
    measured_on_another_basis,
    period_fit,
    points_back,
    range_end_fit,
    reading_periods,
    unknown_share,
    weighted_share,
)
from qa.weights import Weights
from qa.who import ABSTAIN_BELOW as WHO_ABSTAIN_BELOW
from qa.who import answer_who

_DIGIT = re.compile(r"\d")
# Which numbers a weights file (`qa fit`, qa.weights) replaces: for figure questions, the fitted
# ranker orders the candidates instead of FIGURE_BLEND, and the fitted answerable model and its
# threshold decide instead of the confidence shares and ABSTAIN_BELOW. The numbers below stay
# hand-set either way, and are not fitted because they are no weights of a candidate's features:
# how much text is read (CONTEXT_*, PERIOD_*, NEAR_CHARACTERS, DATE_MAX_DAYS) and the blends of
# sentence answers, times, dates and names, which no labelled candidate list exists for. The
# fitted weights still score below these on our sets (README, "Fitted weights"), so the hand-set
# blend answers by default.
CONTEXT_PASSAGES = 3  # how many top passages the answer may come from
CONTEXT_FIGURES = 3  # ...plus the passages of the figures whose subjects best match
CONTEXT_WALK = 6  # passages walked at most to find CONTEXT_PASSAGES that state a figure
ABSTAIN_BELOW = 0.37  # confidence under which we say the transcript does not answer (dev sets)
# ...and for a day, a time or an ordinal said in a sentence, the who-questions' threshold: a
# question asking "when did he expect to publish the projections again" describes the event at
# length and shares fewer of its words with the sentence than a figure question does.
SAID_ABSTAIN_BELOW = WHO_ABSTAIN_BELOW
UNKNOWN_TERM_PENALTY = 0.25  # confidence lost when every question term is one the corpus never uses
# A figure answer's confidence blends how well its subject fits (relevance), how close its
# sentence is to the question, and a little of how much of the question its paragraph covers: a
# paraphrase that names the subject poorly is still answered from a paragraph about the same
# things. Set on the real dev split (0.6 / 0.4 / 0 before): dev 0.804 -> 0.810, and questions
# written afresh on the dev transcripts moved the same way (0.762 -> 0.777, 0.634 -> 0.653); the
# invented single-briefing sets lost a question each (every paragraph there covers the topic).
RELEVANCE_SHARE, SENTENCE_SHARE, PASSAGE_SHARE = 0.5, 0.4, 0.1
SCORE_PLACES = 6  # figure scores closer than this are a tie
RANGE_END_TIE = 0.02  # below any other term's typical difference between two candidates
# A sentence's score: its similarity to the question, the share of the question it says, its
# paragraph's retrieval score. A figure's: its subject's relevance, its sentence's score, how well
# its kind fits, how well its period fits.
SENTENCE_BLEND = (0.5, 0.3, 0.2)
FIGURE_BLEND = (0.45, 0.3, 0.15, 0.1)
# A reporter's words answer a figure question the officials' do not only when they fit it
# clearly: a figure put in a question is the reporter's claim, not the briefing's statement.
# Set by hand on the dev splits (the fitted abstention model has no reporter feature yet).
REPORTER_ANSWERS_FROM = 0.6
OTHER_DOCUMENT_PENALTY = 0.1  # per passage rank below the second, for another transcript's figure


def figure_candidates(index: SearchIndex, question: Question, scores: Scores,
                      weights: TermWeights) -> list[FigurePick]:
    """Every figure of the context passages that could answer a figure question, with its
    features, in hand-set order (what `qa fit` learns from)."""
    candidates = _candidates(index, question, scores, weights)
    return _figure_picks(index, question, scores, candidates, weights) if candidates else []


def answer_question(index: SearchIndex, question: Question, scores: Scores, hits: list[Hit],
                    weights: TermWeights, model: Weights | None = None) -> Answer:
    """Answer from the top passages, or abstain when they do not answer the question.

    `weights` are the corpus's term weights; `model` the fitted ranker and abstention model
    (None: the hand-set blend)."""
    decision = decide(index, question, scores, weights, model)
    return answer_from(question, hits, decision, dated=len(index.corpus.documents) > 1)


def decide(index: SearchIndex, question: Question, scores: Scores, weights: TermWeights,
           model: Weights | None = None) -> Decision:
    """What answers the question (a figure, a range, a sentence, a name...) or that nothing does.

    A figure no official states may still have been said in the room: when the officials' words
    do not answer, a reporter's question that states it does, named as the reporter's."""
    decision = _decide(index, question, scores, weights, model, reporters=False)
    if (isinstance(decision, Abstain) and ANSWER_TYPES[question.expect].answered_by == "figure"
            and not _FROM_A_REPORTER.search(question.text) and _reporters_state_figures(index, scores)):
        heard = _decide(index, question, scores, weights, model, reporters=True)
        if (not isinstance(heard, Abstain) and heard.evidence.passage.role == "question"
                and heard.confidence >= REPORTER_ANSWERS_FROM):
            return heard
    return decision


def _reporters_state_figures(index: SearchIndex, scores: Scores) -> bool:
    """Whether a reporter's question among the best passages states a figure (else a second,
    reporters-included pass cannot change the decision and is not worth its time)."""
    return any(index.corpus.passages[row].role == "question" and index.corpus.passages[row].statistics
               for row in top_rows(scores.passage, CONTEXT_WALK))


def _decide(index: SearchIndex, question: Question, scores: Scores, weights: TermWeights,
            model: Weights | None, reporters: bool) -> Decision:
    candidates = _candidates(index, question, scores, weights, reporters)
    if not candidates:
        return Abstain(0.0)
    best = max(candidates, key=lambda c: c.score)
    if asks_about_the_briefing(question.text) and (said := _from_the_header(index, question, best, weights)):
        return said  # "what time did the briefing begin": its header says
    answered_by = ANSWER_TYPES[question.expect].answered_by
    if answered_by == "name" and (who := answer_who(index, question, scores, weights)) is not None:
        return who  # read from the turn structure: the asker, answerer, chair or a named person
    if answered_by == "name" and question.briefings and not _said_at(question, index.corpus.document(
            best.passage.doc_id).date):
        # "who hosted the press conference of 4 May 2031": a name said at another briefing
        # than the one named is not who did it there
        return Abstain(_confidence(best, None, question, weights))
    if answered_by in ("name", "sentence"):
        return _sentence_answer(index, question, best, weights)
    if answered_by == "kind":
        return _kind_answer(index, question, candidates, weights)
    if answered_by == "date":
        return _date_answer(index, question, candidates, weights)
    picks = _figure_picks(index, question, scores, candidates, weights)
    if model is not None:
        picks = _ranked(picks, model)

    def dated_on(p: FigurePick) -> str | None:  # the date of the briefing a pick was said at
        return index.corpus.document(p.candidate.passage.doc_id).date

    # Each transcript's best passage rank: a figure's transcript is as near the top as its best
    # passage, whichever of its passages the figure is in.
    doc_ranks: dict[str, int] = {}
    for c in candidates:
        doc_ranks[c.passage.doc_id] = min(c.rank, doc_ranks.get(c.passage.doc_id, c.rank))

    def confidence_of(p: FigurePick) -> float:
        if model is None:
            # A figure whose period meets the one asked about is not doubted for coming from
            # another transcript than the best passage's: the period says it is the one asked.
            top_doc = None if p.period > 0 else candidates[0].passage.doc_id
            return _confidence(p.candidate, p, question, weights, top_doc,
                               doc_rank=doc_ranks[p.candidate.passage.doc_id])
        second = max((q.score for q in picks if q is not p), default=0.0)
        return model.answerable.probability(decision_vector(p.evidence.vector(), p.score, second))

    threshold = ABSTAIN_BELOW if model is None else model.threshold
    pick = crossdoc.for_named_year(question, picks, dated_on)  # the same measure at the period asked about
    if pick is None:
        return Abstain(_confidence(best, None, question, weights))
    confidence = confidence_of(pick)
    # A figure whose period contradicts the one asked about never answers, whatever its score.
    if confidence < threshold or pick.period <= PERIOD_CONTRADICTS:
        return Abstain(confidence)
    others = crossdoc.same_measure_elsewhere(question, pick, picks, lambda p: confidence_of(p) >= threshold)
    if others:  # other transcripts give the same measure at other dates: list them all
        listed = crossdoc.newest_first([pick, *others], index.corpus.document)
        return ListedAnswer(tuple(_evidence(index, p.candidate) for p in listed), tuple(p.figure for p in listed),
                            confidence)
    return _with_partner(question, pick, _evidence(index, pick.candidate), confidence)


def _said_at(question: Question, document_date: str | None) -> bool:
    """Whether a document's date is that of a briefing the question names."""
    day = reference_date(document_date)
    return day is not None and any(p.contains(day) for p in question.briefings)


def _from_the_header(index: SearchIndex, question: Question, best: Candidate, weights: TermWeights) -> Decision | None:
    """The header line answering a question about the briefing itself: of the briefing the
    question names by its date, else of the best passage's transcript (when that one is sure)."""
    dated = [d for d in index.corpus.documents if _said_at(question, d.date)]
    document = dated[0] if len(dated) == 1 else index.corpus.document(best.passage.doc_id)
    confidence = 1.0 if len(dated) == 1 else _confidence(best, None, question, weights)
    if confidence < ABSTAIN_BELOW:
        return None
    first = min((p for p in index.corpus.passages if p.doc_id == document.id), key=lambda p: p.start, default=None)
    return header_answer(question.text, document, first, confidence) if first is not None else None


def _candidates(index: SearchIndex, question: Question, scores: Scores,
                weights: TermWeights, reporters: bool = False) -> list[Candidate]:
    candidates = []
    for rank, row in enumerate(_context_rows(index, question, scores, reporters)):
        passage = index.corpus.passages[row]
        # "World Health Assembly" asked, "WHA" said: the acronym covers the words it stands for
        passage_cov = coverage(question, token_set(passage.text) | abbreviated(question.text, passage.text)
                               | said_by(passage), weights)
        first = index.rows.first_sentence[row]
        for offset, sentence in enumerate(passage.sentences):
            similarity = float(scores.sentence[first + offset])
            said = token_set(sentence.text) | abbreviated(question.text, sentence.text)
            sentence_cov = coverage(question, said, weights)
            score = (SENTENCE_BLEND[0] * similarity + SENTENCE_BLEND[1] * sentence_cov
                     + SENTENCE_BLEND[2] * float(scores.passage[row]))
            candidates.append(Candidate(int(row), passage, sentence, similarity, passage_cov, score,
                                        sentence_cov, rank))
    return candidates


_REPORTER_TOKENS = token_set("reporter reporters journalist journalists correspondent questioner")


def said_by(passage: Passage) -> frozenset[str]:
    """The words naming who said a passage, which a question may use of it ("according to
    Marlow", "per the reporter"): its speaker's name, and for a reporter's question "reporter"."""
    return token_set(passage.speaker) | (_REPORTER_TOKENS if passage.role == "question" else frozenset())
# A question about what a reporter said: "according to a reporter", "the journalist's figure",
# "as raised at the briefing".
_FROM_A_REPORTER = re.compile(r"\b(?:reporter|journalist|questioner|correspondent)s?(?:['’]s?)?\b"
                              # "as raised at Zhao's briefing": a question put to the briefing
                              r"|\braised (?:at|in|during) (?:\S+\s+){0,4}?(?:briefing|press conference|question)"
                              # "which ship was the minister asked about": the reporter named it
                              r"|\b(?:was|were|is|are|been)\s+(?:\S+\s+){0,3}?(?:asked|questioned|pressed)\s+(?:about|on)\b",
                              re.IGNORECASE)


def _context_rows(index: SearchIndex, question: Question, scores: Scores, reporters: bool = False) -> list[int]:
    """The best passages that can hold an answer: not a reporter's question (it states no
    facts), unless the question asks what a reporter said or `reporters` lets them in; for
    "who" questions, only what officials said."""
    wanted = ("answer",) if question.expect == "speaker" else ("answer", "chair")
    if question.expect != "speaker" and (reporters or _FROM_A_REPORTER.search(question.text)):
        wanted += ("question",)  # "what deficit did CBO project, according to a reporter": their words answer
    figures_asked = question.expect in FIGURE_EXPECTATIONS
    rows: list[int] = []
    counted = 0

    def counts(row: int) -> bool:
        # A passage stating no figure cannot answer a figure question ("Thanks, that's a good
        # question."): it does not take the place of the next one that states some.
        return not figures_asked or bool(index.corpus.passages[row].statistics)

    # Walk the passages best first, sorting only a top block (rows filtered out score -inf and
    # are never in it), doubled while it holds too few wanted passages and more rows remain.
    size, seen = 4 * CONTEXT_PASSAGES, 0
    while counted < CONTEXT_PASSAGES and len(rows) < CONTEXT_WALK:
        block = top_rows(scores.passage, size)
        for row in block[seen:]:
            if index.corpus.passages[row].role in wanted:
                rows.append(int(row))
                counted += counts(int(row))
                if counted == CONTEXT_PASSAGES or len(rows) == CONTEXT_WALK:
                    break
        if len(block) < size:
            break  # every scored row was seen
        size, seen = 2 * size, len(block)
    if figures_asked:
        # A paraphrase can miss at passage level yet match a figure's subject closely
        # ("mobile applications" / "the number of registered apps"): add those passages.
        for figure_row in top_rows(scores.figure, CONTEXT_FIGURES):
            row = int(index.rows.figure_passage[figure_row])
            if row not in rows and index.corpus.passages[row].role in wanted:
                rows.append(row)
        rows += _period_rows(index, question, scores, rows, wanted)
    return rows


PERIOD_SEARCH = 30  # how many of the best passages are looked through for a figure of the period asked
PERIOD_PASSAGES = 2  # ...and how many of those may join the context


def _period_rows(index: SearchIndex, question: Question, scores: Scores, rows: list[int],
                 wanted: tuple[str, ...]) -> list[int]:
    """Good passages beyond the best few that state a figure of the kind asked for the month or
    quarter the question names ("the jobless rate in May 2015"): many briefings give the same
    measure, and the one said for that period may not be among the best-matching passages."""
    periods = reading_periods(question)
    if not periods:
        return []
    found: list[int] = []
    for row in top_rows(scores.passage, PERIOD_SEARCH):
        passage = index.corpus.passages[row]
        if row in rows or passage.role not in wanted:
            continue
        if any(in_periods(f, periods) and kind_fit(question, f) > 0 for f in passage.statistics):
            found.append(int(row))
            if len(found) == PERIOD_PASSAGES:
                break
    return found


def _figure_picks(index: SearchIndex, question: Question, scores: Scores,
                  candidates: list[Candidate], weights: TermWeights) -> list[FigurePick]:
    """Every figure that could answer, best first by the hand-set blend, with its features."""
    picks = []
    unknown = unknown_share(question, weights)
    for candidate in candidates:
        first = index.rows.first_figure[candidate.row]
        in_sentence = [f for f in candidate.passage.statistics
                       if candidate.sentence.start <= f.start < candidate.sentence.end]
        for offset, figure in enumerate(candidate.passage.statistics):
            if not candidate.sentence.start <= figure.start < candidate.sentence.end:
                continue
            fit = kind_fit(question, figure)
            if fit <= 0:
                continue  # this kind of figure cannot answer what is asked (a count for a percent)
            if figure.value in question.stated:
                continue  # it restates a number of the question ("the 12 months to April")
            if counts_another_kind(question, figure, candidate.sentence.text):
                continue  # "7,500 primary schools" for "how many secondary schools"
            if counts_other_nouns(question, figure, in_sentence):
                continue  # "12,400 cases" for "how many countries", beside "from 37 countries"
            if measured_on_another_basis(question, figure, candidate.sentence.text, candidate.sentence.start):
                continue  # "1.2% quarter on quarter" for "growth year on year"
            at, end = figure.start - candidate.sentence.start, figure.end - candidate.sentence.start
            if is_age(candidate.sentence.text[:at], candidate.sentence.text[end:]):
                continue  # "injuries among children 6 to 9": the 6 and the 9 name the group
            if is_identifier(candidate.sentence.text[:at]):
                continue  # "the Section 12 duties": a provision's number, no quantity
            if of_another_country(question.text, candidate.sentence.text,
                                  (candidate.passage.text, candidate.passage.question_context or "")):
                continue  # "Borduria has reported 74,675 cases" for "how many had Arcadia reported"
            if question.group and not set(question.group) & token_set(candidate.sentence.text):
                continue  # "the jobless rate for young workers": a sentence of no such group is everyone's
            relevance = figure_relevance(question, figure, float(scores.figure[first + offset]), weights)
            # "It's averaged only about 0.5 percent": the pronoun may stand for what the sentence
            # before names, so that sentence may raise the figure's relevance (never lower it).
            lead = candidate.sentence.text[: figure.start - candidate.sentence.start]
            if points_back(figure, lead) and (before := _sentence_before(index, candidate, scores)) is not None:
                text, similarity = before
                pointed = replace(figure, subject=f"{text} {figure.subject}")
                alt = figure_relevance(question, pointed, similarity, weights)
                if alt.value > relevance.value:
                    relevance = alt
            period = period_fit(question, figure, candidate.sentence.text,
                                index.corpus.document(candidate.passage.doc_id).date)
            # The range-end term only breaks the tie between the two ends of "from X to Y",
            # which share their subject and sentence.
            score = (FIGURE_BLEND[0] * relevance.value + FIGURE_BLEND[1] * candidate.score + FIGURE_BLEND[2] * fit
                     + FIGURE_BLEND[3] * period
                     + RANGE_END_TIE * range_end_fit(question, figure))
            evidence = FigureEvidence(
                subject_similarity=relevance.similarity, subject_recall=relevance.recall,
                head_match=relevance.head, focus_match=relevance.focus,
                sentence_similarity=candidate.similarity, sentence_coverage=candidate.sentence_coverage,
                passage_coverage=candidate.coverage, passage_score=float(scores.passage[candidate.row]),
                passage_dense=float(scores.dense[candidate.row]), passage_lexical=float(scores.lexical[candidate.row]),
                near_terms=coverage(question, token_set(_around(candidate.sentence, figure)), weights),
                unit_in_question=weighted_share(token_set(figure.unit), set(question.terms), weights),
                passage_rank=candidate.rank, kind_fit=fit, period_fit=period,
                answer_turn=candidate.passage.role == "answer", qualifier=figure.qualifier is not None,
                change=figure.change, range_end=figure.role is not None, subject_empty=not figure.subject,
                statistics_in_sentence=len(in_sentence), unknown_share=unknown)
            picks.append(FigurePick(figure, candidate, relevance, score, evidence, period))
    return best_first(_series_share_relevance(picks))


def best_first(picks: list[FigurePick]) -> list[FigurePick]:
    """The picks by score, best first. Scores equal but for float noise (two ends of one
    sentence, the question encoded by ONNX or by torch) keep reading order: the same figure
    answers whichever encoder read the question."""
    return sorted(picks, key=lambda p: round(p.score, SCORE_PLACES), reverse=True)


def _series_share_relevance(picks: list[FigurePick]) -> list[FigurePick]:
    """A sentence giving one measure for several periods ("the berth vacancy rate stands at 4.2
    percent at the end of this year and runs at 3.9 percent over the next two years") gives
    each figure the measure's best match: the period, not where the subject's words happen to
    sit, tells them apart."""
    series: dict[tuple, list[FigurePick]] = {}
    for pick in picks:
        figure = pick.figure
        if figure.period_start is not None and figure.role is None:
            key = (pick.candidate.row, pick.candidate.sentence.start, figure.kind, figure.unit, figure.change)
            series.setdefault(key, []).append(pick)
    shared = {}
    for members in series.values():
        if len({(p.figure.period_start, p.figure.period_end) for p in members}) < 2:
            continue  # one period: figures of different things, or a list of one
        best = max(members, key=lambda p: p.relevance.value)
        for pick in members:
            gain = FIGURE_BLEND[0] * (best.relevance.value - pick.relevance.value)
            shared[id(pick)] = replace(pick, relevance=best.relevance, score=pick.score + gain)
    return [shared.get(id(p), p) for p in picks]


def _sentence_before(index: SearchIndex, candidate: Candidate, scores: Scores) -> tuple[str, float] | None:
    """The sentence before the candidate's in its passage, and its similarity to the question;
    for an answer's first sentence, the reporter's question it replies to ("we think this proposal
    would raise ..." answers "what about denying companies deductions for pay over $1 million?")."""
    position = candidate.passage.sentences.index(candidate.sentence)
    if position == 0:
        row = candidate.row - 1
        asked = index.corpus.passages[row] if row >= 0 else None
        if (candidate.passage.role != "answer" or asked is None or asked.role != "question"
                or asked.doc_id != candidate.passage.doc_id or not math.isfinite(scores.dense[row])):
            return None
        return asked.text, float(scores.dense[row])
    before = candidate.passage.sentences[position - 1]
    return before.text, float(scores.sentence[index.rows.first_sentence[candidate.row] + position - 1])


NEAR_CHARACTERS = 60  # "a few words" around a figure: about ten words either side


def _around(sentence: Sentence, figure: Figure) -> str:
    """The words of the sentence within NEAR_CHARACTERS of the figure."""
    start = max(0, figure.start - sentence.start - NEAR_CHARACTERS)
    return sentence.text[start : figure.end - sentence.start + NEAR_CHARACTERS]


def _ranked(picks: list[FigurePick], model: Weights) -> list[FigurePick]:
    """The picks scored by the fitted ranker, best first (ties keep the hand-set order)."""
    scored = [replace(p, score=model.ranker.probability(p.evidence.vector())) for p in picks]
    return sorted(scored, key=lambda p: p.score, reverse=True)


def _confidence(candidate: Candidate, pick: FigurePick | None, question: Question,
                weights: TermWeights, top_doc: str | None = None, doc_rank: int | None = None) -> float:
    """How sure we are that the transcript answers, in [0, 1].

    For a figure, how well its subject fits the question, blended with how close its sentence
    is to the question and how much of the question its passage covers; for a sentence, its
    similarity and that passage coverage. Terms the corpus never uses ("5G",
    "exports") lower it: the transcript is probably silent on them.
    """
    if pick is not None:
        value = (RELEVANCE_SHARE * pick.relevance.value + SENTENCE_SHARE * candidate.similarity
                 + PASSAGE_SHARE * candidate.coverage)
        if top_doc is not None and candidate.passage.doc_id != top_doc:
            # A figure of another transcript than the best passage's, a transcript whose best
            # passage (`doc_rank`, else the figure's own) ranks low, is less likely the answer.
            rank = candidate.rank if doc_rank is None else doc_rank
            value -= OTHER_DOCUMENT_PENALTY * max(0, rank - 1)
    else:
        value = 0.5 * candidate.similarity + 0.5 * candidate.coverage
    value -= UNKNOWN_TERM_PENALTY * unknown_share(question, weights)
    return float(min(max(value, 0.0), 1.0))


def _sentence_answer(index: SearchIndex, question: Question, best: Candidate, weights: TermWeights) -> Decision:
    confidence = _confidence(best, None, question, weights)
    if confidence < ABSTAIN_BELOW:
        return Abstain(confidence)
    if question.expect == "speaker" and not _ASKS_WHOM.search(question.text):  # who said the best sentence
        return NamedAnswer(_evidence(index, best), best.passage.speaker, confidence)
    return SentenceAnswer(_evidence(index, best), confidence)


# "Whom did she thank", "which minister did he plan to call": someone the sentence is about, not
# its speaker; when no name was found in it, the sentence itself answers.
_ASKS_WHOM = re.compile(r"^\W*(?:whom\b|who\s+(?:did|does|do|will|would)\s+(?!say\b|said\b)"
                        # the noun phrase has no verb of its own ("which official said the levy would")
                        r"|(?:which|what)\s+(?:(?!(?:said|says|told|\w+ed)\b)[\w'’.-]+\s+){1,4}?"
                        r"(?:did|does|do|will|would)\s+)", re.IGNORECASE)


def _first_said(question: Question, candidates: list[Candidate], weights: TermWeights,
                said: Callable[[Candidate], Decision | None]) -> Decision:
    """What `said` finds in the best sentence where it finds anything, unless that sentence
    matches the question too poorly; else an abstention."""
    for candidate in sorted(candidates, key=lambda c: c.score, reverse=True):
        found = said(candidate)
        if found is not None:
            if found.confidence >= SAID_ABSTAIN_BELOW:
                return found
            break
    best = max(candidates, key=lambda c: c.score)
    return Abstain(_confidence(best, None, question, weights))


def _kind_answer(index: SearchIndex, question: Question, candidates: list[Candidate],
                 weights: TermWeights) -> Decision:
    """A time of day ("9:00 p.m."), a place in a series ("the 73rd") or a year ("2010"): the
    first one said in the best sentence that says one (an ordinal in digits: "first" is mostly
    just a word), a year the question names itself aside."""
    kinds = ANSWER_TYPES[question.expect].kinds

    def said(candidate: Candidate) -> Decision | None:
        sentence = candidate.sentence
        found = next((f for f in candidate.passage.figures
                      if f.kind in kinds and sentence.start <= f.start < sentence.end
                      and (f.kind != "ordinal" or _DIGIT.search(f.text))
                      and not (f.kind == "year" and int(f.value) in question.years)), None)
        if found is None:
            return None
        return FigureAnswer(_evidence(index, candidate), found, _confidence(candidate, None, question, weights))

    return _first_said(question, candidates, weights, said)


# The longest span of days a date answer may cover: "the 19th of December", "from 14 to 16 May".
DATE_MAX_DAYS = 7  # a date answer names a day or a run of days ("from 14 to 16 July"), not a month
WHEN_MAX_DAYS = 31  # ...but "when" and "which month" are answered by a month too ("in June")


def _date_answer(index: SearchIndex, question: Question, candidates: list[Candidate],
                 weights: TermWeights) -> Decision:
    """A day of the calendar ("on the 19th of December"), or for "when" and "which month" a month
    too: the first one said in the best sentence that says one, other than a date the question
    gives itself."""
    given = {(p.start, p.end) for p in (*question.periods, *question.relative_periods)}
    when = ASKS_WHEN.search(question.text) is not None
    longest = WHEN_MAX_DAYS if when else DATE_MAX_DAYS

    def said(candidate: Candidate) -> Decision | None:
        sentence = candidate.sentence
        said_on = reference_date(index.corpus.document(candidate.passage.doc_id).date)
        # A day is said with its number, or as "tomorrow" or "yesterday", which the briefing's
        # date places ("today" is the briefing's own date, which names no event; a weekday may
        # be the last or the next); a month, for "when", by its name.
        day = next((m for m in mentions(sentence.text, said_on)
                    if m.period is not None and not m.baseline
                    and (_DIGIT.search(m.text) or (when and _whole_month(m.period))
                         or (m.period.start == m.period.end != said_on and _NEXT_DAY.fullmatch(m.text)))
                    and (m.period.end - m.period.start).days < longest
                    and (m.period.start, m.period.end) not in given), None)
        if day is None:
            return None
        start, end = _said_days(sentence.text, day)
        placed = None if _DIGIT.search(day.text) or _whole_month(day.period) else day.period.start
        return SpanAnswer(_evidence(index, candidate), sentence.start + start, sentence.start + end,
                          _confidence(candidate, None, question, weights), placed)

    return _first_said(question, candidates, weights, said)


_NEXT_DAY = re.compile(r"tomorrow|yesterday", re.IGNORECASE)


def _whole_month(period: Period) -> bool:
    """Whether `period` is one calendar month ("June", "in March next year")."""
    return (period.start.day == 1 and period.start.month == period.end.month
            and (period.end + timedelta(days=1)).day == 1)


# "from 14 to 16 May": the first day of a range said before the month's last day.
_FIRST_DAY = re.compile(r"(?:\bfrom\s+)?\b\d{1,2}(?:st|nd|rd|th)?\s*(?:-|–|to|and|through)\s*$", re.IGNORECASE)
_ON = re.compile(r"on\s+", re.IGNORECASE)


def _said_days(text: str, mention: Mention) -> tuple[int, int]:
    """Where the date is said in `text`: with the first day of a range before it, without a
    leading "on"."""
    first = _FIRST_DAY.search(text, 0, mention.start)
    start = first.start() if first else mention.start
    while text[start].isspace():
        start += 1
    if on := _ON.match(text, start):
        start = on.end()
    end = mention.end
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _evidence(index: SearchIndex, candidate: Candidate) -> Evidence:
    return Evidence(candidate.passage, candidate.sentence, index.corpus.document(candidate.passage.doc_id))


def _with_partner(question: Question, pick: FigurePick, evidence: Evidence, confidence: float) -> Decision:
    """For "from X to Y" asked as a growth or a change, both ends and the computed change;
    else the figure alone ("what was X in 2021" asks for one end only)."""
    figure = pick.figure
    if figure.role is None or question.expect not in ("growth", "change"):
        return FigureAnswer(evidence, figure, confidence)
    statistics = pick.candidate.passage.statistics
    position = statistics.index(figure)
    if figure.role == "from" and position + 1 < len(statistics) and statistics[position + 1].role == "to":
        start, end = figure, statistics[position + 1]
    elif figure.role == "to" and position > 0 and statistics[position - 1].role == "from":
        start, end = statistics[position - 1], figure
    else:
        return FigureAnswer(evidence, figure, confidence)
    return RangeAnswer(evidence, start, end, computed_change(start, end), confidence)


def computed_change(start: Figure, end: Figure) -> Computed | None:
    """The difference and ratio of two figures in the same unit ("+0.4 trillion yuan, 1.5x")."""
    if start.unit != end.unit:
        return None
    # Say the difference in the larger of the two scales: 800 billion -> 1.2 trillion is
    # "+0.4 trillion", not "+400,000,000,000".
    scale = max((start.scale, end.scale), key=lambda s: SCALES.get(s or "", 1.0))
    difference = (end.magnitude - start.magnitude) / SCALES.get(scale or "", 1.0)
    unit = " ".join(word for word in (scale, start.unit) if word)
    if start.unit == "percent":
        # The difference of two shares is in points; their ratio would mislead.
        return Computed(f"{difference:+,.1f} percentage points", (start, end))
    parts = [f"{difference:+,.1f} {unit}".strip()]
    if start.magnitude:
        parts.append(f"{end.magnitude / start.magnitude:.1f}x")
    return Computed(", ".join(parts), (start, end))
