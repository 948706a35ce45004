"""The chat as a person uses it: the real app in Debian's Chromium, driven with Playwright."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_fixtures import RunningApp
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing"),
]
WAIT = 60_000  # ms; answers take well under a second, a first page load a few


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT)
    yield context
    context.close()


def open_chat(context: BrowserContext, app: RunningApp) -> Page:
    page = context.new_page()
    page.goto(app.url)
    expect(page.locator("#cqa-question textarea")).to_be_visible()
    return page


def ask(page: Page, question: str) -> None:
    """Types a question, sends it, and waits until its answer is in the chat."""
    answers = page.locator("#cqa-chat [data-testid=bot]")
    before = answers.count()
    page.locator("#cqa-question textarea").fill(question)
    page.locator("#cqa-question textarea").press("Enter")
    expect(answers).to_have_count(before + 1)


def last_answer(page: Page) -> str:
    return page.locator("#cqa-chat [data-testid=bot]").last.inner_text()


def test_an_answer_shows_markers_and_its_sources_beside_the_chat(
    context: BrowserContext, app: RunningApp
) -> None:
    page = open_chat(context, app)
    page.locator("#cqa-chat").get_by_text("What rank is Munich in 2024?").click()  # an example

    expect(page.locator("#cqa-chat [data-testid=bot]")).to_have_count(1)
    assert "[1]" in last_answer(page) and "22" in last_answer(page)
    panel = page.locator("#cqa-sources")
    expect(panel.locator(".cqa-cite")).not_to_have_count(0)
    first = panel.locator(".cqa-cite").first
    expect(first.locator(".cqa-num")).to_have_text("[1]")
    expect(first.locator(".cqa-loc")).to_contain_text("row")
    expect(first.locator("table.cqa-row th")).to_contain_text(["rank_2024", "cluster"])
    expect(first.locator("table.cqa-row td")).to_contain_text(["22", "Munich"])


def test_a_prose_citation_highlights_the_quoted_sentence(
    context: BrowserContext, app: RunningApp
) -> None:
    page = open_chat(context, app)
    ask(page, "What do successful innovation hubs have in common?")

    cite = page.locator("#cqa-sources .cqa-cite").first
    expect(cite.locator(".cqa-loc")).to_contain_text("line")
    quote = app.qa.ask("What do successful innovation hubs have in common?").citations[0].quote
    expect(cite.locator(".cqa-passage mark")).to_have_text(quote)


def test_a_follow_up_is_read_with_the_turn_before(context: BrowserContext, app: RunningApp) -> None:
    page = open_chat(context, app)
    ask(page, "Which cluster ranks first in the article?")
    ask(page, "What is it known for?")

    answer = last_answer(page)
    assert "electronics" in answer and "automotive" in answer, answer
    expect(page.locator("#cqa-sources .cqa-resolved")).to_be_visible()


def test_an_unanswerable_question_shows_the_abstention_and_related_passages(
    context: BrowserContext, app: RunningApp
) -> None:
    page = open_chat(context, app)
    ask(page, "Who wrote the novel War and Peace?")

    expect(page.locator("#cqa-chat [data-testid=bot] .cqa-abstain-mark")).to_have_count(1)
    panel = page.locator("#cqa-sources .cqa-abstained")
    expect(panel.locator(".cqa-abstain-head")).to_contain_text("Not found in the sources")
    expect(panel.locator(".cqa-related .cqa-cite")).not_to_have_count(0)


def test_clicking_an_earlier_answer_shows_its_own_sources(
    context: BrowserContext, app: RunningApp
) -> None:
    page = open_chat(context, app)
    ask(page, "What rank is Paris in 2024?")
    ask(page, "Who wrote the novel War and Peace?")
    expect(page.locator("#cqa-sources .cqa-abstained")).to_be_visible()

    page.locator("#cqa-chat [data-testid=bot]").first.click()

    panel = page.locator("#cqa-sources")
    expect(panel.locator(".cqa-for")).to_contain_text("answer 1")
    expect(panel.locator(".cqa-answered table.cqa-row td")).to_contain_text(["Paris"])


def test_new_chat_forgets_the_conversation(context: BrowserContext, app: RunningApp) -> None:
    page = open_chat(context, app)
    ask(page, "Which cluster ranks first in the article?")
    page.locator("#cqa-new-chat").click()
    expect(page.locator("#cqa-chat [data-testid=bot]")).to_have_count(0)
    expect(page.locator("#cqa-sources .cqa-empty")).to_be_visible()

    ask(page, "What is it known for?")
    expect(page.locator("#cqa-sources .cqa-resolved")).to_have_count(0)


def test_two_browsers_do_not_share_a_conversation(browser: Browser, app: RunningApp) -> None:
    first, second = browser.new_context(), browser.new_context()
    try:
        a = open_chat(first, app)
        ask(a, "Which cluster ranks first in the article?")
        b = open_chat(second, app)
        expect(b.locator("#cqa-chat [data-testid=user]")).to_have_count(0)

        ask(b, "What is it known for?")
        # Read alone, the follow-up has nothing to refer to: no "Understood as" line.
        expect(b.locator("#cqa-sources .cqa-resolved")).to_have_count(0)
        expect(b.locator("#cqa-chat [data-testid=user]")).to_have_count(1)
        expect(a.locator("#cqa-chat [data-testid=user]")).to_have_count(1)
    finally:
        first.close()
        second.close()


def test_markup_in_a_source_shows_as_text_and_runs_nothing(
    context: BrowserContext, app: RunningApp
) -> None:
    page = open_chat(context, app)
    ask(page, "What did the Quillmere cluster planners paste into a brochure?")
    ask(page, "What did the second Quillmere brochure show where a harbour photo belonged?")
    expect(page.locator("#cqa-sources .cqa-cite").first).to_be_visible()

    shown = page.locator("#cqa-chat").inner_text() + page.locator("#cqa-sources").inner_text()
    assert "<script>window.__pwned=1</script>" in shown, shown  # the first answer, as text
    assert 'onerror="window.__pwned=2"' in shown, shown  # and the second
    page.locator("#cqa-chat [data-testid=bot]").first.click()
    expect(page.locator("#cqa-sources")).to_contain_text("<script>window.__pwned=1</script>")
    page.get_by_role("tab", name="Library").click()
    expect(page.locator("#cqa-library")).to_contain_text("injected.md")

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("script:has-text('__pwned'), img[src='x']").count() == 0


def test_the_page_works_with_the_internet_blocked(browser: Browser, app: RunningApp) -> None:
    outside: list[str] = []

    def only_this_machine(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith((app.url, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context = browser.new_context()
    try:
        context.route("**/*", only_this_machine)
        page = open_chat(context, app)
        ask(page, "What rank is Paris in 2024?")
        expect(page.locator("#cqa-sources .cqa-cite")).not_to_have_count(0)
    finally:
        context.close()
    assert outside == []


def test_an_uploaded_file_is_indexed_and_cited(
    context: BrowserContext, app: RunningApp, tmp_path: Path
) -> None:
    note = tmp_path / "Vellmark notes.md"
    note.write_text(
        "# Vellmark cluster notes\n\nThe Vellmark cluster is famous for glacier-cooled "
        "quantum foundries built beside its fjord.\n",
        encoding="utf-8",
    )
    page = open_chat(context, app)
    page.get_by_role("tab", name="Library").click()
    page.locator("#cqa-upload input[type=file]").set_input_files(note)
    expect(page.locator("#cqa-upload")).to_contain_text("Vellmark")
    page.locator("#cqa-add").click()
    status = page.locator("#cqa-status textarea")
    expect(status).to_have_value(re.compile("Added"))
    expect(page.locator("#cqa-library")).to_contain_text("Vellmark_notes.md")

    page.locator("#cqa-rebuild").click()
    expect(status).to_have_value(re.compile("Index update"))

    page.get_by_role("tab", name="Chat").click()
    ask(page, "What is the Vellmark cluster famous for?")
    assert "glacier-cooled quantum foundries" in last_answer(page)
    expect(page.locator("#cqa-sources .cqa-origin").first).to_contain_text("Vellmark_notes.md")

    page.get_by_role("tab", name="Library").click()
    page.locator("#cqa-upload input[type=file]").set_input_files(note)
    page.locator("#cqa-add").click()
    expect(status).to_have_value(re.compile("Not added: .*already"))
    page.locator("#cqa-overwrite input").check()
    page.locator("#cqa-add").click()
    expect(status).to_have_value(re.compile("Added to the library"))


def test_a_second_rebuild_is_refused_while_the_chat_keeps_answering(
    context: BrowserContext, app: RunningApp
) -> None:
    started, release = threading.Event(), threading.Event()

    def hold(_fraction: float, _message: str) -> None:
        started.set()
        release.wait(WAIT / 1000)

    running = threading.Thread(target=app.qa.build_index, kwargs={"progress": hold})
    running.start()
    try:
        assert started.wait(WAIT / 1000)
        page = open_chat(context, app)
        ask(page, "What rank is Paris in 2024?")
        assert "Paris" in last_answer(page)

        page.get_by_role("tab", name="Library").click()
        page.locator("#cqa-rebuild").click()
        expect(page.locator("#cqa-status textarea")).to_have_value(re.compile("refused"))
    finally:
        release.set()
        running.join()
