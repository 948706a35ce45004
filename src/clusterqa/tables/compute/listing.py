"""Rows picked by a filter: listed, counted, or grouped by a column's value."""

from __future__ import annotations

from ..engine import Fact
from ..parse import Plan, kind_noun
from .result import Result, join, mark, plural_of
from .values import Values


class Listings(Values):
    def _listing(
        self, p: Plan
    ) -> tuple[int | None, list[Fact], Result | None, dict[str, list[Fact]]]:
        assert p.measure is not None
        measure = p.bound or p.measure
        wanted = self.years_of(p, measure)
        gap = self.missing_year(p, measure, wanted)
        if gap:
            return None, [], gap, {}
        year = wanted[-1] if (p.every or p.anyyear) else wanted[0]
        found = self.pool(p, year)
        if p.anyyear:  # every thing of any year, with its value of the latest year it is in
            bounds = dict(self._bounds)
            for other in wanted[-2::-1]:
                for k, f in self.pool(p, other).items():
                    if k not in found:
                        found[k] = f
                        if k in self._bounds:
                            bounds[k] = self._bounds[k]
            self._bounds = bounds
        earlier: dict[str, list[Fact]] = {}
        if p.every:  # kept in each of the years: the last year's values shown, every year cited
            for other in wanted[:-1]:
                kept = self.pool(p, other)
                found = {k: f for k, f in found.items() if k in kept}
                for k, f in kept.items():
                    earlier.setdefault(k, []).append(self._bounds.get(k) or f)
            self.pool(p, year)  # the last year's window values, to show beside each
        order = self._bounds or found
        facts = sorted(
            found.values(),
            key=lambda f: (
                order[f.key].num if order.get(f.key) and order[f.key].num is not None else 1e18,
                f.key,
            ),
        )
        return year, facts, None, earlier

    def _rows(self, p: Plan, facts: list[Fact], year: int | None,
              earlier: dict[str, list[Fact]] | None = None) -> Result:
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
                if c != p.bound and c != f.measure and not p.blank:
                    g = self.values(p.kind, c, year).get(f.key)
                row.append(self.show(g) if g and self.has_value(g) else "")
                if g is not None:
                    cited.append(g)
            res.rows.append(row)
            res.cites[f.key] = (earlier or {}).get(f.key, []) + cited
        return res

    def op_list(self, p: Plan) -> Result:
        year, facts, gap, earlier = self._listing(p)
        if gap:
            return gap
        res = self._rows(p, facts, year, earlier)
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
        year, facts, gap, earlier = self._listing(p)
        if gap:
            return gap
        res = self._rows(p, facts, year, earlier)
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

    def op_groups(self, p: Plan) -> Result:
        """Which value of a column has the most rows ("which country has the most hubs")."""
        assert p.measure is not None
        found = self.pool(p, self.parser.default_year(p.kind, p.measure))
        groups: dict[str, list[Fact]] = {}
        for f in found.values():
            if f.text:
                groups.setdefault(f.text, []).append(f)
        if not groups:
            return Result(
                f"The tables have no {self.label(p.measure)} for the "
                f"{plural_of(kind_noun(p.kind))}.",
                abstained=True,
            )
        counts = sorted(groups.items(), key=lambda g: (-len(g[1]) if p.desc else len(g[1]), g[0]))
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
        res.sentence = (
            f"{join(parts)} {'has' if len(top) == 1 else 'have'} the {most} "
            f"{plural_of(kind_noun(p.kind))}: {best} {noun} each."
            if len(top) > 1
            else f"{join(parts)} has the {most} {plural_of(kind_noun(p.kind))}: {best} {noun}."
        )
        return res
