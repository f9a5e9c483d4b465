"""Find the figures stated in transcript text: percentages, money, counts, multiples, ...

`extract_figures` works sentence by sentence. For every number it decides what kind of
figure it is (from the words glued to it: "%", "trillion yuan", "-fold", a count noun),
reads the hedge before it ("more than", "nearly"), the time phrase that dates it ("By the
end of 2021", "over 2012") and, from the words around it, what it measures (`subject`).

Everything is rule-based English grammar: no transcript-specific phrases live here, so the
rules apply to any press-conference transcript. Offsets are exact:
`text[f.start - offset : f.end - offset] == f.text` for every figure returned.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from corpus.models import Figure
from corpus.periods import abbreviated_year_end
from corpus.sentences import split_sentences

__all__ = ["extract_figures", "parse_number", "NUMBER_WORDS", "TENS_WORDS"]

# ---------------------------------------------------------------------------
# English number words (also used by parse_number)
# ---------------------------------------------------------------------------

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

# Longest words first so that "seventeen" is not read as "seven".
_ONES = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_ONES_1_9 = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "|".join(TENS_WORDS)
_W99 = rf"(?:(?:{_TENS})(?:[-\s](?:{_ONES_1_9}))?|{_ONES})"

# ---------------------------------------------------------------------------
# Regexes for the number itself and for what is glued to it
# ---------------------------------------------------------------------------

# Vulgar fractions as central banks print them: "2¼ percent", "¾ percentage point".
FRACTIONS: dict[str, float] = {"¼": 0.25, "½": 0.5, "¾": 0.75, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625,
                               "⅞": 0.875, "⅓": 1 / 3, "⅔": 2 / 3}
_FRACTION = f"[{''.join(FRACTIONS)}]"
# Thousands groups as captioning writes them: "4, 028", "310, 000" (a group after ", " that
# opens with 0 goes on the number; "in 2019, 300 people" stays two).
_SPACED_GROUPS = r"[0-9]{1,3}(?:,\s0[0-9]{2})+(?![0-9])"
_DIGITS = (r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|" + _SPACED_GROUPS + "|[0-9]*" + _FRACTION
           + r"|[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_DIGIT_NUMBER_RE = re.compile(
    # Not glued to a word or another number ("G20", "1.2.3"), except a currency code
    # ("RMB1.2"); not the tail of a hyphenated name ("COVID-19").
    # A number glued to a lower-case word before it and followed by a unit is a caption's
    # run-together words ("equal to12 percent", "more than4 percent").
    r"(?:(?<=RMB)|(?<=USD)|(?<=CNY)|(?<![\w.,])|(?<=[a-z])(?=[0-9.,]+(?:\s?%|\s+(?:percent|per\s+cent|million|"
    r"billion|trillion)\b)))(?<![A-Za-z]-)"
    rf"(?P<sign>[-\u2212](?=[0-9.]))?(?P<num>{_DIGITS})"
    rf"(?![0-9]|[.,][0-9]|[A-Za-z]|{_FRACTION})"
)
_WORD_NUMBER_RE = re.compile(
    rf"\b(?:(?:a|{_W99})\s+hundred(?:\s+(?:and\s+)?{_W99})?|a\s+dozen|{_W99})\b"
    r"(?![-\u2010\u2011][A-Za-z])",  # "five-year plan" is a modifier, not a count
    re.IGNORECASE,
)
# A time of day: "9:00 p.m.", "10.30am", "14:45"; an hour alone only with a.m./p.m. ("9 p.m.").
_CLOCK_RE = re.compile(
    r"(?<![\w.,:])(?:(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9](?:\s*(?:[ap]\.\s?m\.|[ap]m\b))?"
    r"|(?:0?[1-9]|1[0-2])\s*(?:[ap]\.\s?m\.|[ap]m\b))(?![\d])",
    re.IGNORECASE)
_DIGIT_ORDINAL_RE = re.compile(r"(?<![\w.,])[0-9]+(?:st|nd|rd|th)\b", re.IGNORECASE)
_WORD_ORDINAL_RE = re.compile(
    rf"\b(?:{'|'.join(ORDINAL_WORDS)})(?:ly)?(?=\s*,)", re.IGNORECASE
)

# "7 billion", and in a compound adjective "a 7-billion-dollar grant".
_SCALE_RE = re.compile(r"(?:\s+|-)(thousand|million|billion|trillion)\b", re.IGNORECASE)
_PERCENTAGE_POINTS_RE = re.compile(r"\s+percentage[\s-]+points?\b", re.IGNORECASE)
_PERCENT_RE = re.compile(r"\s?%|\s+(?:percent|per\s+cent|pct)\b", re.IGNORECASE)
_FOLD_RE = re.compile(r"[-\s]fold\b", re.IGNORECASE)
_TIMES_RE = re.compile(r"\s+times\b", re.IGNORECASE)
_CURRENCY_SUFFIX_RE = re.compile(
    r"(?:\s+|-)(yuan|renminbi|RMB|CNY|US\s+dollars|U\.S\.\s+dollars|USD|dollars?|euros?|pounds|yen)\b",
    re.IGNORECASE,
)
# Anchored at the end: searched in text[:number_start].
# A sign glued to the word before it ("up to$14 billion", as captions run words together)
# still marks money; a code's letters ("NZ$") are read whole, never as "Z" and "$".
_CURRENCY_PREFIX_RE = re.compile(r"(?:(?<![A-Za-z])(?=US\$|HK\$|AU?\$|NZ\$|CA?\$|S\$|RMB|CNY|USD)|"
                                 r"(?<![A-Z])(?=[$¥￥€£]))(US\$|HK\$|AU?\$|NZ\$|CA?\$|S\$|RMB|CNY|USD|\$|¥|￥|€|£)\s?$")
_CURRENCY_UNITS: dict[str, str] = {  # as written (lower case) -> the unit
    "us$": "US dollars", "$": "US dollars", "usd": "US dollars", "us dollars": "US dollars",
    "u.s. dollars": "US dollars", "dollars": "US dollars", "dollar": "US dollars", "hk$": "Hong Kong dollars",
    "a$": "Australian dollars", "au$": "Australian dollars", "nz$": "New Zealand dollars", "c$": "Canadian dollars",
    "ca$": "Canadian dollars", "s$": "Singapore dollars", "yen": "yen",
    "rmb": "yuan", "cny": "yuan", "¥": "yuan", "￥": "yuan", "yuan": "yuan",
    "renminbi": "yuan", "€": "euros", "euros": "euros", "euro": "euros", "£": "pounds", "pounds": "pounds",
}

# The currency family a text names, read from the same words and signs as money figures:
# "US dollars", "USD", "$" and "HK$" are all dollars (a question saying "dollars" rarely says whose).
_CURRENCY_FAMILY = {key: unit.split()[-1] for key, unit in _CURRENCY_UNITS.items()}
_CURRENCY_NAMED = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(key)}(?![A-Za-z])"
                                      for key in sorted(_CURRENCY_FAMILY, key=len, reverse=True)), re.IGNORECASE)


def currencies_named(text: str) -> set[str]:
    """The currency families `text` names ("in US dollars" -> {"dollars"}), as `currency_of` names them."""
    return {_CURRENCY_FAMILY[" ".join(m.group(0).lower().split())] for m in _CURRENCY_NAMED.finditer(text)}


def currency_of(figure: Figure) -> str | None:
    """The currency family of a money figure ("US dollars" -> "dollars"), None for others."""
    return figure.unit.split()[-1] if figure.kind == "money" and figure.unit else None


# Hedges read verbatim just before a number (longest first).
_QUALIFIERS = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "close to",
    "as many as", "as much as", "in excess of", "nearly", "almost", "about", "around",
    "approximately", "roughly", "something like", "something around", "in the order of",
    "on the order of", "upwards of", "some", "over", "above", "below", "under", "exceeded",
    "exceeding", "exceeds", "surpassed",
)
_QUALIFIER_RE = re.compile(
    r"(?<![\w-])(?P<q>" + "|".join(q.replace(" ", r"\s+") for q in _QUALIFIERS) + r")\s+$",
    re.IGNORECASE,
)

# "by a further $2 billion", "by another 3 percent": words that add to an earlier amount.
_INCREMENT = r"(?:an?\s+(?:further\s+|additional\s+|extra\s+)?|another\s+|further\s+|additional\s+)?"
# Nouns naming a change ("an increase of 5 percent", "the 12-month change"), singular.
CHANGE_NOUNS = r"increase|growth|rise|drop|decline|decrease|reduction|fall|cut|gain|jump"
# Words right before a figure that make it a change rather than a level.
_CHANGE_BEFORE_RE = re.compile(
    r"(?<![\w-])(?:up|down|"
    rf"(?:{CHANGE_NOUNS}|increases)"
    r"\s+of|rose|grew|increased|decreased|fell|dropped|declined|jumped|surged|climbed|"
    r"expanded|gained|shrank|slid|plunged)\s+" + _INCREMENT + "$",
    re.IGNORECASE,
)
_BY_BEFORE_RE = re.compile(r"(?<![\w-])(?P<verb>[\w-]+\s+)?by\s+" + _INCREMENT + "$", re.IGNORECASE)
_CHANGE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:year[-\s]on[-\s]year|year[-\s]over[-\s]year)\b"
    r"|\s+(?:increase|growth|rise|drop|decline|decrease|reduction|jump|gain|fall|"
    r"higher|lower|more|less)\b",
    re.IGNORECASE,
)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_BEFORE_RE = re.compile(rf"\b(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|"
                              r"Dec)\.?\s+$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"\s+(?:{_MONTHS})\b", re.IGNORECASE)
_DAY_BEFORE_YEAR_RE = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)?,\s*$")
_YEAR_SHAPE_RE = re.compile(r"(?:19[0-9]{2}|20[0-9]{2}|2100)")

# ---------------------------------------------------------------------------
# Time phrases ("period")
# ---------------------------------------------------------------------------

_YEAR = r"(?:19[0-9]{2}|20[0-9]{2}|2100)(?![0-9]|[.,][0-9])"
# A year followed by a unit is an amount ("2021 yuan"), not a date.
_NOT_UNIT = (r"(?!\s*(?:%|percent\b|per\s+cent\b|percentage\b|yuan\b|dollars\b|-?fold\b|"
             r"times\b|thousand\b|million\b|billion\b|trillion\b))")
_WHEN = rf"(?:(?:{_MONTHS})\s+(?:[0-9]{{1,2}},?\s+)?)?{_YEAR}{_NOT_UNIT}"
_PART_OF = (r"(?:the\s+(?:(?:first|second|third|fourth|last)\s+(?:half|quarter|"
            r"three\s+quarters|[a-z]+\s+months)|end|beginning|start|middle|close|"
            r"same\s+period)\s+(?:of|in)\s+)?")
_PERIOD_RE = re.compile(
    r"(?<![\w-])(?:"
    rf"(?P<range>(?:from|between)\s+{_PART_OF}{_WHEN}\s*(?:to|and|through|till|until|-|–)"
    rf"\s*{_PART_OF}{_WHEN})"
    r"|(?P<base>(?:over|compared\s+(?:with|to)|than(?:\s+(?:in|that\s+of|those\s+of))?|"
    rf"(?:that|those)\s+of|relative\s+to|against)\s+{_PART_OF}{_WHEN})"
    r"|(?P<point>(?:by|at|as\s+of|until|till|through|in|during|since|before|after|for|from|"
    rf"on)\s+{_PART_OF}(?:{_WHEN}|(?-i:{_MONTHS})(?![\w-])))"
    r"|(?P<span>(?:in|over|during|for|within)\s+the\s+(?:past|last|previous|next|coming)\s+"
    r"(?:[a-z]+\s+|[0-9]+\s+)?(?:years?|decades?|months?))"
    r"|(?P<since>since\s+the\s+[0-9]+(?:st|nd|rd|th)(?:\s+(?-i:[A-Z])[\w-]*)+)"
    r"|(?P<now>so\s+far|to\s+date|up\s+to\s+now|until\s+now|as\s+of\s+now|at\s+present)"
    r")(?![\w-])",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------
# Word lists for noun phrases and subjects (general English only)
# ---------------------------------------------------------------------------

_PREPOSITIONS = frozenset(
    "in of for to from with by on at into across per over under between among through "
    "during within without than as about around after before since until via toward "
    "towards against like including throughout onto upon amid along beyond".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been being am has have had having will would shall should can "
    "could may might must do does did".split()
)
_DETERMINERS = frozenset(
    "the a an this these those that its their our his her my your we they it he she you i "
    "them us there here".split()
)
_CONNECTIVES = frozenset(
    "which who whom whose where when while whereas or but so because if both either neither "
    "nor yet respectively each every".split()
)
_TIME_AND_DEGREE = frozenset(
    "last next ago only also already still now then more less higher lower year-on-year "
    "annually respectively alone".split()
)
# Verbs that report a level or a change; inflected forms are generated below.
_VERB_STEMS = (
    "reach", "increase", "decrease", "decline", "drop", "exceed", "surpass", "total",
    "amount", "account", "climb", "jump", "surge", "soar", "expand", "shrink", "contract",
    "reduce", "lessen", "lower", "raise", "improve", "register", "record", "hover", "remain",
    "rank", "achieve", "represent", "cover", "connect", "include", "make", "play", "help",
    "involve", "bring", "drive", "create", "provide", "serve", "employ", "generate", "use",
    "take", "give", "lead", "form", "hit", "boost", "contribute", "benefit", "grow", "rise",
    "fall", "cut", "top", "gain", "stand", "keep", "maintain", "attain", "post",
    "become", "shorten", "narrow", "widen", "double", "triple", "fill", "average",
)
_IRREGULAR_VERBS = frozenset(
    "rose risen grew grown fell fallen stood shrank shrunk came made became saw seen kept "
    "got went gone led brought took given gave hit cut set put built held sold paid spent "
    "won lost met sent found began begun bought said told shown known drawn chosen done"
    .split()
)


def _inflections(stem: str) -> set[str]:
    """Past, participle and -ing forms of a regular verb (over-generation is harmless)."""
    base = stem[:-1] if stem.endswith("e") else stem
    forms = {base + "ed", base + "ing", stem + "d" if stem.endswith("e") else stem + "ed"}
    if stem[-1] not in "aeiouwy":  # drop -> dropped, dropping
        forms |= {stem + stem[-1] + "ed", stem + stem[-1] + "ing"}
    return forms


_VERB_FORMS: frozenset[str] = frozenset(
    {form for stem in _VERB_STEMS for form in _inflections(stem)}
    | _IRREGULAR_VERBS
    | {"reaches", "exceeds", "remains", "surpasses", "represents", "comprises"}
)
_VERB_BASES = frozenset(_VERB_STEMS)
_NP_STOP = _PREPOSITIONS | _AUXILIARIES | _DETERMINERS | _CONNECTIVES | _TIME_AND_DEGREE
# "-ly" words that are nouns, not adverbs.
_LY_NOUNS = frozenset(
    "supply assembly family monopoly anomaly reply rally ally july italy butterfly poly "
    "jelly belly holly lily".split()
)
# Prepositions that start a complement worth keeping in a count's subject.
_COMPLEMENT_PREPOSITIONS = frozenset("of for in across at on from with under".split())
# A year after these words is a date, even when a noun follows ("in 2021 alone").
_YEAR_PREPOSITIONS = frozenset(
    "in since from to till until through between during before after of by and the year "
    "fiscal end early late mid on".split()
)
# Nouns after a year that still leave it a date ("over 2012 levels").
_YEAR_NOUNS = frozenset("level levels figure figures".split())

# Units of measure: "37.6 million hectares" says how much, not what was measured; with no
# complement ("hectares of farmland"), what was measured is the clause before the figure.
_MEASURE_UNITS = frozenset(
    "hectares hectare acres acre mu kilometres kilometers kilometre kilometer km metres meters metre meter "
    "square cubic tonnes tons tonne ton litres liters kilowatts kilowatt megawatts gigawatts kilowatt-hours "
    "kwh barrels".split()
)

_MAX_UNIT_WORDS = 6
_MAX_SUBJECT_WORDS = 15

_WORD_TOKEN_RE = re.compile(
    r"\s+(?P<w>(?:[A-Z]\.){2,}|[0-9]*[A-Za-z][\w'’&\-]*)|(?P<p>\s?\([^()\n]{1,20}\))"  # "U.S." is one word
)
_NUMBER_AHEAD_RE = re.compile(
    r"\s+(?:(?:" + "|".join(q.replace(" ", r"\s+") for q in _QUALIFIERS) + r")\s+)?"
    r"(?:(?:the|a|an|its|their|those|that)\s+)?"
    rf"(?:[-\u2212]?[0-9$¥€£]|RMB|US\$|(?:{_W99}|dozen|hundred)\b)",
    re.IGNORECASE,
)
_AND_NEW_PHRASE_RE = re.compile(
    r"\s+(?:the|its|their|those|that|these|this|a|an|we|they|it)\b", re.IGNORECASE
)
_RELATIVE_START_RE = re.compile(
    r"(?:which|who|whose|whom|where|including|such\s+as|especially|particularly|namely|"
    r"i\.e\.|e\.g\.)\b",
    re.IGNORECASE,
)
_LEADING_CONNECTOR_RE = re.compile(
    r"^(?:and|or|but|while|whereas|with|as\s+well\s+as|meanwhile|also|respectively|then|thus|"
    r"so|moreover|furthermore|besides|however|in\s+addition|of\s+which|among\s+which|"
    r"among\s+them|that\s+of|those\s+of|up|down|although|though|because|unless)\b[\s,]*",
    re.IGNORECASE,
)
_AND_SPLIT_RE = re.compile(r"\s+and\s+", re.IGNORECASE)
_DETERMINER_AHEAD_RE = re.compile(
    r"(?:the|that\s+of|those|its|their|a|an|this|these)\b", re.IGNORECASE
)
_COORDINATION_RE = re.compile(r"\s*,?\s*(?:and\s+)?", re.IGNORECASE)
# "from 4.5 per cent", and "from where it stands today at 3.5 per cent" (a few words and "at").
_FROM_BEFORE_RE = re.compile(r"(?<![\w-])from\s+(?:(?:[a-z']+\s+){1,5}at\s+)?$", re.IGNORECASE)
# "from 15.3 percent to 9.8 percent", also with the first end's year between ("from 15.3 percent
# in 2001 to 9.8 percent").
_TO_BETWEEN_RE = re.compile(r"(?:,?\s+(?:in|by|at|during|over|as\s+of)\s+(?:[\w-]+\s+){0,3}?(?:19|20)\d{2},?)?"
                            r"\s+to\s+", re.IGNORECASE)
# "raise that 15 percent rate to 21 percent", "cut the 32.5 percent levy for small firms to 15 percent":
# a verb that moves a level, the old level it names, and the new one after "to".
_MOVE_BEFORE_RE = re.compile(r"\b(?:rais|lift|increas|cut|lower|reduc|bring|brought|push)\w*\s+"
                             r"(?:(?:the|that|this|its|our|their|his|her|a|an)\s+)?$", re.IGNORECASE)
_MOVED_TO_RE = re.compile(r"\s+(?:[a-z]+\s+){0,4}?to\s+", re.IGNORECASE)
# A comma piece that goes on listing ("..., waterway or belt conveyor") rather than starting
# a new noun phrase ("the retail sector ...", "Japan's ...", "and ...").
_LIST_CONTINUATION_RE = re.compile(
    r"(?!(?:the|a|an|its|their|this|these|those|that|and|or|but|with|while|which|who|as|"
    r"in|by|from|to|for|of|on|at|up|down|respectively)\b)[a-z]"
)
_RANK_BEFORE_RE = re.compile(r"(?<![\w-])(?:top|no\.|number|rank(?:ed)?|ranking)\s+$", re.IGNORECASE)
_NUMBER_OF_RE = re.compile(r"(?:the\s+)?(?:total\s+)?number\s+of\b", re.IGNORECASE)

# The "...$" patterns above read a few words before a number. Searching only this many
# characters back keeps extraction linear in the sentence length (searching from 0 was quadratic).
_LOOKBACK = 40


def _back(end: int) -> int:
    """Where a backward-looking search that must end at `end` starts."""
    return max(0, end - _LOOKBACK)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def parse_number(s: str) -> float | None:
    """Parse "1,480", "0.568", "51.3", "five", "twenty-one", "a dozen", "1.2 trillion".

    Returns None when `s` is not a number.
    """
    words = s.strip().lower().split()
    if not words:
        return None
    scale = 1.0
    if len(words) > 1 and words[-1] in SCALE_WORDS and _digits_value(" ".join(words[:-1])):
        scale = SCALE_WORDS[words[-1]]
        words = words[:-1]
    digits = _digits_value(" ".join(words))
    if digits is not None:
        return digits * scale
    return _words_value(" ".join(words))


def extract_figures(text: str, offset: int = 0) -> list[Figure]:
    """All figures in `text` (a paragraph or sentence), in order; offsets are `offset + index into text`."""
    figures: list[Figure] = []
    for sentence in split_sentences(text):
        said = [draft.to_figure(text, sentence.start, offset) for draft in _sentence_drafts(sentence.text)]
        figures += [f for f, after in zip(said, [*said[1:], None])
                    if after is None or not _corrected_by(f, after, text, offset)]
    return figures


# A speaker taking a figure back: "the ferry leaves at 6:00 a.m. tomorrow — no, 6:30 a.m.", "12, sorry, 14 ports",
# "in May, I mean June". A few words may sit between the figure and the correction.
_CORRECTION = re.compile(
    r"^[^.;?!\d]{0,20}?(?:[—–\-,(]|\.\.\.|…)\s*(?:no|sorry|i['’]m sorry|i am sorry|excuse me|pardon me|i mean|"
    r"or rather|rather|correction|my apologies|let me correct that)\s*[,.!—–\-:)]*\s*$", re.IGNORECASE)


def _corrected_by(figure: Figure, after: Figure, text: str, offset: int) -> bool:
    """Whether the speaker takes `figure` back and says `after` instead (a figure of its kind)."""
    between = text[figure.end - offset : after.start - offset]
    # a bare number takes the unit of the figure that corrects it ("12, sorry, 14 ports")
    alike = figure.kind == after.kind or (figure.kind == "number" and after.is_statistic)
    return alike and _CORRECTION.match(between) is not None


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


def _digits_value(s: str) -> float | None:
    s = s.replace("\u2212", "-")
    if s and s[-1] in FRACTIONS:  # "2¼", "¾"
        whole = s[:-1]
        if whole in ("", "-") or re.fullmatch(r"-?[0-9]+", whole):
            sign = -1.0 if whole.startswith("-") else 1.0
            return sign * (abs(float(whole)) if whole.strip("-") else 0.0) + sign * FRACTIONS[s[-1]]
        return None
    if re.fullmatch(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)",
                    s):
        return float(s.replace(",", ""))
    if re.fullmatch(_SPACED_GROUPS, s):
        return float(re.sub(r",\s", "", s))
    return None


def _words_value(s: str) -> float | None:
    """Value of English number words: "twenty-one", "two hundred and five", "a dozen"."""
    words = [w for w in re.split(r"[\s\-\u2010\u2011]+", s) if w]
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, word in enumerate(words):
        if word in ("a", "an") and i == 0 and len(words) > 1:
            current = 1.0  # "a hundred", "a dozen"
        elif word == "and" and seen:
            continue
        elif word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word in TENS_WORDS:
            current += TENS_WORDS[word]
        elif word == "dozen":
            current = (current or 1.0) * 12
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in SCALE_WORDS and seen:
            total += (current or 1.0) * SCALE_WORDS[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current


# ---------------------------------------------------------------------------
# Per-sentence extraction
# ---------------------------------------------------------------------------


@dataclass
class _Period:
    start: int
    end: int
    text: str
    baseline: bool  # "over 2012", "compared with 2012": what a change is measured against


@dataclass
class _Draft:
    """A figure being built; offsets are relative to the sentence."""

    start: int
    end: int
    value: float
    kind: str
    unit: str = ""
    scale: str | None = None
    qualifier: str | None = None
    left: int = -1  # where the figure's own words begin (qualifier, currency sign)
    tail: int = -1  # where they end (after a count's noun)
    unit_start: int = -1  # a count's noun: s[unit_start:tail]
    unit_words: int = 0
    change: bool = False
    role: Literal["from", "to"] | None = None
    subject: str = ""
    period: str | None = None
    year_like: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if self.left < 0:
            self.left = self.start
        if self.tail < 0:
            self.tail = self.end

    @property
    def is_statistic(self) -> bool:
        return self.kind not in ("year", "ordinal", "time")

    def to_figure(self, text: str, sentence_start: int, offset: int) -> Figure:
        start, end = sentence_start + self.start, sentence_start + self.end
        return Figure(  # the short words that repeat across a corpus are interned (memory)
            text=text[start:end], value=self.value, unit=sys.intern(self.unit), scale=self.scale,
            qualifier=_interned(self.qualifier), kind=sys.intern(self.kind), period=self.period,
            subject=self.subject, start=offset + start, end=offset + end,
            role=self.role, change=self.change,
        )


def _sentence_drafts(s: str) -> list[_Draft]:
    """All figures of one sentence, with qualifiers, periods, roles and subjects."""
    periods = [_Period(m.start(), m.end(), m.group(0), bool(m.group("base")))
               for m in _PERIOD_RE.finditer(s)]
    drafts = _join_ranges(s, sorted(_find_numbers(s, periods), key=lambda d: d.start))
    # A period whose "year" turned out to be an amount ("over 2000 companies") is no period.
    periods = [p for p in periods
               if not any(d.is_statistic and p.start <= d.start < p.end for d in drafts)]
    stats = [d for d in drafts if d.is_statistic]
    for d in stats:
        d.change = _is_change(s, d)
    _carry_change(s, stats)
    _assign_roles(s, stats)
    _assign_subjects(s, stats)
    for i, d in enumerate(stats):
        # The "to" end of "from 15.3 percent in 2001 to 9.8 percent" is not of the "from" end's year.
        own = periods if d.role != "to" or i == 0 else [p for p in periods if not stats[i - 1].end <= p.start < d.start]
        d.period = _choose_period(own, d)
    for d in drafts:
        if d.kind == "ordinal":
            d.subject = _unit_phrase(s, d.end, len(s))[2]
    return drafts


_RANGE_JOIN_RE = re.compile(r"\s*(?:to|-|–|—)\s*")
_FROM_JUST_BEFORE_RE = re.compile(r"(?<![\w-])(?:from|between)\s+$", re.IGNORECASE)


# What a tally of two numbers ("91 to 7") follows: a vote, a margin, a score.
_TALLY_JOIN_RE = re.compile(r"\s+to\s+|\s*[-–]\s*")  # not "—": a pause in speech ("97 — 91 to 7")
_TALLY_BEFORE_RE = re.compile(r"\b(?:vote|votes|voted|margin|tally|score|ballot)\b[^.;,]{0,30}$", re.IGNORECASE)


def _join_ranges(s: str, drafts: list[_Draft]) -> list[_Draft]:
    """"2¼ to 2½ percent", "2.4 to 2.7 percent": a bare number before "to" and a number with a
    unit is one figure, the range, valued at its low end and in the unit said once at its end.
    After "from" the two stay apart ("rose from 10 to 15 percent" is a change, both ends in
    percent)."""
    joined: list[_Draft] = []
    for d in drafts:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.kind == d.kind == "number" and not previous.unit and not d.unit
                and _TALLY_JOIN_RE.fullmatch(s, previous.end, d.start)
                and _TALLY_BEFORE_RE.search(s, _back(previous.left), previous.left)):
            # "a vote of 91 to 7": one tally, valued at its first number
            d.start, d.left, d.value = previous.start, previous.left, previous.value
            joined.pop()
        elif (previous is not None and previous.kind == "number" and not previous.unit
                and d.kind in ("percent", "percentage_points", "money", "count")
                and _RANGE_JOIN_RE.fullmatch(s, previous.end, d.start)):
            if _FROM_JUST_BEFORE_RE.search(s, _back(previous.left), previous.left):
                previous.kind, previous.unit, previous.scale = d.kind, d.unit, d.scale
            else:
                d.start, d.left, d.value = previous.start, previous.left, previous.value
                d.qualifier = previous.qualifier
                joined.pop()
        joined.append(d)
    return joined


def _find_numbers(s: str, periods: list[_Period]) -> Iterator[_Draft]:
    """Classify every number, ordinal and number word in the sentence."""
    ordinals: list[tuple[int, int]] = []  # in order and disjoint, as finditer gives them
    drafts_end = -1  # drafts come in order of their number, so one running end covers them
    for m in _CLOCK_RE.finditer(s):
        if re.fullmatch(r"\d{1,2}\.\d{2}", m.group(0)):
            continue  # "3.50" with no a.m./p.m. is a decimal, not a time
        ordinals.append((m.start(), m.end()))  # its digits are no figures of their own
        hour, minute = re.match(r"(\d+)[:.]?(\d*)", m.group(0)).groups()
        yield _Draft(m.start(), m.end(), float(hour) + float(minute or 0) / 100, "time")
    for m in _DIGIT_ORDINAL_RE.finditer(s):
        ordinals.append((m.start(), m.end()))
        yield _Draft(m.start(), m.end(), float(re.sub(r"\D", "", m.group(0))), "ordinal")
    for m in _WORD_ORDINAL_RE.finditer(s):
        if _starts_list_item(s, m.start()):
            word = m.group(0).lower().removesuffix("ly")
            yield _Draft(m.start(), m.end(), float(ORDINAL_WORDS[word]), "ordinal")
    candidates = [(m.start("sign") if m.group("sign") else m.start("num"), m.end(), False)
                  for m in _DIGIT_NUMBER_RE.finditer(s)]
    candidates += [(m.start(), m.end(), True) for m in _WORD_NUMBER_RE.finditer(s)]
    for start, end, wordy in sorted(candidates):
        if start < drafts_end or _inside(ordinals, start) or _is_day_of_month(s, start, end):
            continue
        if _ends_year_range(s, start, end):
            continue  # the "06" of "the 2004-06 cycle" is a year, not a figure
        if wordy and s[start].isupper() and s[:start].strip(" \"'“‘("):
            continue  # a capitalised number word mid-sentence is part of a name
        draft = _classify(s, start, end, wordy)
        if draft is None:
            continue
        inside_period = any(p.start <= start < p.end for p in periods)
        if inside_period and draft.kind != "year" and not draft.year_like:
            continue  # "10" in "over the past 10 years" only dates the sentence
        drafts_end = max(drafts_end, draft.end)
        yield draft


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` falls in one of the sorted, disjoint `spans`."""
    i = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _starts_list_item(s: str, start: int) -> bool:
    """"First," at the start of a sentence or after "; " / "and" enumerates a list."""
    before = s[:start].rstrip()
    return not before.strip(" \"'“‘(") or before.endswith(";") or before.lower().endswith(
        " and")


