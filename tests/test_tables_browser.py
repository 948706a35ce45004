"""Computed table answers in the chat: the result table and its citations, and a chart for a
change over years, in the real app driven through Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from app_fixtures import RunningApp
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing"),
]
WAIT = 60_000


@pytest.fixture
def page(browser: Browser, app: RunningApp) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(app.url)
    expect(page.locator("#cqa-question textarea")).to_be_visible()
    yield page
    context.close()


def ask(page: Page, question: str) -> None:
    page.locator("#cqa-question textarea").fill(question)
    page.locator("#cqa-question textarea").press("Enter")
    expect(page.locator("#cqa-sources q", has_text=question)).to_be_visible()


def test_a_list_question_shows_its_result_table_and_a_citation_per_row(page: Page) -> None:
    ask(page, "Which Japanese clusters are in the 2023 top 10?")
    bot = page.locator("#cqa-chat [data-testid=bot]").last
    table = bot.locator("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("Tokyo–Yokohama")
    expect(table.locator("tbody tr").last).to_contain_text("Osaka–Kobe–Kyoto")
    expect(table.locator("tbody")).not_to_contain_text("Nagoya")  # 15th, outside the top 10
    cites = page.locator("#cqa-sources .cqa-cite")
    expect(cites).to_have_count(2)
    expect(cites.first.locator(".cqa-loc")).to_have_text("row 1")
    expect(cites.first.locator("table.cqa-row td")).to_contain_text(["1", "Tokyo–Yokohama"])


def test_a_change_question_shows_a_chart_of_ranks_by_year(page: Page) -> None:
    ask(page, "How did Nanjing's rank change between 2023 and 2024?")
    moved = page.locator("#cqa-chat [data-testid=bot]").filter(has_text="moved up 2 places")
    expect(moved).to_contain_text("from 11th in 2023 to 9th in 2024")
    chart = page.locator("#cqa-chat img[src*='.png']").last
    expect(chart).to_be_visible()
    drawn = page.wait_for_function(  # the image loaded and was drawn, not a broken link
        "img => img.complete && img.naturalWidth", arg=chart.element_handle()
    )
    assert drawn.json_value() == 560  # the chart's own width
