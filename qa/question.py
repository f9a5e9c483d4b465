"""What a question asks for: a count, a percent, money, a change, a speaker, a list or text.

General English question grammar only; nothing here knows any transcript's wording.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from corpus import Figure
from corpus.figures import extract_figures
from corpus.periods import MONTHS, WEEKDAYS, Mention, Period, mentions
from index import normalize_text, token_set, tokenize

Expect = Literal["count", "percent", "money", "amount", "change", "growth", "multiple", "speaker", "time", "date",
                 "ordinal", "year", "list", "figure", "text"]

MAX_QUESTION_CHARS = 2000  # longer questions are truncated (with a note) before encoding

# Characters that show nothing: Unicode format characters (category Cf: zero-width, bidi
# controls, soft hyphen, tags) and lone surrogates. Removed, so a question made only of them is
# empty. Control characters (Cc) separate words like spaces.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_RANGE = re.compile(r"\b(?:from|between)\s+(19\d{2}|20\d{2})\s+(?:to|and|until|through)\s+(19\d{2}|20\d{2})\b")

_CHANGE_VERBS = (
    "grow|grew|grown|rise|rose|risen|increase|increased|go up|went up|gone up|go down|went down|"
    "drop|dropped|fall|fell|"
    "fallen|decline|declined|decrease|decreased|change|changed|improve|improved|shrink|shrank|"
    "reduce|reduced|lessen|lessened|cut|shorten|shortened|become|became"
)

def _any(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives))


# Who-questions, by what they ask of the turn structure (qa.who answers each).
WhoKind = Literal["asker", "asker_outlet", "answerer", "chair", "speakers", "said", "named"]
_OUTLET_NOUNS = (r"(news )?outlet|newspaper|news agency|news organi[sz]ation|wire service|publication|"
                 r"broadcaster|network|paper|media( outlet| organi[sz]ation)?")
_REPORTER_NOUNS = r"reporter|journalist|correspondent|questioner"
# "Which Maldivian foreign minister ...": a person the question asks to be named.
_PERSON_NOUNS = (r"minister|director-general|director general|secretary|president|vice president|ambassador|envoy|"
                 r"senator|governor|premier|chancellor|chairman|chairwoman|chairperson|leader|diplomat|"
                 r"spokes\w*|official|officer|lawmaker|mayor|king|queen|prince|general|judge|commissioner|"
                 r"executive|ceo|adviser|advisor|economist|scientist|doctor|professor|analyst|"
                 r"representative|congressman|congresswoman|manager|chief")
# Words the question grammar itself reads ("which outlet", "which reporter", "which minister"):
# real words, never a typo of some corpus word ("outlet" is not "outset").
GRAMMAR_WORDS = token_set(" ".join([
    _PERSON_NOUNS.replace(r"spokes\w*", "spokesperson spokesman spokeswoman").replace("|", " "),
    _REPORTER_NOUNS.replace("|", " "),
    "news outlet newspaper agency organisation organization wire service publication broadcaster network media",
]))
# ...when that noun ends its noun phrase: a verb or a function word follows ("which general
# led", "which minister did"), not another noun ("which General Assembly resolution").
_PERSON_HEAD = (r"(?=\s+(?:[\w-]+ed|did|does|do|was|were|is|are|has|have|had|will|would|can|could|should|may|"
                r"might|must|said|says|told|met|spoke|gave|took|made|led|went|came|held|ran|sent|wrote|put|"
                r"who|that|from|of|in|at|on|"
                r"for|to|with|and|or)\b|\s*[?,.]|\s*$)")
# Where the question's own words begin: its start, or after a setting it opens with ("At the June
# 2015 press conference, which reporter asked ...").
_OPENING = r"(?:^|^[^?]*?[,;:]|^[^?]*?\s-{1,2}|^[^?]*?\s—)\s*"
_BRIEFING_NOUNS = r"\b(briefing|press conference|news conference|press call|call|q&a|q & a|presser|conference)\b"
_MEETING_NOUNS = (r"\b(meeting|summit|talks|forum|dialogue|session of|committee|council|"
                  r"(?<!press )(?<!news )conference on)\b")  # "a press conference on trade" is a briefing
# Ordered: the first kind whose pattern matches decides; "named" is the rest (a name in the text).
_WHO_KINDS: tuple[tuple[WhoKind, re.Pattern[str]], ...] = (
    ("asker_outlet", _any(rf"{_OPENING}(which|what) (\S+ ){{0,2}}({_OUTLET_NOUNS})\b(?! ({_REPORTER_NOUNS})\b)",
                          r"^\s*(who|whom) does .+ (work|write|report)s? for\b",
                          r"\b(work|works|worked|working|write|writes|reporting) for\b.*\?\s*$")),
    # "Who answered ... when reporters asked ...": the verb right after "who" decides.
    ("answerer", _any(r"^\s*who (?:first |then |later )?(answered|answers|responded|responds|replied|replies|"
                      r"fielded|fields)\b",
                      # "Which ministry official answered the Daily's question": the answerer too
                      rf"^\s*(?:which|what) (?:\S+ ){{0,3}}(?:{_PERSON_NOUNS}|speaker)s? (?:first |then )?"
                      r"(answered|answers|responded|responds|replied|replies|fielded|fields)\b")),
    ("asker", _any(rf"{_OPENING}(which|what) (\S+ ){{0,3}}({_REPORTER_NOUNS})\b",
                   r"^\s*who\b.*\b(asked|asks|questioned|queried|raised|posed)\b")),
    ("answerer", _any(r"^\s*who\b.*\b(answered|answers|responded|responds|replied|replies|fielded|fields|"
                      r"took|handled)\b")),
    ("chair", _any(r"^\s*who (co-?)?(chaired|chairs|moderated|moderates|hosted|hosts|presided|emceed|ran|opened)\b",
                   r"^\s*who (was|is|were) the (chair|chairperson|chairman|chairwoman|moderator|host|emcee)\b")),
    ("speakers", _any(r"^\s*who (spoke|speaks|talked|talks|gave|gives|delivered|delivers|briefed|briefs|presented|"
                      r"took part|joined|were the|are the|was the|is the) ",
                      r"^\s*(which|what) (officials?|speakers?|briefers?) (spoke|briefed|took part|gave|were)\b",
                      # "Which spokesperson gave the daily briefing", "which prime minister held the
                      # press conference": who briefed
                      rf"^\s*(which|what) (\S+ ){{0,3}}(?:{_PERSON_NOUNS})s? (gave|delivered|held|conducted|"
                      rf"led|took) (\S+ ){{0,6}}?{_BRIEFING_NOUNS}")),
    ("said", _any(rf"{_OPENING}(who|which \w+|which (\S+ ){{0,3}}(?:{_PERSON_NOUNS})s?) "
                  r"(said|says|told|stated|argued|claimed|warned|noted|mentioned|remarked|"
                  r"described|called|stressed|emphasi[sz]ed|explained|insisted|added|suggested)\b")),
)


# "When did he expect ...", "by when", "in which month": a day or a month answers ("in June").
# "When Lee spoke, how many ..." opens with a clause, not a question about a time.
ASKS_WHEN = re.compile(r"^\W*(?:by\s+|until\s+)?when\s+(?:did|does|do|will|would|is|was|are|were|has|have|had|"
                       r"can|could|should|must|might|may)\b|\b(?:which|what) month\b", re.IGNORECASE)


# Ordered: the first pattern that matches decides.
_EXPECTATIONS: tuple[tuple[Expect, re.Pattern[str]], ...] = (
    ("speaker", _any(r"^\s*(who|whom|whose)\b",
                     r"\b(which|what) (official|speaker|spokes\w*|person|minister)\b",
                     r"\bname of the (speaker|official)\b",
                     rf"{_OPENING}(which|what) (\S+ ){{0,3}}({_OUTLET_NOUNS}|{_REPORTER_NOUNS})\b",
                     rf"{_OPENING}which (\S+ ){{0,3}}({_PERSON_NOUNS})s?{_PERSON_HEAD}")),
    ("time", _any(r"\b(at )?what time\b", r"\bat what hour\b")),  # a time of day: "9:00 p.m."
    # A year: "in what year did unemployment peak", "which year will the plant open".
    ("year", re.compile(r"\b(?:what|which) year\b(?![-\s]+(?:on|over|to)\b)")),
    # A day of the calendar: "on what date", "which days", "when will the summit be held".
    ("date", _any(r"\b(what|which) (dates?|days?)\b(?! (of the week|a week|per|each|in a row))",
                  r"^\s*when\b(?! asked\b).*\b(be held|take place|takes place|took place|scheduled|due)\b",
                  ASKS_WHEN.pattern, r"^\W*what (is|was|were|are) the (\S+ ){0,4}deadline\b")),
    # Which one of a numbered series: "which session of the assembly" ("the 73rd").
    ("ordinal", re.compile(r"^\W*(?:which|what)\s+(?:\w+\s+){0,2}?(?:session|round|edition|anniversary|plenum|"
                           r"plenary)\b")),
    ("multiple", _any(r"\bhow many (times|fold)\b", r"\b\w*-?fold\b")),
    # "Over how many meetings ...": a question led by "how many <noun>" counts that noun,
    # whatever else it mentions ("rate", "share", "increase").
    ("count", re.compile(r"^\W*(?:\w+\W+){0,2}?(?<!by )how many\b(?!\s+(?:percent|percentage|times|fold)\b)")),
    # "How long did the bridge stay closed?": a duration ("nine days"), a count of time units.
    ("count", re.compile(r"^\W*(?:\w+\W+){0,2}?how long\b")),
    ("change", _any(r"\b(percentage|basis) points?\b", r"\bby how (much|many)\b", r"\bhow (fast|quickly)\b",
                    r"\bby what (percentage|percent|proportion|share|amount|factor|margin)\b",
                    rf"\bhow much (did|has|have|had|was|were)\b.*\b({_CHANGE_VERBS})\b",
                    # "growth" is a change, but "the growth rate", "GDP growth" and "growth forecast"
                    # name a level (a rate) that is stated as such.
                    r"(?<!gdp )(?<!economic )(?<!output )\bgrowth\b(?!\s+(rate|forecast|projection|outlook))",
                    r"\b(increase|rise|drop|decline|decrease|reduction|improvement|gain|change)\b",
                    r"\brates? (cut|cuts|hike|hikes)\b",  # "how big was the rate cut": by how much
                    r"\bhow far (is|was|were|are|has|have|had|did)\b.*\b(down|up|lower|higher)\b")),
    # "How much does cutting the rate cost?": a sum, whatever rate or share it is the cost of.
    ("money", re.compile(r"\bhow much\b[^?]*\b(?:cost|costs|costing|spend|spent|worth|paid)\b")),
    ("percent", _any(r"\b(percent|percentage|per cent|share|proportion|rate|ratio|fraction|%)",
                     r"\b(federal|fed) funds\b(?! (for|to|from)\b)", r"\btarget range\b",  # the policy rate
                     r"\bhow (efficient|widespread|common)\b")),
    # "How large was the current account deficit?": a balance is a sum, or as often a share of GDP.
    ("amount", re.compile(r"^\W*(?:\w+\W+){0,2}?how (big|large)\b(?! (a |an )?(share|portion|proportion|fraction))"
                          r".*\b(deficit|surplus|debt|balance|shortfall)s?\b")),
    # "For what term ...": a duration ("30 days"), a count of time units.
    ("count", re.compile(r"\b(?:what|which) (?:term|duration|length of time)\b")),
    ("count", _any(r"\bhow many\b", r"\bnumber of\b", r"\bcount of\b", r"\bhow much .*\b(equipment|units)\b")),
    ("money", _any(r"\b(worth|value|revenue|spending|spent|investment|invested|yuan|rmb|dollars?|trillion|"
                   r"billion|million|income|cost|funds|funding|deficits?|surplus(?:es)?|debt|savings)\b",
                   r"\bwhat (?:\w+ )?price\b(?! index)", r"\bprice tag\b")),  # "at what price", "what carbon price"
    # "How much water", "how large an area": a quantity, money or a measured amount alike.
    ("amount", _any(r"\b(how (big|large)|size|scale|output)\b", r"\bhow much\b")),
    ("list", _any(r"^\s*(which|list|name)\b",
                  r"\bwhat (are|were) the (\w+ )?(three|four|five|six|seven|two|main|key|major)\b",
                  r"\bwhich (sectors|areas|fields|industries|systems)\b")),
)
# "Which hometown did she mention?", "what was the name of the study?", "in which two towns":
# a question whose answer is a name said in a sentence (a place, a study, a law, a company).
_ASKS_A_NAME = re.compile(
    # The question may follow a sentence setting it up ("In March he cited a study. Which study?").
    r"\bname of\b|\b(?:called|named)\s*\??\s*$|(?:^|[.?!]\s+)\W*(?:in |at |from |to |of |for )?(?:which|what)\s+"
    r"(?:\w+\s+){0,2}?"
    r"(?:names?|hometowns?|towns?|city|cities|country|countries|places?|company|companies|firms?|newspapers?|"
    r"study|studies|documents?|laws?|bills?|programs?|programmes?|organi[sz]ations?|agency|agencies|"
    r"nationalit\w*|provinces?|regions?|rivers?|islands?|villages?|ships?|brands?|resolutions?|treaty|treaties)\b",
    re.IGNORECASE)
# "By what vote did the council confirm her?", "what was the final score?": a tally ("91 to 7").
ASKS_TALLY = re.compile(r"\bwhat (?:was |is |were )?(?:the )?(?:final )?(?:vote|tally|score)\b", re.IGNORECASE)
_FIGURE_CUES = re.compile(
    r"\bhow (much|many|big|large|high|fast|far|long)\b|\bwhat (level|figure|value|amount)\b|"
    rf"{ASKS_TALLY.pattern}|"
    r"\b(19|20)\d{2}\b|"
    # "what was the figure for varicella?", a keyword query ending "... pellets number"
    r"\bwhat (?:was|is|were|are) the (?:\w+ )?(?:figure|number|total|tally|count)s?\b|\b(?:figure|number)\s*\??\s*$|"
    # "What do the two harbour grants total?", "what did the bill come to?"
    r"\bwhat (?:do|does|did|will|would) (?:(?!\b(?:think|about|say|feel)\b).)+ "
    r"(?:total|amount to|add up to|come to)\s*\??\s*$"
)
# The thing a figure question is about: "how many <units of industrial equipment> are ...".
# A name (one to three capitalised words) the answer is attributed to: "according to Ana
# Marlow", ", per Marlow", "did Marlow say", "as Marlow put it", "Marlow said".
_NAME = r"([A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,2})"
_ATTRIBUTION = re.compile(
    rf"\b(?:according\s+to|per)\s+{_NAME}"
    rf"|\b(?:did|does|do|would|will)\s+{_NAME}\s+(?:say|tell|put|mention|cite|describe|call|announce|give|recount)\b"
    rf"|\bas\s+{_NAME}\s+(?:put\s+it|said|says|recounted|described\s+it|noted)\b"
    rf"|{_NAME}\s+(?:said|says|told)\b")
_GROUP = re.compile(
    r"\b(?:rate|rates|share|percentage|proportion)\s+(?:for|among)\s+(?P<group>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)"
    r"(?=\s+(?:in|at|on|by|during|since|as|according|per|over|from|between|was|were|is|are|has|have|had|did|"
    r"do|does|will|would|could|can|after|before|under|when|if)\b|\s*[?,.;:]|\s*$)", re.IGNORECASE)
_CALENDAR_TOKENS = token_set(" ".join([*MONTHS, *WEEKDAYS]))
_FOCUS = re.compile(
    rf"\b(?:how many|number of|how much|what (?:share|percentage|proportion|portion|fraction) of|"
    r"(?:what|how) (?:was|is|were|are|has been) the)\s+(?P<focus>.+?)"
    rf"(?=\s+(?:are|is|were|was|has|have|had|did|do|does|will|can|could|in|by|at|as|since|during|"
    rf"that|which|who|been|so far|compared|over|from|between|{_CHANGE_VERBS})\b|[?.!]|$)"
)


@dataclass(frozen=True)
class Question:
    """A question prepared for retrieval and answering."""

    text: str  # normalised (NFKC, zero-width removed, truncated)
    expect: Expect
    years: tuple[int, ...]  # years the question names
    year_range: tuple[int, int] | None  # "from 2012 to 2021"
    terms: tuple[str, ...]  # content tokens (stopwords and years dropped)
    truncated: bool
    focus: tuple[str, ...] = ()  # tokens of what a figure question asks about, if found
    corrections: Mapping[str, str] = field(default_factory=dict)  # typo -> corpus word (qa.spelling)
    who: WhoKind | None = None  # for speaker questions: what the turn structure must tell (qa.who)
    # The periods the question names, resolved: explicit ones ("in 2021", "June 2015") and those
    # read against the reference date ("last year" said when the newest transcript was dated).
    periods: tuple[Period, ...] = ()
    relative_periods: tuple[Period, ...] = ()
    # Those of its periods that hold the date of a transcript of the corpus: likely the briefing
    # the question names ("at the June 2015 meeting"), not the period of the figure it asks for.
    briefings: tuple[Period, ...] = ()
    # The periods it compares with ("higher in February than in June 2022"): a change's baseline.
    baselines: tuple[Period, ...] = ()
    # Numbers the question states itself ("how many 25 basis point hikes", "the 12 months to
    # April"): a figure equal to one of them restates the question, it does not answer it.
    stated: tuple[float, ...] = ()
    # Tokens of the person a question attributes its answer to ("according to Marlow", "per
    # Marlow", "did Marlow say"): who said it, not what was said. A transcript may name that
    # person only by role ("PM:"), so the corpus not knowing the name is no sign it is silent.
    attributed: tuple[str, ...] = ()
    # The group a rate or share is asked for ("the unemployment rate for young workers"): a
    # figure said of no such group is the whole population's, not theirs.
    group: tuple[str, ...] = ()
    # The words that name the briefing asked about ("at the June 2031 harbour press conference"):
    # they tell which transcript (`qa.named`), not which passage, so retrieval leaves them out.
    briefing_phrase: str = ""

    @property
    def searched_text(self) -> str:
        """The question as retrieval searches it: without the phrase naming its briefing."""
        if not self.briefing_phrase:
            return self.text
        left = " ".join(self.text.replace(self.briefing_phrase, " ").split())
        return _SPACE_BEFORE_MARK.sub("", _DANGLING_COMMA.sub("", left))

    def lexical_tokens(self) -> list[str]:
        """The tokens BM25 searches for, typos corrected."""
        return [self.corrections.get(t, t) for t in tokenize(self.searched_text)]


def visible_text(question: str) -> str:
    """The question as it reads: NFKC, invisible characters removed, whitespace collapsed
    ("" when nothing visible is left)."""
    visible = _CONTROL.sub(" ", _INVISIBLE.sub("", question))
    return " ".join(normalize_text(visible).split())


def checked_text(question: str) -> str:
    """The question's visible text (see `visible_text`).

    Raises:
        TypeError: the question is not a string.
        ValueError: the question is empty (or only whitespace / invisible characters).
    """
    if not isinstance(question, str):
        raise TypeError(f"the question must be a string, not {type(question).__name__}")
    text = visible_text(question)
    if not text:
        raise ValueError("the question is empty; type a question about the transcript")
    return text


def analyse(question: str, reference: date | None = None) -> Question:
    """Normalise a question and work out what kind of answer it expects. `reference` (the
    newest transcript's date) dates the question's relative periods ("last year").

    Raises:
        ValueError: the question is empty (or only whitespace / invisible characters).
    """
    text = checked_text(question)
    truncated = len(text) > MAX_QUESTION_CHARS
    text = text[:MAX_QUESTION_CHARS]
    lower = text.lower()
    years = tuple(int(y) for y in YEAR.findall(lower))
    year_range = None
    if match := _RANGE.search(lower):
        year_range = (int(match.group(1)), int(match.group(2)))
    stated_figures = [f for f in extract_figures(text) if f.is_statistic and not YEAR.fullmatch(f.text)]
    expect = _expectation(_without_names(_without_figures(text, stated_figures)).lower(), year_range, stated_figures)
    terms = tuple(t for t in tokenize(text) if not YEAR.fullmatch(t))
    focus_match = _FOCUS.search(lower)
    focus = tuple(t for t in tokenize(focus_match.group("focus")) if not YEAR.fullmatch(t)) if focus_match else ()
    who = who_kind(lower) if expect == "speaker" else None
    periods, relative = question_periods(text, reference, stated_figures)
    baselines = tuple(m.period for m in mentions(text, reference) if m.baseline and m.period)
    stated = tuple(v for f in stated_figures for v in _stated_values(f))
    return Question(text, expect, years, year_range, terms, truncated, focus, who=who, periods=periods,
                    relative_periods=relative, baselines=baselines, stated=stated, attributed=attributed_tokens(text),
                    group=group_tokens(text), briefing_phrase=briefing_phrase(text))


_DANGLING_COMMA = re.compile(r"^[\s,;:]+|\s*,(?=\s*[?.!]?\s*$)")  # ", how many...", "...in May, ?"
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[?.!]$)")


# "at the June 2031 harbour press conference", "per Marlow's first news conference", "during the
# 3 May briefing": a preposition, a few words, a briefing noun. What follows it ("on ferries")
# may be the topic asked about, so it stays.
_BRIEFING_PHRASE = re.compile(
    r"\b(?:at|during|from|per|according to|ahead of|in)\s+(?:(?:the|his|her|their|its|a|an)\s+)?"
    r"(?:[\w'’.&-]+\s+){0,8}?(?:press|news|media)\s+(?:conference|briefing|call|availability)s?\b"
    r"|\b(?:at|during|from|per|according to|ahead of|in)\s+(?:(?:the|his|her|their|its|a|an)\s+)?"
    r"(?:[\w'’.&-]+\s+){0,8}?(?:briefing|presser|doorstop)s?\b",
    re.IGNORECASE)
_LEFT_WORDS = 3  # a question left with fewer words would be emptied of what it asks


def briefing_phrase(text: str) -> str:
    """The phrase of `text` that names the briefing it asks about, "" when none does."""
    match = _BRIEFING_PHRASE.search(text)
    if match is None:
        return ""
    rest = text[: match.start()] + text[match.end() :]
    return match.group(0) if len(_WORDS_LEFT.findall(rest)) >= _LEFT_WORDS else ""


_WORDS_LEFT = re.compile(r"[^\W\d_]{2,}")


def group_tokens(text: str) -> tuple[str, ...]:
    """The tokens of the group a rate or share is asked for ("the jobless rate among young
    workers": young, worker); years and numbers are periods or amounts, not groups."""
    m = _GROUP.search(text)
    if not m:
        return ()
    return tuple(t for t in tokenize(m.group("group")) if t.isalpha() and t not in _CALENDAR_TOKENS)


def attributed_tokens(text: str) -> tuple[str, ...]:
    """The tokens of the names a question attributes its answer to (months and weekdays aside:
    "per June 2015" names a time)."""
    names = (next(g for g in m.groups() if g) for m in _ATTRIBUTION.finditer(text))
    return tuple(t for name in names for t in tokenize(name) if t not in _CALENDAR_TOKENS)


def who_kind(lower: str) -> WhoKind:
    """The kind of a who-question (lower-cased), by its grammar; "named" when no other fits."""
    for kind, pattern in _WHO_KINDS:
        if pattern.search(lower):
            if kind == "chair" and (not re.search(_BRIEFING_NOUNS, lower) or re.search(_MEETING_NOUNS, lower)):
                return "named"  # "who chaired the summit": a name the transcript gives, not the host
            return kind
    return "named"


# A briefing is named by its day or month ("the June 2015 meeting", "the November 10, 2021
# briefing"); a year holding some transcript's date is more likely the figure's own period.
BRIEFING_MAX_DAYS = 31


# "by the end of 2022", "in early 2023": a part of a year is a forecast's or a reading's
# period, never how a briefing is named.
_PART_OF_YEAR = re.compile(r"(?:by\s+|at\s+|in\s+)?(?:the\s+)?(?:end|start|beginning|middle|close)\s+of\b"
                           r"|(?:early|mid|late)\b", re.IGNORECASE)


def name_briefings(question: Question, dates: Sequence[date]) -> Question:
    """The question with `briefings` set: its periods of a day or a month that hold one of
    `dates` (sorted: the corpus's transcript dates)."""
    def holds_a_date(period: Period) -> bool:
        if (period.end - period.start).days >= BRIEFING_MAX_DAYS or _PART_OF_YEAR.match(period.text):
            return False
        at = bisect_left(dates, period.start)
        return at < len(dates) and dates[at] <= period.end

    found = tuple(p for p in question.periods + question.relative_periods if holds_a_date(p))
    return replace(question, briefings=found) if found else question


# "down from its 2001 level", "up from their 2019 levels": a period the level is compared with.
_COMPARED_FROM = re.compile(r"\b(?:down|up)\s+from\s+(?:its|their|the)\s+$", re.IGNORECASE)


# "fell from 15.3 percent in 2001 to what?": the words between a figure the question states and
# a period that is that figure's own, not the period asked about.
_STATED_FIGURES_PERIOD = re.compile(r"\s*(?:in|as of|at|by|during|for)?\s*")


def question_periods(text: str, reference: date | None,
                     stated: Sequence[Figure] = ()) -> tuple[tuple[Period, ...], tuple[Period, ...]]:
    """The question's periods (comparison baselines and the periods of the figures it states
    aside): those it states outright, and those that depend on the reference date ("last year",
    "since 2012", "in May")."""
    def of_stated(m: Mention) -> bool:
        return any(f.end <= m.start and _STATED_FIGURES_PERIOD.fullmatch(text, f.end, m.start) for f in stated)

    def own(found: list[Mention]) -> list[Period]:
        # "the tariff now, down from its 2001 level": 2001 is what it is compared with
        return [m.period for m in found if not m.baseline and m.period and not of_stated(m)
                and not _COMPARED_FROM.search(text, 0, m.start)]

    explicit = own(mentions(text, None))
    # "deaths over the past year, per the November 10, 2021 briefing": a question that names a
    # day or a month reads its relative words from there, not from the newest transcript.
    anchor = next((p.end for p in explicit if (p.end - p.start).days < BRIEFING_MAX_DAYS), reference)
    found = own(mentions(text, anchor)) if anchor else explicit
    # "from January to March 2024": a range that ends at a period stated outright is stated too
    stated = tuple(p for p in found if p in explicit or (p.ends and p.ends[-1] in explicit))
    return stated, tuple(p for p in found if p not in explicit)


# "What would the fare rise to?", "to what level had it risen": the level reached,
# not the change.
_LEVEL_REACHED = re.compile(
    rf"\b({_CHANGE_VERBS}|be (cut|raised|lowered|reduced)) to\b\s*(?:[?,.;]|$|according\b|per\b|by\b|in\b|on\b|under\b)"
    r"|\bto what (level|rate|figure|value|amount)\b")


def _stated_values(figure: Figure) -> tuple[float, ...]:
    """The values a figure the question states may be said as: "75 basis points" is also a
    rise of 0.75 percentage point."""
    if re.match(r"basis[\s-]+points?\b", figure.unit or "", re.IGNORECASE):
        return figure.value, figure.value / 100
    return (figure.value,)


# "Yuan" is a currency and a surname: "Yuan Mei", "Mr. Yuan" name a person, not a sum in yuan.
_SURNAME_CURRENCY = re.compile(r"\bYuan(?=\s+[A-Z][a-z])|(?<=\b(?:Mr|Ms|Dr)\.\s)Yuan\b|(?<=\b(?:Mr|Ms|Dr)\s)Yuan\b")


def _without_names(text: str) -> str:
    """The question with a person named like a currency blanked out, for reading what it asks."""
    return _SURNAME_CURRENCY.sub("N", text)


def _without_figures(text: str, figures: list[Figure]) -> str:
    """The question with the figures it states itself blanked out: in "how much revenue would a
    21 percent tax raise", the "percent" is the tax's, not what is asked for."""
    for figure in sorted(figures, key=lambda f: f.start, reverse=True):
        text = text[: figure.start] + "N" + text[figure.end :]
    return text


# "rose from 4.5 per cent to what?", "rose to 14.5 million doses -- from what level?": the question
# states one end of a change and asks for the other, a level of the same kind as the end stated.
_OTHER_END = re.compile(r"\b(?:from|to) n\b.*\b(?:to|from) what\b(?!\s+(?:extent|degree)\b)"
                        r"|\b(?:to|from) what\b(?!\s+(?:extent|degree)\b).*\b(?:from|to) n\b")
# The answer a stated end asks for, by the end's kind ("4.5 per cent": percent).
_END_KINDS: dict[str, Expect] = {"percent": "percent", "percentage_points": "percent", "money": "money",
                                 "count": "count"}


def _expectation(lower: str, year_range: tuple[int, int] | None, stated: Sequence[Figure] = ()) -> Expect:
    if stated and _OTHER_END.search(lower):
        return _END_KINDS.get(stated[0].kind, "figure")
    for expect, pattern in _EXPECTATIONS:
        if expect == "change" and _LEVEL_REACHED.search(lower):
            continue  # the level reached: the patterns after this one say what kind
        if pattern.search(lower):
            if expect == "change" and year_range and not re.search(r"(percentage|basis) point", lower):
                return "growth"  # "how much did X grow from 2012 to 2021": both ends
            return expect
    # A year in "what nationalities were the two sailors rescued by March 2031" dates the name asked for.
    return "figure" if _FIGURE_CUES.search(lower) and not _ASKS_A_NAME.search(lower) else "text"
