"""`qa figures` and `qa trend` output: a readable table (paged when long), CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import pydoc
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus.safe_text import printable, printable_json
from qa.explorer import COLUMNS, FigureRow, TrendPoint

# The terminal table's columns: what a reader scans; CSV and JSON hold every column.
TABLE_COLUMNS = ("date", "document", "speaker", "text", "kind", "period", "subject")
TREND_COLUMNS = ("date", "document", "speaker", "text", "period", "change", "cited at")
_WIDEST = {"document": 28, "speaker": 20, "subject": 48, "period": 24, "text": 24, "cited at": 40}


def figures_csv(rows: Sequence[FigureRow]) -> str:
    """Every column of every row (spreadsheet-ready; offsets slice the source to the figure)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.to_dict() for row in rows)
    return out.getvalue()


def trend_csv(points: Sequence[TrendPoint]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=(*COLUMNS, "change", "citations"), lineterminator="\n")
    writer.writeheader()
    for point in points:
        writer.writerow({**point.row.to_dict(), "change": _change(point),
                         "citations": "; ".join(f"{c.source}:{c.start}-{c.end}" for c in point.citations)})
    return out.getvalue()


def figures_json(rows: Sequence[FigureRow]) -> str:
    return printable_json(json.dumps([row.to_dict() for row in rows], indent=2, ensure_ascii=False))


def trend_json(points: Sequence[TrendPoint]) -> str:
    return printable_json(json.dumps([point.to_dict() for point in points], indent=2, ensure_ascii=False))


def figures_table(rows: Sequence[FigureRow]) -> str:
    lines = [[_cell(getattr(row, column)) for column in TABLE_COLUMNS] for row in rows]
    return _table(TABLE_COLUMNS, lines, f"{len(rows)} figure(s)")


def trend_table(points: Sequence[TrendPoint], measure: str) -> str:
    lines = [[_cell(point.row.date), _cell(point.row.document), _cell(point.row.speaker), _cell(point.row.text),
              _cell(point.row.period), _change(point),
              "; ".join(f"{_file(c.source)}:{c.start}-{c.end}" for c in point.citations)] for point in points]
    note = "changes are computed from the two values cited, never quoted"
    return _table(TREND_COLUMNS, lines, f"{len(points)} value(s) of {measure!r}; {note}")


def show(text: str) -> None:
    """Print, through a pager when the output is a terminal and does not fit on it."""
    if sys.stdout.isatty() and text.count("\n") + 1 > shutil.get_terminal_size().lines:
        pydoc.pager(text)
    else:
        print(text)


def _change(point: TrendPoint) -> str:
    return f"{point.change.text} (computed)" if point.change else ""


def _file(source: str) -> str:
    return Path(source).name


def _cell(value: object) -> str:
    text = "" if value is None else " ".join(str(value).split())  # one line per row
    return printable(text)  # transcript text is untrusted: no terminal control codes


def _table(header: Sequence[str], lines: list[list[str]], summary: str) -> str:
    widths = [min(max([len(h), *(len(line[i]) for line in lines)]), _WIDEST.get(h, 40)) for i, h in enumerate(header)]

    def fit(cells: Sequence[str]) -> str:
        return "  ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([fit(header), fit(["-" * w for w in widths]), *(fit(line) for line in lines), "", summary])
