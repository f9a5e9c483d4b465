"""Fetch a transcript published as web pages: the first page, then every page its pagination
leads to, in order. Polite and safe: http(s) only, one host, timeouts, a size limit per page
and a page limit, and a clear error instead of a traceback."""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from corpus import html
from corpus.loader import CorpusError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20.0
MAX_PAGE_BYTES = 5_000_000
MAX_PAGES = 50
USER_AGENT = "transcript-qa/0.1 (+https://pypi.org/project/transcript-qa/)"
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


class FetchError(CorpusError):
    """A page could not be fetched or is not a transcript page; the message says which and why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    html: str
    page: html.Page


def fetch_pages(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES,
                max_pages: int = MAX_PAGES) -> list[Fetched]:
    """The transcript's pages, first to last. Raises FetchError."""
    url = urldefrag(url.strip()).url
    host = _check_url(url)
    pages = [_fetch(url, host, timeout, max_bytes)]
    seen = {url, pages[0].url}
    while len(pages) < max_pages:
        href = html.next_page_href(pages[-1].page, len(pages))
        if not href:
            break
        following = urldefrag(urljoin(pages[-1].url, href)).url
        if following in seen:
            break
        if urlsplit(following).scheme not in ("http", "https") or _host(following) != host:
            logger.info("not following %s: another host or scheme", following)
            break
        seen.add(following)
        fetched = _fetch(following, host, timeout, max_bytes)
        seen.add(fetched.url)
        pages.append(fetched)
    else:
        logger.warning("stopped after %d pages of %s", max_pages, url)
    return pages


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url!r} is not an http(s) address; give a URL like https://host/page.html or a file path")
    return _host(url)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower() + f":{urlsplit(url).port or ''}"


def _fetch(url: str, host: str, timeout: float, max_bytes: int) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            final = response.geturl()
            if _host(final) != host:
                raise FetchError(f"{url} redirects to another host ({urlsplit(final).hostname}); not followed")
            kind = response.headers.get_content_type()
            if kind not in ("text/html", "application/xhtml+xml"):
                raise FetchError(f"{url} is {kind}, not an HTML page")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url} is {int(length):,} bytes, over the {max_bytes:,}-byte limit for one page")
            body = response.read(max_bytes + 1)
            charset = response.headers.get_content_charset()
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise FetchError(f"{url}: cannot connect ({_reason(error.reason)})") from None
    except (TimeoutError, OSError) as error:
        raise FetchError(f"{url}: {_reason(error)}; check the address or try again later") from None
    if len(body) > max_bytes:
        raise FetchError(f"{url} is over the {max_bytes:,}-byte limit for one page")
    text = _decode(body, charset)
    return Fetched(final, text, html.parse_page(text))


def _decode(body: bytes, charset: str | None) -> str:
    if charset is None and (match := _CHARSET.search(body[:4096])):
        charset = match.group(1).decode("ascii", "replace")
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return body.decode("utf-8", errors="replace")


def _reason(error: object) -> str:
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return "timed out"
    return str(getattr(error, "strerror", None) or error)
