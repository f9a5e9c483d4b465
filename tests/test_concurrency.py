"""Many threads on one engine: no errors, the same answers as one thread, thread pools not
multiplied; loads during index rebuilds never see a mix of old and new rows."""

from __future__ import annotations

import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from corpus import BUNDLED_CORPUS, load_corpus
from index import open_index
from qa import QA
from tests.conftest import RURAL_TRANSCRIPT, SEED_TRANSCRIPT, FakeEmbedder
from tests.test_robustness_index import assert_aligned

QUESTIONS = [
    "How many large industrial internet platforms have been established?",
    "What was the penetration rate of R&D and design tools in 2021?",
    "What was the numerical control rate of key processes at the end of 2021?",
    "How much did the software industry grow from 2012 to 2021?",
    "Who talked about the industrial internet platforms?",
    "How many 5G base stations has China built?",
    "industrial internet platforms",
    "By how many percentage points did the penetration rate of R&D and design tools rise over 2012?",
    "How many industrial applications have been developed?",
    "Who won the football world cup?",
]
THREADS, ASKS_PER_THREAD = 32, 20


def _thread_count() -> int:
    return len(os.listdir("/proc/self/task"))


@pytest.mark.model
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_32_threads_asking_20_times_get_the_serial_answers_without_multiplying_thread_pools(
        real_engine, real_embedder):
    # No question-vector cache: every ask encodes, so the model itself is called concurrently.
    engine = QA(corpus=BUNDLED_CORPUS, index_dir=real_engine.index_dir, embedder=real_embedder,
                progress=False, cache_size=0).load()
    serial = {q: engine.ask(q).to_dict() for q in QUESTIONS}
    baseline = _thread_count()
    peak, done = [baseline], threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], _thread_count())
            done.wait(0.002)

    def work(worker: int) -> list[tuple[str, dict]]:
        return [(q, engine.ask(q).to_dict())
                for q in (QUESTIONS[(worker * 7 + i) % len(QUESTIONS)] for i in range(ASKS_PER_THREAD))]

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            results = [item for batch in pool.map(work, range(THREADS)) for item in batch]  # re-raises errors
    finally:
        done.set()
        watcher.join()
    assert len(results) == THREADS * ASKS_PER_THREAD
    mismatched = [q for q, got in results if got != serial[q]]
    assert mismatched == []
    # 32 request threads and the watcher, plus at most a few: no OpenMP pool per request thread.
    assert peak[0] <= baseline + THREADS + 1 + 3, (baseline, peak[0])


def test_loads_during_rebuilds_never_mix_old_and_new_rows(tmp_path):
    """One thread keeps rebuilding the index for two corpora in turn; others keep opening it
    and asking a loaded engine. Every index they get is complete and aligned, every answer is
    the one the engine gave before the rebuilds started."""
    seed_dir, both_dir = tmp_path / "seed", tmp_path / "both"
    seed_dir.mkdir()
    shutil.copy(SEED_TRANSCRIPT, seed_dir / "seed.txt")
    shutil.copytree(seed_dir, both_dir)
    shutil.copy(RURAL_TRANSCRIPT, both_dir / "rural.txt")
    index_dir = tmp_path / "index"
    engine = QA(corpus=seed_dir, index_dir=index_dir, embedder=FakeEmbedder(), progress=False)
    before = {q: engine.ask(q).to_dict() for q in QUESTIONS[:4]}
    corpora = {path: load_corpus(path) for path in (seed_dir, both_dir)}
    stop = threading.Event()

    def rebuild() -> int:
        for n in range(8):
            open_index(corpora[(seed_dir, both_dir)[n % 2]], FakeEmbedder(), index_dir, rebuild=True, progress=False)
        stop.set()
        return 8

    def load(path) -> int:
        loads = 0
        while not stop.is_set() or loads < 2:
            loaded = open_index(corpora[path], FakeEmbedder(), index_dir, progress=False)
            assert loaded.corpus is corpora[path]
            assert_aligned(loaded, FakeEmbedder())
            loads += 1
        return loads

    def ask() -> int:
        asks = 0
        while not stop.is_set() or asks < 2:
            for question, expected in before.items():
                assert engine.ask(question).to_dict() == expected
            asks += 1
        return asks

    with ThreadPoolExecutor(7) as pool:
        jobs = [pool.submit(rebuild)] + [pool.submit(load, p) for p in (seed_dir, both_dir, seed_dir)]
        jobs += [pool.submit(ask) for _ in range(3)]
        counts = [job.result(timeout=300) for job in jobs]  # re-raises any error of a thread
    assert all(count >= 2 for count in counts)
    assert [p.name for p in index_dir.iterdir() if p.name.startswith(".tmp-")] == []


def test_a_load_whose_version_is_replaced_midway_reads_the_new_version(tmp_path, monkeypatch):
    """The race behind a once-flaky run: a build publishes a new version and deletes the one a
    loader is hashing. The loader must move on to the new version, not fail or rebuild."""
    import index.store

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    shutil.copy(SEED_TRANSCRIPT, corpus_dir / "seed.txt")
    corpus, index_dir = load_corpus(corpus_dir), tmp_path / "index"
    first = open_index(corpus, FakeEmbedder(), index_dir, progress=False).folder
    real_sha256, replaced = index.store.file_sha256, []

    def hash_after_a_concurrent_rebuild(path):
        if not replaced:
            replaced.append(None)  # the rebuild below hashes files too
            monkeypatch.setattr(index.store, "file_sha256", real_sha256)
            replaced[0] = open_index(corpus, FakeEmbedder(), index_dir, rebuild=True, progress=False).folder
        return real_sha256(path)  # the file was deleted with its version: FileNotFoundError

    monkeypatch.setattr(index.store, "file_sha256", hash_after_a_concurrent_rebuild)
    loaded = open_index(corpus, FakeEmbedder(), index_dir, progress=False)
    assert replaced and replaced[0] != first and not first.exists()
    assert loaded.folder == replaced[0]  # the concurrent build's version, not one of its own
    assert_aligned(loaded, FakeEmbedder())
