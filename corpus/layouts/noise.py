"""Lines that are page furniture or press-office boilerplate, never a passage.

Two kinds: page furniture a PDF repeats on every page (its running header, "Page 3 of 26"),
which can fall in the middle of a sentence, is blanked to spaces in the document text (same
length, so every offset still points into the file); boilerplate lines that stand alone
("E&OE", "11:03 A.M. EST", "END", "[ends]", "***", page navigation) are skipped by the reader.
"""

from __future__ import annotations

import re
from collections import Counter

from corpus.layouts.dates import is_date_line, parse_date

_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,4}\s*(of|/)\s*\d{1,4}\s*$|^\s*-?\s*\d{1,4}\s*-?\s*$", re.IGNORECASE)
_TIME_LINE = re.compile(r"^\(?\s*\d{1,2}[:.]\d{2}\s*(a\.?\s?m\.?|p\.?\s?m\.?)?\s*([A-Z]{2,4}T?|local time)?\s*\)?$",
                        re.IGNORECASE)
_CLOSING = re.compile(r"^[\[(]?\s*(end|ends|the end|end of transcript|end of (the )?(press )?(conference|briefing)"
                      r"|concluded|\*\s*\*\s*\*)\s*[\])]?\.?$", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(e\s*&\s*oe\b.*|e\.?\s*&\s*o\.?\s*e\.?.*|\*+|[-–—_=~•·]{3,}|#+|via teleconference|via telephone|"
    r"via video ?conference|read in chinese|read in english|print|e-mail|email|share:?|"
    r"(\d+\s*)?comment\(s\).*|adjust font size:?.*|font size:.*|back to top|\(?as prepared for delivery\)?|"
    r"\[?check against delivery\]?|for immediate release|office of the press secretary|"
    # a saved web page's controls: "Skip to main content", "Share Article", "Search Options"
    r"skip to (?:main )?content|skip navigation|toggle navigation|main menu|menu|search( options)?|"
    r"suggestions|sort by|share (?:this )?(?:article|page|story)|print (?:this )?page)$",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(r"^[\s<>ㄑ\d.…|«»‹›]*$")
_BREADCRUMB = re.compile(r"^\s*(ㄑ.*ㄑ.*|.*\s>\s.*\s>\s?.*|home\s*[>»-].*)$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


# A site's name and the page's date: "China.org.cn | July 26, 2031", "Example.gov, 5 June 2031".
_SITE_DATE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:cn|com|org|net|gov|int)\b\s*[|,]?\s*(?P<date>.+)$", re.IGNORECASE)


def is_breadcrumb(line: str) -> bool:
    """A site's trail to the page ("Home > News > Press Conference"), never a title."""
    return bool(_BREADCRUMB.match(line.strip()))


def is_boilerplate(line: str) -> bool:
    """A line of press-office or site boilerplate, skipped wherever it stands."""
    stripped = line.strip()
    site = _SITE_DATE.match(stripped)
    return bool(_BOILERPLATE.match(stripped) or _NAVIGATION.match(stripped) or _BREADCRUMB.match(stripped)
                or _PAGE_NUMBER.match(stripped) or (site and is_date_line(site.group("date"))))


# A web page's furniture where one page of a long transcript ends and the next begins.
_PAGE_BREAK = re.compile(r"^((\d+\s*)?comment\(s\).*|adjust font size:?.*|font size:.*|print|e-mail|share:?)$",
                         re.IGNORECASE)


def is_page_break(line: str) -> bool:
    """Site furniture between two pages of one transcript ("0 Comment(s)Print E-mail", "Adjust
    font size:", page navigation): the next page may open with a question whose label was lost."""
    stripped = line.strip()
    return bool(_PAGE_BREAK.match(stripped) or (_NAVIGATION.match(stripped) and re.search(r"\d", stripped)))


def is_time_line(line: str) -> bool:
    """A start or end time on its own line ("11:03 A.M. EST", "(6:08 P.M. EST)")."""
    return bool(_TIME_LINE.match(line.strip()))


def is_closing(line: str) -> bool:
    """The marker that closes a transcript: "END", "[ends]", "[ENDS]"."""
    return bool(_CLOSING.match(line.strip())) and "*" not in line


# The marker a web editor leaves where it split a long page ("_ueditor_page_break_tag_Fu Lan:").
_EDITOR_PAGE_BREAK = re.compile(r"_ueditor_page_break_tag_", re.IGNORECASE)


def blank_editor_marks(text: str) -> str:
    """`text` with web editors' page-break markers replaced by spaces (same length)."""
    return _EDITOR_PAGE_BREAK.sub(lambda m: " " * len(m.group(0)), text)


def blank_page_furniture(text: str) -> str:
    """`text` with the PDF's running headers and page numbers replaced by spaces (same length).

    A running header is a line that recurs on every page: it holds a date or repeats the
    first line, and (digits aside) occurs at least three times; "Page 3 of 26" lines go too.
    The blank lines around them and their line breaks are blanked as well, so a sentence the
    page break cut reads on across them (one line break, then spaces) instead of ending at
    what would look like a paragraph break.
    """
    lines = text.splitlines(keepends=True)
    shapes = Counter(_shape(line) for line in lines if line.strip())
    first = next((_shape(line) for line in lines if line.strip()), "")
    furniture = [bool(line.strip()) and _is_furniture(line.rstrip("\r\n"), shapes, first) for line in lines]
    marked = list(furniture)
    for i, is_furniture in enumerate(furniture):  # spread over the blank lines around a run
        if not is_furniture:
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip() and not marked[j]:
                marked[j] = True
                j += step
    if not any(furniture):
        return text
    out: list[str] = []
    for line, blank in zip(lines, marked):
        out.append(re.sub(r"[^\n]|\n", " ", line) if blank else line)
    return "".join(out)


# A footnote mark glued to the word or stop it follows ("across the harbour.1  And"), not a decimal's
# tail ("4.1 percent"); and a line that opens with a number and a capital ("1 Chair Lee meant
# the harbour survey."), the footnote itself.
_FOOTNOTE_MARK = re.compile(r"(?<![0-9][.,])(?<=[a-z.,;:!?”’\"')])(\d{1,2})(?=\s|$)")
_FOOTNOTE_LINE = re.compile(r"^(\d{1,2}) (?=[A-Z])", re.MULTILINE)


def blank_footnote_numbers(text: str) -> str:
    """`text` with the number that opens each footnote line replaced by spaces (same length).

    A PDF transcript's footnotes correct what was said ("1 Chair Lee meant the harbour survey.");
    their words are kept, but the number is the footnote's, not a figure. A line counts as a
    footnote only when the same number stands as a mark earlier in the text.
    """
    marks = {m.group(1): m.start() for m in reversed(list(_FOOTNOTE_MARK.finditer(text)))}  # first of each
    out = list(text)
    for line in _FOOTNOTE_LINE.finditer(text):
        first_mark = marks.get(line.group(1))
        if first_mark is not None and first_mark < line.start():
            out[line.start(1):line.end(1)] = " " * len(line.group(1))
    return "".join(out)


def _is_furniture(line: str, shapes: Counter, first: str) -> bool:
    stripped = line.strip()
    if re.match(r"^page\s+\d{1,4}\s+of\s+\d{1,4}$", stripped, re.IGNORECASE):
        return True
    shape = _shape(line)
    if shapes[shape] < 3 or len(stripped) > 120 or stripped.endswith((".", "?", "!", ":")):
        return False
    return shape == first or parse_date(stripped) is not None


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))