_YEAR_DASH_BEFORE_RE = re.compile(r"(?<![\w.,])(?:FY\s?)?(?P<y>19[0-9]{2}|20[0-9]{2})\s*[-–/]\s*$", re.IGNORECASE)


def _ends_year_range(s: str, start: int, end: int) -> bool:
    """The two digits closing an abbreviated year range ("2004-06", "2019–20", "FY2022-23")."""
    if not re.fullmatch(r"[0-9]{2}", s[start:end]) or re.match(r"[0-9]|[.,][0-9]", s[end:end + 2]):
        return False
    m = _YEAR_DASH_BEFORE_RE.search(s, _back(start), start)
    return m is not None and abbreviated_year_end(int(m.group("y")), s[start:end]) is not None


def _is_day_of_month(s: str, start: int, end: int) -> bool:
    """The 18 in "June 18, 2022" or "18 June 2022" is part of a date."""
    if not re.fullmatch(r"[0-9]{1,2}", s[start:end]):
        return False
    return bool(_MONTH_BEFORE_RE.search(s, _back(start), start) or _MONTH_AFTER_RE.match(s, end)
                # the first day of "from 14 to 16 July", the last of "June 3 to 5"
                or _DAY_RANGE_AFTER_RE.match(s, end) or _DAY_RANGE_BEFORE_RE.search(s, _back(start), start))


