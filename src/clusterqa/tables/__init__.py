"""Computed answers from the tables: lists, counts, rankings, comparisons and changes.

``TableRoute`` reads every table of an index generation into SQLite (``engine``), reads a
question against the tables' schema (``parse``), computes (``compute``) and writes the answer
with a citation for every row used (``compose``). It answers only questions it can read as a
computation over known columns; everything else goes to the prose answerer.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from ..conversation import user_turns
from ..models import Answer
from ..store import IndexData
from .compose import compose
from .compute import Computer, Result, plural_of
from .conflict import contradiction, say_both
from .engine import Engine, build_engine
from .entities import Names, build_names, norm
from .parse import DIFF, Parser, Plan, find_years, kind_noun, tokens, value_window
from .similar import HeaderMatcher

__all__ = ["TableRoute"]

_FOLLOW = re.compile(r"^\s*(?:and|what about|how about|and what about|same for|now)\b", re.I)
_AMONG = re.compile(
    r"\b(?:of|among|between) (?:them|these|those|the ones|the above|this list|the (?:two|three|"
    r"four|five))\b|\b(?:which|who) of (?:them|these|those)\b|\bwhich one\b"
)
_PRONOUN = re.compile(
    r"\b(them|they|these|those|both|it|its|their|the two|that|this one|there|that year)\b"
)
# The words that ask for a count, list or share of things, the kind left unsaid ("how many are")
_ASKED = re.compile(r"^(\s*(?:and |so |then )?(?:how many|which|what share of|what percentage of|"
                    r"what proportion of|list|name)(?: of)?)(?: the)?(?: ones)?\b", re.I)
# "how does that compare with X", "and against X": the earlier thing beside the new one
_AGAINST = re.compile(r"\b(?:compar\w*|versus|vs|against|stack up|measure up|differ\w*)\b")
_RANK_ASKED = re.compile(r"\b(?:finish(?:ed)?|rank(?:ed|s)?|position|placed|place|placing|"
                         r"standing|spot)\b")
_RELATIVE = re.compile(r"\b(?:previous|prior|last|preceding) (?:year|edition|ranking)\b|"
                       r"\b(?:a |the )?year (?:before|earlier)\b")
_SUPERLATIVE = {
    "more": "most",
    "higher": "highest",
    "larger": "largest",
    "bigger": "biggest",
    "fewer": "fewest",
    "less": "least",
    "lower": "lowest",
    "better": "best",
    "smaller": "smallest",
    "greater": "greatest",
    "worse": "worst",
}


# "and the year after?", "the following year", "a year earlier": a year beside the last one
_NEXT = re.compile(r"\b(?:the |a )?(?:year|edition) (?:after|later)\b|\b(?:the )?(?:following|next|"
                   r"subsequent) (?:year|edition)\b|\b(?:the |a )?(?:year|edition) (before|"
                   r"earlier)\b")


def _before(plan: Plan, previous: Plan, text: str) -> None:
    """"Compared with the previous edition" after a question about 2023 means 2022."""
    if previous.year_given and len(previous.years) == 1 and _RELATIVE.search(text) and not (
            find_years(text, [])[1]):
        year = previous.years[0]
        plan.years = [year - 1, year] if plan.op in ("change", "movers") else [year - 1]


def _ask_of(plan: Plan) -> None:
    """A question that picked a thing by its position or extreme, asked again of a thing
    named: that thing's value of the measure that picked (its rank, its figure)."""
    plan.measure = plan.bound if plan.op == "rank_at" and plan.bound else plan.measure
    plan.op, plan.followed = "lookup", True
    plan.lo = plan.hi = plan.bound = plan.n = None
    plan.nth, plan.among = 0, []


def _same_row(reader: Answer, table: Answer) -> bool:
    """Whether the reader's answer quotes the row the table's answer cites first: then the
    table's one cell is that reading focused on the column asked, nothing more."""
    if reader.abstained or not reader.citations or not table.citations:
        return False
    a, b = reader.citations[0], table.citations[0]
    return (a.source, a.locator.kind, a.locator.start) == (b.source, b.locator.kind,
                                                           b.locator.start)


