r"""A leading `---` block of YAML metadata, as archives of web pages save them (Jekyll, Hugo,
scrapers), in `.txt` and `.md` transcripts alike:

    ---
    date: '2023-03-10'
    title: "Press Briefing by the Harbour Master\
      \ and the Port Director"
    source_url: https://example.org/briefings/2023/03/10/
    ---

The block is read with PyYAML (quoted titles run over several lines, with escapes), and blanked
to spaces in the text, so that no layout reads it as the title or a speaker and every offset is
still an offset into the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import yaml

from corpus.layouts.dates import parse_date

_FENCE = re.compile(r"^---[^\S\n]*$", re.MULTILINE)
_MAX_LINES = 80  # metadata is short: a "---" rule further down a transcript is no front matter
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class FrontMatter:
    """What a transcript's front matter says; `end` is where the block (closing fence included) ends."""

    end: int
    title: str | None
    date: str | None  # ISO
    meta: dict[str, str]


def read(raw: str) -> FrontMatter | None:
    """The front matter at the start of `raw` (a UTF-8 BOM may come first), None when there is none."""
    body = raw.lstrip("\ufeff")
    if not body.startswith("---") or not _FENCE.match(body):
        return None
    first_end = body.find("\n")
    closing = _FENCE.search(body, first_end + 1) if first_end >= 0 else None
    if closing is None or body.count("\n", 0, closing.start()) > _MAX_LINES:
        return None
    meta = _metadata(body[first_end + 1 : closing.start()])
    if not meta:
        return None
    offset = len(raw) - len(body)
    title = " ".join(meta.get("title", "").split()) or None
    return FrontMatter(offset + closing.end(), title, _iso(meta.get("date", "")), meta)


def blank(raw: str, front: FrontMatter | None = None) -> str:
    """`raw` with its front matter replaced by spaces (line breaks kept): the same length."""
    front = front if front is not None else read(raw)
    if front is None:
        return raw
    return re.sub(r"[^\n]", " ", raw[: front.end]) + raw[front.end :]


def _metadata(block: str) -> dict[str, str]:
    """The block's top-level keys as text; plain `key: value` lines when it is not valid YAML."""
    try:
        loaded = yaml.safe_load(block)
    except yaml.YAMLError:
        loaded = None
    if isinstance(loaded, dict):
        return {str(key).lower(): _text(value) for key, value in loaded.items() if value is not None}
    lines = [_KEY_VALUE.match(line) for line in block.splitlines() if line.strip()]
    if not lines or not all(lines):
        return {}  # neither YAML nor key-value lines: a rule, not metadata
    return {m.group("key").lower(): m.group("value").strip("\"'") for m in lines if m}


def _text(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value).replace("\xa0", " ")


def _iso(value: str) -> str | None:
    """An ISO date from a front-matter date ("2023-03-10", "2023-03-10 19:07:58-05:00", "March 10, 2023")."""
    if match := re.match(r"\s*(\d{4}-\d{2}-\d{2})", value):
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
    return parse_date(value) if value else None
