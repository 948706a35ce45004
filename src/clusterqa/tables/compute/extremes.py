"""Superlatives and top-N: the highest, lowest, best-ranked, n-th of a measure."""

from __future__ import annotations

from ...textnorm import ordinal
from ..parse import Plan
from .listing import Listings
from .result import Result, join, mark


class Extremes(Listings):
    def op_best(self, p: Plan) -> Result:
        assert p.measure is not None
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
