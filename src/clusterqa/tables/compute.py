"""A plan carried out on the engine: the values it needs, the computation, and a result that
says what was found, which rows it rests on, or what is missing.

The sentence carries ``⟦key⟧`` marks where a thing is named; ``compose`` turns each into the
citation numbers of that thing's rows.
"""

from __future__ import annotations

import copy
import re
import statistics
from dataclasses import dataclass, field

from ..models import Chart
from .engine import Engine, Fact, money_or_plain
from .entities import Names
from .parse import Parser, Plan, kind_noun


@dataclass
class Result:
    sentence: str
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    cites: dict[str, list[Fact]] = field(default_factory=dict)  # key → facts behind it
    abstained: bool = False
    chart: Chart | None = None


def plural_of(noun: str, n: int = 2) -> str:
    if n == 1 or noun.endswith("s"):
        return noun
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if noun.endswith(("sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


def ordinal(n: float) -> str:
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def mark(key: str) -> str:
    return f"\u27e6{key}\u27e7"


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def span(years: list[int]) -> str:
    """Years as a reader says them: 2022–2025, or 2019, 2022 and 2024."""
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}\u2013{years[-1]}"
    return join([str(y) for y in years])


class Computer:
    def __init__(self, engine: Engine, names: Names, parser: Parser) -> None:
        self.engine, self.names, self.parser = engine, names, parser

    # --- values ----------------------------------------------------------------------------

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
        """A cell as the table writes it ("€1.6bn", "5.6%"); ranks as ordinals."""
        if f.num is None:
            return f.text
        if self.parser.is_rank(f.measure):
            return ordinal(f.num)
        return f.text

    def figure(self, p: Plan, value: float, measure: str | None = None) -> str:
        """A computed figure in the unit of its column."""
        return money_or_plain(
            value, self.engine.units.get((p.kind, measure or p.measure or ""), "")
        )

    def label(self, measure: str) -> str:
        return self.engine.label(measure)

    def years_of(self, p: Plan, measure: str) -> list[int | None]:
        years = self.engine.years(p.kind, measure)
        if p.years:
            return list(p.years)
        if not years:
            return [None]
        return [self.parser.default_year(p.kind, measure)]

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
        vals = self.values(p.kind, p.measure, year)
        keys = set(vals)
        self._bounds = {}
        if p.bound and (p.lo is not None or p.hi is not None):
            bound = self.values(p.kind, p.bound, year)
            keys = {k for k, f in bound.items() if _within(f, p.lo, p.hi)}
            for k in keys - set(vals):
                vals[k] = bound[k]
            self._bounds = bound
        if p.vbound and (p.vlo is not None or p.vhi is not None):
            have = self.engine.years(p.kind, p.vbound)
            vyear = year if year in have else self.parser.default_year(p.kind, p.vbound)
            vb = self.values(p.kind, p.vbound, vyear)
            keys &= {k for k, f in vb.items() if _within(f, p.vlo, p.vhi)}
            for k in keys - set(vals):
                vals[k] = vb[k]
            if not self._bounds:
                self._bounds = vb
        if p.places:
            keys = {k for k in keys if all(self.names.in_place(p.kind, k, pl) for pl in p.places)}
        if p.exclude:
            keys = {
                k for k in keys if not any(self.names.in_place(p.kind, k, pl) for pl in p.exclude)
            }
        if p.keys:
            keys &= set(p.keys)
        if p.among:
            keys &= set(p.among)
        return {k: vals[k] for k in keys if k in vals}

    def describe(self, p: Plan, year: int | None, plural: bool = True) -> str:
        """The things a list is about in words: "clusters in China in the 2024 top 20"."""
        noun = kind_noun(p.kind)
        parts = [plural_of(noun) if plural else noun]
        if p.places:
            parts.append("in " + " and ".join(_place(pl) for pl in p.places))
        if p.exclude:
            parts.append("outside " + " and ".join(_place(pl) for pl in p.exclude))
        bound_rank = p.bound and self.parser.is_rank(p.bound)
        when = f" {year}" if year else ""
        if bound_rank and p.lo is None and p.hi is not None:
            parts.append(f"in the{when} top {int(p.hi)}")
        elif bound_rank and p.lo is not None and p.hi is not None:
            parts.append(f"ranked {int(p.lo)} to {int(p.hi)}{when and ' in' + when}")
        elif bound_rank and p.lo is not None:
            parts.append(f"ranked {int(p.lo)} or lower{when and ' in' + when}")
        elif year and not p.vbound:
            parts.append(f"in {year}")
        if p.vbound:
            label = self.label(p.vbound)
            word = {">=": "at least ", ">": "above ", "<": "below ", "<=": "at most ", "=": ""}.get(
                p.vop, ""
            )
            value = p.vlo if p.vlo is not None else p.vhi
            if value is not None and self.parser._year_valued(p.kind, p.vbound):
                word = {">=": "in or after ", ">": "after ", "<": "before ",
                        "<=": "in or before ", "=": "in "}.get(p.vop, "")
                parts.append(f"{label} {word}{int(round(value))}")
            elif value is not None:
                parts.append(f"with {label} {word}{fmt(round(value, 6))}")
            if year and self.engine.years(p.kind, p.vbound) != [year] and not bound_rank:
                parts.append(f"in {year}")
        return " ".join(parts)

    # --- operations ------------------------------------------------------------------------

    def run(self, p: Plan) -> Result:
        if p.measure is None:
            return Result("", abstained=True)
        return getattr(self, "op_" + p.op)(p)

    def op_groups(self, p: Plan) -> Result:
        """Which value of a column has the most rows ("which country has the most hubs")."""
        assert p.measure is not None
        found = self.pool(p, self.parser.default_year(p.kind, p.measure))
        groups: dict[str, list[Fact]] = {}
        for f in found.values():
            if f.text:
                groups.setdefault(f.text, []).append(f)
        if not groups:
            return Result(f"The tables have no {self.label(p.measure)} for the "
                          f"{plural_of(kind_noun(p.kind))}.", abstained=True)
        counts = sorted(groups.items(), key=lambda g: (-len(g[1]) if p.desc else len(g[1]),
                                                       g[0]))
        best = len(counts[0][1])
        top = [(g, fs) for g, fs in counts if len(fs) == best]
        res = Result("", header=[self.label(p.measure), plural_of(kind_noun(p.kind)), "count"])
        for g, fs in counts[:12]:
            res.rows.append([g, ", ".join(f.key for f in fs), str(len(fs))])
        parts = []
        for g, fs in top:
            for f in fs:
                res.cites[f.key] = [f]
            parts.append(f"{g} ({join([f'{f.key} {mark(f.key)}' for f in fs])})")
        noun = plural_of(kind_noun(p.kind), best)
        most = "most" if p.desc else "fewest"
        res.sentence = (f"{join(parts)} {'has' if len(top) == 1 else 'have'} the {most} "
                        f"{plural_of(kind_noun(p.kind))}: {best} {noun} each."
                        if len(top) > 1 else
                        f"{join(parts)} has the {most} {plural_of(kind_noun(p.kind))}: "
                        f"{best} {noun}.")
        return res

    def op_unknown(self, p: Plan) -> Result:
        kinds = ", ".join(plural_of(kind_noun(k)) for k in self.engine.kinds())
        return Result(f"The tables do not mention {p.missing}; they cover {kinds}.",
                      abstained=True)

    def op_lookup(self, p: Plan) -> Result:
        first = self._lookup_one(p)
        for measure in p.also:
            q = copy.copy(p)
            q.measure = measure
            more = self._lookup_one(q)
            if not more.abstained and not first.abstained:
                first.sentence += " " + more.sentence
                first.rows += more.rows
                for k, fs in more.cites.items():
                    first.cites.setdefault(k, []).extend(fs)
        return first

    def _lookup_one(self, p: Plan) -> Result:
        assert p.measure is not None
        wanted = self.years_of(p, p.measure)
        gap = self.missing_year(p, p.measure, wanted)
        if gap:
            return gap
        said, missing, res = [], [], Result("")
        res.header = [p.kind, "year", p.measure]
        for key in p.keys:
            for year in wanted:
                f = self.values(p.kind, p.measure, year).get(key)
                when = f" in {year}" if year else ""
                if not self.has_value(f):
                    missing.append(f"{key}{when}")
                    continue
                assert f is not None
                res.cites.setdefault(key, []).append(f)
                res.rows.append([key, str(year or ""), self.show(f)])
                if self.parser.is_rank(p.measure):
                    said.append(f"{key} {mark(key)} ranks {self.show(f)}{when}")
                elif f.num is not None:
                    said.append(
                        f"The {self.label(p.measure)} of {key}{when} is {self.show(f)} {mark(key)}"
                    )
                else:
                    said.append(
                        f"The {self.label(p.measure)} of {key} is {self.show(f)} {mark(key)}"
                    )
        if not said:
            have = {k: self.engine.years(p.kind, p.measure) for k in p.keys}
            covered = [str(y) for y in next(iter(have.values()), [])]
            return Result(
                f"The tables have no {self.label(p.measure)} for {join(missing)}"
                + (
                    f" (they give {self.label(p.measure)} for {span([int(c) for c in covered])})"
                    if covered
                    else ""
                )
                + ".",
                abstained=True,
            )
        text = "; ".join(said) + "."
        if missing:
            text += f" The tables have no {self.label(p.measure)} for {join(missing)}."
        return self._with_rank_note(res, text)

    def _with_rank_note(self, res: Result, text: str) -> Result:
        res.sentence = text[0].upper() + text[1:]
        return res

    def op_rank_at(self, p: Plan) -> Result:
        assert p.measure is not None
        wanted = self.years_of(p, p.measure)
        gap = self.missing_year(p, p.measure, wanted)
        if gap:
            return gap
        if len(wanted) == 1:
            return self._rank_at(p, wanted[0])
        parts = [self._rank_at(p, y) for y in wanted]  # "first in 2022 and 2025"
        if all(r.abstained for r in parts):
            return parts[0]
        res = Result(" ".join(r.sentence for r in parts))
        for r in parts:
            res.rows += r.rows
            res.header = r.header or res.header
            for k, fs in r.cites.items():
                res.cites.setdefault(k, []).extend(fs)
        return res

    def _rank_at(self, p: Plan, year: int | None) -> Result:
        assert p.measure is not None
        vals = self.values(p.kind, p.measure, year)
        hits = sorted(
            (
                f
                for f in vals.values()
                if f.num is not None
                and p.lo is not None
                and p.lo <= f.num <= (p.hi if p.hi is not None else p.lo)
            ),
            key=lambda f: f.num or 0,
        )
        when = f" in {year}" if year else ""
        if not hits:
            have = sorted(int(f.num) for f in vals.values() if f.num is not None)
            shown = _ranges(have)
            return Result(
                f"The tables list no {kind_noun(p.kind)} {ordinal(p.lo or 0)}{when}; the "
                f"{str(year) + ' ' if year else ''}"
                f"{self.label(p.measure)}s they "
                f"list are {shown}.",
                abstained=True,
            )
        res = Result("", header=[p.measure, p.kind], rows=[[self.show(f), f.key] for f in hits])
        for f in hits:
            res.cites[f.key] = [f]
        names = [f"{f.key} {mark(f.key)}" for f in hits]
        return self._with_rank_note(
            res,
            f"{join(names)} {'ranks' if len(hits) == 1 else 'rank'} {self.show(hits[0])}{when}.",
        )

    def _listing(self, p: Plan) -> tuple[int | None, list[Fact], Result | None]:
        assert p.measure is not None
        measure = p.bound or p.measure
        wanted = self.years_of(p, measure)
        gap = self.missing_year(p, measure, wanted)
        if gap:
            return None, [], gap
        year = wanted[0]
        found = self.pool(p, year)
        order = self._bounds or found
        facts = sorted(
            found.values(),
            key=lambda f: (
                order[f.key].num if order.get(f.key) and order[f.key].num is not None else 1e18,
                f.key,
            ),
        )
        return year, facts, None

    def _rows(self, p: Plan, facts: list[Fact], year: int | None) -> Result:
        assert p.measure is not None
        res = Result("")
        cols = [p.bound] if p.bound else []
        if p.measure not in cols:
            cols.append(p.measure)
        res.header = [p.kind, *[f"{c} {year}" if year else c for c in cols]]
        for f in facts:
            row = [f.key]
            cited = []
            for c in cols:
                g = self._bounds.get(f.key) if c == p.bound else f
                if c != p.bound and c != f.measure:
                    g = self.values(p.kind, c, year).get(f.key)
                row.append(self.show(g) if g and self.has_value(g) else "")
                if g is not None:
                    cited.append(g)
            res.rows.append(row)
            res.cites[f.key] = cited
        return res

    def op_list(self, p: Plan) -> Result:
        year, facts, gap = self._listing(p)
        if gap:
            return gap
        res = self._rows(p, facts, year)
        what = self.describe(p, year)
        if not facts:
            res.sentence = f"The tables list no {what}."
            return res
        shown = [f"{f.key} {mark(f.key)}" + self._paren(p, f) for f in facts]
        res.sentence = (
            f"{len(facts)} {what if len(facts) != 1 else self.describe(p, year, False)}"
            f": {join(shown)}."
        )
        return res

    def _paren(self, p: Plan, f: Fact) -> str:
        b = self._bounds.get(f.key)
        return f" ({self.show(b)})" if b is not None and b.num is not None else ""

    def op_count(self, p: Plan) -> Result:
        year, facts, gap = self._listing(p)
        if gap:
            return gap
        res = self._rows(p, facts, year)
        what = self.describe(p, year)
        n = len(facts)
        what1 = self.describe(p, year, plural=False)
        if n == 0:
            res.sentence = f"There are 0 {what} in the tables."
        elif n <= 12:
            res.sentence = (
                f"There {'is' if n == 1 else 'are'} {n} {what1 if n == 1 else what}"
                f": {join([f'{f.key} {mark(f.key)}' for f in facts])}."
            )
        else:
            res.sentence = f"There are {n} {what}."
        return res

    def _aggregate(self, p: Plan, average: bool) -> Result:
        assert p.measure is not None
        wanted = self.years_of(p, p.measure)
        gap = self.missing_year(p, p.measure, wanted)
        if gap:
            return gap
        year = wanted[0]
        found = self.pool(p, year)
        filled = [f for f in found.values() if f.num is not None]
        empty = sorted(k for k, f in found.items() if f.num is None)
        what = self.describe(p, year)
        if not filled:
            return Result(
                f"The tables have no {self.label(p.measure)} for the {what}.", abstained=True
            )
        units = sorted({f.unit for f in filled})
        if len(units) > 1:
            return Result(
                f"The {self.label(p.measure)} of the {what} are in different units "
                f"({', '.join(u or 'none' for u in units)}), so they are not added up.",
                abstained=True,
            )
        filled.sort(key=lambda f: -(f.num or 0))
        res = self._rows(p, filled, year)
        total = sum(f.num or 0 for f in filled)
        value = total / len(filled) if average else total
        if average and p.median:
            value = statistics.median(f.num or 0 for f in filled)
        parts = "; ".join(f"{f.key} {mark(f.key)} {self.show(f)}" for f in filled[:8])
        figure = money_or_plain(value, units[0])
        whole = all(float(f.num or 0).is_integer() for f in filled)
        if average and whole and not float(value).is_integer():
            figure = f"about {money_or_plain(round(value), units[0])} ({figure})"
        if p.keys:
            what = join(p.keys) + (f" in {year}" if year else "")
        how = "The median of the {w} is" if p.median else (
            "The {w} have on average" if average else "The {w} have together")
        if p.keys:
            how = how.replace("The {w}", "{w}").replace("the {w}", "{w}")
        text = f"{how.format(w=what)} {figure} {self.label(p.measure)} ({parts})."
        if empty:
            text += f" No figure for {join(empty)}."
        res.sentence = text[0].upper() + text[1:]
        return res

    def op_sum(self, p: Plan) -> Result:
        return self._aggregate(p, average=False)

    def op_avg(self, p: Plan) -> Result:
        return self._aggregate(p, average=True)

    def op_best(self, p: Plan) -> Result:
        assert p.measure is not None
        wanted = self.years_of(p, p.measure)
        gap = self.missing_year(p, p.measure, wanted)
        if gap:
            return gap
        year = wanted[0]
        found = [f for f in self.pool(p, year).values() if f.num is not None]
        what = self.describe(p, year, plural=True)
        if not found:
            return Result(
                f"The tables have no {self.label(p.measure)} for the {what}.", abstained=True
            )
        if len({f.unit for f in found}) > 1:
            units = ", ".join(sorted({f.unit or "none" for f in found}))
            return Result(
                f"The {self.label(p.measure)} of the {what} are in different units ({units}); "
                "name one (for example the ones in one currency) to compare them.",
                abstained=True,
            )
        found.sort(key=lambda f: (-(f.num or 0) if p.desc else (f.num or 0), f.key))
        n = p.n or 1
        if p.nth and len(found) >= p.nth:  # "the second highest"
            found = found[p.nth - 1 :]
        top = [f for f in found if (found[n - 1].num or 0) == f.num] if n == 1 else found[:n]
        res = self._rows(p, top, year)
        rank = self.parser.is_rank(p.measure)
        label = self.label(p.measure)
        counted = label.endswith("s")
        word = ("most" if p.desc else "fewest") if counted else ("highest" if p.desc else "lowest")
        if p.nth:
            word = f"{ordinal(p.nth)} {word}"
        if rank:
            word = "best-ranked" if not p.desc else "lowest-ranked"
            if p.nth:
                word = f"{ordinal(p.nth)} {word}"
            names = [f"{f.key} {mark(f.key)} ({self.show(f)})" for f in top]
            res.sentence = f"{join(names)}: the {word} of the {what}."
        else:
            names = [f"{f.key} {mark(f.key)} with {self.show(f)}" for f in top]
            res.sentence = (
                f"Among the {what}, the {'one' if n == 1 else str(n)} with the "
                f"{word} {self.label(p.measure)}: {join(names)}."
            )
        res.sentence = res.sentence[0].upper() + res.sentence[1:]
        return res

    def op_compare(self, p: Plan) -> Result:
        assert p.measure is not None
        res = Result("", header=[kind_noun(p.kind), "measure", "value"])
        said = []
        for i, measure in enumerate([p.measure, *p.also]):
            q = copy.copy(p)
            q.measure = measure
            one = self._compare_one(q, res)
            if one.abstained and i == 0:
                return one
            if not one.abstained:
                said.append(one.sentence)
        res.sentence = " ".join(said)
        return res

    def _compare_one(self, p: Plan, res: Result) -> Result:
        assert p.measure is not None
        wanted = self.years_of(p, p.measure)
        gap = self.missing_year(p, p.measure, wanted)
        if gap:
            return gap
        year = wanted[0]
        vals = self.values(p.kind, p.measure, year)
        got = [vals[k] for k in p.keys if self.has_value(vals.get(k))]
        lacking = [k for k in p.keys if not self.has_value(vals.get(k))]
        when = f" in {year}" if year else ""
        label = self.label(p.measure)
        if lacking:
            return Result(
                f"The tables have no {label}{when} for {join(lacking)}, so the comparison "
                "cannot be made.",
                abstained=True,
            )
        for f in got:
            res.rows.append([f.key, f"{label}{when}", self.show(f)])
            res.cites.setdefault(f.key, []).append(f)
        rank = self.parser.is_rank(p.measure)
        if any(f.num is None for f in got):
            return Result("; ".join(f"{f.key} {mark(f.key)}: {f.text}" for f in got) + ".")
        if len({f.unit for f in got}) > 1:
            return Result(
                "; ".join(f"{f.key} {mark(f.key)}: {self.show(f)}" for f in got)
                + " (different units, not compared)."
            )
        ordered = sorted(got, key=lambda f: (f.num or 0) if rank else -(f.num or 0))
        a, b = ordered[0], ordered[-1]
        gap_n = abs((a.num or 0) - (b.num or 0))
        if gap_n == 0:
            text = (
                f"{join([f.key + ' ' + mark(f.key) for f in got])} are level{when}: {self.show(a)}."
            )
        elif rank:
            text = (
                f"{a.key} {mark(a.key)} ({self.show(a)}) is ahead of {b.key} "
                f"{mark(b.key)} ({self.show(b)}){when}, by {fmt(gap_n)} "
                f"place{'s' if gap_n != 1 else ''}."
            )
        else:
            text = (
                f"{a.key} {mark(a.key)} has the higher {label} ({self.show(a)}) and {b.key} "
                f"{mark(b.key)} the lower ({self.show(b)}){when}, a difference of "
                f"{self.figure(p, gap_n)}."
            )
        if len(got) > 2:
            text += " Order: " + ", ".join(f"{f.key} ({self.show(f)})" for f in ordered) + "."
        return Result(text)

    def op_years_in(self, p: Plan) -> Result:
        """In how many years a thing was inside a rank window ("made the top 10")."""
        assert p.measure is not None
        years = [
            y
            for y in self.engine.years(p.kind, p.measure)
            if not p.years or len(p.years) < 2 or min(p.years) <= y <= max(p.years)
        ]
        res = Result("", header=[kind_noun(p.kind), "year", self.label(p.measure)])
        inside, outside = [], []
        for y in years:
            f = self.values(p.kind, p.measure, y).get(p.keys[0])
            if f is not None and _within(f, p.lo, p.hi):
                inside.append(y)
                res.rows.append([f.key, str(y), self.show(f)])
                res.cites.setdefault(f.key, []).append(f)
            else:
                outside.append(y)
        window = f"top {int(p.hi)}" if p.hi else "window"
        key = p.keys[0]
        n = len(inside)
        res.sentence = (
            f"{key} {mark(key)} is in the {window} in {n} of the {len(years)} years the tables "
            f"cover ({span(years)})"
            + (f": {join([str(y) for y in inside])}" if inside else "")
            + "."
        )
        return res

    def op_diff(self, p: Plan) -> Result:
        return self.op_compare(p)

    def op_profile(self, p: Plan) -> Result:
        measures = [m for (k, m), t in self.engine.measures.items() if k == p.kind]
        res = Result("", header=["measure", *p.keys])
        parts: dict[str, list[str]] = {k: [] for k in p.keys}
        for m in measures:
            years: list[int | None] = list(self.engine.years(p.kind, m)) or [None]
            for year in years:
                vals = self.values(p.kind, m, year)
                row = [f"{self.label(m)} {year}" if year else self.label(m)]
                used = False
                for k in p.keys:
                    f = vals.get(k)
                    if self.has_value(f):
                        assert f is not None
                        row.append(self.show(f))
                        res.cites.setdefault(k, []).append(f)
                        parts[k].append(
                            f"{self.label(m)}{' ' + str(year) if year else ''} {self.show(f)}"
                        )
                        used = True
                    else:
                        row.append("")
                if used:
                    res.rows.append(row)
        if not res.rows:
            return Result(f"The tables hold no figures for {join(p.keys)}.", abstained=True)
        res.sentence = " ".join(
            f"{k} {mark(k)}: {', '.join(parts[k][:6]) or 'no figures'}." for k in p.keys
        )
        return res

    def _two_years(self, p: Plan, measure: str, keys: list[str] | None = None) -> list[int]:
        have = self.engine.years(p.kind, measure)
        if len(p.years) >= 2:
            return sorted(p.years[:2])
        if len(p.years) == 1:
            y = p.years[0]
            earlier = [h for h in have if h < y]
            return [earlier[-1] if earlier else y - 1, y]
        if keys:
            mine = sorted(
                {
                    f.year
                    for f in self.engine.facts(
                        "kind = ? AND measure = ? AND key = ? AND num IS NOT NULL",
                        (p.kind, measure, keys[0]),
                    )
                    if f.year is not None
                }
            )
            if len(mine) >= 2:
                return mine[-2:]
        year = self.parser.default_year(p.kind, measure) or (have[-1] if have else 0)
        earlier = [h for h in have if h < year]
        return [earlier[-1] if earlier else year - 1, year]

    def series(self, p: Plan, keys: list[str], measure: str, res: Result) -> Chart | None:
        """The measure over every year the tables give, for ``keys``; each value drawn is
        cited with the rest of the answer."""
        years = self.engine.years(p.kind, measure)
        lines: dict[str, list[tuple[int, float]]] = {}
        for y in years:
            vals = self.values(p.kind, measure, y)
            for k in keys:
                f = vals.get(k)
                if f is not None and f.num is not None:
                    lines.setdefault(k, []).append((y, f.num))
                    if f not in res.cites.setdefault(k, []):
                        res.cites[k].append(f)
        if not any(len(v) >= 2 for v in lines.values()):
            return None
        return Chart(
            title=f"{self.label(measure)} by year",
            measure=self.label(measure),
            invert=self.parser.is_rank(measure),
            series=lines,
        )

    def op_change(self, p: Plan) -> Result:
        assert p.measure is not None
        y0, y1 = self._two_years(p, p.measure, p.keys)
        gap = self.missing_year(p, p.measure, [y0, y1])
        if gap:
            return gap
        v0, v1 = self.values(p.kind, p.measure, y0), self.values(p.kind, p.measure, y1)
        res = Result(
            "",
            header=[
                p.kind,
                f"{self.label(p.measure)} {y0}",
                f"{self.label(p.measure)} {y1}",
                "change",
            ],
        )
        said, missing = [], []
        rank = self.parser.is_rank(p.measure)
        for k in p.keys:
            a, b = v0.get(k), v1.get(k)
            if not (a and a.num is not None and b and b.num is not None):
                lack = [str(y) for y, f in ((y0, a), (y1, b)) if not (f and f.num is not None)]
                has = [
                    f"{self.show(f)} in {y}"
                    for y, f in ((y0, a), (y1, b))
                    if f and f.num is not None
                ]
                missing.append(
                    f"{k}: no {self.label(p.measure)} for {join(lack)}"
                    + (f" (the tables have {join(has)})" if has else "")
                )
                continue
            res.cites[k] = [a, b]
            delta = (a.num - b.num) if rank else (b.num - a.num)
            res.rows.append([k, self.show(a), self.show(b), f"{delta:+g}"])
            if rank:
                move = (
                    "moved up" if delta > 0 else "moved down"
                ) + f" {fmt(abs(delta))} place{'s' if abs(delta) != 1 else ''}"
                if delta == 0:
                    move = "kept its place"
                said.append(
                    f"{k} {mark(k)} {move}, from {self.show(a)} in {y0} to {self.show(b)} in {y1}"
                )
            else:
                word = "rose" if delta > 0 else "fell" if delta < 0 else "stayed"
                said.append(
                    f"{k}'s {self.label(p.measure)} {word} from {self.show(a)} in {y0} to "
                    f"{self.show(b)} in {y1} {mark(k)} ({delta:+,g})"
                )
        if not said:
            return Result(
                "The tables cannot show the change: " + "; ".join(missing) + ".", abstained=True
            )
        res.sentence = "; ".join(said) + "." + (" " + "; ".join(missing) + "." if missing else "")
        res.chart = self.series(p, list(res.cites), p.measure, res)
        return res

    def op_movers(self, p: Plan) -> Result:
        assert p.measure is not None
        y0, y1 = self._two_years(p, p.measure)
        gap = self.missing_year(p, p.measure, [y0, y1])
        if gap:
            return gap
        v0, v1 = self.values(p.kind, p.measure, y0), self.values(p.kind, p.measure, y1)
        rank = self.parser.is_rank(p.measure)
        moves = []
        inside = (
            self.pool(
                Plan("list", p.kind, p.measure, places=p.places, lo=p.lo, hi=p.hi, bound=p.bound),
                y1,
            )
            if (p.places or p.bound)
            else v1
        )
        for k in inside:
            a, b = v0.get(k), v1.get(k)
            if a and b and a.num is not None and b.num is not None:
                d = (a.num - b.num) if rank else (b.num - a.num)
                moves.append((d, k, a, b))
        if not moves:
            return Result(
                f"The tables have no {kind_noun(p.kind)} with {self.label(p.measure)} in both "
                f"{y0} and {y1}.",
                abstained=True,
            )
        sign = p.direction or 1
        moves.sort(key=lambda m: (-sign * m[0], m[1]))
        if p.counting:
            return self._count_moves(p, [m for m in moves if sign * m[0] > 0], y0, y1, sign)
        n = p.n or 1
        best = [m for m in moves if m[0] == moves[0][0]] if n == 1 else moves[:n]
        res = Result(
            "",
            header=[
                p.kind,
                f"{self.label(p.measure)} {y0}",
                f"{self.label(p.measure)} {y1}",
                "change",
            ],
        )
        for d, k, a, b in best:
            res.rows.append([k, self.show(a), self.show(b), f"{d:+g}"])
            res.cites[k] = [a, b]
        verb = ("climbed" if sign > 0 else "fell") if rank else ("grew" if sign > 0 else "fell")
        parts = [
            f"{k} {mark(k)} ({self.show(a)} in {y0} \u2192 {self.show(b)} in {y1}, {d:+g})"
            for d, k, a, b in best
        ]
        unit = " places" if rank else ""
        res.sentence = (
            f"Between {y0} and {y1}, {join(parts)} {verb} the most"
            f"{' by ' + fmt(abs(best[0][0])) + unit if n == 1 else ''}, of the "
            f"{len(moves)} {plural_of(kind_noun(p.kind))} with a {self.label(p.measure)} in "
            "both years."
        )
        res.chart = self.series(p, [m[1] for m in best], p.measure, res)
        return res

    def _count_moves(self, p: Plan, moves: list[tuple[float, str, Fact, Fact]], y0: int,
                     y1: int, sign: int) -> Result:
        rank = self.parser.is_rank(p.measure)
        label = self.label(p.measure or "")
        res = Result("", header=[kind_noun(p.kind), f"{label} {y0}", f"{label} {y1}", "change"])
        for d, k, a, b in moves:
            res.rows.append([k, self.show(a), self.show(b), f"{d:+g}"])
            res.cites[k] = [a, b]
        verb = ("moved up" if sign > 0 else "moved down") if rank else (
            "rose" if sign > 0 else "fell")
        n = len(moves)
        names = join([f"{k} {mark(k)}" for _d, k, _a, _b in moves]) if n <= 12 else ""
        res.sentence = (f"{n} {plural_of(kind_noun(p.kind), n)} {verb} between {y0} and {y1}"
                        + (f": {names}" if names else "") + ".")
        return res

    def _entered_left(self, p: Plan, entered: bool) -> Result:
        measure = p.measure or self.parser.rank_measure(p.kind)
        if measure is None:
            return Result("", abstained=True)
        p.measure = measure
        y0, y1 = self._two_years(p, measure)
        gap = self.missing_year(p, measure, [y0, y1])
        if gap:
            return gap
        v0, v1 = self.values(p.kind, measure, y0), self.values(p.kind, measure, y1)
        n = p.hi
        now, then = (v1, v0) if entered else (v0, v1)
        then_ranks = {int(f.num) for f in then.values() if f.num is not None}
        complete = n is not None and all(r in then_ranks for r in range(1, int(n) + 1))
        out: list[tuple[Fact, Fact | None]] = []
        unknown: list[str] = []
        for k, f in now.items():
            if f.num is None or (n is not None and f.num > n):
                continue
            if p.places and not all(self.names.in_place(p.kind, k, pl) for pl in p.places):
                continue
            g = then.get(k)
            if g is not None and g.num is not None:
                if n is not None and g.num > n:
                    out.append((f, g))
            elif complete or n is None:
                out.append((f, None))
            else:
                unknown.append(k)
        out.sort(key=lambda fg: fg[0].num or 0)
        window = f"top {int(n)}" if n else "ranking"
        res = Result(
            "", header=[p.kind, f"{self.label(measure)} {y0}", f"{self.label(measure)} {y1}"]
        )
        for f, g in out:
            first, second = (g, f) if entered else (f, g)
            res.rows.append(
                [
                    f.key,
                    self.show(first) if first else "not listed",
                    self.show(second) if second else "not listed",
                ]
            )
            res.cites[f.key] = [x for x in (f, g) if x is not None]
        names = [f"{f.key} {mark(f.key)} ({self.show(f)})" for f, _ in out]
        verb = "new in" if entered else "no longer in"
        year = y1
        if not out and not unknown:
            res.sentence = (
                f"No {kind_noun(p.kind)} is {verb} the {year} {window} compared with {y0}."
            )
        else:
            res.sentence = (
                f"{len(out)} {plural_of(kind_noun(p.kind), len(out))} "
                f"{'are' if len(out) != 1 else 'is'} {verb} the {year} {window} "
                f"compared with {y0}" + (f": {join(names)}" if names else "") + "."
            )
        if unknown:
            res.sentence += f" The {y0} ranks of {join(unknown)} are not in the tables."
        res.chart = self.series(p, [f.key for f, _ in out][:8], measure, res)
        return res

    def op_entered(self, p: Plan) -> Result:
        return self._entered_left(p, entered=True)

    def op_left(self, p: Plan) -> Result:
        return self._entered_left(p, entered=False)


def _within(f: Fact, lo: float | None, hi: float | None) -> bool:
    return f.num is not None and (lo is None or f.num >= lo) and (hi is None or f.num <= hi)


def _place(term: str) -> str:
    return term.upper() if len(term) <= 3 else term.title()


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5, 7, 8 → '1–3, 5, 7–8'."""
    out: list[str] = []
    for n in numbers:
        if out and "\u2013" in out[-1] and int(out[-1].split("\u2013")[1]) == n - 1:
            out[-1] = f"{out[-1].split(chr(0x2013))[0]}\u2013{n}"
        elif out and out[-1].isdigit() and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}\u2013{n}"
        elif not out or out[-1] != str(n):
            out.append(str(n))
    shown = ", ".join(out[:12])
    return shown + (" …" if len(out) > 12 else "")
