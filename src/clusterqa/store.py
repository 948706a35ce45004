"""The index on disk: generations written beside each other and switched in by one rename.

Layout of ``index/``::

    CURRENT            name of the live generation (replaced atomically with os.replace)
    gen-<id>/          manifest.json, chunks.jsonl, sentences.jsonl, chunks.faiss,
                       sentences.npy, terms.json, bm25/
    .lock              held while a build runs (one build at a time, across processes)

A build writes a whole new generation and only then replaces CURRENT, so a crash or ``kill -9``
at any moment leaves the previous generation loadable. No pickle anywhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from . import verify
from .errors import IndexBusyError, IndexMismatchError, IndexWriteError
from .loaders import TablePlace, matching_text
from .models import IndexedSource, Locator, TableRow
from .textnorm import terms

log = logging.getLogger(__name__)

# Bump when what is stored changes meaning (file layout, or the tokenizer behind stored terms).
FORMAT_VERSION = 15  # 11: rows say which table of their file they belong to (in_table);
#                     12: interview turns head their answers, British spellings folded;
#                     13: "go/goes/going/gone" are stop words;
#                     14: irregular past forms stem with their verb ("left" as "leave");
#                     15: tables inside PDF pages are read as rows
CURRENT = "CURRENT"
LEAD_SENTENCES = 3  # a document's opening sentences, which say what and where its subject is
# A word inside a sentence: not its first, nor one after a colon, dash or quote, where any
# word may be capitalised.
_INNER_WORD = re.compile(
    r"(?<![.!?:;\"\u201c\u2018\u2013\u2014(|*#-]\s)(?<!^)(?<![@./\\\w])[A-Za-z][A-Za-z'\u2019]*\b"
    r"(?![@./\\]\w)")  # and not part of an address ("visits@bioquarter.example")
_CALENDAR = frozenset("january february march april may june july august september october "
                      "november december monday tuesday wednesday thursday friday saturday "
                      "sunday".split())


class FileEntry(IndexedSource):
    """A manifest entry: the source's record plus the hash that tells when it changed."""

    hash: str


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    model: str
    dimension: int
    chunk_chars: int
    chunk_overlap: int
    built_at: str
    files: dict[str, FileEntry]
    # Files of the corpus that could not be read, by hash: the same unreadable file is not
    # reported as a change of the corpus again until it changes.
    skipped: dict[str, str] = {}


@dataclass
class StoredSentence:
    source: str
    text: str
    locator: Locator
    role: str
    chunk: int  # the first chunk holding this sentence
    terms: list[str]
    heading: str = ""
    list_id: int | None = None
    list_pos: int | None = None
    table: TableRow | None = None
    url: str | None = None
    in_table: TablePlace | None = None


@dataclass
class StoredChunk:
    source: str
    heading: str
    text: str
    locator: Locator
    sentence_ids: list[int] = field(default_factory=list)


