"""Retrieval: dense (FAISS) and keyword (BM25) search fused by reciprocal rank.

Reciprocal-rank fusion needs no score calibration between the two retrievers: a chunk ranked
high by either one comes up, and one ranked high by both comes first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .models import RetrievalMode
from .store import IndexData

RRF_K = 60


@dataclass
class Hit:
    chunk_id: int
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


def keyword_ranking(data: IndexData, query_terms: list[str], n: int) -> list[int]:
    known = [t for t in query_terms if t in data.bm25.vocab_dict] if data.bm25 else []
    if not known:
        return []
    scores = np.asarray(data.bm25.get_scores(known))
    n = min(n, len(scores))
    top = np.argpartition(-scores, n - 1)[:n]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [int(i) for i in top if scores[i] > 0]


def dense_ranking(data: IndexData, query_vector: np.ndarray, n: int) -> list[int]:
    if data.faiss_index.ntotal == 0:
        return []
    _, ids = data.faiss_index.search(query_vector.reshape(1, -1), min(n, data.faiss_index.ntotal))
    return [int(i) for i in ids[0] if i >= 0]


def fuse(rankings: list[list[int]]) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
    return scores


def search(data: IndexData, query_terms: list[str], query_vector: np.ndarray | None,
           mode: RetrievalMode, n: int) -> list[Hit]:
    """The ``n`` best chunks for a query under the given retrieval mode."""
    pool = max(n, 50)
    dense = (dense_ranking(data, query_vector, pool)
             if mode != "keyword" and query_vector is not None else [])
    keyword = keyword_ranking(data, query_terms, pool) if mode != "dense" else []
    fused = fuse([r for r in (dense, keyword) if r])
    d_rank = {c: i + 1 for i, c in enumerate(dense)}
    k_rank = {c: i + 1 for i, c in enumerate(keyword)}
    ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [Hit(c, s, d_rank.get(c), k_rank.get(c)) for c, s in ranked]
