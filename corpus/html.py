"""Read a saved press-room web page into the plain transcript layout the parser reads.

A page holds a title (`<h1>`, else `<title>`), a date (`<time>`, a date `<meta>`, or a date
in the text near the title), and the transcript as `<p>` paragraphs; a speaker or outlet is a
`<strong>`/`<b>` label ending in ":" at the start of a paragraph, alone or followed by what
they said. Navigation, headers, footers, scripts, share bars and the like are dropped.
Pagination links ("2", "Next", "›", `rel="next"`) lead to the rest of the same transcript.

The output is plain text laid out like a `.txt` transcript:

    <title>
                                          (blank lines separate paragraphs)
    <title> | June 18, 2022               (when the page gives a date)
    Speaker:
    <paragraph>

so one parser serves every format, and citations point into this extracted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

from bs4 import BeautifulSoup, Tag

from corpus.transcript import _parse_date as parse_date

# Elements that are never transcript text.
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button",
              "svg", "template", "select")
# class/id words of page chrome: menus, breadcrumbs, share bars, related links, pagination.
_CHROME = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|header|footer|sidebar|share|social|related|"
    r"recommend\w*|advert\w*|ads?|banner|cookie\w*|copyright|pages|paging|pagination|pager|toolbar|subscribe)"
    r"($|[-_\s\d])",
    re.IGNORECASE,
)
_NEXT_WORDS = re.compile(r"^\s*(next( page)?|›|»|>|→|下一页|下页)\s*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\s*\[?\s*(\d{1,3})\s*\]?\s*$")
_LABEL = re.compile(r"^[^:：?!.。]{1,80}[:：]$")
_SPACE = re.compile(r"\s+")
_BLOCKS = ("p", "div", "li", "ul", "ol", "table", "section", "article", "h2", "h3", "h4", "blockquote")
_DATE_META = ("date", "pubdate", "publishdate", "article:published_time", "dc.date", "og:published_time")


@dataclass(frozen=True)
class Page:
    """One HTML page of a transcript: its heading, date, paragraphs and pagination links."""

    title: str
    date: str | None  # ISO date
    blocks: tuple[str, ...]  # paragraphs in order; a speaker label is a block of its own ("Li Ming:")
    next_links: tuple[str, ...]  # hrefs that may lead to the next page, best first
    page_links: tuple[tuple[int, str], ...]  # numbered pagination links: (number, href)


def parse_page(html: str) -> Page:
    """Parse one page; never raises on malformed HTML (the parser repairs it)."""
    soup = BeautifulSoup(html, "html.parser")
    next_links, page_links = _pagination(soup)
    title = _title(soup)
    date = _date(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in [t for t in soup.find_all(True) if _is_chrome(t)]:
        if not tag.decomposed:  # its parent may have gone already
            tag.decompose()
    blocks = []
    root = soup.find("article") or soup.find("main") or soup.body or soup
    heading = root.find("h1") if isinstance(root, Tag) else None
    for element in root.find_all(["p", "h2", "h3", "h4", "li", "blockquote"]):
        if element.find_parent(["p", "li", "blockquote"]) or element is heading:
            continue  # nested: its text is part of the enclosing block
        blocks.extend(_blocks(element))
    # A date line in the body (the page's dateline) is metadata, not a paragraph.
    blocks = [b for b in blocks if not _is_dateline(b, date)]
    return Page(title, date, tuple(blocks), tuple(next_links), tuple(page_links))


def transcript_text(pages: list[Page]) -> str:
    """The pages of one transcript as plain text in the `.txt` layout (see module docstring)."""
    first = pages[0]
    lines = [first.title]
    if first.date:
        lines.append(f"{first.title} | {long_date(first.date)}")
    return "\n\n".join(lines + body_blocks(pages)) + "\n"


def body_blocks(pages: list[Page]) -> list[str]:
    """The paragraphs and labels of all pages in order, without the heading pages repeat."""
    return [block for page in pages for block in page.blocks if block != pages[0].title]


def is_label(block: str) -> bool:
    """A speaker or outlet label block ("Li Ming:")."""
    return bool(_LABEL.match(block))


def next_page_href(page: Page, number: int) -> str | None:
    """The link to page `number + 1` of a transcript whose page `number` is `page`, if any."""
    for wanted, href in page.page_links:
        if wanted == number + 1:
            return href
    return page.next_links[0] if page.next_links else None


def _blocks(element: Tag) -> list[str]:
    """One element's paragraph, with a leading bold "Name:" label split off as its own block."""
    label = _leading_label(element)
    text = _clean(element.get_text(" "))
    if not text:
        return []
    if label and text.startswith(label):
        rest = text[len(label):].strip()
        return [label] + ([rest] if rest else [])
    return [text]


