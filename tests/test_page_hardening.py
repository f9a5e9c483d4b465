"""The chat page and its API, hardened (issue 17): only the allowed Host names are answered,
every response carries the security headers, request bodies are capped, the upload routes are
closed, `/ask` shows no absolute path, filter errors name a few documents, and a running page
picks up transcripts added or removed meanwhile.

Servers run in this process on 127.0.0.1 (Gradio picks a free port) over a QA engine with the
fake embedder, and are stopped by the fixtures.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import ui
from corpus.loader import PassageColumns
from corpus.models import DocumentInfo
from qa import QA
from qa.filters import Filter
from tests.conftest import RURAL_TRANSCRIPT, SEED_TRANSCRIPT, FakeEmbedder

SEED_QUESTION = "How many large industrial internet platforms have been established?"
RURAL_QUESTION = "How many county-level biomass heating and biogas projects were built?"
HANG = 120  # seconds: a bound on hanging, never a speed check
MB = 1024 * 1024


# ---------------------------------------------------------------- servers and raw requests

@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    """Two transcripts, one in a sub-folder."""
    folder = tmp_path_factory.mktemp("page") / "corpus"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    shutil.copy(RURAL_TRANSCRIPT, folder / "sub" / "rural.txt")
    return folder


@pytest.fixture(scope="module")
def engine(corpus_folder) -> QA:
    return QA(corpus=corpus_folder, index_dir=corpus_folder.parent / "index", embedder=FakeEmbedder(),
              progress=False).load()


@pytest.fixture(scope="module")
def served(engine):
    """The page with one name allowed by --allow-host and one by the environment variable."""
    saved = os.environ.get(ui.ALLOW_HOSTS_ENV)
    os.environ[ui.ALLOW_HOSTS_ENV] = "env.example, other.example"
    try:
        app = ui.serve(engine, port=None, block=False, allow_hosts=["qa.example.org"])
    finally:
        if saved is None:
            os.environ.pop(ui.ALLOW_HOSTS_ENV, None)
        else:
            os.environ[ui.ALLOW_HOSTS_ENV] = saved
    yield app
    app.close()


def port_of(app) -> int:
    return urllib.parse.urlsplit(app.local_url).port


def request(app, method: str, path: str, *, host: str | None = None, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly these headers (the Host given, or 127.0.0.1:port)."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(app), timeout=HANG)
    try:
        sent = {"Host": host if host is not None else f"127.0.0.1:{port_of(app)}", **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    """Status and body of the HTTP response on `sock`, read until the server closes it (a server
    that closes with part of the request unread resets the connection after its answer)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        if not data:
            raise
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def open_socket(app) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port_of(app)), timeout=HANG)


def rss_bytes() -> int:
    """This process's resident memory (the servers run in it), from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    pytest.skip("no VmRSS in /proc/self/status")


def post_ask(app, question: str = SEED_QUESTION, *filters: str) -> tuple[int, str]:
    """`/ask` through Gradio's REST route: (status of the call, its result stream). Plain
    http.client, so that 200 callers at once cost this process (the server's) little memory."""
    values = [question, 3, *filters, *[""] * (4 - len(filters))]
    status, _, body = request(app, "POST", "/gradio_api/call/ask", body=json.dumps({"data": values}).encode(),
                              headers={"Content-Type": "application/json"})
    if status != 200:
        return status, body.decode()
    status, _, body = request(app, "GET", f"/gradio_api/call/ask/{json.loads(body)['event_id']}")
    return status, body.decode()


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + HANG
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {HANG} s for {what}")
        time.sleep(0.05)


# ---------------------------------------------------------------- Host header (DNS rebinding)

def test_the_page_answers_the_loopback_names_and_the_allowed_ones(served):
    port = port_of(served)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST", "localhost.",
                 "qa.example.org", "QA.example.org:443", "env.example", f"other.example:{port}"):
        status, _, body = request(served, "GET", "/", host=host)
        assert status == 200 and b"<gradio-app" in body, host


def test_other_host_names_get_a_one_line_400_from_the_page_and_the_api(served):
    port = port_of(served)
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example",
                 "evil.example@127.0.0.1", f"127.0.0.1:{port}@evil.example", "::1", "127.0.0.1:port", ""):
        for method, path, body in (("GET", "/", None), ("GET", "/config", None),
                                   ("POST", "/gradio_api/call/ask", json.dumps({"data": [SEED_QUESTION]}).encode())):
            status, headers, text = request(served, method, path, host=host, body=body,
                                            headers={"Content-Type": "application/json"})
            assert status == 400, (host, path)
            assert text == (ui.BAD_HOST + "\n").encode() and b"evil" not in text
            assert text.count(b"\n") == 1 and "--allow-host" in ui.BAD_HOST


