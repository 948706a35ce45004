"""The ``clusterqa`` command, run as users run it: a subprocess with --corpus/--index pointing at
temp folders. Each run that touches the index loads the model (seconds), so one prepared index
is shared by the module; runs that fail before loading anything are cheap and many."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clusterqa import Answer
from clusterqa.cli import main

SHIPPED_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXE = Path(sys.executable).with_name("clusterqa")
COMMAND = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "clusterqa.cli"]
SHIPPED_FILES = ["global_innovation_clusters.txt", "gii_2024_top_clusters.csv", "sources.toml"]


class Cli:
    """Runs the command against one corpus and index with a scrubbed environment."""

    def __init__(self, root: Path) -> None:
        self.corpus, self.index = root / "corpus", root / "index"
        self.corpus.mkdir()
        for name in SHIPPED_FILES:
            shutil.copy(SHIPPED_CORPUS / name, self.corpus / name)
        (self.corpus / "notes_a.txt").write_text(
            "The Varno kiln fires porcelain at 1300 degrees.\n", encoding="utf-8")
        (self.corpus / "notes_b.txt").write_text(
            "The Orsk apiary keeps 400 hives of mountain bees.\n", encoding="utf-8")
        hf_home = root / "hf-home-empty"
        hf_home.mkdir()
        # No hub cache, no offline switch from the shell, and any network attempt fails: the
        # bundled model must still load.
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("CLUSTERQA_", "HF_", "TRANSFORMERS_"))
                    and k.lower() not in ("http_proxy", "https_proxy", "no_proxy", "all_proxy")}
        self.env.update(HF_HOME=str(hf_home), HTTP_PROXY="http://127.0.0.1:9",
                        HTTPS_PROXY="http://127.0.0.1:9", ALL_PROXY="http://127.0.0.1:9")

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, "--corpus", str(self.corpus), "--index", str(self.index), *args],
            capture_output=True, text=True, timeout=600, env={**self.env, **env},
        )

    def argv(self, *args: str) -> list[str]:
        return ["--corpus", str(self.corpus), "--index", str(self.index), *args]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return Cli(tmp_path_factory.mktemp("cli"))


@pytest.fixture(scope="module")
def first_index(cli: Cli) -> subprocess.CompletedProcess[str]:
    """The first ``clusterqa index`` of the module's corpus (offline, empty hub cache)."""
    return cli("index")


