"""Answers, citations and sources turned into chat text and panel HTML for the web app.

Pure functions without Gradio, so the rules that keep the page safe can be read in one place:
every string that comes from a document or a user is escaped before it meets markup.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from datetime import datetime
from html import escape
from pathlib import Path

from clusterqa.models import Answer, Citation, SourceInfo, TableRow

# Chat messages are markdown. HTML is escaped as entities; these marks are backslash-escaped
# so a passage cannot turn into emphasis, code, links or tables either.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")

PANEL_PLACEHOLDER = (
    '<div class="cqa-panel cqa-empty">'
    "<p>Ask a question. The passages behind each answer appear here; click an earlier "
    "answer in the chat to see its sources again.</p></div>"
)


def chat_text(text: str) -> str:
    """Text shown in the chat exactly as written: markdown and HTML both neutralised."""
    return escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", text), quote=False)


def result_table(rows: list[list[str]]) -> str:
    """A computed answer's rows as a markdown table (cells escaped like any chat text)."""
    if not rows or not rows[0]:
        return ""
    width = len(rows[0])
    lines = ["| " + " | ".join(chat_text(c) for c in (r + [""] * width)[:width]) + " |"
             for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def answer_message(answer: Answer) -> str:
    """The assistant's chat message: the answer, the rows behind a computed answer as a
    table, then a short list of what it cites."""
    body = chat_text(answer.text)
    if answer.table and not answer.abstained:
        body += "\n\n" + result_table(answer.table[:26])
    if answer.abstained:
        return f'<span class="cqa-abstain-mark">Not found in the sources.</span>\n\n{body}'
    if not answer.citations:
        return body
    refs = " · ".join(
        f"{chat_text(f'[{c.number}]')} {chat_text(c.title)}, {chat_text(c.location)}"
        for c in answer.citations
    )
    return f"{body}\n\n<sub>Sources: {refs}</sub>"


def chart_file(answer: Answer) -> Path | None:
    """The answer's chart written once as a PNG file in the temp folder (the chat shows
    image files inline; the name is the content's hash, so a redraw reuses it)."""
    if answer.chart is None or answer.abstained:
        return None
    from clusterqa.tables.chart import png

    data = png(answer.chart)
    if not data:
        return None
    folder = Path(tempfile.gettempdir()) / "clusterqa-charts"
    folder.mkdir(exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.png"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def highlight(passage: str, quote: str) -> str:
    """The passage as HTML with the quoted sentence marked; whitespace may differ."""
    if not quote.strip():
        return escape(passage)
    start = passage.find(quote)
    end = start + len(quote)
    if start < 0:
        words = [re.escape(w) for w in quote.split()]
        found = re.search(r"\s+".join(words), passage)
        if not found:
            return f"<mark>{escape(quote)}</mark><br>{escape(passage)}"
        start, end = found.span()
    return (
        f"{escape(passage[:start])}<mark>{escape(passage[start:end])}</mark>{escape(passage[end:])}"
    )


def table_html(row: TableRow) -> str:
    """A cited table row as a small table: each header cell beside its value, one per line,
    which reads better in a narrow panel than one wide line. Columns left empty in this row
    are left out."""
    filled = [(h, v) for h, v in zip(row.header, row.values, strict=False) if v.strip()]
    lines = "".join(f"<tr><th>{escape(h)}</th><td>{escape(v)}</td></tr>" for h, v in filled)
    return f'<table class="cqa-row"><tbody>{lines}</tbody></table>'


def _origin(c: Citation) -> str:
    parts = [escape(c.source)]
    if c.publisher:
        parts.append(escape(c.publisher))
    if c.year:
        parts.append(str(c.year))
    if c.url and c.url.startswith(("http://", "https://")):
        url = escape(c.url, quote=True)
        parts.append(f'<a href="{url}" target="_blank" rel="noopener noreferrer">link</a>')
    return " · ".join(parts)


def citation_html(c: Citation) -> str:
    """One citation card: number, title, location, origin, and the highlighted evidence."""
    evidence = (
        table_html(c.table)
        if c.table
        else (f'<blockquote class="cqa-passage">{highlight(c.passage, c.quote)}</blockquote>')
    )
    return (
        f'<li class="cqa-cite" data-number="{c.number}">'
        f'<div class="cqa-cite-head"><span class="cqa-num">[{c.number}]</span> '
        f'<span class="cqa-title">{escape(c.title)}</span> '
        f'<span class="cqa-loc">{escape(c.location)}</span></div>'
        f'<div class="cqa-origin">{_origin(c)}</div>{evidence}</li>'
    )


def sources_html(answer: Answer | None, turn: int | None = None) -> str:
    """The sources panel for one answer; ``turn`` (1-based) names which one it is."""
    if answer is None:
        return PANEL_PLACEHOLDER
    which = f"answer {turn}" if turn else "this answer"
    head = f'<div class="cqa-for">Sources for {which}: <q>{escape(answer.question)}</q></div>'
    if answer.resolved_question.strip() != answer.question.strip():
        resolved = escape(answer.resolved_question)
        head += f'<div class="cqa-resolved">Understood as: <q>{resolved}</q></div>'
    notices = "".join(f'<div class="cqa-notice">{escape(n)}</div>' for n in answer.notices)
    if answer.abstained:
        related = "".join(citation_html(c) for c in answer.related)
        body = (
            '<div class="cqa-abstain-head">Not found in the sources. '
            + ("Closest passages:" if related else "Nothing related was found.")
            + "</div>"
            + (f'<ol class="cqa-cites cqa-related">{related}</ol>' if related else "")
        )
        return f'<div class="cqa-panel cqa-abstained">{head}{notices}{body}</div>'
    conflict = (
        '<div class="cqa-conflict">The sources disagree; both sides are cited.</div>'
        if answer.conflict
        else ""
    )
    cites = "".join(citation_html(c) for c in answer.citations)
    return (
        f'<div class="cqa-panel cqa-answered">{head}{notices}{conflict}'
        f'<ol class="cqa-cites">{cites}</ol></div>'
    )


LIBRARY_HEADERS = ["Title", "File", "Type", "Chunks", "Indexed"]


def _when(stamp: str) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM' (local time of the stamp), else unchanged."""
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def library_rows(sources: list[SourceInfo]) -> list[list[str | int]]:
    """Rows for the Library table (the table component shows cells as plain text)."""
    return [[s.title, s.path, s.kind, s.chunks, _when(s.indexed_at)] for s in sources]


CSS = """
.cqa-panel { font-size: 0.92rem; line-height: 1.45; }
.cqa-for { font-weight: 600; margin-bottom: 0.5rem; }
.cqa-resolved { font-size: 0.85rem; color: var(--body-text-color-subdued);
  margin: -0.3rem 0 0.5rem; }
.cqa-abstain-mark { display: block; font-weight: 600; color: #9a3412; }
#cqa-chat .message:has(.cqa-abstain-mark) { background: #fff7ed; border-color: #fdba74; }
#cqa-chat .message:has(.cqa-abstain-mark) * { color: #431407; }
.cqa-cites { list-style: none; padding: 0; margin: 0; }
.cqa-cite { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.55rem 0.7rem; margin-bottom: 0.6rem; background: var(--background-fill-primary); }
.cqa-cite-head { font-weight: 600; }
.cqa-num { color: var(--color-accent); margin-right: 0.25rem; }
.cqa-loc { font-weight: 400; color: var(--body-text-color-subdued); margin-left: 0.35rem; }
.cqa-origin { font-size: 0.8rem; color: var(--body-text-color-subdued); margin: 0.15rem 0 0.4rem;
  overflow-wrap: anywhere; }
.cqa-passage { margin: 0; padding: 0.4rem 0.6rem;
  border-left: 3px solid var(--border-color-primary);
  white-space: pre-wrap; overflow-wrap: anywhere; }
.cqa-passage mark { background: #fde68a; color: #1f2937; padding: 0 1px; border-radius: 2px; }
table.cqa-row { border-collapse: collapse; font-size: 0.82rem; width: 100%; }
table.cqa-row th, table.cqa-row td { border: 1px solid var(--border-color-primary);
  padding: 2px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
table.cqa-row th { background: var(--background-fill-secondary); width: 34%; font-weight: 600; }
table.cqa-row td { background: #fef9c3; color: #1f2937; }
.cqa-abstained .cqa-abstain-head { background: #fff7ed; border: 1px solid #fdba74; color: #9a3412;
  border-radius: 8px; padding: 0.45rem 0.7rem; margin-bottom: 0.6rem; font-weight: 600; }
.cqa-abstained .cqa-cite { opacity: 0.85; border-style: dashed; }
.cqa-notice, .cqa-conflict { border-radius: 8px; padding: 0.35rem 0.7rem; margin-bottom: 0.5rem;
  background: #eff6ff; border: 1px solid #93c5fd; color: #1e3a8a; }
.cqa-conflict { background: #fef2f2; border-color: #fca5a5; color: #7f1d1d; }
.cqa-empty { color: var(--body-text-color-subdued); }
"""
