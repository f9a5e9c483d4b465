"""The chat server's safe defaults: local only, no share link, no files, small uploads, no
tracebacks, a bounded queue that serves several users at once (issue 6, "Server")."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import ui
from corpus import BUNDLED_CORPUS

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How many large industrial internet platforms have been established?"
PARALLEL = 50
RESULT_TIMEOUT = 180  # seconds for all parallel requests: a bound on hanging, not a speed check


@pytest.fixture(scope="module")
def served(real_engine):
    app = ui.serve(real_engine, port=None, block=False)
    assert app.local_url.startswith("http://127.0.0.1:")
    yield app
    app.close()


def port_of(app) -> int:
    return urllib.parse.urlsplit(app.local_url).port


def get(app, path: str) -> tuple[int, bytes]:
    """A raw GET, the path sent exactly as given (no client-side normalisation of ../ or %2F)."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(app), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def listening_addresses(port: int) -> set[str]:
    """The local addresses bound to `port` in LISTEN state, from the kernel's socket tables."""
    addresses = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                addresses.add(address)
    return addresses


def test_the_server_listens_on_loopback_only_and_makes_no_share_link(served):
    addresses = listening_addresses(port_of(served))
    if not addresses:
        pytest.skip("no /proc/net/tcp to inspect")
    assert addresses == {"0100007F"}  # 127.0.0.1, little-endian hex; not 0.0.0.0 or ::
    assert served.share is False and served.share_url is None


def probes(real_engine) -> list[str]:
    index_file = next(p for p in Path(real_engine.index_dir).rglob("*") if p.is_file())
    transcript = next(BUNDLED_CORPUS.glob("*.txt"))
    return [
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file=../../../../../../etc/passwd",
        "/gradio_api/file=..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=%252Fetc%252Fpasswd",
        "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/gradio_api/file=/tmp/gradio/../../etc/passwd",
        "/gradio_api/file=/proc/self/environ",
        f"/gradio_api/file={urllib.parse.quote(str(index_file))}",
        f"/gradio_api/file={index_file}",
        f"/gradio_api/file={transcript}",
        f"/gradio_api/file={ROOT / 'ui.py'}",
        "/gradio_api/file=ui.py",
        "/gradio_api/file=http://127.0.0.1:1/",  # no fetching of internal addresses for a caller
        "/file=/etc/passwd",
        "/file=../../../../etc/passwd",
    ]


def test_no_file_outside_the_app_is_served(served, real_engine):
    secrets = [b"root:", Path(ROOT / "ui.py").read_bytes()[:60], b"HF_HUB", b"PATH="]
    for path in probes(real_engine):
        status, body = get(served, path)
        assert status in (403, 404), (path, status)
        assert not any(secret in body for secret in secrets), path


def test_the_probe_would_see_a_served_file(served):
    """Control: a file Gradio itself created (an upload) is served, so the probes above can fail."""
    folder = Path(served.server_app.uploaded_file_dir)
    folder.mkdir(parents=True, exist_ok=True)
    control = folder / "control-probe.txt"
    control.write_text("served on purpose", encoding="utf-8")
    try:
        status, body = get(served, f"/gradio_api/file={control}")
        assert status == 200 and body == b"served on purpose"
    finally:
        control.unlink()


def test_uploads_are_limited_in_size(served):
    import httpx

    too_big = b"x" * (2 * 1024 * 1024)
    response = httpx.post(served.local_url + "gradio_api/upload", files={"files": ("big.txt", too_big)}, timeout=60)
    assert response.status_code == 413
    assert ui.MAX_FILE_SIZE == "1mb"


