"""Two or more named things compared on one or more measures, with the gap between them."""

from __future__ import annotations

import copy

from ..parse import Plan, kind_noun
from .result import Result, fmt, join, mark
from .values import Values


class Comparisons(Values):
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
        year, gap = self.first_year(p)
        if gap:
            return gap
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
                f"{join([f.key + ' ' + mark(f.key) for f in got])} are level (the same){when}: "
                f"{self.show(a)}."
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

    def op_diff(self, p: Plan) -> Result:
        return self.op_compare(p)
