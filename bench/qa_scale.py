"""The whole answerer on a large archive: `QA.ask` over N synthetic passages, end to end.

`bench.scale` measures the index layer with realistic vectors. This measures what a user
runs: transcripts on disk, `QA(...)` built once, then a fresh process that starts on the
unchanged transcripts (checks their fingerprint and reads the saved corpus back, no parsing)
and answers the evaluation questions. Embedding N passages with the real model takes hours
(see the embedding throughput), so both the build and the questions use a hashing embedder of
the model's dimension: the timings are the answerer's own cost beyond encoding the question,
and answer quality is not measured here.
"""

from __future__ import annotations

import json
import shutil
import time
import zlib
from pathlib import Path

import numpy as np

from bench.measure import Clock, dir_size_mb, peak_rss_mb, python_child

DIM = 384  # all-MiniLM-L6-v2's dimension: vectors of the same size as the real index


class HashingEmbedder:
    """Tokens hashed into a normalised bag of words: about a microsecond per text."""

    name = "bench-hashing-embedder"
    dim = DIM

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        from index.tokens import tokenize

        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text) or ["<empty>"]:
                vectors[row, zlib.crc32(token.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def run_qa_scale(sizes: list[int], work: Path, *, progress=print) -> list[dict]:
    rows = []
    for n in sizes:
        folder = work / f"qa-scale-{n}"
        progress(f"qa scale {n:,}: write transcripts, parse, index (hashing embedder)")
        build = python_child("qa_scale.build", n=n, folder=str(folder))
        progress(f"qa scale {n:,}: start on unchanged transcripts and ask (fresh process)")
        ask = python_child("qa_scale.ask", folder=str(folder))
        rows.append({"passages": n, **build.result, "build_peak_rss_mb": build.peak_rss_mb,
                     **ask.result, "ask_peak_rss_mb": ask.peak_rss_mb})
        progress(f"qa scale {n:,}: " + json.dumps(rows[-1]))
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def child_build(n: int, folder: str) -> dict:
    from bench import synth
    from qa import QA

    root = Path(folder)
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    synth.write_archive(root / "corpus", n, synth.source_sentences())
    written = time.perf_counter()
    QA(corpus=root / "corpus", index_dir=root / "index", embedder=HashingEmbedder(), progress=False).load()
    return {"write_s": round(written - start, 2), "build_s": round(time.perf_counter() - written, 2),
            "transcripts_mb": round(dir_size_mb(root / "corpus"), 1), "index_mb": round(dir_size_mb(root / "index"), 1)}


def child_ask(folder: str, rounds: int = 2) -> dict:
    from bench.scale import eval_questions
    from index.vectors import set_threads
    from qa import QA

    set_threads(1)  # one question at a time, as in the other benchmarks
    root = Path(folder)
    start = time.perf_counter()
    engine = QA(corpus=root / "corpus", index_dir=root / "index", embedder=HashingEmbedder(), progress=False,
                cache_size=0).load()
    start_s = time.perf_counter() - start
    start_rss = peak_rss_mb()
    questions = eval_questions()
    for _ in range(rounds):  # the first round reads the needed pages from disk; the last is reported
        clock, abstained = Clock(), 0
        for question in questions:
            with clock:
                answer = engine.ask(question)
            abstained += answer.abstained
    return {"start_s": round(start_s, 3), "start_rss_mb": round(start_rss, 1), "ask": clock.summary(),
            "questions": len(questions), "abstained": abstained}