_DAY_RANGE_AFTER_RE = re.compile(rf"\s*(?:to|-|–|and|through)\s*[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b",
                                 re.IGNORECASE)
_DAY_RANGE_BEFORE_RE = re.compile(rf"\b(?:{_MONTHS})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\s*(?:to|-|–|and|through)\s*$",
                                  re.IGNORECASE)


def _classify(s: str, start: int, end: int, wordy: bool) -> _Draft | None:
    """Decide what kind of figure the number at s[start:end] is, from what is glued to it."""
    raw = s[start:end]
    value = _words_value(raw.lower()) if wordy else _digits_value(raw)
    if value is None:
        return None
    pos, scale = end, None
    if m := _SCALE_RE.match(s, pos):
        pos, scale = m.end(), m.group(1).lower()

    prefix = None if wordy else _CURRENCY_PREFIX_RE.search(s, _back(start), start)
    draft: _Draft | None = None
    if prefix:
        suffix = _CURRENCY_SUFFIX_RE.match(s, pos)
        draft = _Draft(prefix.start(), suffix.end() if suffix else pos, value, "money",
                       unit=_CURRENCY_UNITS[prefix.group(1).lower()], scale=scale)
    elif m := _PERCENTAGE_POINTS_RE.match(s, pos):
        draft = _Draft(start, m.end(), value, "percentage_points", "percentage points", scale)
    elif m := _PERCENT_RE.match(s, pos):
        draft = _Draft(start, m.end(), value, "percent", "percent", scale)
    elif m := _CURRENCY_SUFFIX_RE.match(s, pos):
        unit = _CURRENCY_UNITS[re.sub(r"\s+", " ", m.group(1).lower())]
        draft = _Draft(start, m.end(), value, "money", unit, scale)
    elif (m := _FOLD_RE.match(s, pos)) or (m := _TIMES_RE.match(s, pos)):
        draft = _Draft(start, m.end(), value, "multiple", "times", scale)
    else:
        draft = _classify_plain(s, start, end, pos, value, scale, wordy)
        if draft is None or draft.kind == "year":
            return draft
    if q := _QUALIFIER_RE.search(s, _back(draft.start), draft.start):
        draft.qualifier = re.sub(r"\s+", " ", q.group("q").lower())
        draft.left = q.start()
    return draft


