"""Evaluation results as text: the metrics, a per-tag breakdown, retrievers side by side,
the misses, and the markdown table the README shows (generated, never typed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from qa.engine import QA
from qa.eval import COMPARED_MODES, SPLITS, Row, compare, load_set

# The headline metrics, in the order they are shown, with their table labels.
HEADLINE = {
    "questions": "questions",
    "answer_accuracy": "answer accuracy",
    "abstention_precision": "abstention precision",
    "abstention_recall": "abstention recall",
    "false_abstention_rate": "false abstention rate",
    "recall@1": "recall@1",
    "recall@3": "recall@3",
    "recall@5": "recall@5",
    "mrr@10": "MRR@10",
    "citation_validity": "citation validity",
    "number_faithfulness": "number faithfulness",
    "latency_p50_ms": "latency p50 (ms)",
    "latency_p95_ms": "latency p95 (ms)",
}
# Timings differ from run to run, so the README table leaves them out: it must be reproducible.
README_COLUMNS = {
    "questions": "questions",
    "answer_accuracy": "answer acc.",
    "abstention_precision": "abst. precision",
    "abstention_recall": "abst. recall",
    "false_abstention_rate": "false abst.",
    "recall@1": "R@1",
    "recall@3": "R@3",
    "recall@5": "R@5",
    "mrr@10": "MRR@10",
    "citation_validity": "citation validity",
    "number_faithfulness": "number faithfulness",
}


@dataclass(frozen=True)
class TableRow:
    """One line of the README table: which set and split, which retriever, its metrics."""

    set_name: str
    split: str
    mode: str
    metrics: dict[str, float]


def value(metric: str, number: float) -> str:
    if metric == "questions" or metric.endswith(":questions"):
        return str(int(number))
    return f"{number:.1f}" if metric.endswith("_ms") else f"{number:.3f}"


def format_metrics(result: dict[str, float]) -> str:
    """The headline metrics, one a line, then accuracy per tag."""
    width = max(map(len, HEADLINE.values()))
    lines = [f"{label:<{width}}  {value(key, result[key])}" for key, label in HEADLINE.items() if key in result]
    tags = tag_lines(result)
    return "\n".join(lines + ([""] + tags if tags else []))


def tag_lines(result: dict[str, float]) -> list[str]:
    """Per-tag accuracy (answered right, or declined when unanswerable) with question counts."""
    tags = sorted(key.split(":")[1] for key in result if key.startswith("tag:") and key.endswith(":accuracy"))
    if not tags:
        return []
    width = max(len(tag) for tag in tags + ["tag"])
    lines = [f"{'tag':<{width}}  questions  accuracy"]
    for tag in tags:
        count, accuracy = result[f"tag:{tag}:questions"], result[f"tag:{tag}:accuracy"]
        lines.append(f"{tag:<{width}}  {int(count):>9}  {accuracy:>8.3f}")
    return lines


def format_comparison(results: dict[str, dict[str, float]]) -> str:
    """Retrievers side by side: one column each, headline metrics then per-tag accuracy."""
    modes = list(results)
    first = results[modes[0]]
    tag_keys = sorted(key for key in first if key.startswith("tag:") and key.endswith(":accuracy"))
    labels = dict(HEADLINE) | {key: f"tag {key.split(':')[1]}" for key in tag_keys}
    rows = [(label, [value(key, results[mode][key]) for mode in modes])
            for key, label in labels.items() if key in first]
    width = max(len(label) for label, _ in rows)
    column = max(8, *(len(mode) for mode in modes))
    lines = [f"{'metric':<{width}}  " + "  ".join(f"{mode:>{column}}" for mode in modes)]
    lines += [f"{label:<{width}}  " + "  ".join(f"{cell:>{column}}" for cell in cells) for label, cells in rows]
    return "\n".join(lines)


def format_failures(rows: Iterable[Row]) -> str:
    """Each miss: its id and tags, the question, what was expected and what came back."""
    blocks = []
    for row in rows:
        item = row.item
        expected = " / ".join(item.answers) if item.answerable else "(an abstention)"
        got = "(abstained) " + row.answer.answer if row.answer.abstained else row.answer.answer
        blocks.append(f"[{item.id}] ({', '.join(item.tags)}) {item.question}\n"
                      f"  expected: {expected}\n  got:      {got}")
    return "\n".join(blocks) if blocks else "no failures"


def markdown_table(rows: Iterable[TableRow]) -> str:
    """The README's table: one line per set, split and retriever, reproducible metrics only."""
    header = ["set", "split", "retriever", *README_COLUMNS.values()]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row.set_name, row.split, row.mode, *(value(key, row.metrics[key]) for key in README_COLUMNS)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table_rows(set_name: str, set_path: str | Path, engine: QA, *, modes: Iterable[str] = COMPARED_MODES,
               progress: bool = False) -> list[TableRow]:
    """Evaluate every split the set has (dev, then heldout) with every retriever."""
    present = {item.split for item in load_set(set_path)}
    rows = []
    for split in (s for s in SPLITS if s in present):
        for mode, result in compare(set_path, split=split, engine=engine, modes=modes, progress=progress).items():
            rows.append(TableRow(set_name, split, mode, result))
    return rows
