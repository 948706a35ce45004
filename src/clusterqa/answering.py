"""Answering without a language model: pick the sentences or table rows that best answer the
question, cite each one, and say so plainly when the sources do not answer.

Every candidate sentence of the retrieved chunks is scored on measured signals:
- meaning: cosine between the question and the sentence (vectors precomputed at build time);
- coverage: the share of the question's content words, weighted by rarity (IDF), that the
  sentence (with its section heading) contains;
- figures: the numbers and ordinals of the question found in the sentence, and for table rows a
  number found in the column of the year asked about ("third in 2024" meets "rank 2024: 3");
- a year the question asks about that the sentence contradicts counts against it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .answer_types import (
    CAUSE,
    AnswerType,
    asks_leader,
    expected_type,
    holds,
    names_role,
    pick_held,
    picks,
    type_words,
)
from .conversation import DEMONYMS
from .entities import EntityIndex
from .models import Answer, Citation
from .phrasing import EVENT_HEADER, ROW_YEAR, row_sentence
from .profile import MAX_ITEMS, ProfileCandidate, open_subject, pick, render
from .retrieval import Hit
from .store import IndexData, StoredSentence
from .synonyms import alternatives
from .textnorm import STOPWORDS, fold, is_year, numbers, terms, words

# The abstention thresholds: an answer needs this much support (``Scored.support``, meaning
# and words alike), and when the question names something, its evidence must also hold this
# share of what is asked about it, not just the name ("the population of Tokyo"), unless it
# means the same by other words (its cosine alone is at least ASKED_DENSE). Chosen by
# ``benchmarks/calibrate.py`` on the tune splits of every corpus in the question bank (it
# prefers MIN_ASKED 0.25 by one question of 307, which costs the development set its false-
# abstention target, so 0.20 stays).
MIN_SUPPORT = 0.28
MIN_ASKED = 0.2
ASKED_DENSE = 0.85
MIN_ASKED_OTHER = 0.1  # the same share when the name is not one the tables list

# A prose sentence must be this relevant before it is shown as disagreeing with a table
# (on the development set the true conflicts scored 0.51 and above, unrelated prose under 0.40).
MIN_CONFLICT_SUPPORT = 0.45
# A position is a short claim ("Seoul, South Korea: Ranks third, supported by …"): a sentence
# making it about the named thing scores lower, and stating a rank is the claim itself (the
# tune splits' true rank conflicts scored 0.43; at 0.40 for every kind, two false ones came in).
MIN_RANK_CONFLICT_SUPPORT = 0.40
MIN_CONFLICT_ASKED = 0.5  # and say most of what is asked ("venture funding", not a centre's cost)

W_DENSE, W_COVER, W_FIGURES, W_CELL, W_YEAR_CLASH, W_RETRIEVAL = 0.45, 0.55, 0.15, 0.25, 0.3, 0.1
W_COLUMN = 0.1
W_EXACT = 0.05  # the asked words themselves, over other words for the same thing
W_REASON = 0.1  # a sentence giving a cause, for "why…?"
W_ROLE = 0.2  # a sentence giving someone a leading role, for "who heads…?"
W_ROW_SUBJECT = 0.05  # a row whose own name is the thing asked about, over rows that mention it
CANDIDATE_CHUNKS = 20
PER_KIND_CHUNKS = 4  # prose and table rows both get a say, so they can be weighed and compared
# retrieved further down, but holding a sentence close in meaning to the question: a
# paragraph's one answering sentence ("The next meeting will be held on 17 June") is diluted
# in the chunk's vector and outranked by chunks sharing the document's title words
SENTENCE_CHUNKS = 4
RETRIEVED_CHUNKS = 50
MAX_ANSWER_CHARS = 600
ANSWER_POOL = 5  # how far down the ranking an answer may be taken from


Encode = Callable[[list[str]], np.ndarray]


@dataclass
class Scored:
    sid: int
    score: float
    dense: float
    coverage: float
    covered: set[str] = field(default_factory=set)
    asked: float = 1.0  # coverage of what is asked about a name ("population" of Tokyo)
    eligible: bool = True  # about what the question names, for its year, with the answer type
    known_name: bool = False  # the question names something the tables list (a cluster)
    gives_cause: bool = False  # a sentence giving a cause, for "why…?"

    @property
    def support(self) -> float:
        """How well the evidence carries the question: meaning and words must both agree."""
        return 0.5 * self.dense + 0.5 * self.coverage


# Words by which a question names the kind of source it means ("according to the article",
# "in the 2023 table"). They say where to look, not what to find, so they are not matched.
SOURCE_WORDS = {
    "prose": re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+)?(article|essay|document|text)\b",
                        re.I),
    "table": re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+)?(tables?|spreadsheet|dataset)\b",
                        re.I),
}


@dataclass
class Query:
    text: str
    terms: list[str]
    vector: np.ndarray
    numbers: set[str]
    years: set[str]
    prefer: str | None = None  # "prose" or "table" when the question names a kind of source
    name_terms: set[str] = field(default_factory=set)  # terms of the names the question uses
    asked_terms: list[str] = field(default_factory=list)  # what is asked about those names
    proper_terms: set[str] = field(default_factory=set)  # capitalised names ("Samsung", "CEO")
    places: set[str] = field(default_factory=set)  # a place asked for: "was 16th", "came second"
    names: list[frozenset[str]] = field(default_factory=list)  # each named thing, as terms
    answer_type: AnswerType | None = None  # what "when", "how many", "who" ask for
    focus: str = ""  # the user's own words
    picks: list[frozenset[str]] = field(default_factory=list)  # "the first director": "first"
    acronyms: frozenset[str] = frozenset()  # "R&D", "GRP": a passage may spell them out
    counted: frozenset[str] = frozenset()  # "how many hectares": what the figure counts


_YEAR_FRAME = frozenset(terms("edition editions year years issue version"))
# "how much does the fund *want* to put in": the wish is not what is asked
_INTENT = frozenset(terms("want wants wanted intend intends intended hope hopes hoped going"))


def make_query(text: str, vector: np.ndarray, entities: EntityIndex | None = None,
               focus: str | None = None, name_words: frozenset[str] = frozenset()) -> Query:
    """The question as the scorer reads it. ``focus`` is the user's own words when ``text``
    also carries context from earlier turns: what is asked is read from those words.
    ``name_words`` are the words the sources write as names, found in a question however typed."""
    nums = numbers(text)
    ts = list(dict.fromkeys(terms(text)))
    said = {kind: m for kind, pattern in SOURCE_WORDS.items() if (m := pattern.search(text))}
    prefer = next(iter(said), None)
    if prefer:
        ts = [t for t in ts if t not in terms(said[prefer].group(1))] or ts
    names = {t for alias, name in (entities.mentions(text) if entities else [])
             for t in _mention_terms(alias, name)}
    own = focus or text
    groups = name_groups(own, entities, name_words)
    named = names.union(*groups)
    kind = expected_type(own)
    years = {n for n in nums if is_year(n)}
    # "the 2023 edition", "in the year 2023": words that only frame the year asked
    asked = [t for t in terms(own) if t in ts and t not in named
             and not (years and t in _YEAR_FRAME) and t not in _INTENT]
    proper = {t for word in proper_nouns(text) for t in terms(word)}
    return Query(text, ts, vector, nums, years, prefer, names, asked,
                 proper, _places(own), groups, kind, own, picks(own),
                 frozenset(t for a in _ACRONYM.findall(text) for t in terms(a)),
                 _counted(own))


_COUNTED = re.compile(r"\bhow\s+many\s+(?:of\s+the\s+|more\s+|fewer\s+)?((?:[a-z][a-z-]*\s+){0,2}?"
                      r"[a-z][a-z-]*)(?=\s+(?:is|are|was|were|does|do|did|has|have|had|will|"
                      r"would|can|could|in|at|on|of|for|there|per|work|live|\w+ed)\b|\s*[?.]|$)",
                      re.I)
_NOT_COUNTED = {"times", "years", "months", "days", "weeks", "places", "positions", "more",
                "fewer", "of", "in", "are", "is", "were", "was", "do", "does", "did", "have",
                "has", "there", "people", "others", "ones", "other", "new", "different"}


_RESIDENTS = re.compile(r"\bhow\s+many\s+(?:people|persons|residents|inhabitants)\s+(?:live|lives|"
                        r"lived|living|reside|resides|dwell)\b", re.I)


# Nouns naming one amount among several a passage may give ("cost" and "price" are as often
# verbs or the general question, so they are not among them).
_MONEY_NOUN = re.compile(r"\b(budget|fee|rent|salary|turnover|revenue|funding|investment|grant|"
                         r"loan|subsidy)s?\b", re.I)


def _counted(text: str) -> frozenset[str]:
    """What "how many …" counts ("how many hectares", "how many start-ups"), or which amount
    of money is asked ("the office budget"): a figure that answers must be a count or amount
    of that (the word, a form of it or a synonym), not of something else the passage gives a
    figure for."""
    if expected_type(text) == "money":
        # a money noun before another noun names that thing ("their latest funding round",
        # "the grant decision"), not the amount asked
        money = next((m for m in _MONEY_NOUN.finditer(text)
                      if not re.match(r"\s+(?!(?:of|for|in|at|on|to|and|or|the|that|this|was|"
                                      r"figures?|amounts?|totals?|levels?|sums?|"
                                      r"were|is|are|did|does|do|has|have|had|will|would|per)\b)"
                                      r"[a-z]{3,}", text[m.end():], re.I)), None)
        return frozenset(terms(money.group(1))) if money else frozenset()
    if _RESIDENTS.search(text):  # "how many people live in X": its population
        return frozenset(terms("people residents inhabitants population"))
    m = _COUNTED.search(text)
    phrase = [w.lower() for w in m.group(1).split()] if m else []
    # the counted noun: the last plural ("satellite dishes"; "economies feature": economies),
    # else the last word ("extra staff")
    plural = [w for w in phrase if w.endswith("s") and not w.endswith("ss")]
    head = plural[-1] if plural else phrase[-1] if phrase else ""
    if not head or head in _NOT_COUNTED:
        return frozenset()
    return frozenset(terms(head))


_PLACE = re.compile(
    r"\b(?:is|was|are|were|ranks?|ranked|came|comes|finished|placed|sits?)\s+(?:in\s+)?"
    r"(\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth|last)\b(?!\s+(?!(?:in|place|position|spot|on|among|overall|that|"
    r"this|last|for|at|with|behind|after|before|and|or|then|worldwide|globally)\b)\w)",
    re.IGNORECASE)
_YES_NO = re.compile(r"^\s*(?:is|are|was|were|does|did|do|has|have|had)\b", re.IGNORECASE)


def _places(text: str) -> set[str]:
    """The places in a ranking the question asks about ("Which cluster was 16th?"): an answer
    must state that place, or it is about another."""
    if _YES_NO.match(text):  # "Is Seoul ranked third?" is checked, not presumed
        return set()
    return {n for m in _PLACE.finditer(text) for n in numbers(m.group(1))}


_NAME_RUN = re.compile(r"\b[A-Z][\w\u2019'&.]*(?:(?:\s+|\s*[\u2010-\u2015-]\s*)"
                       r"(?:(?:of|de|du|la|del)\s+)?[A-Z][\w\u2019'&.]*)*")


_COUNTRY_OF = {t: country for d, country in DEMONYMS.items() for t in terms(d)}


MAX_REFERRING_HOPS = 3
_PRONOUN = re.compile(r"\b(?:it|its|they|their|them|he|she|his|her|him|the\s+(?:city|town|"
                      r"region|park|campus|company|firm|cluster|district|agency|area|site))\b")
_REFERRING = re.compile(r"^(?:It|Its|It's|The|This|These|They|Their|He|She|His|Her|There)\b")


def _previous_subject(data: IndexData, sid: int) -> frozenset[str]:
    """For a sentence that refers back ("Its founder…", "The lab…"), the words of the sentences
    before it in the same section, back to one that does not refer back: what "it" is."""
    s = data.sentences[sid]
    found: set[str] = set()
    for back in range(sid - 1, max(-1, sid - 1 - MAX_REFERRING_HOPS), -1):
        # the sentence asked about may refer back anywhere ("…we plan to open it in 2026");
        # the ones before it, to be followed further, must open by referring back
        prev = data.sentences[back]
        # a list item's later sentence is about what the item opens with ("Green Lab Fund: up
        # to €400,000 … Applicants must cover 40%…")
        same_item = (s.role == "item" and s.list_pos is None and prev.role == "item"
                     and prev.list_id == s.list_id)
        refers = (_REFERRING.match(s.text) or (back == sid - 1 and _PRONOUN.search(s.text))
                  or same_item)
        if not refers or s.table is not None:
            break
        if prev.source != s.source or prev.heading != s.heading or prev.table is not None:
            break
        found.update(prev.terms)  # "Its founder…" after "It opened…" after "The Lab…"
        s = prev
    return frozenset(found)


# "What else is it called?", "what other names does it go by?": a sentence gives another name
# by "also known as", "called", "nicknamed", or in brackets after the name ("(Hebrew: …)",
# "(formerly …)"); "known" is too common a word to be a search term.
_NAMING = frozenset(terms("name names call called nickname nicknamed alias"))
_GIVES_NAME = re.compile(r"\b(?:known|called|referred\s+to|marketed|branded)\s+(?:\w+ly\s+)?as\b|"
                         r"\bnicknamed\b|\baka\b|"
                         r"\(\s*(?:[A-Z][a-z]+\s*:|also\b|formerly\b|or\b|in\s+[A-Z])")


# The kinds of thing a name may end in ("Quayside Science *Park*") and a sentence may open with
# ("*The company* was spun out…"): opened with another kind than the one asked about, the
# sentence refers back to something else than the named thing, however close it stands.
_KINDS = frozenset(terms("city town region park campus company firm cluster district agency "
                         "university institute council fund programme port airport hospital "
                         "ministry laboratory lab centre center museum bank school college"))
_OPENS_WITH_KIND = re.compile(r"^(?:The\s+(\w+)\b|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*,\s+(?:a|an|the)\s+"
                              r"((?:[\w-]+\s+){0,2}[\w-]+))")


def _another_kind(text: str, names: list[frozenset[str]]) -> bool:
    """Whether a sentence opens with "The <kind>" or "<Name>, a <kind>," for another kind than
    every named thing's ("Halvergate, a port city of …" is not about the park asked)."""
    m = _OPENS_WITH_KIND.match(text)
    if m is None or not (opened := set(terms(m.group(1) or m.group(2))) & _KINDS):
        return False
    kinds = [g & _KINDS for g in names]
    said = set(terms(text))  # "The city agreed …, and the park opened in 2009" speaks of both
    return any(kinds) and all(k and not ((opened | said) & k) for k in kinds)


