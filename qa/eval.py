"""Run a QA evaluation set and report retrieval, answer and faithfulness metrics.

Set format (JSON Lines): {"id", "question", "answers", "gold", "answerable", "tags", "split"}, and
optionally "mode": how an answer is checked ("number": the first number of the answer equals the
first number of `answers[0]`; "all": every string of `answers` is in the answer; "none": the
transcript does not answer). Without a mode, figures compare numerically and text by containment.
`evaluate()` returns a flat dict whose primary metric is `answer_accuracy`; `compare()` runs
every retriever on one loaded engine. `qa.eval_report` turns the results into tables.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from corpus import BUNDLED_CORPUS, parse_number
from index.progress import progress_bar
from qa.engine import QA
from qa.faithfulness import citations_valid, number_faithful
from qa.models import Answer

BUNDLED_SET = BUNDLED_CORPUS.parent / "eval" / "seed.jsonl"
SPLITS = ("dev", "heldout", "all")
RETRIEVAL_DEPTH = 10
COMPARED_MODES = ("bm25", "dense", "hybrid")  # the two baselines, then their fusion
CHECK_MODES = ("number", "all", "none")  # how a set's line says its answer is checked

_FIRST_NUMBER = re.compile(
    r"\d*[¼½¾⅛⅜⅝⅞⅓⅔]|\d+(?:,\d{3})*(?:\.\d+)?|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b",
    re.IGNORECASE,
)


class EvalSetError(ValueError):
    """The evaluation file is missing or malformed; the message names the line."""


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    answers: tuple[str, ...]
    gold: str
    answerable: bool
    tags: tuple[str, ...] = ()
    split: str = "dev"
    mode: str | None = None  # one of CHECK_MODES, or None for the default check
    doc: str = ""  # the transcript the question is about, when the set says (grouped validation)


@dataclass
class Row:
    """One question's outcome."""

    item: Item
    answer: Answer
    correct: bool
    rank: int | None  # 1-based rank of the first passage holding the gold snippet
    latency_ms: float


def load_set(path: str | Path = BUNDLED_SET, split: str = "all") -> list[Item]:
    """Read an evaluation file, keeping one split ("dev", "heldout" or "all")."""
    if split not in SPLITS:
        raise EvalSetError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalSetError(f"cannot read evaluation set {path}: {error}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            item = Item(str(raw["id"]), str(raw["question"]), tuple(raw.get("answers", [])),
                        str(raw.get("gold", "")), bool(raw.get("answerable", True)),
                        tuple(raw.get("tags", [])), str(raw.get("split", "dev")), raw.get("mode"),
                        str(raw.get("doc", "")))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise EvalSetError(f"{path}:{number}: not a valid evaluation line ({error})") from None
        if item.mode is not None and item.mode not in CHECK_MODES:
            raise EvalSetError(f"{path}:{number}: mode must be one of {', '.join(CHECK_MODES)}, not {item.mode!r}")
        if item.split not in SPLITS[:2]:
            raise EvalSetError(f"{path}:{number}: split must be 'dev' or 'heldout', not {item.split!r}")
        if split == "all" or item.split == split:
            items.append(item)
    if not items:
        raise EvalSetError(f"{path} has no questions" + ("" if split == "all" else f" in the {split!r} split"))
    return items


