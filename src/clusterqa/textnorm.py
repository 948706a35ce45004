"""Normalising text for matching: accents, dashes, thousands separators, ordinals, stems.

Questions, passages and table cells all go through the same functions, so "São Paulo" meets
"Sao Paulo", "Tokyo–Yokohama" meets "Tokyo-Yokohama", "fifth" meets "5" and "63,447" meets "63447".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100,
}
# Cardinal words count as numbers only after these ("number one", "top three"): "one of the
# hubs" is not a figure.
_CARDINAL_CUES = {"number", "no", "top", "rank", "ranked", "place", "position"}

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each else ever few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let lets me more my myself no nor not now of off on once only
    or other our ours ourselves out over own same say says said she should so some such tell than
    that the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also according many much one ones get got give given know known
    like please show me s t whose go goes going gone""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
YEAR = re.compile(r"^(?:19|20)\d\d$")


@lru_cache(maxsize=16384)  # names, cells and sentences are folded again on every build
def fold(text: str) -> str:
    """Lower-case, strip accents, unify dashes and quotes, drop thousands separators."""
    text = unicodedata.normalize("NFKD", text.translate(_DASHES).translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


# British spellings written the American way before stemming, so "organisation" meets
# "organization", "centre" meets "center" and "labour" meets "labor" (both sides of every match
# go through here, so a word that only looks British changes the same way everywhere).
_SPELLING = [
    (re.compile(r"^(\w{3,})is(e|es|ed|ing|ation|ations|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})our(s|ed|ing|ite|ites|able|er|ers|ful)?$"), r"\1or\2"),
    (re.compile(r"^(\w{2,})tre(s|d)?$"), r"\1ter\2"),
    (re.compile(r"^(\w+)ogramme(s)?$"), r"\1ogram\2"),
    (re.compile(r"^(defen|licen|offen)ce(s)?$"), r"\1se\2"),
]


# Irregular past forms the stemmer leaves apart from their verb ("he left to become rector"
# answers "what did he do after leaving?"). Ambiguous forms ("found", "won") stay as they are.
_IRREGULAR = {
    "led": "lead", "left": "leave", "ran": "run", "began": "begin", "begun": "begin",
    "built": "build", "grew": "grow", "grown": "grow", "rose": "rise", "risen": "rise",
    "fell": "fall", "fallen": "fall", "took": "take", "taken": "take", "made": "make",
    "sold": "sell", "bought": "buy", "held": "hold", "became": "become", "spent": "spend",
    "paid": "pay", "met": "meet", "told": "tell", "said": "say", "kept": "keep",
    "brought": "bring", "chose": "choose", "chosen": "choose", "drew": "draw", "drawn": "draw",
    "gave": "give", "given": "give", "got": "get", "sat": "sit", "stood": "stand",
    "wrote": "write", "written": "write", "lost": "lose", "shrank": "shrink",
    "shrunk": "shrink", "overtook": "overtake", "overtaken": "overtake", "sought": "seek",
    "taught": "teach", "hung": "hang", "struck": "strike", "sank": "sink", "sunk": "sink",
    "bore": "bear", "borne": "bear", "slid": "slide", "fled": "flee", "swung": "swing",
}


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    for pattern, american in _SPELLING:
        word = pattern.sub(american, word)
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Folded word tokens, numbers normalised ("5th" and "fifth" become "5"), no stemming."""
    out: list[str] = []
    raw = _TOKEN.findall(re.sub(r"(?<=\w)&(?=\w)", "", fold(text)).replace("-", " "))
    for i, tok in enumerate(raw):
        tok = tok.strip(".'")
        if tok.endswith("'s"):
            tok = tok[:-2]
        if not tok.replace(".", "").isdigit():
            tok = tok.replace(".", "").replace("'", "")
        if tok in _ORDINALS:
            tok = str(_ORDINALS[tok])
        elif tok in _CARDINALS and i > 0 and raw[i - 1] in _CARDINAL_CUES:
            tok = str(_CARDINALS[tok])
            if raw[i - 1] in {"number", "no"} and out and out[-1] == raw[i - 1]:
                out.pop()  # "number one" is the figure 1, not the word "number"
        elif m := _ORDINAL_SUFFIX.match(tok):
            tok = m.group(1)
        if tok:
            out.append(tok)
    return out


def terms(text: str) -> list[str]:
    """Content terms for keyword search and coverage: stop words dropped, words stemmed."""
    return [_stem(w) for w in words(text) if w not in STOPWORDS]


def numbers(text: str) -> set[str]:
    """The numbers a text states, normalised as in ``words`` ("third" -> "3", "63,447" -> "63447").

    A number after "top" names a list ("the top 100"), not a figure, and is left out."""
    ws = words(text)
    return {w for i, w in enumerate(ws) if w.replace(".", "").isdigit()
            and not (i and ws[i - 1] == "top")}


def is_year(token: str) -> bool:
    return bool(YEAR.match(token))


def ordinal(n: float) -> str:
    """4 → "4th", 22 → "22nd", 13 → "13th": a place in a ranking as it is said."""
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
