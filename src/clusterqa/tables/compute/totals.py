"""Sums, averages and medians of a measure over the rows a filter picks."""

from __future__ import annotations

import statistics

from ..engine import money_or_plain
from ..parse import Plan
from .listing import Listings
from .result import Result, join, mark, span


class Totals(Listings):
    def _aggregate(self, p: Plan, average: bool) -> Result:
        assert p.measure is not None
        year, gap = self.first_year(p)
        if gap:
            return gap
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
        how = (
            "The median of the {w} is"
            if p.median
            else ("The {w} have on average" if average else "The {w} have together")
        )
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

    def _over_years(self, p: Plan, average: bool) -> Result:
        """One thing's figures over the years the tables give, added up or averaged."""
        assert p.measure is not None
        key = p.keys[0]
        years = [y for y in self.engine.years(p.kind, p.measure)
                 if len(p.years) < 2 or min(p.years) <= y <= max(p.years)]
        facts = {y: self.values(p.kind, p.measure, y).get(key) for y in years}
        filled = {y: f for y, f in facts.items() if f is not None and f.num is not None}
        empty = [str(y) for y in years if y not in filled]
        label = self.label(p.measure)
        if not filled:
            return Result(f"The tables have no {label} for {key}.", abstained=True)
        units = sorted({f.unit for f in filled.values()})
        if len(units) > 1:
            return Result(f"{key}'s {label} is given in different units "
                          f"({', '.join(u or 'none' for u in units)}), so it is not added up.",
                          abstained=True)
        nums = [f.num or 0 for f in filled.values()]
        value = sum(nums) / len(nums) if average else sum(nums)
        if average and p.median:
            value = statistics.median(nums)
        res = Result("", header=[p.kind, "year", label])
        for y, f in filled.items():
            res.rows.append([key, str(y), self.show(f)])
        res.cites[key] = list(filled.values())
        what = "median" if p.median else "average" if average else "total"
        parts = "; ".join(f"{y}: {self.show(f)}" for y, f in filled.items())
        res.sentence = (
            f"{key}'s {what} {label} over {span(years)} is "
            f"{money_or_plain(value, units[0])} {mark(key)} ({parts})."
            + (f" No figure for {join(empty)}." if empty else "")
        )
        return res

    def op_sum_years(self, p: Plan) -> Result:
        return self._over_years(p, average=False)

    def op_avg_years(self, p: Plan) -> Result:
        return self._over_years(p, average=True)
