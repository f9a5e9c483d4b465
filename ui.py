"""Chat with a transcript in the browser: `python ui.py` (Gradio 6; the only module importing it).

The page: a chat on the left (answer first, then the quote with [n] markers and the speaker), the
passages retrieved for the last question on the right with their figures highlighted, example
questions, a top-k control and a plain-text copy of the last answer with its citations.
Everything from the corpus or the user is escaped before it reaches the page.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus import BUNDLED_CORPUS
from qa import QA, render
from qa.config import DEFAULT_K, MAX_K
from qa.followup import Search, compose
from qa.models import Answer, Citation, Hit
from qa.question import visible_text

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

PREPARING = "Preparing the index for the transcript (first run only; progress in the terminal)..."
READY = "Ready. Ask about the transcript; answers quote it and cite every figure."
UNAVAILABLE = "The transcript could not be prepared; the server's terminal says why."
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
    except ValueError as error:  # the engine's own message about the question or a filter
        return Turn(escape_markdown(_sentence(str(error))), "", "", previous)
    except Exception:  # never a traceback or a path in the chat; the terminal has the details
        logger.exception("answering failed")
        return Turn(FAILED, "", "", previous)
    return Turn(chat_markdown(answer, search), sources_html(answer, search), plain_text(answer, search),
                search.searched)


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
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


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
            lines += [f"_{e(render.measures(answer.figures[0]))}_", ""]
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
    """Loads the engine in the background, so the page shows "preparing" rather than an error."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.done = threading.Event()
        self.failed = False

    def start(self) -> "Preparer":
        threading.Thread(target=self._run, name="prepare-index", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            self.engine.load()
        except Exception:  # the question handler will try again and say so politely
            logger.exception("preparing the index failed")
            self.failed = True
        finally:
            self.done.set()

    def status(self) -> str:
        if not self.done.is_set():
            return PREPARING
        return UNAVAILABLE if self.failed else READY


def build_app(engine: Any, preparer: Preparer | None = None):
    """The Blocks app: chat, sources panel, examples, top-k, copy box and the `/ask` API."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a local tool
    import gradio as gr

    preparer = preparer or Preparer(engine)

    def respond(message, history, k, previous, speaker="", document="", date_from="", date_to=""):
        filters = {"speaker": speaker, "document": document, "date_from": date_from, "date_to": date_to}
        turn = answer_turn(engine, message, previous, k, filters)
        history = list(history or []) + [
            {"role": "user", "content": escape_markdown(message_text(message))},
            {"role": "assistant", "content": turn.chat},
        ]
        return "", history, turn.sources, turn.plain, turn.searched

    def ask(question: str, k: int = DEFAULT_K, speaker: str = "", document: str = "", date_from: str = "",
            date_to: str = "") -> dict:
        """Answer one question: the same answer, citations and passages as `qa.ask` (as JSON).
        The filters are those of `qa.ask`; empty means any."""
        try:
            return engine.ask(message_text(question), k=api_k(k), speaker=speaker or None,
                              document=document or None, date_from=date_from or None,
                              date_to=date_to or None).to_dict()
        except ValueError as error:  # about the question: say what to do
            raise gr.Error(_sentence(str(error)), print_exception=False) from None
        except Exception:  # no traceback or path leaves the server
            logger.exception("answering failed")
            raise gr.Error(FAILED, print_exception=False) from None

    def status():
        text = preparer.status()
        return text, gr.Timer(active=text == PREPARING)

    with gr.Blocks(title="Ask the transcript") as app:
        gr.Markdown("# Ask the transcript\nShort answers that quote the transcript, name the speaker "
                    "and highlight every figure they rest on.")
        status_line = gr.Markdown(preparer.status(), elem_id="qa-status")
        previous = gr.State(None)  # the last question searched, for follow-ups
        with gr.Row(equal_height=False):
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
                plain = gr.Textbox(label="Last answer with its citations (plain text)", lines=5,
                                   interactive=False, buttons=["copy"], elem_id="qa-plain")
            with gr.Column(scale=2):
                sources = gr.HTML("", elem_id="qa-sources", js_on_load=None, label="Sources")
        inputs = [question, chatbot, top_k, previous, speaker, document, date_from, date_to]
        outputs = [question, chatbot, sources, plain, previous]
        for event in (question.submit, send.click):
            event(respond, inputs, outputs, api_visibility="private")
        if examples is not None:  # a clicked example is asked at once
            examples.load_input_event.then(respond, inputs, outputs, api_visibility="private")
        clear.click(lambda: ("", [], "", "", None), None, outputs, api_visibility="private")
        timer = gr.Timer(1.0)
        timer.tick(status, None, [status_line, timer], api_visibility="private", show_progress="hidden")
        app.load(status, None, [status_line, timer], api_visibility="private", show_progress="hidden")
        gr.api(ask, api_name="ask")
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return app


def launch(app, *, host: str = "127.0.0.1", port: int | None = None, share: bool = False,
           blocked: list[str] | None = None, block: bool = True):
    """Serve the app with safe defaults: local only, no share link, nothing served but the page."""
    return app.launch(server_name=host, server_port=port, share=share, css=CSS, show_error=False,
                      max_file_size=MAX_FILE_SIZE, blocked_paths=blocked or [], allowed_paths=[],
                      ssr_mode=False, mcp_server=False, enable_monitoring=False, footer_links=["api"],
                      # Quiet: our own line says where the page is (Gradio's hint to set share=True
                      # contradicts --share); a share link, when asked for, is Gradio's to print.
                      prevent_thread_lock=not block, quiet=not (block and share))


def serve(engine: Any, *, host: str = "127.0.0.1", port: int | None = None, share: bool = False,
          block: bool = True):
    """Prepare the engine in the background and serve the page; returns the running app."""
    preparer = Preparer(engine).start()  # the page is up meanwhile and says "preparing"
    app = build_app(engine, preparer)
    # Never served even if Gradio's rules change: the index and the transcripts are read, not downloaded.
    blocked = [str(Path(engine.index_dir).resolve()), str(Path(engine.corpus_path).resolve())]
    launch(app, host=host, port=port, share=share, blocked=blocked, block=block)
    return app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Serve the transcript chat page.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--corpus", help="transcript file or folder (default: the bundled transcript)")
    parser.add_argument("--index-dir", help="index folder (default: a per-user cache folder)")
    parser.add_argument("--model", help="sentence-transformers model folder (default: all-MiniLM-L6-v2)")
    parser.add_argument("--share", action="store_true", help="create a public Gradio share link")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    engine = QA(corpus=args.corpus, index_dir=args.index_dir, model=args.model)
    print("Preparing the index (built on first use, then cached)...", file=sys.stderr)
    reach = "local only; --share for a public link" if args.host in ("127.0.0.1", "localhost") \
        else f"listening on {args.host}: other machines may connect"
    print(f"Chat page: http://{args.host}:{args.port} ({reach})", file=sys.stderr)
    serve(engine, host=args.host, port=args.port, share=args.share)


if __name__ == "__main__":
    main()