_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,5}\b")
_LINKING = {"and", "of", "the", "for", "in", "on", "to"}


def _spelled_out(acronym: str, text: str) -> bool:
    """Whether ``text`` writes the acronym out: "R&D" as "research and development", "GRP" as
    "gross regional product" (consecutive words with those initials, linking words skipped)."""
    initials = "".join(w[0] for w in re.findall(r"[a-z]+", fold(text)) if w not in _LINKING)
    return len(acronym) > 1 and acronym in initials


def _about(group: frozenset[str], have: set[str], data: IndexData,
           entities: EntityIndex | None = None, text: str = "",
           acronyms: frozenset[str] = frozenset()) -> bool:
    """Whether a passage is about a named thing: it holds the name's rarer words, not only a
    common one ("Global Innovation Index" is not matched by "innovation" alone), or spells out
    the acronym it is named by. A country is also named by its nationality ("Chinese
    clusters") or by a cluster the tables place in it."""
    weight = {t: data.idf(t) for t in group}
    holds = {t for t in weight if t in have or _near(t, have)
             or (t in acronyms and _spelled_out(t, text))}
    rarest = max(weight.values(), default=0.0)
    # its rarest word too: "Kallmere Science Park" is not "Ostby Science Park"
    if sum(weight[t] for t in holds) >= 0.5 * sum(weight.values()) and any(
            weight[t] >= rarest - 1e-9 for t in holds):
        return True
    # the country asked, by its name ("China") or its people's ("Chinese clusters")
    wanted = ({c for c in set(DEMONYMS.values()) if set(terms(c)) <= group}
              | {_COUNTRY_OF[t] for t in group if t in _COUNTRY_OF})
    said = {_COUNTRY_OF[t] for t in have if t in _COUNTRY_OF}
    if wanted & said or any(set(terms(c)) <= have for c in wanted):
        return True
    if entities is None or not text or not wanted:
        return False
    found = entities.find(text)
    return any(entities.of_country(found, c) for c in wanted)


