"""Tables inside PDF pages, read from pypdf's layout text.

Plain PDF text runs a table's header into one line ("Year Clusters active Participating
firms…") and loses its columns. The layout text keeps each cell where it stands on the page, so
a table shows as a run of lines whose cells, parted by two or more spaces, line up: its rows. The
lines just above give the header, each piece under the column it stands over. What cannot be
read that way (a table of words, cells that do not line up) stays as text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

_CELL = re.compile(r"\S+(?: \S+)*")  # cells are parted by two or more spaces
_FIGURE = re.compile(r"^(?:[-\u2013\u2014]|[-+]?[$\u20ac\u00a3]?\s?\d[\d,.]*\s?(?:%|m|bn|k)?)$")
CAPTION = re.compile(r"^(?:table|figure|exhibit|chart)\s+\d+\s*[:.\u2013\u2014-]",
                     re.IGNORECASE)
_WORD_START = re.compile(r"(?<=[a-z)\u00b2])(?=[A-Z])")  # two headers run together
MIN_ROWS = 2
MIN_COLUMNS = 3
MAX_HEADER_LINES = 4


@dataclass
class PdfTable:
    """A table found on a page: its header and rows, and its lines as plain text reads them
    (the data rows with single spaces; the header's words), to take them out of the text."""

    header: list[str]
    rows: list[list[str]]
    row_lines: list[str]
    header_words: set[str]


def _cells(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _CELL.finditer(line)]


def _is_data(cells: list[tuple[int, int, str]]) -> bool:
    """A row of figures: three cells or more, most of them numbers (its first may be a label)."""
    if len(cells) < MIN_COLUMNS:
        return False
    figures = sum(bool(_FIGURE.match(text)) for _, _, text in cells[1:])
    return figures >= max(2, (len(cells) - 1) * 2 // 3)


def _header(lines: list[str], centres: list[float]) -> tuple[list[str], set[str]]:
    """The header over the columns: each piece of the lines above goes to the column whose
    centre is nearest; a piece over two columns ("(€ m)Target yield") is split where a new
    word starts."""
    parts: list[list[str]] = [[] for _ in centres]
    words: set[str] = set()
    for line in lines:
        for start, end, text in _cells(line):
            words.update(w for part in re.split(_WORD_START, text) for w in part.split())
            covered = [j for j, c in enumerate(centres) if start - 1 <= c <= end + 1]
            pieces = re.split(_WORD_START, text) if len(covered) >= 2 else [text]
            if len(pieces) == len(covered) >= 2:
                for j, piece in zip(covered, pieces, strict=True):
                    parts[j].append(piece)
                continue
            middle = (start + end) / 2
            j = min(range(len(centres)), key=lambda k: abs(centres[k] - middle))
            parts[j].append(text)
    for j in range(1, len(parts)):  # "(€ m)Target yield" over two columns, one left bare
        if not parts[j] and parts[j - 1]:
            pieces = re.split(_WORD_START, parts[j - 1][-1])
            if len(pieces) == 2:
                parts[j - 1][-1], parts[j] = pieces[0], [pieces[1]]
    header = [" ".join(p).strip() or f"column {j + 1}" for j, p in enumerate(parts)]
    return header, words


def read_tables(layout: str) -> list[PdfTable]:
    """The tables of one page's layout text."""
    lines = layout.splitlines()
    tables: list[PdfTable] = []
    i = 0
    while i < len(lines):
        cells = _cells(lines[i])
        if not _is_data(cells):
            i += 1
            continue
        width, block, j = len(cells), [i], i + 1
        while j < len(lines):
            if not lines[j].strip():
                j += 1
                continue
            more = _cells(lines[j])
            if len(more) != width or not (_is_data(more) or _FIGURE.match(more[-1][2])):
                break
            block.append(j)
            j += 1
        if len(block) < MIN_ROWS:
            i += 1
            continue
        rows = [[text for _, _, text in _cells(lines[k])] for k in block]
        centres = [statistics.median((s + e) / 2 for s, e, _ in
                                     (_cells(lines[k])[c] for k in block)) for c in range(width)]
        above: list[str] = []
        k = block[0] - 1
        while k >= 0 and len(above) < MAX_HEADER_LINES:
            text = lines[k].strip()
            if text:
                if CAPTION.match(text) or (len(_cells(lines[k])) == 1 and text.endswith(".")):
                    break
                above.insert(0, lines[k])
            elif above:
                break
            k -= 1
        if not above:
            i = j
            continue
        header, words = _header(above, centres)
        tables.append(PdfTable(header, rows, [" ".join(r) for r in rows], words))
        i = j
    return tables
