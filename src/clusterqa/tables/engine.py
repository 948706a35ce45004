"""Every table of the index read into SQLite, typed, with its years made explicit.

Each table keeps its own typed SQLite table (``t0``, ``t1``, …: numbers as REAL, empty cells as
NULL, never 0) and also feeds one long view, ``facts``: one line per (thing, measure, year) —
"Seoul, rank, 2024 → 4", cited by table and row. Wide headers ("rank 2024", "2024 rank") and long
layouts (a "year" column beside "rank") both land in that one shape, so a question about a year
does not care how the table spelled it.

SQLite rather than DuckDB: the tables are small (hundreds of rows), an in-memory database is
built in milliseconds when an index generation loads, it ships with Python, and it adds no
dependency or start-up cost to an answer.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from ..models import Locator, TableRow
from ..store import IndexData, StoredSentence
from ..textnorm import fold

# A year in a header, with its fiscal-year mark ("FY2021 budget", "budget FY 2020").
YEAR_IN_HEADER = re.compile(r"(?:\b[Ff][Yy] ?'?)?(?<![0-9])((?:19|20)\d\d)(?![0-9])")
# A span of years ("spin-offs 2019-2021") is a period the column covers, not its year.
YEAR_RANGE = re.compile(
    r"(?<![0-9])(?:19|20)\d\d ?[-\u2013/] ?(?:[Ff][Yy] ?)?(?:(?:19|20)\d\d|\d\d)(?![0-9])"
)
# A season or fiscal year across two calendar years ("2023/24", "2023-24", "2023/2024"):
# read as the year it starts in. "2019-2021" and "2023-2024" stay periods (a dash with four
# digits can be either).
SEASON = re.compile(r"(?<![0-9])((?:19|20)\d\d) ?(?:[-\u2013/] ?(\d\d)|/ ?((?:19|20)\d\d))"
                    r"(?![0-9])")


def season_year(text: str, whole: bool = False) -> int | None:
    """The year a season named in ``text`` starts in ("2023/24" → 2023); None when there is
    none, or it spans more than one year ("2019/21"). ``whole``: the text is the season."""
    m = SEASON.fullmatch(text.strip()) if whole else SEASON.search(text)
    if m is None:
        return None
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else int(m.group(3) or 0) % 100
    return start if end == (start + 1) % 100 else None


_NUMBER = re.compile(
    r"^(?P<pre>[^\d\s+\-\u2212.,]{0,4}\.?)\s*(?P<sign>[-+\u2212]?)\s*"
    r"(?P<num>\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>%|[^\d]{0,14}[23]?)$"
)
# Multipliers written after money ("€4.9bn", "$450m"): values are kept in plain units.
_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
}
_WORDY_SCALE = {"thousand", "million", "billion", "mn", "bn"}
# Area units converted to one another so a column mixing them compares right.
AREA = {"km2": 1.0, "km\u00b2": 1.0, "ha": 0.01, "m2": 1e-6, "m\u00b2": 1e-6, "sq km": 1.0}
_YEAR_HEADERS = {"year", "years", "yr", "edition", "period", "season", "round", "campaign",
                 "cycle", "vintage"}
# The key column of a key/value box (an infobox): the one row is about the box's subject.
BOX_KEY = "subject"
_STOP_HEADER = {"of", "in", "the", "as", "a", "an", "and", "for", "by", "at", "to", "on"}


def parse_number(cell: str) -> tuple[float, str] | None:
    """A cell read as a number and its unit: ``"63,447"`` → (63447, ""), ``"1.5 %"`` →
    (1.5, "%"), ``"€2.3bn"`` → (2.3e9, "€"), ``"3.2 km²"`` → (3.2, "km²"); None when the
    cell is not a figure."""
    text = fold(cell.strip())
    if not text:
        return None
    m = _NUMBER.match(text)
    if not m:
        return None
    value = float(re.sub(r"[,\u202f\u00a0 ]", "", m.group("num")))
    if m.group("sign") in ("-", "\u2212"):
        value = -value
    pre, unit = m.group("pre").strip(), m.group("unit").strip(" .")
    if pre and (any(c.isdigit() for c in pre) or (pre.isalpha() and not re.match(r"^\S+\s", text))):
        return None  # "F01" is a code; "DKK 260m" and "€4.9bn" are money
    if unit in _SCALE and (pre or unit in _WORDY_SCALE):
        value *= _SCALE[unit]
        unit = ""
    return value, " ".join(p for p in (pre, unit) if p)


# Currency codes as cells write them before an amount ("SEK 142m"), folded to lower case.
CURRENCY_CODES = set(
    "eur usd gbp jpy cny rmb inr krw chf sek nok dkk pln czk huf ron bgn brl mxn cad aud nzd zar "
    "ngn kes try thb myr sgd hkd twd idr php vnd ils aed sar qar egp cop clp ars pen rub uah isk"
    .split())
_CURRENCY_SIGNS = set("€$£¥₹₩₺₽₪₦") | {"zl", "zł", "kc", "kč", "us$", "r$", "a$", "c$", "hk$"}


def money_or_plain(value: float, unit: str) -> str:
    """A computed figure in its column's unit: "€3.16bn", "$450m", "£0.7m", "5.6%", "1,240"."""
    money = unit in CURRENCY_CODES or unit in _CURRENCY_SIGNS
    if unit in CURRENCY_CODES:
        unit = unit.upper()  # a currency code, folded when the cell was read ("SEK 142m")
    if (money and abs(value) >= 1e5) or (unit and unit not in AREA and unit != "%"
                                         and abs(value) >= 1e6):
        for size, word in ((1e9, "bn"), (1e6, "m")):
            if abs(value) >= size or word == "m":
                num = f"{value / size:,.2f}".rstrip("0").rstrip(".")
                return f"{unit}{num}{word}" if len(unit) <= 2 else f"{unit} {num}{word}"
    num = (
        f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    )
    if not unit:
        return num
    return num + unit if unit == "%" else f"{num} {unit}" if unit in AREA else f"{unit}{num}"


