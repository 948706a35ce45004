"""Answer-quality evaluation: run a question set through ``ask`` and measure, never tune.

Scores every question in three retrieval modes (hybrid and the dense-only and keyword-only
baselines) so a change to retrieval is always seen against both. The matching rules are those of
the question-set README (``tests/data/eval/README.md``); nothing here looks at particular
questions or answers.

    from clusterqa import ClusterQA
    from clusterqa.evaluation import load_questions, evaluate, meets_targets, render_text
    report = evaluate(ClusterQA(), load_questions(["tests/data/eval/dev_table.jsonl"]))
    print(render_text(report)); print(meets_targets(report))
"""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError, model_validator

from clusterqa.errors import ClusterQAError, QuestionError
from clusterqa.models import Answer, Passage, RetrievalMode

# Kinds are free words ("doc", "table", "pdf", "list", …) so any question set can name its own;
# these come first in reports, in this order, and the rest follow in the order they appear.
KINDS: tuple[str, ...] = (
    "doc", "table", "pdf", "followup", "conflict", "profile", "lookup", "list", "count",
    "superlative", "compare", "change", "sum", "unanswerable",
)  # fmt: skip
Kind = str
Split = Literal["tune", "test"]
MODES: tuple[RetrievalMode, ...] = ("hybrid", "dense", "keyword")

MAX_ANSWER_CHARS = 600
"""An answer counts only when its text is this short: a pile of passages is not an answer."""


class EvalQuestion(BaseModel):
    """One line of a question set (JSON Lines), as described in the set's README."""

    id: str = Field(min_length=1)
    kind: Kind = Field(min_length=1, pattern=r"^[a-z_]+$")
    question: str = Field(min_length=1)
    history: list[str] = Field(default_factory=list, description="Earlier user turns, oldest 1st.")
    expect: list[list[str]] = Field(
        default_factory=list,
        description="Groups of alternatives: correct when every group has one in the answer.",
    )
    expect_abstain: bool = False
    forbid: list[str] = Field(
        default_factory=list, description="Strings a correct answer must not contain."
    )
    split: Split = Field(
        "tune", description="'tune' (may be tuned on) or 'test' (reporting only); unmarked "
        "sets count as tune, since they were seen while developing.",
    )

    @model_validator(mode="after")
    def _expectation_is_coherent(self) -> EvalQuestion:
        if self.kind == "unanswerable" and not self.expect_abstain:
            raise ValueError("kind 'unanswerable' needs \"expect_abstain\": true")
        if self.expect_abstain and self.expect:
            raise ValueError("a question with expect_abstain must not list expect groups")
        if not self.expect_abstain and not self.expect:
            raise ValueError("an answerable question needs at least one expect group")
        if any(not group or not all(alt.strip() for alt in group) for group in self.expect):
            raise ValueError("every expect group needs at least one non-empty alternative")
        return self

    @property
    def answerable(self) -> bool:
        return not self.expect_abstain


class QuestionResult(BaseModel):
    """How one question fared in one retrieval mode, with what is needed to see why."""

    id: str
    kind: Kind
    split: Split = "tune"
    mode: RetrievalMode
    question: str
    history: list[str] = Field(default_factory=list)
    answerable: bool
    answer: str = Field(description="The answer text as returned, with its citation markers.")
    abstained: bool
    correct: bool
    too_long: bool = Field(description=f"Answer text over {MAX_ANSWER_CHARS} characters.")
    missing: list[list[str]] = Field(
        default_factory=list, description="Expect groups with no alternative in the answer."
    )
    forbidden: list[str] = Field(
        default_factory=list, description="Forbidden strings the answer contains."
    )
    supported: bool | None = Field(
        None, description="For correct answerable answers: a cited quote holds an expected value."
    )
    retrieved: bool | None = Field(
        None, description="For answerable questions: an expected value is in the top-k passages."
    )
    citations: list[str] = Field(
        default_factory=list, description="'source location: quote' for each citation."
    )
    passages: list[str] = Field(
        default_factory=list, description="'source location' of each top-k retrieved passage."
    )
    latency_ms: float
    error: str | None = Field(None, description="Why ask refused the question, if it did.")