@dataclass
class IndexData:
    """A loaded generation: everything retrieval and answering read, nothing they write."""

    manifest: Manifest
    chunks: list[StoredChunk]
    sentences: list[StoredSentence]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    doc_freq: dict[str, int]
    faiss_index: Any
    bm25: Any
    generation: str = ""

    @property
    def row_chunks(self) -> np.ndarray:
        """For each chunk, whether it is a table row (computed once per loaded index)."""
        cached = self.__dict__.get("_row_chunks")
        if cached is None:
            cached = np.array([self.sentences[c.sentence_ids[0]].table is not None
                               if c.sentence_ids else False for c in self.chunks], dtype=bool)
            self.__dict__["_row_chunks"] = cached
        return cached

    @property
    def title_terms(self) -> dict[str, frozenset[str]]:
        """Each source's title as terms: what every sentence of it is about, said or not."""
        cached = self.__dict__.get("_title_terms")
        if cached is None:
            cached = {rel: frozenset(terms(e.title)) for rel, e in self.manifest.files.items()}
            self.__dict__["_title_terms"] = cached
        return cached

    @property
    def lead_terms(self) -> dict[str, frozenset[str]]:
        """Each prose source's opening sentences as terms: where a document says where and
        what its subject is ("Grand Canal Dock is an urban area … of Dublin")."""
        cached = self.__dict__.get("_lead_terms")
        if cached is None:
            lead: dict[str, set[str]] = {}
            taken: dict[str, int] = {}
            for s in self.sentences:
                if s.table is None and taken.get(s.source, 0) < LEAD_SENTENCES:
                    lead.setdefault(s.source, set()).update(s.terms)
                    taken[s.source] = taken.get(s.source, 0) + 1
            cached = {src: frozenset(ts) for src, ts in lead.items()}
            self.__dict__["_lead_terms"] = cached
        return cached

    @property
    def context_terms(self) -> frozenset[str]:
        """Terms that stand only in titles and headings: known to the corpus all the same."""
        cached = self.__dict__.get("_context_terms")
        if cached is None:
            headings = {s.heading for s in self.sentences if s.heading}
            cached = frozenset().union(*self.title_terms.values(),
                                       *(terms(h) for h in headings))
            self.__dict__["_context_terms"] = cached
        return cached

    @property
    def proper_words(self) -> frozenset[str]:
        """Words the sources write capitalised wherever they stand inside a sentence, in lower
        case: the names of places, parks and firms ("corrinford"), which a question typed in
        lower case still names. A word the sources also write in lower case ("park",
        "energy") is not one, nor a form they never write ("heading" beside "Fenwick Head");
        nor are month and day names, which date things rather than name them, nor the letters
        of an abbreviation ("R&D")."""
        cached = self.__dict__.get("_proper_words")
        if cached is None:
            upper: set[str] = set()
            lower: set[str] = set()
            for s in self.sentences:
                if s.table is not None:
                    continue
                for m in _INNER_WORD.finditer(s.text):
                    word = re.sub(r"['\u2019]s?$", "", m.group())
                    (upper if word[0].isupper() else lower).add(word.lower())
            cached = frozenset(w for w in upper - lower
                               if len(w) > 2 and w not in _CALENDAR)
            self.__dict__["_proper_words"] = cached
        return cached

    def idf(self, term: str) -> float:
        n = len(self.chunks)
        return float(np.log(1 + (n + 1) / (self.doc_freq.get(term, 0) + 0.5)))


def _dump_sentence(s: StoredSentence) -> dict[str, Any]:
    d = asdict(s)
    d["locator"] = s.locator.model_dump()
    d["table"] = s.table.model_dump() if s.table else None
    return d


def _load_sentence(d: dict[str, Any]) -> StoredSentence:
    d["locator"] = Locator.model_validate(d["locator"])
    d["table"] = TableRow.model_validate(d["table"]) if d["table"] else None
    d["in_table"] = TablePlace(**d["in_table"]) if d.get("in_table") else None
    return StoredSentence(**d)


def _dump_chunk(c: StoredChunk) -> dict[str, Any]:
    d = asdict(c)
    d["locator"] = c.locator.model_dump()
    return d


def _load_chunk(d: dict[str, Any]) -> StoredChunk:
    d["locator"] = Locator.model_validate(d["locator"])
    return StoredChunk(**d)


def current_generation(index_dir: Path) -> Path | None:
    """The live generation's folder; None when there is no index yet. A pointer that names
    no generation is damage, not absence: it is reported rather than silently rebuilt over."""
    pointer = index_dir / CURRENT
    with verify.reading(index_dir, index_dir, CURRENT):
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
    if not re.fullmatch(r"gen-[0-9a-f]{12}", name):
        raise verify.damaged(index_dir, f"{CURRENT} does not name a generation")
    gen = index_dir / name
    if not (gen / "manifest.json").exists():
        if not gen.is_dir() and pointer.read_text(encoding="utf-8").strip() != name:
            raise FileNotFoundError(gen)  # switched by a concurrent build: read again
        raise verify.damaged(index_dir, f"{name}/manifest.json is missing")
    return gen