def _mention_terms(alias: str, name: str) -> set[str]:
    """The terms of a name as mentioned ("hong kong" of "Shenzhen–Hong Kong–Guangzhou"); the
    name's own when the folded spelling splits a word ("xi an" is "Xi'an", term "xian")."""
    ts = set(terms(alias))
    return ts if ts <= set(terms(name)) else set(terms(name))


_OWNER_NAME = re.compile(r"\b([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['\u2019]s\s+(?=\w)")


def _about_all(q: Query, about: set[str], data: IndexData, entities: EntityIndex | None,
               s: StoredSentence) -> bool:
    """Whether a passage is about every thing the question names. A name that owns what is
    asked ("Dublin's Grand Canal Docks", "the NCDA's survey") may be said by the document's
    opening sentences instead of the passage."""
    text = _in_context(data, s)
    missing = [g for g in q.names if not _about(g, about, data, entities, text, q.acronyms)]
    if not missing:
        return True
    owners = {t for w in _OWNER_NAME.findall(q.focus) for t in terms(w)}
    lead = data.lead_terms.get(s.source, frozenset())
    return all(g <= owners and _about(g, set(lead), data) for g in missing)


def name_groups(text: str, entities: EntityIndex | None,
                name_words: frozenset[str] = frozenset()) -> list[frozenset[str]]:
    """The things a question names, each as the terms any of which a passage must hold to be
    about it: runs of capitalised words past the first ("the Hangzhou cluster", "San Jose"),
    names the tables know wherever they stand, and runs of words the sources only ever write
    as names ("the population of corrinford"). A nationality counts as its country ("Chinese"
    is about China)."""
    groups: list[set[str]] = []
    for m in _NAME_RUN.finditer(text):
        run = m.group()
        if m.start() == 0 or re.search(r"[.?!:]\s*$", text[:m.start()]):
            # a sentence's first word is capitalised whatever it is ("Which Chinese cluster")
            run = run.split(maxsplit=1)[1] if " " in run else ""
        for part in re.split(r"['\u2019]s\s+", run):  # "WIPO's Global Innovation Index"
            ts = set(terms(part))
            for w in part.split():
                country = DEMONYMS.get(re.sub(r"['\u2019]s$", "", w.lower()))
                if country:
                    ts |= set(terms(country))
            if ts:
                groups.append(ts)
    for alias, name in entities.mentions(text) if entities else []:
        ts = _mention_terms(alias, name)
        if ts and not any(ts & g for g in groups):
            groups.append(ts)
    typed: set[str] = set()
    for word in [*re.findall(r"[\w'\u2019-]+", text), ""]:
        ts = set(terms(word))  # typed in lower case: capitalised words are read above
        if (ts and word.islower() and re.sub(r"['\u2019]s?$", "", word) in name_words
                and not any(ts & g for g in groups)):
            typed |= ts
            continue
        if typed:
            groups.append(typed)
            typed = set()
    return [frozenset(g) for g in groups]


_PROPER = re.compile(r"(?<![.?!]\s)(?<!^)(?<![&\u2019'-])\b([A-Z][\w\u2019'&.-]*)")


def proper_nouns(text: str) -> list[str]:
    """Capitalised words that do not open a sentence: the names a question is about."""
    return [w for w in _PROPER.findall(text.strip()) if w not in {"I", "S&T"}]


def _near(term: str, have: set[str]) -> bool:
    """A word form the stemmer keeps apart: "grow"/"growth", "fast"/"fastest", "Korean"/"Korea"
    (an ending of up to three letters; "salt" is not "Saltloft")."""
    if len(term) < 3 or not term.isalpha():
        return False
    if len(term) == 3:  # "own"/"owner", "run"/"runner": a short word only as a word's start
        return any(h.startswith(term) and len(h) - 3 <= 3 and h.isalpha() for h in have)
    return any(len(h) >= 4 and h.isalpha() and abs(len(h) - len(term)) <= 3
               and (h.startswith(term) or term.startswith(h)) for h in have)


def _known(term: str, vocabulary: dict[str, int]) -> bool:
    """Whether the corpus has the word, or a shorter form of it ("Korean" has "Korea")."""
    return term in vocabulary or (term.isalpha() and any(
        term.startswith(term[:n]) and term[:n] in vocabulary for n in range(4, len(term))))


@lru_cache(maxsize=4096)
def _header_terms(header: str) -> frozenset[str]:
    return frozenset(terms(header))


@lru_cache(maxsize=4096)
def _heading_terms(heading: str) -> frozenset[str]:
    """A section heading's terms, its numbering left out ("3. Aldervik Science Park")."""
    return frozenset(t for t in terms(heading) if not t.isdigit())


def _asked_column(s: StoredSentence, question_terms: set[str]) -> bool:
    """Whether the question names a column of this row that holds a value ("how many PCT
    applications" and the column ``pct_applications``). One-word columns ("cluster") name what
    every row has, so only longer names count."""
    if s.table is None:
        return False
    return any(v.strip() and len(ht := _header_terms(h)) >= 2 and ht <= question_terms
               for h, v in zip(s.table.header, s.table.values, strict=True))


_QUANTITY = re.compile(r"^\d[\d.]*$|^(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|"
                       r"thousands|million|dozen|dozens)$")