def header_words(text: str) -> list[str]:
    """A header as lower-case words without its year: ``rank_2024`` → ["rank"]."""
    text = YEAR_IN_HEADER.sub(" ", YEAR_RANGE.sub(" ", fold(text)))
    return [w for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP_HEADER]


@dataclass
class Column:
    """One column as the engine understands it."""

    index: int
    header: str
    base: str  # the header without its year, in words: "rank", "pct applications"
    year: int | None  # the year the header names ("rank_2024" → 2024)
    kind: str  # "number", "text", "url" or "year"
    unit: str = ""
    derived: bool = False  # a year worked out from the header ("previous rank" → last year)


@dataclass
class Place:
    """Where a row of the engine stands in its file, to cite it: the passage to open (a CSV
    row, the lines of a Markdown row, the paragraphs of an HTML row or box), its text, its
    link."""

    locator: Locator
    text: str
    url: str | None = None


@dataclass
class Table:
    """A table of the index: where it is, its columns, its rows (row number → cells)."""

    id: int
    source: str
    title: str  # the file's title
    header: list[str]
    columns: list[Column]
    rows: dict[int, list[str]]
    key: int | None = None  # the column naming what each row is about ("cluster")
    year_col: int | None = None  # a long layout's year column
    default_year: int | None = None  # the year of columns whose header names none
    url: str | None = None
    caption: str = ""  # the table's own name inside a document (caption, section, subject)
    places: dict[int, Place] = field(default_factory=dict)  # row number → where it is
    name_col: int | None = None  # a column of names beside a key of codes ("Recipient")

    @property
    def kind(self) -> str:
        """What a row is: the key column's header ("cluster", "economy")."""
        return " ".join(header_words(self.header[self.key])) if self.key is not None else ""

    def row(self, number: int) -> TableRow:
        return TableRow(header=self.header, values=self.rows[number])


