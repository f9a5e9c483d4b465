"""Fetch a transcript published as web pages: the first page, then every page its pagination
leads to, in order. Polite and safe: http(s) only, one host, each redirect checked before it is
followed, a deadline per page and per transcript (not only a socket timeout), a size limit per
page and for all pages together, a page limit, and a clear error instead of a traceback.

Nothing is returned from a page that did not arrive whole, so `qa add` adds nothing from it."""

from __future__ import annotations

import codecs
import functools
import http.client
import logging
import re
import socket
import string
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urldefrag, urljoin, urlsplit

from corpus import html
from corpus.loader import MAX_FILE_BYTES, CorpusError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20.0  # one connect or one read of the socket
PAGE_DEADLINE_SECONDS = 30.0  # one page, its redirects included, from connecting to the last byte
DOCUMENT_DEADLINE_SECONDS = 120.0  # every page of one transcript
MAX_PAGE_BYTES = 5_000_000
MAX_DOCUMENT_BYTES = MAX_FILE_BYTES  # all pages together: the limit for one transcript file
MAX_PAGES = 50
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024  # a body is read in chunks so that no page is read whole before the size checks
USER_AGENT = "transcript-qa/0.1 (+https://pypi.org/project/transcript-qa/)"
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
_REDIRECTS = (301, 302, 303, 307, 308)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Python calls these text encodings, but they encode host names or Python literals, not pages.
_NOT_PAGE_CODECS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


class FetchError(CorpusError):
    """A page could not be fetched or is not a transcript page; the message says which and why."""

    def __init__(self, message: str):
        # Addresses and reasons in the message may come from a server: no terminal control codes.
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))


@dataclass(frozen=True)
class Fetched:
    url: str
    html: str
    page: html.Page


@dataclass(frozen=True)
class _Limits:
    timeout: float
    max_bytes: int
    page_deadline: float
    deadline: float
    max_total_bytes: int
    max_redirects: int


@dataclass
class _Budget:
    """What is left for the rest of the transcript: time and bytes."""

    first_url: str
    ends_at: float
    bytes_left: int


def fetch_pages(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES,
                max_pages: int = MAX_PAGES, page_deadline: float = PAGE_DEADLINE_SECONDS,
                deadline: float = DOCUMENT_DEADLINE_SECONDS, max_total_bytes: int = MAX_DOCUMENT_BYTES,
                max_redirects: int = MAX_REDIRECTS) -> list[Fetched]:
    """The transcript's pages, first to last. Raises FetchError."""
    host = _check_url(url.strip())
    url = urldefrag(url.strip()).url
    limits = _Limits(timeout, max_bytes, page_deadline, deadline, max_total_bytes, max_redirects)
    budget = _Budget(url, time.monotonic() + deadline, max_total_bytes)
    pages = [_fetch(url, host, limits, budget)]
    seen = {url, pages[0].url}
    while len(pages) < max_pages:
        href = html.next_page_href(pages[-1].page, len(pages))
        if not href:
            break
        following = _join(pages[-1].url, href)
        if following in seen:
            break
        if refusal := _refusal(following, host):
            logger.info("not following the link to the next page: it leads to %s", refusal)
            break
        seen.add(following)
        fetched = _fetch(following, host, limits, budget)
        seen.add(fetched.url)
        pages.append(fetched)
    else:
        logger.warning("stopped after %d pages of %s", max_pages, url)
    return pages


