"""Chat with a transcript in the browser: `python ui.py` (Gradio; the only module importing it)."""

from __future__ import annotations

import argparse
import logging
import sys

from qa import QA

logger = logging.getLogger(__name__)

EXAMPLES = [
    "How many large industrial internet platforms have been established?",
    "What was the penetration rate of R&D and design tools in 2021?",
    "How much did the software industry grow from 2012 to 2021?",
    "Who spoke about the industrial internet?",
    "How many 5G base stations were built?",
]
MAX_QUESTION_CHARS = 10_000


def message_text(message) -> str:
    """Gradio 6 may send a message as a string, a dict or a list of content blocks."""
    if isinstance(message, str):
        return message
    if isinstance(message, dict):
        return message_text(message.get("text") or message.get("content") or "")
    if isinstance(message, list):
        return " ".join(message_text(part) for part in message)
    return ""


def reply(engine: QA, message, history=None) -> str:
    """The chat reply: the answer's markdown with everything from the corpus escaped."""
    question = message_text(message).strip()
    if not question:
        return "Please type a question about the transcript."
    if len(question) > MAX_QUESTION_CHARS:
        return f"That question is too long ({len(question):,} characters); please shorten it."
    try:
        answer = engine.ask(question)
    except ValueError as error:
        return str(error).capitalize()
    except Exception:  # never show a traceback in the chat
        logger.exception("answering failed")
        return "Sorry, something went wrong while answering. Please try again."
    return escape_html(answer.text)


def escape_html(text: str) -> str:
    """Corpus text is shown as text, never rendered as HTML; markdown's ">" quotes survive."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def build_app(engine: QA):
    import gradio as gr

    return gr.ChatInterface(
        fn=lambda message, history: reply(engine, message, history),
        title="Ask the transcript",
        description="Answers quote the transcript and cite every figure they rest on.",
        examples=EXAMPLES,
        api_name="ask",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the transcript chat page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--corpus", help="transcript file or folder (default: the bundled transcript)")
    parser.add_argument("--index-dir", help="index folder (default: a per-user cache folder)")
    parser.add_argument("--model", help="sentence-transformers model folder (default: all-MiniLM-L6-v2)")
    parser.add_argument("--share", action="store_true", help="create a public Gradio share link")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    engine = QA(corpus=args.corpus, index_dir=args.index_dir, model=args.model)
    print("Preparing the index (built on first use)...", file=sys.stderr)
    engine.load()
    app = build_app(engine)
    app.queue(default_concurrency_limit=4, max_size=64)
    app.launch(server_name=args.host, server_port=args.port, share=args.share)


if __name__ == "__main__":
    main()