def test_errors_reach_the_caller_without_traceback_or_path(tmp_path):
    from gradio_client import Client

    class Failing:
        index_dir, corpus_path = tmp_path / "index", tmp_path / "corpus"

        def load(self):
            pass

        def ask(self, question, k=5, **filters):
            raise RuntimeError(f"broken at {tmp_path}/secret.faiss")

    app = ui.serve(Failing(), port=None, block=False)
    try:
        client = Client(app.local_url, verbose=False)
        with pytest.raises(Exception) as raised:
            client.predict(QUESTION, 5, api_name="/ask")
        message = str(raised.value)
        assert ui.FAILED in message and str(tmp_path) not in message and "Traceback" not in message
        status, body = get(app, "/")
        assert status == 200 and str(tmp_path).encode() not in body
    finally:
        app.close()


def test_the_queue_is_bounded_and_serves_several_requests_at_once(served):
    queue = served._queue
    assert queue.max_size == ui.QUEUE_SIZE and 0 < queue.max_size < 1000
    assert queue.default_concurrency_limit == ui.CONCURRENCY > 1


def test_two_requests_really_run_at_the_same_time(tmp_path):
    from gradio_client import Client

    both_inside = threading.Barrier(2, timeout=60)  # breaks unless two asks overlap

    class Meeting:
        index_dir, corpus_path = tmp_path / "index", tmp_path / "corpus"

        def load(self):
            pass

        def ask(self, question, k=5, **filters):
            both_inside.wait()
            from qa.models import Answer
            return Answer(question=question, answer="ok", text="ok", figures=(), citations=(), passages=(),
                          abstained=False, confidence=1.0)

    app = ui.serve(Meeting(), port=None, block=False)
    try:
        client = Client(app.local_url, verbose=False)
        jobs = [client.submit(f"question {i}", 5, api_name="/ask") for i in range(2)]
        assert [job.result(timeout=90)["answer"] for job in jobs] == ["ok", "ok"]
    finally:
        app.close()


def test_fifty_parallel_clients_all_get_the_right_answer(served, real_engine):
    from gradio_client import Client

    expected = real_engine.ask(QUESTION, k=5)
    # One client per thread, as fifty users would have: a single gradio_client shared by fifty
    # threads sometimes cancels one of its own jobs (CancelledError, client side, about one run in four).
    local = threading.local()

    def one(i: int) -> dict:
        if not hasattr(local, "client"):
            local.client = Client(served.local_url, verbose=False)
        return local.client.predict(QUESTION, 5, api_name="/ask")

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = list(pool.map(one, range(PARALLEL), timeout=RESULT_TIMEOUT))
    assert len(results) == PARALLEL
    assert all(r["answer"] == expected.answer for r in results)
    assert all(r["citations"][0]["quote"] == expected.citations[0].quote for r in results)


def test_a_full_queue_turns_requests_away_instead_of_piling_them_up(tmp_path, monkeypatch):
    from gradio_client import Client

    monkeypatch.setattr(ui, "QUEUE_SIZE", 2)
    monkeypatch.setattr(ui, "CONCURRENCY", 1)
    entered, release = threading.Event(), threading.Event()

    class Stuck:
        index_dir, corpus_path = tmp_path / "index", tmp_path / "corpus"

        def load(self):
            pass

        def ask(self, question, k=5, **filters):
            entered.set()
            release.wait(60)
            from qa.models import Answer
            return Answer(question=question, answer="ok", text="ok", figures=(), citations=(), passages=(),
                          abstained=False, confidence=1.0)

    app = ui.serve(Stuck(), port=None, block=False)
    try:
        client = Client(app.local_url, verbose=False)
        running = client.submit("first", 5, api_name="/ask")
        assert entered.wait(60)
        waiting = [client.submit(f"waiting {i}", 5, api_name="/ask") for i in range(2)]
        for _ in range(600):  # until both wait in the queue (at most a minute)
            if len(app._queue) >= 2:
                break
            time.sleep(0.1)
        turned_away = client.submit("one too many", 5, api_name="/ask")
        with pytest.raises(Exception, match="(?i)queue is full"):
            turned_away.result(timeout=60)
        release.set()
        assert [job.result(timeout=60)["answer"] for job in [running, *waiting]] == ["ok"] * 3
    finally:
        release.set()
        app.close()
