"""A computed result as the same ``Answer`` the prose route returns: one sentence with the
result, numbered citations to every row used, the rows as a small table, a chart for changes."""

from __future__ import annotations

import re

from ..models import Answer, Citation, Locator
from ..store import IndexData
from .compute import Result
from .engine import Engine, Fact

MAX_TEXT = 600
_MARK = re.compile(r" ?\u27e6(.*?)\u27e7")


def compose(
    result: Result,
    question: str,
    resolved: str,
    engine: Engine,
    data: IndexData,
) -> Answer:
    if result.abstained:
        return Answer(
            question=question, resolved_question=resolved, text=result.sentence, abstained=True
        )
    citations: list[Citation] = []
    numbers: dict[tuple[int, int], int] = {}

    def cite(facts: list[Fact]) -> list[int]:
        out = []
        for f in facts:
            where = (f.table, f.row)
            if where not in numbers:
                numbers[where] = len(citations) + 1
                citations.append(_citation(numbers[where], f, engine, data))
            if numbers[where] not in out:
                out.append(numbers[where])
        return out

    def replace(m: re.Match[str]) -> str:
        nums = cite(result.cites.get(m.group(1), []))
        return (" " + "".join(f"[{n}]" for n in nums)) if nums else ""

    text = _markers_last(_MARK.sub(replace, result.sentence))
    for facts in result.cites.values():
        cite(facts)
    marked = set(map(int, re.findall(r"\[(\d+)\]", text)))
    rest = [c.number for c in citations if c.number not in marked]
    if rest:
        text = _append(text, rest)
    if len(text) > MAX_TEXT:
        plain = _MARK.sub("", result.sentence)
        text = _append(_cut(plain, MAX_TEXT - 20), [c.number for c in citations])
    table = [result.header, *result.rows] if result.rows else None
    chart = result.chart
    return Answer(
        question=question,
        resolved_question=resolved,
        text=text,
        abstained=False,
        citations=citations,
        table=table,
        chart=chart,
    )


_MARKERS = re.compile(r" ?\[\d+\]")


def _markers_last(text: str) -> str:
    """Each sentence with its citation markers at its end, as every answer writes them."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\d])", text):
        marks = _MARKERS.findall(sentence)
        tail = sentence.split(marks[-1].strip())[-1] if marks else ""
        if marks and re.search(r"\w", tail):
            body = _MARKERS.sub("", sentence).rstrip()
            end = body[-1] if body[-1:] in ".!?" else ""
            body = body[: len(body) - len(end)] if end else body
            sentence = body + " " + "".join(dict.fromkeys(m.strip() for m in marks)) + (end or ".")
        out.append(sentence)
    return " ".join(out)


def _append(text: str, numbers: list[int]) -> str:
    if not numbers:
        return text
    if len(numbers) <= 6:
        marks = "".join(f"[{n}]" for n in numbers)
    else:
        marks = f"[{numbers[0]}]\u2013[{numbers[-1]}]"
    return text.rstrip(".") + f" {marks}."


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for sep in ("; ", ", "):
        if sep in cut:
            return cut[: cut.rindex(sep)] + " …"
    return cut + "…"


def _citation(number: int, f: Fact, engine: Engine, data: IndexData) -> Citation:
    """The row behind a fact, opening where it stands: a CSV row, the lines of a Markdown row,
    the paragraphs of an HTML row or infobox."""
    t = engine.table(f.table)
    entry = data.manifest.files.get(t.source)
    place = t.places.get(f.row)
    locator = place.locator if place else Locator(kind="row", start=f.row, end=f.row)
    text = place.text if place else ""
    url = place.url if place else None
    return Citation(
        number=number,
        source=t.source,
        title=t.title,
        location=locator.label,
        locator=locator,
        quote=text,
        passage=text,
        score=1.0,
        kind=entry.kind if entry else "table",
        url=url or (entry.url if entry else None),
        publisher=entry.publisher if entry else None,
        year=entry.year if entry else None,
        table=t.row(f.row),
    )
