"""One real clusterqa web app for the app tests, and Chromium set up as the project runs it.

The app serves a temp copy of ``corpus/`` (plus ``injected.md``, a passage carrying markup that
must show as text) from a temp index, on a free loopback port, in a thread of the test process.
Both app test modules share it, so the model loads and the index builds once per run.

Run as a script to refresh the README screenshot:
    .venv/bin/python tests/app_fixtures.py docs/screenshot.png
"""

from __future__ import annotations

import atexit
import shutil
import socket
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clusterqa import ClusterQA

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Markup inside prose about a made-up cluster: the app must show it as text and run none of it.
INJECTED = """# Notes on the Quillmere cluster

The Quillmere cluster is known for tidal turbine research and marine sensor makers.
Its planners once pasted <script>window.__pwned=1</script> into a brochure by mistake.
A second brochure showed <img src=x onerror="window.__pwned=2"> where a harbour photo belonged.
"""


@dataclass
class RunningApp:
    url: str
    qa: ClusterQA
    corpus: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_in_thread(qa: ClusterQA, auth: str | None = None) -> str:
    """Launches the app for ``qa`` as ``clusterqa serve`` would, without blocking; its URL."""
    from clusterqa.app import build_app, launch_options

    demo = build_app(qa)
    port = free_port()
    demo.launch(**launch_options(qa, "127.0.0.1", port, auth), prevent_thread_lock=True)
    atexit.register(demo.close)
    return f"http://127.0.0.1:{port}/"


_shared: RunningApp | None = None
_shared_lock = threading.Lock()


def shared_app() -> RunningApp:
    """The app both test modules use: a temp corpus (the shipped one plus ``injected.md``)
    and a temp index, built once; the server is closed when the test run ends."""
    from clusterqa import ClusterQA

    global _shared
    with _shared_lock:
        if _shared is None:
            root = Path(tempfile.mkdtemp(prefix="clusterqa-app-"))
            atexit.register(shutil.rmtree, root, True)
            corpus = root / "corpus"
            shutil.copytree(REPO / "corpus", corpus)
            (corpus / "injected.md").write_text(INJECTED, encoding="utf-8")
            qa = ClusterQA(corpus_dir=corpus, index_dir=root / "index")
            qa.ensure_index()
            _shared = RunningApp(serve_in_thread(qa), qa, corpus)
        return _shared


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def take_screenshot(out: Path) -> None:
    """The chat with one answer and its sources, as the README shows it."""
    from playwright.sync_api import sync_playwright

    app = shared_app()
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(app.url)
        for question in (
            "Which cluster ranks first in the article?",
            "How many clusters does China have in the top 100?",
        ):
            page.locator("#cqa-question textarea").fill(question)
            page.locator("#cqa-ask").click()
            page.locator("#cqa-sources q", has_text=question).wait_for(timeout=60_000)
        page.locator("#cqa-sources .pending").wait_for(state="detached", timeout=60_000)
        page.wait_for_timeout(500)  # let the fade-in of the last update finish
        page.screenshot(path=str(out))
        browser.close()


if __name__ == "__main__":
    take_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"))