# A year said in two digits: after an apostrophe ("'09"), or one of a pair of consecutive
# years ("09/10", "2009/10": a financial year).
_APOSTROPHE_YEAR_RE = re.compile(r"['‘’]$")
_YEAR_PAIR_AFTER_RE = re.compile(r"/(\d{2})(?!\d)")
_YEAR_PAIR_BEFORE_RE = re.compile(r"(?<!\d)(\d{2}|(?:19|20)\d{2})/$")


def _is_short_year(s: str, start: int, end: int) -> bool:
    """Whether the two-digit number at s[start:end] is a year ("'09", "09/10", "2009/10")."""
    raw = s[start:end]
    if not re.fullmatch(r"\d{2}", raw):
        return False
    if _APOSTROPHE_YEAR_RE.search(s[max(0, start - 1):start]):
        return True
    if (after := _YEAR_PAIR_AFTER_RE.match(s, end)) and int(after.group(1)) == (int(raw) + 1) % 100:
        return True
    before = _YEAR_PAIR_BEFORE_RE.search(s[max(0, start - 5):start])
    return bool(before) and (int(before.group(1)) + 1) % 100 == int(raw)


_DURATION_COMPOUND_RE = re.compile(r"-(?:month|year|week|day|hour|minute|quarter|decade)\b", re.IGNORECASE)
# Nouns that a span before them turns into the name of a measure: "12-month change", "10-year yield".
_SPAN_MEASURE_RE = re.compile(rf"\b(?:(?:{CHANGE_NOUNS}|change|average|rate|yield|high|low|peak|return|trend)s?|"
                              r"losses|moving|rolling|forward|ahead|running|basis)\b", re.IGNORECASE)
_AGED = ("year-old", "month-old", "week-old", "day-old")  # "a 3-year-old": an age, is_age's job


def _classify_plain(s: str, start: int, end: int, pos: int, value: float,
                    scale: str | None, wordy: bool) -> _Draft | None:
    """A number with no unit glued to it: a year, a count of some noun, or a bare number."""
    raw = s[start:end]
    year_shaped = not wordy and scale is None and _YEAR_SHAPE_RE.fullmatch(raw) is not None
    if year_shaped and _looks_like_year(s, start, end):
        return _Draft(start, end, value, "year")
    if not wordy and _is_short_year(s, start, end):
        return _Draft(start, end, value, "year")  # "in '09 and '10", "the 09/10 financial year"
    if not wordy and _DURATION_COMPOUND_RE.match(s, end):
        # "a 60-day review", "a 10-year plan": how long the noun after it lasts; but "the 12-month
        # change", "a 30-year low" name a measure over a span, and the span is no figure.
        spaced = f"{s[:end]} {s[end + 1:]}"  # read "60 day review", the same length
        unit_start, unit_end, unit, n_words = _unit_phrase(spaced, end, len(s))
        participle = _WORD_TOKEN_RE.match(spaced, unit_end) if n_words == 1 else None
        if participle and (participle.group("w") or "").lower() in _VERB_FORMS:
            # "a 16-week paid training scheme": a participle after the span describes the noun
            _, noun_end, _, noun_words = _unit_phrase(spaced, participle.end(), len(s))
            if noun_words:
                unit_end, n_words = noun_end, n_words + 1 + noun_words
                unit = re.sub(r"\s+", " ", spaced[unit_start:unit_end])
        if n_words < 2 or unit.lower().startswith(_AGED) or _SPAN_MEASURE_RE.search(unit.split(maxsplit=1)[-1]):
            return None
        return _Draft(start, end, value, "count", unit, scale, tail=unit_end, unit_start=unit_start,
                      unit_words=n_words)
    unit_start, unit_end, unit, n_words = _unit_phrase(s, pos, len(s))
    if not unit and (inner := _COUNTED_FIGURE_RE.match(s, pos)):
        # "two 50 basis point fee cuts": the number counts what the next one is a figure of
        inner_start, inner_end, inner_unit, inner_words = _unit_phrase(s, inner.end(), len(s))
        if inner_unit:
            unit_start, unit_end, n_words = inner.start(1), inner_end, inner_words + 1
            unit = re.sub(r"\s+", " ", s[unit_start:unit_end])
    if wordy and (not unit or value in (0, 1)) and scale is None:
        # "one" and "zero" are mostly pronouns/determiners in prose ("one of the ...");
        # other number words only count something when a noun follows.
        return None
    if not wordy and _RANK_BEFORE_RE.search(s, _back(start), start):
        return _Draft(start, end, value, "ordinal")  # "the world's top 10 ports" is a rank
    kind = "count" if unit else "number"
    return _Draft(start, pos, value, kind, unit, scale, tail=unit_end if unit else pos,
                  unit_start=unit_start, unit_words=n_words, year_like=year_shaped)


# A number right after a count, itself followed by its noun: the "50" of "two 50 basis point fee cuts".
_COUNTED_FIGURE_RE = re.compile(r"\s+([0-9]+(?:\.[0-9]+)?)(?=\s+[A-Za-z])")


