"""`qa bench`: run the benchmarks, print a table and save the JSON."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

from bench.app import run_app, scratch
from bench.qa_scale import run_qa_scale
from bench.scale import run_scale


def machine() -> dict:
    """Where the numbers come from: CPU, cores, memory, library versions."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem_kb = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    versions = {}
    for name in ("torch", "sentence-transformers", "onnxruntime", "faiss-cpu", "bm25s", "numpy"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "system": platform.platform(), "versions": versions}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def run(*, corpus: str | None = None, rounds: int = 3, cold_repeats: int = 5, questions: int | None = None,
        scale_sizes: list[int] | None = None, qa_scale_sizes: list[int] | None = None,
        embed_sample: int = 512, app: bool = True,
        output: Path | None = None, work: Path | None = None, quiet: bool = False,
        threads: int | None = None) -> dict:
    """Run the application and/or scale benchmarks; returns (and saves, if `output`) the JSON.

    `threads` caps the math libraries' threads in the measured processes (default: theirs)."""
    def progress(message: str) -> None:
        if not quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    if threads:  # inherited by every child process; set before any of them starts
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ[name] = str(threads)
    work_dir = work or scratch()
    try:
        result: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "threads": threads or "library default"}
        if app:
            result["app"] = run_app(corpus, work_dir, rounds=rounds, cold_repeats=cold_repeats,
                                    n_questions=questions, progress=progress)
        if scale_sizes:
            result["scale"] = run_scale(scale_sizes, work_dir, embed_sample=embed_sample, progress=progress)
        if qa_scale_sizes:
            result["qa_scale"] = run_qa_scale(qa_scale_sizes, work_dir, progress=progress)
    finally:
        if work is None:
            shutil.rmtree(work_dir, ignore_errors=True)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def table(result: dict) -> str:
    """The markdown tables of a result, as shown in the README."""
    m = result["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, "
             + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
             + f"; load average {m.get('load_average_at_start', ['?'])[0]} at the start ({result['date']}).",
             f"Threads: {result.get('threads', 'library default')}. "
             "Times: wall-clock median, with the CPU-time median in brackets.", ""]
    if app := result.get("app"):
        lines += app_table(app)
    if scale := result.get("scale"):
        e = scale["embedding"]
        lines += ["", "Scale (synthetic archive; vectors made from real sentence vectors):", "",
                  "| passages | index | build | disk | load | query median | p95 | dense part | exact scan | "
                  "recall@10 | RSS build | RSS query |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for row in scale["sizes"]:
            lines.append(
                f"| {row['passages']:,} | {row['index_kind']} | {row['build_s']:.1f} s | {row['disk_mb']:,.0f} MB | "
                f"{row['load_s'] * 1000:.0f} ms | {_ms(row['query'])} | {row['query']['p95_ms']:.1f} ms | "
                f"{_ms(row['query_dense'])} | {_ms(row['exact_scan'])} | {row['recall_at_10']:.3f} | "
                f"{row['build_peak_rss_mb'] / 1024:.2f} GiB | {row['query_peak_rss_mb'] / 1024:.2f} GiB |")
        cpu_rates = e.get("passages_per_cpu_s", {})
        rates = ", ".join(f"batch {k.split('_')[1]}: {v:.0f}/s ({cpu_rates.get(k, 0):.0f} per CPU-second)"
                          for k, v in e["passages_per_s"].items())
        lines += ["", f"Embedding throughput, real model on synthetic passages (~{e['mean_words']:.0f} words): "
                  f"{rates}; a million passages would take {e['hours_for_1m_at_best']:.1f} h."]
    if qa_scale := result.get("qa_scale"):
        lines += ["", "The whole answerer on a synthetic archive (`QA.ask`; hashing embedder, so the times "
                  "are the cost beyond encoding the question):", "",
                  "| passages | transcripts | first build (parse, embed, index) | index | start, unchanged "
                  "transcripts | ask median | p95 | RSS after start | RSS asking |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for row in qa_scale:
            lines.append(
                f"| {row['passages']:,} | {row['transcripts_mb']:,.0f} MB | {row['build_s']:.0f} s | "
                f"{row['index_mb']:,.0f} MB | {row['start_s']:.2f} s | {_ms(row['ask'])} | "
                f"{row['ask']['p95_ms']:.1f} ms | {row['start_rss_mb'] / 1024:.2f} GiB | "
                f"{row['ask_peak_rss_mb'] / 1024:.2f} GiB |")
    return "\n".join(lines)


def history_table(results: dict[str, dict]) -> str:
    """One row per saved `--qa-scale` run (file name -> result), in the order given: how a build's
    peak memory, a start and a question changed from one change to the next."""
    lines = ["| run | date (UTC) | load average | passages | first build | build peak RSS | start | ask median "
             "| p95 | RSS asking |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, result in results.items():
        load = result["machine"].get("load_average_at_start", ["?"])[0]
        for row in result["qa_scale"]:
            lines.append(
                f"| `{name}` | {result['date'][:16].replace('T', ' ')} | {load} | {row['passages']:,} | "
                f"{row['build_s']:.0f} s | "
                f"{row['build_peak_rss_mb']:,.0f} MiB ({row['build_peak_rss_mb'] / 1024:.2f} GiB) | "
                f"{row['start_s']:.2f} s | {_ms(row['ask'])} | {row['ask']['p95_ms']:.1f} ms | "
                f"{row['ask_peak_rss_mb'] / 1024:.2f} GiB |")
    return "\n".join(lines)


def app_table(app: dict) -> list[str]:
    """The bundled-corpus rows: floors, warm calls, cold starts, page start, build and load,
    every ratio against a baseline measured in the same run."""
    c, warm, cold, page = app["corpus"], app["warm"], app["cold"], app["page"]
    st_rss, onnx_rss = warm["sentence-transformers"]["peak_rss_mb"], warm["onnx"]["peak_rss_mb"]
    floor = app["floor"]
    lines = [f"Bundled corpus ({c['documents']} document(s), {c['passages']} passages):", "",
             "| measurement | median | p95 | ratio | peak RSS |", "|---|---|---|---|---|",
             f"| floor: sentence-transformers encodes one question | {_ms(floor)} | {floor['p95_ms']:.1f} ms "
             f"| 1.00 | {st_rss:.0f} MB |",
             _warm_row("floor: ONNX encodes one question", app["onnx_floor"], onnx_rss)]
    for encoder, rss, label in (("onnx", onnx_rss, "ONNX"), ("sentence-transformers", st_rss, "sentence-transformers")):
        rows = warm[encoder]
        lines += [_warm_row(f"warm `retrieve()`, {label}", rows["retrieve"], rss),
                  _warm_row(f"warm `ask()`, {label}", rows["ask"], rss)]
    lines.append(_warm_row("warm `ask()`, repeated question (LRU cache)", warm["onnx"]["ask_repeated"], onnx_rss))
    lines += [
        _cold_row("cold: bare sentence-transformers process (import, load, encode one)", cold["bare_st"], "1.00"),
        _cold_row("cold: bare ONNX process (import, load, encode one)", cold["bare_onnx"],
                  f"{cold['bare_onnx']['median_ms'] / cold['bare_st']['median_ms']:.2f}x bare ST"),
        _cold_row("cold: `qa ask \"...\"`, sentence-transformers (the path before ONNX)", cold["qa_ask_st"],
                  f"{cold['st_path_ratio_to_bare_st']:.2f}x bare ST"),
        _cold_row("cold: `qa ask \"...\"`, ONNX (default)", cold["qa_ask"],
                  f"**{cold['ratio_to_st_path']:.2f}x** the ST path, {cold['ratio_to_bare_onnx']:.2f}x bare ONNX"),
        _cold_row("page: `python ui.py` start to first `/ask` answer, sentence-transformers",
                  page["sentence-transformers"], "1.00"),
        _cold_row("page: `python ui.py` start to first `/ask` answer, ONNX (default)", page["onnx"],
                  f"**{page['ratio']:.2f}x** the ST page"),
    ]
    b, ld = app["build"], app["load"]
    lines.append(f"| index build ({b['texts_encoded']} texts, {b['texts_per_s']:.0f} texts/s) | "
                 f"{b['seconds']:.2f} s | | | {b['peak_rss_mb']:.0f} MB |")
    if "onnx_export_s" in b:
        lines.append(f"| ONNX export and check (once per index folder) | {b['onnx_export_s']:.2f} s | | | |")
    lines.append(f"| index load (corpus, checksums, FAISS, BM25; model already loaded) | "
                 f"{ld['seconds'] * 1000:.0f} ms | | | {ld['peak_rss_mb']:.0f} MB |")
    lines += ["", f"Texts encoded per question: {app['texts_encoded_per_question']:g} "
              f"(repeated question: {app['texts_encoded_per_repeated_question']:g})."]
    return lines


def _warm_row(label: str, row: dict, rss: float) -> str:
    return (f"| {label} | {_ms(row)} | {row['p95_ms']:.1f} ms | {row['ratio_to_floor']:.2f}x ST floor "
            f"(CPU {row['cpu_ratio_to_floor']:.2f}x) | {rss:.0f} MB |")


def _cold_row(label: str, row: dict, ratio: str) -> str:
    return f"| {label} | {_s(row)} | {row['p95_ms'] / 1000:.2f} s | {ratio} | {row['peak_rss_mb']:.0f} MB |"


def _s(row: dict) -> str:
    cpu = f" (CPU {row['cpu_median_ms'] / 1000:.2f})" if "cpu_median_ms" in row else ""
    return f"{row['median_ms'] / 1000:.2f} s{cpu}"


def _ms(row: dict) -> str:
    """Wall-clock median, and the CPU-time median when measured (immune to other load)."""
    cpu = f" (CPU {row['cpu_median_ms']:.1f})" if "cpu_median_ms" in row else ""
    return f"{row['median_ms']:.1f} ms{cpu}"
