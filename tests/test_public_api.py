"""The public surface: what ``import clusterqa`` promises (as httpx's test_all_imports)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import clusterqa


def test_all_is_sorted_and_every_name_imports() -> None:
    assert clusterqa.__all__ == sorted(clusterqa.__all__)
    for name in clusterqa.__all__:
        assert getattr(clusterqa, name) is not None, name
        exec(f"from clusterqa import {name}", {})  # the import statement users write


def test_contract_names_are_exported() -> None:
    expected = {"Answer", "BuildReport", "Citation", "ClusterQA", "ClusterQAError",
                "IndexBusyError", "IndexMismatchError", "Locator", "Passage", "QuestionError",
                "Settings", "SourceError", "SourceInfo", "TableRow", "ask"}
    assert expected <= set(clusterqa.__all__)


def test_module_level_ask_is_callable_with_the_documented_signature() -> None:
    import inspect

    assert callable(clusterqa.ask)
    params = inspect.signature(clusterqa.ask).parameters
    assert list(params)[:2] == ["question", "history"]
    assert "top_k" in params


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        clusterqa.NoSuchThing  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("clusterqa.NoSuchThing should not exist")


def test_question_error_is_a_value_error_and_a_clusterqa_error() -> None:
    assert issubclass(clusterqa.QuestionError, ValueError)
    assert issubclass(clusterqa.QuestionError, clusterqa.ClusterQAError)
    for name in ("SourceError", "IndexBusyError", "IndexMismatchError", "EmptyCorpusError"):
        assert issubclass(getattr(clusterqa, name), clusterqa.ClusterQAError), name


def test_import_is_light() -> None:
    """``import clusterqa`` (and so ``clusterqa --help``) must not pull in torch, faiss, gradio."""
    code = ("import sys, clusterqa, clusterqa.cli; "
            "print(sorted(m for m in ('torch', 'faiss', 'gradio', 'sentence_transformers', "
            "'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_every_public_name_comes_from_its_module() -> None:
    """Names resolve lazily to the object defined in their module, not to a copy."""
    for name in clusterqa.__all__:
        obj = getattr(clusterqa, name)
        module = importlib.import_module(obj.__module__)
        assert getattr(module, name) is obj


def test_module_level_ask_answers_from_the_configured_corpus(tmp_path, monkeypatch) -> None:
    """``clusterqa.ask`` reads ``CLUSTERQA_*`` settings, builds the index on first use and
    answers with the value a reader needs, cited."""
    import clusterqa.api

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbours.md").write_text(
        "# Harbour notes\n\nThe Quillon harbour opened in 1911 and handles grain.\n"
        "The Brask harbour has seventeen cranes.\n", encoding="utf-8")
    monkeypatch.setenv("CLUSTERQA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("CLUSTERQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setattr(clusterqa.api, "_DEFAULT", None)
    ans = clusterqa.ask("When did the Quillon harbour open?")
    assert not ans.abstained and "1911" in ans.text
    assert ans.citations[0].source == "harbours.md" and "1911" in ans.citations[0].quote
    assert any("built first" in n for n in ans.notices)
    follow = clusterqa.ask("How many cranes does the Brask harbour have?")
    assert "seventeen" in follow.text and not follow.notices
    assert clusterqa.ask("Who painted the Mona Lisa?").abstained
