"""Superlatives and top-N: the highest, lowest, best-ranked, n-th of a measure."""

from __future__ import annotations

import copy

from ...textnorm import ordinal
from ..engine import Fact, money_or_plain
from ..parse import Plan, kind_noun
from .listing import Listings
from .result import Result, join, mark


class Extremes(Listings):
    def op_best(self, p: Plan) -> Result:
        assert p.measure is not None
        if p.joined:
            return self._best_over_years(p)
        year, gap = self.first_year(p)
        if gap:
            return gap
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
        if p.outside:  # the rest after the first few, ties with the last of them kept in
            cut = found[p.outside - 1].num if len(found) >= p.outside else None
            top = [f for f in found[p.outside:] if f.num != cut]
        res = self._rows(p, top, year)
        rank = self.parser.is_rank(p.measure)
        label = self.label(p.measure)
        counted = label.endswith("s")
        word = ("most" if p.desc else "fewest") if counted else ("highest" if p.desc else "lowest")
        if p.nth:
            word = f"{ordinal(p.nth)} {word}"
        if p.outside:
            shown = [f"{f.key} {mark(f.key)} ({self.show(f)})" for f in top]
            res.sentence = (f"Outside the top {p.outside} of the {what} by {label}: "
                            f"{len(top)}, {join(shown)}." if top else
                            f"No {what} stand outside the top {p.outside} by {label}.")
            return res
        if rank:
            word = "best-ranked" if not p.desc else "lowest-ranked"
            if p.nth:
                word = f"{ordinal(p.nth)} {word}"
            names = [f"{f.key} {mark(f.key)} ({self.show(f)})" for f in top]
            res.sentence = f"{join(names)}: the {word} of the {what}."
        elif self.parser._year_valued(p.kind, p.measure):  # "the newest": a column of years
            word = "most recent" if p.desc else "earliest"
            if p.nth:
                word = f"{ordinal(p.nth)} {word}"
            names = [f"{f.key} {mark(f.key)} ({self.show(f)})" for f in top]
            res.sentence = f"{join(names)}: the {word} by {label} of the {what}."
        else:
            names = [f"{f.key} {mark(f.key)} with {self.show(f)}" for f in top]
            res.sentence = (
                f"Among the {what}, the {'one' if n == 1 else str(n)} with the "
                f"{word} {self.label(p.measure)}: {join(names)}."
            )
        res.sentence = res.sentence[0].upper() + res.sentence[1:]
        return res

    def _best_over_years(self, p: Plan) -> Result:
        """The extreme over several years named: each thing's figures added up ("the most
        papers in 2022 and 2023"), or, with "or", the one figure of any year. A thing lacking
        one of the years is left out of a total and said so."""
        assert p.measure is not None
        gap = self.missing_year(p, p.measure, list(p.years))
        if gap:
            return gap
        plain = copy.copy(p)
        plain.anyyear = False  # the years are said with the figures
        label, what = self.label(p.measure), self.describe(plain, None)
        per_key: dict[str, list[Fact]] = {}
        for y in p.years:
            for f in self.pool(p, y).values():
                if f.num is not None:
                    per_key.setdefault(f.key, []).append(f)
        facts = [f for fs in per_key.values() for f in fs]
        if not facts or len({f.unit for f in facts}) > 1:
            return Result(f"The tables give no {label} to compare for the {what} in "
                          f"{join([str(y) for y in p.years])}.", abstained=True)
        sign = -1 if p.desc else 1
        if p.anyyear:
            scored = sorted(((f.num or 0, [f]) for f in facts),
                            key=lambda x: (sign * x[0], x[1][0].key, x[1][0].year or 0))
        else:
            scored = sorted(((sum(f.num or 0 for f in fs), fs) for fs in per_key.values()
                             if len(fs) == len(p.years)), key=lambda x: (sign * x[0], x[1][0].key))
        if not scored:
            return Result(f"No {kind_noun(p.kind)} has {label} for each of "
                          f"{join([str(y) for y in p.years])}.", abstained=True)
        n = p.n or 1
        cut = scored[min(n, len(scored)) - 1][0]
        top = [x for i, x in enumerate(scored) if i < n or x[0] == cut]
        unit = facts[0].unit
        res = Result("", header=[kind_noun(p.kind), "year", label])
        names = []
        for value, fs in top:
            key = fs[0].key
            for f in fs:
                res.rows.append([key, str(f.year), self.show(f)])
            res.cites.setdefault(key, []).extend(fs)
            years = ", ".join(f"{self.show(f)} in {f.year}" for f in fs)
            said = f"{years}" if p.anyyear else f"{money_or_plain(value, unit)} ({years})"
            names.append(f"{key} {mark(key)} with {said}")
        counted = label.endswith("s")
        word = ("most" if p.desc else "fewest") if counted else ("highest" if p.desc else "lowest")
        span = join([str(y) for y in p.years])
        how = f"in {' or '.join(map(str, p.years))}" if p.anyyear else f"in {span} together"
        left = sorted(k for k, fs in per_key.items() if len(fs) < len(p.years))
        res.sentence = (f"Among the {what}, the {'one' if n == 1 else str(n)} with the {word} "
                        f"{label} {how}: {join(names)}.")
        if left and not p.anyyear:
            res.sentence += f" Left out for lacking a year: {join(left)}."
        return res
