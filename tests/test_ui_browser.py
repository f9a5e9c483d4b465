"""End to end: `python ui.py` on a free port, driven by Playwright in headless Debian Chromium.

Chromium comes from the system package (`apt-get install chromium`, done by .ci/run); Playwright's
own browser download is never used. `UPDATE_SCREENSHOT=1` writes the README's docs/chat.png.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = ROOT / "docs" / "chat.png"
STARTUP_SECONDS = 240  # model load + first index build on a slow, shared CI machine
ANSWER_MS = 120_000  # per question; a bound on hanging, not a performance check

BOT = "#qa-chat [data-testid='bot']"
USER = "#qa-chat [data-testid='user']"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_ui(folder: Path, *arguments: str) -> Iterator[tuple[str, Path]]:
    """`python ui.py ARGUMENTS` on a free 127.0.0.1 port with its index in `folder`, until it
    answers; yields (url, log file) and stops it afterwards."""
    port = free_port()
    log_path = folder / "server.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "ui.py"), "--port", str(port), "--index-dir", str(folder / "index"),
             *arguments], cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"ui.py exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ui.py did not start in {STARTUP_SECONDS} s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.5)
        yield url, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python ui.py` over the bundled transcript with a fresh index, stopped after the tests."""
    with running_ui(tmp_path_factory.mktemp("ui-browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does)"
        if os.environ.get("TRANSCRIPT_QA_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def ready_page(browser, url: str, **options) -> Iterator:
    """A new 1400 px browser tab on `url`, once the page says the index is ready; closed after."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, **options)
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_function("document.querySelector('#qa-status')?.innerText.includes('Ready')",
                          timeout=STARTUP_SECONDS * 1000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page(browser, server):
    url, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.dialogs = []  # every alert/confirm/prompt the page tries to open
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    status = page.locator("#qa-status")
    status.wait_for()
    assert "Preparing" in status.inner_text() or "Ready" in status.inner_text()  # never an error page
    page.wait_for_function("document.querySelector('#qa-status').innerText.includes('Ready')",
                           timeout=STARTUP_SECONDS * 1000)
    yield page
    context.close()


def ask(page, question: str) -> str:
    """Type a question, press Enter, and return the new reply's text once it has arrived."""
    before = page.locator(BOT).count()
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll(\"{BOT}\").length > {before}", timeout=ANSWER_MS)
    # the sources panel and the copy box come in the same update; wait until the page is idle
    page.wait_for_function("!document.querySelector('.generating, .pending')", timeout=ANSWER_MS)
    return page.locator(BOT).last.inner_text()


def test_the_index_was_built_with_progress_in_the_terminal(page, server):
    _, log_path = server
    log = log_path.read_text(errors="replace")
    assert "Preparing the index" in log and "Embedding passages" in log and "100%" in log
    assert "Traceback" not in log


def test_figure_question_then_follow_up_with_citation_speaker_and_highlighted_figure(page, tmp_path):
    first = ask(page, "What was the size of the software industry in 2021?")
    assert first.startswith("9.5 trillion yuan")
    assert "[1]" in first and "Han Xia, paragraph 6" in first
    answer_marks = page.locator("#qa-sources mark.fig-answer")
    expect(answer_marks).to_have_text(["9.5 trillion yuan"])
    assert "2.5 trillion yuan" in page.locator("#qa-sources mark.fig-other").all_inner_texts()
    assert page.locator("#qa-sources .qa-speaker").first.inner_text() == "Han Xia"

    follow = ask(page, "And in 2012?")
    assert follow.startswith("2.5 trillion yuan")
    assert "[1] Han Xia, paragraph 6" in follow
    assert "Searched for: What was the size of the software industry in 2012?" in follow
    expect(answer_marks).to_have_text(["2.5 trillion yuan"])
    cited = page.locator("#qa-sources .qa-card.cited")
    assert cited.count() == 1 and "paragraph 6" in cited.inner_text() and "cited [1]" in cited.inner_text()
    # the highlighted figure really is marked differently from the others
    answer_bg = answer_marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    other_bg = page.locator("#qa-sources mark.fig-other").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert answer_bg != other_bg
    plain = page.locator("#qa-plain textarea").input_value()
    assert plain.startswith("Q: And in 2012?\n(searched for: What was the size of the software industry in 2012?)")
    assert "A: 2.5 trillion yuan" in plain and "[1] Han Xia, paragraph 6 of" in plain
    assert page.locator(USER).count() == 2 and page.locator(BOT).count() == 2  # the chat keeps history

    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "chat.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


def test_markup_in_a_question_is_shown_literally_and_never_runs(page):
    attack = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(2)) $x^2$ How many platforms?"
    reply = ask(page, attack)
    assert page.dialogs == []
    assert page.locator(USER).last.inner_text().strip() == attack
    assert page.locator("#qa-chat img, #qa-chat a[href^='javascript'], #qa-chat strong:text('bold')").count() == 0
    assert page.locator("#qa-sources img").count() == 0
    expect(page.locator("#qa-sources .qa-searched")).to_contain_text(attack)
    assert page.locator("#qa-plain textarea").input_value().startswith(f"Q: {attack}")
    assert reply  # answered or politely refused, not an error
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_examples_abstention_and_top_k(page):
    page.get_by_text("How many 5G base stations were built?", exact=True).click()
    expect(page.locator("#qa-sources")).to_contain_text("Related passages (5)", timeout=ANSWER_MS)
    reply = page.locator(BOT).last.inner_text()
    assert reply.startswith("The transcript does not say.") and "Related passages" in reply

    page.locator("#qa-options").get_by_text("Search options").click()
    number, slider = page.locator("#qa-top-k input[type='number']"), page.locator("#qa-top-k input[type='range']")
    # The slider follows the number box on blur. A blur right after the accordion opens is
    # sometimes lost (about one run in three under load: the slider stayed at 5 for minutes),
    # so the box is filled again, as a person would, until the slider shows it.
    for _ in range(10):
        number.fill("2")
        number.press("Tab")
        if slider.input_value() == "2":
            break
        page.wait_for_timeout(500)
    expect(slider).to_have_value("2", timeout=ANSWER_MS)
    ask(page, "How many large industrial internet platforms have been established?")
    expect(page.locator("#qa-sources")).to_contain_text("Sources (2)", timeout=ANSWER_MS)
    assert page.locator("#qa-sources .qa-card").count() == 2

    empty = ask(page, "   ")
    assert empty == "Please type a question about the transcript."
