"""One thing's values: a lookup, who holds a position, in how many years a thing made a
window, every figure of a few things side by side, and names the tables do not hold."""

from __future__ import annotations

import copy

from ...textnorm import ordinal
from ..engine import Fact
from ..parse import Plan, kind_noun
from .result import Result, join, mark, plural_of, ranges, span
from .values import Values, within


class Lookups(Values):
    def op_unknown(self, p: Plan) -> Result:
        kinds = ", ".join(plural_of(kind_noun(k)) for k in self.engine.kinds())
        return Result(f"The tables do not mention {p.missing}; they cover {kinds}.", abstained=True)

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
        text = "; ".join(said[:1] + [s[:1].lower() + s[1:] for s in said[1:]]) + "."
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
            shown = ranges(have)
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
            if f is not None and within(f, p.lo, p.hi):
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

    def _by_year(self, p: Plan, measure: str | None) -> dict[int, Fact]:
        """One thing's filled values by year: of one measure, or of any when None."""
        where = "kind = ? AND key = ? AND year IS NOT NULL AND num IS NOT NULL"
        args: tuple[object, ...] = (p.kind, p.keys[0])
        if measure is not None:
            where, args = where + " AND measure = ?", (*args, measure)
        out: dict[int, Fact] = {}
        for f in self.engine.facts(where, args):
            if f.year is not None:
                out.setdefault(f.year, f)
        return dict(sorted(out.items()))

    def op_best_year(self, p: Plan) -> Result:
        """The year one thing's figure was at its highest or lowest."""
        assert p.measure is not None
        key, label = p.keys[0], self.label(p.measure)
        years = {y: f for y, f in self._by_year(p, p.measure).items()
                 if len(p.years) < 2 or min(p.years) <= y <= max(p.years)}
        if not years:
            return Result(f"The tables have no {label} for {key}.", abstained=True)
        ordered = sorted(years.items(), key=lambda yf: -(yf[1].num or 0) if p.desc else
                         (yf[1].num or 0))
        top = [(y, f) for y, f in ordered if f.num == ordered[0][1].num]
        res = Result("", header=[kind_noun(p.kind), "year", label],
                     rows=[[key, str(y), self.show(f)] for y, f in years.items()])
        res.cites[key] = list(years.values())
        rank = self.parser.is_rank(p.measure)
        word = ("best" if not p.desc else "worst") if rank else (
            "highest" if p.desc else "lowest")
        when = join([f"{y} ({self.show(f)})" for y, f in top])
        res.sentence = (f"{key}'s {label} was {word} in {when} {mark(key)}, of the years "
                        f"{span(list(years))}.")
        return res

    def op_years_of(self, p: Plan) -> Result:
        """The years the tables give figures for one thing."""
        key = p.keys[0]
        years = self._by_year(p, None)
        if not years:
            return Result(f"The tables give no figures by year for {key}.", abstained=True)
        res = Result("", header=[kind_noun(p.kind), "year"],
                     rows=[[key, str(y)] for y in years])
        res.cites[key] = list(years.values())
        res.sentence = (f"The tables give figures for {key} {mark(key)} for {len(years)} "
                        f"year{'s' if len(years) != 1 else ''}: {span(list(years))}.")
        return res
