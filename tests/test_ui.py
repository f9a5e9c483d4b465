"""The chat page's handlers and rendering, and the named `/ask` API against `qa.ask`.

The browser test (test_ui_browser.py) drives the real page; these check what it is fed.
"""

from __future__ import annotations

import html
import json
import re
import threading
from html.parser import HTMLParser

import pytest

import ui

FIGURE_QUESTION = "How many large industrial internet platforms have been established?"


class BrokenEngine:
    def ask(self, question, k=5, **filters):
        raise RuntimeError("boom /secret/path")

    def load(self):
        raise RuntimeError("no index /secret/path")


class TextExtractor(HTMLParser):
    """The text a browser would show for our HTML, and the tags it would create."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def shown(html: str) -> tuple[str, list[str]]:
    parser = TextExtractor()
    parser.feed(html)
    return "".join(parser.text), parser.tags


def unescaped(markdown: str) -> str:
    """What the chat shows for our escaped markdown, markup aside: escapes and entities undone."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


def test_message_text_accepts_gradio_6_content_blocks():
    assert ui.message_text("hi") == "hi"
    assert ui.message_text({"text": "hi"}) == "hi"
    assert ui.message_text([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]) == "a b"
    assert ui.message_text(None) == ""


def test_empty_long_and_failing_questions_give_a_message_not_a_traceback():
    assert ui.answer_turn(BrokenEngine(), "   ").chat == ui.EMPTY
    assert ui.answer_turn(BrokenEngine(), "\u200b").chat == ui.EMPTY
    too_long = ui.answer_turn(BrokenEngine(), "x" * 20_000).chat
    assert "too long" in too_long and "20,000" in too_long
    failed = ui.answer_turn(BrokenEngine(), "anything?")
    assert failed.chat == ui.FAILED and failed.sources == "" and "/secret" not in failed.plain


def test_a_long_question_is_refused_with_the_limit_and_kept_for_trimming():
    assert ui.refusal("How many?") is None and ui.refusal(" \u200b ") == ui.EMPTY
    note = ui.refusal("x" * (ui.MAX_QUESTION_CHARS + 1))
    assert f"{ui.MAX_QUESTION_CHARS + 1:,} characters" in note and f"under {ui.MAX_QUESTION_CHARS:,}" in note
    assert "still in the box" in note


class FilterEngine:
    """Checks the filters as `qa.ask` does (the library's own messages), answers nothing."""

    def ask(self, question, k=5, **filters):
        from qa.filters import Filter

        Filter(**filters)
        raise AssertionError("a bad filter was let through")


@pytest.mark.parametrize("filters, said", [
    ({"date_from": "yesterday"}, "From date must be a day written YYYY-MM-DD, not 'yesterday'."),
    ({"date_to": "2024-13-01"}, "To date must be a day written YYYY-MM-DD, not '2024-13-01'."),
    ({"date_from": "2024-02-01", "date_to": "2024-01-01"},
     "From date 2024-02-01 is after To date 2024-01-01; swap them."),
])
def test_a_bad_date_is_named_as_the_page_labels_its_box(filters, said):
    chat = ui.answer_turn(FilterEngine(), "How many?", filters=filters).chat
    assert unescaped(chat) == said
    assert "date_" not in chat


def test_library_parameter_names_become_the_page_labels():
    assert ui.page_labels("no document matches document='x', date_to='2020-01-01'; documents: a_date_from.txt") == \
        "no document matches Document 'x', To date '2020-01-01'; documents: a_date_from.txt"


def test_a_failed_turn_keeps_the_conversation_for_follow_ups():
    turn = ui.answer_turn(BrokenEngine(), "anything?", previous="What was the size of X in 2021?")
    assert turn.searched == "What was the size of X in 2021?"


@pytest.mark.parametrize("k, expected", [(3, 3), (3.0, 3), (0, 1), (-5, 1), (500, ui.MAX_K), ("x", 5), (None, 5)])
def test_top_k_is_clamped_to_a_sensible_range(k, expected):
    assert ui.clamp_k(k) == expected


NASTY = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "**bold** _it_ `code` [link](javascript:alert(1)) ![i](x.png)",
    "# heading\n- item\n1. item\n> quote",
    "$x^2$ $$y$$ \\(z\\) | a | b |\n|---|---|",
    "https://example.com www.example.com <https://example.com>",
    "&lt; &amp; &#60;script&#62;",
]