class Figures(BaseModel):
    """The measures over a group of results; None where the group has nothing to measure."""

    questions: int
    answerable: int
    unanswerable: int
    accuracy: float | None = Field(
        None, description="Share answered correctly (for unanswerable: abstained citing nothing)."
    )
    citation_support: float | None = Field(
        None, description="Share of correct answerable answers whose citations quote the value."
    )
    abstention: float | None = Field(
        None, description="Share of unanswerable questions abstained on, citing nothing."
    )
    false_abstention: float | None = Field(
        None, description="Share of answerable questions abstained on."
    )
    recall_at_k: float | None = Field(
        None, description="Share of answerable questions with an expected value in the top k."
    )
    median_latency_ms: float | None = None


class ModeReport(BaseModel):
    """Figures of one retrieval mode: per kind, over the answerable kinds, and overall."""

    mode: RetrievalMode
    by_kind: dict[str, Figures]
    answerable: Figures
    overall: Figures
    results: list[QuestionResult]


class EvalReport(BaseModel):
    """What ``clusterqa eval`` reports; ``model_dump_json()`` is its ``--json`` output."""

    files: list[str]
    questions: int
    top_k: int
    model: str = ""
    created_at: str
    modes: dict[str, ModeReport]


class Targets(BaseModel):
    """The quality bar of issue 4, checked on one mode (hybrid, what users get)."""

    mode: RetrievalMode = "hybrid"
    accuracy: float = Field(default=0.90, description="Minimum accuracy over answerable questions.")
    citation_support: float = Field(
        default=0.95, description="Minimum support among correct answers."
    )
    abstention: float = Field(
        default=0.90, description="Minimum abstention on unanswerable questions."
    )
    false_abstention: float = Field(
        default=0.05, description="Maximum abstention on answerable ones."
    )


class Asker(Protocol):
    """What the evaluation needs of ``ClusterQA``: asking and retrieving, in a given mode."""

    def ask(
        self,
        question: str,
        history: list[Any] | None = ...,
        top_k: int | None = ...,
        mode: RetrievalMode = ...,
    ) -> Answer: ...

    def retrieve(
        self,
        question: str,
        top_k: int | None = ...,
        mode: RetrievalMode = ...,
        history: list[Any] | None = ...,
    ) -> list[Passage]: ...


# --- loading ----------------------------------------------------------------------------------


def load_questions(paths: Iterable[str | Path]) -> list[EvalQuestion]:
    """Read question sets (JSON Lines), failing on the first bad line with file and line number."""
    questions: list[EvalQuestion] = []
    seen: dict[str, str] = {}
    for path in map(Path, paths):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ClusterQAError(f"{path}: cannot read the question set ({exc})") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            question = _parse_line(line, where)
            if question.id in seen:
                raise ClusterQAError(
                    f"{where}: id {question.id!r} already used at {seen[question.id]}"
                    " — give every question its own id"
                )
            seen[question.id] = where
            questions.append(question)
    if not questions:
        raise ClusterQAError("no questions found — pass one or more non-empty .jsonl files")
    return questions


def _parse_line(line: str, where: str) -> EvalQuestion:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ClusterQAError(
            f"{where}: not valid JSON ({exc.msg} at column {exc.colno})"
            " — each line must be one JSON object"
        ) from exc
    if not isinstance(data, dict):
        raise ClusterQAError(f"{where}: expected a JSON object, got {type(data).__name__}")
    try:
        return EvalQuestion.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'line'}: {err['msg']}" for err in exc.errors()
        )
        raise ClusterQAError(
            f"{where}: {problems} — see the question-set README for the fields"
        ) from exc


