"""Page start to first answer: `python ui.py` in a fresh process until `/ask` answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import REPO, summary

_DEADLINE_S = 300.0


def page_start(corpus: str | None, index_dir: Path, question: str, repeats: int, encoders: tuple[str, ...]) -> dict:
    """For each encoder: seconds from starting `ui.py` to the first answer of its `/ask` API,
    and the page process's peak RSS; runs interleaved so a busy moment hits every encoder."""
    from gradio_client import Client  # imported before the clock starts: the client is not measured

    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in encoders}
    for _ in range(repeats):
        for name in encoders:
            runs[name].append(_one_start(Client, corpus, index_dir, question, name))
    return {name: {**summary([s for s, _ in found]), "peak_rss_mb": max(r for _, r in found)}
            for name, found in runs.items()}


def _one_start(client_class, corpus: str | None, index_dir: Path, question: str, encoder: str) -> tuple[float, float]:
    port = _free_port()
    command = [sys.executable, str(REPO / "ui.py"), "--port", str(port), "--index-dir", str(index_dir)]
    if corpus:
        command += ["--corpus", corpus]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSCRIPT_QA_ENCODER": encoder}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        answer = _first_answer(client_class, f"http://127.0.0.1:{port}/", question, process, start)
        seconds = time.perf_counter() - start
        rss = _peak_rss_mb(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if not answer.get("answer"):
        raise RuntimeError(f"the page gave no answer: {answer}")
    return seconds, rss


def _first_answer(client_class, url: str, question: str, process: subprocess.Popen, start: float) -> dict:
    while time.perf_counter() - start < _DEADLINE_S:
        if process.poll() is not None:
            raise RuntimeError(f"ui.py exited with {process.returncode} before answering")
        try:
            client = client_class(url, verbose=False)
        except Exception:  # not listening yet: the client raises whatever the connection gave
            time.sleep(0.05)
            continue
        return client.predict(question, api_name="/ask")
    raise RuntimeError(f"the page did not answer within {_DEADLINE_S:.0f} s")


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), read while it still runs."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
