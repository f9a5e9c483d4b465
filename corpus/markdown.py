"""Read a Markdown transcript: markup on heading and label lines is blanked out in place.

    ---                          optional front matter: title, date, source
    title: Briefing on harbours
    date: 2024-05-21
    ---
    # Briefing on harbours       heading -> title
    **Li Ming:**                 a bold label alone on a line, or opening a paragraph
    We built 42 berths.          paragraphs separated by blank lines, as in a .txt transcript

Markup characters are replaced by spaces, never removed, so the text keeps the file's length
and every offset into it is an offset into the file: a quoted paragraph reads the same in both.
"""

from __future__ import annotations

import re

from corpus import front_matter

_HEADING = re.compile(r"^(\s{0,3}#{1,6})\s")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^(\s{0,3}>+)")
# "**Li Ming:**", "**Li Ming**:", "__Li Ming:__ text", "*Press conference | May 2, 2024*"
_WRAPPED = re.compile(r"^(?P<lead>\s*(\*\*|__|\*|_))(?P<body>[^*_\n]+?)(?P<trail>\2)(?P<rest>.*)$")


def plain_text(raw: str) -> str:
    """The Markdown with front matter, heading marks, rules, quote marks and label emphasis
    replaced by spaces; the result has exactly the file's length and line breaks."""
    front = front_matter.read(raw)
    start = front.end if front is not None else 0
    out = [front_matter.blank(raw[:start], front)]
    for line in raw[start:].splitlines(keepends=True):
        body, ending = _split_ending(line)
        out.append(_plain_line(body) + ending)
    return "".join(out)


def _plain_line(line: str) -> str:
    if _RULE.match(line):
        return " " * len(line)
    if match := _HEADING.match(line):
        line = " " * match.end(1) + line[match.end(1):]
    if match := _QUOTE.match(line):
        line = " " * match.end(1) + line[match.end(1):]
    match = _WRAPPED.match(line)
    # Only labels ("Li Ming:") and whole-line emphasis: emphasis inside a paragraph stays.
    if match and (match.group("body").rstrip().endswith((":", "：")) or match.group("rest").lstrip().startswith(":")
                  or not match.group("rest").strip()):
        lead, trail = match.group("lead"), match.group("trail")
        start_trail = match.start("trail")
        line = (" " * len(lead) + line[len(lead):start_trail] + " " * len(trail) + line[start_trail + len(trail):])
    return line


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]
