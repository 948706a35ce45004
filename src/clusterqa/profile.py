"""Open questions about one thing ("Tell me about the Munich cluster") answered with a short
cited profile: what the sources say of it, a few sentences and rows, not one stray row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
    r")\s+(?P<subject>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_WHAT_IS = re.compile(r"^\s*(?i:what|who)\s+(?i:is|are|was)\s+"
                      r"(?P<subject>(?:(?i:the)\s+)?[A-Z][^?]*?)\s*\??\s*$")
_GENERIC = {"cluster", "clusters", "hub", "park", "city", "region", "area", "the", "a", "an"}

MAX_ITEMS = 4
# Not what a thing is: links, page furniture.
_NOISE = re.compile(r"https?://|\bwww\.|\b(?:website|web site|url|last edited|coordinates)\b",
                    re.IGNORECASE)
_DEFINES = re.compile(r"\b(?:is|was|are)\s+(?:an?|the)\b")


def open_subject(question: str) -> str | None:
    """The thing an open question asks about ("the Munich cluster"), or None."""
    m = _OPEN.match(question)
    if m:
        return m.group("subject")
    m = _WHAT_IS.match(question)
    if m:  # "What is the Kelvarra Technology Precinct?": only a name follows
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


def pick(candidates: Sequence[tuple[int, int, str, bool]], limit: int,
         budget: int) -> list[ProfileItem]:
    """Choose profile sentences from ``(sid, chunk, text, is_row)`` candidates, best first:
    rows and prose both get a place, one sentence per chunk, within ``budget`` characters
    (each item also costs its marker)."""
    chosen: list[ProfileItem] = []
    chunks: set[int] = set()
    used = 0
    seen_text: set[str] = set()
    # alternate: the best prose sentence, the best row, then the rest in order
    candidates = [c for c in candidates if not _NOISE.search(c[2])]
    prose = [c for c in candidates if not c[3]]
    rows = [c for c in candidates if c[3]]
    defining = [c for c in prose if _DEFINES.search(c[2])]
    order = [*defining[:1], *prose[:1], *rows[:2]]
    order += [c for c in candidates if c not in order]
    for sid, chunk, text, _ in order:
        key = " ".join(terms(text))
        if chunk in chunks or key in seen_text:
            continue
        cost = len(text) + 5
        if used + cost > budget:
            continue
        chosen.append(ProfileItem(sid, text))
        chunks.add(chunk)
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