def _counts(s: StoredSentence, counted: frozenset[str]) -> bool:
    """Whether a figure stands by the word for what is counted ("146 companies", "employs 420
    people", "Companies: 97"), not by something else ("over the next ten years")."""
    wanted = set(counted) | {a for t in counted for a in alternatives(t)}
    if s.table is not None:
        return any(_header_terms(h) & wanted and re.search(r"\d", v)
                   for h, v in zip(s.table.header, s.table.values, strict=True)) or any(
            wanted & set(terms(v)) for v in s.table.values)
    ws, stems = _quantity_words(s.text)
    return any(_QUANTITY.match(w) and wanted & set(stems[max(0, i - 2):i + 4])
               for i, w in enumerate(ws))


def _quantity_words(text: str) -> tuple[list[str], list[str]]:
    """A sentence's content words and figures (number words too), and their stems: what
    stands by a figure, a few words either side."""
    ws = [w for w in words(text) if w not in STOPWORDS or _QUANTITY.match(w)]
    return ws, [terms(w)[0] if terms(w) else w for w in ws]


def _in_context(data: IndexData, s: StoredSentence) -> str:
    """A sentence with its document's title and its heading, and a list item with the sentence
    that leads into its list ("The WIPO 2024 Global Innovation Index identifies the top three
    …:"): where an acronym ("TIA", "GII") may be spelled out for it."""
    lead = ""
    if s.role == "item" and s.list_id is not None and 0 <= s.chunk < len(data.chunks):
        sid = min((i for i in data.chunks[s.chunk].sentence_ids
                   if data.sentences[i].list_id == s.list_id), default=0)
        while sid > 0 and data.sentences[sid - 1].list_id == s.list_id and (
                data.sentences[sid - 1].source == s.source):
            sid -= 1  # back to the list's first item
        if sid > 0 and data.sentences[sid - 1].source == s.source:
            lead = data.sentences[sid - 1].text
    return f"{data.manifest.files[s.source].title or ''} {s.heading} {lead} {s.text}"


def _cells(s: StoredSentence, kind: AnswerType | None) -> str:
    """What a candidate says: a row's values (its headers, "Employees", name no one; for money,
    with the unit its header gives: "18.9 (€ m)"), or the sentence."""
    if s.table is None:
        return s.text
    if kind == "date":  # the year that dates a row's figures is not when anything happened
        return "; ".join(v for h, v in zip(s.table.header, s.table.values, strict=True)
                         if not (is_year(v.strip()) and ROW_YEAR.search(h.lower())))
    if kind == "money":
        return "; ".join(f"{v} {' '.join(re.findall(r'[(][^)]*[)]', h))}"
                         for h, v in zip(s.table.header, s.table.values, strict=True))
    return "; ".join(s.table.values)


def _blank_asked(s: StoredSentence, question_terms: set[str]) -> bool:
    """Whether every column of this row that the question names ("patent filings", units in
    brackets aside) is empty: the row is about the thing but does not hold what is asked."""
    if s.table is None:
        return False
    # a column whose cell the question names ("the Ostmere park" and "Park: Ostmere
    # Research Park") says which row, not what is asked of it
    named = [v for h, v in zip(s.table.header, s.table.values, strict=True)
             if (ht := _header_terms(re.sub(r"[(][^)]*[)]", "", h)))
             and ht <= question_terms and not ht <= {"year"}
             and not set(terms(v)) & (question_terms - ht)]
    return bool(named) and not any(v.strip() for v in named)


def _row_years(s: StoredSentence) -> set[str]:
    """The years a row speaks of: its filled year columns and year cells (its table's title may
    name other years: "2024 and 2023" does not make an empty 2024 cell a 2024 figure)."""
    assert s.table is not None
    years = set()
    for h, v in zip(s.table.header, s.table.values, strict=True):
        if v.strip():
            years |= {n for n in numbers(h) if is_year(n)}
            if is_year(v.strip()):
                years.add(v.strip())
    return years


def _cell_pairs(s: StoredSentence) -> set[str]:
    """'value@year' pairs of a table row: a cell under a year column, or a year cell beside
    other cells ("rank 2024: 3" and "year: 2024; rank: 3" both give "3@2024")."""
    if s.table is None:
        return set()
    pairs: set[str] = set()
    row_years = [v for v in s.table.values if is_year(v.strip())]
    for h, v in zip(s.table.header, s.table.values, strict=True):
        for n in numbers(v):
            for y in [w for w in numbers(h) if is_year(w)] + row_years:
                if n != y:
                    pairs.add(f"{n}@{y}")
    return pairs


def candidates(data: IndexData, hits: list[Hit], vector: np.ndarray | None) -> list[Hit]:
    """The best chunks overall, plus the best few of each kind (prose, table rows) by meaning:
    a short article must not be crowded out by many similar rows, nor rows by paragraphs; and
    the retrieved chunks further down whose best sentence means most what is asked."""
    chosen = hits[:CANDIDATE_CHUNKS]
    if vector is None or not len(data.chunks):
        return chosen
    taken = {h.chunk_id for h in chosen}
    floor = min((h.score for h in chosen), default=0.0)
    rest = [h.chunk_id for h in hits[CANDIDATE_CHUNKS:] if data.chunks[h.chunk_id].sentence_ids]
    if rest:
        sids = [data.chunks[c].sentence_ids for c in rest]
        dense = data.sentence_vectors[[i for ids in sids for i in ids]] @ vector
        ends = np.cumsum([len(ids) for ids in sids])
        best_of = np.maximum.reduceat(dense, np.r_[0, ends[:-1]])
        picked = [rest[i] for i in np.argsort(-best_of, kind="stable")[:SENTENCE_CHUNKS]]
        chosen += [Hit(c, floor) for c in picked]
        taken.update(picked)
    sims = data.chunk_vectors @ vector
    for is_row in (False, True):
        ids = np.flatnonzero(data.row_chunks == is_row)
        best = ids[np.argsort(-sims[ids], kind="stable")[:PER_KIND_CHUNKS]]
        chosen += [Hit(int(c), floor) for c in best if int(c) not in taken]
        taken.update(int(c) for c in best)
    return chosen


