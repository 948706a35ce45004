"""Pydantic models at the boundaries: what ``ask``, ``build_index`` and ``sources`` return."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SourceKind = Literal["text", "table", "pdf", "html"]
RetrievalMode = Literal["hybrid", "dense", "keyword"]


class Locator(BaseModel):
    """Where a passage sits in its source file: lines, a PDF page, a table row, paragraphs."""

    kind: Literal["lines", "page", "row", "paragraphs"]
    start: int = Field(ge=1)
    end: int = Field(ge=1)

    @property
    def label(self) -> str:
        names = {"lines": ("line", "lines"), "page": ("page", "pages"),
                 "row": ("row", "rows"), "paragraphs": ("paragraph", "paragraphs")}
        one, many = names[self.kind]
        if self.start == self.end:
            return f"{one} {self.start}"
        return f"{many} {self.start}\u2013{self.end}"


class TableRow(BaseModel):
    """A cited table row as the file has it: the header and the row's cells, in order."""

    header: list[str]
    values: list[str]


class Citation(BaseModel):
    """One numbered piece of evidence behind an answer: opens the exact passage or row."""

    number: int = Field(description="The marker in the answer text: [number].")
    source: str = Field(description="Path of the source file, relative to the corpus folder.")
    title: str
    location: str = Field(description="Human-readable place: 'lines 3–4', 'page 2', 'row 14'.")
    locator: Locator
    quote: str = Field(description="The exact sentence or row text that supports the claim.")
    passage: str = Field(description="The whole retrieved passage the quote comes from.")
    score: float = Field(description="How well the quote matches the question (higher is better).")
    kind: SourceKind
    url: str | None = None
    publisher: str | None = None
    year: int | None = None
    table: TableRow | None = Field(None, description="For table rows: header and values.")


class Chart(BaseModel):
    """Values over years for a few things (ranks by year), drawn beside a computed answer."""

    title: str
    measure: str
    invert: bool = Field(False, description="True for ranks: 1 is drawn at the top.")
    series: dict[str, list[tuple[int, float]]] = Field(default_factory=dict)


class Answer(BaseModel):
    """An answer whose every sentence carries a citation, or an abstention."""

    question: str
    resolved_question: str = Field(
        description="The question as understood after reading the conversation history."
    )
    text: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(
        default_factory=list, description="Closest passages when the sources do not answer."
    )
    conflict: bool = Field(False, description="True when sources disagree and both are cited.")
    notices: list[str] = Field(
        default_factory=list, description="Things the user should know (index built, stale)."
    )
    seconds: float = 0.0
    table: list[list[str]] | None = Field(
        None, description="For computed table answers: the rows behind it, header first."
    )
    chart: Chart | None = Field(None, description="For rankings and changes over years.")


class Passage(BaseModel):
    """A retrieved chunk with its fused score and the ranks each retriever gave it."""

    chunk_id: int
    source: str
    title: str
    location: str
    text: str
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


class SkippedFile(BaseModel):
    path: str
    reason: str


class BuildReport(BaseModel):
    """What a (re)build did, for the CLI, the app and the logs."""

    full: bool
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    chunks: int = 0
    embedded: int = Field(0, description="Texts embedded in this build (chunks and sentences).")
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"{'Full rebuild' if self.full else 'Index update'}: "
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged; "
            f"{self.chunks} chunks, {self.embedded} texts embedded, {self.seconds:.1f} s."
        ]
        lines += [f"Skipped {s.path}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)


class IndexedSource(BaseModel):
    """What the index records of a source file, besides where it is."""

    title: str
    kind: SourceKind
    chunks: int
    indexed_at: str
    url: str | None = None
    publisher: str | None = None
    year: int | None = None


class SourceInfo(IndexedSource):
    """An indexed source as listed by ``clusterqa sources`` and the app's Library tab."""

    path: str