def _read_manifest(index_dir: Path, gen: Path) -> Manifest:
    with verify.reading(index_dir, gen, "manifest.json"):
        return Manifest.model_validate_json((gen / "manifest.json").read_text(encoding="utf-8"))


def read_manifest(index_dir: Path) -> Manifest | None:
    gen = current_generation(index_dir)
    return None if gen is None else _read_manifest(index_dir, gen)


def check_compatible(manifest: Manifest, model: str, dimension: int | None, chunk_chars: int,
                     chunk_overlap: int) -> None:
    """Refuse an index built under other settings: its vectors or chunks would not match."""
    wanted = {"format_version": FORMAT_VERSION, "model": model, "chunk_chars": chunk_chars,
              "chunk_overlap": chunk_overlap}
    if dimension is not None:
        wanted["dimension"] = dimension
    diffs = [f"{k} {getattr(manifest, k)!r} (now {v!r})" for k, v in wanted.items()
             if getattr(manifest, k) != v]
    if diffs:
        raise IndexMismatchError(
            "the index was built with other settings: " + ", ".join(diffs)
            + " — run `clusterqa index` to rebuild it"
        )


def load_index(index_dir: Path) -> IndexData | None:
    """Load the live generation, or None when there is no index yet.

    Every file is checked as it is read (``verify``): a damaged generation raises
    ``IndexDamagedError`` instead of reaching retrieval."""
    import bm25s
    import faiss

    gen = current_generation(index_dir)
    if gen is None:
        return None
    manifest = _read_manifest(index_dir, gen)
    with verify.reading(index_dir, gen, "chunks.jsonl"), \
            (gen / "chunks.jsonl").open(encoding="utf-8") as f:
        chunks = [_load_chunk(json.loads(line)) for line in f]
    with verify.reading(index_dir, gen, "sentences.jsonl"), \
            (gen / "sentences.jsonl").open(encoding="utf-8") as f:
        sentences = [_load_sentence(json.loads(line)) for line in f]
    with verify.reading(index_dir, gen, "chunks.faiss"):
        if not (gen / "chunks.faiss").is_file():
            raise FileNotFoundError(gen / "chunks.faiss")
        faiss_index = faiss.read_index(str(gen / "chunks.faiss"))
        chunk_vectors = (faiss_index.reconstruct_n(0, faiss_index.ntotal) if faiss_index.ntotal
                         else np.zeros((0, manifest.dimension), dtype=np.float32))
    with verify.reading(index_dir, gen, "sentences.npy"):
        sentence_vectors = np.load(gen / "sentences.npy", allow_pickle=False)
    with verify.reading(index_dir, gen, "terms.json"):
        doc_freq = json.loads((gen / "terms.json").read_text(encoding="utf-8"))
        if not isinstance(doc_freq, dict):
            raise ValueError("not a table of terms")
    with verify.reading(index_dir, gen, "the keyword index (bm25/)"):
        bm25 = bm25s.BM25.load(str(gen / "bm25"), show_progress=False) if chunks else None
        if bm25 is not None and bm25.scores.get("num_docs") != len(chunks):
            raise ValueError(f"it holds {bm25.scores.get('num_docs')} documents for "
                             f"{len(chunks)} chunks")
    data = IndexData(manifest, chunks, sentences, chunk_vectors, sentence_vectors, doc_freq,
                     faiss_index, bm25, gen.name)
    verify.check(index_dir, data)
    return data