# --- matching ---------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}
_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u2009](?=\d{3}(?!\d))")


def normalize(text: str) -> str:
    """Fold what the README says must not matter: case, dash kind, accents, thousands separators.

    >>> normalize("São Paulo – 63,447")
    'sao paulo - 63447'
    """
    text = _THOUSANDS.sub("", text.translate(_DASHES).translate(_QUOTES))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split()).casefold()


def occurs(alternative: str, text: str) -> bool:
    """Whether an expected alternative occurs in a text, under the README's matching rules.

    It must start at a word start and may not cut through a number, so "3" is not found in
    "2023" nor "8" in "8.5"; a word may run on ("protection" is found in "protections").
    """
    needle, haystack = normalize(alternative), normalize(text)
    if not needle:
        return False
    head = r"(?<![^\W\d_])(?<!\d)(?<!\d\.)" if needle[0].isalnum() else ""
    tail = r"(?!\d)(?!\.\d)" if needle[-1].isdigit() else ""
    return re.search(head + re.escape(needle) + tail, haystack) is not None


_MARKERS = re.compile(r"\[\d+(?:\s*[,\u2013-]\s*\d+)*\]")


def missing_groups(expect: Sequence[Sequence[str]], text: str) -> list[list[str]]:
    """The expect groups none of whose alternatives occurs in an answer text.

    Citation markers are not content: "[3]" must not pass for the rank 3.
    """
    text = _MARKERS.sub(" ", text)
    return [list(group) for group in expect if not any(occurs(alt, text) for alt in group)]


def any_expected(expect: Sequence[Sequence[str]], texts: Iterable[str]) -> bool:
    """Whether any expected alternative occurs in any of the texts."""
    texts = list(texts)
    return any(occurs(alt, t) for group in expect for alt in group for t in texts)


def is_correct(question: EvalQuestion, answer: Answer) -> bool:
    """Correct = concise and every group matched; for unanswerable, abstained citing nothing."""
    if question.expect_abstain:
        return answer.abstained and not answer.citations
    if answer.abstained or len(answer.text) > MAX_ANSWER_CHARS:
        return False
    return not missing_groups(question.expect, answer.text) and not forbidden(question, answer)


def forbidden(question: EvalQuestion, answer: Answer) -> list[str]:
    """The ``forbid`` strings the answer text contains (a list naming too much, a runner-up)."""
    text = _MARKERS.sub(" ", answer.text)
    return [f for f in question.forbid if occurs(f, text)]


def is_supported(question: EvalQuestion, answer: Answer) -> bool:
    """Whether a citation's quote holds an expected alternative (the claim is backed)."""
    return any_expected(question.expect, (c.quote for c in answer.citations))


# --- running ----------------------------------------------------------------------------------


def score(
    question: EvalQuestion,
    answer: Answer,
    mode: RetrievalMode,
    latency_ms: float,
    passages: Sequence[Passage] = (),
    error: str | None = None,
) -> QuestionResult:
    """Judge one answer (and the passages retrieved for it) against its question."""
    correct = is_correct(question, answer)
    answerable = question.answerable
    return QuestionResult(
        id=question.id,
        kind=question.kind,
        split=question.split,
        mode=mode,
        question=question.question,
        history=question.history,
        answerable=answerable,
        answer=answer.text,
        abstained=answer.abstained,
        correct=correct,
        too_long=len(answer.text) > MAX_ANSWER_CHARS,
        missing=missing_groups(question.expect, answer.text) if answerable else [],
        forbidden=forbidden(question, answer) if answerable else [],
        supported=is_supported(question, answer) if answerable and correct else None,
        retrieved=any_expected(question.expect, (p.text for p in passages)) if answerable else None,
        citations=[f"{c.source} {c.location}: {c.quote}" for c in answer.citations],
        passages=[f"{p.source} {p.location}" for p in passages],
        latency_ms=latency_ms,
        error=error,
    )