def _looks_like_year(s: str, start: int, end: int) -> bool:
    """A 19xx/20xx number is a year unless it counts a noun after a non-date word."""
    if _MONTH_BEFORE_RE.search(s, _back(start), start) or _DAY_BEFORE_YEAR_RE.search(s, _back(start), start):
        return True
    previous = re.search(r"([A-Za-z-]+)\W*$", s[:start])
    prev_word = previous.group(1).lower() if previous else ""
    nxt = _WORD_TOKEN_RE.match(s, end)
    next_word = nxt.group("w") if nxt and nxt.group("w") else ""
    counts_a_noun = (
        next_word[:1].islower()
        and next_word not in _NP_STOP
        and next_word not in _VERB_FORMS
        and next_word not in _YEAR_NOUNS
    )
    if counts_a_noun and _POSSESSIVE_BEFORE_RE.search(s, _back(start), start) and not next_word.endswith("s"):
        return True  # "the Board's 2031 budget": a possessive's year, not 2031 budgets
    return not (counts_a_noun and prev_word not in _YEAR_PREPOSITIONS)


_POSSESSIVE_BEFORE_RE = re.compile(r"(?:\w['’]s|s['’]|\b(?:its|their|our|his|her|my|your))\s+$", re.IGNORECASE)


# ---------------------------------------------------------------------------
# Noun phrases
# ---------------------------------------------------------------------------


def _is_adverb(word: str) -> bool:
    return word.endswith("ly") and len(word) > 4 and word not in _LY_NOUNS


def _unit_phrase(s: str, pos: int, limit: int) -> tuple[int, int, str, int]:
    """The count noun after a number: (start, end, text, number of words).

    Up to ~6 words, stopping at punctuation, prepositions, verbs and relative words, and at
    "and" that starts a new figure or phrase. A parenthesis right after a word stays
    ("units (sets)").
    """
    words: list[tuple[int, int, str]] = []
    i = pos
    while len(words) < _MAX_UNIT_WORDS:
        m = _WORD_TOKEN_RE.match(s, i)
        if not m or m.end() > limit:
            break
        if m.group("p"):
            if not words:
                break  # a parenthesis only qualifies a noun already read: "units (sets)"
            words.append((m.end() - len(m.group("p").lstrip()), m.end(), ""))
            i = m.end()
            continue
        word = m.group("w")
        if _stops_unit(s, m, word.lower(), words):
            break
        words.append((m.start("w"), m.end("w"), word.lower()))
        i = m.end()
    while words and words[-1][2] in ("and", "or"):
        words.pop()
    if not words:
        return pos, pos, "", 0
    start, end = words[0][0], words[-1][1]
    n_words = sum(1 for w in words if w[2])
    return start, end, re.sub(r"\s+", " ", s[start:end]), n_words


def _stops_unit(s: str, m: re.Match[str], word: str,
                words: list[tuple[int, int, str]]) -> bool:
    """Whether `word` ends the noun phrase being read after a number."""
    if word in _NP_STOP or _is_adverb(word) or _words_value(word) is not None:
        return True
    if words and (word in _VERB_FORMS or word in _IRREGULAR_VERBS):
        return True
    if word == "and":
        after = m.end()
        return bool(_NUMBER_AHEAD_RE.match(s, after) or _AND_NEW_PHRASE_RE.match(s, after)
                    or _next_word(s, after) in _NP_STOP)
    # "stations established", "towns connected": a participle after a plural noun.
    previous = next((w for w in reversed(words) if w[2]), None)
    return bool(previous and word.endswith("ed") and previous[2].endswith("s"))


def _next_word(s: str, pos: int) -> str:
    m = _WORD_TOKEN_RE.match(s, pos)
    return m.group("w").lower() if m and m.group("w") else ""


def _count_subject(s: str, d: _Draft, limit: int) -> str:
    """A count's noun plus its complement: "units (sets) of farm machinery".

    A one-word noun ("cities") says little on its own, so the rest of its clause is kept.
    """
    extended = d.unit_words == 1
    end = _complement_end(s, d.tail, limit, d.unit_words, extended)
    return _normalise(s[d.unit_start:end])


def _of_complement(s: str, pos: int, limit: int) -> str:
    """The "of ..." clause after a figure: "90 percent of administrative villages are ..."."""
    m = _WORD_TOKEN_RE.match(s, pos)
    if not m or (m.group("w") or "").lower() != "of":
        return ""
    end = _complement_end(s, m.end(), limit, 0, extended=True)
    return _normalise(s[m.end():end]) if end > m.end() else ""


def _in_complement(s: str, d: _Draft, limit: int) -> str:
    """What a sum is "in", when nothing before it says: "over $31 billion in grants"."""
    m = _WORD_TOKEN_RE.match(s, d.tail)
    if d.kind != "money" or not m or (m.group("w") or "").lower() != "in":
        return ""
    word = _next_word(s, m.end())
    if not word or word in _NP_STOP or word in _TIME_WORDS or not word[0].isalpha():
        return ""  # "$5 billion in 2020", "in the first quarter": a time, not a thing
    return _modified_noun(s, m.end(), limit)


def _main_clause_subject(s: str, at: int) -> str:
    """For a figure in a sentence's opening phrase ("After falling from 15% to 10% in 2005,
    harbour fees will remain ..."), the noun phrase that opens the main clause: "harbour fees".
    Empty unless the sentence opens with a preposition or an -ing word and no comma comes
    between its start and the figure."""
    opening = s[:at]
    first = (opening.split() or [""])[0].lower()
    if "," in opening or not (first in _PREPOSITIONS or (first.endswith("ing") and len(first) > 4)):
        return ""
    comma = s.find(",", at)
    if comma < 0:
        return ""
    words = []
    for word in s[comma + 1:].split():
        bare = word.lower().strip(",.;:")
        if bare in _AUXILIARIES or bare in _VERB_FORMS or not bare:
            break
        words.append(word.strip(",.;:"))
        if word.endswith((",", ".", ";", ":")):
            break
    return " ".join(words) if len(words) <= 12 else ""


def _following_predicate(s: str, pos: int, limit: int) -> str:
    """The verb phrase right after a figure ("34 percent have received their second dose"):
    "received their second dose". Empty unless an auxiliary or a verb follows the figure."""
    m = _WORD_TOKEN_RE.match(s, pos)
    word = (m.group("w") or "").lower() if m else ""
    if not word or not (word in _AUXILIARIES or word in _VERB_FORMS):
        return ""
    end = _complement_end(s, pos, limit, 0, extended=True)
    words = _normalise(s[pos:end]).split()
    while words and (words[0].lower() in _AUXILIARIES or _is_adverb(words[0].lower())):
        words.pop(0)  # "have", "have already": the verb is what says what was measured
    return " ".join(words)


def _complement_end(s: str, pos: int, limit: int, n_words: int, extended: bool) -> int:
    """End of the words after `pos` that still describe what was counted.

    Normally only prepositional complements ("of industrial equipment", "for smart
    manufacturing"); `extended` also keeps verbs ("are connected to ..."), up to the end of
    the clause.
    """
    i = end = pos
    while n_words < _MAX_SUBJECT_WORDS:
        m = _WORD_TOKEN_RE.match(s, i)
        if not m or m.end() > limit:
            break
        if m.group("p"):
            i = end = m.end()
            continue
        word = m.group("w").lower()
        if i == pos and not extended and word not in _COMPLEMENT_PREPOSITIONS:
            break
        if _ends_complement(s, m, word, extended):
            break
        i, n_words = m.end(), n_words + 1
        if word not in _PREPOSITIONS and word not in _DETERMINERS and word != "and":
            end = m.end()  # never end on a dangling "of the"
    return end


def _ends_complement(s: str, m: re.Match[str], word: str, extended: bool) -> bool:
    if word in _CONNECTIVES or word == "that":
        return True
    if word == "and" and (_NUMBER_AHEAD_RE.match(s, m.end()) or not extended):
        return True
    if extended:
        return False
    return (word in _AUXILIARIES or word in _VERB_FORMS or _is_adverb(word)
            or word in _TIME_AND_DEGREE)


# ---------------------------------------------------------------------------
# Change, roles, periods
# ---------------------------------------------------------------------------


def _is_change(s: str, d: _Draft) -> bool:
    """Whether the figure states a change ("increased by 48%", "up 7 percentage points")."""
    if d.kind in ("percentage_points", "multiple"):
        return True
    before_at = d.left
    if _CHANGE_BEFORE_RE.search(s, _back(before_at), before_at):
        return True
    if by := _BY_BEFORE_RE.search(s, _back(before_at), before_at):
        verb = (by.group("verb") or "").strip().lower()
        # "supported by 300 companies" is no change; "increased by 48%" is.
        if d.kind != "count" or verb in _VERB_FORMS:
            return True
    return d.kind != "count" and bool(_CHANGE_AFTER_RE.match(s, d.end))


# What may stand between coordinated figures of one change: a short time or place phrase
# ("in January"), then "and" or a comma: "grew 5.1 percent in January and 3.2 percent in February".
_CHANGE_CARRIED_RE = re.compile(r"(?:\s+(?:(?:in|on|for|during|over|at|by|from)\s+[^,;.]{1,40}?|"
                                r"(?:this|next|last)\s+(?:year|quarter|month|week)))?"
                                r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)", re.IGNORECASE)
_SHARE_AHEAD_RE = re.compile(r"\s+of\b", re.IGNORECASE)


def _carry_change(s: str, stats: list[_Draft]) -> None:
    """A figure coordinated with a change of its kind is a change too: in "exports and imports
    grew 5.1 percent and 3.2 percent", the verb before the first says what both are."""
    for before, d in zip(stats, stats[1:]):
        same_kind = before.kind == d.kind and (d.kind != "count" or before.unit == d.unit)
        if (before.change and not d.change and same_kind and _CHANGE_CARRIED_RE.fullmatch(s, before.tail, d.left)
                and not _SHARE_AHEAD_RE.match(s, d.tail)):  # "and 40% of firms": a share, not a change
            d.change = True


