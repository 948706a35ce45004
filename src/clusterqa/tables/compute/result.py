"""What a computation returns (``Result``) and the small words it is said with: plurals,
ordinals, figures, lists of names and spans of years."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...models import Chart
from ..engine import Fact


@dataclass
class Result:
    sentence: str
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    cites: dict[str, list[Fact]] = field(default_factory=dict)  # key → facts behind it
    abstained: bool = False
    chart: Chart | None = None


def plural_of(noun: str, n: int = 2) -> str:
    if n == 1 or noun.endswith("s"):
        return noun
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if noun.endswith(("sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


def fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def mark(key: str) -> str:
    return f"\u27e6{key}\u27e7"


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def span(years: list[int]) -> str:
    """Years as a reader says them: 2022–2025, or 2019, 2022 and 2024."""
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}\u2013{years[-1]}"
    return join([str(y) for y in years])


def place(term: str) -> str:
    return term.upper() if len(term) <= 3 else term.title()


def ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5, 7, 8 → '1–3, 5, 7–8'."""
    out: list[str] = []
    for n in numbers:
        if out and "\u2013" in out[-1] and int(out[-1].split("\u2013")[1]) == n - 1:
            out[-1] = f"{out[-1].split(chr(0x2013))[0]}\u2013{n}"
        elif out and out[-1].isdigit() and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}\u2013{n}"
        elif not out or out[-1] != str(n):
            out.append(str(n))
    shown = ", ".join(out[:12])
    return shown + (" …" if len(out) > 12 else "")