class TableRoute:
    """The table route for one loaded index."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        self.engine: Engine = build_engine(data)
        self.names: Names = build_names(self.engine)
        self.parser = Parser(self.engine, self.names, HeaderMatcher(self.engine, self._encode))
        self.computer = Computer(self.engine, self.names, self.parser)

    def _encode(self, texts: list[str]) -> Any:
        """The index's own embedding model (loaded once per process, shared with retrieval)."""
        from ..embedding import DEFAULT_MODEL, get_embedder

        model = self.data.manifest.model
        return get_embedder("" if model in ("", DEFAULT_MODEL) else model).encode(texts)

    def plan(self, question: str, history: list[Any] | None = None) -> Plan | None:
        """The plan for a question, reading the earlier question when this one follows up."""
        turns = user_turns(history)
        previous = self.plan(turns[-1], turns[:-1]) if turns else None
        text = tokens(question).text
        following = bool(_FOLLOW.search(question) or _PRONOUN.search(text))
        if turns and previous is None and (_FOLLOW.search(question) or re.search(
                r"\b(it|its|they|them|their|there|these|those)\b", text)):
            return None  # a follow-up of a prose answer is the prose route's
        if previous is not None and (
            _FOLLOW.search(question)
            or _AMONG.search(tokens(question).text)
            or _PRONOUN.search(tokens(question).text)
        ):
            followed = self._follow(question, previous)
            if followed is not None:
                return followed
        plan = self.parser.parse(question)
        if plan is None and previous is not None:
            plan = self._of_last_kind(question, previous)
        if plan is not None and previous is not None and following and not plan.year_given \
                and previous.year_given:
            plan.years = previous.years  # "and who came second that year?"
        elif plan is not None and previous is not None:
            _before(plan, previous, text)
        return plan

    def _of_last_kind(self, question: str, prev: Plan) -> Plan | None:
        """"How many are in the north region?" after a question about parks: a question
        naming no kind of thing (nor a thing) counts or lists the kind the conversation was
        about, as if it had said "how many parks"."""
        tok = tokens(question)
        if not prev.kind or self.parser.kind_of(tok, []) is not None or any(
                m.keys for m in self.names.find(question)):
            return None
        noun = plural_of(kind_noun(prev.kind))
        said = _ASKED.sub(lambda m: f"{m.group(1)} {noun}", question, count=1)
        if said == question:
            return None
        plan = self.parser.parse(said)
        return plan if plan is not None and plan.kind == prev.kind else None

    def _follow(self, question: str, prev: Plan) -> Plan | None:
        tok = tokens(question)
        mentions = self.names.find(question)
        keys = [key for m in mentions for (k, key) in m.keys if k == prev.kind]
        places = [m.place for m in mentions if m.place and not m.keys]
        years, given = find_years(tok.text, self.engine.years(prev.kind, prev.measure or ""))
        step = _NEXT.search(tok.text)
        if step and not given and prev.year_given and len(prev.years) == 1:
            years, given = [prev.years[0] + (-1 if step.group(1) else 1)], True  # "the year after"
        pointing = _PRONOUN.search(re.sub(r"\bthat (year|edition|ranking)\b", " ", tok.text))
        if _AMONG.search(tok.text) or (pointing and not keys):
            shown = list(self.computer.run(copy.deepcopy(prev)).cites) or prev.keys
            fresh = None
            if len(shown) <= 3 and not _AMONG.search(tok.text):
                named = question + " " + " and ".join(shown)
                fresh = self.parser.parse(named)
                if fresh is None and prev.measure:  # "how had that changed?": the same measure
                    fresh = self.parser.parse(f"{named} {self.engine.label(prev.measure)}")
            if fresh is not None:
                if (
                    fresh.op == "change"
                    and len(fresh.years) == 1
                    and len(prev.years) == 1
                    and prev.years[0] != fresh.years[0]
                ):
                    fresh.years = sorted([prev.years[0], fresh.years[0]])
                elif not fresh.year_given and prev.year_given:
                    fresh.years = prev.years
                else:
                    _before(fresh, prev, tok.text)
                return fresh
            noun = plural_of(kind_noun(prev.kind))
            bare = re.sub(_AMONG, " ", re.sub(r"\b(?:which|who) of (?:them|these|those)\b", "which",
                                              question, flags=re.I))
            if value_window(tokens(bare).text) is None:  # "more than 30" is a threshold
                bare = re.sub(  # "which of them is bigger" asks for the biggest
                    r"\b(" + "|".join(_SUPERLATIVE) + r")\b",
                    lambda m: _SUPERLATIVE[m.group(1)],
                    bare,
                )
            among = self.parser.parse(f"{bare} {noun}")
            if among is None:
                among = self.parser.parse(bare.rstrip("?") + f" of the {noun}")
            if among is not None and shown:
                among.kind = prev.kind
                among.keys = []
                among.places = list(dict.fromkeys(among.places + prev.places))
                among.years = among.years or prev.years
                if among.bound is None:  # "which of those also made the 2024 top 10": its own
                    among.lo, among.hi, among.bound = prev.lo, prev.hi, prev.bound
                among.among = shown
                return among
        if _FOLLOW.search(question) or len(tok.words) <= 5:
            new = copy.deepcopy(prev)
            if given:
                new.years = years
                new.year_given = True
            if keys:
                new.keys = list(dict.fromkeys(keys))
                if not prev.keys and prev.op in ("rank_at", "best"):
                    _ask_of(new)  # "which was first?", then "and where did X finish?"
                elif prev.keys and prev.op in ("lookup", "compare") and _AGAINST.search(tok.text):
                    new.keys = list(dict.fromkeys(prev.keys + keys))  # "how does that compare
                    new.op = "diff" if DIFF.search(tok.text) else "compare"  # with X?": both
            if places:
                new.places = places
            if step and given and not (keys or places) and new.op == "lookup":
                new.followed = True  # "and the year after?": the earlier thing and measure
            if given or keys or places:
                return new
        return None

    def answer(
        self,
        question: str,
        history: list[Any] | None = None,
        prose: Callable[[], Answer] | None = None,
    ) -> Answer | None:
        """The computed answer, or None when the question is not a table computation.

        When the tables lack the value asked for, ``prose`` (the prose answerer) is tried: a
        statement elsewhere may give it ("in 2025 X rose to 83rd"). Its answer is kept only
        when the passage it quotes names the thing, the year and the measure asked about;
        otherwise the answer says what the tables miss and what they cover."""
        plan = self.plan(question, history)
        if plan is None:
            return None
        result: Result = self.computer.run(copy.deepcopy(plan))
        if plan.op == "lookup" and len(plan.keys) < 2 and not plan.followed and (
                not result.abstained or not self._has_column(plan)) and not (
                self._dated_cell(plan, result, question) or self._ranked_cell(plan, result,
                                                                              question)):
            # One thing's one value is the prose reader's: it reads every row and sentence and
            # checks the answer type. On sources nobody tuned on, a lookup here picked the wrong
            # column ("the city of X" for X's budget); on the bank's tune splits leaving lookups
            # to prose cost 5 questions on the shipped and table sets and gained 3 on the wiki.
            # What the tables lack (a year they do not cover, an empty cell) is still said here;
            # a thing whose own table has no such column at all (an infobox without the field)
            # is the documents' to answer. Several things' values at once ("what were their
            # scores?") are a small table, which one passage seldom holds. A follow-up that
            # asks an earlier computed question's measure of a thing named is the tables' own.
            # So is a cell whose column names the year asked ("FY2021 budget"): the reader of
            # the whole row gave every year's and measure's cell beside it (+2 on the table
            # set's tune split); its answer still wins when it quotes another passage (or
            # none: on unseen sets the cell answered questions it rightly left open) or finds
            # a source disagreeing. A rank asked in a ranking's words ("where did X finish")
            # is kept the same way (+1 on the ledger set's tune split, none lost).
            return None
        result.sentence = self.engine.say_names(
            self.engine.say_seasons(plan.kind, result.sentence))
        answer = compose(result, question, question, self.engine, self.data)
        if plan.op == "lookup" and not answer.abstained and len(plan.keys) < 2 and (
                not plan.followed) and prose is not None:
            other = prose()  # a dated cell: said alone only where the reader quoted its row
            return answer if not other.conflict and _same_row(other, answer) else other
        if not answer.abstained:  # a statement in the documents that says otherwise
            claim = contradiction(plan, question, answer, self.data, self.names, self.parser)
            if claim is not None:
                return say_both(answer, claim, self.data)
        if plan.op == "unknown" and prose is not None:
            # a name the tables do not hold may still be in the documents ("house prices in
            # Aldervik"): the prose answer, when there is one; else what the tables cover
            other = prose()
            return answer if other.abstained else other
        if answer.abstained and prose is not None:
            other = prose()
            if (
                not other.abstained
                and other.citations
                and self._supports(other.citations[0].quote, plan,
                                   self._referred(other.citations[0].quote,
                                                  other.citations[0].passage, plan))
                and not self._computable(other)
            ):
                return other
        return answer

    def _dated_cell(self, plan: Plan, result: Result, question: str) -> bool:
        """Whether a year asked for is a column of its own ("FY2021 budget", "Grant
        applications 2021"), the question names that column by its words or their general
        synonyms ("people worked" for "FY2023 jobs"), and the answer is that cell: the row
        beside it holds other years and measures, which a reader of the whole row cannot tell
        apart; the table can. (Only the words' own synonyms: on the ledger set's tune split
        this took 1 question and lost none on the others.)"""
        if result.abstained or not plan.year_given or len(plan.years) != 1 or not (
                self.parser.names_literally(question, plan.measure or "", synonyms=True)):
            return False
        facts = [f for fs in result.cites.values() for f in fs]
        columns = [self.engine.table(f.table).columns[f.col] for f in facts]
        return bool(facts) and all(
            c.year == plan.years[0] and not c.derived and f.measure == plan.measure
            for f, c in zip(facts, columns, strict=True))

    def _ranked_cell(self, plan: Plan, result: Result, question: str) -> bool:
        """Whether one thing's rank is asked in a ranking's own words ("where did X finish",
        "what position") and the table gives it: the cell of the row a reader quotes, which
        names several figures beside the rank."""
        return not result.abstained and len(plan.keys) == 1 and self.parser.is_rank(
            plan.measure) and bool(_RANK_ASKED.search(tokens(question).text))

    def _has_column(self, plan: Plan) -> bool:
        """Whether every thing asked about has the measure in its table, filled or not."""
        return all(
            self.engine.facts("kind = ? AND key = ? AND measure = ?",
                              (plan.kind, key, plan.measure or ""))
            for key in plan.keys
        )

    def _computable(self, answer: Answer) -> bool:
        """Whether the prose answer quotes a row of a table the engine reads: had that row
        held the value, the computation would have found it."""
        keyed = {t.source for t in self.engine.tables if t.key is not None}
        c = answer.citations[0]
        return c.table is not None and c.source in keyed

    def _referred(self, quote: str, passage: str, plan: Plan) -> str:
        """The thing a quote calls "the park" or "it": the last of the kind its passage names
        before it ("Eastfield Park was built … Occupancy at the park rose …")."""
        noun = kind_noun(plan.kind).split()[-1]
        at = passage.find(quote)
        if at <= 0 or not re.search(rf"\b(?:the {re.escape(noun)}|it|its)\b", norm(quote)):
            return ""
        named = [key for m in self.names.find(passage[:at]) for (k, key) in m.keys
                 if k == plan.kind]
        return named[-1] if named else ""

    def _supports(self, quote: str, plan: Plan, referred: str = "") -> bool:
        said = norm(quote)
        if plan.op == "rank_at" and plan.lo is not None and not re.search(
                rf"\b{int(plan.lo)} ?(?:st|nd|rd|th)\b|\b(?:rank|ranked|position|place) "
                rf"{int(plan.lo)}\b", said):
            return False  # a position the tables skip: the passage must name that position
        if not plan.keys:  # a count or list: the passage must be about the year and the things
            noun = kind_noun(plan.kind).split()[-1]
            return plan.year_given and all(str(y) in said for y in plan.years) and (
                self.parser.mentions_measure(quote, plan.measure or "")
                or bool(re.search(rf"\b{re.escape(noun[:5])}", said)))
        for key in plan.keys:
            if key == referred:
                continue
            spellings = {a for a, found in self.names.keys.items() if (plan.kind, key) in found}
            if not any(re.search(rf"\b{re.escape(a)}\b", said) for a in spellings):
                return False
        if plan.year_given and not all(str(y) in said for y in plan.years):
            return False
        return self.parser.mentions_measure(quote, plan.measure or "")
