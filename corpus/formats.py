"""One reader per transcript format; each yields a Document whose text is in the `.txt` layout.

- `.txt`: the file's text, with a PDF's page headers and numbers blanked to spaces (same
  length, same offsets); the layout reader is picked by content (corpus.layouts).
- `.md`/`.markdown`: the file with markup blanked in place (corpus.markdown): same offsets.
- `.html`/`.htm`: the extracted transcript (corpus.html) of the page and of the pages its
  pagination links lead to, when those are saved in the same folder; a file so named that
  holds no tag at all is read as `.txt`.
"""

from __future__ import annotations

import logging
import re
from datetime import date as date_type
from pathlib import Path
from urllib.parse import unquote, urlsplit

from corpus import front_matter, html, markdown
from corpus.layouts.press_room import is_label_line
from corpus.models import Document
from corpus.transcript import _document_id as document_id
from corpus.transcript import _parse_date, prepared_text, read_document

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_PAGES = 100  # a pagination loop or a runaway site stops here
MARKUP_PROBE_CHARS = 200_000  # a page's first tags come early; a text file has none anywhere
MAX_FILE_BYTES = 20_000_000  # one transcript, all its saved pages together (corpus.loader refuses bigger files)

logger = logging.getLogger(__name__)


def read_any(path: Path) -> Document:
    """Read a transcript file of any supported format. Raises UnicodeDecodeError/OSError."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES and has_markup(path):
        pages = [page for _, page in parsed_pages(path)]
        return Document(document_id(path), pages[0].title, pages[0].date, str(path), html.transcript_text(pages))
    if suffix in MARKDOWN_SUFFIXES:
        return read_markdown(path)
    return read_document(path)


def source_text(path: Path) -> str:
    """The text that offsets into the document read from `path` point into."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return read_any(path).text  # a page's extracted transcript, or a tagless file's own text
    if suffix in MARKDOWN_SUFFIXES:
        return markdown.plain_text(path.read_text(encoding="utf-8"))
    return prepared_text(path.read_text(encoding="utf-8"))  # page furniture blanked, same offsets


# An opening or closing HTML tag: a page saved as ".html" without one is plain text (a page's
# text copied out of a browser, or saved by a tool that kept the name).
_TAG = re.compile(r"<\s*/?\s*(?:!doctype|html|head|body|p|div|br|span|h[1-6]|table|article|section|a|li|ul|"
                  r"meta|title)\b", re.IGNORECASE)


def has_markup(path: Path) -> bool:
    """Whether an ".html" file holds HTML; one without a single tag is read as plain text."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        return _TAG.search(handle.read(MARKUP_PROBE_CHARS)) is not None


def read_markdown(path: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    front = front_matter.read(raw)
    text = markdown.plain_text(raw)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading = lines[0] if lines and not is_label_line(lines[0]) else None  # "**Jane Alder**:" opens a turn
    title = (front.title if front else None) or heading or path.stem
    stated = next((d for d in map(_parse_date, lines[:5]) if d), None)
    date = _event_date(front.date if front else None, stated) or _parse_date(path.stem)
    return Document(document_id(path), title, date, str(path), text)


POSTED_AFTER_DAYS = 31  # how long after a briefing its page may be posted and still be its page


def _event_date(posted: str | None, stated: str | None) -> str | None:
    """The briefing's date: a front matter's date is when the page was posted, and the opening
    lines may say the briefing was held a few days before ("... on 10 March 2031"): that one."""
    if posted is None or stated is None:
        return posted or stated
    held, put_up = date_type.fromisoformat(stated), date_type.fromisoformat(posted)
    return stated if 0 < (put_up - held).days <= POSTED_AFTER_DAYS else posted


def html_pages(first: Path) -> list[Path]:
    """`first` and the saved pages its pagination leads to, in order (same folder only)."""
    return [path for path, _ in parsed_pages(first)]


def parsed_pages(first: Path) -> list[tuple[Path, html.Page]]:
    """Each page of the transcript starting at `first`, parsed once: (file, page), in order."""
    pages = [(first, html.parse_page(first.read_text(encoding="utf-8")))]
    seen = {first.resolve()}
    total = first.stat().st_size
    while len(pages) < MAX_PAGES:
        href = html.next_page_href(pages[-1][1], len(pages))
        following = _local_page(first.parent, href) if href else None
        if following is None or following.resolve() in seen:
            break
        total += following.stat().st_size  # checked before the page is read
        if total > MAX_FILE_BYTES:
            logger.warning("%s: its saved pages pass the %d MB limit for one transcript at %s; the rest is left out",
                           first.name, MAX_FILE_BYTES // 1_000_000, following.name)
            break
        seen.add(following.resolve())
        pages.append((following, html.parse_page(following.read_text(encoding="utf-8"))))
    return pages


def _local_page(folder: Path, href: str) -> Path | None:
    """The saved file a pagination link stands for: the link's file name in the same folder
    (a saved page keeps links such as "t20240521_2.html" or "https://host/a/t20240521_2.html")."""
    name = Path(unquote(urlsplit(href).path)).name
    candidate = folder / name
    if not name or name.startswith(".") or candidate.suffix.lower() not in HTML_SUFFIXES:
        return None
    if candidate.is_symlink():  # a corpus folder is untrusted: a link may lead anywhere on the machine
        logger.warning("%s: a symbolic link, not followed as the next page", candidate.name)
        return None
    return candidate if candidate.is_file() else None
