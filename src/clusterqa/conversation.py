"""Follow-up questions: reading the earlier turns to see what "it", "the third one" or
"what about Seoul?" refer to, without any language model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .textnorm import STOPWORDS, fold, words

_PRONOUNS = {"it", "its", "they", "them", "their", "this", "that", "these", "those", "he",
             "she", "his", "her", "there", "one", "ones"}
_ORDINAL_REF = re.compile(
    r"\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|"
    r"\d{1,2}(?:st|nd|rd|th))\s+(?:one|item|point|of them|characteristic|thing|cluster|hub)\b"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1}
_WHAT_ABOUT = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$|^\s*and\s+(.+?)\s*\?\s*$",
    re.IGNORECASE,
)


# "the Chinese one": an adjective of nationality points at the economy of a named cluster.
DEMONYMS = {
    "chinese": "china", "japanese": "japan", "korean": "korea", "american": "united states",
    "us": "united states", "german": "germany", "french": "france", "british": "united kingdom",
    "uk": "united kingdom", "english": "united kingdom", "indian": "india",
    "canadian": "canada", "brazilian": "brazil", "egyptian": "egypt", "iranian": "iran",
    "turkish": "turkiye", "russian": "russia", "dutch": "netherlands", "israeli": "israel",
    "swiss": "switzerland", "swedish": "sweden", "italian": "italy", "spanish": "spain",
    "australian": "australia", "taiwanese": "taiwan", "singaporean": "singapore",
    "malaysian": "malaysia", "belgian": "belgium", "danish": "denmark", "finnish": "finland",
}
_DEMONYM_REF = re.compile(r"\bthe\s+([a-z]+)\s+(?:one|cluster|hub|city|region)\b")


@dataclass
class Resolved:
    """The question as understood in its conversation."""

    text: str  # what retrieval and answering read
    previous: str | None = None  # the earlier question this one follows up
    ordinal: int | None = None  # "the third one" -> 3; -1 for "the last one"
    substitute: str | None = None  # "what about Seoul?" -> "Seoul"
    country: str | None = None  # "the Chinese one" -> "china"


def user_turns(history: list[Any] | str | None) -> list[str]:
    """Earlier user questions, oldest first, from plain strings or role/content messages."""
    turns: list[str] = []
    if isinstance(history, str):  # one earlier question given on its own
        history = [history]
    for item in history or []:
        if isinstance(item, str):
            content = item
        elif isinstance(item, dict) and item.get("role", "user") == "user":
            content = item.get("content", "")
            if isinstance(content, list):  # multimodal messages: keep the text parts
                content = " ".join(c.get("text", "") for c in content if isinstance(c, dict))
        elif isinstance(item, (list, tuple)) and item:  # old Gradio [user, assistant] pairs
            content = item[0] if isinstance(item[0], str) else ""
        else:
            continue
        if isinstance(content, str) and content.strip():
            turns.append(content.strip())
    return turns


# "the year before", "two years later", "that year": a year counted from the one asked before.
_REL_YEAR = re.compile(
    r"\b(?:in\s+)?(?:(?:the|that|this)\s+same\s+(?:year|edition)|that\s+(?:year|edition)"
    r"|the\s+year\s+(?P<a>before|after)"
    r"|the\s+(?P<b>previous|prior|preceding|following|next|last)\s+(?:year|edition|one)"
    r"|(?P<n>one|a|two|three|four|five|\d)\s+years?\s+(?P<c>earlier|before|later|after|on))\b",
    re.IGNORECASE,
)
_EARLIER = {"before", "previous", "prior", "preceding", "earlier", "last"}
_COUNTS = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _relative_year(question: str, previous: str) -> tuple[re.Match[str], str] | None:
    m = _REL_YEAR.search(question)
    years = _YEAR.findall(previous)
    if m is None or not years:
        return None
    word = (m.group("a") or m.group("b") or m.group("c") or "").lower()
    count = (m.group("n") or "one").lower()
    size = int(count) if count.isdigit() else _COUNTS.get(count, 1)
    step = 0 if not word else -size if word in _EARLIER else size
    return m, str(int(years[-1]) + step)


def _with_year(text: str, year: str) -> str:
    """``text`` with its (last) year replaced, or with the year added."""
    found = list(_YEAR.finditer(text))
    if not found:
        return f"{text} in {year}"
    last = found[-1]
    return text[:last.start()] + year + text[last.end():]


def needs_context(question: str) -> bool:
    toks = words(question)
    content = [t for t in toks if t not in STOPWORDS]
    return (bool(_PRONOUNS & set(toks)) or bool(_REL_YEAR.search(question))
            or bool(_ORDINAL_REF.search(fold(question)))
            or _country(question) is not None
            or bool(_WHAT_ABOUT.match(question)) or len(content) <= 1)


def resolve(question: str, history: list[Any] | str | None) -> Resolved:
    turns = user_turns(history)
    if not turns or not needs_context(question):
        return Resolved(question)
    previous = turns[-1]
    if len(turns) > 1 and needs_context(previous):
        # a follow-up of a follow-up ("When did she take over?" after "Who is the Director
        # General of X?"): the earlier turn as it was understood
        previous = resolve(previous, turns[:-1]).text
    relative = _relative_year(question, previous)
    if relative:
        match, year = relative
        rest = question[:match.start()] + question[match.end():]
        if not [t for t in words(rest) if t not in STOPWORDS | {"what", "how"}]:
            return Resolved(_with_year(previous, year))  # "And the year before?"
        own = f"{question[:match.start()]}in {year}{question[match.end():]}"
        if _PRONOUNS & set(words(rest)):  # "What was its rank that year?"
            return Resolved(f"{own} {_with_year(previous, year)}", previous)
        return Resolved(own)  # "Who came second that year?"
    m = _WHAT_ABOUT.match(question)
    if m:
        subject = (m.group(1) or m.group(2)).strip()
        return Resolved(f"{previous} {subject}", previous, substitute=subject)
    country = _country(question)
    if country:
        return Resolved(f"{question} {previous}", previous, country=country)
    o = _ORDINAL_REF.search(fold(question))
    ordinal = None
    if o:
        token = o.group(1)
        ordinal = _ORDINALS.get(token) or int(re.sub(r"\D", "", token))
    return Resolved(f"{question} {previous}", previous, ordinal=ordinal)


def _country(question: str) -> str | None:
    m = _DEMONYM_REF.search(fold(question))
    return DEMONYMS.get(m.group(1)) if m else None
