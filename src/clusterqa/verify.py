"""Checking a generation as it is loaded: every file present, readable and of matching size.

A damaged generation (a truncated FAISS file, a garbled record, a deleted keyword index, vector
rows that do not match the records) must never reach retrieval, where it would fail with a
decoder message or, worse, answer from the wrong rows. Loading turns any such problem into one
``IndexDamagedError`` that says what is wrong and that ``clusterqa index`` repairs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import IndexDamagedError

if TYPE_CHECKING:
    from .store import IndexData

REPAIR = "run `clusterqa index` to rebuild it (or use Rebuild in the app's Library tab)"


def damaged(index_dir: Path, problem: str) -> IndexDamagedError:
    """The one-line error for a damaged index: where, what, and the fix."""
    return IndexDamagedError(f"the index in {index_dir} is damaged ({problem}) — {REPAIR}")


@contextlib.contextmanager
def reading(index_dir: Path, gen: Path, what: str) -> Iterator[None]:
    """Turn any failure to read one file of a generation into ``IndexDamagedError``.

    A generation folder that vanished while being read was replaced by a concurrent build;
    that ``FileNotFoundError`` passes through so the reader can retry with the new one."""
    try:
        yield
    except IndexDamagedError:
        raise
    except FileNotFoundError:
        if not gen.is_dir():
            raise
        raise damaged(index_dir, f"{what} is missing") from None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, EOFError,
            AttributeError, IndexError) as exc:
        raise damaged(index_dir, f"{what} cannot be read: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    """The cause in a few words (FAISS reports C++ source lines, pydantic whole tables)."""
    if isinstance(exc, RuntimeError):
        return "it is truncated or not in the expected format"
    if isinstance(exc, KeyError):
        return f"a record lacks the field {exc}"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


def check(index_dir: Path, data: IndexData) -> None:
    """Sizes and cross-references agree: vectors for every record, records for every file."""
    dim = data.manifest.dimension
    n_chunks, n_sents = len(data.chunks), len(data.sentences)
    problems = []
    if data.faiss_index.d != dim:
        problems.append(f"chunks.faiss has dimension {data.faiss_index.d}, manifest says {dim}")
    if data.faiss_index.ntotal != n_chunks:
        problems.append(f"chunks.faiss holds {data.faiss_index.ntotal} vectors for "
                        f"{n_chunks} chunks")
    sv = data.sentence_vectors
    if sv.ndim != 2 or sv.shape != (n_sents, dim) or sv.dtype != np.float32:
        problems.append(f"sentences.npy holds {sv.shape} {sv.dtype} vectors for {n_sents} "
                        f"sentences of dimension {dim}")
    elif n_sents and not np.isfinite(sv).all():
        problems.append("sentences.npy holds non-numbers")
    if n_chunks and data.bm25 is None:
        problems.append("the keyword index is missing")
    if not problems:
        problems += _references(data)
    if problems:
        raise damaged(index_dir, "; ".join(problems[:2]))


def _references(data: IndexData) -> list[str]:
    files = data.manifest.files
    n_chunks, n_sents = len(data.chunks), len(data.sentences)
    for i, c in enumerate(data.chunks):
        if c.source not in files:
            return [f"chunk {i} comes from {c.source!r}, which the manifest does not list"]
        if any(not 0 <= s < n_sents for s in c.sentence_ids):
            return [f"chunk {i} points at sentences that do not exist"]
    for i, s in enumerate(data.sentences):
        if not 0 <= s.chunk < n_chunks or s.source not in files:
            return [f"sentence {i} points at a chunk or file that does not exist"]
    return []
