"""A transcript's title, date, declared speakers and chair, read from its first lines.

    CHINA SCIO / ㄑ Press Room ㄑ ...          site lines: skipped
    March 3, 2031  Chair Marlow's ...  FINAL    a PDF running header (blanked before this runs)
    Transcript of Chair Marlow's Press Conference   -> title (the first line that can be one)
    Title | June 18, 2022  /  13/12/2002        -> date (a "Date:" block wins: the event's date)
    Speakers: / Chairperson: / Date:            -> a header block: names, chair, date
    Subjects: ... / E&OE / 11:03 A.M. EST       -> skipped

The header ends at the first speaker label or the first line of prose; `body_start` is its offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpus.layouts import labels, noise
from corpus.layouts.dates import US_STYLE, is_date_line, parse_date

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z '’-]{1,30}?)\s*[:：]\s*(?P<value>.*)$")
_SPEAKER_KEYS = frozenset({"speakers", "speaker", "guests", "participants", "panelists", "present"})
_CHAIR_KEYS = frozenset({"chairperson", "chair", "moderator", "host", "presenter"})
_DATE_KEYS = frozenset({"date", "time", "date and time"})
# A role before a name in a title: "Foreign Ministry Spokesperson Lin Meiyu", "CEA Chair Ada Brenner".
_ROLE = re.compile(
    r"\b(spokesperson|spokesman|spokeswoman|secretary|minister|director|chair|chairman|chairwoman|governor|"
    r"president|advisor|adviser|coordinator|administrator|commissioner|ambassador|premier|treasurer|"
    r"official|officials|mayor|envoy|head)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"((?:[A-Z][\w.\-]*\s+){0,6}[A-Z][\w.\-]*)['’]s\s+(?:regular\s+|daily\s+)?"
                         r"(press|news|briefing|daily|remarks|media|online|statement|opening)", re.IGNORECASE)
_BY_WITH = re.compile(r"\b(?:by|with)\s+(?P<names>.+)$", re.IGNORECASE)
_CAP_RUN = re.compile(r"(?:[A-Z][\w.’'\-]*)(?:\s+(?:[A-Z][\w.’'\-]*))*")
_HEADER_SCAN = 40  # lines: a header is never longer than this
# A date line naming the event is a title too: "Media Conference – 5 November 2031".
_EVENT = re.compile(r"\b(conference|briefing|press|remarks|statement|interview|transcript|call|meeting|"
                    r"announcement|address)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Header:
    title: str
    date: str | None
    speakers: tuple[str, ...]
    chair: str | None
    body_start: int  # offset of the first body line


def read_header(text: str, path: Path, *, is_label=lambda line: False) -> Header:
    """The header of `text` (already blanked of page furniture). `is_label(line)` tells the
    layout's speaker labels apart, since a label ends the header."""
    title: str | None = None
    date: str | None = None
    block_date: str | None = None
    speakers: list[str] = []
    chair: str | None = None
    block: str | None = None  # the header block being read: "speakers", "chair", "date"
    entries: list[tuple[str, bool]] = []  # "Name, office" lines with no block heading; a wide gap before?
    body_start = len(text)
    all_lines = list(_lines(text))
    for n, (start, line) in enumerate(all_lines):
        if n >= _HEADER_SCAN:
            body_start = start
            break
        key = _KEY_LINE.match(line)
        key_name = key.group("key").strip().lower() if key else ""
        following = all_lines[n + 1][1] if n + 1 < len(all_lines) else ""
        if key and (labels.is_meta(key_name) or key_name in _SPEAKER_KEYS | _CHAIR_KEYS) and (
                not is_label(line) or (not key.group("value").strip() and _is_entry(following))):
            value = key.group("value").strip()
            block = ("speakers" if key_name in _SPEAKER_KEYS else "chair" if key_name in _CHAIR_KEYS
                     else "date" if key_name in _DATE_KEYS else "other")
            if value:
                block_date, chair = _read_block_line(block, value, speakers, block_date, chair)
                if block in ("date", "chair"):
                    block = None
            continue
        if line.lower() in _SPEAKER_KEYS | _CHAIR_KEYS | _DATE_KEYS:
            continue  # "Speaker", "Chairperson" alone: a page's tab or caption above its block
        if is_label(line):
            body_start = start
            break
        if noise.is_boilerplate(line) or noise.is_time_line(line):
            continue
        if _is_site_line(line, title):
            date = date or parse_date(line)
            continue
        if block is not None and not _is_prose(line):
            block_date, chair = _read_block_line(block, line, speakers, block_date, chair)
            if block in ("date", "chair"):
                block = None
            continue
        if title is not None and (entry := _entry_name(line)):
            speakers.append(entry)  # "Maren Holtby, Governor of the Bank," under the title
            previous_end = all_lines[n - 1][0] + len(all_lines[n - 1][1]) if n else 0
            entries.append((entry, text.count("\n", previous_end, start) >= 3 and bool(entries)))
            continue
        if title is not None and _is_name_over_office(line, following):
            speakers.append(line)  # "Maren Holtby" over "Minister of Finance"
            continue
        if title is None and (not is_date_line(line) or _EVENT.search(line)) and _can_be_title(line):
            title, date = _title_and_date(line, date)
            continue
        if is_date_line(line) or (title is not None and not _is_prose(line) and len(line) < 80):
            date = date or parse_date(line, day_first=not _us_style(text))
            continue
        if title is not None and not speakers and _block_ahead(all_lines[n + 1 : n + 1 + _BLOCK_AHEAD], is_label):
            continue  # the publisher's summary above a "Speakers:" block is header, not a turn
        body_start = start
        break
    title = _clean(title) if title else path.stem
    date = block_date or date or parse_date(title, day_first=not _us_style(text)) or parse_date(path.stem)
    if chair is None and (apart := _chair_set_apart(entries)):
        chair = apart
        speakers = [name for name in speakers if name != apart]
    if not speakers:
        speakers = names_in_title(title) or _introduced_by(text[body_start : body_start + _INTRO_CHARS])
    return Header(title, date, tuple(dict.fromkeys(speakers)), chair, body_start)


