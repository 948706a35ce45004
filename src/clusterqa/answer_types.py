"""What kind of answer a question wants, and whether a candidate sentence or row holds one.

"When…" wants a date, "How many…" a figure, "Who…" a name. A sentence that repeats the
question's words but holds no such thing does not answer it, however similar it reads; checking
the type is what keeps "When was X founded?" from being answered by "X was founded by Y".
The rules read only the question's own words, so they mean the same on every corpus.
"""

from __future__ import annotations

import re
from typing import Literal

from .textnorm import fold, is_year, numbers, terms

AnswerType = Literal["date", "number", "rank", "name", "place"]

_NUMBER_WORDS = set(("one two three four five six seven eight nine ten eleven twelve thirteen "
                     "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
                     "fifty sixty seventy eighty ninety "
                     "dozen dozens hundred hundreds thousand thousands million millions billion "
                     "billions half").split())

# Checked in order: the first pattern that matches the folded question decides.
_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    (re.compile(r"\b(?:what|which)\s+(?:rank|position|place|spot|ranking)\b|"
                r"\bwhere\s+(?:does|did|do|is|was)\b.*\b(?:rank|place|stand|sit|finish|come)"
                r"(?:ed|s)?\b|\bhow\s+(?:high|low)\b|\branked\s+where\b"), "rank"),
    (re.compile(r"^\s*(?:and\s+)?when\b|\b(?:what|which)\s+(?:year|month|date|decade)\b|"
                r"\bin\s+what\s+year\b|\bsince\s+when\b|\bhow\s+long\s+ago\b"), "date"),
    (re.compile(r"\bhow\s+(?:many|much|large|big|long|old|tall|far|wide|fast|often|deep|"
                r"heavy|expensive|costly|small|tall|quickly)\b|"
                r"\bwhat\s+(?:did|does|do|will|would)\b.*\bcost(?:ing)?\b|"
                r"\bwhat\s+(?:percentage|percent|share|proportion|number|amount|size|area|"
                r"budget|price|population|total|figure|sum|value)\b"), "number"),
    (re.compile(r"^\s*(?:and\s+)?who(?:m|se|'s)?\b|\bwho\s+(?:is|was|are|were|runs|ran|leads|"
                r"led|heads|headed|founded|owns|owned|designed|built|chairs|manages|"
                r"operates)\b"), "name"),
    (re.compile(r"^\s*(?:and\s+)?where\b|\bin\s+which\s+(?:city|country|region|town|district)\b"),
     "place"),
]


def expected_type(question: str) -> AnswerType | None:
    """The kind of answer the question's wording asks for, or None when it does not say."""
    q = fold(question)
    for pattern, kind in _RULES:
        if pattern.search(q):
            return kind
    return None


_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019&.-]*")
_DATE_YEAR = re.compile(r"^(?:1[0-9]|20)\d\d$")  # any year a history may name, 1000-2099
_DIGITS = re.compile(r"(?<![\w.])\d[\d,.]*")


def _names(text: str) -> set[str]:
    """Stems of capitalised words and acronyms: where names of people, places and bodies are.
    A sentence's first word is capitalised whatever it is ("Around it…"), so it counts only
    when the next word is capitalised too ("Tomas Okafor…") or it is an acronym."""
    found = set()
    for m in _CAPITALISED.finditer(text):
        w = m.group()
        first = not text[:m.start()].strip() or text[:m.start()].rstrip().endswith((".", "!", "?"))
        if first and not w.isupper() and not re.match(r"\s+[A-Z]", text[m.end():]):
            continue
        found.update(terms(w))
    return found


def _figures(text: str) -> set[str]:
    """Figures written as digits or cardinal words; not ordinals ("the second wave")."""
    return {d.replace(",", "") for d in _DIGITS.findall(text)}


def holds(kind: AnswerType | None, text: str, question: str) -> bool:
    """Whether ``text`` (a sentence, or a row's cells) holds an answer of the kind asked for,
    something beyond what the question itself already says."""
    if kind is None:
        return True
    asked = set(terms(question))
    found = numbers(text) - numbers(question)
    if kind == "date":  # a year: "in March" alone dates nothing a user can place
        return any(_DATE_YEAR.match(n) for n in found)
    if kind == "rank":
        return any(not is_year(n) for n in found)
    if kind == "number":
        words = set(re.findall(r"[a-z]+", fold(text))) - set(re.findall(r"[a-z]+", fold(question)))
        counts = {n for n in _figures(text) - _figures(question) if not is_year(n.rstrip("."))}
        return bool(counts) or bool(words & _NUMBER_WORDS)
    return bool(_names(text) - asked)
