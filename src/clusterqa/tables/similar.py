"""Measures found by meaning when no header word is in the question: "took in" for
`Startups incubated`, "spun off" for `Spin-offs supported`.

The question's leftover words (what is neither a name, a year, the kind of thing nor a word of
the operation) are embedded with the index's own model and compared with the kind's headers,
embedded once per loaded index. One short embedding per question that needs it, none for the
others: a table answer stays well under three query embeddings (``benchmarks/bench.py --only
tables``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from .engine import Engine

# Cosine of the best header, and its lead over the second, below which the match is a guess.
# Set on the tables bank's tune split and on tables written for the tests: "startups take in"
# → Startups incubated 0.72, "spun off companies" → Spin-offs supported 0.43, "money raised" →
# Funding raised 0.71; wrong best headers came at 0.21–0.41 with leads under 0.10.
MIN_SIMILARITY = 0.42
MIN_LEAD = 0.12


class HeaderMatcher:
    """Which measure of a kind a phrase means, by the embedding model; lazily built."""

    def __init__(self, engine: Engine, encode: Callable[[list[str]], np.ndarray]) -> None:
        self.engine = engine
        self.encode = encode
        self._vectors: dict[str, tuple[list[str], np.ndarray]] | None = None
        self._lock = threading.Lock()

    def _headers(self) -> dict[str, tuple[list[str], np.ndarray]]:
        with self._lock:
            if self._vectors is None:
                by_kind: dict[str, list[str]] = {}
                for kind, measure in self.engine.measures:
                    by_kind.setdefault(kind, []).append(measure)
                labels = [self.engine.label(m) for ms in by_kind.values() for m in ms]
                vecs = self.encode(labels) if labels else np.zeros((0, 1), dtype=np.float32)
                self._vectors, at = {}, 0
                for kind, ms in by_kind.items():
                    self._vectors[kind] = (ms, vecs[at:at + len(ms)])
                    at += len(ms)
            return self._vectors

    def __call__(self, phrase: str, kind: str) -> str | None:
        """The kind's measure the phrase names, when one clearly stands out."""
        measures, vecs = self._headers().get(kind, ([], None))
        if not measures or vecs is None or not phrase.strip():
            return None
        sims = vecs @ self.encode([phrase])[0]
        order = np.argsort(-sims)
        best = float(sims[order[0]])
        second = float(sims[order[1]]) if len(order) > 1 else 0.0
        if best >= MIN_SIMILARITY and best - second >= MIN_LEAD:
            return measures[int(order[0])]
        return None