def _check_url(url: str) -> str:
    """The URL's host (with its port); refuses it before any lookup or connection."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address; not echoed, it may hold a password
        raise FetchError("the address is not a valid URL (check its host); give one like https://host/page.html") \
            from None
    if "@" in parts.netloc:  # the user name and password are never used, nor echoed
        shown = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
        raise FetchError(f"{shown}: a URL with a user name or password in it is refused (not shown here); "
                         "give the address without the part before '@'")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url!r} is not an http(s) address; give a URL like https://host/page.html or a file path")
    if not _valid_port(url):
        raise FetchError(f"{url!r} has a port that is not a number from 0 to 65535; correct the address")
    return _host(url)


def _join(base: str, href: str) -> str | None:
    """The address `href` leads to from `base`, without its fragment; None if it is not valid."""
    try:
        return urldefrag(urljoin(base, href.strip())).url
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        return None


def _refusal(url: str | None, host: str) -> str | None:
    """Why `url` may not be followed from a page of `host`, or None when it may."""
    if url is None:
        return "an invalid address"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"a {parts.scheme[:20]!r} address, and only http(s) is followed"
    if "@" in parts.netloc:
        return "an address with a user name or password"
    if not _valid_port(url):
        return "an address with an invalid port"
    if _host(url) != host:
        return f"another host ({parts.hostname!r})"
    return None


def _valid_port(url: str) -> bool:
    try:
        urlsplit(url).port
    except ValueError:
        return False
    return True


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower() + f":{urlsplit(url).port or ''}"


def _fetch(url: str, host: str, limits: _Limits, budget: _Budget) -> Fetched:
    """One page, within the time and bytes left; its bytes are counted against the budget."""
    seconds_left = budget.ends_at - time.monotonic()
    if seconds_left <= 0:
        raise _document_too_slow(budget, limits)
    if budget.bytes_left <= 0:
        raise _too_big(url, None, limits, budget)
    seconds = min(limits.page_deadline, seconds_left)
    watchdog = _Watchdog(seconds)
    try:
        with watchdog:
            final, body, charset = _follow(url, host, limits, budget, watchdog)
    except (FetchError, OSError, http.client.HTTPException) as error:
        if watchdog.fired:  # the connection was cut: whatever failed, the deadline is the reason
            raise _too_slow(url, budget, limits, seconds) from None
        if isinstance(error, FetchError):
            raise
        raise _connection_error(url, error) from None
    if watchdog.fired:  # a cut connection reads as the end of the body: never use that body
        raise _too_slow(url, budget, limits, seconds)
    budget.bytes_left -= len(body)
    text = _decode(final, body, charset)
    return Fetched(final, text, html.parse_page(text))


def _follow(url: str, host: str, limits: _Limits, budget: _Budget,
            watchdog: _Watchdog) -> tuple[str, bytes, str | None]:
    """The final address, body and charset of `url`, each redirect checked before it is followed."""
    opener = _opener(watchdog)
    current = url
    for _ in range(limits.max_redirects + 1):
        request = urllib.request.Request(_quoted(current), headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
        with opener.open(request, timeout=limits.timeout) as response:
            if response.status in _REDIRECTS:
                current = _redirect_target(current, response.headers.get("Location"), host)
                continue
            if response.status != 200:
                raise FetchError(f"{current}: the server answered {response.status} {response.reason}")
            body = _read_body(current, response, limits, budget)
            return current, body, response.headers.get_content_charset()
    raise FetchError(f"{url} redirects more than {limits.max_redirects} times; not followed further")


def _redirect_target(url: str, location: str | None, host: str) -> str:
    if not location:
        raise FetchError(f"{url} redirects without saying where to; check the address")
    target = _join(url, location)
    if refusal := _refusal(target, host):
        raise FetchError(f"{url} redirects to {refusal}; not followed")
    return target


def _read_body(url: str, response: http.client.HTTPResponse, limits: _Limits, budget: _Budget) -> bytes:
    """The whole body, read in chunks and refused as soon as it passes the page's or the transcript's limit."""
    kind = response.headers.get_content_type()
    if kind not in _HTML_TYPES:
        raise FetchError(f"{url} is {kind}, not an HTML page")
    limit = min(limits.max_bytes, budget.bytes_left)
    declared = _declared_length(response)
    if declared is not None and declared > limit:
        raise _too_big(url, declared, limits, budget)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(min(CHUNK_BYTES, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_big(url, None, limits, budget)
    if declared is not None and size < declared:  # http.client reports a short body as its end
        raise FetchError(f"{url}: the connection closed after {size:,} of {declared:,} bytes; try again later")
    return b"".join(chunks)


def _declared_length(response: http.client.HTTPResponse) -> int | None:
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() and not response.chunked else None


def _too_big(url: str, size: int | None, limits: _Limits, budget: _Budget) -> FetchError:
    if budget.bytes_left < limits.max_bytes:  # the transcript's budget is the nearer limit
        return FetchError(f"{budget.first_url}: the transcript's pages are over the {limits.max_total_bytes:,}-byte "
                          f"limit for one transcript (stopped at {url}); save its pages as files and add them in parts")
    stated = f" {size:,} bytes," if size is not None else ""
    return FetchError(f"{url} is{stated} over the {limits.max_bytes:,}-byte limit for one page")


def _too_slow(url: str, budget: _Budget, limits: _Limits, seconds: float) -> FetchError:
    if seconds < limits.page_deadline:  # the transcript's deadline is what ran out
        return _document_too_slow(budget, limits)
    return FetchError(f"{url}: the page took longer than {limits.page_deadline:g} s to arrive; try again later")


def _document_too_slow(budget: _Budget, limits: _Limits) -> FetchError:
    return FetchError(f"{budget.first_url}: the transcript's pages took longer than {limits.deadline:g} s "
                      "in all; try again later")


def _connection_error(url: str, error: BaseException) -> FetchError:
    if isinstance(error, urllib.error.URLError):  # raised while connecting or sending the request
        return FetchError(f"{url}: cannot connect ({_reason(error.reason)}); check the address or try again later")
    if isinstance(error, OSError):
        return FetchError(f"{url}: {_reason(error)}; check the address or try again later")
    return FetchError(f"{url}: the server sent a broken answer ({type(error).__name__}); try again later")


def _quoted(url: str) -> str:
    """`url` with non-ASCII and unsafe characters of its path and query percent-encoded."""
    parts = urlsplit(url)
    safe = string.punctuation
    return parts._replace(path=quote(parts.path, safe=safe), query=quote(parts.query, safe=safe)).geturl()


def _decode(url: str, body: bytes, charset: str | None) -> str:
    if charset is None and (match := _CHARSET.search(body[:4096])):
        charset = match.group(1).decode("ascii", "replace")
    name = charset or "utf-8"
    try:
        codec = codecs.lookup(name)
    except LookupError:  # a name Python does not know (x-user-defined, ...): most such pages are UTF-8
        logger.warning("%s: unknown character set %r; reading the page as UTF-8", url, name[:40])
        codec = codecs.lookup("utf-8")
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_PAGE_CODECS:
        raise FetchError(f"{url}: the page's character set {name[:40]!r} is not a text encoding; "
                         "save the page as a UTF-8 file and add that")
    try:
        return body.decode(codec.name, errors="replace")
    except UnicodeError:  # a codec that cannot decode a page at all
        raise FetchError(f"{url}: the page cannot be decoded as {codec.name!r}; save it as a UTF-8 file and add that") \
            from None


def _reason(error: object) -> str:
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return "timed out"
    return str(getattr(error, "strerror", None) or error)


class _Watchdog:
    """Shuts a page's connections down when its deadline passes. A socket timeout restarts with
    every byte, so a server trickling one byte a second could otherwise hold a read for ever;
    shutting the socket down makes the blocked read return at once."""

    def __init__(self, seconds: float):
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:  # connected after the deadline
            _shutdown(sock)
        return sock

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed, or handed over to a TLS socket
        pass


class _Watched:
    """A connection whose sockets (plain, then TLS) are given to a watchdog as soon as they exist."""

    def __init__(self, *args, watchdog: _Watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        self._watchdog = watchdog
        create = self._create_connection
        self._create_connection = lambda *a, **k: watchdog.watch(create(*a, **k))

    def connect(self) -> None:
        super().connect()
        self._watchdog.watch(self.sock)


class _WatchedHTTP(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self._watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTP, watchdog=self._watchdog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self._watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPS, watchdog=self._watchdog), req, context=self._context)


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    """An opener for http(s) only that follows no redirect and raises for no status: `_follow`
    decides, before connecting to anything a server names."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), _HTTPHandler(watchdog), _HTTPSHandler(watchdog)):
        opener.add_handler(handler)
    return opener
