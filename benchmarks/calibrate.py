"""Print the signals behind the abstention thresholds for a question set.

For every question: the best evidence's support (meaning and word coverage together) and its
coverage of what is asked about a named thing. The thresholds in ``answering.py`` (MIN_SUPPORT,
MIN_ASKED) sit in the gap between answerable and unanswerable questions; this shows the gap.

    .venv/bin/python benchmarks/calibrate.py tests/data/eval/*.jsonl
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from clusterqa import ClusterQA
from clusterqa.answering import MIN_ASKED, MIN_SUPPORT
from clusterqa.conversation import resolve
from clusterqa.evaluation import load_questions


def main(paths: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        qa = ClusterQA(corpus_dir="corpus", index_dir=Path(tmp) / "index")
        qa.build_index()
        live, _ = qa._ready()
        rows = []
        for q in load_questions(paths):
            text, _ = qa._follow_up(live, resolve(q.question, q.history), "hybrid")
            _, _, ranked = qa._rank(live, text, "hybrid", focus=q.question)
            best = ranked[0] if ranked else None
            rows.append(
                (
                    q.kind == "unanswerable",
                    q.id,
                    best.support if best else 0.0,
                    best.asked if best else 0.0,
                )
            )
    print(f"{'id':8} {'kind':13} {'support':>8} {'asked':>6}")
    for unanswerable, qid, support, asked in sorted(rows, key=lambda r: (r[0], r[2])):
        kind = "unanswerable" if unanswerable else "answerable"
        print(f"{qid:8} {kind:13} {support:8.3f} {asked:6.2f}")
    ans = [r for r in rows if not r[0]]
    una = [r for r in rows if r[0]]
    print(
        f"\nanswerable:   support min {min(r[2] for r in ans):.3f}, "
        f"asked min {min(r[3] for r in ans):.2f}"
    )
    print(
        f"unanswerable: support max {max(r[2] for r in una):.3f}; "
        f"of those above MIN_SUPPORT={MIN_SUPPORT}, asked max "
        f"{max((r[3] for r in una if r[2] >= MIN_SUPPORT), default=0):.2f} "
        f"(MIN_ASKED={MIN_ASKED})"
    )


if __name__ == "__main__":
    main(sys.argv[1:] or [str(p) for p in sorted(Path("tests/data/eval").glob("*.jsonl"))])
