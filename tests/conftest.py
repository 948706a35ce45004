"""Shared fixtures: a clean CLUSTERQA_* environment for every test, and one real index of the
shipped corpus per test session (the real bundled model, a real FAISS index, temp folders)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
