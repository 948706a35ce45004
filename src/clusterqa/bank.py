"""The question bank: every question set asked against its own corpus, reported per corpus,
split and kind, so a figure tuned on is never mistaken for a result.

A bank is a TOML file naming each set's questions and the folders whose files join a copy of the
shipped corpus (users add their own sources next to the shipped ones)::

    [reports]
    questions = ["reports.jsonl"]
    add = ["../corpora/reports"]

Paths are relative to the bank file and may hold wildcards. A set whose question files are all
missing is skipped with a note: the external set lives outside the project and is evaluated only
where it lies. Each set gets ``<work>/<name>/corpus`` and ``index``; builds are incremental, so a
second run re-embeds nothing.

    clusterqa eval --bank tests/data/bank/banks.toml --markdown docs/quality.md
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .catalog import CATALOG_NAME
from .errors import ClusterQAError
from .evaluation import (
    MODES,
    EvalReport,
    Figures,
    QuestionResult,
    Split,
    Targets,
    evaluate,
    figures,
    load_questions,
    why,
)
from .models import RetrievalMode

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SPLITS: tuple[Split, ...] = ("tune", "test")


class BankSet(BaseModel):
    """One question set and the sources added to the shipped corpus for it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    questions: list[Path]
    add: list[Path] = Field(default_factory=list)


class BankReport(BaseModel):
    """Each set's evaluation, and the sets skipped because their files are absent."""

    sets: dict[str, EvalReport]
    skipped: list[str] = Field(default_factory=list)


def _expand(base: Path, patterns: list[str]) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        hits = sorted(base.glob(pattern)) if any(c in pattern for c in "*?[") else [base / pattern]
        found += [p.resolve() for p in hits if p.exists()]
    return found


def read_bank(path: Path) -> tuple[list[BankSet], list[str]]:
    """The sets of a bank file, and the names of those whose question files are missing."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ClusterQAError(f"{path}: cannot read the bank ({exc})") from exc
    sets, skipped = [], []
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            raise ClusterQAError(f"{path}: [{name}] must be a table with 'questions'")
        questions = _expand(path.parent, list(entry.get("questions", [])))
        add = _expand(path.parent, list(entry.get("add", [])))
        if not questions:
            skipped.append(name)
            continue
        sets.append(BankSet(name=name, questions=questions, add=add))
    return sets, skipped


def prepare_corpus(shipped: Path, add: Sequence[Path], target: Path) -> Path:
    """A fresh copy of the shipped corpus with the added folders' files beside it; their
    ``sources.toml`` entries are appended to the shipped one."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(shipped, target)
    catalog = target / CATALOG_NAME
    for folder in add:
        for src in sorted(folder.iterdir()):
            if src.name == CATALOG_NAME:
                text = catalog.read_text(encoding="utf-8") if catalog.exists() else ""
                catalog.write_text(text + "\n" + src.read_text(encoding="utf-8"), "utf-8")
            elif src.is_file() and not src.name.startswith(".") and src.name != "README.md":
                shutil.copyfile(src, target / src.name)  # a folder's README describes it
    return target


def run_bank(
    bank: Path,
    shipped: Path,
    work: Path,
    modes: Sequence[RetrievalMode] = MODES,
    progress: Callable[[str], None] | None = None,
    split: Split | None = None,
) -> BankReport:
    """Build each set's corpus and index under ``work`` and evaluate its questions."""
    from .api import ClusterQA

    sets, skipped = read_bank(bank)
    reports: dict[str, EvalReport] = {}
    for s in sets:
        if progress:
            progress(f"{s.name}: building the index over corpus + {len(s.add)} added folder(s)")
        corpus = prepare_corpus(shipped, s.add, work / s.name / "corpus")
        qa = ClusterQA(corpus_dir=corpus, index_dir=work / s.name / "index")
        qa.build_index()
        questions = [q for q in load_questions(s.questions) if split in (None, q.split)]
        if progress:
            progress(f"{s.name}: asking {len(questions)} questions in {len(modes)} mode(s)")
        reports[s.name] = evaluate(qa, questions, modes, files=s.questions)
    return BankReport(sets=reports, skipped=skipped)


# --- figures per split ----------------------------------------------------------------------


def results_of(report: EvalReport, mode: str, split: Split, kind: str | None = None,
               answerable: bool | None = None) -> list[QuestionResult]:
    """The results of one split of a set in a mode, optionally of one kind or answerability."""
    if mode not in report.modes:
        return []
    return [r for r in report.modes[mode].results if r.split == split
            and (kind is None or r.kind == kind)
            and (answerable is None or r.answerable == answerable)]


def _figures(results: list[QuestionResult]) -> Figures | None:
    return figures(results) if results else None


def _kinds(report: EvalReport, mode: str) -> list[str]:
    return list(report.modes[mode].by_kind) if mode in report.modes else []


