"""Table questions: correct and abstention per kind and split, and how many prose questions the
table route takes.

Builds a temp index over a copy of ``corpus/`` plus the folders the ``[tables]`` set of
``tests/data/bank/banks.toml`` adds (their ``sources.toml`` merged) and asks every question of
the chosen split from every file that set lists (``tables.jsonl``, ``tables_more.jsonl``).
Matching follows the bank README: every expect group has an alternative in the answer text
(case, accents, dashes and thousands separators folded), no ``forbid`` string occurs,
unanswerable = abstained citing nothing, text ≤ 600 characters.

    python benchmarks/eval_tables.py --split tune            # develop on this one only
    python benchmarks/eval_tables.py --split test            # report once, at the end
    python benchmarks/eval_tables.py --routing tests/data/eval/*.jsonl tests/data/eval_extra/*.jsonl
    python benchmarks/eval_tables.py --misroutes             # prose questions taken, per split

``--misroutes`` asks every set of ``banks.toml`` over its own corpus: of the questions whose kind
is not a computed one (list, count, superlative, compare, change, sum), how many the table route
takes with an operation other than a lookup (lookups it hands to the prose reader). Tune ones
are printed; the test split only as counts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
BANKS = ROOT / "tests/data/bank/banks.toml"


def table_set() -> tuple[list[Path], list[Path]]:
    """The question files and added folders of the bank's ``[tables]`` set."""
    from clusterqa.bank import read_bank

    sets, _skipped = read_bank(BANKS)
    found = next(s for s in sets if s.name == "tables")
    return found.questions, found.add


def corpus_copy(dest: Path, added: list[Path]) -> Path:
    corpus = dest / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for folder in added:
        catalog = (corpus / "sources.toml").read_text(encoding="utf-8")
        for f in sorted(folder.iterdir()):
            if f.name == "sources.toml":
                catalog += "\n" + f.read_text(encoding="utf-8")
            elif (
                f.suffix.lower() in (".csv", ".html", ".md", ".txt", ".pdf")
                and f.name != "README.md"
            ):
                shutil.copy(f, corpus / f.name)
        (corpus / "sources.toml").write_text(catalog, encoding="utf-8")
    return corpus


def judge(q: dict, answer: object) -> bool:
    from clusterqa.evaluation import MAX_ANSWER_CHARS, missing_groups, occurs

    text = answer.text  # type: ignore[attr-defined]
    if q.get("expect_abstain"):
        return bool(answer.abstained) and not answer.citations  # type: ignore[attr-defined]
    if answer.abstained or len(text) > MAX_ANSWER_CHARS:  # type: ignore[attr-defined]
        return False
    if any(occurs(f, text) for f in q.get("forbid", [])):
        return False
    return not missing_groups(q["expect"], text)


def run_bank(split: str, show: bool) -> int:
    from clusterqa import ClusterQA

    files, added = table_set()
    questions = [
        json.loads(line)
        for f in files
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    questions = [q for q in questions if q["split"] == split]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_copy(Path(tmp), added)
        qa = ClusterQA(corpus_dir=corpus, index_dir=Path(tmp) / "index")
        qa.build_index(full=True)
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for q in questions:
            answer = qa.ask(q["question"], history=q.get("history"))
            ok = judge(q, answer)
            tally[q["kind"]][0] += ok
            tally[q["kind"]][1] += 1
            if show and not ok:
                print(
                    f"MISS {q['id']} [{q['kind']}] {q.get('history') or ''} {q['question']}\n"
                    f"     expect {q.get('expect')} forbid {q.get('forbid')}\n"
                    f"     got {'ABSTAIN ' if answer.abstained else ''}{answer.text}"
                )
    print(f"\n{split} split: correct per kind (unanswerable = abstained citing nothing)")
    total = [0, 0]
    for kind, (ok, n) in sorted(tally.items()):
        print(f"  {kind:13s} {ok:3d}/{n:<3d} {100 * ok / n:5.1f}%")
        total[0] += ok
        total[1] += n
    print(f"  {'all':13s} {total[0]:3d}/{total[1]:<3d} {100 * total[0] / total[1]:5.1f}%")
    return 0


def run_routing(files: list[str]) -> int:
    """How many questions of prose sets the table route would take, and which."""
    from clusterqa import ClusterQA

    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_copy(Path(tmp), [])
        qa = ClusterQA(corpus_dir=corpus, index_dir=Path(tmp) / "index")
        qa.build_index(full=True)
        live = qa._load()
        assert live is not None
        routed, total = 0, 0
        for name in files:
            for line in Path(name).read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                q = json.loads(line)
                total += 1
                plan = live.tables.plan(q["question"], q.get("history"))
                if plan is not None:
                    routed += 1
                    print(f"  routed {q['id']} [{q.get('kind')}] {q['question']} -> {plan.op}")
        print(f"{routed} of {total} questions routed to the table route")
    return 0


COMPUTED = {"list", "count", "superlative", "compare", "change", "sum"}


def run_misroutes() -> int:
    """Prose questions of every bank set that the table route takes, per set and split."""
    from clusterqa import ClusterQA
    from clusterqa.bank import prepare_corpus, read_bank

    sets, _skipped = read_bank(BANKS)
    taken: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        for s in sets:
            corpus = prepare_corpus(ROOT / "corpus", s.add, Path(tmp) / s.name / "corpus")
            qa = ClusterQA(corpus_dir=corpus, index_dir=Path(tmp) / s.name / "index")
            qa.build_index(full=True)
            live = qa._load()
            assert live is not None
            for f in s.questions:
                for line in f.read_text(encoding="utf-8").splitlines():
                    if not line.strip():
                        continue
                    q = json.loads(line)
                    if q.get("kind") in COMPUTED or q.get("split") not in ("tune", "test"):
                        continue
                    plan = live.tables.plan(q["question"], q.get("history"))
                    took = plan is not None and plan.op != "lookup"
                    tally = taken[(s.name, q["split"])]
                    tally[0] += took
                    tally[1] += 1
                    if took and q["split"] == "tune":  # the test split: counts only
                        assert plan is not None
                        print(f"  taken {s.name} {q['id']} [{q['kind']}] "
                              f"{q.get('history') or ''} {q['question']} -> {plan.op}")
    print("\nprose questions the table route takes (op other than lookup), per set and split")
    for split in ("tune", "test"):
        rows = [(name, *taken[(name, sp)]) for (name, sp) in sorted(taken) if sp == split]
        for name, n, total in rows:
            print(f"  {split:4s} {name:9s} {n:3d} of {total}")
        print(f"  {split:4s} {'all':9s} {sum(r[1] for r in rows):3d} of "
              f"{sum(r[2] for r in rows)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["tune", "test"], default="tune")
    ap.add_argument("--quiet", action="store_true", help="figures only, no misses")
    ap.add_argument(
        "--routing",
        nargs="+",
        metavar="JSONL",
        help="count prose questions routed to tables instead",
    )
    ap.add_argument("--misroutes", action="store_true",
                    help="count prose questions of every bank set the table route takes")
    args = ap.parse_args(argv)
    if args.misroutes:
        return run_misroutes()
    if args.routing:
        return run_routing(args.routing)
    # the test split's misses are never printed: it is for reporting, not for reading
    return run_bank(args.split, show=not args.quiet and args.split == "tune")


if __name__ == "__main__":
    sys.exit(main())
