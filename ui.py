"""Chat with a transcript in the browser: `python ui.py` (Gradio 6; the only module importing it).

The page: a chat on the left (the question shown at once, then the answer: the short answer, the
quote with [n] markers and the speaker), the passages retrieved for the last question on the
right with their figures highlighted (before the first answer, what the corpus holds), example
questions, a top-k control and filters, and a plain-text copy of the last answer with its
citations. On a narrow window the passages come right after the question box.
Everything from the corpus or the user is escaped before it reaches the page. The server answers
only the allowed Host names, sends security headers, caps request bodies, takes no uploads (all
in ui_guard.py), shows paths relative to the corpus folder, and picks up transcripts added or
removed while it runs.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus import BUNDLED_CORPUS, transcript_files
from corpus.loader import fingerprint
from qa import QA, render
from qa.config import DEFAULT_K, MAX_K
from qa.followup import Search, compose
from qa.models import Answer
from qa.question import visible_text
from qa.render_html import escape_html, sources_html
from ui_figures import build_tab as build_figures_tab
from ui_figures import chart_points
from ui_guard import (  # noqa: F401 (the guard's limits and answers, also as ui.NAME, as SECURITY.md names them)
    ALLOW_HOSTS_ENV,
    BAD_HOST,
    CSP,
    MAX_BODY_BYTES,
    NO_UPLOADS,
    TOO_LARGE,
    UPLOAD_ROUTES,
    Guard,
    allowed_hosts,
    security_headers,
)

logger = logging.getLogger(__name__)

EXAMPLES = [
    "How many large industrial internet platforms have been established?",  # a figure
    "What was the numerical control rate of key processes at the end of 2021?",  # one of a "respectively" pair
    "How much did the software industry grow from 2012 to 2021?",  # growth, with a computed change
    "Who spoke about the industrial internet?",  # a speaker
    "How many 5G base stations were built?",  # not in the transcript
    "What was the size of the software industry in 2021?",  # then try the follow-up "And in 2012?"
]


def examples_for(engine: Any) -> list[str]:
    """The example questions are about the bundled transcript: shown only when it is the corpus."""
    corpus = getattr(engine, "corpus_path", None)
    if corpus is None:
        return []
    return EXAMPLES if Path(corpus).resolve() == BUNDLED_CORPUS.resolve() else []


MAX_QUESTION_CHARS = 10_000
QUEUE_SIZE = 64  # requests waiting beyond this are refused, not piled up
CONCURRENCY = 4  # requests answered at once (the engine is thread-safe)
MAX_FILE_SIZE = "1mb"  # the page takes no uploads; anything posted to the upload route stays small
RELOAD_CHECK_SECONDS = 5.0  # how often a question may look for added or removed transcripts (a `stat` per file)

PREPARING = "Preparing the index for the transcript (first run only; progress in the terminal)..."
READY = "Ready. Ask about the transcript; answers quote it and cite every figure."
UNAVAILABLE = "The transcript could not be prepared; the server's terminal says why."
RELOADING = ("The transcripts changed: preparing the index for them (progress in the terminal); "
             "until then answers come from the transcripts as they were...")
UPDATED = "Ready, updated with the transcripts added or removed meanwhile. Answers quote them and cite every figure."
RELOAD_FAILED = ("The transcripts changed but could not be prepared (the server's terminal says why); "
                 "answers come from the transcripts as they were.")
EMPTY = "Please type a question about the transcript."
TOO_LONG = ("That question is too long ({length:,} characters); please keep it under {limit:,}. "
            "It is still in the box, to shorten.")
FAILED = "Sorry, something went wrong while answering. Please try again."
OVERVIEW_PREPARING = "The documents of the corpus are listed here once the index is ready."
MAX_OVERVIEW_DOCUMENTS = 12  # documents listed on load; the Figures tab and `qa list` show every one
MAX_OVERVIEW_SPEAKERS = 6  # speakers named per document
# The page's names for `qa.ask`'s filters, in the library's messages ("date_from must be ...").
FILTER_LABELS = {"date_from": "From date", "date_to": "To date", "document": "Document", "speaker": "Speaker"}

CSS = """
.qa-legend span, .qa-card .fig { padding: 0 .2em; border-radius: .25em; }
.fig-answer { background: #fde047; color: #111; font-weight: 700; outline: 2px solid #ca8a04; }
.fig-answer.fig-operand { background: #fdba74; outline-color: #c2410c; }
.fig-other { background: #dbeafe; color: #111; }
.qa-text .fig-operand::after { content: " \\2190 computed"; font-size: .75em; font-weight: 400; color: #9a3412; }
.qa-computed { border-left: 4px solid #ea580c; padding: .3em .6em; margin: .4em 0; }
.qa-card { border: 1px solid #d4d4d8; border-radius: .5em; padding: .5em .7em; margin: .5em 0; }
.qa-card.cited { border: 2px solid #ca8a04; }
.qa-meta { font-size: .85em; color: #52525b; margin-bottom: .3em; }
.qa-text { white-space: pre-wrap; line-height: 1.5; }
.qa-searched { font-size: .9em; margin: .3em 0 .6em 0; }
.qa-doc-title { font-weight: 600; }
/* Example chips: the whole question, wrapped if need be; no state kept after a click. */
#qa-examples .qa-chip { flex: 0 1 auto; min-width: 0; max-width: 100%; height: auto; white-space: normal;
  text-align: left; font-weight: 400; }
#qa-examples .qa-chip:focus:not(:focus-visible) { box-shadow: none; }
/* Narrow windows (a phone): the sources come right after the question box, before the
   examples, options and copy box, instead of after the whole chat column. */
@media (max-width: 760px) {
  #qa-main { flex-direction: column; flex-wrap: nowrap; }
  #qa-left { display: contents; }
  #qa-main > *, #qa-left > * { order: 3; width: 100%; min-width: 0; }
  #qa-left > #qa-chat, #qa-left > :has(#qa-question), #qa-left > #qa-buttons { order: 1; }
  #qa-main > #qa-right { order: 2; }
}
"""


# ---------------------------------------------------------------- escaping

escape_markdown = render.escape_markdown  # text shown literally in a chat bubble


# ---------------------------------------------------------------- one chat turn

@dataclass(frozen=True)
class Turn:
    """Everything the page shows after one question."""

    chat: str  # markdown for the chat bubble, all corpus and user text escaped
    sources: str  # HTML for the sources panel, all text escaped
    plain: str  # the answer with its citations as plain text, for copying
    searched: str | None  # the question that was searched (None when nothing was)
    chart: list[dict] | None = None  # one point per briefing when the answer lists a measure across them


def answer_turn(engine: Any, message: Any, previous: str | None = None, k: int = DEFAULT_K,
                filters: dict[str, str] | None = None) -> Turn:
    """Answer one chat message, reading it as a follow-up of `previous` when it is one;
    `filters` are `qa.ask`'s speaker/document/date_from/date_to (empty ones are ignored).

    Never raises: bad input and internal errors become a message for the chat.
    """
    question = message_text(message).strip()
    if (note := refusal(question)) is not None:
        return Turn(note, "", "", previous)
    search = compose(question, previous)
    try:
        chosen = {name: value.strip() for name, value in (filters or {}).items()
                  if isinstance(value, str) and value.strip()}
        answer = engine.ask(search.searched, k=clamp_k(k), **chosen)
    except ValueError as error:  # the engine's own message about the question, a filter or a transcript
        message = page_labels(without_paths(str(error), getattr(engine, "corpus_path", None)))
        return Turn(escape_markdown(_sentence(message)), "", "", previous)
    except Exception:  # never a traceback or a path in the chat; the terminal has the details
        logger.exception("answering failed")
        return Turn(FAILED, "", "", previous)
    return Turn(chat_markdown(answer, search), sources_html(answer, search.searched), plain_text(answer, search),
                search.searched, chart_points(answer))


def refusal(question: str) -> str | None:
    """Why a message is not asked (empty, or over MAX_QUESTION_CHARS), None when it is asked."""
    if not visible_text(question):  # the engine's own test of an empty question
        return EMPTY
    if len(question) > MAX_QUESTION_CHARS:
        return TOO_LONG.format(length=len(question), limit=MAX_QUESTION_CHARS)
    return None


def page_labels(message: str) -> str:
    """A library message with `qa.ask`'s parameter names as the page labels its boxes:
    "date_from must be ..." becomes "From date must be ...", "document='x'" "Document 'x'"."""
    names = "|".join(FILTER_LABELS)
    message = re.sub(rf"\b({names})=", lambda m: FILTER_LABELS[m[1]] + " ", message)
    return re.sub(r"\b(date_from|date_to)\b", lambda m: FILTER_LABELS[m[1]], message)


def chart_frame(points: list[dict] | None):
    """The chart's data as the DataFrame Gradio's LinePlot takes (pandas comes with Gradio)."""
    import pandas as pd

    columns = ["date", "value", "figure", "document", "speaker"]
    return pd.DataFrame(points or [], columns=columns).assign(date=lambda f: pd.to_datetime(f["date"]))


def message_text(message: Any) -> str:
    """Gradio 6 may send a message as a string, a dict or a list of content blocks."""
    if isinstance(message, str):
        return message
    if isinstance(message, dict):
        return message_text(message.get("text") or message.get("content") or "")
    if isinstance(message, list):
        return " ".join(message_text(part) for part in message)
    return ""


def clamp_k(k: Any) -> int:
    try:
        return min(MAX_K, max(1, int(k)))
    except (TypeError, ValueError):
        return DEFAULT_K


def api_k(k: Any) -> int:
    """The `/ask` API's k as a whole number; the engine checks its range (1 to MAX_K) and says
    what is allowed, so a client is told instead of silently clamped."""
    if isinstance(k, float) and k.is_integer():
        return int(k)
    if isinstance(k, int) and not isinstance(k, bool):
        return k
    try:
        return int(str(k).strip())
    except ValueError:
        raise ValueError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}") from None


def _sentence(text: str) -> str:
    """A message as a sentence; one starting with a file name ("bad.txt: ...") keeps the name as it is."""
    if text.split(" ", 1)[0].isalpha():
        text = text[:1].upper() + text[1:]
    return text + ("" if text.endswith(".") else ".")


# ---------------------------------------------------------------- no paths leave the server

def corpus_relative(source: str, corpus: str | Path | None) -> str:
    """A transcript's path as the page and its API show it: relative to the corpus folder
    ("sub/name.txt"), the file name when the corpus is one file or the path lies elsewhere
    (an index saved before the corpus folder moved). Never an absolute path."""
    path = Path(os.path.abspath(source))
    if corpus is not None:
        try:
            relative = path.relative_to(os.path.abspath(corpus))
        except ValueError:
            relative = None
        if relative is not None and relative.parts:  # no parts: the corpus is this very file
            return relative.as_posix()
    return path.name


def without_paths(text: str, corpus: str | Path | None) -> str:
    """An error message with the corpus folder's absolute path taken out ("/srv/qa/a.txt: ..."
    becomes "a.txt: ..."), for the page and the API; the terminal keeps the full message."""
    if corpus is None:
        return text
    root = os.path.abspath(corpus)
    return text.replace(root + os.sep, "").replace(root, Path(root).name)


def api_answer(answer: Answer, corpus: str | Path | None) -> dict:
    """`Answer.to_dict()` for the `/ask` API: every `source` relative to the corpus folder."""
    data = answer.to_dict()
    for item in (*data["citations"], *data["passages"]):
        item["source"] = corpus_relative(item["source"], corpus)
    return data


# ---------------------------------------------------------------- rendering

# The chat bubble and the plain-text copy are qa.render's, the same renderer as `Answer.text`
# and `qa ask`; the page only escapes for markdown and points related passages to its panel.
RELATED_ON_PAGE = "Related passages (in the sources panel):"


def chat_markdown(answer: Answer, search: Search) -> str:
    """The chat bubble: short answer, what it measures, quotes with [n], computed figures, speakers."""
    return render.markdown(answer, dated=True, escape=escape_markdown, related_lead=RELATED_ON_PAGE,
                           searched=_followed_up(search))


def plain_text(answer: Answer, search: Search) -> str:
    """The answer and its citations as plain text, for pasting elsewhere."""
    return render.plain_text(answer, asked=search.question, searched=_followed_up(search))


def _followed_up(search: Search) -> str | None:
    """The question searched for a follow-up (shown beside the one typed), else None."""
    return search.searched if search.followup else None


# ---------------------------------------------------------------- the page

class Preparer:
    """Loads the engine in the background, so the page shows "preparing" rather than an error.

    Afterwards `check` (called before each question, at most once every `check_every` seconds)
    compares the corpus fingerprint (a `stat` per file, no byte read) with the one the engine was
    loaded from; when transcripts were added, removed or changed it prepares a new engine in the
    background, and `current` keeps returning the old one until the new one is ready.
    """

    def __init__(self, engine: Any, check_every: float | None = None) -> None:
        self.engine = engine  # the engine answering now
        self.done = threading.Event()  # the first preparation has finished
        self.failed = False  # ... and failed
        self.check_every = RELOAD_CHECK_SECONDS if check_every is None else check_every
        self.reloads = 0  # new engines put in place after a change
        self.reload_failed = False  # the last change could not be prepared
        self._lock = threading.Lock()
        self._preparing = False  # a new engine is being prepared
        self._loaded: str | None = None  # the fingerprint `engine` was loaded from
        self._tried: str | None = None  # the last fingerprint a new engine was prepared for
        self._checked_at = -math.inf
        self._last_error = ""

    def start(self) -> "Preparer":
        threading.Thread(target=self._run, name="prepare-index", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            # Taken before loading: a change during the load is then seen by the next check.
            self._loaded = self._tried = corpus_fingerprint(self.engine)
            self.engine.load()
        except Exception:  # the question handler will try again and say so politely
            logger.exception("preparing the index failed")
            self.failed = True
        finally:
            self.done.set()

    def current(self) -> Any:
        """The engine to answer with."""
        return self.engine

    def check(self) -> None:
        """Start preparing a new engine if the transcripts changed since the current one was loaded."""
        if not self.done.is_set() or not isinstance(self.engine, QA):
            return
        with self._lock:
            now = time.monotonic()
            if self._preparing or now - self._checked_at < self.check_every:
                return
            self._checked_at = now
        try:
            seen = corpus_fingerprint(self.engine)
        except Exception as error:  # e.g. the folder was emptied: keep answering from what was loaded
            self._note_failure(f"the transcripts changed but cannot be read: {error}")
            return
        with self._lock:
            if seen == self._loaded:
                self.reload_failed = False  # back as they were loaded (a failed change undone)
                return
            if seen == self._tried or self._preparing:
                return  # already prepared (and failed) for these very transcripts, or being prepared
            self._tried, self._preparing = seen, True
        logger.warning("the transcripts changed: preparing the index for them")
        threading.Thread(target=self._reload, args=(seen,), name="reload-index", daemon=True).start()

    def _reload(self, seen: str) -> None:
        fresh = fresh_engine(self.engine)
        try:
            fresh.load()
        except Exception:
            logger.exception("preparing the index for the changed transcripts failed; answering as before")
            with self._lock:
                self._preparing, self.reload_failed = False, True
            return
        with self._lock:
            self.engine, self._loaded = fresh, seen
            self._preparing, self.reload_failed, self.failed = False, False, False
            self.reloads += 1
        logger.warning("the index now holds the changed transcripts")

    def _note_failure(self, message: str) -> None:
        with self._lock:
            self.reload_failed = True
            repeated, self._last_error = message == self._last_error, message
        if not repeated:  # once per distinct problem, not every few seconds
            logger.warning("%s", message)

    @property
    def preparing(self) -> bool:
        return self._preparing

    def status(self) -> str:
        if not self.done.is_set():
            return PREPARING
        if self._preparing:
            return PREPARING if self.failed else RELOADING
        if self.failed:
            return UNAVAILABLE
        if self.reload_failed:
            return RELOAD_FAILED
        return UPDATED if self.reloads else READY


def corpus_fingerprint(engine: Any) -> str | None:
    """The fingerprint of the engine's transcripts as they are now (None for an engine without a corpus)."""
    if not isinstance(engine, QA):
        return None
    return fingerprint(transcript_files(engine.corpus_path))


def fresh_engine(engine: QA) -> QA:
    """A new engine over the same corpus with nothing loaded yet (`QA.reloaded`)."""
    return engine.reloaded()


class Overview:
    """The sources panel before the first answer: what the corpus holds (documents, dates,
    speakers), made once per engine, from its loaded index."""

    def __init__(self, preparer: Preparer) -> None:
        self.preparer = preparer
        self._engine: Any = None
        self._html = ""

    def html(self) -> str:
        if not self.preparer.done.is_set():
            return f'<div class="qa-overview qa-meta">{escape_html(OVERVIEW_PREPARING)}</div>'
        if self.preparer.failed:
            return ""  # the status line says the transcript could not be prepared
        engine = self.preparer.current()
        if engine is not self._engine:  # the first time, or transcripts were added or removed
            self._html, self._engine = corpus_overview(engine), engine
        return self._html


def corpus_overview(engine: Any) -> str:
    """The overview of a loaded engine's corpus ("" for anything else)."""
    if not isinstance(engine, QA):
        return ""
    import numpy as np

    from qa.cli import document_rows  # what `qa list` shows

    try:
        index = engine.loaded_index()  # loaded already: nothing is parsed or built here
        return overview_html(document_rows(index.corpus, np.diff(index.rows.first_figure)))
    except Exception:  # the overview is a courtesy: never an error on the page
        logger.exception("listing the corpus failed")
        return ""


def overview_html(rows: list[dict]) -> str:
    """`qa list`'s rows as a short HTML list: title, date, passages, figures and speakers."""
    count = f"{len(rows)} document{'' if len(rows) == 1 else 's'}"
    parts = [f'<div class="qa-overview"><h3>In the corpus: {count}</h3>',
             '<div class="qa-meta">Ask about them on the left; the passages each answer rests on '
             'are shown here.</div>']
    for row in rows[:MAX_OVERVIEW_DOCUMENTS]:
        names = row["speakers"][:MAX_OVERVIEW_SPEAKERS]
        more = len(row["speakers"]) - len(names)
        speakers = ", ".join(names) + (f" and {more} more" if more else "") or "none named"
        parts.append(
            f'<div class="qa-card qa-doc"><div class="qa-doc-title">{escape_html(row["title"])}</div>'
            f'<div class="qa-meta">{escape_html(row["date"] or "undated")} · {row["passages"]} passages · '
            f'{row["figures"]} figures</div><div>Speakers: {escape_html(speakers)}</div></div>')
    if len(rows) > MAX_OVERVIEW_DOCUMENTS:
        parts.append(f'<div class="qa-meta">... and {len(rows) - MAX_OVERVIEW_DOCUMENTS} more '
                     '(the Figures tab and <code>qa list</code> show every one).</div>')
    parts.append("</div>")
    return "\n".join(parts)


def example_chips(gr: Any, questions: list[str]) -> list:
    """One small button per example question, showing all of it (gr.Examples cuts a sample
    at 60 characters and keeps the clicked one highlighted)."""
    if not questions:
        return []
    with gr.Column(elem_id="qa-examples"):
        gr.Markdown("Try an example:", elem_id="qa-examples-label")
        with gr.Row():
            return [gr.Button(q, size="sm", variant="secondary", scale=0, elem_classes=["qa-chip"])
                    for q in questions]


def build_app(engine: Any, preparer: Preparer | None = None):
    """The Blocks app: chat, sources panel (the corpus overview until the first answer), example
    chips, top-k and filters, copy box, chart, the Figures tab and the `/ask` API."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a local tool
    import gradio as gr

    preparer = preparer or Preparer(engine)
    overview = Overview(preparer)

    def echo(message, history):
        """A question's first step: show it in the chat at once, or say why it is not asked
        (then no bubble for it, and the box keeps it, to shorten)."""
        question = message_text(message).strip()
        history = list(history or [])
        if (note := refusal(question)) is not None:
            return gr.skip(), history + [{"role": "assistant", "content": note}], None
        return "", history + [{"role": "user", "content": escape_markdown(question)}], question

    def respond(pending, history, k, previous, speaker="", document="", date_from="", date_to=""):
        """A question's second step: the answer to the question echoed (nothing when it was not asked)."""
        if pending is None:
            return (gr.skip(),) * 6
        filters = {"speaker": speaker, "document": document, "date_from": date_from, "date_to": date_to}
        preparer.check()  # transcripts added or removed meanwhile: a new index is prepared in the background
        turn = answer_turn(preparer.current(), pending, previous, k, filters)
        history = list(history or []) + [{"role": "assistant", "content": turn.chat}]
        if not turn.sources:  # not answered (a bad filter, an error): the last answer's panels stay
            return history, gr.skip(), gr.skip(), turn.searched, gr.skip(), gr.skip()
        chart = gr.LinePlot(value=chart_frame(turn.chart), visible=turn.chart is not None)
        return history, turn.sources, turn.plain, turn.searched, chart, True

    def ask(question: str, k: int = DEFAULT_K, speaker: str = "", document: str = "", date_from: str = "",
            date_to: str = "") -> dict:
        """Answer one question: the same answer, citations and passages as `qa.ask` (as JSON), with
        each `source` relative to the corpus folder. The filters are those of `qa.ask`; empty means any."""
        preparer.check()
        current = preparer.current()
        corpus = getattr(current, "corpus_path", None)
        try:
            answer = current.ask(message_text(question), k=api_k(k), speaker=speaker or None,
                                 document=document or None, date_from=date_from or None,
                                 date_to=date_to or None)
            return api_answer(answer, corpus)
        except ValueError as error:  # about the question, a filter or a transcript: say what to do
            raise gr.Error(_sentence(without_paths(str(error), corpus)), print_exception=False) from None
        except Exception:  # no traceback or path leaves the server
            logger.exception("answering failed")
            raise gr.Error(FAILED, print_exception=False) from None

    def status(answered=False):
        """The status line, and the corpus overview in the sources panel until the first answer."""
        preparer.check()  # a page opened after transcripts were added sees them too
        text = preparer.status()
        return text, gr.Timer(active=text in (PREPARING, RELOADING)), gr.skip() if answered else overview.html()

    with gr.Blocks(title="Ask the transcript") as app:
        gr.Markdown("# Ask the transcript\nShort answers that quote the transcript, name the speaker "
                    "and highlight every figure they rest on.")
        status_line = gr.Markdown(preparer.status(), elem_id="qa-status")
        previous = gr.State(None)  # the last question searched, for follow-ups
        pending = gr.State(None)  # the question echoed, for the step that answers it
        answered = gr.State(False)  # the sources panel shows an answer's passages, not the overview
        with gr.Tab("Chat", elem_id="qa-chat-tab"), gr.Row(equal_height=False, elem_id="qa-main"):
            with gr.Column(scale=3, elem_id="qa-left"):
                chatbot = gr.Chatbot(elem_id="qa-chat", label="Chat", height=480, latex_delimiters=[],
                                     sanitize_html=True, buttons=[], feedback_options=None)
                question = gr.Textbox(placeholder="Ask a question, or a follow-up like \"And in 2012?\"",
                                      show_label=False, lines=1, max_lines=4, elem_id="qa-question")
                with gr.Row(elem_id="qa-buttons"):
                    send = gr.Button("Ask", variant="primary", elem_id="qa-send")
                    clear = gr.Button("New conversation", elem_id="qa-clear")
                chips = example_chips(gr, examples_for(engine))
                with gr.Accordion("Search options", open=False, elem_id="qa-options"):
                    top_k = gr.Slider(1, MAX_K, value=DEFAULT_K, step=1, label="Passages to retrieve (top-k)",
                                      elem_id="qa-top-k")
                    with gr.Row():  # filters: only this speaker / document / dates (empty: any)
                        speaker = gr.Textbox(label="Speaker", placeholder="any", elem_id="qa-speaker")
                        document = gr.Textbox(label="Document", placeholder="any (file name or title words)",
                                              elem_id="qa-document")
                    with gr.Row():
                        date_from = gr.Textbox(label="From date", placeholder="YYYY-MM-DD", elem_id="qa-date-from")
                        date_to = gr.Textbox(label="To date", placeholder="YYYY-MM-DD", elem_id="qa-date-to")
                chart = gr.LinePlot(x="date", y="value", tooltip=["date", "figure", "document", "speaker"],
                                    title="The same measure at each briefing", visible=False, height=260,
                                    elem_id="qa-chart")
                plain = gr.Textbox(label="Last answer with its citations (plain text)", lines=5,
                                   interactive=False, buttons=["copy"], elem_id="qa-plain")
            with gr.Column(scale=2, elem_id="qa-right"):
                sources = gr.HTML(overview.html(), elem_id="qa-sources", js_on_load=None, label="Sources")
        with gr.Tab("Figures", elem_id="qa-figures-tab"):
            build_figures_tab(gr, preparer.current)
        timer = gr.Timer(1.0)
        shown_status = {"fn": status, "inputs": [answered], "outputs": [status_line, timer, sources],
                        "api_visibility": "private", "show_progress": "hidden"}
        answer_inputs = [pending, chatbot, top_k, previous, speaker, document, date_from, date_to]
        answer_outputs = [chatbot, sources, plain, previous, chart, answered]

        def asked_by(trigger: Callable, box: Any) -> None:
            # The echo runs outside the queue, so the question shows at once even when answers wait;
            # while the answer comes, one progress indicator runs, on the chat. Then the status line
            # says whether a new index is coming.
            trigger(echo, [box, chatbot], [question, chatbot, pending], queue=False, show_progress="hidden",
                    api_visibility="private") \
                .then(respond, answer_inputs, answer_outputs, show_progress_on=[chatbot], api_visibility="private") \
                .then(**shown_status)

        for trigger in (question.submit, send.click):
            asked_by(trigger, question)
        for chip in chips:  # a clicked example is asked at once
            asked_by(chip.click, chip)
        clear.click(lambda: ("", [], overview.html(), "", None, gr.LinePlot(value=None, visible=False), False),
                    None, [question, chatbot, sources, plain, previous, chart, answered], api_visibility="private")
        timer.tick(**shown_status)
        app.load(**shown_status)
        gr.api(ask, api_name="ask")
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return app


def launch(app, *, host: str = "127.0.0.1", port: int | None = None, share: bool = False,
           blocked: list[str] | None = None, block: bool = True, allow_hosts: Iterable[str] = ()):
    """Serve the app with safe defaults: local only, no share link, nothing served but the page,
    only for the allowed Host names, small request bodies, no uploads."""
    from starlette.middleware import Middleware

    hosts = allowed_hosts(host, allow_hosts)

    def answered_hosts() -> Collection[str]:
        share_url = getattr(app, "share_url", None)  # a share link's requests come through its tunnel
        return hosts | {urllib.parse.urlsplit(share_url).hostname} if share_url else hosts

    # Gradio adds its own middleware around this one; the guard still sees every request to the app.
    guard = Middleware(Guard, hosts=answered_hosts, max_body=MAX_BODY_BYTES)
    return app.launch(server_name=host, server_port=port, share=share, css=CSS, show_error=False,
                      max_file_size=MAX_FILE_SIZE, blocked_paths=blocked or [], allowed_paths=[],
                      ssr_mode=False, mcp_server=False, enable_monitoring=False, footer_links=["api"],
                      app_kwargs={"middleware": [guard]},
                      # Quiet: our own line says where the page is (Gradio's hint to set share=True
                      # contradicts --share); a share link, when asked for, is Gradio's to print.
                      prevent_thread_lock=not block, quiet=not (block and share))


def serve(engine: Any, *, host: str = "127.0.0.1", port: int | None = None, share: bool = False,
          block: bool = True, allow_hosts: Iterable[str] = ()):
    """Prepare the engine in the background and serve the page; returns the running app."""
    preparer = Preparer(engine)
    # Gradio is imported (by build_app) before the preparation thread starts: on Python 3.11 two
    # threads parsing source at once (Gradio's import does, so can the model's) can fail with
    # "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905).
    app = build_app(engine, preparer)
    preparer.start()  # the page is up meanwhile and says "preparing"
    # Never served even if Gradio's rules change: the index and the transcripts are read, not downloaded.
    blocked = [str(Path(engine.index_dir).resolve()), str(Path(engine.corpus_path).resolve())]
    launch(app, host=host, port=port, share=share, blocked=blocked, block=block, allow_hosts=allow_hosts)
    return app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Serve the transcript chat page.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--corpus", help="transcript file or folder (default: the bundled transcript)")
    parser.add_argument("--index-dir", help="index folder (default: a per-user cache folder)")
    parser.add_argument("--model", help="sentence-transformers model folder (default: all-MiniLM-L6-v2)")
    parser.add_argument("--share", action="store_true", help="create a public Gradio share link")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests for this host name, e.g. behind a proxy (repeatable; "
                             f"also ${ALLOW_HOSTS_ENV}, comma-separated); 127.0.0.1, localhost, [::1] and "
                             "--host are always answered")
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        allowed_hosts(args.host, args.allow_host)  # a bad name is a usage error now, not at the first request
    except ValueError as error:
        parser.error(str(error))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    engine = QA(corpus=args.corpus, index_dir=args.index_dir, model=args.model)
    print("Preparing the index (built on first use, then cached)...", file=sys.stderr)
    reach = "local only; --share for a public link" if args.host in ("127.0.0.1", "localhost") \
        else f"listening on {args.host}: other machines may connect"
    print(f"Chat page: http://{args.host}:{args.port} ({reach})", file=sys.stderr)
    serve(engine, host=args.host, port=args.port, share=args.share, allow_hosts=args.allow_host)


if __name__ == "__main__":
    main()