def score_sentences(data: IndexData, q: Query, hits: list[Hit], widen: bool = True,
                    entities: EntityIndex | None = None) -> list[Scored]:
    """Score every sentence of the retrieved chunks; ``widen`` adds the best chunks of each
    kind by meaning (hybrid mode; the single-retriever baselines keep their own hits)."""
    hits = candidates(data, hits, q.vector) if widen else hits[:CANDIDATE_CHUNKS]
    if not hits:
        return []
    top = max(h.score for h in hits) or 1.0
    rrf = {h.chunk_id: h.score / top for h in hits}
    sids: dict[int, float] = {}
    for h in hits:
        for sid in data.chunks[h.chunk_id].sentence_ids:
            sids[sid] = max(sids.get(sid, 0.0), rrf[h.chunk_id])
    ids = list(sids)
    dense = data.sentence_vectors[ids] @ q.vector
    weights = {t: data.idf(t) for t in q.terms}
    total = sum(weights.values()) or 1.0
    asked_total = sum(weights[t] for t in q.asked_terms)
    other_nums = q.numbers - q.years
    wanted_pairs = {f"{n}@{y}" for n in other_nums for y in q.years}
    qset = set(q.terms)
    kind_words = type_words(q.answer_type)
    leader = asks_leader(q.focus or q.text)
    # an undated sentence of a dated document (an article of 2024) speaks of that year
    doc_years = {src: {str(e.year)} for src, e in data.manifest.files.items() if e.year}
    out = []
    for sid, d in zip(ids, dense, strict=True):
        s = data.sentences[sid]
        have = set(s.terms) | _heading_terms(s.heading) | data.title_terms.get(s.source, set())
        own = set(s.terms)  # a relation's other words count in the sentence, not its heading
        # an acronym asked is held where it is written out ("IP": "intellectual property"),
        # a name asked where one is given ("also known as", "(Hebrew: …)")
        covered = {t for t in q.terms if t in have or _near(t, have) or alternatives(t) & own
                   or (t in q.acronyms and _spelled_out(t, s.text))
                   or (t in _NAMING and bool(_GIVES_NAME.search(s.text)))}
        coverage = sum(weights[t] for t in covered) / total
        s_nums = set(t for t in s.terms if t.replace(".", "").isdigit())
        figures = len(other_nums & s_nums) / len(other_nums) if other_nums else 0.0
        cell = 1.0 if wanted_pairs & _cell_pairs(s) else 0.0
        column = 1.0 if _asked_column(s, qset) else 0.0
        s_years = _row_years(s) if s.table is not None else {n for n in s_nums if is_year(n)}
        placed = not q.places or q.places <= s_nums or (
            s.list_pos is not None and q.places == {str(s.list_pos)})
        clash = 1.0 if q.years and s_years and not (q.years & s_years) else 0.0
        own_row = 1.0 if s.table is not None and entities is not None and q.names and (
            (name := entities.row_entity(s.source, s.table)) is not None
            and any(g <= set(terms(name)) for g in q.names)) else 0.0
        exact = (sum(weights[t] for t in q.asked_terms if t in have) / asked_total
                 if asked_total else 0.0)
        score = (W_DENSE * float(d) + W_COVER * coverage + W_FIGURES * figures + W_CELL * cell
                 - W_YEAR_CLASH * clash + W_RETRIEVAL * sids[sid] + W_COLUMN * column
                 + W_ROW_SUBJECT * own_row + W_EXACT * exact)
        cause = q.answer_type == "reason" and s.table is None and bool(CAUSE.search(s.text))
        if cause:
            score += W_REASON  # "why…?" is answered by a sentence that gives a cause
        if leader and names_role(s.text):
            score += W_ROLE
        # words naming the kind of answer ("where does X *sit*") count only where held
        asked_den = asked_total - sum(weights[t] for t in q.asked_terms
                                      if t in kind_words and t not in covered)
        asked = (sum(weights[t] for t in q.asked_terms if t in covered) / asked_den
                 if (q.name_terms or q.names) and asked_den > 0 else 1.0)
        # "The company employs 210" in an article titled by the park asked is not about it
        about = (own if s.table is None and _another_kind(s.text, q.names)
                 else have | _previous_subject(data, sid) if q.names or q.years else have)
        # a year asked must be stated: by the sentence, its heading or title, or what it
        # refers back to ("members in 2021?" is not answered by an undated sentence)
        dated = not q.years or bool(q.years & (s_years or about)) or (
            s.table is None and not s_years and bool(q.years & doc_years.get(s.source, set())))
        counts = not q.counted or float(d) >= ASKED_DENSE or (
            bool(q.counted & covered)
            and (q.answer_type == "money" or _counts(s, q.counted)))
        eligible = (not clash and placed and dated and counts and not _blank_asked(s, qset)
                    and _about_all(q, about, data, entities, s)
                    and holds(q.answer_type, _cells(s, q.answer_type), q.text)
                    and not (q.answer_type == "reason" and s.table is not None)  # no causes
                    and all(pick_held(pick, own | _heading_terms(s.heading), s.text)
                            for pick in q.picks))
        out.append(Scored(sid, score, float(d), coverage, covered, asked, eligible,
                          bool(q.name_terms), cause))
    out.sort(key=lambda x: (not x.eligible, -x.score, x.sid))
    if q.prefer:  # the named kind of source first, when it has anything to say
        wanted = [sc for sc in out if (data.sentences[sc.sid].table is not None)
                  == (q.prefer == "table")]
        if wanted and wanted[0].eligible and wanted[0].support >= MIN_SUPPORT:
            out = wanted + [sc for sc in out if sc not in wanted]
    return out


def rank_chunks(data: IndexData, ranked: list[Scored]) -> list[tuple[int, float]]:
    """Chunks in the order of their best sentence: what the reranked retrieval returns."""
    seen: dict[int, float] = {}
    for sc in ranked:
        seen.setdefault(data.sentences[sc.sid].chunk, sc.score)
    return list(seen.items())


def citation(data: IndexData, number: int, sc: Scored) -> Citation:
    s = data.sentences[sc.sid]
    chunk = data.chunks[s.chunk]
    entry = data.manifest.files[s.source]
    return Citation(
        number=number, source=s.source, title=entry.title, location=s.locator.label,
        locator=s.locator, quote=s.text, passage=chunk.text, score=round(sc.score, 4),
        kind=entry.kind, url=s.url or entry.url, publisher=entry.publisher, year=entry.year,
        table=s.table,
    )


def _answer_numbers(s: StoredSentence, q: Query) -> set[str]:
    """The figures a row gives in answer: those under the year asked about when there is one."""
    if s.table is None:
        return set()
    cells = list(zip(s.table.header, s.table.values, strict=True))
    if q.years:
        row_years = {v.strip() for v in s.table.values} & q.years
        chosen = [v for h, v in cells if row_years or numbers(h) & q.years]
    else:
        chosen = [v for _, v in cells]
    return {n for v in chosen for n in numbers(v) if not is_year(n)}


def _find_conflict(data: IndexData, entities: EntityIndex, q: Query, best: Scored,
                   ranked: list[Scored]) -> Scored | None:
    """A prose sentence that gives another answer than the table row chosen.

    Two ways to disagree: when the question asks *which* cluster or economy, the prose names a
    different one of the same kind ("Seoul ranks third" against the row "rank 2024: 3; Beijing");
    when it asks about one named thing, the prose names it with other figures. Tables are
    compiled from the primary publications, so their value leads and the other source is cited
    beside it for the reader to see."""
    row = data.sentences[best.sid]
    if row.table is None:
        return None
    asked_about = entities.find(q.text)
    named = entities.row_entity(row.source, row.table) or next(
        iter(entities.find(row.text.split(":", 1)[-1])), None)
    figures = _answer_numbers(row, q)
    wanted_nums = q.numbers - q.years
    # "which cluster…", "who…", "what economy…"; not "what is X's headcount"
    asks_which = bool(re.match(r"\s*(?:and\s+)?(?:which|who|what(?!['\u2019]s\b|\s+(?:is|are|was|"
                               r"were|did|does|do|has|have|had|will)\b))\b", q.focus, re.I))
    for sc in ranked[:40]:
        s = data.sentences[sc.sid]
        # a sentence, or an infobox field ("X, Employees: 3,150"), which states one thing
        if (s.table is not None and len(s.table.header) > 1) or sc.support < (
                MIN_RANK_CONFLICT_SUPPORT if q.answer_type == "rank" else MIN_CONFLICT_SUPPORT):
            continue
        found = entities.find(s.text)
        s_nums = {t for t in s.terms if t.replace(".", "").isdigit() and not is_year(t)}
        # one thing asked about ("the Kelvarra precinct in Western Australia" names a city
        # and a country too: the thing is then the row's own)
        thing = asked_about[0] if len(asked_about) == 1 else (
            named if not asks_which else None)
        if thing is not None:
            if not sc.eligible or sc.asked < MIN_CONFLICT_ASKED:  # another measure or year
                continue
            if figures and thing in found[:1] and s_nums and not s_nums & figures:
                return sc
        elif (asks_which and named is not None and found and named not in found
              and entities.same_kind(found[0], named)
              and (not wanted_nums or wanted_nums <= s_nums)):
            return sc
    return None