def test_a_request_without_a_host_header_is_refused(served):
    with open_socket(served) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        status, body = read_response(sock)
    assert status == 400 and body == (ui.BAD_HOST + "\n").encode()


def test_the_allowed_names_come_from_host_allow_host_and_the_environment(monkeypatch):
    monkeypatch.delenv(ui.ALLOW_HOSTS_ENV, raising=False)
    assert ui.allowed_hosts() == {"127.0.0.1", "localhost", "::1"}
    assert ui.allowed_hosts("0.0.0.0") == ui.allowed_hosts("::") == ui.allowed_hosts()  # "every address" is no name
    assert ui.allowed_hosts("192.168.1.5") == {"127.0.0.1", "localhost", "::1", "192.168.1.5"}
    assert "fe80::1" in ui.allowed_hosts("fe80::1") and "qa.example.org" in ui.allowed_hosts(extra=["QA.Example.org"])
    monkeypatch.setenv(ui.ALLOW_HOSTS_ENV, "a.example,b.example c.example")
    assert {"a.example", "b.example", "c.example"} <= ui.allowed_hosts()
    with pytest.raises(ValueError, match="is not a host name"):
        ui.allowed_hosts(extra=["evil.example/path"])
    assert ui.build_parser().parse_args(["--allow-host", "a", "--allow-host", "b"]).allow_host == ["a", "b"]


def test_a_bad_allow_host_name_is_a_usage_error_before_anything_starts(capsys):
    with pytest.raises(SystemExit) as raised:
        ui.main(["--allow-host", "not a name"])
    assert raised.value.code == 2 and "is not a host name" in capsys.readouterr().err


def test_a_share_link_host_is_answered_once_gradio_made_it(engine):
    """A share link's requests arrive through its tunnel with the link's host name."""
    preparer = ui.Preparer(engine)
    app = ui.build_app(engine, preparer)
    preparer.start()
    ui.launch(app, port=None, block=False)
    try:
        assert request(app, "GET", "/", host="abc123.gradio.live")[0] == 400
        app.share_url = "https://abc123.gradio.live"  # what Gradio sets after opening the tunnel
        assert request(app, "GET", "/", host="abc123.gradio.live")[0] == 200
        assert request(app, "GET", "/", host="other.gradio.live")[0] == 400
    finally:
        app.share_url = None
        app.close()


# ---------------------------------------------------------------- security headers

def assert_secured(headers: dict[str, str]) -> str:
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "*" not in policy
    return directives["script-src"]


def test_every_response_carries_the_security_headers(served):
    probes = [("GET", "/", None), ("GET", "/config", None), ("GET", "/gradio_api/info", None),
              ("GET", "/no/such/page", None), ("GET", "/", "evil.example"), ("POST", "/gradio_api/upload", None),
              ("POST", "/gradio_api/call/ask", None)]
    statuses = set()
    for method, path, host in probes:
        status, headers, _ = request(served, method, path, host=host, body=b"{}" if method == "POST" else None)
        assert_secured(headers)
        statuses.add(status)
    assert {200, 400, 404} <= statuses
    with open_socket(served) as sock:  # a 413, read before any byte of the body is sent
        sock.sendall(f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: 127.0.0.1:{port_of(served)}\r\n"
                     f"Content-Length: {2 * MB}\r\n\r\n".encode())
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413
        assert_secured({k.lower(): v for k, v in response.getheaders()})


def test_the_page_runs_only_its_own_inline_scripts(served):
    _, headers, page = request(served, "GET", "/")
    scripts = assert_secured(headers)
    inline = re.findall(rb"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", page, re.S)
    assert len(inline) >= 3  # Gradio's config and loaders
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert scripts.count("'sha256-") == len(inline)


# ---------------------------------------------------------------- request bodies

