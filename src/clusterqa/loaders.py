"""Loading source files into documents made of located blocks (paragraphs, list items, rows).

Each loader keeps where its text came from (lines, page, table row) so that every citation can
point at the exact place. A file that cannot be read raises ``SourceError`` with the reason; the
build reports it and indexes the rest.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

from .catalog import SourceMeta
from .errors import SourceError
from .models import Locator, SourceKind, TableRow
from .pdf_tables import CAPTION, PdfTable, read_tables

log = logging.getLogger(__name__)

SUPPORTED = {".txt": "text", ".md": "text", ".csv": "table", ".pdf": "pdf", ".html": "html",
             ".htm": "html"}

BlockRole = Literal["heading", "prose", "item", "row"]


@dataclass
class TablePlace:
    """Where a row sits among the tables of its file: the table's number in the file (from 0),
    its name (an HTML caption or section, a Markdown heading, an infobox's subject; empty for a
    CSV, whose title names it) and the row's number in the table (from 1). The fields of a
    key/value box ("Founded | 1984", as in an infobox) are blocks of their own that share one
    row: the box is one row about its subject."""

    no: int
    name: str
    row: int


@dataclass
class Block:
    """A located piece of a document: a heading, a paragraph, a list item or a table row."""

    text: str
    locator: Locator
    role: BlockRole
    table: TableRow | None = None
    url: str | None = None
    line_offsets: list[int] = field(default_factory=list)  # where each line starts in ``text``
    in_table: TablePlace | None = None


@dataclass
class Document:
    path: str
    title: str
    kind: SourceKind
    blocks: list[Block] = field(default_factory=list)
    url: str | None = None
    publisher: str | None = None
    year: int | None = None
    url_columns: set[int] = field(default_factory=set)


def load(path: Path, rel: str, meta: SourceMeta | None = None, max_mb: float = 0) -> Document:
    """Load one supported file; raise ``SourceError`` naming the problem otherwise."""
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise SourceError(f"unsupported file type '{path.suffix}' — use one of "
                          f"{' '.join(sorted(SUPPORTED))}")
    data = path.read_bytes()
    if not data.strip():
        raise SourceError("the file is empty")
    if max_mb and len(data) > max_mb * 2**20:
        raise SourceError(f"the file is {len(data) / 2**20:.3g} MiB, over the "
                          f"{max_mb:g} MiB limit (CLUSTERQA_MAX_FILE_MB)")
    if kind == "pdf":
        doc = _load_pdf(data, rel)
    else:
        text = _decode(data)
        doc = {"text": _load_text, "table": _load_csv, "html": _load_html}[kind](text, rel)
    if not doc.blocks:
        raise SourceError("no readable text in the file")
    meta = meta or SourceMeta()
    doc.title = meta.title or doc.title or _title_from_name(rel)
    doc.url, doc.publisher, doc.year = meta.url, meta.publisher, meta.year
    _render_rows(doc)
    return doc


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise SourceError("it looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"it is not UTF-8 (bad byte at offset {exc.start}) — save it as UTF-8"
        ) from exc


def _title_from_name(rel: str) -> str:
    stem = Path(rel).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else rel


# --- plain text and Markdown -------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[*\-\u2022+]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def _is_heading(line: str, prev_line: str | None, next_line: str | None) -> bool:
    if _MD_HEADING.match(line):
        return True
    s = line.strip()
    # A short line with no sentence-final full stop, after a finished sentence and before a
    # longer line, reads as a heading ("Which Cities Lead the Global Innovation Rankings?");
    # the middle lines of a hard-wrapped paragraph do not follow a finished sentence.
    prev = (prev_line or "").strip()
    return (len(s) <= 100 and not s.endswith((".", ",", ";", ":")) and len(s.split()) <= 14
            and _title_like(s) and not re.search(r"[.!?]\s", s)
            and (not prev or prev.endswith((".", "?", "!", ":", '"', "\u201d")))
            and (next_line is None or not next_line.strip() or len(next_line.strip()) > len(s)))


def _title_like(line: str) -> bool:
    """A question, or most longer words capitalised: how headings look, unlike wrapped prose."""
    if line.endswith(("?", "!")):
        return True
    longer = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", line) if len(w) >= 4]
    return bool(longer) and sum(w[0].isupper() for w in longer) >= 0.6 * len(longer)


# "Q: How big is the park today?" in a transcript: the answer after it is about this.
_QUESTION_TURN = re.compile(r"^(?:\*\*)?(?:Q|Question|Interviewer)(?:\*\*)?\s*[:.]\s*(?:\*\*)?\s*"
                            r"(\S.{0,300}?)\s*$")


_MD_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def _md_cells(line: str) -> list[str]:
    """A pipe-table line's cells, without the outer pipes and the inline marks around words
    (emphasis, code, links); ``\\|`` is a pipe inside a cell."""
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    cells = []
    for cell in re.split(r"(?<!\\)\|", s):
        c = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", cell.replace("\\|", "|"))
        c = re.sub(r"\*\*|__|`", "", c)
        cells.append(re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\1", c).strip())
    return cells


def _md_table(lines: list[str], i: int) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """The pipe table starting at line ``i`` (0-based): its header and its rows with their
    0-based line numbers; None when no header and rule line (``|---|---|``) start there."""
    if i + 1 >= len(lines) or "|" not in lines[i] or "|" not in lines[i + 1]:
        return None
    if not _MD_RULE.match(lines[i + 1]):
        return None
    header = _md_cells(lines[i])
    if len(header) < 2 or len(_md_cells(lines[i + 1])) != len(header):
        return None
    header = [h or f"column {k + 1}" for k, h in enumerate(header)]
    for k, h in enumerate(header):  # a repeated name gets its position, so every cell keeps one
        if header.index(h) != k:
            header[k] = f"{h} ({k + 1})"
    rows = []
    j = i + 2
    while j < len(lines) and lines[j].strip() and "|" in lines[j]:
        cells = (_md_cells(lines[j]) + [""] * len(header))[: len(header)]
        if any(cells):
            rows.append((j, cells))
        j += 1
    return header, rows


def _load_text(text: str, rel: str) -> Document:
    lines = text.splitlines()
    blocks: list[Block] = []
    tables = 0
    inside_until = -1  # lines before this index belong to a pipe table already read
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if para:
            offsets = [0]
            for _, t in para[:-1]:
                offsets.append(offsets[-1] + len(t) + 1)
            blocks.append(Block(" ".join(t for _, t in para),
                                Locator(kind="lines", start=para[0][0], end=para[-1][0]), "prose",
                                line_offsets=offsets))
            para.clear()

    # The next non-blank line after each line, found in one backward pass (looking ahead
    # from every line would make a long file quadratic).
    following: list[str | None] = [None] * len(lines)
    ahead: str | None = None
    for i in range(len(lines) - 1, -1, -1):
        following[i] = ahead
        if lines[i].strip():
            ahead = lines[i]
    for i, line in enumerate(lines):
        no, s = i + 1, line.strip()
        if i < inside_until:
            continue
        if not s:
            flush()
            continue
        grid = _md_table(lines, i)
        if grid is not None:
            flush()
            header, rows = grid
            name = next((b.text for b in reversed(blocks) if b.role == "heading"), "")
            for n, (j, cells) in enumerate(rows, start=1):
                blocks.append(Block("", Locator(kind="lines", start=j + 1, end=j + 1), "row",
                                    table=TableRow(header=header, values=cells),
                                    in_table=TablePlace(tables, name, n)))
            tables += 1
            inside_until = (rows[-1][0] if rows else i + 1) + 1
            continue
        nxt = following[i]
        prev = lines[i - 1] if i else None
        turn = _QUESTION_TURN.match(s)
        if turn:  # an interviewer's question heads the answer that follows it
            flush()
            blocks.append(Block(turn.group(1), Locator(kind="lines", start=no, end=no),
                                "heading"))
        elif _BULLET.match(line):
            flush()
            blocks.append(Block(s, Locator(kind="lines", start=no, end=no), "item"))
        elif _is_heading(line, prev, nxt):
            flush()
            m = _MD_HEADING.match(line)
            blocks.append(Block(m.group(1) if m else s, Locator(kind="lines", start=no, end=no),
                                "heading"))
        else:
            para.append((no, s))
    flush()
    first_heading = next((b.text for b in blocks if b.role == "heading"), "")
    return Document(path=rel, title=first_heading, kind="text", blocks=blocks)


# --- CSV tables ----------------------------------------------------------------------------

def _is_url_column(name: str, values: list[str]) -> bool:
    filled = [v for v in values if v.strip()]
    return "url" in name.lower() or (bool(filled) and all(
        v.strip().lower().startswith(("http://", "https://")) for v in filled))


def humanise(column: str) -> str:
    """Column names as a reader says them: ``rank_2024`` -> ``rank 2024``."""
    return re.sub(r"\s+", " ", column.replace("_", " ")).strip()


def row_text(title: str, number: int, header: list[str], values: list[str],
             skip: set[int]) -> str:
    """A table row as one readable sentence naming its table and columns; empty cells omitted."""
    pairs = enumerate(zip(header, values, strict=True))
    cells = [f"{humanise(h)}: {v.strip()}" for i, (h, v) in pairs if i not in skip and v.strip()]
    text = f"{title}, row {number}: " + "; ".join(cells)
    return text if text.endswith((".", "!", "?")) else text + "."


_ROW_LABEL = re.compile(r", row \d+: ")


def matching_text(text: str) -> str:
    """A row's sentence without its "row N" label: where a row sits is not what it says, and
    "row 12" must not match a question about rank 12."""
    return _ROW_LABEL.sub(": ", text, count=1)


def _load_csv(text: str, rel: str) -> Document:
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:
        raise SourceError(f"malformed CSV: {exc} — fix the quoting") from exc
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise SourceError("the CSV has a header but no rows")
    header = [h.strip() for h in rows[0]]
    if not all(header) or len(set(header)) != len(header):
        raise SourceError("the CSV header has empty or repeated column names — name every column")
    for n, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise SourceError(f"row {n}: {len(row)} fields, header has {len(header)} — fix the "
                              "row or quote the comma")
    url_cols = {i for i, h in enumerate(header) if _is_url_column(h, [r[i] for r in rows[1:]])}
    doc = Document(path=rel, title="", kind="table", url_columns=url_cols)
    doc.blocks = [
        Block(text="", locator=Locator(kind="row", start=n, end=n), role="row",
              table=TableRow(header=header, values=[v.strip() for v in row]),
              url=" ; ".join(row[i].strip() for i in sorted(url_cols) if row[i].strip()) or None,
              in_table=TablePlace(0, "", n))
        for n, row in enumerate(rows[1:], start=1)
    ]
    return doc


def _render_rows(doc: Document) -> None:
    """Write each row's readable sentence once the document's title is known (a table with no
    name of its own is named by it)."""
    for b in doc.blocks:
        if b.table is not None and not b.text and b.in_table is not None:
            b.text = row_text(b.in_table.name or doc.title, b.in_table.row, b.table.header,
                              b.table.values, doc.url_columns)


# --- HTML ----------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6",
               "tr", "br", "blockquote", "pre", "td", "th", "dd", "dt", "header", "footer",
               "main", "nav", "aside", "table", "ul", "ol", "figcaption"}
_HIDDEN_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}


Cell = tuple[bool, str]  # (is a header cell, text)


@dataclass
class _Table:
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)


class _VisibleText(HTMLParser):
    """Collects the text a browser would show: one entry per block element, and each table as
    its rows of cells, so a row's header and values stay together."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str | _Table]] = []  # (tag, text) or ("table", _Table)
        self.title = ""
        self._buf: list[str] = []
        self._tag = "p"
        self._hidden = 0
        self._in_title = False
        self._tables: list[_Table] = []  # open tables, innermost last
        self._cell: bool | None = None  # inside a th (True) or td (False)
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif self._hidden:
            return
        elif tag == "table":
            self._flush()
            self._tables.append(_Table())
        elif self._tables and tag == "tr":
            self._end_cell()
            self._tables[-1].rows.append([])
        elif self._tables and tag in ("th", "td"):
            self._end_cell()
            self._cell = tag == "th"
        elif self._tables and tag == "caption":
            self._in_caption = True
        elif self._tables and self._cell is not None:
            if tag in ("br", "li", "p", "div"):
                self._buf.append(" ")
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._tag = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif self._hidden:
            return
        elif tag == "table" and self._tables:
            self._end_cell()
            table = self._tables.pop()
            if self._tables:  # a nested table: its text joins the enclosing cell
                self._buf.append(" ".join(t for row in table.rows for _, t in row))
            else:
                self.parts.append(("table", table))
        elif self._tables and tag in ("th", "td", "tr"):
            self._end_cell()
        elif self._tables and tag == "caption":
            self._tables[-1].caption = _clean("".join(self._buf))
            self._buf = []
            self._in_caption = False
        elif not self._tables and tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._hidden:
            self._buf.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._tables:
            table = self._tables[-1]
            if not table.rows:
                table.rows.append([])
            table.rows[-1].append((self._cell, _clean("".join(self._buf))))
        self._cell = None
        if not self._in_caption:
            self._buf = []

    def _flush(self) -> None:
        text = _clean("".join(self._buf))
        if text:
            self.parts.append((self._tag, text))
        self._buf = []

    def close(self) -> None:
        super().close()
        while self._tables:
            self.handle_endtag("table")
        self._flush()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _table_blocks(table: _Table, subject: str, first_no: int, table_no: int) -> list[Block]:
    """A table's rows as blocks: a key/value box ("Founded | 1984", as in an infobox) gives one
    block per field, named after its subject, which together make one row; a grid with a header
    row gives rows like a CSV's; anything else is kept as text, one row a line."""
    rows = [r for r in table.rows if any(t for _, t in r)]
    name = table.caption or subject
    blocks: list[Block] = []

    def add(text: str, row: TableRow | None, number: int = 0) -> None:
        n = first_no + len(blocks)
        blocks.append(Block(text, Locator(kind="paragraphs", start=n, end=n),
                            "row" if row else "prose", table=row,
                            in_table=TablePlace(table_no, name, number) if row else None))

    if rows and all(len(r) == 2 and r[0][0] and not r[1][0] for r in rows):
        for (_, key), (_, value) in rows:
            if value:
                add(f"{name}, {key}: {value}.", TableRow(header=[key], values=[value]), 1)
        return blocks
    head = rows[0] if rows and all(is_th for is_th, _ in rows[0]) else None
    header = [t or f"column {i + 1}" for i, (_, t) in enumerate(head or [])]
    for number, row in enumerate(rows[1:] if head else rows, start=1):
        values = [t for _, t in row]
        if head and len(values) == len(header) and len(set(header)) == len(header):
            add(row_text(name, number, header, values, set()),
                TableRow(header=header, values=values), number)
        elif any(values):
            add(" | ".join(v for v in values if v), None)
    return blocks


