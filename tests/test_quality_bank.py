"""Answer quality on the **test** splits of the question bank, against the recorded floors.

Each set is asked against its own corpus (a copy of the shipped one plus the set's sources), as
``clusterqa eval --bank`` does; a set falling more than one question below a count recorded in
``tests/data/bank/floors.json`` (by ``benchmarks/record_floors.py``) fails the suite. The external
set is run only where ``../shared/eval/external`` lies beside the project.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from clusterqa import ClusterQA
from clusterqa.bank import prepare_corpus, read_bank
from clusterqa.evaluation import load_questions, run_question

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "tests/data/bank/banks.toml"
FLOORS = json.loads((ROOT / "tests/data/bank/floors.json").read_text(encoding="utf-8"))
SETS, SKIPPED = read_bank(BANK)

sys.path.insert(0, str(ROOT / "benchmarks"))
from record_floors import counts  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("bank_set", SETS, ids=[s.name for s in SETS])
def test_test_split_holds_its_recorded_figures(bank_set, tmp_path: Path) -> None:
    floor = FLOORS.get(bank_set.name)
    assert floor, f"no floors recorded for {bank_set.name}: run benchmarks/record_floors.py"
    corpus = prepare_corpus(ROOT / "corpus", bank_set.add, tmp_path / "corpus")
    qa = ClusterQA(corpus_dir=corpus, index_dir=tmp_path / "index")
    qa.build_index()
    questions = [q for q in load_questions(bank_set.questions) if q.split == "test"]
    results = [run_question(qa, q, "hybrid") for q in questions]
    got = counts(results)
    assert got["questions"] == floor["questions"], "the test split changed: re-record the floors"
    wrong = [f"{r.id}: {r.question} -> {r.answer[:120]}" for r in results if not r.correct]
    for measure in ("correct", "supported", "abstained"):
        assert got[measure] >= floor[measure] - 1, (measure, got, floor, wrong)
    assert got["false_abstentions"] <= floor["false_abstentions"] + 1, (got, floor, wrong)
