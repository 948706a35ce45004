"""Record the **test**-split counts of every question-bank set in ``tests/data/bank/floors.json``.

``tests/test_quality_bank.py`` fails when a set falls more than one question below these counts,
so run this only after a change that really improves (or knowingly trades) answer quality, and
quote the new figures in the change's note.

    .venv/bin/python benchmarks/record_floors.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from clusterqa.bank import run_bank  # noqa: E402
from clusterqa.evaluation import QuestionResult  # noqa: E402

FLOORS = ROOT / "tests/data/bank/floors.json"


def counts(results: list[QuestionResult]) -> dict[str, int]:
    """What the floors hold for one set's test split."""
    answerable = [r for r in results if r.answerable]
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "correct": sum(r.correct for r in answerable),
        "supported": sum(bool(r.supported) for r in answerable),
        "false_abstentions": sum(r.abstained for r in answerable),
        "unanswerable": len(results) - len(answerable),
        "abstained": sum(r.correct for r in results if not r.answerable),
    }


def main() -> None:
    report = run_bank(ROOT / "tests/data/bank/banks.toml", ROOT / "corpus",
                      ROOT / "benchmarks/out/bank", modes=("hybrid",), split="test",
                      progress=lambda m: print(m, file=sys.stderr))
    floors = {name: counts(rep.modes["hybrid"].results) for name, rep in report.sets.items()}
    old = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    old.update(floors)  # a set not run here (the external one) keeps its recorded counts
    FLOORS.write_text(json.dumps(old, indent=1) + "\n", encoding="utf-8")
    for name, c in floors.items():
        print(f"{name}: {c}")


if __name__ == "__main__":
    main()
