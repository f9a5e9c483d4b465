"""Tokenisation for BM25 and lexical matching: numbers and one-character tokens are kept.

"1,500" and "1500" become one token, "12.5%" and "12.5 percent" give the same tokens, and number
words become digits ("four" -> "4"), so a question matches however it writes a figure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Digits keep their decimal point, thousands commas and a letter suffix ("5G", "18th").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:[^\W\d_]+)?|[^\W\d_]+(?:['’][^\W\d_]+)?|%", re.UNICODE)

STOPWORDS = frozenset(
    """a an the and or but of in on at to for from by with as is are was were be been being
    has have had do does did this that these those it its they them their we our us you your i
    he she his her what which who whom whose when where why how than then there here so such
    can could would should will shall may might must into about over under up down per via
    if not no nor also too very just any all each both more most much many some other s
    tell me please say said does did whats according""".split()
)

_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
}
_WORD_FORMS = {"percent": "percent", "per": "per", "%": "percent", "pct": "percent"}


def normalize_text(text: str) -> str:
    """NFKC (full-width digits, non-breaking spaces) and zero-width characters removed."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\u200b-\u200f\u2060\ufeff]", "", text)


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased, lightly stemmed tokens of `text`."""
    tokens = []
    for raw in _TOKEN.findall(normalize_text(text).lower()):
        token = _normalize_token(raw)
        # Both forms: "does" and "those" stem to "doe" and "thos", which no list holds.
        if keep_stopwords or (raw not in STOPWORDS and token not in STOPWORDS):
            tokens.append(token)
    return tokens


@lru_cache(maxsize=1 << 16)
def token_set(text: str) -> frozenset[str]:
    """The distinct tokens of a text. Cached: the same passages, sentences and figure
    subjects are matched against every question, so each is tokenised once."""
    return frozenset(tokenize(text))


def _normalize_token(token: str) -> str:
    if token[0].isdigit():
        return normalize_number(token)
    token = token.replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]  # "Norway's exports" asks about Norway: the possessive is no new word
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    return _WORD_FORMS.get(token) or stem(token)


def normalize_number(token: str) -> str:
    """'1,500' -> '1500'; '12.50' -> '12.5'; a decimal comma stays a separator."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", token):
        token = token.replace(",", "")
    if "." in token and re.fullmatch(r"\d+\.\d+", token):
        token = token.rstrip("0").rstrip(".")
    return token


def stem(word: str) -> str:
    """A light English stemmer: plurals and a few suffixes, enough for 'factories'/'factory'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    # "increase"/"increased"/"increasing" all end up as "increas".
    return word[:-1] if word.endswith("e") and len(word) > 4 else word
