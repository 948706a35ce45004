"""Names the tables know (clusters, economies, organisations), found again in free text.

Built from the index itself, never from a hand-made list: a column whose cells are short proper
names supplies entities, and each gets the spellings people use for it ("New York City, NY" is
also "New York City" and "New York"; "Shenzhen–Hong Kong–Guangzhou" is also "Hong Kong").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import TableRow
from .store import IndexData
from .textnorm import fold


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


_LINKING = {"of", "and", "the", "for", "de", "du", "la", "le", "der", "von", "van", "in", "on",
            "at", "&", "-", "\u2013", "\u2014"}
_PLACEHOLDER = {"none", "n/a", "na", "-", "\u2013", "\u2014", "?", "unknown", "tbc", "tbd"}


def _is_name(value: str) -> bool:
    v = value.strip()
    letters = sum(c.isalpha() for c in v)
    words = [w for w in v.split() if w.lower() not in _LINKING]
    if sum(w[0].isupper() or w[0].isdigit() for w in words) * 2 < len(words):
        return False  # a task or a description ("Commission a structural survey of …")
    digits = sum(c.isdigit() for c in v)
    # a name may carry a number after its words ("Cluster Bridge round 4", "Green Lab Fund
    # 2025"), never be one ("30 Jun 2025", "4,300")
    return (3 <= len(v) <= 60 and letters >= 3 and (not digits or (
                re.match(r"[A-Za-z]{3,}\s", v) is not None and letters >= 2 * digits))
            and v[0].isupper() and not v.isupper() and "http" not in v)


def _aliases(value: str) -> set[str]:
    out = {_norm(value)}
    base = re.sub(r",\s*[A-Z]{2}\b.*$", "", value).strip()  # "San Diego, CA" -> "San Diego"
    out.add(_norm(base))
    out.add(_norm(re.sub(r"\s+City$", "", base)))  # "New York City" -> "New York"
    for part in re.split(r"\s*[\u2010-\u2015\-]\s*", fold(base)):
        if len(part) >= 4:
            out.add(_norm(part))
    words = _norm(base).split()
    if len(words) >= 3 and len(words[0]) > 3:
        out.add(" ".join(words[:2]))  # "United States of America" -> "united states"
    return {a for a in out if len(a) >= 3}


@dataclass
class EntityIndex:
    alias_to_name: dict[str, str]
    pattern: re.Pattern[str] | None
    name_columns: dict[tuple[str, tuple[str, ...]], set[int]]  # (source, header) -> name cells
    row_mates: dict[str, set[str]]  # name -> the other names in its table rows (its economy)
    kinds: dict[str, set[str]]  # name -> the column headers it stands under ("cluster")

    def same_kind(self, a: str, b: str) -> bool:
        """Whether two names are things of one kind (two clusters, two economies)."""
        return bool(self.kinds.get(a, set()) & self.kinds.get(b, set()))

    def mentions(self, text: str) -> list[tuple[str, str]]:
        """(spelling used, entity) for each mention in ``text``, in order."""
        if self.pattern is None:
            return []
        return [(m.group(1), self.alias_to_name[m.group(1)])
                for m in self.pattern.finditer(" " + _norm(text) + " ")]

    def find(self, text: str) -> list[str]:
        """Entities mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(name for _, name in self.mentions(text)))

    def replace(self, text: str, name: str, new: str) -> str:
        """``text`` with its mention of ``name`` swapped for ``new`` ("Paris" -> "Seoul")."""
        folded = fold(text).replace("-", " ")
        for alias, target in sorted(self.alias_to_name.items(), key=lambda a: -len(a[0])):
            if target == name:
                m = re.search(rf"\b{re.escape(alias)}\b", folded)
                if m and len(folded) == len(text):
                    return text[:m.start()] + new + text[m.end():]
        return f"{text} {new}"

    def of_country(self, names: list[str], country: str) -> str | None:
        """The first of ``names`` whose rows place it in ``country`` (folded name)."""
        for name in names:
            if any(country in _norm(m) for m in self.row_mates.get(name, set()) | {name}):
                return name
        return None

    def columns_of(self, source: str, row: TableRow) -> set[int]:
        """The cells of a row's table that hold names (a file may hold several tables)."""
        return self.name_columns.get((source, tuple(row.header)), set())

    def row_entity(self, source: str, row: TableRow) -> str | None:
        """The name a row is about: its first filled name cell."""
        for i in sorted(self.columns_of(source, row)):
            if i < len(row.values) and row.values[i].strip():
                return row.values[i].strip()
        return None


def build_entities(data: IndexData) -> EntityIndex:
    # a table is its file and its header: a file may hold several tables
    columns: dict[tuple[tuple[str, tuple[str, ...]], int], list[str]] = {}
    for s in data.sentences:
        if s.table is not None and len(s.table.header) > 1:  # not a key/value box's field
            for i, v in enumerate(s.table.values):
                if v.strip():
                    columns.setdefault(((s.source, tuple(s.table.header)), i), []).append(
                        v.strip())
    alias_to_name: dict[str, str] = {}
    name_columns: dict[tuple[str, tuple[str, ...]], set[int]] = {}
    kinds: dict[str, set[str]] = {}
    for (table, i), values in columns.items():
        values = [v for v in values if v.lower() not in _PLACEHOLDER]  # "none": no value
        if values and sum(map(_is_name, values)) >= 0.8 * len(values):
            name_columns.setdefault(table, set()).add(i)
            for v in values:
                kinds.setdefault(v, set()).add(_norm(table[1][i]))
                for a in _aliases(v):
                    alias_to_name.setdefault(a, v)
    row_mates: dict[str, set[str]] = {}
    for s in data.sentences:
        if s.table is not None and (s.source, tuple(s.table.header)) in name_columns:
            names = {s.table.values[i].strip()
                     for i in name_columns[(s.source, tuple(s.table.header))]
                     if i < len(s.table.values) and s.table.values[i].strip()}
            for n in names:
                row_mates.setdefault(n, set()).update(names - {n})
    if not alias_to_name:
        return EntityIndex({}, None, name_columns, row_mates, kinds)
    alts = "|".join(re.escape(a) for a in sorted(alias_to_name, key=len, reverse=True))
    return EntityIndex(alias_to_name, re.compile(rf"(?<= )({alts})(?= )"), name_columns,
                       row_mates, kinds)