def _row_of(entities: EntityIndex, row: StoredSentence, asked_about: list[str], q: Query
            ) -> bool:
    """Whether a row is the one thing asked about: the name found in the question, or, when
    it names it in a form the tables do not list ("the bioquarter"), a row whose name holds
    every word of it."""
    assert row.table is not None
    name = entities.row_entity(row.source, row.table)
    if asked_about:
        return name == asked_about[0]
    return name is not None and q.names[0] <= set(terms(name))


def _find_row_conflict(data: IndexData, entities: EntityIndex, q: Query, best: Scored,
                       ranked: list[Scored]) -> Scored | None:
    """When the answer is a sentence, a table row about the same thing, for the same year and
    measure, that gives another figure ("revised to €69.9 million" against the row's 74.8)."""
    s = data.sentences[best.sid]
    asked_about = entities.find(q.text)
    if s.table is not None or len(asked_about) > 1 or not (asked_about or len(q.names) == 1):
        return None
    said = {t for t in s.terms if t.replace(".", "").isdigit() and not is_year(t)}
    if not said - q.numbers:
        return None
    qset = set(q.terms)
    dated = {n for n in numbers(s.text) if is_year(n)} | q.years  # the year the sentence speaks of
    for sc in ranked[:40]:
        row = data.sentences[sc.sid]
        if (row.table is None or not sc.eligible or sc.asked < MIN_CONFLICT_ASKED
                or not any(v.strip() and (ht := _header_terms(re.sub(r"[(][^)]*[)]", "", h)))
                           and ht <= qset and not ht <= {"year"}
                           for h, v in zip(row.table.header, row.table.values, strict=True))
                or not _row_of(entities, row, asked_about, q)):
            continue
        figures = {n for n in _answer_numbers(row, q) if n.replace(".", "").isdigit()}
        if figures and not figures & said:
            return sc
    if not dated:
        return None
    # by another word for the measure ("how many people work there": a row's "Jobs" cell), only
    # the cell under it, for the very year the sentence gives ("at the end of 2024")
    asked = qset | {a for t in qset for a in alternatives(t)}
    for sc in ranked[:40]:
        row = data.sentences[sc.sid]
        if row.table is None or not sc.eligible or not _row_of(entities, row, asked_about, q):
            continue
        row_years = {v.strip() for v in row.table.values if is_year(v.strip())}
        figures = {n for h, v in zip(row.table.header, row.table.values, strict=True)
                   if (ht := _header_terms(re.sub(r"[(][^)]*[)]", "", h)) - {"year"})
                   and ht <= asked and (row_years or {n for n in numbers(h) if is_year(n)}) & dated
                   for n in numbers(v) if not is_year(n)}
        if figures and not figures & said:
            return sc
    return None


_SHARE = re.compile(r"(\d[\d,.]*)\s*(?:%|per\s*cent\b|percent\b)", re.I)


def _figures_of(data: IndexData, sc: Scored, q: Query) -> set[str]:
    """The figures a candidate gives for what is counted, by the very word the question
    counts ("142 companies", a row's "Tenant companies" cell for the year asked). In a
    sentence, those standing by the word (its measure may come a few words before: "its
    funding figure … down to €69.9 million"), shares left out; in a row, the cells under a
    header that names it. Years and the question's own numbers are left out."""
    s = data.sentences[sc.sid]
    if s.table is None:
        ws, stems = _quantity_words(s.text)
        found = {n for i, w in enumerate(ws) if q.counted & set(stems[max(0, i - 8):i + 4])
                 for n in numbers(w)}
        found -= {n for m in _SHARE.finditer(s.text) for n in numbers(m.group(1))}
    else:
        found = {n for h, v in zip(s.table.header, s.table.values, strict=True)
                 if _header_terms(h) & q.counted for n in numbers(v)} & _answer_numbers(s, q)
    return {n for n in found if not is_year(n)} - q.numbers


def _find_other_figure(data: IndexData, q: Query, best: Scored, ranked: list[Scored]
                       ) -> Scored | None:
    """Another source that counts the same thing with other figures ("hosts 142 companies"
    against the table's 136 tenant companies): a candidate good enough to answer by itself,
    about the same thing and year, none of whose figures for what is counted is the answer's.
    Either may be the out-of-date one, so both are shown and cited.

    Only the counted word itself ties two figures to one measure: by synonyms, "35 start-ups
    in the incubator" and "160 tenants" disagree about nothing; nor do two years, one the
    opening and one a later building. And only for a named thing: "what's the fee?" alone is
    asked of no one thing, and two fees are then no conflict (measured on the tune splits)."""
    if not q.counted or not q.names:
        return None
    return _disagreeing(data, best, ranked, lambda sc: _figures_of(data, sc, q))


# Units of area, each family by the figure written before it: "58 hectares", "64 ha", a
# row's cell under "Area (ha)". Two sources giving one thing's area in the same unit and
# different figures disagree whatever other words they use ("covers", "sits on", "takes up").
_AREA_UNITS = {
    "ha": r"ha|hectares?", "km2": r"km2|km\u00b2|sq(?:uare)?\.?\s*(?:km|kilomet(?:re|er)s?)",
    "m2": r"m2|m\u00b2|sq(?:uare)?\.?\s*(?:m|met(?:re|er)s?)", "acre": r"acres?",
}
_AREA_FIGURE = {unit: re.compile(r"(\d[\d,.]*)\s*(?:" + pattern + r")\b", re.I)
                for unit, pattern in _AREA_UNITS.items()}
_AREA_HEADER = {unit: re.compile(r"\b(?:" + pattern + r")(?!\w)", re.I)
                for unit, pattern in _AREA_UNITS.items()}


def _areas(data: IndexData, sc: Scored) -> set[str]:
    """The areas a candidate gives, each as "unit:figure"."""
    s = data.sentences[sc.sid]
    if s.table is not None:  # a cell under "Area (ha)", or one written "64 ha"
        return {f"{u}:{n}" for h, v in zip(s.table.header, s.table.values, strict=True)
                for u in _AREA_UNITS if _AREA_HEADER[u].search(h) or _AREA_FIGURE[u].search(v)
                for n in numbers(v) if not is_year(n)}
    return {f"{u}:{n}" for u, rx in _AREA_FIGURE.items()
            for m in rx.finditer(s.text) for n in numbers(m.group(1))}


def _find_other_area(data: IndexData, q: Query, best: Scored, ranked: list[Scored]
                     ) -> Scored | None:
    """Another source that gives the named thing's area otherwise ("58 hectares" against the
    encyclopedia's "Area: 64 ha"), when the answer is an area."""
    if not q.names or q.answer_type not in (None, "number"):
        return None
    given = _areas(data, best)
    if not given:
        return None
    units = {a.split(":")[0] for a in given}
    return _disagreeing(data, best, ranked, lambda sc: {
        a for a in _areas(data, sc) if a.split(":")[0] in units})


