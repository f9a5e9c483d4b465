"""The countries a text names, so that a figure said of one country does not answer for another.

"How many cases had Arcadia reported?" is not answered by "Borduria has reported 74,675 cases":
the sentence names a country, and not the one asked. Country names come from pycountry's ISO
3166 list (a well-kept one, rather than a list of our own): each country's short, common and
official name, "Korea, Republic of" also read as "Republic of Korea". A few short forms press
rooms use for two countries ("U.S.", "UK") are added; they are not in ISO 3166.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Short forms briefings use that ISO 3166 does not list, by the alpha-3 code they stand for.
_SHORT_FORMS = {"U.S.": "USA", "U.S.A.": "USA", "US": "USA", "USA": "USA", "America": "USA", "UK": "GBR",
                "U.K.": "GBR", "Britain": "GBR", "Great Britain": "GBR"}


def _forms(country) -> set[str]:
    """The ways a text may name `country`: "Korea, Republic of" also as "Republic of Korea"."""
    names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
    forms = set()
    for name in filter(None, names):
        forms.add(name)
        if ", " in name:  # "Korea, Republic of" -> "Republic of Korea"
            head, _, tail = name.partition(", ")
            forms.add(f"{tail} {head}")
    return {f for f in forms if "(" not in f}


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, str]]:
    code_of = {form: c.alpha_3 for c in pycountry.countries for form in _forms(c)}
    code_of.update(_SHORT_FORMS)
    alternatives = "|".join(re.escape(f) for f in sorted(code_of, key=len, reverse=True))
    # Capitalised as written (case-sensitive): "US" the country, not "us"; the words around it
    # are not letters, so "Niger" is not found in "Nigeria", nor "US" in "US$34 billion".
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w$])"), code_of


@lru_cache(maxsize=4096)
def countries_in(text: str) -> frozenset[str]:
    """The alpha-3 codes of the countries `text` names."""
    pattern, code_of = _matcher()
    return frozenset(code_of[m.group(0)] for m in pattern.finditer(text))


def of_another_country(question_text: str, sentence: str, around: tuple[str, ...] = ()) -> bool:
    """Whether the figure of `sentence` is said of another country than the one the question
    asks about: the sentence names countries, none of them asked. A sentence that names none is
    of the countries `around` names, nearest first (its paragraph, then the question it answers:
    "How many cases has Chile reported?" -- "As I said, 7,400 cases.")."""
    asked = countries_in(question_text)
    if not asked:
        return False
    said = next((found for text in (sentence, *around) if (found := countries_in(text))), frozenset())
    return bool(said) and not said & asked