@pytest.mark.parametrize("text", NASTY)
def test_escaped_markdown_has_no_markup_left(text):
    escaped = ui.escape_markdown(text)
    assert "<" not in escaped and ">" not in escaped
    # every markdown punctuation mark is backslash-escaped, so no rule can fire
    for mark in "*_`[]()#$|!~":
        assert re.search(rf"(?<!\\){re.escape(mark)}", escaped) is None, mark
    # and stripping the escapes gives the text back
    assert unescaped(escaped) == text.replace("\r", " ")


def test_preparing_state_until_the_index_is_ready():
    release = threading.Event()

    class SlowEngine:
        def load(self):
            release.wait(10)

    preparer = ui.Preparer(SlowEngine()).start()
    assert preparer.status() == ui.PREPARING
    release.set()
    assert preparer.done.wait(10)
    assert preparer.status() == ui.READY
    failing = ui.Preparer(BrokenEngine()).start()
    assert failing.done.wait(10)
    assert failing.status() == ui.UNAVAILABLE and "/secret" not in failing.status()


def test_the_overview_lists_documents_dates_and_speakers_escaped_and_capped():
    rows = [{"id": f"d{i}", "title": f"<b>Briefing {i}</b>", "date": None if i == 1 else f"2024-01-{i + 1:02d}",
             "speakers": [f"Speaker {j}" for j in range(i + 1)], "passages": 3, "figures": i, "source": "x.txt",
             "bundled": False} for i in range(ui.MAX_OVERVIEW_DOCUMENTS + 2)]
    html_text = ui.overview_html(rows)
    text, tags = shown(html_text)
    assert f"In the corpus: {len(rows)} documents" in text and "b" not in tags and "<b>Briefing 0</b>" in text
    assert "2024-01-01 · 3 passages · 0 figures" in text and "undated" in text
    assert "Speakers: Speaker 0, Speaker 1" in text
    assert f"and {ui.MAX_OVERVIEW_DOCUMENTS - ui.MAX_OVERVIEW_SPEAKERS} more" in text  # the last row shown: 12 names
    assert html_text.count('class="qa-card qa-doc"') == ui.MAX_OVERVIEW_DOCUMENTS and "... and 2 more" in text
    assert "In the corpus: 1 document<" in ui.overview_html(rows[:1])