def bank_misses(report: BankReport, targets: Targets | None = None) -> list[str]:
    """The targets missed on each set's **test** split, one line each."""
    targets = targets or Targets()
    out = []
    for name, rep in report.sets.items():
        ans = _figures(results_of(rep, targets.mode, "test", answerable=True))
        una = _figures(results_of(rep, targets.mode, "test", answerable=False))
        checks = [
            ("accuracy over answerable", ans.accuracy if ans else None, targets.accuracy, True),
            ("citation support", ans.citation_support if ans else None,
             targets.citation_support, True),
            ("abstention on unanswerable", una.abstention if una else None,
             targets.abstention, True),
            ("false abstention", ans.false_abstention if ans else None,
             targets.false_abstention, False),
        ]
        for label, value, bound, at_least in checks:
            if value is not None and ((value < bound) if at_least else (value > bound)):
                out.append(f"{name} test: {label} {_pct(value)} (target "
                           f"{'≥' if at_least else '≤'} {_pct(bound)})")
    return out


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".0%", "%")


def _row(rep: EvalReport, mode: str, split: Split, kind: str | None) -> list[str] | None:
    """correct, accuracy, abstention, false abstention, support for one split and kind."""
    rs = results_of(rep, mode, split, kind)
    if not rs:
        return None
    ans = _figures([r for r in rs if r.answerable])
    una = _figures([r for r in rs if not r.answerable])
    return [f"{sum(r.correct for r in rs)}/{len(rs)}", _pct(figures(rs).accuracy),
            _pct(una.abstention if una else None),
            _pct(ans.false_abstention if ans else None),
            _pct(ans.citation_support if ans else None)]


def render_bank_text(report: BankReport, mode: RetrievalMode = "hybrid") -> str:
    """Per set: one line per kind and split, then the baselines and the test-split targets."""
    out = []
    for name, rep in report.sets.items():
        out.append(f"== {name} ({rep.questions} questions)")
        rows = [["kind", "split", "correct", "accuracy", "abstention", "false abst.", "support"]]
        for kind in [*_kinds(rep, mode), None]:
            for split in SPLITS:
                cells = _row(rep, mode, split, kind)
                if cells:
                    rows.append([kind or "ALL", split, *cells])
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        out.append(_baselines(rep))
        out.append("")
    if report.skipped:
        out.append("Skipped (question files absent here): " + ", ".join(report.skipped))
    misses = bank_misses(report)
    out.append("Test-split targets: " + ("all met." if not misses else "; ".join(misses)))
    return "\n".join(out)


def _baselines(rep: EvalReport) -> str:
    parts = []
    for mode_name in rep.modes:
        cells = [f"{split} {_pct(f.accuracy)}" for split in SPLITS
                 if (f := _figures(results_of(rep, mode_name, split)))]
        parts.append(f"{mode_name}: " + ", ".join(cells))
    return "accuracy by retrieval mode: " + "; ".join(parts)


def render_bank_markdown(report: BankReport, command: str, mode: RetrievalMode = "hybrid") -> str:
    """The body of ``docs/quality.md``: tune and test side by side for every set and kind,
    the baselines, and the test-split questions that failed."""
    out = [
        "# Answer quality", "", "Produced by:", "", "```", command, "```", "",
        "Each set is asked against a copy of the shipped corpus plus its own added sources. "
        "**tune** questions were available while developing (thresholds and weights were set on "
        "them); **test** questions were written by people who had not read the answering code "
        "and were only run to report. Sets without a split (the original development questions) "
        "count as tune.", "",
        "Columns: *correct* = answered correctly (every expected value in an answer of at most "
        "600 characters, nothing forbidden; for unanswerable questions, an abstention citing "
        "nothing); *abstention* = share of unanswerable questions abstained on; *false abst.* = "
        "share of answerable questions abstained on; *support* = share of correct answers whose "
        "citation quotes the expected value.", "",
    ]  # fmt: skip
    for name, rep in report.sets.items():
        out += [f"## {name}", "", f"{rep.questions} questions; model {rep.model}; "
                f"{rep.created_at}.", "",
                "| kind | tune correct | test correct | tune abst. | test abst. | "
                "tune false abst. | test false abst. | test support |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for kind in [*_kinds(rep, mode), None]:
            tune = _row(rep, mode, "tune", kind) or ["—"] * 5
            test = _row(rep, mode, "test", kind) or ["—"] * 5
            cells = [tune[0], test[0], tune[2], test[2], tune[3], test[3], test[4]]
            out.append(f"| **{kind or 'all'}** | " + " | ".join(cells) + " |")
        out += ["", _baselines(rep).capitalize() + " (hybrid is what users get; dense-only "
                "and keyword-only are baselines).", ""]
        # Only the tune misses are listed: they are what a developer may study; the test
        # questions stay a measure, not a to-do list.
        wrong = [r for r in rep.modes[mode].results if r.split == "tune" and not r.correct]
        if wrong:
            out += ["Tune questions failed:", ""]
            for r in wrong:  # the answers are not quoted: some quote sources kept outside
                asked = r.question if not r.history else f"{' → '.join(r.history)} → {r.question}"
                out.append(f"- {r.id} ({r.kind}): {asked} — *{why(r)}*")
            out.append("")
    if report.skipped:
        out += [f"Not run here (question files absent): {', '.join(report.skipped)}.", ""]
    misses = bank_misses(report)
    out += ["## Targets on the test splits", "",
            "All met." if not misses else "\n".join(f"- missed: {m}" for m in misses), ""]
    return "\n".join(out)
