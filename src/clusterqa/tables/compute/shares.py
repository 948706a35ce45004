"""Parts of a whole and one column over another: "what share of the telescopes are in Spain",
"what percentage of the parks are French", "papers per telescope"."""

from __future__ import annotations

import copy

from ..engine import Fact, money_or_plain
from ..parse import Plan, kind_noun
from .listing import Listings
from .result import Result, fmt, join, mark

# The fields of a plan that pick a share's part; the whole is the plan without them.
_PART: dict[str, dict[str, object]] = {
    "keys": {"keys": []},
    "places": {"places": [], "exclude": []},
    "vbound": {"vbound": None, "vlo": None, "vhi": None, "vop": ""},
    "bound": {"bound": None, "lo": None, "hi": None},
}


def _singular(label: str) -> str:
    words = label.lower().split()
    last = words[-1] if words else ""
    if last.endswith("ies"):
        words[-1] = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]
    return " ".join(words)


class Shares(Listings):
    def op_share(self, p: Plan) -> Result:
        assert p.measure is not None
        year, gap = self.first_year(p)
        if gap:
            return gap
        whole_plan = copy.copy(p)
        for name in p.part:
            for attr, empty in _PART[name].items():
                setattr(whole_plan, attr, copy.copy(empty))
        whole = self.pool(whole_plan, year)
        part = self.pool(p, year)
        whole_what = self.describe(whole_plan, year)
        inner = copy.copy(p)
        inner.top = None  # the part is said by its own filter; the whole names the top n
        part_what = join(p.keys) if p.keys else self.describe(inner, None)
        if not p.counting:
            whole = {k: f for k, f in whole.items() if f.num is not None}
            part = {k: f for k, f in part.items() if k in whole}
            units = sorted({f.unit for f in whole.values()})
            if len(units) > 1:
                return Result(
                    f"The {self.label(p.measure)} of the {whole_what} are in different units "
                    f"({', '.join(u or 'none' for u in units)}), so no share is taken.",
                    abstained=True,
                )
        a = len(part) if p.counting else sum(f.num or 0 for f in part.values())
        b = len(whole) if p.counting else sum(f.num or 0 for f in whole.values())
        if not whole or b == 0:
            return Result(f"The tables have no {self.label(p.measure)} for the {whole_what}.",
                          abstained=True)
        ordered = sorted(whole.values(), key=lambda f: (f.key not in part, -(f.num or 0), f.key))
        res = self._rows(p, ordered, year)
        res.header.append("in the part")
        for row, f in zip(res.rows, ordered, strict=True):
            row.append("yes" if f.key in part else "")
        pct = f"{fmt(round(100 * a / b, 1))}%"
        shown = sorted(part.values(), key=lambda f: (-(f.num or 0), f.key))
        if p.counting:
            names = join([f"{f.key} {mark(f.key)}" for f in shown[:12]])
            res.sentence = (f"{int(a)} of the {int(b)} {whole_what} ({pct}) are {part_what}"
                            + (f": {names}." if names else "."))
        else:
            unit = shown[0].unit if shown else ""
            label = self.label(p.measure)
            names = "; ".join(f"{f.key} {self.show(f)} {mark(f.key)}" for f in shown[:8])
            res.sentence = (
                f"{pct} of the {label} of the {whole_what} come from {part_what}: "
                f"{money_or_plain(a, unit)} of {money_or_plain(b, unit)}"
                + (f" ({names})." if names and not p.keys else ".")
            )
            if p.keys:
                res.sentence = res.sentence[:-1] + " " + " ".join(
                    mark(k) for k in p.keys if k in part) + "."
        res.sentence = res.sentence[0].upper() + res.sentence[1:]
        return res

    def op_ratio(self, p: Plan) -> Result:
        assert p.measure is not None and p.per is not None
        year, gap = self.first_year(p)
        if gap:
            return gap
        tops = self.pool(p, year)
        unders = self.beside(p.kind, p.per, year)
        scale = 100.0 if p.percent else 1.0  # a part of the thing's own whole, in percent
        pairs: list[tuple[float, Fact, Fact]] = [
            (scale * (f.num or 0) / (unders[k].num or 0), f, unders[k])
            for k, f in tops.items()
            if f.num is not None and k in unders and unders[k].num
        ]
        top_label, under_label = self.label(p.measure), self.label(p.per)
        said = f"{top_label[:1].lower()}{top_label[1:]} per {_singular(under_label)}"
        if p.percent:
            said = f"share of {top_label[:1].lower()}{top_label[1:]} in {under_label.lower()}"
        what = self.describe(p, year)
        missing = [k for k in (p.keys or []) if k not in {f.key for _r, f, _u in pairs}]
        if not pairs or missing:
            lacking = join(missing) if missing else f"the {what}"
            return Result(f"The tables lack the {top_label} or {under_label} of {lacking}, so "
                          f"no {said} can be worked out.", abstained=True)
        pairs.sort(key=lambda x: (-x[0] if p.desc else x[0], x[1].key))
        if p.n and not p.keys:
            cut = pairs[: p.n]
            pairs = [x for x in pairs if x[0] == cut[-1][0]] if p.n == 1 else cut
        res = Result("", header=[kind_noun(p.kind), top_label, under_label, said])

        def ratio(r: float, f: Fact) -> str:
            if p.percent:
                return f"{fmt(round(r, 1))}%"
            return money_or_plain(round(r, 2), f.unit) if f.unit != "%" else fmt(round(r, 2))

        for r, f, u in pairs:
            res.rows.append([f.key, self.show(f), self.show(u), ratio(r, f)])
            res.cites[f.key] = [f, u]
        parts = [f"{f.key} {ratio(r, f)} ({self.show(f)} / {self.show(u)}) {mark(f.key)}"
                 for r, f, u in pairs[:10]]
        when = f" in {year}" if year and not p.keys else ""
        if p.keys:
            res.sentence = f"The {said}{f' in {year}' if year else ''}: {'; '.join(parts)}."
        elif p.n:
            word = "highest" if p.desc else "lowest"
            count = "one" if len(pairs) == 1 else str(len(pairs))
            res.sentence = (f"Among the {what}, the {count} with the {word} {said}: "
                            f"{'; '.join(parts)}.")
        else:
            more = f" and {len(pairs) - 10} more" if len(pairs) > 10 else ""
            when = "" if what.endswith(str(year)) else when
            res.sentence = (f"The {said} of the {what}{when}, highest first: "
                            f"{'; '.join(parts)}{more}.")
        return res
