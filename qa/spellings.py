"""The same question with its numbers spelled two ways, so that the dense vector does not depend
on how a user happened to write them ("four" or "4", "51.3 percent" or "51.3%", "1,500" or
"1500"): both spellings are encoded and their vectors averaged."""

from __future__ import annotations

import re

# Small whole numbers, the ones people write either way ("one" is left alone: "which one").
_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_DIGITS = {word: str(n) for n, word in enumerate(_WORDS, start=2)}
_SPELLED = {digits: word for word, digits in _DIGITS.items()}

_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
# A standalone small integer: not part of a decimal, a larger number, a percentage or a year.
_SMALL_INTEGER = re.compile(r"(?<![\d.,])\b([2-9]|1\d|20)\b(?![.,]\d|\d|\s*%)")
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_PERCENT_WORD = re.compile(r"(\d)\s*(?:percent|per cent)\b", re.IGNORECASE)
_PERCENT_SIGN = re.compile(r"(\d)\s*%")


def spellings(text: str) -> tuple[str, ...]:
    """The question with numbers as digits and signs, and as words (one string when both agree,
    the question itself when it has no number that could be written another way)."""
    plain = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    with_digits = _WORD.sub(lambda m: _DIGITS[m.group(1).lower()], plain)
    with_digits = _PERCENT_SIGN.sub(r"\1%", _PERCENT_WORD.sub(r"\1%", with_digits))
    with_words = _PERCENT_SIGN.sub(r"\1 percent", _SMALL_INTEGER.sub(lambda m: _SPELLED[m.group(1)], with_digits))
    return tuple(dict.fromkeys((with_digits, with_words)))  # one spelling when both agree