_INTRO_CHARS = 400
# "The following is a transcript of today's harbour briefing by Mira Tal, Associate Spokesperson
# for the Harbour Board": the opening line names who speaks.
_BY_OFFICIAL = re.compile(r"\b(?:transcript|briefing|remarks|statement|press conference)\b[^.\n]{0,80}?\bby\s+"
                          r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}),\s+(?P<office>[^.\n]{3,80})")


def _introduced_by(opening: str) -> list[str]:
    """The official the body's opening line says is speaking, when it names one with an office."""
    match = _BY_OFFICIAL.search(opening)
    if match and _ROLE.search(match.group("office")) and labels.has_label_shape(match.group("name")):
        return [match.group("name")]
    return []


def _chair_set_apart(entries: list[tuple[str, bool]]) -> str | None:
    """The chair of a speakers list whose headings were lost: one "Name, office" line set apart
    by a wide gap right after a group of several (pages keep the gap of "Chairperson:")."""
    groups: list[list[str]] = []
    for name, gap in entries:
        if gap or not groups:
            groups.append([])
        groups[-1].append(name)
    if len(groups) >= 2 and len(groups[0]) >= 2 and len(groups[1]) == 1 and groups[1][0] not in groups[0]:
        return groups[1][0]
    return None


_TITLE_WORDS = 40  # a longer first line is the text itself (a transcript saved as one line), no title
_BLOCK_AHEAD = 8  # lines looked ahead from a header's prose for a "Speakers:" block


def _block_ahead(lines: list[tuple[int, str]], is_label) -> bool:
    """A speakers or chair block opens in `lines` ("Speakers:" then "Name, title"), with no
    speaker label first."""
    for i, (_, line) in enumerate(lines):
        key = _KEY_LINE.match(line)
        following = lines[i + 1][1] if i + 1 < len(lines) else ""
        if key and key.group("key").strip().lower() in _SPEAKER_KEYS | _CHAIR_KEYS and (
                _is_entry(key.group("value").strip()) or _is_entry(following)):
            return True
        if _entry_name(line):
            if _entry_name(following):
                return True  # "Mr. Li Wen, vice minister of ..." twice: a speakers list without its heading
            continue
        if is_label(line):
            return False
    return False


def names_in_title(title: str) -> list[str]:
    """The officials a title names: "Spokesperson Lin Meiyu's Regular Press Conference" ->
    ["Lin Meiyu"]; "Press Call by Director Lena Ortiz and Chair Ada Brenner" -> both;
    "Transcript of Chair Marlow's Press Conference" -> ["Chair Marlow"]."""
    if match := _POSSESSIVE.search(title):
        return [_strip_role(match.group(1))]
    names: list[str] = []
    if match := _BY_WITH.search(title):
        for part in re.split(r",?\s+and\s+|,\s*(?:and\s+)?|;\s*", match.group("names")):  # "A, B, and C"
            run = _CAP_RUN.match(part.strip())
            if run and _ROLE.search(run.group(0)):
                name = _name_only(_strip_role(run.group(0)))
                if name and not _ROLE.fullmatch(name.split()[-1]) and len(name.split()) >= 2:
                    names.append(name)
    return names


# Capitalised words that follow a name in a title but are not part of it ("... Main Committee Room").
_NOT_NAME = frozenset({"main", "room", "committee", "house", "hall", "building", "centre", "center", "office",
                       "parliament", "press", "conference", "briefing", "call", "on", "the", "previewing",
                       "regarding", "about", "ahead", "at", "in", "aboard", "en", "following", "after",
                       "before", "during", "upon", "via", "for", "of", "to", "from", "with", "traveling"})


