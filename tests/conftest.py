"""Shared fixtures: a clean CLUSTERQA_* environment for every test, and one real index of the
shipped corpus per test session (the real bundled model, a real FAISS index, temp folders)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from app_fixtures import RunningApp
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a CLUSTERQA_* setting from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("CLUSTERQA_"):
            monkeypatch.delenv(key)


def copy_corpus(target: Path) -> Path:
    shutil.copytree(SHIPPED_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A ClusterQA over a temp copy of the shipped corpus, its index built once per session.

    Tests must not change its corpus; copy it with ``copy_corpus`` for that."""
    from clusterqa import ClusterQA

    root = tmp_path_factory.mktemp("shipped")
    qa = ClusterQA(corpus_dir=copy_corpus(root / "corpus"), index_dir=root / "index")
    qa.build_index()
    return qa


@pytest.fixture
def workspace(tmp_path: Path):  # type: ignore[no-untyped-def]
    """An empty corpus and index folder of the test's own, and a factory for ClusterQA."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()

    def make(**settings):  # type: ignore[no-untyped-def]
        from clusterqa import ClusterQA

        return ClusterQA(corpus_dir=corpus, index_dir=index, **settings)

    return corpus, index, make


@pytest.fixture(scope="session")
def app() -> RunningApp:
    """The one real web app the app, API, OpenAI, MCP and browser tests share."""
    from app_fixtures import shared_app

    return shared_app()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, as the project runs it."""
    from app_fixtures import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()