def _leading_label(element: Tag) -> str | None:
    """The text of a bold label opening the element, when it ends with a colon."""
    for child in element.children:
        if isinstance(child, Tag):
            if child.name not in ("strong", "b"):
                return None
            label = _clean(child.get_text(" "))
            after = child.next_sibling
            # "<strong>Li Ming</strong>: ..." puts the colon just after the tag.
            if not label.endswith((":", "：")) and isinstance(after, str) and after.lstrip().startswith((":", "：")):
                label += ":"
            label = re.sub(r"\s+([:：])$", r"\1", label)
            return label if _LABEL.match(label) else None
        if str(child).strip():
            return None  # text before any tag: not a label
    return None


def _pagination(soup: BeautifulSoup) -> tuple[list[str], list[tuple[int, str]]]:
    next_links: list[str] = []
    for link in soup.find_all(["a", "link"], rel=True, href=True):
        if "next" in [r.lower() for r in link.get("rel", [])]:
            next_links.append(link["href"])
    numbered: list[tuple[int, str]] = []
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = anchor.get_text(" ")
        if _NEXT_WORDS.match(text) or "next" in " ".join(anchor.get("class", [])).lower():
            next_links.append(href)
        elif (match := _PAGE_NUMBER.match(text)) and _in_pager(anchor):
            numbered.append((int(match.group(1)), href))
    return list(dict.fromkeys(next_links)), numbered


def _in_pager(anchor: Tag) -> bool:
    """A numbered link counts as pagination only inside a pager-like container."""
    for parent in anchor.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html"):
            return False
        words = " ".join(parent.get("class", []) + [parent.get("id", "")]).lower()
        if "pag" in words or parent.name == "nav":
            return True
    return False


def _title(soup: BeautifulSoup) -> str:
    for candidate in (soup.find("h1"), soup.find("title")):
        if candidate and (text := _own_text(candidate)):
            return text
    return "Untitled transcript"


def _own_text(tag: Tag) -> str:
    """A heading's text without the blocks an unclosed `<h1>` swallowed."""
    parts = []
    for child in tag.children:
        if isinstance(child, Tag) and child.name in _BLOCKS:
            break
        parts.append(child.get_text(" ") if isinstance(child, Tag) else str(child))
    return _clean(" ".join(parts))


def _date(soup: BeautifulSoup) -> str | None:
    time_tag = soup.find("time")
    if time_tag is not None:
        found = parse_date(str(time_tag.get("datetime", ""))) or parse_date(time_tag.get_text(" "))
        if found:
            return found
    for meta in soup.find_all("meta", content=True):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in _DATE_META and (found := parse_date(meta["content"])):
            return found
    # A dateline near the top: the first few short text blocks.
    for element in soup.find_all(["p", "div", "span", "h2", "h3"], limit=40):
        text = _clean(element.get_text(" "))
        if text and len(text) < 200 and (found := parse_date(text)):
            return found
    return None


def _is_dateline(block: str, date: str | None) -> bool:
    return date is not None and len(block) < 120 and parse_date(block) == date and not block.endswith(".")


def _is_chrome(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    words = " ".join(tag.get("class", []) + [tag.get("id", ""), tag.get("role", "")])
    return bool(words.strip()) and bool(_CHROME.search(words)) and tag.name not in ("body", "html", "article", "main")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def long_date(iso: str) -> str:
    day = Date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"
