"""The values a plan needs: one measure in one year per thing, the pool of things a list,
count or sum runs over, and how a cell or a set of things is said."""

from __future__ import annotations

import copy
import re

from ...textnorm import ordinal
from ..engine import Engine, Fact, money_or_plain
from ..entities import Names
from ..parse import MONTHS, Parser, Plan, cell_date, kind_noun
from .result import Result, fmt, join, place, plural_of, span

_WHOLE = re.compile(r"(\d)\.0+(?![\d.])")


class Values:
    """The engine's values as plans ask for them; the operations build on it."""

    def __init__(self, engine: Engine, names: Names, parser: Parser) -> None:
        self.engine, self.names, self.parser = engine, names, parser
        self._bounds: dict[str, Fact] = {}  # the last pool's values of its window's measure

    def values(self, kind: str, measure: str, year: int | None) -> dict[str, Fact]:
        """The value of ``measure`` in ``year`` for each thing, from the table that holds it
        first-hand (the one whose own year it is) when several do; empty cells kept as such."""
        if year is None:
            facts = self.engine.facts("kind = ? AND measure = ? AND year IS NULL", (kind, measure))
        else:
            facts = self.engine.facts(
                "kind = ? AND measure = ? AND year = ?", (kind, measure, year)
            )

        def priority(f: Fact) -> tuple[int, int, int]:
            t = self.engine.table(f.table)
            filled = f.num is not None or (
                f.text != "" and self.engine.measures[(kind, measure)] == "text"
            )
            derived = t.columns[f.col].derived
            return (0 if filled else 1, int(derived), 0 if t.default_year == year else 1)

        out: dict[str, Fact] = {}
        for f in sorted(facts, key=priority):
            out.setdefault(f.key, f)
        return out

    def has_value(self, f: Fact | None) -> bool:
        return f is not None and (
            f.num is not None
            or (self.engine.measures[(f.kind, f.measure)] == "text" and f.text != "")
        )

    def show(self, f: Fact) -> str:
        """A cell as the table writes it ("€1.6bn", "5.6%"), without a fraction of zeros
        ("41.0" is said 41, as a reader says it); ranks as ordinals."""
        if f.num is None:
            return f.text
        if self.parser.is_rank(f.measure):
            return ordinal(f.num)
        return _WHOLE.sub(r"\1", f.text)

    def figure(self, p: Plan, value: float, measure: str | None = None) -> str:
        """A computed figure in the unit of its column."""
        return money_or_plain(
            value, self.engine.units.get((p.kind, measure or p.measure or ""), "")
        )

    def signed(self, p: Plan, delta: float, unit: str | None = None) -> str:
        """A change in the unit of its cells (else its column's), with its sign ("+€1.4m",
        "-3")."""
        sign = "-" if delta < 0 else "+"
        if unit is None:
            return sign + self.figure(p, abs(delta))
        return sign + money_or_plain(abs(delta), unit)

    @staticmethod
    def percent(a: float, b: float) -> float | None:
        """The change from ``a`` to ``b`` in percent of ``a`` (None from naught)."""
        return None if a == 0 else (b - a) / abs(a) * 100

    def label(self, measure: str) -> str:
        return self.engine.label(measure)

    def years_of(self, p: Plan, measure: str) -> list[int | None]:
        years = self.engine.years(p.kind, measure)
        if p.years:
            return list(p.years)
        if not years:
            return [None]
        return [self.parser.default_year(p.kind, measure)]

    def beside(self, kind: str, measure: str, year: int | None) -> dict[str, Fact]:
        """Another column's value for each thing (a group, a divisor): in ``year`` when that
        column has it, else in the column's own default year."""
        have = self.engine.years(kind, measure)
        at = year if year in have else self.parser.default_year(kind, measure)
        return self.values(kind, measure, at)

    def first_year(self, p: Plan) -> tuple[int | None, Result | None]:
        """The year a one-year operation on the plan's measure is over, or, when the tables
        lack a year asked for, the answer that says so."""
        assert p.measure is not None
        wanted = self.years_of(p, p.measure)
        return wanted[0], self.missing_year(p, p.measure, wanted)

    def missing_year(self, p: Plan, measure: str, wanted: list[int | None]) -> Result | None:
        have = self.engine.years(p.kind, measure)
        lacking = [y for y in wanted if y is not None and y not in have]
        if not lacking or not have:
            return None
        return Result(
            f"The tables have no {self.label(measure)} for {join([str(y) for y in lacking])}; "
            f"they give {self.label(measure)} of {plural_of(kind_noun(p.kind))} for {span(have)}.",
            abstained=True,
        )

    def pool(self, p: Plan, year: int | None) -> dict[str, Fact]:
        """The things a list, count or sum is over: the kind, narrowed by places, by the window
        on the rank (ranks 1–20) and by a threshold on a figure, each with its value of the
        measure."""
        assert p.measure is not None
        vals = self.blanks(p, year) if p.blank else self.values(p.kind, p.measure, year)
        keys = set(vals)
        self._bounds = {}
        if p.bound and (p.lo is not None or p.hi is not None):
            bound = self.values(p.kind, p.bound, year)
            keys = {k for k, f in bound.items() if within(f, p.lo, p.hi)}
            for k in sorted(keys - set(vals)):
                vals[k] = bound[k]
            self._bounds = bound
        if p.vbound and (p.vlo is not None or p.vhi is not None):
            have = self.engine.years(p.kind, p.vbound)
            vyear = (p.vyear if p.vyear in have else year if year in have
                     else self.parser.default_year(p.kind, p.vbound))
            vb = self.values(p.kind, p.vbound, vyear)
            keys &= {k for k, f in vb.items() if within(f, p.vlo, p.vhi)}
            for k in sorted(keys - set(vals)):
                vals[k] = vb[k]
            if not self._bounds:
                self._bounds = vb
        if p.top:
            keys &= self._top_keys(p, year)
        if p.month:
            column, month, in_year = p.month
            dates = {f.key: cell_date(f.text) for f in self.engine.facts(
                "kind = ? AND measure = ?", (p.kind, column))}
            keys = {k for k in keys if (d := dates.get(k)) and d[1] == month
                    and in_year in (None, d[0])}
        if p.places:
            keys = {k for k in keys if self.names.in_places(p.kind, k, p.places)}
        if p.exclude:
            keys = {
                k for k in keys if not any(self.names.in_place(p.kind, k, pl) for pl in p.exclude)
            }
        if p.keys:
            keys &= set(p.keys)
        if p.among:
            keys &= set(p.among)
        return {k: vals[k] for k in sorted(keys) if k in vals}  # ties in name order, every run

    def _top_keys(self, p: Plan, year: int | None) -> set[str]:
        """The first n things by ``p.top``'s measure (in ``year`` when it has it), ties with
        the last kept; the other filters apply within them ("of the top 5 by funding")."""
        assert p.top is not None
        measure, n = p.top
        have = self.engine.years(p.kind, measure)
        at = year if year in have or not have else self.parser.default_year(p.kind, measure)
        ranked = sorted((f for f in self.values(p.kind, measure, at).values()
                         if f.num is not None), key=lambda f: (-(f.num or 0), f.key))
        if len(ranked) <= n:
            return {f.key for f in ranked}
        cut = ranked[n - 1].num
        return {f.key for i, f in enumerate(ranked) if i < n or f.num == cut}

    def _where(self, places: list[str], kind: str) -> str:
        """Places in words: "in France or Germany", "in Germany with operator University"."""
        said: dict[str, list[str]] = {}
        for pl in places:
            head, value = self.names.where(pl, kind)
            said.setdefault(head, []).append(value)
        return " ".join(f"{head} {' or '.join(vals)}" for head, vals in said.items())

    def blanks(self, p: Plan, year: int | None) -> dict[str, Fact]:
        """The things whose cell of ``p.blank`` is empty in ``year``, each with that cell; with
        "*", the things of the tables covering ``year`` that have no figure at all in it, each
        with a row of theirs to cite."""
        when = ("year IS NULL", ()) if year is None else ("year = ?", (year,))
        if p.blank not in ("*", "+"):
            facts = self.engine.facts(f"kind = ? AND measure = ? AND {when[0]}",
                                      (p.kind, p.blank, *when[1]))
            filled = {f.key for f in facts if self.has_value(f)}
            return {f.key: f for f in facts if f.key not in filled}
        dated = self.engine.facts(f"kind = ? AND {when[0]}", (p.kind, *when[1]))
        tables = {f.table for f in dated}
        filled = {f.key for f in dated if f.num is not None}
        if p.blank == "+":  # the things with some figure in the year: their row of that year
            return {f.key: f for f in dated if f.num is not None}
        out: dict[str, Fact] = {}
        for f in self.engine.facts("kind = ?", (p.kind,)):
            if f.table in tables and f.key not in filled:
                out[f.key] = f  # the thing's last row in the table
        return out

    def describe(self, p: Plan, year: int | None, plural: bool = True) -> str:
        """The things a list is about in words: "clusters in China in the 2024 top 20"."""
        noun = kind_noun(p.kind)
        parts = [plural_of(noun) if plural else noun]
        if p.places:
            parts.append(self._where(p.places, p.kind))
        if p.exclude:
            parts.append("outside " + " and ".join(place(pl) for pl in p.exclude))
        bound_rank = p.bound and self.parser.is_rank(p.bound)
        when = f" {year}" if year else ""
        if p.anyyear and len(p.years) >= 2:
            q = copy.copy(p)
            q.anyyear = False
            if p.year_given:  # "in 2022 or 2023"
                return f"{self.describe(q, None, plural)} in {' or '.join(map(str, p.years))}"
            return f"{self.describe(q, None, plural)} in the tables ({span(p.years)})"
        if p.every and len(p.years) >= 2:  # "in the top 10 in every year of 2022–2025"
            whole = p.years == list(range(p.years[0], p.years[-1] + 1))
            every = f"in every year of {span(p.years)}" if whole else f"in each of {span(p.years)}"
            q = copy.copy(p)
            q.every = False
            inner = self.describe(q, None, plural)
            return f"{inner} {every}"
        if p.top:
            parts.append(f"in the{when} top {p.top[1]} by {self.label(p.top[0])}")
        elif bound_rank and p.lo is None and p.hi is not None:
            parts.append(f"in the{when} top {int(p.hi)}")
        elif bound_rank and p.lo is not None and p.hi is not None:
            parts.append(f"ranked {int(p.lo)} to {int(p.hi)}{when and ' in' + when}")
        elif bound_rank and p.lo is not None:
            parts.append(f"ranked {int(p.lo)} or lower{when and ' in' + when}")
        elif year and not p.vbound and not p.blank and not (p.month and p.month[2]):
            parts.append(f"in {year}")
        if p.month:
            name = next(m for m, n in MONTHS.items() if n == p.month[1]).title()
            parts.append(f"with {self.label(p.month[0])} in {name}"
                         + (f" {p.month[2]}" if p.month[2] else ""))
        if p.blank == "+":
            parts.append(f"with figures for {year}")
        elif p.blank:
            what = "figures" if p.blank == "*" else self.label(p.blank)
            parts.append(f"with no {what} given" + (f" for {year}" if year else ""))
        if p.vbound and p.vop == "between" and self.parser._year_valued(p.kind, p.vbound):
            parts.append(f"{self.label(p.vbound)} between {int(p.vlo or 0)} and {int(p.vhi or 0)}")
        elif p.vbound and p.vop == "between":
            parts.append(f"with {self.label(p.vbound)} between {fmt(p.vlo or 0)} and "
                         f"{fmt(p.vhi or 0)}" + (f" in {year}" if year else ""))
        elif p.vbound:
            label = self.label(p.vbound)
            word = {">=": "at least ", ">": "above ", "<": "below ", "<=": "at most ", "=": ""}.get(
                p.vop, ""
            )
            value = p.vlo if p.vlo is not None else p.vhi
            if value is not None and self.parser._year_valued(p.kind, p.vbound):
                word = {
                    ">=": "in or after ",
                    ">": "after ",
                    "<": "before ",
                    "<=": "in or before ",
                    "=": "in ",
                }.get(p.vop, "")
                parts.append(f"{label} {word}{int(round(value))}")
            elif value is not None and p.vop == "=":
                parts.append(f"with {fmt(round(value, 6))} {label}")
            elif value is not None:
                parts.append(f"with {label} {word}{_short(value)}")
            if p.vyear is not None:
                parts.append(f"in {p.vyear}")
            elif year and self.engine.years(p.kind, p.vbound) != [year] and not bound_rank:
                parts.append(f"in {year}")
        return " ".join(parts)


def _short(value: float) -> str:
    """A threshold as written: 500000000 → 500m, 1e9 → 1bn, 18.5 → 18.5."""
    for size, word in ((1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return fmt(round(value / size, 6)) + word
    return fmt(round(value, 6))


def within(f: Fact, lo: float | None, hi: float | None) -> bool:
    return f.num is not None and (lo is None or f.num >= lo) and (hi is None or f.num <= hi)