def _name_only(phrase: str) -> str:
    """At most three words of a name, stopping at a possessive or a place word."""
    words: list[str] = []
    for word in phrase.split():
        if word.lower() in _NOT_NAME or len(words) == 3:
            break
        if word.endswith(("'s", "’s")):
            return ""  # "President Corwin's State of the Union": not a speaker list
        words.append(word)
    return " ".join(words)


def _strip_role(phrase: str) -> str:
    """"Foreign Ministry Spokesperson Lin Meiyu" -> "Lin Meiyu"; "Chair Marlow" stays."""
    words = phrase.split()
    roles = [i for i, w in enumerate(words) if _ROLE.fullmatch(w.strip("."))]
    if roles and len(words) - roles[-1] - 1 >= 2:
        return " ".join(words[roles[-1] + 1:])
    if roles and roles[-1] + 1 < len(words):
        return " ".join(words[roles[-1]:])
    return phrase


def _read_block_line(block: str, value: str, speakers: list[str], date: str | None,
                     chair: str | None) -> tuple[str | None, str | None]:
    name = value.split(",")[0].strip()
    name = re.sub(r"^(mr|ms|mrs|dr)\.?\s+", "", name, flags=re.IGNORECASE)
    if block == "speakers" and labels.has_label_shape(name):
        speakers.append(name)
    elif block == "chair" and labels.has_label_shape(name):
        chair = chair or name
    elif block == "date":
        date = date or parse_date(value)
    return date, chair


def _clean(title: str) -> str:
    """Spaces collapsed, invisible joiners dropped: a title is for display."""
    return " ".join(re.sub("[\u200b\u2060\ufeff]", "", title).split())


def _is_entry(line: str) -> bool:
    """A header block entry: "Mr. Fei Wenkang, spokesperson of the SCIO" (a name, a comma, a title)."""
    return _entry_name(line) is not None or (is_date_line(line) and not _is_prose(line))


def _entry_name(line: str) -> str | None:
    """The name of a "Name, title" header line, or None."""
    name, comma, rest = line.partition(",")
    if not comma or _is_prose(line) or not _ROLE.search(rest) or len(line) > 200:
        return None
    name = re.sub(r"^(mr|ms|mrs|dr)\.?\s+", "", name.strip(), flags=re.IGNORECASE)
    return name if 2 <= len(name.split()) <= 4 and labels.has_label_shape(name) else None


def _is_name_over_office(line: str, following: str) -> bool:
    """A person's name alone on a line with their office on the next ("Maren Holtby" /
    "Minister of Finance"), as publishers print a speaker under the title."""
    words = line.split()
    return (2 <= len(words) <= 4 and labels.has_label_shape(line) and not labels.is_upper(line)
            and not labels.has_title_word(line) and not labels.is_outlet(line)
            and not any(w.lower() in _NOT_NAME for w in words)
            and bool(_ROLE.search(following)) and len(following.split()) <= 12 and not _is_prose(following))


def _title_and_date(line: str, date: str | None) -> tuple[str, str | None]:
    """A title line, perhaps "Title | June 18, 2022" (the legacy press-room header line)."""
    title = line.lstrip("\ufeffㄑ").strip()
    if "|" in title:
        head, _, tail = title.partition("|")
        if parse_date(tail):
            return head.strip() or title, date or parse_date(tail)
    return title, date


def _can_be_title(line: str) -> bool:
    bare = line.lstrip("\ufeffㄑ").strip().rstrip(":")
    return (2 <= len(bare.split()) <= _TITLE_WORDS and not _is_prose(bare) and not noise.is_boilerplate(bare)
            and not labels.is_meta(bare))


def _is_site_line(line: str, title: str | None) -> bool:
    """A site's name above the title ("CHINA SCIO"), or "China.org.cn, June 18, 2022 ..."."""
    stripped = line.strip()
    if title is None and labels.is_upper(stripped) and len(stripped.split()) <= 2:
        return True
    if title is None and stripped.startswith("ㄑ") and len(stripped.split()) <= 3:
        return True  # "ㄑ Press Room": the link back to the site's section, not the page's title
    return bool(re.match(r"^[\w.-]+\.(cn|com|org|net|gov)\b", stripped, re.IGNORECASE)) and title is not None


def _is_prose(line: str) -> bool:
    return line.rstrip().endswith((".", "?", "!", "”", '"')) and len(line.split()) >= 4


def _us_style(text: str) -> bool:
    """The document writes US month-first dates ("June 18, 2022"): read slashes month first."""
    return bool(US_STYLE.search(text[:2000]))


def _lines(text: str):
    position = 0
    for raw in text.splitlines(keepends=True):
        start, position = position, position + len(raw)
        if raw.strip():
            yield start + len(raw) - len(raw.lstrip()), raw.strip()
