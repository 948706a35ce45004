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
                           "CLUSTERQA_INDEX_DIR); an index built before keeps answering\n")


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
        with pytest.raises(IndexWriteError, match="an index built before keeps answering"):
            qa.build_index()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert (index / "CURRENT").read_text() == gen.name
    assert [p.name for p in index.iterdir() if p.name.endswith(".partial")] == []
    assert "1300" in ClusterQA(corpus_dir=corpus, index_dir=index).ask(KILN_Q).text
    qa.build_index()  # with room again, the build goes through
    assert "1896" in qa.ask("When did the Lindau tram line open?").text


# --- text no tokenizer or terminal takes; history limits -----------------------------------

BAD_TEXT = ["Which \ud800 cluster ranks first?", "rank \udcff of Paris?"]


@pytest.fixture(scope="module")
def small_qa(pristine: tuple[Path, Path]) -> ClusterQA:
    return ClusterQA(corpus_dir=pristine[0], index_dir=pristine[1])


@pytest.mark.parametrize("text", BAD_TEXT)
def test_invalid_text_in_question_or_history_is_a_question_error(
        small_qa: ClusterQA, text: str) -> None:
    from clusterqa import QuestionError

    calls = [lambda: small_qa.ask(text),
             lambda: small_qa.ask(KILN_Q, history=[text]),
             lambda: small_qa.ask("And its founder?", history=[{"role": "user", "content": text}]),
             lambda: small_qa.retrieve(text),
             lambda: small_qa.retrieve(KILN_Q, history=[KILN_Q, text])]
    for call in calls:
        with pytest.raises(QuestionError, match="is not valid text .* retype it as plain text"):
            call()


def test_invalid_utf8_on_the_command_line_is_one_line(pristine: tuple[Path, Path]) -> None:
    import subprocess
    import sys

    corpus, index = pristine
    base = [sys.executable, "-m", "clusterqa.cli", "--corpus", str(corpus), "--index", str(index)]
    for extra in ([b"which \xff\xfe cluster?"], [KILN_Q.encode(), b"--history", b"was \xc3("]):
        run = subprocess.run([*map(str.encode, base), b"ask", *extra], capture_output=True,
                             timeout=120)
        err = run.stderr.decode()
        assert run.returncode == 2, err
        assert "is not valid text" in err and "Traceback" not in err and err.count("\n") == 1


def _raw_ask(url: str, body: bytes) -> str:
    """POST /ask through Gradio's HTTP API with a body as a client may send it (gradio_client
    itself cannot encode a lone surrogate); returns the event stream of the reply."""
    import httpx

    posted = httpx.post(f"{url}gradio_api/call/ask", content=body,
                        headers={"content-type": "application/json"}, timeout=60)
    if posted.status_code != 200:
        return f"HTTP {posted.status_code}: {posted.text}"
    event = posted.json()["event_id"]
    return httpx.get(f"{url}gradio_api/call/ask/{event}", timeout=60).text


def test_http_ask_refuses_invalid_text_with_the_clear_message(
        pristine: tuple[Path, Path]) -> None:
    from app_fixtures import serve_in_thread
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    url = serve_in_thread(ClusterQA(corpus_dir=pristine[0], index_dir=pristine[1]))
    # JSON escapes decode to lone surrogates on the server; the reply names the problem.
    for data in ([BAD_TEXT[0], []], [KILN_Q, [BAD_TEXT[1]]],
                 [KILN_Q, [{"role": "user", "content": BAD_TEXT[0]}]]):
        reply = _raw_ask(url, json.dumps({"data": data}).encode())
        assert "event: error" in reply and "is not valid text" in reply, reply
        assert "TypeError" not in reply and "surrogates not allowed" not in reply
    # Invalid UTF-8 in the body is refused before it reaches clusterqa.
    reply = _raw_ask(url, b'{"data": ["which \xff cluster?", []]}')
    assert reply.startswith("HTTP 400") and "Traceback" not in reply, reply
    client = Client(url, verbose=False)
    for history in ("x" * 30_000, {"a": 1}):
        with pytest.raises(AppError) as info:
            client.predict(KILN_Q, history, api_name="/ask")
        message = str(info.value)
        assert "CLUSTERQA_MAX_HISTORY_CHARS" in message or "history must be a list" in message
    # a 1 MB history of ordinary turns: only the most recent turns are read
    history = ["What does the Orsk apiary keep?"] * 30_000 + [KILN_Q]
    result = client.predict("Who founded it?", history, api_name="/ask")
    assert "Varno kiln" in result["resolved_question"], result


def test_history_is_trimmed_to_the_recent_turns() -> None:
    from clusterqa.textcheck import check_history

    history = [f"question number {i}" for i in range(100)]
    assert check_history(history, 3, 10_000) == [f"question number {i}" for i in (97, 98, 99)]
    assert check_history(history, 50, 60) == [f"question number {i}" for i in (97, 98, 99)]
    messages = [{"role": r, "content": f"{r} {i}"} for i in range(50) for r in ("user", "asst")]
    assert check_history(messages, 2, 1000) == ["user 48", "user 49"]
    assert check_history(None, 5, 1000) == [] and check_history("earlier?", 5, 1000) == [
        "earlier?"]


