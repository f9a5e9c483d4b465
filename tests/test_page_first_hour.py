"""The chat page's first-hour fixes (issue 14), in headless Debian Chromium: an empty or an
overlong message, the question echoed at once with one progress indicator, the legend, the
example chips, a bad date, the corpus overview on load and a 420 px wide window.

Two servers: `python ui.py` over the bundled transcript (test_ui_browser's fixtures) and, in
this process, the page over three briefings with an engine whose answers can be held back.
`UPDATE_SCREENSHOT=1` writes the README's docs/chat-narrow.png.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

import ui
from qa import QA
from tests.test_ui_browser import (  # noqa: F401 (fixtures)
    ANSWER_MS,
    BOT,
    STARTUP_SECONDS,
    USER,
    ask,
    browser,
    page,
    ready_page,
    server,
)

pytestmark = [pytest.mark.browser, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
MULTIDOC = ROOT / "tests" / "fixtures" / "multidoc"
NARROW_SCREENSHOT = ROOT / "docs" / "chat-narrow.png"
CROSS_BRIEFING = "How many hectares of water-saving irrigation area were there?"
FIGURE_QUESTION = "What was the size of the software industry in 2021?"
GROWTH_QUESTION = "How much did the software industry grow from 2012 to 2021?"
NOT_IN_IT = "How many 5G base stations were built?"
# The progress indicators shown (Gradio's status trackers not hidden) and where they are.
SHOWN_TRACKERS = ("() => [...document.querySelectorAll('.wrap.default, .wrap.center')]"
                  ".filter(w => !w.classList.contains('hide')).map(w => w.closest('[id]')?.id || '')")


class HeldQA(QA):
    """An engine whose answers wait while `gate` is clear (it is set, open, unless a test clears it)."""

    gate = threading.Event()

    def ask(self, *args, **kwargs):
        assert self.gate.wait(2 * ANSWER_MS / 1000), "the test never released the answer"
        return super().ask(*args, **kwargs)


@pytest.fixture(scope="module")
def briefings(tmp_path_factory, real_embedder):
    """The page over three briefings, served from this process on a free 127.0.0.1 port."""
    HeldQA.gate.set()
    engine = HeldQA(corpus=MULTIDOC, index_dir=tmp_path_factory.mktemp("first-hour") / "index",
                    embedder=real_embedder, progress=False)
    app = ui.serve(engine, port=None, block=False)
    yield app.local_url
    HeldQA.gate.set()
    app.close()


@pytest.fixture
def briefings_page(browser, briefings):  # noqa: F811 (the imported fixture)
    with ready_page(browser, briefings) as tab:
        yield tab


def panels(tab) -> tuple[str, str, bool]:
    """What the sources panel, the copy box and the chart show."""
    return (tab.locator("#qa-sources .prose").inner_html(), tab.locator("#qa-plain textarea").input_value(),
            tab.locator("#qa-chart").is_visible())


def test_an_empty_message_adds_no_bubble_and_leaves_the_last_answer_as_it_was(briefings_page):
    tab = briefings_page
    ask(tab, CROSS_BRIEFING)
    expect(tab.locator("#qa-chart")).to_be_visible()
    before, users = panels(tab), tab.locator(USER).count()
    assert before[0].count("qa-card") > 1 and before[1].startswith(f"Q: {CROSS_BRIEFING}")
    for empty in ("", "   \n  "):
        assert ask(tab, empty) == ui.EMPTY
        assert tab.locator(USER).count() == users  # no empty bubble
        assert panels(tab) == before  # the sources, the copy box and the chart stay


def test_an_overlong_message_is_not_echoed_and_stays_in_the_box_to_trim(page):  # noqa: F811
    long = ("How many platforms were built? " * 700)[:2 * ui.MAX_QUESTION_CHARS]
    note = ask(page, long)
    assert "too long" in note and f"{ui.MAX_QUESTION_CHARS:,}" in note and f"{len(long):,}" in note
    assert page.locator(USER).count() == 0  # no huge bubble
    assert page.locator("#qa-question textarea").input_value() == long


def test_the_question_shows_at_once_and_one_progress_indicator_runs_on_the_chat(briefings_page):
    tab = briefings_page
    box = tab.locator("#qa-question textarea")
    HeldQA.gate.clear()
    try:
        box.fill(CROSS_BRIEFING)
        box.press("Enter")
        expect(tab.locator(USER)).to_have_count(1, timeout=ANSWER_MS)  # while the answer is held back
        assert tab.locator(USER).last.inner_text().strip() == CROSS_BRIEFING
        assert box.input_value() == ""
        expect(tab.locator("#qa-chat .message.pending")).to_have_count(1, timeout=ANSWER_MS)  # typing dots
        assert tab.evaluate(SHOWN_TRACKERS) == ["qa-chat"]
    finally:
        HeldQA.gate.set()
    tab.wait_for_function("!document.querySelector('.generating, .pending')", timeout=ANSWER_MS)
    assert tab.locator(BOT).last.inner_text().count("million hectares") >= 3
    assert tab.evaluate(SHOWN_TRACKERS) == []


def _background(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def test_the_legend_colours_differ_and_an_abstention_shows_no_legend(page):  # noqa: F811
    ask(page, GROWTH_QUESTION)
    legend = page.locator("#qa-sources .qa-legend span")
    expect(legend).to_have_text(["figure in the answer", "other figure", "operand of a computed figure"])
    colours = [_background(legend.nth(i)) for i in range(3)]
    assert len(set(colours)) == 3, colours
    operand = page.locator("#qa-sources .qa-text mark.fig-operand").first
    assert _background(operand) == colours[2]  # the passages use the legend's colours
    assert _background(page.locator("#qa-sources .qa-text mark.fig-other").first) == colours[1]

    ask(page, FIGURE_QUESTION)  # nothing computed: no operand to explain
    expect(legend).to_have_text(["figure in the answer", "other figure"])
    reply = ask(page, NOT_IN_IT)
    assert reply.startswith("The transcript does not say.") and reply.count("does not say") == 1
    assert "could not find" not in reply and "Related passages (in the sources panel)" in reply
    expect(page.locator("#qa-sources")).to_contain_text("Related passages (5)")
    assert page.locator("#qa-sources .qa-legend").count() == 0


LOOK = ("e => { const s = getComputedStyle(e); return JSON.stringify([s.backgroundColor, s.borderColor, "
        "s.boxShadow, s.outlineStyle, s.color]); }")


def test_example_chips_show_the_whole_question_and_none_stays_highlighted(page):  # noqa: F811
    chips = page.locator("#qa-examples .qa-chip")
    expect(chips).to_have_text(ui.EXAMPLES)
    for i in range(len(ui.EXAMPLES)):  # nothing clipped: the text fits its chip
        assert chips.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    untouched = chips.nth(0).evaluate(LOOK)
    chips.nth(1).click()
    expect(page.locator(BOT)).to_have_count(1, timeout=ANSWER_MS)
    page.wait_for_function("!document.querySelector('.generating, .pending')", timeout=ANSWER_MS)
    assert page.locator(USER).last.inner_text().strip() == ui.EXAMPLES[1]
    page.mouse.move(0, 0)  # no hover; the button's colours ease back (a CSS transition), so wait for them
    clicked = chips.nth(1).element_handle()
    page.wait_for_function(f"([e, want]) => ({LOOK})(e) === want", arg=[clicked, untouched], timeout=ANSWER_MS)


def test_a_bad_date_says_which_box_and_how_to_write_it(page):  # noqa: F811
    page.locator("#qa-options").get_by_text("Search options").click()
    page.locator("#qa-date-from textarea, #qa-date-from input").first.fill("yesterday")
    reply = ask(page, FIGURE_QUESTION)
    assert reply.startswith("From date must be a day written YYYY-MM-DD, not 'yesterday'"), reply
    assert "date_from" not in reply.lower()


def test_on_load_the_sources_panel_shows_what_the_corpus_holds(briefings_page):
    tab = briefings_page
    panel = tab.locator("#qa-sources")
    expect(panel).to_contain_text("In the corpus: 3 documents")
    for text in ("2021-04-12", "2022-05-17", "2023-06-08", "river basin management", "Feng Qiaoyu",
                 "Sun Peilin", "Wei Shuang"):
        expect(panel).to_contain_text(text)
    ask(tab, CROSS_BRIEFING)
    expect(panel).to_contain_text("Sources (")
    expect(panel).not_to_contain_text("In the corpus")
    tab.click("#qa-clear")  # a new conversation shows the overview again
    expect(panel).to_contain_text("In the corpus: 3 documents")


def _top(tab, selector: str) -> float:
    return tab.locator(selector).first.bounding_box()["y"]


def test_at_420_px_the_sources_come_right_after_the_question_box(browser, server, tmp_path):  # noqa: F811 (fixtures)
    context = browser.new_context(viewport={"width": 420, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(server[0])
        tab.wait_for_function("document.querySelector('#qa-status')?.innerText.includes('Ready')",
                               timeout=STARTUP_SECONDS * 1000)
        expect(tab.locator("#qa-sources")).to_contain_text("In the corpus: 1 document")
        ask(tab, FIGURE_QUESTION)
        expect(tab.locator("#qa-sources")).to_contain_text("Sources (5)")
        sources = _top(tab, "#qa-sources")
        buttons = tab.locator("#qa-buttons").bounding_box()
        assert sources >= buttons["y"] + buttons["height"]  # under the question box and its buttons ...
        for rest in ("#qa-examples", "#qa-options", "#qa-plain"):  # ... before the rest of the chat column
            assert sources < _top(tab, rest), rest
        assert tab.evaluate("document.documentElement.scrollWidth") <= 420  # nothing off to the side
        target = NARROW_SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "chat-narrow.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": 420, "height": 1500})
        assert target.stat().st_size > 10_000
    finally:
        context.close()
