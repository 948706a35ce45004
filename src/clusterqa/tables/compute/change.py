"""Changes between two years: one thing's change, the biggest movers, entries to and exits
from a top-N, and the values over years drawn as a chart."""

from __future__ import annotations

from ...models import Chart
from ..engine import Fact
from ..parse import Plan, kind_noun
from .result import Result, fmt, join, mark, plural_of
from .values import Values


class Changes(Values):
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

    def _change_header(self, kind: str, measure: str, y0: int, y1: int) -> list[str]:
        """The result table's columns for a change: the thing, both years' values, the move."""
        return [kind, f"{self.label(measure)} {y0}", f"{self.label(measure)} {y1}", "change"]

    def op_change(self, p: Plan) -> Result:
        assert p.measure is not None
        y0, y1 = self._two_years(p, p.measure, p.keys)
        gap = self.missing_year(p, p.measure, [y0, y1])
        if gap:
            return gap
        v0, v1 = self.values(p.kind, p.measure, y0), self.values(p.kind, p.measure, y1)
        res = Result("", header=self._change_header(p.kind, p.measure, y0, y1))
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
            pct = self.percent(a.num, b.num)
            relative = (f", {pct:+.1f}%" if pct is not None and (p.percent or a.unit != b.unit)
                        and a.unit != "%" else "")
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
                    f"{self.show(b)} in {y1} {mark(k)} ({self.signed(p, delta, a.unit)}{relative})"
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
        pairs = [(k, v0.get(k), v1.get(k)) for k in inside]
        both = [(k, a, b) for k, a, b in pairs
                if a and b and a.num is not None and b.num is not None]
        # figures in several units (budgets in four currencies) are compared in percent
        units = {f.unit for _k, a, b in both for f in (a, b) if f is not None}
        relative = not rank and (p.percent or len(units) > 1)
        for k, a, b in both:
            assert a.num is not None and b.num is not None
            if relative:
                pct = self.percent(a.num, b.num)
                if pct is not None:
                    moves.append((pct, k, a, b))
            else:
                moves.append(((a.num - b.num) if rank else (b.num - a.num), k, a, b))
        if not moves:
            return Result(
                f"The tables have no {kind_noun(p.kind)} with {self.label(p.measure)} in both "
                f"{y0} and {y1}.",
                abstained=True,
            )
        sign = p.direction or 1
        moves.sort(key=lambda m: (-sign * m[0], m[1]))
        if p.counting:
            least = 1e-9
            if p.step is not None and p.step[0] == "=":  # "kept their place": no move
                return self._count_moves(p, [m for m in moves if m[0] == p.step[1]], y0, y1,
                                         sign, relative)
            if p.step is not None:  # "two or more places": the size of the move
                least = p.step[1] + (1e-9 if p.step[0] == ">" else 0)
            return self._count_moves(p, [m for m in moves if sign * m[0] >= least], y0, y1, sign,
                                     relative)
        n = p.n or 1
        best = [m for m in moves if m[0] == moves[0][0]] if n == 1 else moves[:n]
        res = Result("", header=self._change_header(p.kind, p.measure, y0, y1))
        for d, k, a, b in best:
            res.rows.append([k, self.show(a), self.show(b), f"{d:+g}"])
            res.cites[k] = [a, b]
        verb = ("climbed" if sign > 0 else "fell") if rank else ("grew" if sign > 0 else "fell")

        def moved(d: float, a: Fact, b: Fact) -> str:
            return f"{d:+.1f}%" if relative else self.signed(p, d, a.unit)

        parts = [
            f"{k} {mark(k)} ({self.show(a)} in {y0} \u2192 {self.show(b)} in {y1}, "
            f"{moved(d, a, b)})"
            for d, k, a, b in best
        ]
        unit = " places" if rank else ""
        by = f"{abs(best[0][0]):.1f}%" if relative else fmt(abs(best[0][0])) + unit
        label = self.label(p.measure)
        res.sentence = (
            f"Between {y0} and {y1}, {join(parts)} {verb} the most"
            f"{' by ' + by if n == 1 else ''}{' in relative terms' if relative else ''}, of the "
            f"{len(moves)} {plural_of(kind_noun(p.kind))} with "
            f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label} in "
            "both years."
        )
        res.chart = self.series(p, [m[1] for m in best], p.measure, res)
        return res

    def _count_moves(
        self, p: Plan, moves: list[tuple[float, str, Fact, Fact]], y0: int, y1: int, sign: int,
        relative: bool = False,
    ) -> Result:
        rank = self.parser.is_rank(p.measure)
        label = self.label(p.measure or "")
        res = Result("", header=[kind_noun(p.kind), f"{label} {y0}", f"{label} {y1}", "change"])
        for d, k, a, b in moves:
            res.rows.append([k, self.show(a), self.show(b), f"{d:+g}"])
            res.cites[k] = [a, b]
        verb = (
            ("moved up" if sign > 0 else "moved down") if rank else ("rose" if sign > 0 else "fell")
        )
        n = len(moves)
        if p.step is not None and p.step[0] == "=" and p.step[1] == 0:
            own = "its" if n == 1 else "their"
            verb = f"kept {own} place" if rank else f"kept {own} {label}"
            if n == 0:
                kept = "kept its place" if rank else f"kept its {label}"
                return Result(f"No {kind_noun(p.kind)} {kept} between {y0} and {y1}.",
                              header=res.header)
        names = join([f"{k} {mark(k)}" for _d, k, _a, _b in moves]) if n <= 12 else ""
        by = ""
        if p.step is not None and p.step[0] != "=":  # "by more than 5%", "two or more places"
            word = {">=": "at least", ">": "more than", "<": "less than", "<=": "at most"}.get(
                p.step[0], "")
            size = f"{fmt(p.step[1])}{'%' if relative else ' places' if rank else ''}"
            by = f" by {word} {size}" if word else f" by {size}"
        res.sentence = (
            f"{n} {plural_of(kind_noun(p.kind), n)} {verb}{by} between {y0} and {y1}"
            + (f": {names}" if names else "")
            + "."
        )
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
            if p.places and not self.names.in_places(p.kind, k, p.places):
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
