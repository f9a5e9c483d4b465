"""The minimal chat handler (the browser test comes with the chat UI issue)."""

from __future__ import annotations

import pytest

import ui


class BrokenEngine:
    def ask(self, question):
        raise RuntimeError("boom /secret/path")


def test_message_text_accepts_gradio_6_content_blocks():
    assert ui.message_text("hi") == "hi"
    assert ui.message_text({"text": "hi"}) == "hi"
    assert ui.message_text([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]) == "a b"


def test_empty_and_failing_questions_give_a_message_not_a_traceback():
    assert "type a question" in ui.reply(BrokenEngine(), "   ")
    message = ui.reply(BrokenEngine(), "anything?")
    assert "went wrong" in message and "boom" not in message and "Traceback" not in message


@pytest.mark.model
def test_reply_shows_corpus_markup_as_text(tmp_path, real_embedder):
    from qa import QA

    transcript = tmp_path / "t.txt"
    transcript.write_text(
        "Heading\n\nBriefing | May 1, 2023\n\nLi Ming:\n\n"
        "In 2022 we built 42 widget factories, as the <b>plan</b> <script>alert(1)</script> said.\n",
        encoding="utf-8",
    )
    engine = QA(corpus=transcript, index_dir=tmp_path / "index", embedder=real_embedder, progress=False)
    reply = ui.reply(engine, "How many widget factories were built in 2022?")
    assert "42" in reply
    assert "<script>" not in reply and "&lt;script>" in reply and "<b>" not in reply


@pytest.mark.model
def test_reply_answers_with_citation(real_engine):
    reply = ui.reply(real_engine, "How many large industrial internet platforms have been established?")
    assert "more than 150" in reply and "Han Xia" in reply
