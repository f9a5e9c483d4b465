"""Benchmark: adding one transcript to a built index against rebuilding it from scratch.

    python -m bench.incremental [--repeat 3] [--json]

Corpus: every transcript bundled with the project and its tests (the seed, the ports and
rural briefings, the three multi-document fixtures). For each repetition the index of all
but the added transcript is built, copied, and then the transcript is added (incremental)
or the whole index rebuilt (`rebuild=True`), with the real model. Reported: median wall and
CPU seconds of each and their ratio, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from corpus import BUNDLED_CORPUS, load_corpus
from index import load_embedder, open_index

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SOURCES = [
    *sorted(BUNDLED_CORPUS.glob("*.txt")),
    *sorted((BUNDLED_CORPUS.parent / "eval").glob("*.txt")),
    FIXTURES / "2023-03-09_rural-energy-briefing.txt",
    *sorted((FIXTURES / "multidoc").iterdir()),
]
ADDED = FIXTURES / "2023-03-09_rural-energy-briefing.txt"


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def run(repeat: int = 3, added: Path = ADDED) -> dict:
    added = added.resolve()
    embedder = load_embedder()
    embedder.encode(["warm up the model"])  # first-call costs belong to neither side
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    try:
        corpus_dir = work / "corpus"
        corpus_dir.mkdir()
        for source in SOURCES:
            if source.resolve() != added:
                shutil.copy(source, corpus_dir / source.name)
        base_index = work / "base-index"
        open_index(load_corpus(corpus_dir), embedder, base_index, progress=False)
        shutil.copy(added, corpus_dir / added.name)
        corpus = load_corpus(corpus_dir)
        incremental, full = [], []
        for n in range(repeat):
            for label, rebuild, into in (("incremental", False, incremental), ("full", True, full)):
                index_dir = work / f"{label}-{n}"
                shutil.copytree(base_index, index_dir)
                into.append(_timed(lambda: open_index(corpus, embedder, index_dir, rebuild=rebuild, progress=False)))
        new = [p for p in corpus.passages if p.doc_id == added.stem]
        texts = len(corpus.passages) + sum(len(p.sentences) + len(p.statistics) for p in corpus.passages)
        added_texts = len(new) + sum(len(p.sentences) + len(p.statistics) for p in new)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "documents": len(corpus.documents), "passages": len(corpus.passages), "texts": texts,
        "added_document": added.name, "added_texts": added_texts, "repeat": repeat,
        "full_wall_s": round(statistics.median(w for w, _ in full), 3),
        "full_cpu_s": round(statistics.median(c for _, c in full), 3),
        "incremental_wall_s": round(statistics.median(w for w, _ in incremental), 3),
        "incremental_cpu_s": round(statistics.median(c for _, c in incremental), 3),
    }
    result["wall_ratio"] = round(result["incremental_wall_s"] / result["full_wall_s"], 3)
    result["cpu_ratio"] = round(result["incremental_cpu_s"] / result["full_cpu_s"], 3)
    return result


def table(results: list[dict]) -> str:
    """The README's table of saved runs: one row per added transcript."""
    lines = ["| added transcript | texts embedded (of all) | add | full rebuild | add / rebuild |",
             "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| `{r['added_document']}` | {r['added_texts']} of {r['texts']} | "
                     f"{r['incremental_wall_s']:.1f} s | {r['full_wall_s']:.1f} s | {r['wall_ratio']:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.incremental", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--added", type=Path, default=ADDED, help="the transcript to add (one of the corpus's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.added.resolve() not in {s.resolve() for s in SOURCES}:
        parser.error(f"--added must be one of: {', '.join(s.name for s in SOURCES)}")
    result = run(args.repeat, args.added)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:<20} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
