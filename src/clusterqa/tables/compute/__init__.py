"""A plan carried out on the engine: the values it needs, the computation, and a result that
says what was found, which rows it rests on, or what is missing.

One module per family of operations (``lookup``, ``listing``, ``totals``, ``extremes``,
``groups``, ``shares``, ``compare``, ``change``), each a small mixin over ``values.Values``;
``Computer`` joins them and runs a plan's ``op_<operation>``. The sentence carries ``⟦key⟧``
marks where a thing is named; ``compose`` turns each into the citation numbers of that thing's rows.
"""

from __future__ import annotations

from ..parse import Plan
from .change import Changes
from .compare import Comparisons
from .extremes import Extremes
from .groups import Groups
from .lookup import Lookups
from .result import Result, plural_of
from .shares import Shares
from .totals import Totals

__all__ = ["Computer", "Result", "plural_of"]


class Computer(Lookups, Totals, Extremes, Groups, Shares, Comparisons, Changes):
    """Every operation a plan can name, over one engine."""

    def run(self, p: Plan) -> Result:
        if p.measure is None:
            return Result("", abstained=True)
        return getattr(self, "op_" + p.op)(p)
