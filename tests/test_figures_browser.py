"""The page's Figures tab and the chart under a cross-briefing answer, in headless Chromium.

`python ui.py --corpus tests/fixtures/multidoc` (three briefings); `UPDATE_SCREENSHOT=1`
writes the README's docs/figures.png and docs/chart.png."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from corpus import document_text
from tests.test_ui_browser import ANSWER_MS, ask, browser, ready_page, running_ui  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
MULTIDOC = ROOT / "tests" / "fixtures" / "multidoc"
CROSS_BRIEFING = "How many hectares of water-saving irrigation area were there?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python ui.py` over three briefings, stopped after the tests."""
    with running_ui(tmp_path_factory.mktemp("figures-browser"), "--corpus", str(MULTIDOC)) as (url, _):
        yield url


@pytest.fixture
def page(browser, server):  # noqa: F811 (the imported fixture)
    with ready_page(browser, server, accept_downloads=True) as tab:
        yield tab


def _show(page) -> int:
    """Click "Show figures", wait until the page is idle, and return how many figures match."""
    page.click("#qa-fig-show")
    page.wait_for_timeout(200)  # the click's request starts
    page.wait_for_function("!document.querySelector('.generating, .pending')", timeout=ANSWER_MS)
    found = re.search(r"([\d,]+) figure\(s\)", page.locator("#qa-fig-found").inner_text())
    assert found, page.locator("#qa-fig-found").inner_text()
    return int(found.group(1).replace(",", ""))


def _cell(page, row: int, column: int):
    return page.locator(f"#qa-fig-table [data-testid='cell-{row}-{column}']")


def test_the_figures_tab_filters_downloads_and_shows_a_figure_in_its_paragraph(page, tmp_path):
    page.get_by_role("tab", name="Figures").click()
    page.locator("#qa-fig-query input, #qa-fig-query textarea").first.fill("water-saving irrigation area")
    every = _show(page)
    assert every > 1 and _cell(page, 0, 2).inner_text().strip()
    # Filter by speaker: every row shown is that speaker's.
    page.locator("#qa-fig-speaker input, #qa-fig-speaker textarea").first.fill("Feng")
    shown = _show(page)
    assert 0 < shown < every
    speakers = {_cell(page, row, 1).inner_text().strip() for row in range(min(shown, 8))}
    assert speakers == {"Feng Qiaoyu"}
    with page.expect_download() as download:
        page.click("#qa-fig-csv")
    rows = list(csv.DictReader(open(download.value.path(), encoding="utf-8")))
    assert len(rows) == shown and {row["speaker"] for row in rows} == {"Feng Qiaoyu"}
    for row in rows:  # every value slices back to its source
        assert document_text(row["source"])[int(row["start"]):int(row["end"])] == row["text"]
    first = _cell(page, 0, 2).inner_text().strip()
    _cell(page, 0, 2).click()
    marked = page.locator("#qa-fig-paragraph #qa-fig-marked")
    marked.wait_for(timeout=ANSWER_MS)
    assert marked.inner_text() == first == rows[0]["text"]
    assert rows[0]["sentence"].split(first)[0][-20:] in page.locator("#qa-fig-paragraph").inner_text()
    if os.environ.get("UPDATE_SCREENSHOT"):
        page.screenshot(path=str(ROOT / "docs" / "figures.png"))


def test_a_cross_briefing_answer_draws_one_point_per_briefing(page):
    reply = ask(page, CROSS_BRIEFING)
    assert reply.split("\n")[0].count("million hectares") == 3  # the short answer lists all three
    chart = page.locator("#qa-chart")
    chart.wait_for(state="visible", timeout=ANSWER_MS)
    page.wait_for_function("document.querySelectorAll('#qa-chart .mark-symbol path').length > 0", timeout=ANSWER_MS)
    assert page.locator("#qa-chart .mark-symbol path").count() == 3  # one point per briefing
    if os.environ.get("UPDATE_SCREENSHOT"):
        page.screenshot(path=str(ROOT / "docs" / "chart.png"), full_page=True)
    # A single-briefing answer hides it again.
    ask(page, "How many new irrigation districts were started?")
    chart.wait_for(state="hidden", timeout=ANSWER_MS)
