"""`qa add URL` checks before it connects and stops in time (issue 17, item 3): redirects checked
before they are followed, deadlines per page and per transcript, a byte budget across pages,
userinfo refused unseen, unusable charsets named. Every server listens on 127.0.0.1 only."""

from __future__ import annotations

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest

from corpus.add import add_transcript
from corpus.fetch import FetchError, fetch_pages
from qa.cli import main

TRICKLE_SECONDS = 10  # a trickling route gives up after this, so a client that never stops cannot hang a test


def page(title: str, number: int, *, next_href: str | None = None, filler: int = 0) -> bytes:
    """A transcript page: a title, a date, one speaker's paragraph, a link to the next page."""
    link = f"<div class='pages'><a href='{next_href}'>{number + 1}</a></div>" if next_href else ""
    padding = f"<!-- {'x' * filler} -->" if filler else ""
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>April 2, 2024</p>"
            f"<p><strong>Li Ming:</strong> On page {number} we dug {number} canals.</p>{link}{padding}"
            "</body></html>").encode("utf-8")


class Site:
    """A web server on 127.0.0.1 whose routes a test defines; records every path asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler, str], None]] = {}
        self.hits: list[str] = []
        self.stop = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.hits.append(self.path)
                name, _, rest = self.path.lstrip("/").partition("/")
                route = site.routes.get(name)
                if route is None:
                    self.send_error(404)
                    return
                try:
                    route(self, rest)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up: expected here
                    pass

            def log_message(self, *args):  # keep pytest output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def hits_of(self, name: str) -> list[str]:
        return [hit for hit in self.hits if hit.startswith(f"/{name}")]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def site():
    served = Site()
    served.thread.start()
    try:
        yield served
    finally:
        served.close()


@pytest.fixture
def listener():
    """A port on 127.0.0.1 that nobody answers on; `contacted` tells whether a client connected."""
    sock = socket.create_server(("127.0.0.1", 0))
    sock.setblocking(False)
    try:
        yield sock
    finally:
        sock.close()


def contacted(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def send(handler: BaseHTTPRequestHandler, body: bytes, *, status: int = 200,
         content_type: str = "text/html; charset=utf-8", length: int | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)


def redirect(handler: BaseHTTPRequestHandler, location: str, status: int = 302) -> None:
    handler.send_response(status)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def trickle(handler: BaseHTTPRequestHandler, site: Site, byte: bytes = b" ") -> None:
    """One byte every 50 ms: each read gets data well within the socket timeout, so only a
    deadline stops the client."""
    ends = time.monotonic() + TRICKLE_SECONDS
    while not site.stop.is_set() and time.monotonic() < ends:
        handler.wfile.write(byte)
        handler.wfile.flush()
        time.sleep(0.05)


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# Redirects: checked before connecting.

def test_a_redirect_to_another_host_makes_no_connection_to_it(site, listener, tmp_path):
    other = f"http://127.0.0.1:{listener.getsockname()[1]}/transcript.html"
    site.routes["away"] = lambda handler, rest: redirect(handler, other)
    with pytest.raises(FetchError, match="redirects to another host") as raised:
        add_transcript(f"{site.url}/away", tmp_path / "corpus", timeout=2)
    assert str(raised.value).startswith(f"{site.url}/away")
    assert not contacted(listener)
    assert files(tmp_path / "corpus") == []


def test_a_redirect_to_ftp_makes_no_connection(site, listener):
    target = f"ftp://127.0.0.1:{listener.getsockname()[1]}/transcript.html"
    site.routes["ftp"] = lambda handler, rest: redirect(handler, target)
    with pytest.raises(FetchError, match="'ftp' address, and only http"):
        fetch_pages(f"{site.url}/ftp", timeout=2)
    assert not contacted(listener)


def test_a_redirect_with_a_password_is_refused_unseen(site):
    site.routes["login"] = lambda handler, rest: redirect(handler, f"http://alice:s3cret@{site.url[7:]}/page/1")
    site.routes["page"] = lambda handler, rest: send(handler, page("Talk", 1))
    with pytest.raises(FetchError, match="user name or password") as raised:
        fetch_pages(f"{site.url}/login", timeout=2)
    assert "s3cret" not in str(raised.value) and "alice" not in str(raised.value)
    assert site.hits_of("page") == []


def test_redirects_on_the_same_host_are_followed_up_to_the_limit(site):
    site.routes["moved"] = lambda handler, rest: redirect(handler, "/also-moved/", 301)
    site.routes["also-moved"] = lambda handler, rest: redirect(handler, f"{site.url}/page/1", 307)
    site.routes["page"] = lambda handler, rest: send(handler, page("Talk on canals", 1))
    fetched = fetch_pages(f"{site.url}/moved")
    assert [f.url for f in fetched] == [f"{site.url}/page/1"]
    assert fetched[0].page.title == "Talk on canals"
    site.routes["hop"] = lambda handler, rest: redirect(handler, f"/hop/{int(rest) + 1}")
    with pytest.raises(FetchError, match="redirects more than 5 times"):
        fetch_pages(f"{site.url}/hop/1")
    assert len(site.hits_of("hop")) == 6  # the first request and 5 redirects, not urllib's 10


# Deadlines: a page or a transcript that arrives too slowly is refused, and nothing is added.

def test_a_body_trickled_past_the_page_deadline_is_refused_and_nothing_added(site, tmp_path):
    def slow_body(handler, rest):
        start = page("Talk", 1)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(start) + 100_000))
        handler.end_headers()
        handler.wfile.write(start)  # a whole page already: only the missing bytes keep it incomplete
        trickle(handler, site)

    site.routes["trickle"] = slow_body
    with pytest.raises(FetchError, match=r"took longer than 1 s") as raised:
        add_transcript(f"{site.url}/trickle/", tmp_path / "corpus", page_deadline=1, timeout=5)
    assert str(raised.value).startswith(f"{site.url}/trickle/")
    assert files(tmp_path / "corpus") == []


def test_headers_trickled_past_the_page_deadline_are_refused(site, tmp_path):
    def slow_headers(handler, rest):
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Slow: ")
        trickle(handler, site, b"a")

    site.routes["headers"] = slow_headers
    with pytest.raises(FetchError, match=r"took longer than 1 s"):
        add_transcript(f"{site.url}/headers/", tmp_path / "corpus", page_deadline=1, timeout=5)
    assert files(tmp_path / "corpus") == []


def test_a_body_shorter_than_its_content_length_adds_nothing(site, tmp_path):
    body = page("Talk", 1)
    site.routes["short"] = lambda handler, rest: send(handler, body, length=len(body) + 500)
    with pytest.raises(FetchError, match=rf"closed after {len(body):,} of {len(body) + 500:,} bytes"):
        add_transcript(f"{site.url}/short/", tmp_path / "corpus")
    assert files(tmp_path / "corpus") == []


def test_the_transcript_deadline_stops_endless_slow_pagination(site, tmp_path):
    def slow_page(handler, rest):
        time.sleep(0.3)
        number = int(rest)
        send(handler, page("Talk", number, next_href=f"/slow/{number + 1}"))

    site.routes["slow"] = slow_page
    with pytest.raises(FetchError, match=r"the transcript's pages took longer than 1 s in all") as raised:
        add_transcript(f"{site.url}/slow/1", tmp_path / "corpus", deadline=1, page_deadline=5)
    assert str(raised.value).startswith(f"{site.url}/slow/1:")
    assert len(site.hits_of("slow")) < 10
    assert files(tmp_path / "corpus") == []


# The byte budget across pages.

def test_pages_that_pass_the_transcript_budget_stop_the_fetch(site, tmp_path):
    def big(handler, rest):
        number = int(rest)
        send(handler, page("Talk", number, next_href=f"/big/{number + 1}", filler=30_000))

    site.routes["big"] = big
    with pytest.raises(FetchError, match=r"over the 100,000-byte limit for one transcript \(stopped at .*/big/4\)"):
        add_transcript(f"{site.url}/big/1", tmp_path / "corpus", max_bytes=50_000, max_total_bytes=100_000)
    assert len(site.hits_of("big")) == 4  # the fourth page's Content-Length is over what was left: body unread
    assert files(tmp_path / "corpus") == []


def test_a_page_without_length_is_cut_off_at_the_budget(site, tmp_path):
    def endless(handler, rest):  # no Content-Length: the body would only end when the server closes
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(page("Talk", 1)[:-len("</body></html>")])
        ends = time.monotonic() + TRICKLE_SECONDS
        while not site.stop.is_set() and time.monotonic() < ends:
            handler.wfile.write(b"<p>more filler text</p>" * 1000)

    site.routes["endless"] = endless
    with pytest.raises(FetchError, match=r"over the 200,000-byte limit for one transcript"):
        fetch_pages(f"{site.url}/endless/", max_bytes=10_000_000, max_total_bytes=200_000)


def test_pages_within_every_limit_are_all_fetched(site):
    def paged(handler, rest):
        number = int(rest)
        send(handler, page("Talk", number, next_href=f"/paged/{number + 1}" if number < 3 else None))

    site.routes["paged"] = paged
    fetched = fetch_pages(f"{site.url}/paged/1", deadline=30, page_deadline=10, max_total_bytes=100_000)
    assert [f.url for f in fetched] == [f"{site.url}/paged/{n}" for n in (1, 2, 3)]


# User names and passwords in the address.

@pytest.mark.parametrize("url", [
    "http://alice:s3cret@127.0.0.1:9/transcript.html",
    "https://alice@example.org/transcript.html",
    "http://alice:s3cret%40x@example.org/",
    "ftp://alice:s3cret@example.org/",
])
def test_a_url_with_userinfo_is_refused_before_any_lookup(url, monkeypatch, tmp_path, capsys):
    looked_up = []

    def no_network(*args, **kwargs):
        looked_up.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(FetchError, match="user name or password") as raised:
        fetch_pages(url)
    assert "s3cret" not in str(raised.value) and "alice" not in str(raised.value)
    assert main(["add", url, "--corpus", str(tmp_path / "corpus"), "--no-index"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("qa: error:") and "alice" not in out + err and "s3cret" not in out + err
    assert looked_up == []


# Character sets.

@pytest.mark.parametrize("content_type, meta", [
    ("text/html; charset=idna", ""),
    ("text/html; charset=base64", ""),
    ("text/html", "<meta charset='rot13'>"),
])
def test_a_charset_that_cannot_decode_a_page_is_named_with_the_url(site, tmp_path, content_type, meta):
    body = page("Talk", 1).replace(b"<head>", f"<head>{meta}".encode())
    site.routes["charset"] = lambda handler, rest: send(handler, body, content_type=content_type)
    with pytest.raises(FetchError, match="character set") as raised:
        add_transcript(f"{site.url}/charset/", tmp_path / "corpus")
    assert str(raised.value).startswith(f"{site.url}/charset/:")
    assert files(tmp_path / "corpus") == []


def test_an_unknown_charset_name_is_read_as_utf8_with_a_note(site, tmp_path, caplog):
    """Names Python does not know (x-user-defined, ...) are mostly UTF-8 pages: read, not refused."""
    body = page("Talk", 1)
    site.routes["charset"] = lambda handler, rest: send(handler, body, content_type="text/html; charset=x-no-such")
    with caplog.at_level(logging.WARNING):
        pages = fetch_pages(f"{site.url}/charset/")
    assert len(pages) == 1 and "Talk" in pages[0].html
    assert any("unknown character set" in r.getMessage() for r in caplog.records)


def test_https_to_a_plain_http_port_is_a_clear_error(site):
    site.routes["page"] = lambda handler, rest: send(handler, page("Talk", 1))
    with pytest.raises(FetchError, match="cannot connect"):
        fetch_pages(f"https{site.url[4:]}/page/1", timeout=5)


@pytest.mark.parametrize("location, message", [
    ("http://evil\x1bc.example/", r"another host \('evil\\x1bc.example'\)"),  # ESC c resets a terminal
    ("http://[evil\x1b[2J/", "an invalid address"),
])
def test_odd_redirect_targets_are_refused_without_raw_control_codes(site, location, message):
    site.routes["odd"] = lambda handler, rest: redirect(handler, location)
    with pytest.raises(FetchError, match=message) as raised:
        fetch_pages(f"{site.url}/odd/")
    assert "\x1b" not in str(raised.value)


def test_an_invalid_next_page_link_ends_the_transcript(site):
    site.routes["page"] = lambda handler, rest: send(handler, page("Talk", 1, next_href="http://[oops/2"))
    assert len(fetch_pages(f"{site.url}/page/1")) == 1