@pytest.fixture(scope="module")
def reads(cli: Cli, first_index) -> dict[str, subprocess.CompletedProcess[str]]:
    """Commands that only read the index, run side by side (as several users would)."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = {"json": ("ask", "What rank is Paris in 2024?", "--json"),
            "text": ("ask", "Who wrote War and Peace?", "--top-k", "2"),
            "sources": ("sources",)}
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = {name: pool.submit(cli, *args) for name, args in jobs.items()}
    return {name: f.result() for name, f in futures.items()}


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clusterqa: ")
    return lines[0]


REPORT = re.compile(r"(Full rebuild|Index update): (\d+) added, (\d+) changed, (\d+) removed, "
                    r"(\d+) unchanged; (\d+) chunks, (\d+) texts embedded, [\d.]+ s\.")


def test_help_lists_the_commands() -> None:
    result = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("index", "ask", "sources"):
        assert command in result.stdout


def test_index_builds_offline_and_prints_its_report(first_index) -> None:
    assert first_index.returncode == 0, first_index.stderr
    assert "Traceback" not in first_index.stderr
    m = REPORT.search(first_index.stdout)
    assert m, first_index.stdout
    assert m.groups()[:5] == ("Full rebuild", "4", "0", "0", "0")
    assert int(m.group(6)) > 40 and int(m.group(7)) > int(m.group(6))


def test_sources_lists_files_with_chunk_counts(cli: Cli, reads) -> None:
    result = reads["sources"]
    assert result.returncode == 0, result.stderr
    rows = re.findall(r"^\s*(\d+) chunks\s+(\w+)\s+(\S+)\s+\u2014\s+(.+)$", result.stdout, re.M)
    listed = {path: (int(n), kind, title) for n, kind, path, title in rows}
    assert set(listed) == {"global_innovation_clusters.txt", "gii_2024_top_clusters.csv",
                           "notes_a.txt", "notes_b.txt"}
    with (cli.corpus / "gii_2024_top_clusters.csv").open(encoding="utf-8") as f:
        data_rows = sum(1 for line in f if line.strip()) - 1
    assert listed["gii_2024_top_clusters.csv"] == (data_rows, "table",
                                                   "GII 2024 top S&T clusters")
    assert listed["global_innovation_clusters.txt"][1] == "text"
    assert listed["global_innovation_clusters.txt"][2].startswith("Global Innovation Clusters")


def test_ask_json_is_the_answer_model(reads) -> None:
    result = reads["json"]
    assert result.returncode == 0, result.stderr
    ans = Answer.model_validate_json(result.stdout)
    assert not ans.abstained
    assert "Paris" in ans.text and re.search(r"\b12(th)?\b", ans.text)
    c = ans.citations[0]
    assert (c.source, c.location) == ("gii_2024_top_clusters.csv", "row 12")
    assert json.loads(result.stdout)["citations"][0]["quote"] == c.quote


def test_ask_prints_the_answer_and_its_sources(reads) -> None:
    result = reads["text"]
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "do not say" in out
    assert "Related passages:" in out
    related = re.findall(r"^\[\d\] .+ \u2014 (\S+), (?:lines?|rows?|pages?) \d", out, re.M)
    assert len(related) == 2, out  # --top-k 2
    assert len(re.findall(r"^    \u201c.+\u201d$", out, re.M)) == 2  # each with its quote


def test_index_update_report_then_full_rebuild(cli: Cli, first_index, reads) -> None:
    (cli.corpus / "notes_a.txt").write_text("The Varno kiln fires stoneware at 1250 degrees.\n",
                                            encoding="utf-8")
    (cli.corpus / "notes_b.txt").unlink()
    (cli.corpus / "notes_c.txt").write_text("The Lindau tram line opened in 1896.\n",
                                            encoding="utf-8")
    result = cli("index")
    assert result.returncode == 0, result.stderr
    m = REPORT.search(result.stdout)
    assert m, result.stdout
    assert m.groups()[:5] == ("Index update", "1", "1", "1", "2")
    assert 0 < int(m.group(7)) <= 4  # two one-sentence files: a handful of texts

    # --full re-embeds everything (run in this process: the model is loaded already).
    shipped_like = int(REPORT.search(first_index.stdout).group(7))  # type: ignore[union-attr]
    full = run_main(cli.argv("index", "--full"))
    assert full.code == 0, full.err
    m = REPORT.search(full.out)
    assert m and m.group(1) == "Full rebuild", full.out
    assert m.group(4) == "0" and sum(int(n) for n in m.groups()[1:5]) == 4
    assert abs(int(m.group(7)) - shipped_like) <= 4  # everything embedded again


# --- expected failures: exit 2 (usage, bad question, bad setting) with one line ----------

@pytest.mark.parametrize("question", ["", "   ", "???", "x" * 1001, "Which\x07 cluster?"])
def test_bad_question_exits_2_with_one_line(cli: Cli, question: str) -> None:
    result = cli("ask", question)
    line = one_line_error(result, 2)
    assert "question" in line
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["0", "abc", "51"])
def test_bad_top_k_setting_exits_2_with_one_line(cli: Cli, value: str) -> None:
    line = one_line_error(cli("ask", "Which cluster ranks first?", CLUSTERQA_TOP_K=value), 2)
    assert "CLUSTERQA_TOP_K" in line


def test_unknown_setting_value_for_chunking_exits_2(cli: Cli) -> None:
    line = one_line_error(cli("index", CLUSTERQA_CHUNK_CHARS="ten"), 2)
    assert "CLUSTERQA_CHUNK_CHARS" in line


def test_usage_error_exits_2_without_traceback(cli: Cli) -> None:
    result = cli("ask")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "required" in result.stderr.splitlines()[-1]


# --- the same entry point in this process (the model is loaded once) ---------------------

class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run_main(argv: list[str]) -> Run:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def test_bad_model_path_is_one_line_exit_1(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setenv("CLUSTERQA_MODEL", "/nonexistent/model/folder")
    r = run_main(["--corpus", str(cli.corpus), "--index", str(tmp_path / "i"), "index"])
    assert r.code == 1
    assert "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert "/nonexistent/model/folder" in r.err and "CLUSTERQA_MODEL" in r.err


def test_bad_model_name_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> None:
    monkeypatch.setenv("CLUSTERQA_MODEL", "no-such-model-xyz")
    r = run_main(["--corpus", str(cli.corpus), "--index", str(tmp_path / "i"), "index"])
    assert r.code == 1
    assert len(r.err.strip().splitlines()) == 1, r.err


def test_missing_corpus_folder_is_one_line(tmp_path: Path, shipped) -> None:
    r = run_main(["--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i"), "index"])
    assert r.code == 1
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert "does not exist" in r.err and "nope" in r.err


def test_busy_index_is_one_line(cli: Cli, first_index) -> None:
    from clusterqa.store import build_lock

    with build_lock(cli.index):
        r = run_main(cli.argv("index"))
    assert r.code == 1
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert "another rebuild" in r.err


@pytest.mark.parametrize("k", ["0", "-2"])
def test_bad_top_k_option_exits_2(cli: Cli, first_index, k: str) -> None:
    r = run_main(cli.argv("ask", "Which cluster ranks first?", "--top-k", k))
    assert r.code == 2
