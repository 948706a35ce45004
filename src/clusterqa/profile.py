"""Open questions about one thing ("Tell me about the Munich cluster") answered with a short
cited profile: what the sources say of it, a few sentences and rows, not one stray row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .answer_types import POSTS
from .textnorm import terms

_OPEN = re.compile(
    r"^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:"
    r"tell\s+me\s+(?:more\s+|a\s+bit\s+|something\s+)?about"
    r"|what\s+(?:do|does|can)\s+(?:the\s+sources?|the\s+documents?|you|we|i)\s+"
    r"(?:say|know|have|tell\s+me|find)\s+(?:about|on|of)"
    r"|what\s+(?:is|do\s+we\s+know|is\s+known)\s+about"
    r"|give\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:overview|summary|profile|rundown|briefing)\s+(?:of|on)"
    r"|(?:an?\s+)?(?:overview|summary|profile|rundown)\s+(?:of|on)"
    r"|describe|summari[sz]e|profile"
    r"|info(?:rmation)?\s+(?:on|about)"
    r"|what\s+(?:have\s+(?:you|we)\s+got|do\s+(?:you|we)\s+have|is\s+there|can\s+you\s+find)"
    r"\s+(?:on|about)"
    r"|(?:is\s+there\s+)?anything\s+(?:on|about)"
    r")\s+(?P<subject>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_WHAT_IS = re.compile(r"^\s*(?i:what|who)\s+(?i:is|are|was)\s+"
                      r"(?P<subject>(?:(?i:the)\s+)?[A-Z][^?]*?)\s*\??\s*$")
_ROLE_ASKED = re.compile(rf"\b(?:{POSTS}|chief|manager|founder|leader)\b", re.IGNORECASE)
_GENERIC = {"cluster", "clusters", "hub", "park", "city", "region", "area", "the", "a", "an"}

MAX_ITEMS = 4
# Not what a thing is: links, page furniture.
_NOISE = re.compile(r"https?://|\bwww\.|\b(?:website|web site|url|last edited|coordinates|"
                    r"creative commons|licen[cs]ed?|all rights reserved|privacy policy|"
                    r"terms of use|cookies?)\b|"
                    # an encyclopedia's hatnotes point elsewhere: "Not to be confused with …"
                    r"^\W*(?:not\s+to\s+be\s+confused\s+with|for\s+other\s+uses|"
                    r"this\s+article\s+is\s+about|see\s+also)\b", re.IGNORECASE)
_DEFINES = re.compile(r"\b(?:is|was|are)\s+(?:an?|the)\b")


# "Bengaluru: what do the sources say about it?": the thing first, the open question after.
_TOPIC_FIRST = re.compile(r"^\s*(?P<subject>[^:?]{2,80}?)\s*[:\u2014-]\s+"
                          r"(?P<rest>.+?\b(?:it|them|this)\b\s*[?.!]*)\s*$", re.IGNORECASE)
# "Xi'an cluster - what do the sources have?", "Munich: overview?": the open question bare
_TOPIC_BARE = re.compile(
    r"^\s*(?P<subject>[^:?]{2,80}?)\s*[:\u2014-]\s+(?:"
    r"what\s+(?:do|does|can)\s+(?:the\s+sources?|the\s+documents?|you|we)\s+"
    r"(?:say|know|have|tell\s+me|find)|what\s+(?:is|do\s+we\s+know|is\s+known|is\s+there)"
    r"|(?:an?\s+)?(?:overview|summary|profile|rundown|briefing|details|info(?:rmation)?)"
    r"|anything)\s*[?.!]*\s*$", re.IGNORECASE)


def open_subject(question: str) -> str | None:
    """The thing an open question asks about ("the Munich cluster"), or None."""
    topic = _TOPIC_FIRST.match(question)
    if topic and _OPEN.match(re.sub(r"\b(?:it|them|this)\b", "X", topic.group("rest"))):
        return topic.group("subject")
    bare = _TOPIC_BARE.match(question)
    if bare:
        return bare.group("subject")
    m = _OPEN.match(question)
    if m:
        return m.group("subject")
    m = _WHAT_IS.match(question)
    if m and not _ROLE_ASKED.search(m.group("subject")):
        # "What is the Kelvarra Technology Precinct?": only a name follows (not a post: "who
        # is the Minister of Economy?" asks for the person holding it)
        words = [w for w in re.split(r"\s+", m.group("subject")) if w]
        named = [w for w in words if w.lower() not in _GENERIC]
        if named and all(w[:1].isupper() or w.lower() in {"of", "for", "and", "de"}
                         for w in named):
            return m.group("subject")
    return None


@dataclass
class ProfileItem:
    """One sentence of a profile and what it cites (a scored candidate's id)."""

    sid: int
    text: str


@dataclass
class ProfileCandidate:
    """A sentence or row about the thing: ``named`` when it names the thing itself (not only
    through its heading or document title); ``dense`` its cosine with the question."""

    sid: int
    chunk: int
    text: str
    is_row: bool
    named: bool
    early: bool = False  # among the first sentences of its document
    dense: float = 0.0
    table: str = ""  # the table a row belongs to: one row of each tells its measures


# Meeting furniture: who attended, who sent apologies; a list of people, not what a thing is.
_ROSTER = re.compile(r"^\W*(?:present|attendees|attendance|apologies|absent|in attendance|"
                     r"minutes|venue|chair(?:ed by)?|press contact|contact)\b", re.IGNORECASE)
# Bylines and credits: who wrote, recorded or photographed the piece, not what the thing is.
_BYLINE = re.compile(r"\b(?:interview(?:ed)?\s+by|written\s+by|reported\s+by|photo(?:graph)?s?\s+"
                     r"by|recorded\s+at)\b|^\W*(?:by|source|credits?|photo)\b\s*:?", re.IGNORECASE)
_FIGURE = re.compile(r"\d")


def _says_little(c: ProfileCandidate) -> bool:
    """A question ("Where will the cluster be in five years?") or a short line with no figure
    that defines nothing ("JW: Leonie, thanks for coming in."): talk, not what the thing is."""
    text = c.text.strip().rstrip("\"\u201d'\u2019)")
    if c.is_row:
        return False
    return text.endswith("?") or (len(text.split()) < 7 and not _FIGURE.search(text)
                                  and not _DEFINES.search(text))


def _worth(c: ProfileCandidate) -> float:
    """How much a candidate tells a reader about the thing: naming it, saying what it is,
    giving figures (size, founding year, staff), opening its document count; meaning (the
    cosine with the question) weighs the rest."""
    fuller = 0.2 * min(len(c.text), 200) / 200 if c.is_row else 0.0  # a row saying more
    return (1.0 * c.named + 0.6 * bool(_DEFINES.search(c.text)) + 0.3 * bool(
        _FIGURE.search(c.text)) + 0.2 * c.early + c.dense + fuller)


def _words(c: ProfileCandidate) -> set[str]:
    """What a row says with its figures left out."""
    return set(re.findall(r"[^\W\d]+", c.text.lower()))


_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,])")