def _disagreeing(data: IndexData, best: Scored, ranked: list[Scored],
                 said: Callable[[Scored], set[str]]) -> Scored | None:
    """The first candidate of another source, good enough to answer by itself, that says
    something (``said``: its figures, its years) and nothing the answer says."""
    given = said(best)
    source = data.sentences[best.sid].source
    if not given:
        return None
    for sc in ranked[:ANSWER_POOL]:
        if (sc is best or data.sentences[sc.sid].source == source or not answers(sc)
                or sc.support < MIN_CONFLICT_SUPPORT):
            continue
        other = said(sc)
        if other and not other & given:
            return sc
    return None


def _event_years(data: IndexData, sc: Scored, events: frozenset[str]) -> set[str]:
    """The years a candidate gives for one of ``events`` (stems: "open", "found"): a row's
    cell under such a header ("Opened: 2010"), or in a sentence a year a few words from
    such a word ("opened its doors in 2009")."""
    s = data.sentences[sc.sid]
    if s.table is not None:
        return {n for h, v in zip(s.table.header, s.table.values, strict=True)
                if _header_terms(h) & events for n in numbers(v) if is_year(n)}
    ws = words(s.text)
    stems = [terms(w)[0] if terms(w) else w for w in ws]
    return {w for i, w in enumerate(ws) if is_year(w)
            and events & set(stems[max(0, i - 6):i + 3])}


def _find_other_date(data: IndexData, q: Query, best: Scored, ranked: list[Scored]
                     ) -> Scored | None:
    """Another source that dates the same event of the same named thing otherwise ("opened
    in 2009" against the row's "Opened: 2010"). The event is what the question asks
    ("when did it open") or the answering row's header ("what year did it get going" and
    "Opened"); a year elsewhere in a sentence dates something else and does not count."""
    if q.answer_type != "date" or not q.names:
        return None
    row = data.sentences[best.sid].table
    asked = {t for t in q.asked_terms if not t.isdigit()}
    if row is not None:
        asked |= {t for h, v in zip(row.header, row.values, strict=True)
                  if EVENT_HEADER.fullmatch(h.strip()) and any(is_year(n) for n in numbers(v))
                  for t in _header_terms(h)}
    # the very words: by synonyms, "set up" would meet "rounds were found to have closed"
    events = frozenset(asked) - type_words("date")
    if not events:
        return None
    return _disagreeing(data, best, ranked, lambda sc: _event_years(data, sc, events) - q.years)


def _list_item(data: IndexData, anchor: int, ordinal: int) -> int | None:
    """The n-th item of the list nearest to sentence ``anchor`` (same source)."""
    src = data.sentences[anchor].source
    lists: dict[int, list[int]] = {}
    for sid in range(max(0, anchor - 30), min(len(data.sentences), anchor + 30)):
        s = data.sentences[sid]
        if s.source == src and s.list_id is not None and s.list_pos is not None:
            lists.setdefault(s.list_id, []).append(sid)
    if not lists:
        return None
    nearest = min(lists.values(), key=lambda ids: min(abs(i - anchor) for i in ids))
    items = sorted(nearest, key=lambda i: data.sentences[i].list_pos or 0)
    if ordinal == -1:
        return items[-1]
    return items[ordinal - 1] if 0 < ordinal <= len(items) else None


def _row_focus(data: IndexData, entities: EntityIndex, sc: Scored, q: Query) -> str:
    """A cited row as the answer says it: the statement it holds, or a sentence naming its
    thing and the values asked about; the row's own text when the question names none of its
    cells (a key/value field already reads "Subject, Field: value")."""
    s = data.sentences[sc.sid]
    if s.table is None or len(s.table.header) < 2:
        return s.text
    name_cols = entities.columns_of(s.source, s.table)
    subject = entities.row_entity(s.source, s.table)
    typed: frozenset[int] = frozenset()
    if q.answer_type in ("date", "money"):  # "Deadline for X?": the cell holding a date
        typed = frozenset(i for i, v in enumerate(s.table.values)
                          if holds(q.answer_type, v, q.text))
    said = row_sentence(s.table, subject, set(q.terms), q.years, name_cols, typed=typed,
                        names=frozenset().union(*q.names))
    return said or s.text


NOT_FOUND = ("The sources do not say: nothing in the indexed documents or tables answers this "
             "question. The closest passages are listed as related, for you to check.")


def compose(data: IndexData, entities: EntityIndex, q: Query, ranked: list[Scored],
            question: str, top_k: int, ordinal_item: int | None = None,
            encode: Encode | None = None) -> Answer:
    """Turn scored sentences into a short cited answer, or an abstention. ``encode`` (the
    embedding model) lets a paraphrase that shares few words with the question answer."""
    if ordinal_item is not None:
        item = next((sc for sc in ranked if sc.sid == ordinal_item),
                    Scored(ordinal_item, 1.0, 1.0, 1.0))
        c = citation(data, 1, item)
        return Answer(question=question, resolved_question=q.text, text=f"{c.quote} [1]",
                      abstained=False, citations=[c])
    unknown = [t for t in q.proper_terms | q.name_terms
               if not _known(t, data.doc_freq) and t not in data.context_terms
               and not (t in q.acronyms and any(
                   _spelled_out(t, _in_context(data, data.sentences[sc.sid]))
                   for sc in ranked[:ANSWER_POOL]))]
    subject = open_subject(q.focus)
    if subject and not unknown:
        profile = _profile(data, entities, q, ranked, question, subject)
        if profile is not None:
            return profile
    best = choose(ranked)
    if best is None and not unknown and encode is not None:
        best = paraphrase(data, q, ranked, encode)
    if best is None or unknown:
        related = [citation(data, i + 1, sc) for i, sc in enumerate(_distinct(data, ranked, top_k))]
        return Answer(question=question, resolved_question=q.text, text=NOT_FOUND,
                      abstained=True, related=related)
    chosen = [best]
    conflict = (_find_conflict(data, entities, q, best, ranked)
                or _find_row_conflict(data, entities, q, best, ranked)
                or _find_other_figure(data, q, best, ranked)
                or _find_other_area(data, q, best, ranked)
                or _find_other_date(data, q, best, ranked))
    if conflict is not None:
        chosen.append(conflict)
    cites = [citation(data, i + 1, sc) for i, sc in enumerate(chosen)]
    said = [_row_focus(data, entities, sc, q) for sc in chosen]
    items = _list_after(data, best.sid)
    if items and conflict is None:  # "…rests on four pillars:" comes with its pillars
        said[0], cites[0] = _with_items(data, said[0], cites[0], items)
    elif (before := _antecedent(data, best.sid)) and len(before) + len(said[0]) < 400:
        said[0] = f"{before} {said[0]}"  # "It employs 420 people": say first what "it" is
    if conflict is not None:
        text = f"{said[0]} [1] Another source says otherwise: {said[1]} [2]"
        if len(text) > MAX_ANSWER_CHARS:
            text = f"{said[0]} [1] Another source says otherwise [2]."
    else:
        text = " ".join(f"{t} [{i}]" for i, t in enumerate(said, start=1))
    return Answer(question=question, resolved_question=q.text, text=text, abstained=False,
                  citations=cites, conflict=conflict is not None)


_PRONOUN_FIRST = re.compile(r"^(?:It|Its|It's|They|Their|He|She|His|Her|This|These)\b")
_HERE = re.compile(r"\bhere\b(?!\s+(?:is|are)\b)", re.IGNORECASE)  # "moved its lab here"


