"""Building the index: scan the corpus, load and chunk what changed, embed it, write a generation.

Unchanged files keep their chunks and vectors from the live generation, so adding one file costs
about one file's embedding; a changed model, dimension or chunking setting forces a full build.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .catalog import SourceMeta, read_catalog
from .chunking import chunk_document, embed_text, sentence_embed_text
from .embedding import Embedder
from .errors import (
    ClusterQAError,
    EmptyCorpusError,
    IndexDamagedError,
    IndexMismatchError,
    SourceError,
)
from .loaders import iter_corpus, load, matching_text
from .models import BuildReport, SkippedFile
from .settings import Settings
from .store import (
    FileEntry,
    IndexData,
    Manifest,
    StoredChunk,
    StoredSentence,
    check_compatible,
    load_index,
    read_manifest,
    write_generation,
)
from .textcheck import printable
from .textnorm import terms

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
_EMPTY = Manifest(model="", dimension=0, chunk_chars=0, chunk_overlap=0, built_at="", files={})


@dataclass
class _FileParts:
    """One file's share of a generation: its chunks and sentences with their vectors."""

    entry: FileEntry
    chunks: list[StoredChunk]
    sentences: list[StoredSentence]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray


def file_hash(path: Path, meta: SourceMeta | None) -> str:
    h = hashlib.sha256(path.read_bytes())
    h.update((meta or SourceMeta()).model_dump_json().encode())
    return h.hexdigest()


def scan_corpus(settings: Settings) -> tuple[dict[str, tuple[Path, str, SourceMeta | None]],
                                             list[SkippedFile]]:
    """Files of the corpus with their content hashes (metadata included)."""
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise ClusterQAError(f"corpus folder {corpus} does not exist — create it and add "
                             "sources, or set CLUSTERQA_CORPUS_DIR")
    skipped: list[SkippedFile] = []
    try:
        catalog = read_catalog(corpus)
    except SourceError as exc:
        skipped.append(SkippedFile(path="sources.toml", reason=str(exc)))
        catalog = {}
    files = {}
    for path, rel in iter_corpus(corpus):
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            skipped.append(SkippedFile(path=printable(rel), reason="its name is not valid "
                                       "UTF-8 — rename it"))
            continue
        try:
            files[rel] = (path, file_hash(path, catalog.get(rel)), catalog.get(rel))
        except OSError as exc:
            skipped.append(SkippedFile(path=rel, reason=f"cannot read it ({exc.strerror})"))
    return files, skipped


def stale_files(settings: Settings, manifest: Manifest) -> list[str]:
    """Paths added, changed or removed since the index was built."""
    files, _ = scan_corpus(settings)
    changed = [rel for rel, (_, h, _) in files.items()
               if (rel not in manifest.files or manifest.files[rel].hash != h)
               and manifest.skipped.get(rel) != h]
    return sorted(changed + [rel for rel in manifest.files if rel not in files])


def _old_parts(old: IndexData) -> dict[str, _FileParts]:
    """Split a loaded generation back into per-file parts for reuse."""
    parts: dict[str, _FileParts] = {}
    by_file_chunks: dict[str, list[int]] = {}
    by_file_sents: dict[str, list[int]] = {}
    for i, c in enumerate(old.chunks):
        by_file_chunks.setdefault(c.source, []).append(i)
    for i, s in enumerate(old.sentences):
        by_file_sents.setdefault(s.source, []).append(i)
    for rel, entry in old.manifest.files.items():
        cids, sids = by_file_chunks.get(rel, []), by_file_sents.get(rel, [])
        s_local = {g: k for k, g in enumerate(sids)}
        c_local = {g: k for k, g in enumerate(cids)}
        chunks = [StoredChunk(old.chunks[g].source, old.chunks[g].heading, old.chunks[g].text,
                              old.chunks[g].locator,
                              [s_local[x] for x in old.chunks[g].sentence_ids]) for g in cids]
        sents = []
        for g in sids:
            s = old.sentences[g]
            sents.append(StoredSentence(**{**s.__dict__, "chunk": c_local[s.chunk]}))
        parts[rel] = _FileParts(entry, chunks, sents, old.chunk_vectors[cids],
                                old.sentence_vectors[sids])
    return parts