def _year(c: ProfileCandidate) -> int:
    """The latest year a row states (0 for none)."""
    return max((int(y) for y in _YEAR.findall(c.text)), default=0)


def pick(candidates: Sequence[ProfileCandidate], limit: int,
         budget: int) -> list[ProfileItem]:
    """Choose profile sentences, best first: a defining sentence, the best prose and the best
    rows, one sentence per chunk, within ``budget`` characters (each item also costs its
    marker)."""
    chosen: list[ProfileItem] = []
    chunks: dict[int, int] = {}  # chunk -> sentences taken from it
    used = 0
    seen_text: set[str] = set()
    ranked = sorted((c for c in candidates if not _NOISE.search(c.text)
                     and not _ROSTER.search(c.text) and not _BYLINE.search(c.text)
                    and not _says_little(c)),
                    key=lambda c: (-_worth(c), c.sid))
    prose = [c for c in ranked if not c.is_row]
    # of a table's rows that say the same of the thing for other years ("tenants is 33 …
    # in 2021", "tenants is 52 … in 2024"), the latest year's; rows saying other things (a
    # table of facts) all stay
    kept: list[ProfileCandidate] = []
    for c in sorted((c for c in ranked if c.is_row), key=lambda c: -_year(c)):
        if not any(k.table == c.table and _words(c) <= _words(k) for k in kept):
            kept.append(c)
    ranked = [c for c in ranked if not c.is_row or c in kept]
    rows = [c for c in ranked if c.is_row]
    defining = [c for c in prose if c.named and _DEFINES.search(c.text)]
    # a defining sentence and the one after it, which goes on about the thing ("It
    # specialises in …"), then the best other prose (what it does, what it is known for),
    # then its rows
    after = [c for c in prose if defining and c.sid == defining[0].sid + 1
             and c.chunk == defining[0].chunk]
    first = [*defining[:1], *after]
    order = [*first, *[c for c in prose if c not in first][:1], *rows[:2]]
    order += [c for c in ranked if c not in order]
    for c in order:
        key = " ".join(terms(c.text))
        # a passage gives two sentences at most ("X is a park…", "The precinct concentrates
        # on…"), a table one row
        if chunks.get(c.chunk, 0) >= (1 if c.is_row else 2) or key in seen_text:
            continue
        cost = len(c.text) + 5
        if used + cost > budget:
            continue
        chosen.append(ProfileItem(c.sid, c.text))
        chunks[c.chunk] = chunks.get(c.chunk, 0) + 1
        seen_text.add(key)
        used += cost
        if len(chosen) == limit:
            break
    return chosen


def render(items: Sequence[ProfileItem], cite: Callable[[int, int], None]) -> str:
    """The profile text with a marker after each sentence; ``cite(number, sid)`` records the
    citation behind each marker."""
    parts = []
    for number, item in enumerate(items, start=1):
        cite(number, item.sid)
        parts.append(f"{item.text} [{number}]")
    return " ".join(parts)
