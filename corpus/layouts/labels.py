"""The speaker-label grammar shared by the layouts: what a label looks like, and what it is.

A label names who speaks next: a name ("Lin Meiyu"), a title and name ("MS. VANCE",
"CHAIR MARLOW", "Vice Minister Xin Guobin"), a title alone ("PRIME MINISTER", "SENIOR
ADMINISTRATION OFFICIAL"), an outlet ("CCTV", "Xinhua News Agency"), or a press-room word
("Q", "QUESTION", "JOURNALIST", "A", "MODERATOR"). It is decided by its shape and by the names
the document itself uses, never by a list of particular people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

LabelKind = Literal["name", "question", "answer", "chair"]
QUESTION_DISPLAY = "Reporter"  # every generic press label (Q, QUESTION, JOURNALIST) shows as this

# Press-room words that stand for whoever asks or answers, and bare host titles.
_QUESTION_WORDS = frozenset({"q", "question", "questions", "journalist", "journalists", "reporter", "reporters",
                             "follow-up", "follow up", "followup", "audience", "audience member", "participant",
                             "media", "unidentified reporter", "press", "correspondent", "questioner",
                             "unidentified questioner", "unidentified journalist"})
_ANSWER_WORDS = frozenset({"a", "answer"})
_CHAIR_WORDS = frozenset({"moderator", "host", "chairperson", "chair", "chairman", "chairwoman", "presenter",
                          "mc", "emcee", "operator", "facilitator", "master of ceremonies", "the moderator",
                          "the chair", "the operator", "the host"})
# Header and page words that end in ":" but never name a speaker.
_META_WORDS = frozenset({
    "date", "dates", "speakers", "subjects", "subject", "note", "notes", "source", "sources", "adjust font size",
    "font size", "updated", "update", "time", "venue", "location", "place", "tags", "tag", "keywords", "print",
    "share", "e-mail", "email", "editor", "editors", "editor's note", "related", "photo", "photos", "copyright",
    "attachment", "attachments", "topic", "topics", "published", "posted", "transcript", "url", "link", "links",
    "contact", "category", "download", "language", "title", "page", "pages", "author", "by", "from", "to", "re",
    "present", "participants", "attendees", "embargo", "embargoed", "release", "for immediate release",
    "media contact", "press contact", "agenda", "summary", "background", "update", "read more", "more",
    "follow us", "video", "audio", "transcript of", "news", "home", "menu", "search", "next", "previous",
    "comments", "comment", "address", "add", "tel", "fax", "website", "web", "phone", "when", "where",
})
# Words that open a sentence, so "Finally:" or "First, on supply:" is prose, not a speaker.
_OPENERS = frozenset({
    "first", "second", "third", "fourth", "fifth", "finally", "lastly", "next", "also", "now", "so", "and",
    "but", "well", "today", "yes", "no", "ok", "okay", "look", "example", "here", "there", "this", "that",
    "an", "in", "on", "for", "as", "if", "when", "what", "why", "how", "one", "two", "three",
    "again", "then", "thus", "however", "meanwhile", "overall", "importantly", "remember", "reminder",
})
# Lower-case words allowed inside a capitalised name or outlet ("Ministry of Commerce").
_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "da", "del", "der", "van", "von", "la", "le", "du",
                         "di", "bin", "al", "el", "on", "at", "in", "&"})
_HONORIFICS = frozenset({"mr", "ms", "mrs", "dr", "miss", "sir", "dame", "prof", "hon", "rev"})
# Title words: a label holding one is an official, not a reporter, whatever it says.
_TITLE_WORDS = re.compile(
    r"\b(minister|(?:under-?|assistant\s+)?secretary|usec|asec|spokesperson|spokesman|spokeswoman|president|vice|"
    r"governor|director|deputy|"
    r"chair|chairman|chairwoman|chairperson|chief|commissioner|administrator|coordinator|adviser|advisor|"
    r"official|officials|ambassador|mayor|premier|treasurer|attorney|general|surgeon|senator|"
    r"representative|counsel|head|officer|pm|leader|member|mp|envoy|judge|admiral|marshal|"
    r"commander|captain|lieutenant|colonel|superintendent|inspector|sheriff|professor|doctor|dean|manager|"
    r"economist|counselor|counsellor|"
    r"mr|ms|mrs|dr|prof|hon|sec|gov|sen|amb|gen|lt|col|capt|cmdr|supt|atty)\b\.?",  # and their abbreviations
    re.IGNORECASE,
)
# Words that mark a label as a news outlet, so its turn asks.
_OUTLET_WORDS = re.compile(
    r"\b(news|agency|daily|times|tv|television|radio|media|network|post|journal|magazine|weekly|herald|"
    r"tribune|broadcast\w*|gazette|telegraph|press|wire|service|channel|review|observer|reuters|bloomberg|"
    r"xinhua|cctv|cgtn|afp|ap|bbc|cnn|nhk|kyodo|yonhap|tass|ria|cnbc|abc|cbs|nbc|fox|npr|\w+\.(cn|com|net|org))\b",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
# Generic labels a transcription service numbers ("Reporter 2", "Speaker 1", "Audience Member 3").
_NUMBERED = re.compile(r"^(?P<base>.*?\S)\s+#?\d{1,3}$")
_GENERIC_SPEAKERS = frozenset({"speaker", "unidentified speaker", "male speaker", "female speaker", "unknown speaker"})
# A transcription service's time stamp by a label: "Dana Whitfield: (00:05)", "Speaker 1 (00:00):".
TIME_STAMP = r"[(\[]\d{1,2}:\d{2}(?::\d{2})?[)\]]"
# Whoever relays another's words: their turn is a label ("Interpreter: ..."), not the last speaker's prose.
_RELAY_WORDS = frozenset({"interpreter", "translator", "interpretation", "translation"})
# A label with an affiliation in brackets: "Tom Reed (Daily Ledger)", "Jane Alder (Governor)".
_AFFILIATED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<affiliation>[^()]{2,60})\)$")
_BAD_CHARS = re.compile(r"[,;\"“”()\[\]?!|/=+*#@<>…]")
_WORD = re.compile(r"[^\s]+")


@dataclass(frozen=True)
class Label:
    """A label as written and what the grammar makes of it."""

    raw: str  # as written, without the trailing ":" or "."
    kind: LabelKind


def kind_of(raw: str) -> LabelKind:
    key = _key(raw)
    if (numbered := _NUMBERED.match(key)) and numbered.group("base") in _QUESTION_WORDS | _CHAIR_WORDS:
        key = numbered.group("base")  # "Reporter 2" asks as "Reporter" does
    if key in _QUESTION_WORDS:
        return "question"
    if key in _ANSWER_WORDS:
        return "answer"
    if key in _CHAIR_WORDS:
        return "chair"
    return "name"


def is_meta(raw: str) -> bool:
    """A header or page word ("Date", "Speakers", "Adjust font size"), never a speaker."""
    return _key(raw) in _META_WORDS


def _affiliation_shape(raw: str) -> bool:
    """What a label's brackets hold: an outlet or an office, whose name may hold digits ("TV-5",
    "Channel 4", "4 News") where a person's name holds none."""
    if has_label_shape(raw, max_words=6):
        return True
    words = _WORD.findall(raw)
    return (1 <= len(words) <= 4 and not _BAD_CHARS.search(raw) and any(ch.isalpha() for ch in raw)
            and all(w[0].isdigit() or w[0].isupper() or w.lower() in _CONNECTORS for w in words))