def test_one_absurd_history_item_is_refused(small_qa: ClusterQA) -> None:
    from clusterqa import QuestionError

    with pytest.raises(QuestionError, match=r"history item is 1048576 characters long; the "
                       r"limit is 20000 \(CLUSTERQA_MAX_HISTORY_CHARS\)"):
        small_qa.ask("Who founded it?", history=["x" * 2**20])
    # a huge list reads only the recent turns, and the follow-up still resolves
    answer = small_qa.ask("Who founded it?", history=["Orsk apiary?"] * 2**16 + [KILN_Q])
    assert "Varno kiln" in answer.resolved_question and "Orsk" not in answer.resolved_question


def test_control_characters_in_file_names_are_escaped_in_sources(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil\x1b[31mred\x07.txt").write_text(FILES["kilns.txt"], encoding="utf-8")
    argv = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert run_main([*argv, "index"]).code == 0
    run = run_main([*argv, "sources"])
    assert run.code == 0
    assert "\x1b" not in run.out and "\x07" not in run.out
    assert "evil\\x1b[31mred\\x07.txt" in run.out


# --- uploads -------------------------------------------------------------------------------

UNREADABLE = {
    "binary.pdf": b"%PDF-1.4\n\x00\x01\x02 not really a pdf \xff\xfe",
    "empty.txt": b"   \n",
    "latin1.txt": "Caf\u00e9 cr\u00e8me ranks first.".encode("latin-1"),
    "ragged.csv": b"a,b,c\n1,2\n",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_upload_is_refused_and_the_corpus_is_unchanged(
        name: str, copy: tuple[Path, Path, Path], tmp_path: Path) -> None:
    from clusterqa import SourceError

    corpus, index, _ = copy
    upload = tmp_path / "uploads"
    upload.mkdir()
    (upload / name).write_bytes(UNREADABLE[name])
    (upload / "good.txt").write_text("The Lindau tram line opened in 1896.\n")
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    before = sorted(p.name for p in corpus.iterdir())
    with pytest.raises(SourceError, match=rf"^{name} cannot be read: .*; nothing was added$"):
        qa.add_sources([upload / "good.txt", upload / name])
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert qa.ask(KILN_Q).notices == []


def test_an_unreadable_file_in_the_corpus_is_remembered_as_skipped(
        copy: tuple[Path, Path, Path]) -> None:
    corpus, index, _ = copy
    (corpus / "binary.pdf").write_bytes(UNREADABLE["binary.pdf"])
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    report = qa.build_index()
    assert [s.path for s in report.skipped] == ["binary.pdf"]
    assert qa.ask(KILN_Q).notices == []  # no false "corpus changed" after the rebuild
    (corpus / "binary.pdf").write_bytes(UNREADABLE["binary.pdf"] + b"changed")
    fresh = ClusterQA(corpus_dir=corpus, index_dir=index)
    assert "binary.pdf" in " ".join(fresh.ask(KILN_Q).notices)  # a real change is still seen


def test_a_long_upload_name_keeps_its_extension(copy: tuple[Path, Path, Path],
                                                tmp_path: Path) -> None:
    corpus, index, _ = copy
    long_name = "annual report on the Lindau trams " * 6 + ".txt"  # 208 characters
    (tmp_path / long_name).write_text("The Lindau tram line opened in 1896.\n")
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    report = qa.add_sources([tmp_path / long_name])
    [added] = report.added
    assert added.endswith(".txt") and len(added) == 120 and added.startswith("annual_report")
    assert "1896" in qa.ask("When did the Lindau tram line open?").text


def test_names_that_collide_once_made_safe_are_refused(copy: tuple[Path, Path, Path],
                                                       tmp_path: Path) -> None:
    from clusterqa import SourceError

    corpus, index, _ = copy
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "notes?.txt").write_text("The Lindau tram line opened in 1896.\n")
    (tmp_path / "b" / "notes*.txt").write_text("The Orsk ferry sails at dawn.\n")
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    with pytest.raises(SourceError, match=r"notes\?\.txt and notes\*\.txt would both be saved "
                                          r"as notes_\.txt — rename one of them"):
        qa.add_sources([tmp_path / "a" / "notes?.txt", tmp_path / "b" / "notes*.txt"])
    assert not (corpus / "notes_.txt").exists()


def test_index_prints_no_library_debug_lines(copy: tuple[Path, Path, Path]) -> None:
    import subprocess
    import sys

    corpus, index, _ = copy
    run = subprocess.run([sys.executable, "-m", "clusterqa.cli", "--corpus", str(corpus),
                          "--index", str(index), "index", "--full"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Full rebuild: 0 added" in run.stdout
    assert "DEBUG" not in run.stderr + run.stdout and "INFO" not in run.stderr, run.stderr


def test_library_upload_refuses_an_unreadable_file_and_cleans_the_upload_cache(
        copy: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """Through the real page: the refusal names the file, the corpus keeps out of it, and a
    file that was added leaves no copy behind in Gradio's upload cache."""
    import re

    from app_fixtures import launch_chromium, serve_in_thread
    from gradio.utils import get_upload_folder
    from playwright.sync_api import expect, sync_playwright

    corpus, index, _ = copy
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    url = serve_in_thread(qa)
    uploads = tmp_path / "to-upload"
    uploads.mkdir()
    bad = uploads / "binary-7f3a.pdf"
    bad.write_bytes(UNREADABLE["binary.pdf"])
    good = uploads / "trams-7f3a.txt"
    good.write_text("The Lindau tram line opened in 1896.\n")
    cache = Path(get_upload_folder())

    def cached(name: str) -> list[Path]:
        return list(cache.rglob(name)) if cache.is_dir() else []

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("tab", name="Library").click()
        status = page.locator("#cqa-status textarea")
        page.locator("#cqa-upload input[type=file]").set_input_files(str(bad))
        expect(page.locator("#cqa-upload")).to_contain_text("binary-7f3a")
        page.locator("#cqa-add").click()
        expect(status).to_have_value(re.compile(
            r"Not added: binary-7f3a\.pdf cannot be read: .*nothing was added"))
        page.reload()
        page.get_by_role("tab", name="Library").click()
        page.locator("#cqa-upload input[type=file]").set_input_files(str(good))
        expect(page.locator("#cqa-upload")).to_contain_text("trams-7f3a")
        page.locator("#cqa-add").click()
        expect(status).to_have_value(re.compile("Added to the library: trams-7f3a.txt"))
        browser.close()
    assert not (corpus / bad.name).exists() and (corpus / good.name).exists()
    assert cached(bad.name)  # a refused upload stays for a retry until the hourly sweep
    assert cached(good.name) == []  # copied into the corpus, then removed from the cache
    assert qa.ask(KILN_Q).notices == []


# --- many users ----------------------------------------------------------------------------

def test_answering_processes_give_the_same_answers_and_errors(
        pristine: tuple[Path, Path]) -> None:
    """The server's worker pool answers as the object itself would, errors included."""
    from clusterqa import QuestionError
    from clusterqa.workers import AskPool

    qa = ClusterQA(corpus_dir=pristine[0], index_dir=pristine[1])
    pool = AskPool(qa, 1)
    try:
        pool.warm()
        answer = pool.ask(KILN_Q)
        assert answer.model_dump(exclude={"seconds"}) == qa.ask(KILN_Q).model_dump(
            exclude={"seconds"})
        assert "1300" in answer.text
        with pytest.raises(QuestionError, match="is not valid text"):
            pool.ask(BAD_TEXT[0])
        follow = pool.ask("Who founded it?", history=["x"] * 5000 + [KILN_Q])
        assert "Varno kiln" in follow.resolved_question
    finally:
        pool.close()


# --- big files (timed in benchmarks/bench.py --only loaders, not here) --------------------

def test_a_file_without_line_breaks_is_split_in_windows_that_lose_nothing() -> None:
    from clusterqa.chunking import WINDOW_CHARS, split_sentences

    sentence = "The Varno kiln fires porcelain at 1300 degrees (Marr, 1911). "
    text = sentence * (3 * WINDOW_CHARS // len(sentence)) + "x" * (WINDOW_CHARS + 5)
    found = split_sentences(text)
    assert all(text[off:off + len(s)] == s for off, s in found)
    assert [s for _, s in found[:-2]] == [sentence.strip()] * (len(found) - 2)
    assert "".join(s for _, s in found).replace(" ", "") == text.replace(" ", "")


def test_answering_processes_exit_when_the_server_is_killed(pristine: tuple[Path, Path]) -> None:
    import os
    import subprocess
    import sys
    import time

    script = ("import sys\nfrom clusterqa import ClusterQA\nfrom clusterqa.workers import AskPool\n"
              "pool = AskPool(ClusterQA(corpus_dir=sys.argv[1], index_dir=sys.argv[2]), 2)\n"
              "print(*pool.warm(), flush=True)\nimport os\nos.kill(os.getpid(), 9)\n")
    run = subprocess.run([sys.executable, "-c", script, str(pristine[0]), str(pristine[1])],
                         capture_output=True, text=True, timeout=300)
    workers = [int(p) for p in run.stdout.split()]
    assert len(workers) == 2, run.stderr
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in workers):
        time.sleep(0.5)
    assert not any(os.path.exists(f"/proc/{p}") for p in workers)


def test_a_full_disk_during_an_upload_adds_nothing(copy: tuple[Path, Path, Path],
                                                   tmp_path: Path) -> None:
    from clusterqa import SourceError

    corpus, index, _ = copy
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("The Lindau tram line opened in 1896.\n")
    big.write_text("The Orsk ferry sails at dawn. " * 200)
    qa = ClusterQA(corpus_dir=corpus, index_dir=index)
    before = sorted(p.name for p in corpus.iterdir())
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        with pytest.raises(SourceError, match=r"cannot copy into the corpus folder .*: File too "
                                              r"large — free disk space .*; nothing was added"):
            qa.add_sources([small, big])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert sorted(p.name for p in corpus.iterdir()) == before  # no file, no half-copied file
    assert qa.ask(KILN_Q).notices == []