def _assign_roles(s: str, stats: list[_Draft]) -> None:
    """Mark the two ends of "from X to Y" (and of "raise the X rate to Y")."""
    for a, b in zip(stats, stats[1:]):
        if a.role is not None:
            continue
        if ((_FROM_BEFORE_RE.search(s, _back(a.left), a.left) and _TO_BETWEEN_RE.fullmatch(s, a.tail, b.left))
                or (_MOVE_BEFORE_RE.search(s, _back(a.left), a.left) and a.kind == b.kind
                    and _MOVED_TO_RE.fullmatch(s, a.tail, b.left))):
            a.role, b.role = "from", "to"


def _choose_period(periods: list[_Period], d: _Draft) -> str | None:
    """The time phrase that applies to the figure.

    A change prefers the baseline after it ("up 7 points over 2012"); otherwise the closest
    preceding phrase (a level before a baseline), then the first following one.
    """
    before = [p for p in periods if p.end <= d.left]
    after = [p for p in periods if p.start >= d.end]
    if d.change:
        baselines_after = [p for p in after if p.baseline]
        if baselines_after:
            return baselines_after[0].text
    levels_before = [p for p in before if not p.baseline]
    if levels_before:
        return levels_before[-1].text
    if before:
        return before[-1].text
    levels_after = [p for p in after if not p.baseline]
    if levels_after:
        return levels_after[0].text
    return None


# ---------------------------------------------------------------------------
# Subjects
# ---------------------------------------------------------------------------


def _assign_subjects(s: str, stats: list[_Draft]) -> None:
    """Fill `subject` for every statistic of the sentence."""
    boundary = 0
    shares: list[tuple[_Draft, int]] = []  # shares of a group ("61 percent of farmers"), with its end
    for i, d in enumerate(stats):
        limit = next((x.left for x in stats[i + 1:] if x.kind != "count"), len(s))
        if d.role == "to" and i > 0:
            d.subject = stats[i - 1].subject
        elif d.kind == "count" and d.unit and d.role is None:
            d.subject = _count_subject(s, d, limit)
            # "vessels of 10,000 tonnes" sizes a noun; "the area reached 38 hectares" measures the
            # area, and "cut harbour emissions by 12 million tonnes of CO2" the emissions.
            before = s[boundary : d.left]
            sizes_a_noun = re.search(r"\bof\s*$", before, re.IGNORECASE)
            changes_by = re.search(r"\bby\s+" + _INCREMENT + "$", before.rstrip() + " ", re.IGNORECASE)
            if (set(d.unit.lower().split()) <= _MEASURE_UNITS and not sizes_a_noun
                    and (d.subject.lower() == d.unit.lower() or changes_by)):
                d.subject = _left_subject(s, boundary, d.left) or d.subject
            elif d.unit.lower() in _TIME_UNITS and (lasted := _FOR_BEFORE_RE.search(before)):
                # "held the rate near zero for seven years to help": how long the clause before lasted
                d.subject = _left_subject(s, boundary, boundary + lasted.start()) or d.subject
            elif (sizes_a_noun and d.subject.lower() == d.unit.lower()
                  and (sized := _left_subject(s, boundary, boundary + sizes_a_noun.start()).split()[-1:])):
                # "adding capacity of 2 million TEUs", "vessels of 10,000 tonnes": the noun sized
                d.subject = f"{sized[0]} {d.subject}"
            elif _LINKED_BEFORE_RE.search(before) and (measured := _left_subject(s, boundary, d.left)):
                # "throughput was 1.7 million TEUs": TEUs are what is counted, throughput what
                # is measured; both say what the figure is.
                d.subject = f"{measured} {d.subject}"
        elif d.kind == "percent" and d.role is None and _opens_clause(s[boundary:d.left], bool(shares)) \
                and (share := _of_complement(s, d.tail, limit)):
            # "found that 61 percent of farmers backed the plan": the share is of the farmers
            # who did, not of the survey; the next figure's clause starts after them.
            d.subject = share
            boundary = _group_end(s, d.tail, limit)
            shares.append((d, boundary))
            continue
        else:
            # A from/to count ("dropped from 52 hours to 9 hours") measures the clause's
            # subject, not its noun.
            d.subject = _left_subject(s, boundary, d.left)
            if d.role != "to" and d.kind in _MODIFIER_KINDS and (noun := _modified_noun(s, d.tail, limit)):
                # "the current 3 to 3½ percent target band for the lending rate": the
                # figure modifies the noun after it, which is what it measures.
                d.subject = noun if len(noun.split()) > 1 or not d.subject else f"{d.subject} {noun}"
            if d.kind == "number" and _NUMBER_OF_RE.match(d.subject):
                d.kind = "count"  # "The number of registered firms exceeded 9,000"
        boundary = d.tail
    _share_the_predicate(s, shares)
    for i, (before, d) in enumerate(zip(stats, stats[1:])):
        if d.role is None and (change := _APPOSITIVE_CHANGE_RE.fullmatch(s, before.tail, d.left)):
            # "the port handled 17.9 million TEUs, an increase of 3.2 percent": the increase is
            # of what the clause before it measured.
            clause = _left_subject(s, stats[i - 1].tail if i else 0, before.left)
            d.subject = " ".join(filter(None, (clause, before.subject, change.group("noun"))))
        elif d.role is None and _EARLIER_LEVEL_RE.fullmatch(s, before.tail, d.left):
            # "fares averaged $3.10, down from an average of $3.40 last year": the same measure earlier
            d.subject = before.subject
        elif (d.role is None and before.change and before.subject
              and _LEVEL_REACHED_RE.fullmatch(s, before.tail, d.left)):
            # "average daily cases declined 25 percent to about 64,000 cases per day": the level
            # the same measure reached, not a count of its own
            d.subject = before.subject
    _pair_respectively(s, stats)
    _share_trailing_complement(s, stats)
    _name_shares(s, stats)
    previous = ""
    for i, d in enumerate(stats):
        if not d.subject or _says_only_when(d.subject):
            # "increased by 5% and 6%": the second shares the first's subject, as does the
            # later figure of "2.7 percent this year, 2.4 percent next year"; with nothing
            # before it, "nearly 90 percent of villages ..." measures what follows "of".
            # With nothing before it nor an "of", "only 34 percent have received a second
            # dose" measures the predicate that follows.
            limit = stats[i + 1].left if i + 1 < len(stats) else len(s)
            predicate = _following_predicate(s, d.tail, limit)
            if previous and predicate and not d.unit:
                # "310 routes, of which 42 had double-digit rises": a part of the earlier
                # figure's whole, told apart from it by what follows.
                d.subject = f"{previous} {predicate}"
            else:
                d.subject = (previous or _of_complement(s, d.tail, limit) or _in_complement(s, d, limit)
                             or _main_clause_subject(s, d.left) or predicate)
        previous = d.subject
    for i, d in enumerate(stats):
        if d.kind == "money" and d.role is None:
            limit = stats[i + 1].left if i + 1 < len(stats) else len(s)
            if not (purpose := _purpose(s, d.tail, limit)):
                continue
            if _weak_subject(d.subject):
                # "To help the market, we will buy": the spender is the clause after the comma
                spender = d.subject.rsplit(",", 1)[-1].strip()
                d.subject = f"{spender} {purpose}".strip()
            elif not set(purpose.lower().split()[1:]) <= set(d.subject.lower().split()):
                # "the Board is providing nearly $450 million in additional dredging works":
                # what the sum is for says what it measures as much as who gives it
                d.subject = f"{d.subject} {purpose}"


# What a sum goes to, after it: "$12 million in new berths", "$4 million on cranes", "$3
# million for harbour pilots", "$9 million to fund a ferry route"; or what it buys: "$40 million
# of harbour bonds", "$2 million worth of cranes".
_PURPOSE_RE = re.compile(r"\s*,?\s*(?P<prep>in|on|for|into|towards?|to\s+(?:fund|support|pay\s+for|build|help)|"
                         r"(?:worth\s+)?of)(?=\s)",
                         re.IGNORECASE)


# "The port will spend": a subject ending in a verb of spending names the spender, not the use.
_SPENDING_VERB_RE = re.compile(r"\b(?:spend|spends|spent|spending|invest|invests|invested|investing|provide|provides|"
                               r"provided|providing|allocate|allocates|allocated|commit|commits|committed|pledge|"
                               r"pledged|devote|devoted|earmark|earmarked|put|puts|putting|set aside|target|targets|"
                               r"targeting|give|gives|gave|given|buy|buys|bought|buying|purchase|purchases|purchased|purchasing|"
                               r"sell|sells|sold|selling|issue|issues|issued|issuing)$", re.IGNORECASE)


def _weak_subject(subject: str) -> bool:
    """Whether a sum's subject says who spends it, not on what: none, a short clause opened by a
    pronoun ("Second, we will invest", "you're looking"), or one ending in a spending verb."""
    subject = subject.strip()
    clause = re.sub(r"^\w+,\s+", "", subject)  # "Second, we will invest": the clause after the opener
    first = re.split(r"['’\s]", clause.lower(), maxsplit=1)[0]
    pronoun_led = first in _PRONOUNS | {"i", "you"} and len(clause) <= 40 and "," not in clause
    return not subject or pronoun_led or bool(_SPENDING_VERB_RE.search(subject))


def _purpose(s: str, pos: int, limit: int) -> str:
    """What a sum is spent on, said after it ("in new manufacturing capacity"), else ""."""
    m = _PURPOSE_RE.match(s, pos)
    if not m or m.end() >= limit:
        return ""
    word = _next_word(s, m.end())
    if not word or word in _TIME_WORDS or not word[0].isalpha():
        return ""  # "$5 billion in 2020", "in the first quarter": a time, not a thing
    noun = _modified_noun(s, m.end(), limit)
    return f"{' '.join(m.group('prep').split())} {noun}" if noun else ""


# Kinds of figure that can modify a noun ("a 12 percent harbour levy", "a $9 billion works plan");
# a count's noun is its unit already.
_MODIFIER_KINDS = frozenset({"percent", "money", "percentage_points"})
# Words after a figure that start no noun phrase it modifies ("5 percent above", "up", "overall").
_NOT_MODIFIED = frozenset("above below up down off ahead behind overall apiece each".split())


