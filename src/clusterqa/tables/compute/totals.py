"""Sums, averages and medians of a measure over the rows a filter picks."""

from __future__ import annotations

import statistics

from ..engine import money_or_plain
from ..parse import Plan, kind_noun
from .listing import Listings
from .result import Result, join, mark, span


class Totals(Listings):
    def _aggregate(self, p: Plan, average: bool) -> Result:
        assert p.measure is not None
        if p.joined:
            return self._over_named_years(p, average)
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

    def _over_named_years(self, p: Plan, average: bool) -> Result:
        """Every figure of the things in each year named ("total papers in 2022 and 2023"),
        added up (or averaged per thing and year), with each year's own subtotal."""
        assert p.measure is not None
        gap = self.missing_year(p, p.measure, list(p.years))
        if gap:
            return gap
        per_year = {y: [f for f in self.pool(p, y).values() if f.num is not None]
                    for y in p.years}
        filled = [f for fs in per_year.values() for f in fs]
        label, when = self.label(p.measure), join([str(y) for y in p.years])
        what = self.describe(p, None)
        if not filled:
            return Result(f"The tables have no {label} for the {what} in {when}.", abstained=True)
        units = sorted({f.unit for f in filled})
        if len(units) > 1:
            return Result(f"The {label} of the {what} are in different units "
                          f"({', '.join(u or 'none' for u in units)}), so they are not added up.",
                          abstained=True)
        nums = [f.num or 0 for f in filled]
        value = sum(nums) / len(nums) if average else sum(nums)
        if average and p.median:
            value = statistics.median(nums)
        res = Result("", header=[p.kind, "year", label])
        for y, fs in per_year.items():
            for f in sorted(fs, key=lambda f: -(f.num or 0)):
                res.rows.append([f.key, str(y), self.show(f)])
                res.cites.setdefault(f.key, []).append(f)
        parts = "; ".join(f"{y}: {money_or_plain(sum(f.num or 0 for f in fs), units[0])}"
                          for y, fs in per_year.items() if fs)
        figure = money_or_plain(round(value, 2), units[0])
        if p.keys:
            what = join(p.keys)
        if average:
            how = "median" if p.median else "average"
            text = (f"The {how} {label} of the {what} in {when} is {figure} per "
                    f"{kind_noun(p.kind)} and year")
        else:
            text = f"The {what} have together {figure} {label} in {when}"
            if p.keys:
                text = f"{what} have together {figure} {label} in {when}"
        lacking = [str(y) for y, fs in per_year.items() if not fs]
        marks = " ".join(mark(k) for k in res.cites)
        text += f" ({parts}) {marks}." + (f" No figure for {join(lacking)}." if lacking else "")
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
        if p.joined:  # "in 2021 and 2023": those two years, not the one between them
            gap = self.missing_year(p, p.measure, list(p.years))
            if gap:
                return gap
            years = list(p.years)
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