def set_files(path: str | Path) -> list[Path]:
    """The evaluation sets a path stands for: the file itself, or every `*.jsonl` under a folder
    (sorted). Raises EvalSetError when there is none."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if not p.name.startswith("."))
        if not files:
            raise EvalSetError(f"no evaluation sets (*.jsonl) under {path}")
        return files
    if not path.is_file():
        raise EvalSetError(f"evaluation set not found: {path} (give a .jsonl file or a folder of them)")
    return [path]


def first_number(text: str) -> float | None:
    match = _FIRST_NUMBER.search(text)
    return parse_number(match.group(0)) if match else None


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[^\w%.]+", " ", text.lower()).split())


def is_correct(item: Item, answer: Answer) -> bool:
    """Abstentions must match answerability; then the item's mode decides ("number": the first
    number of the answer against the first of `answers[0]`; "all": every expected string is in
    the answer). Without a mode, figures compare numerically (the first figure of the answer
    against the expected ones), other answers by normalised containment of any of them."""
    if not item.answerable or item.mode == "none" or answer.abstained:
        return answer.abstained and not (item.answerable and item.mode != "none")
    if item.mode == "number":
        expected, got = first_number(item.answers[0]) if item.answers else None, first_number(answer.answer)
        return expected is not None and got is not None and abs(got - expected) < 1e-9
    if item.mode == "all":
        return bool(item.answers) and all(normalize(a) in normalize(answer.answer) for a in item.answers)
    expected_numbers = [first_number(a) for a in item.answers]
    if expected_numbers and all(n is not None for n in expected_numbers):
        got = first_number(answer.answer)
        return got is not None and any(abs(got - n) < 1e-9 for n in expected_numbers)
    return any(normalize(a) in normalize(answer.answer) for a in item.answers)


def gold_rank(item: Item, answer: Answer) -> int | None:
    """The rank of the first passage holding the gold span; spacing aside, since a span copied
    from a hard-wrapped transcript has spaces where the file has line breaks (or two spaces)."""
    if not item.gold:
        return None
    gold = " ".join(item.gold.split())
    for rank, hit in enumerate(answer.passages, start=1):
        if gold in " ".join(hit.passage.text.split()):
            return rank
    return None


def run(engine: QA, items: Iterable[Item], *, progress: bool = True) -> list[Row]:
    """Ask every question; one Row each."""
    items = list(items)
    rows = []
    for item in progress_bar(items, desc=f"Evaluating ({engine.mode})", unit="q", shown=progress):
        started = time.perf_counter()
        answer = engine.ask(item.question, k=RETRIEVAL_DEPTH)
        latency = (time.perf_counter() - started) * 1000
        rows.append(Row(item, answer, is_correct(item, answer), gold_rank(item, answer), latency))
    return rows


def metrics(rows: list[Row]) -> dict[str, float]:
    """The flat metrics dict; `answer_accuracy` is the primary metric."""
    answerable = [r for r in rows if r.item.answerable]
    unanswerable = [r for r in rows if not r.item.answerable]
    abstained = [r for r in rows if r.answer.abstained]
    ranked = [r for r in answerable if r.item.gold]
    latencies = sorted(r.latency_ms for r in rows)
    result: dict[str, float] = {
        "questions": len(rows),
        "answer_accuracy": _share(r.correct for r in answerable),
        "overall_accuracy": _share(r.correct for r in rows),
        "abstention_precision": _share(not r.item.answerable for r in abstained),
        "abstention_recall": _share(r.answer.abstained for r in unanswerable),
        "false_abstention_rate": _share(r.answer.abstained for r in answerable),
        "citation_validity": _share(citations_valid(r.answer) for r in rows),
        "number_faithfulness": _share(number_faithful(r.answer) for r in rows),
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
    }
    for k in (1, 3, 5):
        result[f"recall@{k}"] = _share(r.rank is not None and r.rank <= k for r in ranked)
    result["mrr@10"] = sum(1 / r.rank for r in ranked if r.rank and r.rank <= 10) / len(ranked) if ranked else 0.0
    for tag, tagged in sorted(by_tag(rows).items()):
        # Per tag, a question counts as right when it is answered correctly or, for an
        # unanswerable one, declined: one number that works for every kind of tag.
        result[f"tag:{tag}:questions"] = len(tagged)
        result[f"tag:{tag}:accuracy"] = _share(r.correct for r in tagged)
    return result


def by_tag(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The rows grouped by each of their tags (a row with two tags is in both groups)."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        for tag in row.item.tags:
            groups.setdefault(tag, []).append(row)
    return groups


def failures(rows: Iterable[Row]) -> list[Row]:
    """The rows answered wrongly (including wrong abstentions and missed ones)."""
    return [row for row in rows if not row.correct]


def evaluate(set_path: str | Path = BUNDLED_SET, *, split: str = "all", engine: QA | None = None,
             mode: str | None = None, progress: bool = True) -> dict[str, float]:
    """Evaluate an engine (default: the bundled corpus) on a set; returns flat metrics.

    `mode` ("hybrid", "dense" or "bm25") overrides the engine's retriever.
    """
    return metrics(run(_engine(engine, mode), load_set(set_path, split), progress=progress))


def compare(set_path: str | Path = BUNDLED_SET, *, split: str = "all", engine: QA | None = None,
            modes: Iterable[str] = COMPARED_MODES, progress: bool = True) -> dict[str, dict[str, float]]:
    """Metrics for each retriever on the same set and loaded index: {mode: metrics}."""
    runs = run_modes(_engine(engine, None), load_set(set_path, split), modes, progress=progress)
    return {mode: metrics(rows) for mode, rows in runs.items()}


def run_modes(engine: QA, items: list[Item], modes: Iterable[str], *, progress: bool = True) -> dict[str, list[Row]]:
    """The same questions through each retriever, on one loaded index: {mode: rows}."""
    return {mode: run(engine.with_mode(mode), items, progress=progress) for mode in modes}  # type: ignore[arg-type]


def _engine(engine: QA | None, mode: str | None) -> QA:
    engine = engine or QA()
    return engine.with_mode(mode) if mode else engine  # type: ignore[arg-type]


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    position = min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    return round(sorted_values[position], 2)