# "Key facts", "At a glance": a box's heading that names no thing; its fields are the page's.
_GENERIC_HEADING = re.compile(r"^\s*(?:(?:key|quick|main|basic|the)\s+)?(?:facts?(?:\s+and\s+"
                              r"figures)?|figures|at\s+a\s+glance|overview|summary|details|"
                              r"info(?:rmation)?|fact\s*(?:sheet|box|file)|in\s+brief|"
                              r"in\s+numbers|data)\s*:?\s*$", re.IGNORECASE)


def _load_html(text: str, rel: str) -> Document:
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    title = _clean(parser.title)
    first_heading = next((t for tag, t in parser.parts
                          if isinstance(t, str) and tag in ("h1", "h2")), "")
    subject = first_heading or title
    role_of = {"li": "item", **{f"h{i}": "heading" for i in range(1, 7)}}
    blocks: list[Block] = []
    heading = subject
    tables = 0
    for tag, part in parser.parts:
        if isinstance(part, _Table):
            named = subject if _GENERIC_HEADING.match(heading) else heading
            blocks += _table_blocks(part, named, len(blocks) + 1, tables)
            tables += 1
            continue
        n = len(blocks) + 1
        if tag in ("h2", "h3", "h4"):
            heading = part
        blocks.append(Block(part, Locator(kind="paragraphs", start=n, end=n),
                            role_of.get(tag, "prose")))  # type: ignore[arg-type]
    return Document(path=rel, title=title or first_heading, kind="html", blocks=blocks)