def has_label_shape(raw: str, *, max_words: int = 8) -> bool:
    """A name, a title and name, an outlet or a press-room word: short, capitalised, no sentence."""
    raw = raw.strip()
    if not raw or len(raw) > 70 or is_meta(raw):
        return False
    if kind_of(raw) != "name":
        return True
    if (numbered := _NUMBERED.match(_key(raw))) and numbered.group("base") in _GENERIC_SPEAKERS:
        return True
    if affiliated := _AFFILIATED.match(raw):
        return (has_label_shape(affiliated.group("name"), max_words=min(max_words, 5))
                and _affiliation_shape(affiliated.group("affiliation")))
    if "," in raw and is_outlet(raw) and not _BAD_CHARS.search(raw.replace(",", "")):
        # "Harbour Daily, Harbour Plus": an outlet and its app, each a label of its own shape
        return all(has_label_shape(part, max_words=4) for part in raw.split(","))
    if _BAD_CHARS.search(raw):
        return False
    words = _WORD.findall(raw)
    if not 1 <= len(words) <= max_words:
        return False
    if any(any(ch.isdigit() for ch in w) and not _ORDINAL.match(w) for w in words):
        return False
    if words[0].lower().strip(".") in _OPENERS and not is_upper(raw):
        return False
    if not (words[0][0].isalpha() and words[0][0].isupper()) and not _ORDINAL.match(words[0]):
        return False  # "21st Century Business Herald" may open with an ordinal
    letters = [w for w in words if any(ch.isalpha() for ch in w)]
    if not letters:
        return False
    if words[-1].lower() in _CONNECTORS and not words[-1][0].isupper():
        return False  # "Ministry of": cut short; but "Wen Da" ends in a name
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words)


