"""Shared fixtures: a deterministic fake embedder for fast tests, the real model once per session."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from bench.qa_scale import HashingEmbedder
from corpus import BUNDLED_CORPUS

FIXTURES = Path(__file__).parent / "fixtures"


@contextmanager
def serving(handler, server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer) -> Iterator[str]:
    """`handler` served on 127.0.0.1 at a free port, in a thread; yields the base URL and stops
    the server afterwards."""
    server = server_class(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def pytest_configure(config) -> None:
    """Import Gradio once, before any test starts a thread: its import parses source, and on
    Python 3.11 two threads parsing at once can fail with "AST constructor recursion depth
    mismatch" (CPython gh-106905), as a model loading in an earlier test's thread may."""
    import gradio  # noqa: F401


SEED_TRANSCRIPT = next(BUNDLED_CORPUS.glob("*.txt"))
RURAL_TRANSCRIPT = FIXTURES / "2023-03-09_rural-energy-briefing.txt"
REAL_TRANSCRIPTS = Path(__file__).resolve().parents[2] / "shared" / "real" / "transcripts"


class FakeEmbedder(HashingEmbedder):
    """Hashes tokens into a small normalised bag-of-words vector: similar words, similar vectors."""

    name = "fake-hashing-embedder"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        self.calls += 1
        return super().encode(texts)


@pytest.fixture(scope="session", autouse=True)
def private_user_data(tmp_path_factory):
    """Tests never read or write the developer's own transcripts folder (`qa add`'s default)."""
    import os

    before = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("user-data"))
    yield
    if before is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = before


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A corpus folder holding a copy of the bundled transcript, free to modify."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    return folder


@pytest.fixture
def fake_engine(tmp_path, fake_embedder):
    from qa import QA

    return QA(corpus=BUNDLED_CORPUS, index_dir=tmp_path / "index", embedder=fake_embedder, progress=False)


@pytest.fixture(scope="session")
def real_embedder():
    from index import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def real_transcripts_index(tmp_path_factory) -> Path:
    """One index folder for all of ../shared/real's transcripts together, built once a session
    by whichever test asks first (building it takes minutes)."""
    return tmp_path_factory.mktemp("real-transcripts-index")


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory, real_embedder):
    """The bundled corpus with the real model and FAISS, built once for the session."""
    from qa import QA

    return QA(corpus=BUNDLED_CORPUS, index_dir=tmp_path_factory.mktemp("seed-index"),
              embedder=real_embedder, progress=False).load()


@pytest.fixture(scope="session")
def rural_engine(tmp_path_factory, real_embedder):
    """A transcript nobody tuned on, with the same code and the real model."""
    from qa import QA

    return QA(corpus=RURAL_TRANSCRIPT, index_dir=tmp_path_factory.mktemp("rural-index"),
              embedder=real_embedder, progress=False).load()