def test_the_overview_of_a_loaded_engine_is_its_corpus_and_preparing_says_it_comes(tmp_path):
    import shutil

    from qa import QA
    from tests.conftest import RURAL_TRANSCRIPT, SEED_TRANSCRIPT, FakeEmbedder

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_TRANSCRIPT, folder / "seed.txt")
    shutil.copy(RURAL_TRANSCRIPT, folder / RURAL_TRANSCRIPT.name)
    engine = QA(corpus=folder, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    preparer = ui.Preparer(engine)
    overview = ui.Overview(preparer)
    assert ui.OVERVIEW_PREPARING in overview.html()  # not loaded yet: nothing is loaded for it either
    preparer.start().done.wait(60)
    text, _ = shown(overview.html())
    assert "In the corpus: 2 documents" in text and "2023-03-09" in text and "2022-06-18" in text
    assert "Han Xia" in text and "rural" in text.lower()
    assert ui.corpus_overview(BrokenEngine()) == ""
    failed = ui.Preparer(BrokenEngine()).start()
    assert failed.done.wait(10) and ui.Overview(failed).html() == ""


def test_the_command_line_defaults_are_local_and_private():
    args = ui.build_parser().parse_args([])
    assert args.host == "127.0.0.1" and args.port == 7860 and args.share is False


@pytest.mark.model
def test_corpus_markup_is_shown_as_text_in_chat_and_sources(tmp_path, real_embedder):
    from qa import QA

    transcript = tmp_path / "t.txt"
    transcript.write_text(
        "Heading\n\nBriefing | May 1, 2023\n\nLi <i>Ming</i>:\n\n"
        "In 2022 we built 42 widget factories, as the <b>plan</b> <script>alert(1)</script> "
        "**said** [here](javascript:alert(1)).\n",
        encoding="utf-8",
    )
    engine = QA(corpus=transcript, index_dir=tmp_path / "index", embedder=real_embedder, progress=False)
    turn = ui.answer_turn(engine, "How many widget factories were built in 2022?")
    assert turn.chat.startswith("**42")
    assert "<" not in turn.chat and "&lt;script&gt;" in turn.chat and "\\*\\*said\\*\\*" in turn.chat
    text, tags = shown(turn.sources)
    assert "<script>alert(1)</script>" in text and "<b>plan</b>" in text and "**said**" in text
    assert {"script", "b", "i", "a"}.isdisjoint(tags)
    assert "<script>" in turn.plain  # plain text is for pasting: it keeps the words as they are


@pytest.mark.model
def test_a_figure_answer_leads_with_the_answer_then_quote_citation_and_speaker(real_engine):
    turn = ui.answer_turn(real_engine, FIGURE_QUESTION)
    first, rest = turn.chat.split("\n", 1)
    assert first == "**more than 150 large industrial internet platforms**"
    assert "> More than 150 large industrial internet platforms have been established" in rest
    assert "\\[1\\]" in rest and "\\[1\\] Han Xia, paragraph 5 of" in rest
    text, _ = shown(turn.sources)
    assert "Sources (5)" in text and "Han Xia" in text and "paragraph 5" in text and "score " in text
    answer_marks = re.findall(r'<mark class="fig fig-answer"[^>]*>([^<]*)</mark>', turn.sources)
    other_marks = re.findall(r'<mark class="fig fig-other"[^>]*>([^<]*)</mark>', turn.sources)
    assert answer_marks == ["150"] and "78 million" in other_marks
    legend = shown(turn.sources)[0]
    assert "figure in the answer" in legend and "operand" not in legend  # nothing computed, nothing to explain
    assert turn.plain.splitlines()[:2] == [f"Q: {FIGURE_QUESTION}",
                                           "A: more than 150 large industrial internet platforms"]
    assert re.search(r"^\[1\] Han Xia, paragraph 5 of .*, characters \d+-\d+ of .*\.txt$", turn.plain, re.M)


@pytest.mark.model
def test_follow_up_is_answered_about_the_previous_subject_and_shows_the_search(real_engine):
    first = ui.answer_turn(real_engine, "What was the size of the software industry in 2021?")
    assert unescaped(first.chat).startswith("**9.5 trillion yuan**")
    follow = ui.answer_turn(real_engine, "And in 2012?", previous=first.searched)
    assert follow.searched == "What was the size of the software industry in 2012?"
    assert unescaped(follow.chat).startswith("**2.5 trillion yuan**")
    assert "_Searched for: What was the size of the software industry in 2012?_" in unescaped(follow.chat)
    assert "Searched for: <q>What was the size of the software industry in 2012?</q>" in follow.sources
    assert re.findall(r'fig-answer"[^>]*>([^<]*)</mark>', follow.sources) == ["2.5 trillion yuan"]
    alone = ui.answer_turn(real_engine, "And in 2012?")  # no conversation: nothing to follow
    assert alone.searched == "And in 2012?" and "Searched for" not in alone.chat


@pytest.mark.model
def test_computed_figures_are_marked_as_computed(real_engine):
    turn = ui.answer_turn(real_engine, "How much did the software industry grow from 2012 to 2021?")
    assert "**Computed** by this tool, not stated in the transcript: \\+7\\.0 trillion yuan, 3\\.8x" in turn.chat
    assert 'class="qa-computed"' in turn.sources
    assert "operand of a computed figure" in shown(turn.sources)[0]  # the legend explains the operand mark
    assert re.findall(r'fig-answer fig-operand"[^>]*>([^<]*)</mark>', turn.sources) == \
        ["2.5 trillion yuan", "9.5 trillion yuan"]
    assert "Computed by transcript-qa, not stated in the transcript: +7.0 trillion yuan, 3.8x" in turn.plain


@pytest.mark.model
def test_abstention_says_so_once_and_offers_related_passages_without_a_legend(real_engine):
    turn = ui.answer_turn(real_engine, "How many 5G base stations were built?")
    assert turn.chat.startswith("**The transcript does not say\\.**")
    said = unescaped(turn.chat)
    assert said.count("not") == 1 and "could not find" not in said  # said once, not twice in other words
    assert "Related passages (in the sources panel): Han Xia, paragraph" in said
    assert "Related passages (5)" in shown(turn.sources)[0] and '<mark class="fig fig-answer' not in turn.sources
    assert "qa-legend" not in turn.sources


@pytest.mark.model
def test_top_k_sets_how_many_passages_are_shown(real_engine):
    turn = ui.answer_turn(real_engine, FIGURE_QUESTION, k=2)
    assert turn.sources.count('class="qa-card') == 2 and "Sources (2)" in turn.sources


@pytest.fixture(scope="module")
def served(real_engine):
    """The app over the session's engine, on a free 127.0.0.1 port, stopped after the tests."""
    app = ui.build_app(real_engine)
    ui.launch(app, port=None, block=False)
    yield app
    app.close()


@pytest.mark.model
@pytest.mark.parametrize("question", [FIGURE_QUESTION, "How much did the software industry grow from 2012 to 2021?",
                                      "How many 5G base stations were built?"])
def test_the_named_api_returns_what_qa_ask_returns(served, real_engine, question):
    from gradio_client import Client

    client = Client(served.local_url, verbose=False)
    assert "/ask" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    result = client.predict(question, 3, api_name="/ask")
    # The same answer as qa.ask, with sources relative to the corpus folder (no absolute paths leave the server).
    expected = json.loads(json.dumps(ui.api_answer(real_engine.ask(question, k=3), real_engine.corpus_path)))
    assert result == expected
    assert not any(c["source"].startswith("/") for c in result["citations"])
    assert result["citations"] == expected["citations"] and result["answer"] == expected["answer"]


@pytest.mark.model
def test_the_named_api_takes_the_filters_of_qa_ask(served, real_engine):
    from gradio_client import Client

    client = Client(served.local_url, verbose=False)
    speaker = next(p.speaker for p in real_engine.load()._state().index.corpus.passages if p.role == "answer")
    result = client.predict(FIGURE_QUESTION, 3, speaker.split()[0].lower(), "", "", "", api_name="/ask")
    expected = ui.api_answer(real_engine.ask(FIGURE_QUESTION, k=3, speaker=speaker.split()[0]), real_engine.corpus_path)
    assert result == json.loads(json.dumps(expected))
    assert {c["speaker"] for c in result["citations"]} <= {speaker}
    with pytest.raises(Exception) as raised:
        client.predict(FIGURE_QUESTION, 3, "nobody-of-that-name", api_name="/ask")
    assert "no speaker matches" in str(raised.value).lower() and speaker in str(raised.value)
    with pytest.raises(Exception) as raised:
        client.predict(FIGURE_QUESTION, 3, "", "", "yesterday", api_name="/ask")
    assert "YYYY-MM-DD" in str(raised.value) and "Traceback" not in str(raised.value)


@pytest.mark.model
def test_the_api_reports_a_bad_question_without_a_traceback(served):
    from gradio_client import Client

    client = Client(served.local_url, verbose=False)
    with pytest.raises(Exception) as raised:
        client.predict("   ", 5, api_name="/ask")
    message = str(raised.value)
    assert "empty" in message and "Traceback" not in message and "/work" not in message


def test_the_readme_shows_the_screenshot_and_only_real_options():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Chat page", 1)[1].split("\n## ", 1)[0]
    for name in ("chat.png", "chat-narrow.png"):  # 1400 and 420 px wide
        assert f"](docs/{name})" in section
        assert (root / "docs" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    known = {option for action in ui.build_parser()._actions for option in action.option_strings}
    used = set(re.findall(r"python ui\.py .*?(--[a-z-]+)", section)) | set(re.findall(r"\s(--[a-z-]+)", section))
    assert used and used <= known, used - known


@pytest.mark.model
def test_every_example_question_shows_what_it_is_there_for(real_engine):
    turns = {q: ui.answer_turn(real_engine, q) for q in ui.EXAMPLES}
    abstained = [q for q, turn in turns.items() if turn.chat.startswith("**The transcript does not say")]
    assert abstained == ["How many 5G base stations were built?"]
    assert all("\\[1\\]" in turn.chat for q, turn in turns.items() if q not in abstained)
    growth = turns["How much did the software industry grow from 2012 to 2021?"]
    assert "**Computed**" in growth.chat
    assert unescaped(turns["Who spoke about the industrial internet?"].chat).startswith("**Han Xia**")
    pair = turns["What was the numerical control rate of key processes at the end of 2021?"]
    assert unescaped(pair.chat).startswith("**51.3%**") and "respectively" in pair.chat


def test_qa_serve_starts_the_same_page_with_the_same_options(monkeypatch):
    from qa import cli

    seen = []
    monkeypatch.setattr(ui, "main", lambda argv=None: seen.append(argv))
    assert cli.main(["serve", "--port", "9000", "--corpus", "some/dir", "--index-dir", "idx",
                     "--allow-host", "qa.example.org"]) == 0
    args = ui.build_parser().parse_args(seen[0])
    assert (args.host, args.port, args.corpus, args.index_dir, args.share) == ("127.0.0.1", 9000, "some/dir", "idx",
                                                                                 False)
    assert args.allow_host == ["qa.example.org"]


def test_examples_about_the_bundled_transcript_only_show_for_it(tmp_path):
    from corpus import BUNDLED_CORPUS
    from qa import QA

    assert ui.examples_for(QA(corpus=BUNDLED_CORPUS, index_dir=tmp_path)) == ui.EXAMPLES
    other = QA(corpus=tmp_path / "my-briefings", index_dir=tmp_path)
    assert ui.examples_for(other) == []
    ui.build_app(other, ui.Preparer(other))  # the page still builds, without the examples