def is_upper(raw: str) -> bool:
    """Written in capitals ("MS. VANCE", "CHAIR MARLOW"): the press-office label style."""
    letters = [ch for ch in raw if ch.isalpha()]
    return len(letters) >= 1 and all(ch.isupper() for ch in letters)


def has_title_word(raw: str) -> bool:
    """Holds an office or honorific ("Minister", "MS.", "CHAIR"): an official, not a reporter."""
    return bool(_TITLE_WORDS.search(raw))


def is_outlet(raw: str) -> bool:
    return bool(_OUTLET_WORDS.search(raw)) and not has_title_word(raw)


def is_affiliated(raw: str) -> bool:
    """A name with its affiliation in brackets ("Tom Reed (Daily Ledger)"): a label by its shape alone."""
    return _AFFILIATED.match(raw.strip()) is not None


def split_affiliation(raw: str) -> tuple[str, str | None]:
    """"Tom Reed (Daily Ledger)" or "Tom Reed, Daily Ledger" -> ("Tom Reed", "Daily Ledger"); a
    label without brackets, or whose part after a comma is no outlet, is all name."""
    if affiliated := _AFFILIATED.match(raw.strip()):
        return affiliated.group("name").strip(), affiliated.group("affiliation").strip()
    name, comma, outlet = raw.strip().partition(",")
    if comma and is_outlet(outlet) and has_label_shape(name, max_words=4) and not is_outlet(name):  # not "Daily, Plus"
        return name.strip(), outlet.strip()
    return raw.strip(), None


def is_relay(raw: str) -> bool:
    """An interpreter's or translator's label."""
    return _key(raw) in _RELAY_WORDS


def display(raw: str) -> str:
    """The speaker name shown for a label: trailing ":"/"." dropped, spaces collapsed, an all-caps
    name title-cased ("CHAIR MARLOW" -> "Chair Marlow") but acronyms kept ("CCTV", "PM")."""
    name = " ".join(raw.strip().rstrip(":：.").split())
    if kind_of(name) == "question":
        return QUESTION_DISPLAY
    if not is_upper(name):
        return name
    words = name.split()
    if len(words) == 1 and (len(name) < 4 or not _has_vowel(name)):
        return name  # an acronym: PM, CCTV, AFP
    return " ".join(_title_word(w) for w in words)


def _title_word(word: str) -> str:
    bare = word.strip(".")
    if len(bare) >= 2 and not _has_vowel(bare) and bare.lower() not in _HONORIFICS:
        return word  # an acronym inside a name: "CNN", "NBC"
    return "-".join(re.sub(r"^(\W*)(\w)", lambda m: m.group(1) + m.group(2).upper(), part.lower())
                    for part in word.split("-"))  # "(DAILY" -> "(Daily"


def _has_vowel(word: str) -> bool:
    return any(ch in "AEIOUYaeiouy" for ch in word)


def _key(raw: str) -> str:
    return " ".join(raw.strip().rstrip(":：.").replace("\u00a0", " ").split()).lower()