@dataclass
class Fact:
    """One value of the long view, with the row that holds it."""

    kind: str
    key: str
    measure: str
    year: int | None
    num: float | None
    text: str
    table: int
    row: int
    unit: str = ""
    col: int = 0


@dataclass
class Engine:
    """The tables of one index generation and the SQLite database holding them."""

    tables: list[Table]
    db: sqlite3.Connection
    measures: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, base) → type
    units: dict[tuple[str, str], str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # base → the header as people read it
    seasons: dict[str, dict[int, str]] = field(default_factory=dict)  # kind → year → "2023/24"

    def say_names(self, text: str) -> str:
        """A text's rows keyed by a code ("VG-24-013 ⟦VG-24-013⟧") said with the name their
        row gives beside it ("VG-24-013 (Greldt Weave)"), as a reader knows them."""
        for t in self.tables:
            if t.name_col is None or t.key is None:
                continue
            for values in t.rows.values():
                key, name = values[t.key].strip(), values[t.name_col].strip()
                if key and name:
                    text = text.replace(f"{key} \u27e6{key}\u27e7",
                                        f"{key} ({name}) \u27e6{key}\u27e7", 1)
        return text

    def say_seasons(self, kind: str, text: str) -> str:
        """A text's years as the kind's tables write them when those are seasons ("2023" →
        "2023/24"), so an answer names the season the reader asked about."""
        named = self.seasons.get(kind)
        if not named:
            return text
        return re.sub(r"(?<![\d/\-.,])((?:19|20)\d\d)(?![\d/]|[-\u2013]\d\d\b)",
                      lambda m: named.get(int(m.group(1)), m.group(1)), text)

    def label(self, measure: str) -> str:
        return self.labels.get(measure, measure)

    def facts(self, sql: str, args: tuple[object, ...] = ()) -> list[Fact]:
        """Rows of the long view selected by a WHERE clause."""
        cur = self.db.execute(
            "SELECT kind, key, measure, year, num, text, tbl, row, unit, col FROM facts "
            f"WHERE {sql} ORDER BY tbl, row",
            args,
        )
        return [Fact(*r) for r in cur.fetchall()]

    def kinds(self) -> list[str]:
        return sorted({t.kind for t in self.tables if t.kind})

    def keys(self, kind: str) -> list[str]:
        cur = self.db.execute("SELECT DISTINCT key FROM facts WHERE kind = ? ORDER BY key", (kind,))
        return [r[0] for r in cur.fetchall()]

    def years(self, kind: str, measure: str) -> list[int]:
        cur = self.db.execute(
            "SELECT DISTINCT year FROM facts WHERE kind = ? AND measure = ? AND year IS NOT NULL "
            "AND (num IS NOT NULL OR text != '') ORDER BY year",
            (kind, measure),
        )
        return [r[0] for r in cur.fetchall()]

    def table(self, tid: int) -> Table:
        return self.tables[tid]


def label(header: str) -> str:
    """A header as a reader says it, without its year: ``rank_2024`` → ``rank``."""
    if season_year(header) is not None:  # "points 2023/24": the season is the column's year
        header = SEASON.sub(" ", header)
    text = header if YEAR_RANGE.search(header) else YEAR_IN_HEADER.sub(" ", header)
    text = text.replace("_", " ")
    text = re.sub(r"\(\s*\)", " ", text)  # a year that stood alone in brackets
    text = re.sub(r"\(\s*(\w+)\s+\)", r"(\1)", text)  # "(end 2024)" → "(end)"
    text = re.sub(r"\s+", " ", text).strip(" -:")
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _column_kind(header: str, values: list[str]) -> tuple[str, str]:
    filled = [v for v in values if v.strip()]
    if "url" in fold(header) or (
        filled and all(v.strip().lower().startswith(("http://", "https://")) for v in filled)
    ):
        return "url", ""
    if not filled:  # an empty column holds unknown figures, not text
        return "number", ""
    words = set(header_words(header))
    if words & _YEAR_HEADERS and all(season_year(v, whole=True) for v in filled):
        return "year", ""  # a column of seasons ("2023/24") in a long layout
    parsed = [parse_number(v) for v in filled]
    numbers = [p for p in parsed if p is not None]
    if len(numbers) >= 0.8 * len(filled):
        if words & _YEAR_HEADERS and all(
            p[0].is_integer() and 1900 <= p[0] <= 2100 for p in numbers
        ):
            return "year", ""
        units = Counter(p[1] for p in numbers)
        return "number", units.most_common(1)[0][0]
    return "text", ""


def _is_name(value: str) -> bool:
    v = value.strip()
    return (
        2 <= len(v) <= 60 and sum(c.isalpha() for c in v) >= 2 and not v.lower().startswith("http")
    )


def _pick_key(
    columns: list[Column], rows: dict[int, list[str]], year_col: int | None
) -> int | None:
    """The column naming what a row is about: filled, name-like and distinct (within a year
    in long layouts); the leftmost such column when several qualify."""
    best: tuple[float, int] | None = None
    for c in columns:
        if c.kind != "text":
            continue
        values = [r[c.index].strip() for r in rows.values()]
        filled = [v for v in values if v]
        if len(filled) < 0.9 * len(values) or not all(map(_is_name, filled)):
            continue
        if sum(len(v) for v in filled) / len(filled) > 40:  # sentences, not names
            continue
        scoped = [
            (r[year_col] if year_col is not None else "", r[c.index].strip())
            for r in rows.values()
            if r[c.index].strip()
        ]
        distinct = len(set(scoped)) / len(scoped)
        if distinct >= 0.9 and (best is None or distinct > best[0] + 0.05):
            best = (distinct, c.index)
    return best[1] if best else None


def _title_year(title: str, source: str) -> int | None:
    years = set(YEAR_IN_HEADER.findall(title)) | set(YEAR_IN_HEADER.findall(source))
    return int(years.pop()) if len(years) == 1 else None


def read_table(
    tid: int,
    source: str,
    title: str,
    header: list[str],
    rows: dict[int, list[str]],
    url: str | None = None,
    caption: str = "",
) -> Table:
    """One table's columns typed, its key and year layout found."""
    columns = []
    for i, h in enumerate(header):
        kind, unit = _column_kind(h, [r[i] if i < len(r) else "" for r in rows.values()])
        y = None if YEAR_RANGE.search(h) else YEAR_IN_HEADER.search(h)
        year = season_year(h) if YEAR_RANGE.search(h) else int(y.group(1)) if y else None
        columns.append(
            Column(
                i,
                h,
                " ".join(header_words(h)) or fold(h),
                year if kind != "year" else None,
                kind,
                unit,
            )
        )
    year_col = next((c.index for c in columns if c.kind == "year"), None)
    header_years = [c.year for c in columns if c.year is not None]
    default = (
        _title_year(caption, "")
        or _title_year(title, source)
        or (max(header_years) if header_years else None)
    )
    bases = {c.base for c in columns}
    for c in columns:  # "previous rank" beside "rank 2023" is the 2022 rank
        words = c.base.split()
        if (
            len(words) >= 2
            and words[0] in ("previous", "prior", "last")
            and words[1] in bases
            and c.year is None
            and default is not None
            and c.kind == "number"
        ):
            c.base, c.year = words[1], (max(header_years) if header_years else default) - 1
            c.derived = True
    table = Table(
        tid,
        source,
        title,
        header,
        columns,
        rows,
        year_col=year_col,
        default_year=default if year_col is None else None,
        url=url,
        caption=caption,
    )
    table.key = _pick_key(columns, rows, year_col)
    table.name_col = _name_beside(columns, rows, table.key)
    return table


_CODE = re.compile(r"[A-Za-z]{0,6}[-/.]?\d[\w/.-]*")


def _name_beside(columns: list[Column], rows: dict[int, list[str]], key: int | None
                 ) -> int | None:
    """A column of distinct names beside a key column of codes ("VG-24-001" and
    "Recipient"): what a reader calls each row."""
    if key is None or not rows or not all(
            _CODE.fullmatch(r[key].strip()) for r in rows.values() if r[key].strip()):
        return None
    for c in columns:
        values = [r[c.index].strip() for r in rows.values()]
        if c.index == key or c.kind != "text" or not all(values):
            continue
        if all(_is_name(v) and not _CODE.fullmatch(v) for v in values) and len(set(values)) == len(
                values):
            return c.index
    return None


def build_engine(data: IndexData) -> Engine:
    """The engine for a loaded index: every table the index holds (a CSV file, a table inside
    an HTML or Markdown file, an infobox as one row about its subject)."""
    grouped: dict[tuple[str, int], dict[int, list[StoredSentence]]] = {}
    for s in data.sentences:
        if s.table is None or s.role != "row" or s.locator.kind == "page":
            # a PDF's table is read by the prose reader; computed over, a yearless table in
            # a dated memo would stand for the memo's year beside a CSV of the same things
            continue
        where = s.in_table
        if where is None and s.locator.kind != "row":
            continue
        no, row = (where.no, where.row) if where else (0, s.locator.start)
        grouped.setdefault((s.source, no), {}).setdefault(row, []).append(s)
    tables: list[Table] = []
    for (source, _no), rows in grouped.items():
        entry = data.manifest.files.get(source)
        first = next(iter(rows.values()))[0]
        caption = first.in_table.name if first.in_table else ""
        if caption and set(rows) == {1} and all(len(s.table.header) == 1 for s in rows[1]
                                                if s.table):
            header, cells, places = _box(caption, rows[1])
        else:
            header = first.table.header if first.table else []
            width = len(header)
            cells = {n: (parts[0].table.values + [""] * width)[:width]
                     for n, parts in sorted(rows.items()) if parts[0].table}
            places = {n: Place(parts[0].locator, parts[0].text, parts[0].url)
                      for n, parts in rows.items()}
        table = read_table(len(tables), source, entry.title if entry else source, header,
                           cells, entry.url if entry else None, caption)
        table.places = places
        if header[:1] == [BOX_KEY] and len(cells) == 1:
            table.key = 0  # a box is about its subject, however long the name
        tables.append(table)
    return load_sqlite(tables)


def _box(
    subject: str, fields: list[StoredSentence]
) -> tuple[list[str], dict[int, list[str]], dict[int, Place]]:
    """A key/value box as one row keyed by its subject; cited as the box's paragraphs."""
    header, values = [BOX_KEY], [subject]
    for s in fields:
        assert s.table is not None
        if s.table.header[0] not in header:
            header.append(s.table.header[0])
            values.append(s.table.values[0])
    start = min(s.locator.start for s in fields)
    end = max(s.locator.end for s in fields)
    kind = fields[0].locator.kind
    place = Place(Locator(kind=kind, start=start, end=end), " ".join(s.text for s in fields))
    return header, {1: values}, {1: place}


def load_sqlite(tables: list[Table]) -> Engine:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE TABLE facts (kind TEXT, key TEXT, measure TEXT, year INTEGER, num REAL, "
        "text TEXT, tbl INTEGER, row INTEGER, unit TEXT, col INTEGER)"
    )
    engine = Engine(tables, db)
    for t in tables:
        cols = ", ".join(
            f'"c{c.index}" {"REAL" if c.kind in ("number", "year") else "TEXT"}' for c in t.columns
        )
        db.execute(f'CREATE TABLE "t{t.id}" (row INTEGER PRIMARY KEY, {cols})')
        for n, values in t.rows.items():
            cells = [_typed(c, values[c.index]) for c in t.columns]
            db.execute(
                f'INSERT INTO "t{t.id}" VALUES ({", ".join("?" * (len(cells) + 1))})', (n, *cells)
            )
        if t.key is not None:
            _long_view(engine, t)
    db.execute("CREATE INDEX facts_kmy ON facts (kind, measure, year)")
    db.execute("CREATE INDEX facts_key ON facts (key)")
    db.commit()
    return engine


def _typed(column: Column, cell: str) -> float | str | None:
    if not cell.strip():
        return None
    if column.kind in ("number", "year"):
        parsed = parse_number(cell)
        if parsed is None and column.kind == "year":
            return season_year(cell, whole=True)
        return parsed[0] if parsed else None
    return cell.strip()


_SIGN_CODES = {"€": "eur", "$": "usd", "£": "gbp", "¥": "jpy", "₹": "inr", "₩": "krw"}
_SCALED_CELL = re.compile(r"\d\s*(k|m|mn|mio|bn|b|thousand|million|billion)\.?$", re.I)


def _in_header_unit(column: Column, cell: str, num: float, unit: str) -> tuple[float, str]:
    """A cell that writes out the unit its header already gives ("€51.7m" under "R&D spend
    (EUR m)", "93.5%" under "occupancy (%)"): its figure in the column's own terms, so it
    adds up and compares with the cells that leave the unit to the header."""
    words = set(re.findall(r"[a-z]+|%|[€$£¥₹₩]", fold(column.header).lower()))
    if unit == "%":
        return (num, column.unit) if words & {"%", "percent", "pct"} else (num, unit)
    code = _SIGN_CODES.get(unit, unit.lower())
    if code not in CURRENCY_CODES or not ({code} | {s for s, c in _SIGN_CODES.items()
                                                    if c == code}) & words:
        return num, unit
    scale = next((_SCALE[w] for w in ("k", "thousand", "m", "mn", "mio", "million", "bn",
                                      "billion") if w in words), 1.0)
    return (num / scale if _SCALED_CELL.search(fold(cell)) else num), column.unit


def _long_view(engine: Engine, t: Table) -> None:
    assert t.key is not None
    kind = t.kind
    lines = []
    for n, values in t.rows.items():
        key = values[t.key].strip()
        if not key:
            continue
        row_year = None
        if t.year_col is not None:
            parsed = parse_number(values[t.year_col])
            row_year = int(parsed[0]) if parsed else season_year(values[t.year_col], whole=True)
            if parsed is None and row_year is not None:
                engine.seasons.setdefault(kind, {})[row_year] = values[t.year_col].strip()
        for c in t.columns:
            if c.index in (t.key, t.year_col) or c.kind == "url":
                continue
            year = c.year or row_year or t.default_year
            season = SEASON.search(c.header) if c.year and not c.derived else None
            if season and c.year is not None and season_year(season.group(0)) == c.year:
                engine.seasons.setdefault(kind, {})[c.year] = season.group(0)
            cell = values[c.index].strip()
            num, unit = None, ""
            if c.kind == "number":
                parsed = parse_number(cell)
                num, unit = parsed if parsed else (None, "")
                if unit in AREA and c.unit in AREA and unit != c.unit and num is not None:
                    num, unit = num * AREA[unit] / AREA[c.unit], c.unit
                elif num is not None and unit and unit != c.unit:
                    num, unit = _in_header_unit(c, cell, num, unit)
            engine.measures.setdefault((kind, c.base), c.kind)
            engine.labels.setdefault(c.base, label(c.header))
            if c.unit:
                engine.units.setdefault((kind, c.base), c.unit)
            lines.append((kind, key, c.base, year, num, cell, t.id, n, unit, c.index))
    engine.db.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