def _antecedent(data: IndexData, sid: int) -> str | None:
    """For an answer sentence that opens with a pronoun, the sentence before it in the same
    passage, which says what the pronoun stands for; for one that points at a place by "here",
    its section's heading (the citation opens the passage, both)."""
    s = data.sentences[sid]
    if s.table is not None or sid == 0:
        return None
    place = re.sub(r"^[\d.\s]+", "", s.heading).strip()  # "3. Ambrel Lakeside Campus"
    if _HERE.search(s.text) and place and not set(terms(place)) & set(s.terms):
        return f"{place}:"  # "… moved its laboratory here" under the heading naming the place
    if not _PRONOUN_FIRST.match(s.text):
        return None
    prev = data.sentences[sid - 1]
    if prev.chunk != s.chunk or prev.table is not None or _PRONOUN_FIRST.match(prev.text):
        return None
    return prev.text


def choose(ranked: list[Scored]) -> Scored | None:
    """The best candidate good enough to answer with, among the first few: one that names the
    thing but not what is asked of it ("The Seed Fund began investing in June") gives way to
    the next that holds both ("It is managed by Ostrand Capital")."""
    return next((sc for sc in ranked[:ANSWER_POOL] if answers(sc)), None)


# The cosine, names left out, between the question and a sentence that holds the thing asked
# about but few of the words asked of it, at or above which the sentence says it in other words
# ("what's behind X staying number one?" and "X remains the top-ranked cluster, driven by …").
# Chosen on the tune splits of the question bank (the would-abstain questions of 943): the
# right sentences scored 0.40–0.55, the first candidate of unanswerable questions at most 0.34.
MIN_PARAPHRASE = 0.40


def paraphrase(data: IndexData, q: Query, ranked: list[Scored], encode: Encode
               ) -> Scored | None:
    """When no candidate holds enough of the words asked: of the first few candidates about
    every thing the question names for the year it names, the one that best means what is
    asked once the names are set aside, if it means it closely enough (one more encoding, of
    a handful of short texts, on this path only)."""
    if not q.names:
        return None
    # sentences only: a row's cells, names set aside, are figures whose meaning is its headers
    pool = [sc for sc in ranked[:ANSWER_POOL] if sc.eligible and sc.support >= MIN_SUPPORT
            and data.sentences[sc.sid].table is None]
    if not pool:
        return None
    named = frozenset().union(*q.names)
    said = [_without(data.sentences[sc.sid].text, named) for sc in pool]
    vectors = encode([_without(q.focus, named), *said])
    sims = vectors[1:] @ vectors[0]
    best = int(np.argmax(sims))
    return pool[best] if float(sims[best]) >= MIN_PARAPHRASE else None


def _without(text: str, name_terms: frozenset[str]) -> str:
    """The text with the words of the names left out: what is said of them."""
    kept = [w for w in re.findall(r"[\w'\u2019-]+|[^\w\s]", text)
            if not set(terms(w)) & name_terms]
    return " ".join(kept) or text


def answers(best: Scored) -> bool:
    """Whether the best candidate is good enough to answer with (else: abstain). A cause
    given for the named thing ("because its vacancy …") answers a "why" asked in other words
    ("advise against putting money into"), so it needs less of the asked words."""
    limit = MIN_ASKED if best.known_name and not best.gives_cause else MIN_ASKED_OTHER
    return best.eligible and best.support >= MIN_SUPPORT and (
        best.asked >= limit or best.dense >= ASKED_DENSE)


def _list_after(data: IndexData, sid: int) -> list[int]:
    """The list items that follow a sentence ending in a colon (same source and section)."""
    s = data.sentences[sid]
    if s.table is not None or not s.text.rstrip().endswith(":"):
        return []
    items: list[int] = []
    for nxt in range(sid + 1, min(len(data.sentences), sid + 40)):
        t = data.sentences[nxt]
        if t.source != s.source or t.role != "item" or (items and t.list_pos == 1):
            break
        items.append(nxt)
    return items


def _with_items(data: IndexData, said: str, cite: Citation, items: list[int]
                ) -> tuple[str, Citation]:
    """The sentence and as many of its items as fit, the citation quoting them all."""
    budget = MAX_ANSWER_CHARS - len(said) - 8
    kept = []
    for sid in items:
        text = data.sentences[sid].text
        if len(text) + 1 > budget:
            break
        kept.append(text)
        budget -= len(text) + 1
    if not kept:
        return said, cite
    last = data.sentences[items[len(kept) - 1]].locator
    locator = cite.locator
    if last.kind == locator.kind and last.end >= locator.start:
        locator = locator.model_copy(update={"end": last.end})
    text = " ".join([said, *kept])
    return text, cite.model_copy(update={"quote": text, "locator": locator,
                                         "location": locator.label})


EARLY = 6  # a document's first sentences say what it is about


def _profile(data: IndexData, entities: EntityIndex, q: Query, ranked: list[Scored],
             question: str, subject: str) -> Answer | None:
    """A few cited sentences and rows about the one thing an open question names: the
    sentences that name it (a defining one first), its rows, facts with figures before talk."""
    groups = name_groups(f"about {subject}", entities) or [
        frozenset(t for t in terms(subject) if len(t) > 2)]
    if not any(groups):
        return None
    by_sid = {sc.sid: sc for sc in ranked}
    candidates: list[ProfileCandidate] = []
    start: dict[str, int] = {}
    for sid, s in enumerate(data.sentences):
        start.setdefault(s.source, sid)
        own = set(s.terms)
        named = all(_about(g, own, data) for g in groups)
        if not named:
            context = (own | _heading_terms(s.heading) | data.title_terms.get(s.source, set())
                       | _previous_subject(data, sid))
            if not all(_about(g, context, data) for g in groups):
                continue
        text = s.text
        if s.table is not None and len(s.table.header) > 1:
            thing = entities.row_entity(s.source, s.table)
            # every cell but the thing's own name: its leading firm is part of its profile
            own_name = {i for i, v in enumerate(s.table.values)
                        if thing and fold(v).strip() == fold(thing)}
            every = {t for h in s.table.header for t in terms(h)}
            text = row_sentence(s.table, thing, every, set(), own_name, limit=6) or s.text
        table = f"{s.source}|{'|'.join(s.table.header)}" if s.table is not None else ""
        candidates.append(ProfileCandidate(sid, s.chunk, text, s.table is not None, named,
                                           early=sid - start[s.source] < EARLY, table=table))
    if not candidates:
        return None
    dense = data.sentence_vectors[[c.sid for c in candidates]] @ q.vector
    for c, d in zip(candidates, dense, strict=True):
        c.dense = float(d)
    items = pick(candidates, limit=MAX_ITEMS, budget=MAX_ANSWER_CHARS - 20)
    if not items:
        return None
    cites: list[Citation] = []
    text = render(items, lambda n, sid: cites.append(citation(
        data, n, by_sid.get(sid) or Scored(sid, 0.0, 0.0, 0.0))))
    return Answer(question=question, resolved_question=q.text, text=text, abstained=False,
                  citations=cites)


def _distinct(data: IndexData, ranked: list[Scored], k: int) -> list[Scored]:
    out, seen = [], set()
    for sc in ranked:
        chunk = data.sentences[sc.sid].chunk
        if chunk not in seen:
            seen.add(chunk)
            out.append(sc)
        if len(out) == k:
            break
    return out
