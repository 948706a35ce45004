"""Rows taken group by group: a count, total or average per value of a column ("clusters per
economy"), and a position or an extreme found once per year ("who was first each year")."""

from __future__ import annotations

import copy
import statistics
from collections.abc import Callable

from ...textnorm import ordinal
from ..engine import Fact, money_or_plain
from ..parse import Plan, kind_noun
from .listing import Listings
from .result import Result, join, mark, plural_of, span

_SHOWN = 12  # groups or years said in the sentence; the table holds them all


class Groups(Listings):
    def op_per_group(self, p: Plan) -> Result:
        assert p.measure is not None and p.group is not None
        year, gap = self.first_year(p)
        if gap:
            return gap
        found = self.pool(p, year)
        labels = self.beside(p.kind, p.group, year)
        members: dict[str, list[Fact]] = {}
        for key, f in found.items():
            cell = labels.get(key)
            if cell is not None and cell.text and (p.agg == "count" or f.num is not None):
                members.setdefault(cell.text, []).append(f)
        what, label = self.describe(p, year), self.label(p.group)
        if not members:
            return Result(f"The tables give no {label} for the {what}.", abstained=True)
        units = sorted({f.unit for fs in members.values() for f in fs})
        if p.agg != "count" and len(units) > 1:
            return Result(
                f"The {self.label(p.measure)} of the {what} are in different units "
                f"({', '.join(u or 'none' for u in units)}), so they are not added up.",
                abstained=True,
            )

        def value(fs: list[Fact]) -> float:
            nums = [f.num or 0 for f in fs]
            if p.agg == "count":
                return len(fs)
            if p.agg == "avg":
                return statistics.median(nums) if p.median else sum(nums) / len(nums)
            return sum(nums)

        def say(v: float) -> str:
            return str(int(v)) if p.agg == "count" else money_or_plain(round(v, 2), units[0])

        order = sorted(members, key=lambda g: (-value(members[g]) if p.desc else
                                               value(members[g]), g))
        how = {"count": "number of", "sum": "total", "avg": "median" if p.median else "average"}
        column = "count" if p.agg == "count" else f"{how[p.agg]} {self.label(p.measure)}"
        res = Result("", header=[label, plural_of(kind_noun(p.kind)), column])
        for g in order:
            fs = sorted(members[g], key=lambda f: f.key)
            res.rows.append([g, ", ".join(f.key for f in fs), say(value(fs))])
            res.cites[g] = fs + [labels[f.key] for f in fs]
        if p.n:
            res.sentence = self._top_groups(p, order, [value(members[g]) for g in order], say,
                                            f"{column} of the {what}")
            return res
        parts = [f"{g} {say(value(members[g]))} {mark(g)}" for g in order[:_SHOWN]]
        more = f" and {len(order) - _SHOWN} more" if len(order) > _SHOWN else ""
        head = (f"The {what} per {label}" if p.agg == "count" else
                f"The {column} of the {what} per {label}")
        res.sentence = f"{head}: {'; '.join(parts)}{more}."
        return res

    @staticmethod
    def _top_groups(p: Plan, order: list[str], values: list[float],
                    say: Callable[[float], str], what: str) -> str:
        """The first ``p.n`` groups (and any tied with the last), then the next few, so the
        reader sees by how much they lead."""
        n = p.n or 1
        cut = values[min(n, len(values)) - 1]
        top = [g for g, v in zip(order, values, strict=True)
               if order.index(g) < n or v == cut]
        word = "highest" if p.desc else "lowest"
        named = join([f"{g} ({say(v)}) {mark(g)}" for g, v in zip(order, values, strict=True)
                      if g in top])
        verb = "has" if len(top) == 1 else "have"
        head = f"{named} {verb} the {word} {what}"
        rest = [f"{g} {say(v)}" for g, v in zip(order, values, strict=True) if g not in top]
        return f"{head}." + (f" Next: {'; '.join(rest[:3])}." if rest else "")

    def op_best_each(self, p: Plan) -> Result:
        """The thing at a position (``p.lo``), else at the extreme, in each of ``p.years``."""
        assert p.measure is not None
        label = self.label(p.measure)
        res = Result("", header=["year", kind_noun(p.kind), label])
        parts, lacking = [], []
        for year in p.years:
            q = copy.copy(p)
            q.years = [year]
            found = [f for f in self.pool(q, year).values() if f.num is not None]
            found.sort(key=lambda f: (-(f.num or 0) if p.desc else (f.num or 0), f.key))
            top = [f for f in found if f.num == found[0].num] if found else []
            if not top:
                lacking.append(year)
                continue
            for f in top:
                res.rows.append([str(year), f.key, self.show(f)])
                res.cites[f"{year} {f.key}"] = [f]
            names = join([f"{f.key} ({self.show(f)}) {mark(f'{year} {f.key}')}" for f in top])
            parts.append(f"{year} {names}")
        if not parts:
            return Result(f"The tables have no {label} for {span(p.years)}.", abstained=True)
        noun = plural_of(kind_noun(p.kind))
        if p.lo is not None and p.bound:
            head = f"The {kind_noun(p.kind)} {ordinal(p.lo)} in each year"
        elif self.parser.is_rank(p.measure):
            head = f"The best-ranked of the {noun} in each year"
        else:
            word = ("most" if p.desc else "fewest") if label.endswith("s") else (
                "highest" if p.desc else "lowest")
            head = f"The {noun} with the {word} {label} in each year"
        shown = parts[:_SHOWN] + ([f"{len(parts) - _SHOWN} more years"]
                                  if len(parts) > _SHOWN else [])
        res.sentence = f"{head}: {'; '.join(shown)}."
        if lacking:
            res.sentence += f" No {label} for {span(lacking)}."
        return res
