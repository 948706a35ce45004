"""Table rows said as a person would say them.

A cited row is evidence; the answer that quotes it should read as a sentence: the statement a
fact row holds ("Wuhan is 13th worldwide in 2024…"), or the thing named with the values asked
about ("Munich's rank in 2024 is 22."). The citation still carries the whole row.
"""

from __future__ import annotations

import re

from .loaders import humanise
from .models import TableRow
from .synonyms import alternatives
from .textnorm import is_year, numbers, ordinal, terms


def _statement(row: TableRow) -> str | None:
    """A cell that is itself a sentence (a fact table's "statement" column)."""
    for v in row.values:
        v = v.strip()
        if len(v.split()) >= 5 and v.endswith((".", "!", "?")) and not v.startswith("http"):
            return v
    return None


def _header_phrase(header: str) -> str:
    """``rank_2024`` -> "rank in 2024"; other headers as words."""
    h = humanise(header)
    if re.search(r"\([^()]*\b(?:19|20)\d\d\b[^()]*\)", h):
        return h  # a year inside brackets qualifies the column ("tenant companies (end 2024)")
    m = re.fullmatch(r"(.*?)\s*\b((?:19|20)\d\d)\b\s*(.*)", h)
    if m and (m.group(1) or m.group(3)):
        rest = " ".join(p for p in (m.group(1), m.group(3)) if p)
        return f"{rest} in {m.group(2)}"
    return h


ROW_YEAR = re.compile(r"\b(?:year|edition)\b")  # the column that dates a row
# A header that is one past-tense verb ("Opened", "Founded", "Joined") over a date
EVENT_HEADER = re.compile(r"[A-Za-z]+ed")
_DATED = re.compile(r"\b(?:19|20)\d\d\b")
_UNIT = re.compile(r"^(.*\S)\s*\(([^()\d]{1,10})\)$")  # "Site area (ha)", "Funding (€ m)"
_RANK_HEADER = re.compile(r"^(?:\w+ )?(?:rank|ranking|position|place)\b", re.IGNORECASE)
_MONEY_UNIT = re.compile(r"([€$£¥]|[A-Z]{3})\s*(k|m|bn|million|billion)?", re.IGNORECASE)


def _said(header: str, value: str) -> str:
    """A cell as a sentence says it: the header's unit after the value ("site area is 6.2 ha",
    "funding is €6.9m", "occupancy is 71%"), a capitalised header word in lower case."""
    value = value.strip()
    phrase = _header_phrase(header)
    m = _UNIT.match(humanise(header).strip())
    if m and re.fullmatch(r"-?[\d.,]+", value):
        phrase, unit = _header_phrase(m.group(1)), m.group(2).strip()
        money = _MONEY_UNIT.fullmatch(unit)
        if unit == "%":
            value = f"{value}%"
        elif money and not money.group(1).isalpha():
            value = f"{money.group(1)}{value}{money.group(2) or ''}"
        elif money:
            value = f"{money.group(1).upper()} {value}{money.group(2) or ''}"
        else:
            value = f"{value} {unit}"
    if _RANK_HEADER.search(phrase) and re.fullmatch(r"\d{1,4}", value):
        value = ordinal(int(value))  # "rank in 2024 is 4th"
    if is_year(phrase):  # a column named by its year alone
        phrase = f"the figure for {phrase}"
    first = phrase.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        phrase = phrase[:1].lower() + phrase[1:]
    return f"{phrase} is {value}"


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://", "www."))


def focus_cells(row: TableRow, question_terms: set[str], years: set[str],
                skip: set[int], names: frozenset[str] = frozenset()) -> list[int]:
    """The cells the question is about: those whose header or value shares its words, or that
    stand under a year it asks about; never the skipped (name) columns or links. A value
    sharing only the name asked about ("Orla Blue Biotech Cluster" for "Orla Peninsula") is
    not asked about."""
    named, dated = [], []
    # a column named by another word for the same thing counts ("patent filings" and
    # "PCT applications")
    question_terms = question_terms | {a for t in question_terms for a in alternatives(t)}
    value_terms = question_terms - names
    for i, (h, v) in enumerate(zip(row.header, row.values, strict=True)):
        v = v.strip()
        if i in skip or not v or _is_url(v) or (is_year(v) and ROW_YEAR.search(h.lower())):
            continue  # the row's own year is said apart; "Opened: 2009" is a fact
        head = set(terms(h)) - {n for n in numbers(h) if is_year(n)}
        year_cols = {n for n in numbers(h) if is_year(n)}
        if year_cols and years and not (year_cols & years):
            continue
        if head & question_terms or set(terms(v)) & value_terms:
            named.append(i)
        elif year_cols & years:
            dated.append(i)
    # the columns the question names come first: a sentence cut short keeps them ("public
    # funding 2024" before the other 2024 columns)
    return named + dated


# A header that is itself a question ("Who", "What", "By when") heads an actions table; it
# reads as a label, not as a noun ("H. Balsdon's What is…").
_ASKING_HEADER = re.compile(r"(?:(?:by|until|till|from|since)\s+)?(?:who|whom|what|when|where|"
                            r"why|how|which)\b.*", re.IGNORECASE)


def row_sentence(row: TableRow, subject: str | None, question_terms: set[str],
                 years: set[str], name_columns: set[int], limit: int = 4,
                 typed: frozenset[int] = frozenset(), names: frozenset[str] = frozenset()
                 ) -> str | None:
    """The row as one sentence about ``subject`` with the cells asked about (and the ``typed``
    cells, which hold the kind of answer asked for: a deadline's date); None when the question
    names none of its cells (the caller then shows the row as it is). ``names`` are the terms
    of the thing asked about. A name column the question asks for ("regional capital") is
    said; the others name the row."""
    statement = _statement(row)
    if statement:
        return statement
    skip = {i for i in name_columns
            if i >= len(row.values) or row.values[i].strip() == (subject or "")
            or not (head := set(terms(row.header[i]))) or not head <= question_terms}
    cells = list(dict.fromkeys([*focus_cells(row, question_terms, years, skip, names),
                                *sorted(typed - skip)]))
    if not cells or subject is None:
        return None
    if any(_ASKING_HEADER.fullmatch(humanise(row.header[i]).strip()) for i in cells):
        said = "; ".join(f"{humanise(row.header[i]).strip()}: {row.values[i].strip()}"
                         for i in cells[:limit])
        return f"{subject} — {said}."
    # the row's own year stands under a "year" or "edition" column; an "Opened: 2004" cell
    # dates the opening, not the row's other figures
    row_year = next((v.strip() for h, v in zip(row.header, row.values, strict=True)
                     if is_year(v.strip()) and ROW_YEAR.search(h.lower())), None)
    parts = [_said(row.header[i], row.values[i]) for i in cells]
    when = f" in {row_year}" if row_year and not any(row_year in p for p in parts) else ""
    said = "; ".join(parts[:limit])
    verb = humanise(row.header[cells[0]]).strip()
    if EVENT_HEADER.fullmatch(verb) and _DATED.search(row.values[cells[0]]):
        # "Opened: 2010" is something the thing did: "X opened in 2010", not "X's opened"
        event = f"{subject} {verb.lower()} in {row.values[cells[0]].strip()}"
        return "; ".join([event, *parts[1:limit]]) + f"{when}."
    if "," in subject:
        return f"For {subject}, the {said}{when}."
    owner = f"{subject}'" if subject.endswith("s") else f"{subject}'s"  # "Research grants'"
    return f"{owner} {said}{when}."
