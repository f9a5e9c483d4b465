"""The scale benchmark: a synthetic archive of N passages, indexed and queried like the real one.

Per size: build time (vectors, BM25, passage metadata), size on disk, load time in a fresh
process, query median/p95 (approximate dense search + BM25 + fusion + metadata of the top
rows), peak memory of building and of querying, and recall@10 of the approximate dense index
against exact search. Embedding a million passages on a laptop CPU takes hours, so the vectors
of synthetic passages are made from the real vectors of their source sentences
(`bench.synth.passage_vectors`); the model's own throughput is measured separately.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from bench.measure import Clock, dir_size_mb, peak_rss_mb, python_child, timed

EVAL_SETS = [Path(__file__).resolve().parent.parent / "corpus" / "eval" / name
             for name in ("seed.jsonl", "ports.jsonl")]
CANDIDATES = 100  # rows taken from each of the dense and the BM25 side before fusion
DENSE_WEIGHT = 0.5  # as in qa.retrieval


def run_scale(sizes: list[int], work: Path, *, embed_sample: int = 512, keep: bool = False,
              progress=print) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    progress(f"scale: embedding the source sentences, the questions and {embed_sample} sample passages")
    embed = python_child("scale.embed", work=str(work), sample=embed_sample)
    rows = []
    for n in sizes:
        folder = work / f"scale-{n}"
        progress(f"scale {n:,}: build")
        build = python_child("scale.build", n=n, folder=str(folder), work=str(work))
        progress(f"scale {n:,}: load and query (fresh process)")
        query = python_child("scale.query", folder=str(folder), work=str(work))
        progress(f"scale {n:,}: exact search for recall")
        truth = python_child("scale.truth", folder=str(folder), work=str(work))
        rows.append({"passages": n, **build.result, "build_peak_rss_mb": build.peak_rss_mb,
                     **query.result, "query_peak_rss_mb": query.peak_rss_mb, **truth.result,
                     "truth_peak_rss_mb": truth.peak_rss_mb})
        progress(f"scale {n:,}: " + json.dumps(rows[-1]))
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return {"embedding": embed.result, "sizes": rows}


def eval_questions() -> list[str]:
    """Every question of the shipped evaluation sets: realistic query vectors and words."""
    found = []
    for path in EVAL_SETS:
        found += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    return found


# --- child phases -------------------------------------------------------------------------

def child_embed(work: str, sample: int) -> dict:
    """Real vectors of the source sentences and questions; the model's throughput by batch size."""
    from bench import synth
    from index import load_embedder

    embedder = load_embedder()
    pool = synth.source_sentences()
    np.save(Path(work) / "pool.npy", embedder.encode(pool))
    questions = eval_questions()
    np.save(Path(work) / "questions.npy", embedder.encode(questions))
    (Path(work) / "questions.json").write_text(json.dumps(questions), encoding="utf-8")
    texts = [p.text for p in synth.passages(sample, pool, seed=99)]
    model = embedder._model
    model.encode(texts[:16], batch_size=16)  # warm-up
    throughput, per_cpu_s = {}, {}
    for batch in (1, 16, 64):
        chunk = texts[: max(32, sample // 4)] if batch == 1 else texts
        clock = Clock()
        with clock:
            model.encode(chunk, batch_size=batch, normalize_embeddings=True)
        throughput[f"batch_{batch}"] = round(len(chunk) / clock.wall[0], 1)
        per_cpu_s[f"batch_{batch}"] = round(len(chunk) / clock.cpu[0], 1)  # per second of one core
    words = float(np.mean([len(t.split()) for t in texts]))
    return {"passages_per_s": throughput, "passages_per_cpu_s": per_cpu_s, "sample": len(texts),
            "mean_words": round(words, 1), "hours_for_1m_at_best": round(1e6 / max(throughput.values()) / 3600, 2),
            "source_sentences": len(pool), "questions": len(questions)}


def child_build(n: int, folder: str, work: str) -> dict:
    from bench import synth
    from index.lexical import LexicalIndex
    from index.passage_db import PassageRow, PassageTable
    from index.tokens import tokenize
    from index.vectors import VectorIndex

    folder_path = Path(folder)
    shutil.rmtree(folder_path, ignore_errors=True)
    folder_path.mkdir(parents=True)
    pool = synth.source_sentences()
    # One pass over the generated passages: metadata rows go straight to SQLite, and only
    # token ids and source sentence numbers stay in memory.
    sources: list[tuple[int, ...]] = []
    token_ids: list[list[int]] = []
    vocab: dict[str, int] = {}
    speakers: set[str] = set()
    spent = {"generate": 0.0, "tokenize": 0.0}

    def rows():
        generated = synth.passages(n, pool)
        while True:
            start = time.perf_counter()
            p = next(generated, None)
            middle = time.perf_counter()
            if p is None:
                return
            sources.append(p.sources)
            speakers.add(p.speaker)
            ids = [vocab.setdefault(t, len(vocab)) for t in tokenize(p.text)]
            token_ids.append(ids or [vocab.setdefault("\0", len(vocab))])
            spent["generate"] += middle - start
            spent["tokenize"] += time.perf_counter() - middle
            yield PassageRow(p.row, f"synthetic-{p.doc:06d}:p{p.row}", f"synthetic-{p.doc:06d}", p.speaker, 0,
                             len(p.text), p.text)

    start = time.perf_counter()
    PassageTable.write(folder_path / "passages.sqlite", rows())
    metadata_s = time.perf_counter() - start - spent["generate"] - spent["tokenize"]
    vectors_s, vectors = timed(synth.passage_vectors, sources, np.load(Path(work) / "pool.npy"))
    np.save(folder_path.parent / f"truth-{n}.npy", vectors)  # for the exact search; not the index
    times = {"tokenize_s": spent["tokenize"], "metadata_s": metadata_s}
    start = time.perf_counter()
    index = VectorIndex.build(vectors)
    index.save(folder_path / "passages.faiss")
    times["vectors_s"] = time.perf_counter() - start
    kind = index.kind
    del vectors, index
    start = time.perf_counter()
    LexicalIndex.build_token_ids(token_ids, vocab).save(folder_path / "bm25")
    times["bm25_s"] = time.perf_counter() - start
    return {
        "index_kind": kind,
        "build_s": round(sum(times.values()), 2),
        **{k: round(v, 2) for k, v in times.items()},
        "generate_s": round(spent["generate"], 2), "synth_vectors_s": round(vectors_s, 2),
        "disk_mb": dir_size_mb(folder_path),
        "disk_mb_parts": {p.name: dir_size_mb(p) for p in sorted(folder_path.iterdir())},
        "documents": (n - 1) // synth.PASSAGES_PER_DOCUMENT + 1 if n else 0,
        "speakers": len(speakers),
        "vocabulary": len(vocab),
    }


def child_query(folder: str, work: str, k: int = 10) -> dict:
    from index.lexical import LexicalIndex
    from index.passage_db import PassageTable
    from index.tokens import tokenize
    from index.vectors import VectorIndex, set_threads

    set_threads(1)  # one question at a time: no thread hand-offs on a shared machine
    folder_path = Path(folder)
    start = time.perf_counter()
    vectors = VectorIndex.load(folder_path / "passages.faiss", mmap=True)
    lexical = LexicalIndex.load(folder_path / "bm25", mmap=True)
    table = PassageTable(folder_path / "passages.sqlite")
    load_s = time.perf_counter() - start
    query_vectors = np.load(Path(work) / "questions.npy")
    questions = json.loads((Path(work) / "questions.json").read_text(encoding="utf-8"))
    for _ in range(2):  # the first round warms the page cache; the second is reported
        total, dense, bm25_clock, found = Clock(), Clock(), Clock(), []
        for question, vector in zip(questions, query_vectors):
            with total:
                with dense:
                    ids, scores = vectors.search_batch(vector[None, :], CANDIDATES)
                with bm25_clock:
                    rows, bm25 = lexical.top(tokenize(question), CANDIDATES)
                top = _fuse(ids[0], scores[0], rows, bm25, k)
                passages = table.get(top)
            assert len(passages) == len(top)
            found.append(ids[0][:k])
    np.save(folder_path.parent / f"found-{len(vectors)}.npy", np.asarray(found))
    return {"load_s": round(load_s, 3), "query": total.summary(), "query_dense": dense.summary(),
            "query_bm25": bm25_clock.summary(), "query_peak_rss_mb_self": peak_rss_mb()}


def _fuse(ids: np.ndarray, scores: np.ndarray, rows: np.ndarray, bm25: np.ndarray, k: int) -> list[int]:
    """Weighted fusion of the two candidate lists, as qa.retrieval fuses full score arrays."""
    dense = {int(i): float(s) for i, s in zip(ids, scores) if i >= 0}
    floor = min(dense.values(), default=0.0)  # a BM25-only candidate scored below every dense one
    top_bm25 = float(bm25[0]) if len(bm25) else 1.0
    lexical = {int(r): float(s) / top_bm25 for r, s in zip(rows, bm25)}
    fused = {row: DENSE_WEIGHT * dense.get(row, floor) + (1 - DENSE_WEIGHT) * lexical.get(row, 0.0)
             for row in dense.keys() | lexical.keys()}
    return sorted(fused, key=lambda row: (-fused[row], row))[:k]


def child_truth(folder: str, work: str, k: int = 10) -> dict:
    from index.vectors import VectorIndex, exact_top_k, recall_at_k, set_threads

    folder_path = Path(folder)
    n = int(folder_path.name.split("-")[-1])
    vectors = np.load(folder_path.parent / f"truth-{n}.npy")
    queries = np.load(Path(work) / "questions.npy")
    truth = exact_top_k(vectors, queries, k)
    found = np.load(folder_path.parent / f"found-{n}.npy")
    set_threads(1)
    exact = VectorIndex.build(vectors, exact=True)
    scan = Clock()
    for query in queries[:50]:  # what an exact index costs per question at this size
        with scan:
            exact.search_batch(query[None, :], k)
    (folder_path.parent / f"truth-{n}.npy").unlink()
    (folder_path.parent / f"found-{n}.npy").unlink()
    return {"recall_at_10": round(recall_at_k(found, truth), 4), "exact_scan": scan.summary()}
