"""Timing statistics, peak memory, and running one measurement in a fresh child process."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Child:
    """What a child process printed (its last line, as JSON), its wall and CPU time, its peak RSS."""

    result: dict
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float  # user + system time of the child: not inflated by other processes


def summary(seconds: list[float], cpu: list[float] | None = None) -> dict:
    """Median, p95 and count of a list of durations, in milliseconds; with `cpu`, the median
    CPU time too (unlike wall time, it does not grow when other processes share the cores)."""
    ms = np.asarray(seconds, dtype=np.float64) * 1000
    found = {"median_ms": round(float(np.median(ms)), 3), "p95_ms": round(float(np.percentile(ms, 95)), 3),
             "n": len(ms)}
    if cpu:
        found["cpu_median_ms"] = round(float(np.median(cpu)) * 1000, 3)
    return found


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


class Clock:
    """Collects wall and CPU durations of repeated calls: `with clock: ...`."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> "Clock":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)

    def summary(self) -> dict:
        return summary(self.wall, self.cpu)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(command: list[str], *, env: dict | None = None, expect_json: bool = True) -> Child:
    """Run a command to completion; its peak RSS comes from wait4, so it is this child's alone."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                               env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})
    # Read both pipes to the end (a full pipe would block the child), then reap it ourselves.
    out, err = _drain(process)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:6])} failed ({process.returncode}): {err.strip()[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1]) if expect_json else {}
    return Child(result, seconds, round(usage.ru_maxrss / 1024, 1), usage.ru_utime + usage.ru_stime)


def _drain(process: subprocess.Popen) -> tuple[str, str]:
    import threading

    chunks: dict[str, bytes] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()

    threads = [threading.Thread(target=read, args=(name, stream))
               for name, stream in (("out", process.stdout), ("err", process.stderr))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return chunks["out"].decode("utf-8", "replace"), chunks["err"].decode("utf-8", "replace")


def python_child(phase: str, *, env: dict | None = None, **options) -> Child:
    """Run `python -m bench.child <phase> <options as JSON>` in a fresh interpreter."""
    return run([sys.executable, "-m", "bench.child", phase, json.dumps(options)], env=env)


def dir_size_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) if Path(path).is_dir() \
        else Path(path).stat().st_size
    return round(total / 2**20, 1)