def test_a_body_over_the_cap_is_refused_from_its_content_length_before_it_is_read(served):
    assert ui.MAX_BODY_BYTES == MB
    with open_socket(served) as sock:
        sock.sendall(f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: 127.0.0.1:{port_of(served)}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {MB + 1}\r\n\r\n".encode())
        status, body = read_response(sock)  # answered with no byte of the body sent
    assert status == 413 and body == (ui.TOO_LARGE + "\n").encode() and "1 MB" in ui.TOO_LARGE


def test_a_chunked_body_is_counted_and_refused_once_over_the_cap(served):
    head = (f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: 127.0.0.1:{port_of(served)}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    chunk = b"x" * (64 * 1024)
    with open_socket(served) as sock:
        sock.sendall(head)
        for _ in range(MB // len(chunk) + 1):  # one chunk past the cap, and the body not finished
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        status, body = read_response(sock)
    assert status == 413 and body == (ui.TOO_LARGE + "\n").encode()


def test_a_chunked_body_under_the_cap_still_reaches_the_api(served):
    payload = json.dumps({"data": [SEED_QUESTION, 3, "", "", "", ""]}).encode()
    with open_socket(served) as sock:
        sock.sendall((f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: 127.0.0.1:{port_of(served)}\r\n"
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                      ).encode() + b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload))
        status, body = read_response(sock)
    assert status == 200 and b"event_id" in body


def send_body(sock: socket.socket, size: int, chunked: bool) -> int:
    """Send up to `size` bytes of body, stopping when the server closes; the bytes sent."""
    piece = b"x" * MB
    sent = 0
    try:
        while sent < size:
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    return sent


def one_huge_body(app, size: int, chunked: bool) -> tuple[int, int]:
    """POST a `size`-byte body to `/ask`'s route, reading the answer meanwhile: (its status, bytes sent)."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    with open_socket(app) as sock:
        sock.sendall(f"POST /gradio_api/call/ask HTTP/1.1\r\nHost: 127.0.0.1:{port_of(app)}\r\n"
                     f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode())
        sent: list[int] = []
        sender = threading.Thread(target=lambda: sent.append(send_body(sock, size, chunked)))
        sender.start()
        status, _ = read_response(sock)
        sender.join(HANG)
        return status, sent[0]


def test_ten_100_mb_bodies_and_200_concurrent_questions_leave_the_server_answering(served):
    assert post_ask(served)[0] == 200  # warmed up: the first answers allocate caches
    before = rss_bytes()
    for i in range(10):
        status, sent = one_huge_body(served, 100 * MB, chunked=i % 2 == 1)
        assert status == 413
        assert sent < 100 * MB  # the server stopped reading: the rest of the body could not be sent
    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(lambda _: post_ask(served), range(200), timeout=HANG))
    answered = [text for status, text in results if status == 200]
    refused = [text for status, text in results if status != 200]
    assert len(answered) + len(refused) == 200 and answered
    assert all("event: complete" in text and "large industrial internet platforms" in text for text in answered)
    assert all(status == 503 and "Queue is full" in text for status, text in results if status != 200)
    assert post_ask(served)[0] == 200 and request(served, "GET", "/")[0] == 200
    assert rss_bytes() - before < 200 * MB


# ---------------------------------------------------------------- no uploads

def stored_files(app) -> set[Path]:
    folder = Path(app.server_app.uploaded_file_dir)
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "probe-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_upload_routes_are_closed_and_nothing_is_stored(served):
    before = stored_files(served)
    marker = f"stored? {uuid.uuid4().hex} ".encode()  # Gradio's upload folder is shared by every run
    body, content_type = multipart("probe.txt", marker * 100)
    for path in ("/gradio_api/upload", "/gradio_api/upload/", "/gradio_api/upload?upload_id=abc",
                 "/gradio_api/%75pload", "/gradio_api/process_recording", "/gradio_api/component_server"):
        status, _, text = request(served, "POST", path, body=body, headers={"Content-Type": content_type})
        assert status == 404 and text == (ui.NO_UPLOADS + "\n").encode(), path
    assert request(served, "GET", "/gradio_api/upload_progress?upload_id=abc")[0] == 404
    assert stored_files(served) == before
    assert not any(marker in path.read_bytes() for path in stored_files(served))


# ---------------------------------------------------------------- no absolute paths

def test_api_sources_are_relative_to_the_corpus_folder_and_the_library_keeps_full_paths(served, engine,
                                                                                        corpus_folder):
    from gradio_client import Client

    client = Client(served.local_url, verbose=False)
    seed = client.predict(SEED_QUESTION, 3, api_name="/ask")
    rural = client.predict(RURAL_QUESTION, 3, "", "rural", api_name="/ask")
    sources = {item["source"] for result in (seed, rural) for item in (*result["citations"], *result["passages"])}
    assert sources == {"seed.txt", "sub/rural.txt"}
    assert str(corpus_folder) not in json.dumps([seed, rural])
    library = engine.ask(SEED_QUESTION, k=3)  # qa.ask and the CLI keep full paths
    assert Path(library.citations[0].source).is_absolute() and library.citations[0].source.endswith("seed.txt")
    assert {k: v for k, v in seed.items() if k not in ("citations", "passages")} == \
        {k: v for k, v in json.loads(json.dumps(library.to_dict())).items() if k not in ("citations", "passages")}


def test_corpus_relative_paths(tmp_path):
    assert ui.corpus_relative(str(tmp_path / "a" / "b.txt"), tmp_path) == "a/b.txt"
    assert ui.corpus_relative(str(tmp_path / "t.txt"), tmp_path / "t.txt") == "t.txt"  # a one-file corpus
    assert ui.corpus_relative("/elsewhere/old/c.txt", tmp_path) == "c.txt"  # saved before the folder moved
    assert ui.without_paths(f"{tmp_path}/sub/bad.txt: not UTF-8 text", tmp_path) == "sub/bad.txt: not UTF-8 text"
    assert ui.without_paths(f"corpus not found: {tmp_path}", tmp_path) == f"corpus not found: {tmp_path.name}"


def test_a_bad_transcript_is_named_without_its_folder_on_the_page_and_in_the_api(tmp_path):
    from gradio_client import Client

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    (folder / "bad.txt").write_bytes(b"\xff\xfe not utf-8 \x80")
    engine = QA(corpus=folder, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    chat = re.sub(r"\\(.)", r"\1", ui.answer_turn(engine, SEED_QUESTION).chat)  # markdown escapes undone
    assert chat.startswith("bad.txt: not UTF-8 text") and str(tmp_path) not in chat
    app = ui.serve(engine, port=None, block=False)
    try:
        with pytest.raises(Exception) as raised:
            Client(app.local_url, verbose=False).predict(SEED_QUESTION, 3, api_name="/ask")
        assert "bad.txt" in str(raised.value) and str(tmp_path) not in str(raised.value)
    finally:
        app.close()


class Catalogue:
    """A stand-in corpus with many documents and speakers, for the filter's messages."""

    def __init__(self, documents: int, speakers: int) -> None:
        self.documents = tuple(DocumentInfo(f"doc-{i:02d}", f"Briefing {i}", f"2024-01-{i % 28 + 1:02d}",
                                            f"/srv/corpus/doc-{i:02d}.txt") for i in range(documents))
        self.speakers = tuple(f"Official {i:02d}" for i in range(speakers))

    def catalogue(self):
        return self.documents

    def columns(self) -> PassageColumns:
        n = len(self.speakers)
        return PassageColumns(np.zeros(n, dtype=np.int32), np.arange(n, dtype=np.int32), np.zeros(n, dtype=bool),
                              self.speakers)


def test_filter_errors_name_a_few_documents_and_speakers_not_the_whole_corpus():
    corpus = Catalogue(documents=32, speakers=25)
    with pytest.raises(ValueError) as raised:
        Filter(document="nothing").mask(corpus)
    message = str(raised.value)
    assert message.startswith("no document matches document='nothing'; documents: doc-00 (2024-01-01); ")
    assert message.endswith("doc-04 (2024-01-05) ... and 27 more") and "doc-05" not in message
    assert "/srv" not in message
    with pytest.raises(ValueError) as raised:
        Filter(speaker="nobody").mask(corpus)
    assert str(raised.value).endswith("speakers: " + ", ".join(corpus.speakers[:10]) + " ... and 15 more")
    with pytest.raises(ValueError, match=r"documents: doc-00 \(2024-01-01\); doc-01 \(2024-01-02\)$"):
        Filter(document="nothing").mask(Catalogue(documents=2, speakers=1))  # a few: all named


# ---------------------------------------------------------------- transcripts added or removed meanwhile

@pytest.fixture
def live(corpus_dir, tmp_path):
    """A prepared page engine over a corpus folder the test may change; checks not throttled."""
    engine = QA(corpus=corpus_dir, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    preparer = ui.Preparer(engine, check_every=0).start()
    assert preparer.done.wait(HANG) and preparer.status() == ui.READY
    return preparer


def documents_of(engine: QA) -> set[str]:
    return {Path(hit.source).name for hit in engine.retrieve("energy electricity platforms", k=50)}


def test_an_added_transcript_is_prepared_in_the_background_while_the_old_engine_answers(live, corpus_dir,
                                                                                       monkeypatch):
    gate = threading.Event()
    original = ui.fresh_engine

    def gated(engine):
        fresh = original(engine)
        real_load = fresh.load
        fresh.load = lambda: (gate.wait(HANG), real_load())[1]
        return fresh

    monkeypatch.setattr(ui, "fresh_engine", gated)
    old = live.current()
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")
    live.check()
    assert live.status() == ui.RELOADING and live.current() is old
    with pytest.raises(ValueError, match="no document matches"):  # still the transcripts as they were
        live.current().ask(RURAL_QUESTION, document="rural")
    gate.set()
    wait_until(lambda: not live.preparing, "the new engine")
    assert live.current() is not old and live.status() == ui.UPDATED and live.reloads == 1
    answer = live.current().ask(RURAL_QUESTION, document="rural")
    assert answer.citations and Path(answer.citations[0].source).name == "rural.txt"


def test_a_removed_transcript_is_dropped(live, corpus_dir):
    shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")
    live.check()
    wait_until(lambda: not live.preparing, "the engine with rural.txt")
    assert documents_of(live.current()) == {"seed.txt", "rural.txt"}
    (corpus_dir / "rural.txt").unlink()
    live.check()
    wait_until(lambda: not live.preparing, "the engine without rural.txt")
    assert documents_of(live.current()) == {"seed.txt"} and live.reloads == 2


def test_unchanged_transcripts_are_looked_at_at_most_once_every_few_seconds(corpus_dir, tmp_path, monkeypatch):
    engine = QA(corpus=corpus_dir, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    preparer = ui.Preparer(engine).start()
    assert preparer.done.wait(HANG) and preparer.check_every == ui.RELOAD_CHECK_SECONDS >= 1
    looks = []
    monkeypatch.setattr(ui, "corpus_fingerprint", lambda e: looks.append(e) or ui.fingerprint(ui.transcript_files(
        e.corpus_path)))
    for _ in range(20):  # twenty questions in a row: one look at the folder
        preparer.check()
    assert len(looks) == 1 and not preparer.preparing and preparer.status() == ui.READY


def test_a_change_that_cannot_be_prepared_keeps_the_old_engine_and_says_so(live, corpus_dir):
    old = live.current()
    (corpus_dir / "bad.txt").write_bytes(b"\x00\x01 binary")
    live.check()
    wait_until(lambda: not live.preparing, "the failed preparation")
    assert live.status() == ui.RELOAD_FAILED and live.current() is old
    assert old.ask(SEED_QUESTION).citations  # still answering
    live.check()  # the same bad transcripts are not prepared again
    assert not live.preparing and live.reloads == 0
    (corpus_dir / "bad.txt").unlink()
    live.check()
    assert live.status() == ui.READY and live.current() is old


def test_a_running_page_answers_from_a_transcript_added_after_it_started(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(ui, "RELOAD_CHECK_SECONDS", 0)
    engine = QA(corpus=corpus_dir, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    app = ui.serve(engine, port=None, block=False)
    try:
        status, text = post_ask(app, RURAL_QUESTION, "", "rural")
        assert status == 200 and "event: error" in text and "no document matches" in text.lower()
        shutil.copy(RURAL_TRANSCRIPT, corpus_dir / "rural.txt")

        def answered_from_rural() -> bool:
            status, text = post_ask(app, RURAL_QUESTION, "", "rural")
            return status == 200 and "event: complete" in text and '"source": "rural.txt"' in text
        wait_until(answered_from_rural, "an answer from the added transcript")
    finally:
        app.close()


# ---------------------------------------------------------------- in a real browser

@pytest.mark.browser
def test_the_page_works_under_its_policy_in_chromium(served):
    """Load the page, ask one question, see the answer and sources; nothing was blocked, and an
    injected inline handler does not run."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(f"{chromium} is missing: `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    from tests.test_ui_browser import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script("window.__blocked = []; document.addEventListener('securitypolicyviolation',"
                                 " e => window.__blocked.push(e.violatedDirective))")
            response = page.goto(served.local_url)
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            page.wait_for_function("() => document.querySelector('#qa-status')?.innerText.includes('Ready')",
                                   timeout=HANG * 1000)
            box = page.locator("#qa-question textarea")
            box.fill(SEED_QUESTION)
            box.press("Enter")
            page.wait_for_function("() => document.querySelectorAll(\"#qa-chat [data-testid='bot']\").length > 0",
                                   timeout=HANG * 1000)
            page.wait_for_function("() => !document.querySelector('.generating, .pending')", timeout=HANG * 1000)
            assert page.locator("#qa-chat [data-testid='bot']").last.inner_text().startswith("more than 150")
            assert page.locator("#qa-sources .qa-card").count() == ui.DEFAULT_K
            assert page.locator("#qa-sources mark.fig-answer").count() >= 1
            assert page.evaluate("() => window.__blocked") == []
            page.evaluate("() => { const img = document.createElement('img');"
                          " img.setAttribute('onerror', 'window.__ran = true'); img.src = 'data:,x';"
                          " document.body.appendChild(img); }")
            page.wait_for_function("() => window.__blocked.length > 0", timeout=HANG * 1000)
            assert page.evaluate("() => window.__ran") is None
        finally:
            browser.close()