def write_generation(index_dir: Path, manifest: Manifest, chunks: list[StoredChunk],
                     sentences: list[StoredSentence], chunk_vectors: np.ndarray,
                     sentence_vectors: np.ndarray) -> str:
    """Write a complete new generation, then switch CURRENT to it. Returns its name.

    A failed write (read-only folder, full disk) raises ``IndexWriteError`` and leaves the
    previous generation live."""
    with writable(index_dir):
        return _write_generation(index_dir, manifest, chunks, sentences, chunk_vectors,
                                 sentence_vectors)


@contextlib.contextmanager
def writable(index_dir: Path) -> Iterator[None]:
    """Turn a failure to write the index folder into one line that names the fix."""
    try:
        yield
    except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
        if index_dir.exists() and not index_dir.is_dir():
            reason = "it is a file, not a folder"
        else:
            reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0][:160]
        raise IndexWriteError(
            f"cannot write the index in {index_dir}: {reason} — make the folder writable or "
            "free disk space (or set CLUSTERQA_INDEX_DIR); an index built before keeps answering"
        ) from exc


def _write_generation(index_dir: Path, manifest: Manifest, chunks: list[StoredChunk],
                      sentences: list[StoredSentence], chunk_vectors: np.ndarray,
                      sentence_vectors: np.ndarray) -> str:
    import bm25s
    import faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{uuid.uuid4().hex[:12]}"
    tmp = index_dir / f".{name}.partial"
    tmp.mkdir()
    try:
        with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps(_dump_chunk(c), ensure_ascii=False) + "\n")
        with (tmp / "sentences.jsonl").open("w", encoding="utf-8") as f:
            for s in sentences:
                f.write(json.dumps(_dump_sentence(s), ensure_ascii=False) + "\n")
        fx = faiss.IndexFlatIP(manifest.dimension)
        if len(chunk_vectors):
            fx.add(np.ascontiguousarray(chunk_vectors, dtype=np.float32))
        faiss.write_index(fx, str(tmp / "chunks.faiss"))
        np.save(tmp / "sentences.npy", np.ascontiguousarray(sentence_vectors, dtype=np.float32),
                allow_pickle=False)
        chunk_terms = [terms(f"{c.heading} {matching_text(c.text)}") for c in chunks]
        doc_freq: dict[str, int] = {}
        for ts in chunk_terms:
            for t in set(ts):
                doc_freq[t] = doc_freq.get(t, 0) + 1
        (tmp / "terms.json").write_text(json.dumps(doc_freq), encoding="utf-8")
        if chunks:
            bm25 = bm25s.BM25()
            bm25.index([ts or ["\u2205"] for ts in chunk_terms], show_progress=False)
            bm25.save(str(tmp / "bm25"), show_progress=False)
        (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        _fsync_tree(tmp)
        tmp.rename(index_dir / name)
        pointer = index_dir / f".{CURRENT}.tmp"
        with pointer.open("w", encoding="utf-8") as f:
            f.write(name)
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, index_dir / CURRENT)  # the one atomic switch
        _fsync_dir(index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_old_generations(index_dir, keep=name)
    return name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for p in path.rglob("*"):
        if p.is_file():
            with p.open("rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(path)


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    """Drop superseded and half-written generations (a reader that still has one open keeps
    its data in memory; it never re-reads files after loading)."""
    for p in index_dir.iterdir():
        if p.is_dir() and p.name != keep and (p.name.startswith("gen-")
                                              or p.name.endswith(".partial")):
            shutil.rmtree(p, ignore_errors=True)


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index: a thread lock in this process, a file lock across
    processes. A second build is refused at once rather than queued behind the first."""
    with writable(index_dir):
        index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    with _THREAD_LOCKS_GUARD:
        tlock = _THREAD_LOCKS.setdefault(key, threading.Lock())
    busy = IndexBusyError(
        "another rebuild of this index is running — wait for it to finish and try again"
    )
    if not tlock.acquire(blocking=False):
        raise busy
    try:
        with writable(index_dir):
            fh = (index_dir / ".lock").open("w")
        with fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise busy from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    finally:
        tlock.release()