def run_question(
    qa: Asker, question: EvalQuestion, mode: RetrievalMode, top_k: int | None = None
) -> QuestionResult:
    """Retrieve (for recall@k), then ask, timing only ``ask``."""
    history = list(question.history) or None
    passages = qa.retrieve(question.question, top_k=top_k, mode=mode, history=history)
    started = time.perf_counter()
    try:
        answer = qa.ask(question.question, history=history, top_k=top_k, mode=mode)
        error = None
    except QuestionError as exc:
        answer = Answer(question=question.question, resolved_question="", text="", abstained=False)
        error = str(exc)
    latency_ms = (time.perf_counter() - started) * 1000
    return score(question, answer, mode, latency_ms, passages, error)


def figures(results: Sequence[QuestionResult]) -> Figures:
    """Aggregate results into the reported measures."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    correct = [r for r in answerable if r.correct]
    return Figures(
        questions=len(results),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        accuracy=_share(results, lambda r: r.correct),
        citation_support=_share(correct, lambda r: bool(r.supported)),
        abstention=_share(unanswerable, lambda r: r.correct),
        false_abstention=_share(answerable, lambda r: r.abstained),
        recall_at_k=_share(answerable, lambda r: bool(r.retrieved)),
        median_latency_ms=statistics.median(r.latency_ms for r in results) if results else None,
    )


def _share(results: Sequence[QuestionResult], test: Any) -> float | None:
    return sum(1 for r in results if test(r)) / len(results) if results else None


def mode_report(mode: RetrievalMode, results: list[QuestionResult]) -> ModeReport:
    seen = list(dict.fromkeys(r.kind for r in results))
    kinds = [k for k in KINDS if k in seen] + [k for k in seen if k not in KINDS]
    return ModeReport(
        mode=mode,
        by_kind={k: figures([r for r in results if r.kind == k]) for k in kinds},
        answerable=figures([r for r in results if r.answerable]),
        overall=figures(results),
        results=results,
    )


def evaluate(
    qa: Asker,
    questions: Sequence[EvalQuestion],
    modes: Sequence[RetrievalMode] = MODES,
    top_k: int | None = None,
    files: Sequence[str | Path] = (),
    progress: Any = None,
) -> EvalReport:
    """Ask every question in every mode and measure the answers.

    ``top_k`` is passed to ``ask`` and ``retrieve`` (None: the settings' default) and is the k
    of recall@k. ``progress(fraction, message)`` is called after each question if given.
    """
    settings = getattr(qa, "settings", None)
    k: int = top_k if top_k is not None else getattr(settings, "top_k", 5)
    total = len(modes) * len(questions)
    reports: dict[str, ModeReport] = {}
    for m, mode in enumerate(modes):
        results = []
        for i, question in enumerate(questions):
            results.append(run_question(qa, question, mode, top_k))
            if progress is not None:
                progress((m * len(questions) + i + 1) / total, f"{mode}: {question.id}")
        reports[mode] = mode_report(mode, results)
    return EvalReport(
        files=[str(f) for f in files],
        questions=len(questions),
        top_k=k,
        model=str(getattr(settings, "model", "") or "all-MiniLM-L6-v2 (bundled)"),
        created_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        modes=reports,
    )


def run(
    qa: Asker,
    paths: Sequence[str | Path],
    top_k: int | None = None,
    modes: Sequence[RetrievalMode] = MODES,
    progress: Any = None,
) -> EvalReport:
    """Load the question sets and evaluate them: the one call behind ``clusterqa eval``."""
    return evaluate(qa, load_questions(paths), modes, top_k, files=paths, progress=progress)


def _checks(mode: ModeReport, targets: Targets) -> list[tuple[str, float | None, float, bool]]:
    """(measure, value, bound, bound is a minimum) for each target."""
    return [
        ("accuracy over answerable", mode.answerable.accuracy, targets.accuracy, True),
        ("citation support", mode.answerable.citation_support, targets.citation_support, True),
        ("abstention on unanswerable", mode.overall.abstention, targets.abstention, True),
        ("false abstention", mode.answerable.false_abstention, targets.false_abstention, False),
    ]


def _met(value: float | None, bound: float, at_least: bool) -> bool | None:
    if value is None:
        return None
    return value >= bound if at_least else value <= bound


def meets_targets(report: EvalReport, targets: Targets | None = None) -> list[str]:
    """The targets missed, one line each; empty when every target is met.

    A measure with nothing to measure (e.g. no unanswerable question in the set) is skipped.
    """
    targets = targets or Targets()
    if targets.mode not in report.modes:
        return [f"mode {targets.mode} was not evaluated"]
    return [
        f"{targets.mode} {name} {_pct(value)} (target {'≥' if at_least else '≤'} {_pct(bound)})"
        for name, value, bound, at_least in _checks(report.modes[targets.mode], targets)
        if _met(value, bound, at_least) is False
    ]


def failed(report: EvalReport, mode: RetrievalMode = "hybrid") -> list[QuestionResult]:
    """The questions answered wrongly in a mode, in set order."""
    return [r for r in report.modes[mode].results if not r.correct] if mode in report.modes else []


def why(result: QuestionResult) -> str:
    """A short reason a result is wrong, from what the evaluation saw."""
    if result.error:
        return f"refused: {result.error}"
    if not result.answerable:
        return "answered instead of abstaining" if not result.abstained else "abstained but cited"
    reasons = ["abstained"] if result.abstained else []
    if result.too_long:
        reasons.append(f"answer over {MAX_ANSWER_CHARS} characters")
    if result.missing and not result.abstained:
        reasons.append("missing " + "; ".join(" / ".join(g) for g in result.missing))
    if result.forbidden:
        reasons.append("names " + ", ".join(result.forbidden))
    reasons.append(
        "expected value retrieved" if result.retrieved else "expected value NOT retrieved"
    )
    return ", ".join(reasons)


# --- rendering --------------------------------------------------------------------------------

_COLUMNS = ("accuracy", "citation_support", "abstention", "false_abstention", "recall_at_k")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".0%", "%")


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _rows(report: EvalReport) -> list[tuple[str, str, str, list[str]]]:
    """(group, n, mode, cells) rows: each kind, then answerable and overall, modes adjacent."""
    first = next(iter(report.modes.values()))
    groups = [*first.by_kind, "answerable", "overall"]
    rows = []
    for group in groups:
        for mode, mr in report.modes.items():
            fig = mr.by_kind.get(group) or getattr(mr, group, None)
            if not isinstance(fig, Figures):
                continue
            cells = [_pct(getattr(fig, c)) for c in _COLUMNS] + [_ms(fig.median_latency_ms)]
            rows.append((group, str(fig.questions), mode, cells))
    return rows


def _headers(report: EvalReport) -> list[str]:
    return [
        "kind", "n", "mode", "accuracy", "cit. support", "abstention", "false abst.",
        f"recall@{report.top_k}", "median ms",
    ]  # fmt: skip


def render_text(report: EvalReport, targets: Targets | None = None) -> str:
    """A plain-text table for the terminal, then the targets and the failed hybrid questions."""
    headers = _headers(report)
    table = [[g, n, m, *cells] for g, n, m, cells in _rows(report)]
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        left = [str(c).ljust(w) for c, w in zip(row[:3], widths[:3], strict=True)]
        right = [str(c).rjust(w) for c, w in zip(row[3:], widths[3:], strict=True)]
        return "  ".join(left + right).rstrip()

    out = [
        f"{report.questions} questions from {len(report.files) or 'given'} file(s), "
        f"top-k {report.top_k}, model {report.model}",
        "",
        line(headers),
        line(["-" * w for w in widths]),
    ]
    previous = None
    for row in table:
        if previous is not None and row[0] != previous:
            out.append("")
        out.append(line(row))
        previous = row[0]
    out += ["", _targets_line(report, targets)]
    wrong = failed(report, (targets or Targets()).mode)
    if wrong:
        out += ["", f"Failed in {(targets or Targets()).mode} mode:"]
        for r in wrong:
            out.append(f"  {r.id} [{r.kind}] {r.question}")
            out.append(f"    answer: {_one_line(r.answer, 200)}")
            out.append(f"    why: {why(r)}")
    return "\n".join(out)


def _targets_line(report: EvalReport, targets: Targets | None) -> str:
    misses = meets_targets(report, targets)
    if not misses:
        return f"All targets met in {(targets or Targets()).mode} mode."
    return "Targets missed: " + "; ".join(misses) + "."


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_json(report: EvalReport) -> str:
    """The ``--json`` output: the whole report, per-question results included."""
    return report.model_dump_json(indent=2)


def render_markdown(
    report: EvalReport, command: str = "clusterqa eval", targets: Targets | None = None
) -> str:
    """The body of ``docs/quality.md``: how it was made, the figures, the targets, the misses."""
    targets = targets or Targets()
    headers = _headers(report)
    out = [
        "# Answer quality",
        "",
        "Produced by:",
        "",
        "```",
        command,
        "```",
        "",
        f"{report.questions} questions ({', '.join(report.files) or 'question set'}), "
        f"model {report.model}, top-k {report.top_k}, {report.created_at}. Each question is asked "
        f"once per retrieval mode ({', '.join(report.modes)}); the **{targets.mode}** rows are "
        "what users get and are checked against the targets, the others are its baselines.",
        "",
        "How to read it: *accuracy* is the share answered correctly (every expected group found in "
        f"an answer of at most {MAX_ANSWER_CHARS} characters; for `unanswerable`, an abstention "
        "citing nothing); *cit. support* the share of correct answers where a cited quote holds "
        "the expected value; *abstention* the share of `unanswerable` questions abstained on; "
        "*false abst.* the share of answerable questions abstained on; "
        f"*recall@{report.top_k}* the share of answerable questions with an expected value in the "
        f"top {report.top_k} retrieved passages; *median ms* the median time of one `ask`.",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(["---"] * 3 + ["---:"] * (len(headers) - 3)) + "|",
    ]
    previous = None
    for group, n, mode, cells in _rows(report):
        shown = (f"**{group}**", n) if group != previous else ("", "")
        mode_cell = f"**{mode}**" if mode == targets.mode else mode
        out.append("| " + " | ".join([*shown, mode_cell, *cells]) + " |")
        previous = group
    out += ["", "## Targets", "", _target_table(report, targets), ""]
    wrong = failed(report, targets.mode)
    out += [f"## Questions failed in {targets.mode} mode", ""]
    if not wrong:
        out.append("None.")
    for r in wrong:
        asked = r.question if not r.history else f"{' → '.join(r.history)} → {r.question}"
        out += [
            f"- **{r.id}** ({r.kind}): {asked}",
            f"  - answer: {_one_line(r.answer, 300) or '(empty)'}",
            f"  - why: {why(r)}",
        ]
    return "\n".join(out).rstrip() + "\n"


def _target_table(report: EvalReport, targets: Targets) -> str:
    mr = report.modes.get(targets.mode)
    if mr is None:
        return f"Mode {targets.mode} was not evaluated."
    lines = [f"| measure ({targets.mode}) | value | target | met |", "|---|---:|---:|:---:|"]
    for name, value, bound, at_least in _checks(mr, targets):
        met = {None: "—", True: "yes", False: "**no**"}[_met(value, bound, at_least)]
        relation = "≥" if at_least else "≤"
        lines.append(f"| {name} | {_pct(value)} | {relation} {_pct(bound)} | {met} |")
    return "\n".join(lines)