def build(settings: Settings, embedder: Embedder, full: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """(Re)build the index in ``settings.index_dir``; the caller holds the build lock."""
    started = time.perf_counter()
    say = progress or (lambda f, m: None)
    say(0.0, "Scanning the corpus")
    files, skipped = scan_corpus(settings)
    old = None if full else _load_reusable(settings, embedder)
    report = BuildReport(full=old is None, skipped=skipped)
    old_parts = _old_parts(old) if old else {}
    try:  # what the live index held, to report added/changed/removed even on a full rebuild
        before = {rel: e.hash for rel, e in (read_manifest(settings.index_dir) or
                                              _EMPTY).files.items()}
    except (OSError, ValueError, ClusterQAError):
        before = {}

    todo: list[tuple[str, Path, str, SourceMeta | None]] = []
    parts: dict[str, _FileParts] = {}
    for rel, (path, h, meta) in files.items():
        prev = old_parts.get(rel)
        if prev is not None and prev.entry.hash == h:
            parts[rel] = prev
        else:
            todo.append((rel, path, h, meta))
    report.removed = sorted(set(before) - set(files))

    # Load and chunk the new and changed files; a bad file is reported and skipped.
    loaded = []
    for n, (rel, path, h, meta) in enumerate(todo, start=1):
        say(0.05 + 0.15 * n / max(len(todo), 1), f"Reading {rel}")
        try:
            doc = load(path, rel, meta, max_mb=settings.max_file_mb)
            sents, chunks = chunk_document(doc, settings.chunk_chars, settings.chunk_overlap)
        except SourceError as exc:
            log.warning("skipped %s: %s", rel, exc)
            report.skipped.append(SkippedFile(path=rel, reason=str(exc)))
            continue
        except (OSError, RecursionError, ValueError) as exc:  # a loader bug must not stop a build
            log.exception("could not read %s", rel)
            report.skipped.append(SkippedFile(path=rel, reason=f"could not be read ({exc})"))
            continue
        loaded.append((rel, h, doc, sents, chunks))

    # Embed every new chunk and distinct sentence in one pass (a one-sentence chunk, such as a
    # table row, is embedded once and shared).
    texts: dict[str, int] = {}
    for _, _, doc, sents, chunks in loaded:
        for c in chunks:
            texts.setdefault(embed_text(c), len(texts))
        for s in sents:
            texts.setdefault(sentence_embed_text(s, doc.title), len(texts))
    say(0.2, f"Embedding {len(texts)} texts")
    vectors = embedder.encode(
        list(texts), batch_size=settings.batch_size,
        progress=lambda done, total: say(0.2 + 0.75 * done / total,
                                         f"Embedded {done}/{total} texts"),
    )
    report.embedded = len(texts)

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for rel, h, doc, sents, chunks in loaded:
        first_chunk: dict[int, int] = {}
        for ci, c in enumerate(chunks):
            for si in c.sentence_ids:
                first_chunk.setdefault(si, ci)
        stored_s = [StoredSentence(rel, s.text, s.locator, s.role, first_chunk.get(i, 0),
                                   terms(matching_text(s.text)), s.heading, s.list_id,
                                   s.list_pos, s.table, s.url, s.in_table)
                    for i, s in enumerate(sents)]
        stored_c = [StoredChunk(rel, c.heading, c.text, c.locator, c.sentence_ids)
                    for c in chunks]
        entry = FileEntry(hash=h, title=doc.title, kind=doc.kind, chunks=len(chunks),
                          indexed_at=now, url=doc.url, publisher=doc.publisher, year=doc.year)
        parts[rel] = _FileParts(
            entry, stored_c, stored_s,
            vectors[[texts[embed_text(c)] for c in chunks]].reshape(-1, embedder.dimension),
            vectors[[texts[sentence_embed_text(s, doc.title)] for s in sents]
                    ].reshape(-1, embedder.dimension),
        )

    if not parts:
        raise EmptyCorpusError(
            f"nothing to index in {settings.corpus_dir}: no readable .txt .md .csv .pdf .html "
            "file — add sources and rebuild" + "".join(
                f"\n  skipped {s.path}: {s.reason}" for s in report.skipped))
    for rel in sorted(parts):
        if rel not in before:
            report.added.append(rel)
        elif before[rel] != parts[rel].entry.hash:
            report.changed.append(rel)
        else:
            report.unchanged.append(rel)
    say(0.96, "Writing the index")
    manifest, chunks_all, sents_all, cvecs, svecs = _assemble(settings, embedder, parts, now)
    manifest.skipped = {s.path: files[s.path][1] for s in report.skipped if s.path in files}
    write_generation(settings.index_dir, manifest, chunks_all, sents_all, cvecs, svecs)
    report.chunks = len(chunks_all)
    report.seconds = round(time.perf_counter() - started, 3)
    say(1.0, "Done")
    log.info("%s", report.summary())
    return report


def _load_reusable(settings: Settings, embedder: Embedder) -> IndexData | None:
    """The live generation if its vectors can be reused under the current settings."""
    try:
        old = load_index(settings.index_dir)
        if old is not None:
            check_compatible(old.manifest, embedder.name, embedder.dimension,
                             settings.chunk_chars, settings.chunk_overlap)
        return old
    except IndexMismatchError as exc:
        log.info("full rebuild: %s", exc)
    except (IndexDamagedError, OSError, ValueError, KeyError, RuntimeError) as exc:
        log.warning("previous index unreadable, rebuilding everything: %s", exc)
    return None


def _assemble(settings: Settings, embedder: Embedder, parts: dict[str, _FileParts],
              now: str) -> tuple[Manifest, list[StoredChunk], list[StoredSentence], np.ndarray,
                                 np.ndarray]:
    chunks: list[StoredChunk] = []
    sents: list[StoredSentence] = []
    cvecs, svecs = [], []
    for rel in sorted(parts):
        p = parts[rel]
        c_off, s_off = len(chunks), len(sents)
        chunks += [StoredChunk(c.source, c.heading, c.text, c.locator,
                               [s_off + i for i in c.sentence_ids]) for c in p.chunks]
        sents += [StoredSentence(**{**s.__dict__, "chunk": c_off + s.chunk}) for s in p.sentences]
        cvecs.append(p.chunk_vectors)
        svecs.append(p.sentence_vectors)
    dim = embedder.dimension
    manifest = Manifest(model=embedder.name, dimension=dim, chunk_chars=settings.chunk_chars,
                        chunk_overlap=settings.chunk_overlap, built_at=now,
                        files={rel: parts[rel].entry for rel in sorted(parts)})
    return (manifest, chunks, sents,
            np.vstack(cvecs) if cvecs else np.zeros((0, dim), np.float32),
            np.vstack(svecs) if svecs else np.zeros((0, dim), np.float32))