# What a clause may open with before a figure that is its subject: nothing, "that", a
# conjunction ("found that 61 percent of farmers and 54 percent of fishers backed it").
_OPENS_CLAUSE_RE = re.compile(r"(?:^|\b(?:that|and|or|but|while|whereas|with)|[;:])$", re.IGNORECASE)


def _opens_clause(before: str, listed: bool) -> bool:
    """Whether a figure after `before` (the words since the previous figure) opens a clause. A
    comma does only in a list of shares ("61 percent of farmers, 54 percent of fishers"); after
    "prices will be modest, 0.7 percent of CPI" the figure is said of the clause before."""
    before = before.strip()
    return not before or bool(_OPENS_CLAUSE_RE.search(before)) or (listed and before.endswith(","))


def _group_end(s: str, pos: int, limit: int) -> int:
    """Where the group named after a share ends: after "tall adults" of "73 percent of tall
    adults, 72 percent ..." or of "70 percent of tall adults had gotten": at a comma, a verb or
    the next figure."""
    start = end = i = _WORD_TOKEN_RE.match(s, pos).end()  # after "of"
    while (m := _WORD_TOKEN_RE.match(s, i)) and m.end() <= limit:
        word = (m.group("w") or "").lower()
        past_tense = word.endswith("ed") and len(word) > 4 and end > start  # "loggers backed"
        if word in _AUXILIARIES or word in _VERB_FORMS or word in _CONNECTIVES or word == "and" or past_tense:
            break
        i = end = m.end()
    return end


def _share_the_predicate(s: str, shares: list[tuple[_Draft, int]]) -> None:
    """Listed shares share the verb said after the last: in "61 percent of farmers, 54 percent of
    fishers and 40 percent of loggers backed the plan", each group backed it."""
    runs: list[list[tuple[_Draft, int]]] = []
    for d, end in shares:
        if runs and _COORDINATION_RE.fullmatch(s, runs[-1][-1][1], d.left):
            runs[-1].append((d, end))
        else:
            runs.append([(d, end)])
    for run in runs:
        last, end = run[-1]
        group = _normalise(s[_WORD_TOKEN_RE.match(s, last.tail).end():end])
        predicate = last.subject[len(group):].strip() if last.subject.startswith(group) else ""
        for d, _ in run[:-1]:
            if predicate:
                d.subject = f"{d.subject} {predicate}"


def _modified_noun(s: str, pos: int, limit: int) -> str:
    """The noun phrase a figure modifies, with its complement: "reduction in hospital stays"
    of "a 72 percent reduction in hospital stays". Empty when no noun follows the figure."""
    word = _next_word(s, pos)
    if (not word or word in _NP_STOP or word in _NOT_MODIFIED or word in _VERB_FORMS
            or word in _TIME_WORDS or _is_adverb(word) or word == "and"):
        return ""
    start, end, text, n_words = _unit_phrase(s, pos, limit)
    if not text:
        return ""
    words = _normalise(s[start:_complement_end(s, end, limit, n_words, extended=False)]).split()
    while len(words) > 1 and words[-1].lower() in _TIME_WORDS:
        words.pop()  # "a $9 billion plan yesterday": the time is not what is measured
    return " ".join(words)


def _share_trailing_complement(s: str, stats: list[_Draft]) -> None:
    """Coordinated counts share the complement after the last one: in "12 new ports
    and more than 30 airports in the western region", both are in the western region."""
    for a, b in zip(stats, stats[1:]):
        if a.kind != "count" or b.kind != "count" or not a.unit or not b.unit:
            continue
        coordinated = re.fullmatch(r"\s*,?\s*and\s+", s[a.tail:b.left], re.IGNORECASE)
        complement = b.subject[len(b.unit):] if b.subject.startswith(b.unit) else ""
        if coordinated and a.subject == a.unit and complement.strip():
            a.subject = a.subject + complement


def _left_subject(s: str, start: int, end: int) -> str:
    """What a figure measures, read from the clause before it.

    The clause runs back to the previous figure, a semicolon or the sentence start. Of its
    comma-separated pieces the last one that still says something is taken, skipping
    relative clauses ("..., which are fundamental, ..."); then time phrases, connectives and
    the reporting verb ("reached", "was lessened by") are dropped.
    """
    segment = re.split(r"[;:]", s[start:end])[-1]
    pieces = segment.split(",")
    chosen = ""
    opens_phrase = False
    in_relative = False
    extends = False  # whether the previous piece gave `chosen`
    for i, piece in enumerate(pieces):
        raw = piece.strip()
        is_last = i == len(pieces) - 1
        if not is_last and (in_relative or _RELATIVE_START_RE.match(raw)):
            in_relative, extends = True, False
            continue
        if raw.lower() in _ASIDES:
            continue  # "an improvement in income, on average, of $500": the aside measures nothing
        cleaned = _strip_verbs(_strip_leading(raw))
        if cleaned and chosen and _APPOSITIVE_RE.match(raw):
            chosen = f"{chosen}, {cleaned}"  # "the harbour scheme, known as HPS": one name
        elif cleaned and extends and _LIST_CONTINUATION_RE.match(raw) and not opens_phrase:
            chosen = f"{chosen}, {cleaned}"  # "by railway, waterway or conveyor": one list
        elif cleaned and opens_phrase and chosen and cleaned.split()[0].lower() in _PRONOUNS:
            # "For a pensioner couple, they will receive $226": the pronoun's referent is in the
            # opening phrase, which is what the figure is for.
            chosen = f"{chosen}, {cleaned}"
        elif cleaned:
            chosen = cleaned
        extends = bool(cleaned)
        # "leaving out seasonal routes, core fares rose": a piece opened by a preposition or a
        # participle introduces the clause; the next piece is its subject, not more of a list.
        first = raw.split()[0].lower() if raw else ""
        opens_phrase = first in _PREPOSITIONS or (first.endswith("ing") and len(first) > 4)
    chosen = _last_clause(chosen)
    if re.search(r"\bby\s+" + _INCREMENT + "$", segment.rstrip() + " ", re.IGNORECASE):
        chosen = _object_of_verb(chosen)  # "... that reduces the risk of X by 90%": the risk of X
    return chosen if re.search(r"[A-Za-z]", chosen) else ""


_TIME_UNITS = frozenset("years months weeks days hours minutes decades year month week day hour".split())
# "for seven years", "for a period of 12 years", "for periods up to 45 days", "for a term of 30 days"
_FOR_BEFORE_RE = re.compile(r"\bfor\s+(?:(?:a|the)\s+)?(?:(?:period|periods|term|terms)\s+(?:of\s+)?)?"
                            r"(?:(?:about|nearly|almost|some|over|more\s+than|at\s+least|up\s+to)\s+)?$",
                            re.IGNORECASE)
_PRONOUNS = frozenset("they it we he she this these those that there".split())
# Between two figures: the second is the first's measure at an earlier time ("down from ... of").
# "..., revised up from the 0.8 per cent expected in March": the same measure's earlier level
_EARLIER_LEVEL_RE = re.compile(r"[^;:]{0,12}\b(?:(?:revised|marked|adjusted)\s+)?(?:down|up)\s+from\b[^,;:]{0,40}$",
                               re.IGNORECASE)
# ", accounting for 48.3% of all freight", ", making up 15 percent of exports": a share of a
# whole, set after the clause by a comma ("those related to X accounting for 70%" say whose share).
_SHARE_VERB_RE = re.compile(r",\s*(?:account(?:s|ed|ing)?\s+for|mak(?:e|es|ing)\s+up|made\s+up|represent(?:s|ed|ing)?|"
                            r"compris(?:e|es|ed|ing)|constitut(?:e|es|ed|ing))\s+$", re.IGNORECASE)


def _name_shares(s: str, stats: list[_Draft]) -> None:
    """A percent said as a share after another figure ("X grew 0.7%, accounting for 48.3% of all
    freight") measures X's share of the whole after "of", not the clause between: "Ferry freight
    share of all freight"."""
    for i, d in enumerate(stats):
        if i == 0 or d.kind != "percent" or d.role is not None or not _SHARE_VERB_RE.search(s, 0, d.left):
            continue  # a share opening its sentence ("Services accounted for 54.6% of GDP") has its subject
        whole = _of_complement(s, d.tail, stats[i + 1].left if i + 1 < len(stats) else len(s))
        if stats[0].kind == "count":  # "The east terminal handled 3 million TEUs, representing ..."
            owner = " ".join(filter(None, (_left_subject(s, 0, stats[0].left), stats[0].subject)))
        else:
            owner = stats[0].subject
        if owner and whole:
            d.subject, d.change = f"{owner} share of {whole}", False  # a share, not a change


# Between a figure and a change set after it by a comma: "17.9 million TEUs, an increase of 3.2 percent".
_APPOSITIVE_CHANGE_RE = re.compile(rf"\s*,\s*(?:an?\s+|the\s+)?(?:year[\s-]on[\s-]year\s+|annual\s+)?"
                                   rf"(?P<noun>{CHANGE_NOUNS})\s+of\s+", re.IGNORECASE)
# A linking verb right before a count: "throughput was 1.7 million TEUs", "visitors reached 3 million people".
_LINKED_BEFORE_RE = re.compile(r"\b(?:was|were|is|are|reached|totall?ed|hit|stood\s+at|came\s+to|amounted\s+to|"
                               r"exceed(?:ed|s)?|surpass(?:ed|es)?|topp(?:ed)?|tops?)\s*$",
                               re.IGNORECASE)
# Between a change and the next figure: the level it reached ("rose 12 percent to 3,000 ships").
_LEVEL_REACHED_RE = re.compile(r"\s*,?\s*to\s+", re.IGNORECASE)
# A comma-set piece that names the thing before it: "the harbour scheme, known as HPS".
_APPOSITIVE_RE = re.compile(r"(?:known\s+as|called|dubbed|also\s+known\s+as)\b", re.IGNORECASE)
# Comma-set asides of speech that say nothing about what a figure measures.
_ASIDES = frozenset({
    "on average", "in total", "in all", "overall", "in fact", "for example", "for instance",
    "of course", "in turn", "in other words", "basically", "essentially", "if you will",
    "i think", "you know", "i guess", "i would say", "let's say", "say",
})


