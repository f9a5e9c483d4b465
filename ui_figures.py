"""The page's Figures tab and the chart under a cross-briefing answer (built by `ui.build_app`).

The tab lists every statistic of the corpus (`QA.figures`) in a table that a search box and
speaker and document filters narrow; the rows shown download as CSV, and a click on a row shows
its paragraph with the figure marked. Everything shown is a figure of the corpus, as written.
"""

from __future__ import annotations

import html
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corpus import document_text
from qa.explorer import FigureRow
from qa.explorer_output import figures_csv
from qa.models import Answer

logger = logging.getLogger(__name__)

TABLE_HEADERS = ["date", "speaker", "figure", "kind", "period", "subject", "document"]
MAX_SHOWN = 500  # rows in the table at once; the CSV holds every row that matches
CHOOSE_ROW = "Click a row to see its paragraph, with the figure marked."
_CSV_FOLDER = Path(tempfile.gettempdir()) / "transcript-qa-figures"
CSV_KEPT_S = 3600.0  # a CSV written for a download is removed after this long


def table_rows(rows: Sequence[FigureRow]) -> list[list[str]]:
    """The table's cells, one list per figure (the figure as written, never reformatted)."""
    return [[row.date or "", row.speaker, row.text, row.kind, row.period or "", row.subject,
             Path(row.source).name] for row in rows[:MAX_SHOWN]]


def found_line(rows: Sequence[FigureRow]) -> str:
    if not rows:
        return "No figure matches; clear a filter."
    shown = f"the first {MAX_SHOWN} shown, " if len(rows) > MAX_SHOWN else ""
    return f"{len(rows):,} figure(s) ({shown}all in the CSV)."


def csv_file(rows: Sequence[FigureRow]) -> str:
    """The rows as a CSV file in a private temporary folder (the download button serves it)."""
    _CSV_FOLDER.mkdir(mode=0o700, exist_ok=True)
    _remove_old_files(_CSV_FOLDER)
    handle, name = tempfile.mkstemp(prefix="figures-", suffix=".csv", dir=_CSV_FOLDER)
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(figures_csv(rows))
    return name


def _remove_old_files(folder: Path, older_than_s: float = CSV_KEPT_S) -> None:
    """Each "Show figures" writes a CSV (Gradio serves a copy from its own cache): the ones of
    earlier clicks go, so the folder does not grow for as long as the page runs."""
    cutoff = time.time() - older_than_s
    for old in folder.glob("figures-*.csv"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:  # removed meanwhile by another page process
            pass


def paragraph_html(row: FigureRow) -> str:
    """The figure's paragraph as escaped HTML, the figure marked, with where it was said."""
    text = document_text(row.source)
    paragraph = text[row.passage_start:row.passage_end]
    start, end = row.start - row.passage_start, row.end - row.passage_start
    marked = (f"{html.escape(paragraph[:start])}<mark class=\"fig fig-answer\" id=\"qa-fig-marked\">"
              f"{html.escape(paragraph[start:end])}</mark>{html.escape(paragraph[end:])}")
    where = html.escape(f"{row.speaker}, {row.date or 'undated'}, {Path(row.source).name} "
                        f"(characters {row.start}-{row.end})")
    return f'<div class="qa-card"><p class="qa-where">{where}</p><p>{marked}</p></div>'


def chart_points(answer: Answer) -> list[dict] | None:
    """The points of a line chart for an answer that lists one measure at several briefings
    (one figure and one citation per briefing, same unit), oldest first; None otherwise."""
    figures, citations = answer.figures, answer.citations
    if answer.abstained or answer.computed or len(figures) < 2 or len(figures) != len(citations):
        return None
    if len({(f.kind, f.unit, f.scale) for f in figures}) != 1 or len({c.document for c in citations}) < 2:
        return None
    if any(c.date is None for c in citations):
        return None
    points = [{"date": c.date, "value": f.value, "figure": f.text, "document": c.document, "speaker": c.speaker}
              for f, c in zip(figures, citations)]
    return sorted(points, key=lambda point: point["date"])


def build_tab(gr: Any, current: Callable[[], Any]) -> None:
    """The Figures tab's components and events, inside the caller's `gr.Tab`."""
    with gr.Row():
        query = gr.Textbox(label="Search figures", placeholder="what is measured, e.g. unemployment rate",
                           elem_id="qa-fig-query", scale=3)
        speaker = gr.Textbox(label="Speaker", placeholder="any", elem_id="qa-fig-speaker", scale=1)
        document = gr.Textbox(label="Document", placeholder="any (file name or title words)",
                              elem_id="qa-fig-document", scale=1)
    with gr.Row():
        show = gr.Button("Show figures", variant="primary", elem_id="qa-fig-show")
        download = gr.DownloadButton("Download CSV", value=None, elem_id="qa-fig-csv", interactive=False)
    found = gr.Markdown("", elem_id="qa-fig-found")
    table = gr.Dataframe(headers=TABLE_HEADERS, value=[], interactive=False, wrap=True, elem_id="qa-fig-table")
    paragraph = gr.HTML(CHOOSE_ROW, elem_id="qa-fig-paragraph")
    shown = gr.State([])

    def list_figures(text: str, who: str, where: str):
        try:
            rows = current().figures(query=text.strip() or None, speaker=who.strip() or None,
                                     document=where.strip() or None)
        except ValueError as error:  # a filter that matches nothing: say so, keep the page usable
            return [], str(error), gr.DownloadButton(value=None, interactive=False), [], CHOOSE_ROW
        return (table_rows(rows), found_line(rows), gr.DownloadButton(value=csv_file(rows), interactive=bool(rows)),
                rows[:MAX_SHOWN], CHOOSE_ROW)

    def choose(rows: list[FigureRow], event):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not isinstance(row, int) or not 0 <= row < len(rows):
            return CHOOSE_ROW
        return paragraph_html(rows[row])

    # Gradio passes the clicked cell to a parameter annotated SelectData; set as an object, since
    # this module's annotations are strings it cannot resolve.
    choose.__annotations__["event"] = gr.SelectData

    outputs = [table, found, download, shown, paragraph]
    for event in (show.click, query.submit, speaker.submit, document.submit):
        event(list_figures, [query, speaker, document], outputs, api_visibility="private")
    table.select(choose, [shown], paragraph, api_visibility="private")