# --- PDF -----------------------------------------------------------------------------------

def _load_pdf(data: bytes, rel: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError("the PDF is encrypted — save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        tables = [_pdf_tables(page, text) for page, text in zip(reader.pages, pages, strict=True)]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SourceError(f"unreadable PDF ({exc})") from exc
    doc = Document(path=rel, title=str(meta_title).strip(), kind="pdf")
    running = _running_lines(pages)
    table_no = 0
    for no, (page, found) in enumerate(zip(pages, tables, strict=True), start=1):
        lines = [ln.strip() for ln in page.splitlines()]
        lines = [ln for ln in lines if ln and _shape(ln) not in running]
        blocks: list[Block] = []
        for table in found:  # the text before each table, then its rows
            at = _table_start(lines, table)
            if at is None:
                continue
            head, end = at
            caption = next((ln for ln in reversed(lines[max(0, head - 2):head])
                            if CAPTION.match(ln)), "")
            blocks += _page_blocks(lines[:head], no)
            for number, values in enumerate(table.rows, start=1):
                blocks.append(Block("", Locator(kind="page", start=no, end=no), "row",
                                    table=TableRow(header=table.header, values=values),
                                    in_table=TablePlace(table_no, caption, number)))
            table_no += 1
            lines = lines[end:]
        blocks += _page_blocks(lines, no)
        last = doc.blocks[-1] if doc.blocks else None
        if (blocks and last is not None and last.role == blocks[0].role != "heading"
                and not last.text.endswith(_SENTENCE_END[:3]) and blocks[0].text[:1].islower()):
            # a sentence running over the page break stays whole, cited as both pages
            first = blocks.pop(0)
            last.text = f"{last.text} {first.text}"
            last.locator = Locator(kind="page", start=last.locator.start, end=no)
        doc.blocks += blocks
    return doc


_FIGURE_LINE = re.compile(r"^[-+]?[$\u20ac\u00a3]?\d[\d,.]*\s?%?$")
_NUMBERS_LINE = re.compile(r"(?:\d[\d,.]*%?\s+){2,}\d[\d,.]*%?\s*$")


def _pdf_tables(page: object, text: str) -> list[PdfTable]:
    """The tables of a page whose text has rows of figures (layout text is read only then)."""
    lines = text.splitlines()
    if (sum(bool(_NUMBERS_LINE.search(ln)) for ln in lines) < 2
            and sum(bool(_FIGURE_LINE.match(ln.strip())) for ln in lines) < 6):
        return []  # no rows of figures, nor figures one to a line
    try:
        layout = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - a page pypdf cannot lay out keeps its plain text
        log.warning("PDF page layout unreadable, its tables stay text: %s", exc)
        return []
    return read_tables(layout or "")


def _table_start(lines: list[str], table: PdfTable) -> tuple[int, int] | None:
    """Where a table stands among a page's plain lines: from its header's first line to just
    after its last row; None when its rows are not found as lines."""
    # plain text may give a row as one line or a cell to a line: match word by word
    words: list[str] = []
    line_of: list[int] = []
    for i, ln in enumerate(lines):
        for w in ln.split():
            words.append(w)
            line_of.append(i)

    def find(row: str, start: int) -> int | None:
        want = row.split()
        for k in range(start, len(words) - len(want) + 1):
            if words[k:k + len(want)] == want and (k == 0 or line_of[k - 1] != line_of[k]):
                return k
        return None

    first = find(table.row_lines[0], 0)
    last = find(table.row_lines[-1], first) if first is not None else None
    if first is None or last is None:
        return None
    end = line_of[last + len(table.row_lines[-1].split()) - 1] + 1
    if end < len(lines) and line_of.count(end - 1) and lines[end - 1].split()[-1] != \
            table.row_lines[-1].split()[-1]:
        return None  # the last row runs on into other text on its line
    head = line_of[first]
    while head > 0 and set(lines[head - 1].split()) <= table.header_words:
        head -= 1
    return head, end


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(pages: list[str]) -> set[str]:
    """Page headers and footers ("Annual report 2025 - page 3"): lines, digits aside, that
    stand on most pages. They would otherwise land in the middle of sentences."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        for shape in {_shape(ln) for ln in page.splitlines() if ln.strip()}:
            counts[shape] = counts.get(shape, 0) + 1
    return {shape for shape, n in counts.items() if n >= max(3, len(pages) // 2)}


_NUMBERED_TITLE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?=[A-Z])")
_SENTENCE_END = (".", "?", "!", ":", ";", '"', "\u201d", ")")


def _pdf_heading(line: str, prev: str | None) -> bool:
    """A short line with no closing punctuation, standing after a finished sentence (or on
    its own): "Executive summary", "4. Brenholt Materials Campus"."""
    title = _NUMBERED_TITLE.sub("", line)
    return (len(title.split()) <= 8 and len(line) <= 70 and title[:1].isupper()
            and not line.endswith((".", ",", ";", ":", "-"))
            and (prev is None or prev.endswith(_SENTENCE_END)))


def _page_blocks(lines: list[str], page: int) -> list[Block]:
    """A PDF page's lines as headings, list items and paragraphs. PDF text is hard-wrapped:
    a line joins the block before it unless it starts a heading or a list item, and an item
    runs on over the lines that continue its sentence."""
    blocks: list[Block] = []
    current: list[str] = []
    role: BlockRole = "prose"

    def flush() -> None:
        if current:
            text = current[0]
            for ln in current[1:]:
                text = text[:-1] + ln if text.endswith("-") and text[-2:-1].isalpha() \
                    and ln[:1].islower() else f"{text} {ln}"
            blocks.append(Block(text, Locator(kind="page", start=page, end=page), role))
            current.clear()

    prev: str | None = None
    for line in lines:
        if _BULLET.match(line) and not (_NUMBERED_TITLE.match(line)
                                        and _pdf_heading(line, prev)):
            flush()
            role = "item"
            current.append(line)
        elif _pdf_heading(line, prev):
            flush()
            blocks.append(Block(line, Locator(kind="page", start=page, end=page), "heading"))
            role = "prose"
        elif role == "item" and prev is not None and prev.endswith(_SENTENCE_END[:3]):
            flush()  # the item's sentence ended: what follows is prose again
            role = "prose"
            current.append(line)
        else:
            current.append(line)
        prev = line
    flush()
    return blocks


def iter_corpus(corpus_dir: Path) -> Iterator[tuple[Path, str]]:
    """Files under the corpus folder (sorted, hidden files and the catalog left out)."""
    from .catalog import CATALOG_NAME

    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir).as_posix()
        if (path.is_file() and not any(p.startswith(".") for p in Path(rel).parts)
                and rel != CATALOG_NAME):
            yield path, rel
