"""Reliability as a hostile user meets it: damaged index files, folders that cannot be written,
text no tokenizer or terminal takes, huge histories, unreadable uploads. Real index files are
damaged in temp folders; nothing of our own is mocked."""

from __future__ import annotations

import json
import resource
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from test_cli import run_main

from clusterqa import ClusterQA, IndexDamagedError
from clusterqa.errors import IndexWriteError

FILES = {
    "kilns.txt": "The Varno kiln fires porcelain at 1300 degrees.\n"
                 "It was founded by the potter Ilse Marr in 1911.\n",
    "bees.txt": "The Orsk apiary keeps 400 hives of mountain bees.\n"
                "Its heather honey won a national prize in 2018.\n",
}
KILN_Q = "At what temperature does the Varno kiln fire porcelain?"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small corpus and its index, built once; tests damage copies of it."""
    root = tmp_path_factory.mktemp("pristine")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in FILES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    ClusterQA(corpus_dir=corpus, index_dir=root / "index").build_index()
    return corpus, root / "index"


@pytest.fixture
def copy(pristine: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """A private copy of the small corpus and index, and its live generation folder."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(pristine[0], corpus)
    shutil.copytree(pristine[1], index)
    return corpus, index, index / (index / "CURRENT").read_text().strip()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble_line(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0][: len(lines[0]) // 2]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _bad_record(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps({"source": 7})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _drop_vector_row(path: Path) -> None:
    np.save(path, np.load(path)[:-1], allow_pickle=False)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "empty faiss file": lambda g: (g / "chunks.faiss").write_bytes(b""),
    "truncated faiss file": lambda g: _truncate(g / "chunks.faiss"),
    "deleted faiss file": lambda g: (g / "chunks.faiss").unlink(),
    "deleted chunk store": lambda g: (g / "chunks.jsonl").unlink(),
    "garbled sentence store": lambda g: _garble_line(g / "sentences.jsonl"),
    "bad chunk record": lambda g: _bad_record(g / "chunks.jsonl"),
    "truncated sentence store": lambda g: (g / "sentences.jsonl").write_text(
        (g / "sentences.jsonl").read_text().splitlines()[0] + "\n"),
    "deleted keyword index": lambda g: shutil.rmtree(g / "bm25"),
    "sentence vectors one row short": lambda g: _drop_vector_row(g / "sentences.npy"),
    "truncated sentence vectors": lambda g: _truncate(g / "sentences.npy"),
    "garbage manifest": lambda g: (g / "manifest.json").write_text("\x00garbage{"),
    "manifest of the wrong shape": lambda g: (g / "manifest.json").write_text('{"files": 3}'),
    "deleted manifest": lambda g: (g / "manifest.json").unlink(),
    "garbage term table": lambda g: (g / "terms.json").write_text("[1, 2"),
    "garbage CURRENT": lambda g: (g.parent / "CURRENT").write_text("../../etc"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_index_is_one_line_and_index_repairs_it(
        case: str, copy: tuple[Path, Path, Path]) -> None:
    corpus, index, gen = copy
    DAMAGE[case](gen)
    with pytest.raises(IndexDamagedError) as info:
        ClusterQA(corpus_dir=corpus, index_dir=index).ask(KILN_Q)
    message = str(info.value)
    assert "damaged" in message and "run `clusterqa index`" in message and "\n" not in message
    # `clusterqa index` without --full repairs it: the generation that fails is rebuilt.
    run = run_main(["--corpus", str(corpus), "--index", str(index), "index"])
    assert run.code == 0, run.err
    assert "Full rebuild" in run.out
    assert "1300" in ClusterQA(corpus_dir=corpus, index_dir=index).ask(KILN_Q).text


def test_cli_ask_on_damaged_index_prints_one_line(copy: tuple[Path, Path, Path]) -> None:
    corpus, index, gen = copy
    _drop_vector_row(gen / "sentences.npy")
    run = run_main(["--corpus", str(corpus), "--index", str(index), "ask", KILN_Q])
    assert run.code == 1
    assert run.err.startswith("clusterqa: the index in ") and "Traceback" not in run.err
    assert "sentences.npy" in run.err and run.err.count("\n") == 1
    run = run_main(["--corpus", str(corpus), "--index", str(index), "sources"])
    assert run.code == 1 and "damaged" in run.err


def test_garbage_manifest_is_not_blamed_on_a_setting(copy: tuple[Path, Path, Path]) -> None:
    corpus, index, gen = copy
    (gen / "manifest.json").write_text('{"model": 5}')
    run = run_main(["--corpus", str(corpus), "--index", str(index), "ask", KILN_Q])
    assert run.code == 1 and "invalid setting" not in run.err and "damaged" in run.err


def test_loaded_index_keeps_answering_when_a_damaged_generation_is_switched_in(
        copy: tuple[Path, Path, Path]) -> None:
    corpus, index, gen = copy
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    assert "1300" in qa.ask(KILN_Q).text
    bad = index / "gen-0123456789ab"
    shutil.copytree(gen, bad)
    _drop_vector_row(bad / "sentences.npy")
    (index / "CURRENT").write_text(bad.name)
    assert "1300" in qa.ask(KILN_Q).text  # the generation it had loaded
    with pytest.raises(IndexDamagedError):
        ClusterQA(corpus_dir=corpus, index_dir=index).ask(KILN_Q)
    qa.build_index()  # repairs, and the loaded object moves to the new generation
    assert (index / "CURRENT").read_text() != bad.name
    assert "1300" in qa.ask(KILN_Q).text


def test_other_settings_are_rebuilt_by_plain_index(copy: tuple[Path, Path, Path]) -> None:
    corpus, index, _ = copy
    run = run_main(["--corpus", str(corpus), "--index", str(index), "ask", KILN_Q])
    assert run.code == 0
    qa = ClusterQA(corpus_dir=corpus, index_dir=index, chunk_chars=300)
    from clusterqa import IndexMismatchError

    with pytest.raises(IndexMismatchError, match="run `clusterqa index`"):
        qa.ask(KILN_Q)
    assert qa.build_index().full
    assert "1300" in qa.ask(KILN_Q).text


# --- folders that cannot be written, a full disk ------------------------------------------

def test_index_folder_that_is_a_file_is_one_line(copy: tuple[Path, Path, Path],
                                                 tmp_path: Path) -> None:
    corpus, _, _ = copy
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")  # a file where the index folder should be: fails even for root
    for command in (["index"], ["ask", KILN_Q]):
        run = run_main(["--corpus", str(corpus), "--index", str(blocker), *command])
        assert run.code == 1, run.err
        assert run.err == (f"clusterqa: cannot write the index in {blocker}: it is a file, "
                           "not a folder — make the folder writable or free disk space (or set "
                           "CLUSTERQA_INDEX_DIR); the previous index keeps answering\n")


def test_full_disk_during_build_keeps_the_previous_index(copy: tuple[Path, Path, Path]) -> None:
    """A file-size limit makes every write past a few bytes fail as a full disk does (EFBIG),
    for root too."""
    corpus, index, gen = copy
    (corpus / "trams.txt").write_text("The Lindau tram line opened in 1896.\n")
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, hard))
    try:
        with pytest.raises(IndexWriteError, match="previous index keeps answering"):
            qa.build_index()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert (index / "CURRENT").read_text() == gen.name
    assert [p.name for p in index.iterdir() if p.name.endswith(".partial")] == []
    assert "1300" in ClusterQA(corpus_dir=corpus, index_dir=index).ask(KILN_Q).text
    qa.build_index()  # with room again, the build goes through
    assert "1896" in qa.ask("When did the Lindau tram line open?").text