# Subordinating conjunctions that open a clause with its own subject ("... to support the
# economy when unemployment was 14 percent": the figure is unemployment's).
_SUBORDINATE_RE = re.compile(
    r"\b(?:when|while|whereas|because|although|though|if|where|once|unless)\s+", re.IGNORECASE
)
# Words that carry no "what": time words and fillers ("this year", "next year and", "only").
_TIME_WORDS = frozenset(
    "year years month months quarter quarters week weeks day days decade decades end beginning "
    "start middle half today tomorrow yesterday time period here that's it's there's".split()
) | frozenset(m.lower() for m in _MONTHS.split("|"))


def _says_only_when(subject: str) -> bool:
    """Whether a subject holds only time words and fillers ("this year", "at the end of
    next year", "only"): it names no measured thing."""
    words = [w.strip(",.;:—–-()'’").lower() for w in subject.split()]
    return all(not w or w in _NP_STOP or w in _TIME_WORDS or w == "and" or w.isdigit() for w in words)


def _last_clause(text: str) -> str:
    """The subject of the last subordinate clause, when one opens with a noun phrase.

    A conjunction followed by an auxiliary or a pronoun ("when we", "if it is") keeps the
    whole text: what follows is no noun phrase of its own."""
    for m in reversed(list(_SUBORDINATE_RE.finditer(text))):
        rest = text[m.end():].strip()
        first = rest.split()[0].lower() if rest else ""
        if first and first not in _NP_STOP and first not in _VERB_FORMS and not _says_only_when(rest):
            return _strip_verbs(rest)
    return text


def _object_of_verb(text: str) -> str:
    """What a change verb acts on: "an antiviral that reduces the risk of X" -> "the risk of X".

    Only for "<verb> <object> by N", where the figure measures the object's change."""
    words = text.split()
    for i in range(len(words) - 2, -1, -1):
        word = words[i].lower()
        # A bare base form is a verb only after a modal, where any word is ("will extend the
        # scheme by ..."), or after "to" when it is a known verb ("to reduce"): elsewhere "total"
        # may be an adjective ("total emissions"), and in "exports to ports rose by 5%" the
        # exports are what changed.
        before = words[i - 1].lower() if i > 0 else ""
        infinitive = ((before in _MODALS and word.isalpha() and word not in _NP_STOP)
                      or (before == "to" and word in _VERB_BASES))
        if words[i + 1].lower() == "as":
            continue  # "known as HPS", "described as": a name of the object, not a verb acting on it
        if (word in _VERB_FORMS or infinitive
                or (word.endswith("s") and (word[:-1] in _VERB_BASES or word[:-2] in _VERB_BASES))):
            return " ".join(words[i + 1:])
    return text


_MODALS = frozenset("will would could can may might should must shall".split())


def _strip_leading(text: str) -> str:
    """Drop a leading time phrase and connectives ("By the end of 2021", "and", "that of")."""
    while True:
        before = text
        if (m := _PERIOD_RE.match(text)) and m.start() == 0:
            text = text[m.end():].lstrip(" ,")
        text = _LEADING_CONNECTOR_RE.sub("", text, count=1).strip()
        if text == before:
            return text


# How a figure compared with forecasts says nothing of what it measures.
_AGAINST_EXPECTATIONS_RE = re.compile(
    r"\s+(?:above|below|in\s+line\s+with|ahead\s+of|short\s+of|under|over)\s+(?:market\s+|the\s+)?"
    r"(?:expectations|forecasts?|estimates|consensus)\s*$", re.IGNORECASE)


def _strip_verbs(text: str) -> str:
    """Drop the words between a subject and its figure: "was lessened by", "accounting for",
    "came in above expectations at"."""
    words = text.split()
    while words:
        word = words[-1].lower().strip(",")
        previous = words[-2].lower() if len(words) > 1 else ""
        if (word in _PREPOSITIONS or word in _AUXILIARIES or word in _VERB_FORMS
                or word in ("a", "an", "the", "up", "down", "respectively", "further", "additional",
                            "extra", "another")
                or _is_adverb(word)
                or (word in _VERB_BASES and previous in _AUXILIARIES | {"to"})
                or (word.endswith(("ed", "en")) and previous in _AUXILIARIES)):
            words.pop()
            continue
        if m := _AGAINST_EXPECTATIONS_RE.search(" ".join(words)):
            words = m.string[: m.start()].split()
            continue
        break
    return " ".join(words)


def _pair_respectively(s: str, stats: list[_Draft]) -> None:
    """"A and B reached X and Y, respectively": give X the subject A and Y the subject B."""
    if not re.search(r"\brespectively\b", s, re.IGNORECASE):
        return
    parts: list[str] | None = None
    for group in _coordinated_groups(s, stats):
        subject = group[0].subject
        if group[0].kind == "count":
            # "A and B reached 310 million TEUs and 16.9 billion tonnes, respectively": the
            # counts measure A and B; their nouns stay in `unit`.
            before = [d for d in stats if d.tail <= group[0].left]
            subject = _left_subject(s, before[-1].tail if before else 0, group[0].left)
        if subject and not (parts and len(parts) == len(group) and subject == parts[0]):
            split = _split_coordinated(subject, len(group))
            if split is None:
                # "for A, B, and C, the deaths were 3, 8, and 16, respectively": the items are
                # listed before the measure, which each figure keeps.
                items = _listed_items(s[: group[0].left], len(group))
                if items is None:
                    continue
                items = [_strip_verbs(item) or item for item in items]  # "the UK stood at" -> "the UK"
                # When the clause's subject is only the end of the list itself ("Chile and the
                # UK" of "Norway, Chile and the UK"), each item is its own subject.
                of_list = subject and set(subject.split()) - {"and", "or"} <= set(" ".join(items).split())
                split = [f"{subject} ({item})" if subject and not of_list else item for item in items]
            parts = split
        elif not (parts and len(parts) == len(group)):
            continue
        for d, part in zip(group, parts):
            d.subject = part


def _listed_items(text: str, n: int) -> list[str] | None:
    """The last list of n items "A, B, and C" (or "A, B and C") in `text`, each item cut to
    the words after its last preposition ("the advice for A" -> "A"); None when there is none."""
    pieces = [p.strip() for p in re.split(r"[,;:]", text)]
    for j in range(len(pieces) - 1, 0, -1):
        last = re.split(r"(?:^|\s+)(?:and|or)\s+", pieces[j], maxsplit=1)
        if len(last) != 2:
            continue
        if last[0]:  # "B and C" in one piece
            items = pieces[j - (n - 2): j] + last if n > 2 else last
        else:  # Oxford comma: "and C"
            items = pieces[j - (n - 1): j] + [last[1]]
        if len(items) != n or j - (n - 2 if last[0] else n - 1) < 0 or not all(items):
            return None
        words = items[0].split()
        cut = max((k + 1 for k, w in enumerate(words) if w.lower() in _PREPOSITIONS), default=0)
        items[0] = " ".join(words[cut:])
        return [_strip_leading(i) for i in items] if all(items) else None
    return None


def _coordinated_groups(s: str, stats: list[_Draft]) -> list[list[_Draft]]:
    """Runs of figures of one kind joined only by "and" / commas: "12.5% and 40.2%"."""
    groups: list[list[_Draft]] = []
    for d in stats:
        if d.role:
            continue
        last = groups[-1][-1] if groups else None
        if last is not None and (last.kind == "count") == (d.kind == "count") \
                and _COORDINATION_RE.fullmatch(s, last.tail, d.left) and s[last.tail:d.left].strip():
            groups[-1].append(d)
        else:
            groups.append([d])
    return [g for g in groups if len(g) >= 2]


def _split_coordinated(subject: str, n: int) -> list[str] | None:
    """Split "A and B" into n parts on " and ", preferring "and the ..." boundaries."""
    joins = list(_AND_SPLIT_RE.finditer(subject))
    if len(joins) < n - 1:
        return None
    preferred = [j for j in joins if _DETERMINER_AHEAD_RE.match(subject, j.end())]
    others = [j for j in joins if j not in preferred]
    chosen = sorted((preferred + others)[: n - 1], key=lambda j: j.start())
    parts, start = [], 0
    for j in chosen:
        parts.append(subject[start:j.start()])
        start = j.end()
    parts.append(subject[start:])
    return _distributed([_strip_leading(p) for p in parts])


def _distributed(parts: list[str]) -> list[str]:
    """Each part of a split "A and B" with the words the items share: "the jobless rates for
    men and women" -> "the jobless rates for men", "the jobless rates for women"; "urban and
    rural areas" -> "urban areas", "rural areas"; "exports and imports of goods" -> "exports of
    goods", "imports of goods". A first item that is a plural noun ("cars and mobile phones")
    shares nothing after the last one; nor does an item that opens with a determiner."""
    first, last = parts[0].split(), parts[-1].split()
    if not first or not last or last[0].lower() in _DETERMINERS:
        return parts  # "the rate of A and the share of B": each item says it all
    cut = max((k + 1 for k, w in enumerate(first[:-1]) if w.lower() in _PREPOSITIONS), default=0)
    if cut and last[0].lower() in _PREPOSITIONS:
        cut -= 1  # "trips by rail and by air": each item has its preposition
    prefix, item = first[:cut], first[cut:]
    preposition = next((k for k, w in enumerate(last) if k and w.lower() in _PREPOSITIONS), None)
    if last[0].lower() in _PREPOSITIONS:
        suffix = []
    elif preposition is not None:
        suffix = last[preposition:]
    elif (len(item) == 1 and len(last) > 1 and not item[0].lower().endswith("s")
          and all(w.islower() for w in last[1:])):
        suffix = last[1:]  # "Headline and core inflation": one modifier each, one noun
    else:
        suffix = []
    items = [item] + [p.split() for p in parts[1:-1]] + [last[: len(last) - len(suffix)]]
    return [" ".join(prefix + words + suffix) for words in items]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _interned(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)
