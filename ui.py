"""Chat with a transcript in the browser: `python ui.py` (Gradio 6; the only module importing it).

The page: a chat on the left (answer first, then the quote with [n] markers and the speaker), the
passages retrieved for the last question on the right with their figures highlighted, example
questions, a top-k control and a plain-text copy of the last answer with its citations.
Everything from the corpus or the user is escaped before it reaches the page. The server answers
only the allowed Host names, sends security headers, caps request bodies, takes no uploads, shows
paths relative to the corpus folder, and picks up transcripts added or removed while it runs.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import html
import logging
import math
import os
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus import BUNDLED_CORPUS, transcript_files
from corpus.loader import fingerprint
from qa import QA, render
from qa.config import DEFAULT_K, MAX_K
from qa.followup import Search, compose
from qa.models import Answer, Citation, Hit
from qa.question import visible_text
from ui_figures import build_tab as build_figures_tab
from ui_figures import chart_points

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
MAX_BODY_BYTES = 1024 * 1024  # any request body; a question (10,000 characters) and its chat history fit well
RELOAD_CHECK_SECONDS = 5.0  # how often a question may look for added or removed transcripts (a `stat` per file)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")  # Host names always answered
ALLOW_HOSTS_ENV = "TRANSCRIPT_QA_ALLOW_HOSTS"  # more Host names, comma-separated (like --allow-host)

PREPARING = "Preparing the index for the transcript (first run only; progress in the terminal)..."
READY = "Ready. Ask about the transcript; answers quote it and cite every figure."
UNAVAILABLE = "The transcript could not be prepared; the server's terminal says why."
RELOADING = ("The transcripts changed: preparing the index for them (progress in the terminal); "
             "until then answers come from the transcripts as they were...")
UPDATED = "Ready, updated with the transcripts added or removed meanwhile. Answers quote them and cite every figure."
RELOAD_FAILED = ("The transcripts changed but could not be prepared (the server's terminal says why); "
                 "answers come from the transcripts as they were.")
EMPTY = "Please type a question about the transcript."
FAILED = "Sorry, something went wrong while answering. Please try again."
POLITE_ABSTENTION = "I could not find this in the transcript, so I will not guess."

CSS = """
.qa-legend span, .qa-card .fig { padding: 0 .2em; border-radius: .25em; }
.fig-answer { background: #fde047; color: #111; font-weight: 700; outline: 2px solid #ca8a04; }
.fig-other { background: #dbeafe; color: #111; }
.fig-operand::after { content: " \\2190 computed"; font-size: .75em; font-weight: 400; color: #9a3412; }
.qa-computed { border-left: 4px solid #ea580c; padding: .3em .6em; margin: .4em 0; }
.qa-card { border: 1px solid #d4d4d8; border-radius: .5em; padding: .5em .7em; margin: .5em 0; }
.qa-card.cited { border: 2px solid #ca8a04; }
.qa-meta { font-size: .85em; color: #52525b; margin-bottom: .3em; }
.qa-text { white-space: pre-wrap; line-height: 1.5; }
.qa-searched { font-size: .9em; margin: .3em 0 .6em 0; }
"""


# ---------------------------------------------------------------- escaping

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$^=:])")


def escape_html(text: str) -> str:
    """Text shown as text inside our own HTML."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Text shown literally in a chat bubble: no HTML, no markdown, no maths, whatever it contains."""
    text = text.replace("\r", " ")
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    if not visible_text(question):  # the engine's own test of an empty question
        return Turn(EMPTY, "", "", previous)
    if len(question) > MAX_QUESTION_CHARS:
        note = f"That question is too long ({len(question):,} characters); please keep it under {MAX_QUESTION_CHARS:,}."
        return Turn(note, "", "", previous)
    search = compose(question, previous)
    try:
        chosen = {name: value.strip() for name, value in (filters or {}).items()
                  if isinstance(value, str) and value.strip()}
        answer = engine.ask(search.searched, k=clamp_k(k), **chosen)
    except ValueError as error:  # the engine's own message about the question, a filter or a transcript
        message = without_paths(str(error), getattr(engine, "corpus_path", None))
        return Turn(escape_markdown(_sentence(message)), "", "", previous)
    except Exception:  # never a traceback or a path in the chat; the terminal has the details
        logger.exception("answering failed")
        return Turn(FAILED, "", "", previous)
    return Turn(chat_markdown(answer, search), sources_html(answer, search), plain_text(answer, search),
                search.searched, chart_points(answer))


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

def _paragraph(answer: Answer, citation: Citation) -> tuple[str, str]:
    """(paragraph number, document title) of a cited passage."""
    for hit in answer.passages:
        if hit.passage.id == citation.passage_id:
            return str(hit.passage.paragraph_no), hit.document
    doc_id, _, paragraph = citation.passage_id.rpartition(":p")
    return paragraph, citation.document or doc_id  # cited from outside the top k: the id names the paragraph


def attribution(answer: Answer, citation: Citation) -> str:
    paragraph, title = _paragraph(answer, citation)
    return render.attribution(citation.n, citation.speaker, paragraph, title, citation.date)


def _related(answer: Answer) -> list[Hit]:
    return [h for h in answer.passages[:3] if h.passage.role != "question"]


def chat_markdown(answer: Answer, search: Search) -> str:
    """The chat bubble: short answer, what it measures, quotes with [n], computed figures, speakers."""
    e = escape_markdown
    lines = [f"**{e(answer.answer)}**", ""]
    if answer.abstained:
        lines += [e(POLITE_ABSTENTION), ""]
        related = _related(answer)
        if related:
            places = "; ".join(f"{h.passage.speaker}, paragraph {h.passage.paragraph_no}" for h in related)
            lines += [f"Related passages (in the sources panel): {e(places)}", ""]
    else:
        if answer.figures:
            lines += [f"_{e(render.measures(answer.figures[0], whole_range=bool(answer.computed)))}_", ""]
        lines += [f"> {e(c.quote)} \\[{c.n}\\]" for c in answer.citations]
        lines.append("")
        for computed in answer.computed:
            lines += [f"**Computed** by this tool, not stated in the transcript: {e(computed.text)} \\[1\\]", ""]
        lines += [e(attribution(answer, c)) for c in answer.citations]
    for note in answer.notes:
        lines += ["", f"_{e(note)}_"]
    if search.followup:
        lines += ["", f"_Searched for: {e(search.searched)}_"]
    return "\n".join(lines).strip()


def plain_text(answer: Answer, search: Search) -> str:
    """The answer and its citations as plain text, for pasting elsewhere."""
    lines = [f"Q: {search.question}"]
    if search.followup:
        lines.append(f"(searched for: {search.searched})")
    lines.append(f"A: {answer.answer}")
    for computed in answer.computed:
        lines.append(f"Computed by transcript-qa, not stated in the transcript: {computed.text}")
    for c in answer.citations:
        lines.append(f'"{c.quote}" [{c.n}]')
    for c in answer.citations:
        lines.append(f"{attribution(answer, c)}, characters {c.start}-{c.end} of {Path(c.source).name}")
    if answer.abstained and (related := _related(answer)):
        lines.append("Related: " + "; ".join(f"{h.passage.speaker}, paragraph {h.passage.paragraph_no}"
                                             for h in related))
    return "\n".join(lines)


def highlight(hit: Hit, answer: Answer) -> str:
    """The passage as escaped HTML with its figures marked: the answer's figures, the others."""
    passage = hit.passage
    used = set(answer.figures)
    operands = {f for c in answer.computed for f in c.operands}
    out, at = [], 0
    for figure in sorted(passage.statistics, key=lambda f: (f.start, -f.end)):
        start, end = figure.start - passage.start, figure.end - passage.start
        if start < at or end > len(passage.text):  # overlapping or outside: leave as text
            continue
        kind = "fig-answer" if figure in used or figure in operands else "fig-other"
        if figure in operands:
            kind += " fig-operand"
        title = escape_html(f"{figure.subject} ({figure.period})" if figure.period else figure.subject)
        out.append(escape_html(passage.text[at:start]))
        out.append(f'<mark class="fig {kind}" title="{title}">{escape_html(passage.text[start:end])}</mark>')
        at = end
    out.append(escape_html(passage.text[at:]))
    return "".join(out)


def sources_html(answer: Answer, search: Search) -> str:
    """The sources panel: ranked passages with speaker, document, paragraph, score and figures."""
    cited = {c.passage_id: c.n for c in answer.citations}
    heading = "Related passages" if answer.abstained else "Sources"
    parts = [f'<div class="qa-searched">Searched for: <q>{escape_html(search.searched)}</q></div>',
             '<div class="qa-legend"><span class="fig-answer">figure in the answer</span> '
             '<span class="fig-other">other figure</span> '
             '<span class="fig-answer fig-operand">operand of a computed figure</span></div>']
    for computed in answer.computed:
        parts.append(f'<div class="qa-computed"><strong>Computed</strong> (not in the transcript): '
                     f'{escape_html(computed.text)}, from the marked figures</div>')
    parts.append(f"<h3>{heading} ({len(answer.passages)})</h3>")
    for rank, hit in enumerate(answer.passages, start=1):
        p = hit.passage
        n = cited.get(p.id)
        badge = f" · <strong>cited [{n}]</strong>" if n else ""
        parts.append(
            f'<div class="qa-card{" cited" if n else ""}" data-rank="{rank}">'
            f'<div class="qa-meta">#{rank} · <strong class="qa-speaker">{escape_html(p.speaker)}</strong> · '
            f'{escape_html(hit.document)} · paragraph {p.paragraph_no} · score {hit.score:.3f}{badge}</div>'
            f'<div class="qa-text">{highlight(hit, answer)}</div></div>')
    return "\n".join(parts)


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
    """A new engine over the same corpus, index folder and model, with nothing loaded yet: it
    shares the model (and the lock and question-vector cache that go with it), not the index.
    (A `QA.reloaded()` in qa/engine.py would be the tidier home for this.)"""
    fresh = copy.copy(engine)
    fresh._ready = None
    fresh._load_lock = threading.Lock()
    return fresh


def build_app(engine: Any, preparer: Preparer | None = None):
    """The Blocks app: chat, sources panel, examples, top-k, copy box and the `/ask` API."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a local tool
    import gradio as gr

    preparer = preparer or Preparer(engine)

    def respond(message, history, k, previous, speaker="", document="", date_from="", date_to=""):
        filters = {"speaker": speaker, "document": document, "date_from": date_from, "date_to": date_to}
        preparer.check()  # transcripts added or removed meanwhile: a new index is prepared in the background
        turn = answer_turn(preparer.current(), message, previous, k, filters)
        history = list(history or []) + [
            {"role": "user", "content": escape_markdown(message_text(message))},
            {"role": "assistant", "content": turn.chat},
        ]
        chart = gr.LinePlot(value=chart_frame(turn.chart), visible=turn.chart is not None)
        return "", history, turn.sources, turn.plain, turn.searched, chart

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

    def status():
        preparer.check()  # a page opened after transcripts were added sees them too
        text = preparer.status()
        return text, gr.Timer(active=text in (PREPARING, RELOADING))

    with gr.Blocks(title="Ask the transcript") as app:
        gr.Markdown("# Ask the transcript\nShort answers that quote the transcript, name the speaker "
                    "and highlight every figure they rest on.")
        status_line = gr.Markdown(preparer.status(), elem_id="qa-status")
        previous = gr.State(None)  # the last question searched, for follow-ups
        with gr.Tab("Chat", elem_id="qa-chat-tab"), gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(elem_id="qa-chat", label="Chat", height=480, latex_delimiters=[],
                                     sanitize_html=True, buttons=[], feedback_options=None)
                question = gr.Textbox(placeholder="Ask a question, or a follow-up like \"And in 2012?\"",
                                      show_label=False, lines=1, max_lines=4, elem_id="qa-question")
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="qa-send")
                    clear = gr.Button("New conversation", elem_id="qa-clear")
                examples = None
                if shown := examples_for(engine):
                    examples = gr.Examples([[q] for q in shown], inputs=[question], label="Try an example")
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
            with gr.Column(scale=2):
                sources = gr.HTML("", elem_id="qa-sources", js_on_load=None, label="Sources")
        with gr.Tab("Figures", elem_id="qa-figures-tab"):
            build_figures_tab(gr, preparer.current)
        inputs = [question, chatbot, top_k, previous, speaker, document, date_from, date_to]
        outputs = [question, chatbot, sources, plain, previous, chart]
        timer = gr.Timer(1.0)
        shown_status = {"fn": status, "inputs": None, "outputs": [status_line, timer], "api_visibility": "private",
                        "show_progress": "hidden"}
        for event in (question.submit, send.click):  # after an answer, the status says if a new index is coming
            event(respond, inputs, outputs, api_visibility="private").then(**shown_status)
        if examples is not None:  # a clicked example is asked at once
            examples.load_input_event.then(respond, inputs, outputs, api_visibility="private").then(**shown_status)
        clear.click(lambda: ("", [], "", "", None, gr.LinePlot(value=None, visible=False)), None, outputs,
                    api_visibility="private")
        timer.tick(**shown_status)
        app.load(**shown_status)
        gr.api(ask, api_name="ask")
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return app


# ---------------------------------------------------------------- the HTTP guard

# The routes Gradio offers for files sent to the server; the page sends none, so they are closed.
UPLOAD_ROUTES = ("/gradio_api/upload", "/gradio_api/upload_progress", "/gradio_api/process_recording")
BAD_HOST = "This server does not answer for that host name; start it with --allow-host NAME to allow it."
TOO_LARGE = f"The request is over {MAX_BODY_BYTES // (1024 * 1024)} MB, the most this page accepts."
NO_UPLOADS = "Not found: this page takes no uploads."
FIXED_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
# What the page needs, and nothing from other sites: Gradio's scripts, styles, fonts and API on this
# origin; its inline styles; its inline scripts by their hashes (added per page), so an injected
# `<script>` or `onerror=` does not run; no framing, no plugins. 'unsafe-eval' because Gradio 6's
# gr.HTML (the sources panel) compiles its template with Handlebars and `Function`; our template
# is fixed ("${value}") and the HTML is passed to it as a value, never compiled.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'{scripts}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
       "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::[0-9]{1,5})?", re.I)
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*(?<![\w-])src\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def host_name(header: str) -> str | None:
    """The host name of a `Host` header ("LocalHost:7860" -> "localhost", "[::1]:80" -> "::1"),
    None when it is not a plain name, an IPv4 address or a bracketed IPv6 address, with an optional port."""
    match = _HOST.fullmatch(header.strip())
    if match is None:
        return None
    return (match["ip6"] or match["name"]).lower().removesuffix(".")


def allowed_hosts(host: str = "127.0.0.1", extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names the page answers: the loopback names, the address it listens on (unless
    that is every address), the names given with --allow-host and those in $TRANSCRIPT_QA_ALLOW_HOSTS.

    Raises:
        ValueError: a name that is not a host name.
    """
    names = set(LOOPBACK_HOSTS)
    if host not in ("0.0.0.0", "::", ""):  # "every address" is not a name a browser sends
        names.add(host)
    names.update(extra)
    names.update(part for part in re.split(r"[,\s]+", os.environ.get(ALLOW_HOSTS_ENV, "")) if part)
    checked = set()
    for name in names:
        bracketed = f"[{name}]" if name.count(":") > 1 and not name.startswith("[") else name  # a bare IPv6 address
        if (normal := host_name(bracketed)) is None:
            raise ValueError(f"{name!r} is not a host name; give a name or address such as qa.example.org")
        checked.add(normal)
    return frozenset(checked)


def inline_script_hashes(page: bytes) -> list[str]:
    """The CSP sources ('sha256-...') of a page's inline scripts: those run, no others."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(page)]


def security_headers(script_hashes: Iterable[str] = ()) -> list[tuple[bytes, bytes]]:
    scripts = "".join(" " + source for source in script_hashes)
    headers = {**FIXED_HEADERS, "content-security-policy": CSP.format(scripts=scripts)}
    return [(name.encode(), value.encode()) for name, value in headers.items()]


class Guard:
    """ASGI middleware around Gradio's app: it answers only the allowed Host names (DNS
    rebinding), adds the security headers to every response, refuses request bodies over
    `max_body` bytes without reading them (413) and closes the upload routes (404)."""

    def __init__(self, app: Callable, hosts: Callable[[], Collection[str]], max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.hosts = hosts
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        if scope["type"] == "websocket":  # Gradio 6 uses none; still, only for the allowed names
            if host_name(headers.get("host", "")) in self.hosts():
                await self.app(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008})
            return
        send = with_security_headers(send)
        if host_name(headers.get("host", "")) not in self.hosts():
            await refuse(send, 400, BAD_HOST)
            return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:  # (the server checked its form)
            await refuse(send, 413, TOO_LARGE)  # before any byte of the body is read
            return
        if scope["path"].rstrip("/").endswith(UPLOAD_ROUTES) or \
                headers.get("content-type", "").lower().startswith("multipart/form-data"):
            await refuse(send, 404, NO_UPLOADS)
            return
        if length is None and "chunked" in headers.get("transfer-encoding", "").lower():
            body = await read_at_most(receive, self.max_body)  # no length given: count the bytes as they come
            if body is None:
                await refuse(send, 413, TOO_LARGE)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send)


async def refuse(send: Send, status: int, message: str) -> None:
    """A one-line plain-text answer; the connection is closed after it, so an unread body is dropped."""
    body = (message + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_at_most(receive: Receive, limit: int) -> list[dict[str, Any]] | None:
    """The request body's messages, None as soon as they pass `limit` bytes (the rest stays unread)."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body", False):
            return messages


def replay(messages: list[dict[str, Any]], receive: Receive) -> Receive:
    """A `receive` that gives the messages already read, then the client's own."""
    pending = list(messages)

    async def replayed() -> dict[str, Any]:
        return pending.pop(0) if pending else await receive()
    return replayed


def with_security_headers(send: Send) -> Send:
    """A `send` that adds the security headers to the response; for an HTML page it first reads
    the page (Gradio's own, small) to allow exactly its inline scripts."""
    held: dict[str, Any] | None = None
    chunks: list[bytes] = []

    async def secured(message: dict[str, Any]) -> None:
        nonlocal held
        if message["type"] == "http.response.start":
            headers = [(name, value) for name, value in message.get("headers", [])
                       if name.decode("latin-1").lower() not in (*FIXED_HEADERS, "content-security-policy")]
            message = {**message, "headers": headers}
            content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
            if content_type.lower().startswith(b"text/html"):
                held = message  # sent with the page, once its scripts are known
                return
            message["headers"] = headers + security_headers()
        elif message["type"] == "http.response.body" and held is not None:
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(chunks)
            await send({**held, "headers": held["headers"] + security_headers(inline_script_hashes(page))})
            held = None
            message = {"type": "http.response.body", "body": page}
        await send(message)
    return secured


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
    preparer = Preparer(engine).start()  # the page is up meanwhile and says "preparing"
    app = build_app(engine, preparer)
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
