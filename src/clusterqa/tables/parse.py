"""A question read as an operation on the tables' schema: which rows (a kind of thing, the
names and places it mentions, a rank window), which measure and year, and what to compute.

Nothing here knows a table: measures are found by matching the question's words against the
headers (with a few general synonyms: "patents" for "PCT applications", "articles" for
"publications", "place" for "rank"), names and places against the cells (``entities``). A
question that does not clearly ask for a computation over known columns gets ``None`` and goes
to the prose answerer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..textnorm import fold
from .engine import Engine, header_words
from .entities import (
    _SYMBOLS,
    COUNTRY_WORDS,
    CURRENCY_WORDS,
    ISO2,
    REGIONS,
    Mention,
    Names,
    close_word,
    norm,
    place_terms,
)

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fiftieth": 50,
    "hundredth": 100,
}
CARDINALS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
}
# General words that mean the same as a header word (stems on both sides).
SYNONYMS = [
    {"rank", "ranking", "place", "position", "standing", "spot", "placing"},
    {"pct", "patent", "filing", "application", "file", "filed", "invention"},
    {"vc", "venture", "funding", "fund", "raise", "raised", "money", "capital", "investment"},
    {"area", "size", "big", "large", "ground", "cover", "surface", "site"},
    {"open", "opened", "founded", "found", "established", "launch", "launched", "creat",
     "built", "commission", "inaugurat", "online"},
    {"employee", "employ", "employment", "employed", "people", "staff", "worker", "job",
     "workforce", "headcount", "personnel"},
    {"output", "produce", "production", "generate", "generation"},
    {"publication", "publish", "publishes", "article", "paper", "scientific"},
    {"share", "percentage", "percent", "proportion", "portion"},
    {"economy", "country", "nation"},
    {"cluster", "hub", "city", "metro"},
    {"organization", "organisation", "institution", "university", "body", "institute"},
    {"applicant", "filer", "company", "firm"},
    {"population", "inhabitant", "people", "resident"},
    {"revenue", "turnover", "sale"},
    {"score", "points", "rating"},
    {"growth", "grow", "grew", "increase"},
    {"budget", "spend", "spending", "expenditure"},
    {"count", "number"},
]


def _stem(word: str) -> str:
    """A light stem that keeps "applicant" apart from "application" (Porter joins them)."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("shes", "ches", "xes", "sses")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w

# Words for a kind of row only, never for a column ("grant applications" is no column of awards)
_KIND_GROUPS = [{"grant", "award", "subsidy"}]
KIND_SYNONYMS = {_stem(w): {_stem(o) for o in g} - {_stem(w)} for g in _KIND_GROUPS for w in g}

_SYN: dict[str, set[str]] = {}
for _group in SYNONYMS:
    _stems = {_stem(w) for w in _group}
    for _s in _stems:
        _SYN.setdefault(_s, set()).update(_stems)

RANK_WORDS = {_stem(w) for w in SYNONYMS[0]}
_GENERIC = {
    "top",
    "total",
    "number",
    "count",
    "value",
    "amount",
    "of",
    "data",
    "rate",
    "in",
    "annual",
    "yearly",
    "overall",
    "as",
    "printed",
    "reported",
}
_UNIT_WORDS = {"pct", "percent", "perc", "usd", "eur", "gbp", "jpy", "cny", "chf", "km2", "km",
               "ha", "m", "m2", "sq", "k", "bn", "mn", "mio", "thousand", "thousands", "million",
               "millions", "billion", "fte", "pp"}
# Header words that say what a key column holds, not what the rows are: "park name" → park.
_KEY_FILLER = {"name", "names", "id", "title", "code", "label", "of", "the", "ref", "reference",
               "no"}

CHANGE = re.compile(
    r"\b(chang\w*|mov(?:e|ed|es|ing)|climb\w*|ris(?:e|es|en|ing)|rose|fell|"
    r"fall\w*|drop\w*|gain\w*|los[te]\w*|improv\w*|declin\w*|slip\w*|jump\w*|"
    r"shift\w*|grew|grow\w*|slid\w*|went (?:up|down)|go(?:ne)? (?:up|down)|"
    r"up or down|evolv\w*|progress\w*|trend\w*|develop(?:s|ed|ing)?|increas\w*|decreas\w*|added|"
    r"shr[iau]nk\w*|doubl(?:e|ed|es|ing)|halv(?:e|ed|es|ing)|swing\w*|delta|year on year|yoy|"
    r"over time|went from|go from|fared|gone from)\b"
)
# "fewer startups in 2024 than in 2023": a comparative between two years is a change
_YEARS_APART = re.compile(
    r"\b(more|fewer|less|higher|lower|bigger|smaller|larger|better|worse|greater)\b.*"
    r"\b(?:19|20)\d\d (?:than|compared (?:with|to)|versus|vs) (?:in )?(?:19|20)\d\d\b"
)
# "fewer patent applications in 2023 than in 2022": the comparative and the order of the years
_THAN_YEAR = re.compile(
    r"\b(more|fewer|less|higher|lower|bigger|smaller|larger|better|worse|greater)\b"
    r"(?: \S+){0,6}? (?:in )?((?:19|20)\d\d) (?:than|compared (?:with|to)|versus|vs) (?:in )?"
    r"((?:19|20)\d\d)\b"
)


MONTHS = {m: n for n, ms in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for m in ms}
_DAY_MONTH = re.compile(rf"^(\d{{1,2}}) ({'|'.join(MONTHS)})\w* ((?:19|20)\d\d)$")
_MONTH_DAY = re.compile(rf"^({'|'.join(MONTHS)})\w* (\d{{1,2}}) ((?:19|20)\d\d)$")


def cell_date(cell: str) -> tuple[int, int] | None:
    """A cell holding a date, as (year, month): "2024-11-04", "4 Nov 2024", "November 4,
    2024"; None for anything else."""
    text = " ".join(re.findall(r"[a-z0-9]+", fold(cell)))
    m = re.fullmatch(r"((?:19|20)\d\d) (\d{1,2}) (\d{1,2})", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    m = _DAY_MONTH.match(text)
    if m:
        return int(m.group(3)), MONTHS[m.group(2)]
    m = _MONTH_DAY.match(text)
    return (int(m.group(3)), MONTHS[m.group(1)]) if m else None


def years_direction(text: str) -> int:
    """The way a comparative between two years points: +1 when the later year has more
    ("fewer in 2022 than in 2023"), -1 when less ("fewer in 2023 than in 2022"), 0 for none."""
    m = _THAN_YEAR.search(text)
    if m is None or m.group(2) == m.group(3):
        return 0
    more = m.group(1) in ("more", "higher", "bigger", "larger", "better", "greater")
    later_first = int(m.group(2)) > int(m.group(3))
    return 1 if more == later_first else -1


UP = re.compile(
    r"\b(climb\w*|ris(?:e|es|en|ing)|rose|gain\w*|improv\w*|jump\w*|went up|"
    r"moved up|move up|up the most|advanc\w*|increas\w*|grew|grow\w*|doubl(?:e|ed|es|ing)|"
    r"expand\w*|more \w+ in (?:19|20)\d\d than|higher in (?:19|20)\d\d than)\b"
)
DOWN = re.compile(
    r"\b(fell|fall\w*|drop\w*|los[te]\w*|declin\w*|slip\w*|slid\w*|went down|"
    r"moved down|move down|down the most|worsen\w*|decreas\w*|shr[iau]nk\w*|"
    r"halv(?:e|ed|es|ing)|reduc\w*|cut|(?:fewer|less) \w+ in (?:19|20)\d\d than|"
    r"lower in (?:19|20)\d\d than)\b"
)
# "held the same spot", "kept their place", "unchanged": a move of naught
_SPOTS = r"(?:spots?|places?|ranks?|positions?|rankings?|placings?|standings?)"
STAY = re.compile(
    rf"\bsame {_SPOTS}\b|\b(?:held|kept|keep|keeps|keeping|hold|holds|holding|retain\w*|"
    rf"maintain\w*|stay\w*|remain\w*) (?:on to |onto )?(?:its|their) {_SPOTS}\b|"
    r"\b(?:unchanged|stayed put|did not move|didn t move|no change in (?:its |their )?(?:rank|"
    r"position|place|spot)\w*)\b"
)
ENTERED = re.compile(
    r"\b(new (?:to|in|entr\w*|in the)|newcomer\w*|newly|entered|enter|"
    r"entr(?:y|ies|ant)|joined|join|made it into|break into|broke into)\b"
)
LEFT = re.compile(
    r"\b(left|leave|dropped out|fell out|fall out|no longer|exited|exit|"
    r"out of the|drop out|missing from|not in .* any ?more)\b"
)
COMPARE = re.compile(
    r"\b(compar\w*|versus|vs|ahead|behind|above|below|higher|lower|better|"
    r"worse|more|fewer|less|bigger|larger|smaller|outrank\w*|beat|differ\w*|"
    r"gap|separat\w*|between|side by side|or|faster|slower)\b"
)
DIFF = re.compile(
    r"\b(how (?:many|much) (?:places|positions|ranks|spots|more|fewer|less|"
    r"higher|lower|further|apart|ahead|behind)|difference|gap|separat\w*|apart|"
    r"how far)\b"
)
SUM = re.compile(
    r"\b(total|totals|together|combined|combine|altogether|in all|sum|summed|add(?:ed|ing)? up|"
    r"overall|between them|jointly|aggregate|aggregated|collectively|collective|cumulative\w*|"
    r"all told|put together|taken together|grand total)\b"
)
AVG = re.compile(r"\b(average|averages|avg|mean|median|typical|typically)\b")
TOP_BY = re.compile(
    r"\b(?:the )?(?:top|first|leading|biggest|largest) "
    r"(\d+|two|three|four|five|six|seven|eight|nine|ten) (?:\w+ )?"
    r"(?:by|for|on|in terms of|with the most|with the highest)\b"
)
# "outside the top 3 by output": the rows after the first few by a measure
OUTSIDE_BY = re.compile(
    r"\b(?:outside|not in|beyond|below|after|other than) (?:of )?(?:the )?(?:top|first|leading|"
    r"biggest|largest) (\d+|two|three|four|five|six|seven|eight|nine|ten) (?:\w+ )?"
    r"(?:by|for|on|in terms of)\b"
)
MOST = re.compile(
    r"(?<!at )\b(most|highest|largest|biggest|greatest|maximum|max|best|leading|"
    r"strongest|top(?! \d)(?! ten| five| three| twenty)|first place|number one|"
    r"peak|record|leads|led|tops|topped|heaviest|richest|longest|oldest|busiest)\b"
)
LEAST = re.compile(
    r"(?<!at )\b(least|lowest|fewest|smallest|minimum|min|worst|weakest|bottom|last|"
    r"trails|trailing|lightest|poorest|shortest|youngest|tiniest)\b"
)
LIST = re.compile(
    r"^(which|list|name|show|give)\b|\b(which|list|name|are there)\b|"
    r"\b(what|who) (are|were)\b"
)
# Age asks for the extreme of a column of years ("opened", "commissioned", "founded")
_START = r"(?:open|found|establish|launch|buil|start|commission|creat|set up|came online|inaugurat)"
OLDEST = re.compile(
    rf"\b(oldest|earliest|longest running|first (?:to )?{_START}\w*|{_START}\w* (?:first|earliest)"
    rf"|{_START}\w* the earliest)\b")
NEWEST = re.compile(
    rf"\b(newest|youngest|most recently {_START}\w*|latest(?! (?:year|edition|ranking|table|"
    rf"figures|data))|last (?:to )?{_START}\w*|{_START}\w* (?:last|most recently|the latest))\b")
RANK_CUE = re.compile(
    r"\b(rank\w*|places?|positions?|placed|spots?|climb\w*|top|best|leading|finish(?:ed)?|"
    r"first|number one|highest ranked|lowest ranked|ahead|behind|outrank\w*)\b"
)

_NOT_COUNT = re.compile(r"\b(?:largest|highest|biggest|greatest|smallest|lowest|most|least|fewest|"
                        r"total|average|mean|median|combined|overall|same|bigger|larger|higher|"
                        r"lower|smaller|greater) (?:number|count) of\b")
# "in the table", "covered by the dataset": the whole of a table asked for
_IN_TABLE = re.compile(r"\b(?:in|on|of|by|covered by|listed in|included in) (?:the|this) (?:\w+ )?"
                       r"(?:tables?|dataset|data set|data|list|register|database|spreadsheet|"
                       r"file)\b")
COUNT = re.compile(
    r"\bhow many\b|\b(number|count|tally) of\b|^(?:count|tally)\b|\bcount (?:the|all|up)\b"
)
# A question that names a whole table ("in the dataset", "does the table cover")
_WHOLE_TABLE = re.compile(
    r"\b(tables?|dataset|data set|data|list|listing|register|database|sheet|spreadsheet|"
    r"file|ranking|rankings|index|survey|scoreboard|records?)\b"
)
NOT_TABLE = re.compile(
    r"^(why|how come|explain|describe)\b|\b(known for|characteri[sz]\w*|"
    r"famous for|according to the article|the article|specialis\w*|"
    r"speciali[sz]\w*|drives?|driven|strengths?|weakness\w*|reasons?|whose|cited|claims?|"
    r"roughly|analysis|tell me about|say about|sources say|what about)\b"
    # "which cluster did the minister say …": what someone said is in the documents
    r"|\b(?:did|does|do) (?:\S+ ){1,4}(?:say|claim|state|mention|announce|tell|describe|note|"
    r"stress|suggest|promise|predict)\b"
    # "according to Visual Capitalist", "according to the report": a source that is no table
    r"|\baccording to (?!(?:(?:the|this|that|these) )?(?:\S+ ){0,3}?(?:tables?|dataset|data|"
    r"rankings?|list|register|spreadsheet|database|sheet|scoreboard|index|figures|csv)\b)"
)

# "excluding China", "other than the US", "non-Chinese", "not counting Japan": places left out
_EXCLUDED = re.compile(
    r"\b(leaving out|excluding|exclusive of|except|other than|apart from|outside|not in|besides|"
    r"without|non|not counting|ignoring|disregarding|discounting|barring|aside from|"
    r"setting aside|putting aside|leaving aside|set aside)\b(?:\s+\S+){0,3}\s*$")
# "leaving China aside", "with Japan excluded", "China left out": the words after the place
_ASIDE = re.compile(r"\s*(?:aside|excluded|left out|set aside|put aside|"
                    r"out of (?:it|the picture|the equation)|not counted)\b")


# Words of an operation: a question holding one asks for a figure; they are not the figure.
_ASKS = re.compile(
    "|".join(r.pattern for r in (MOST, LEAST, SUM, AVG, COUNT, CHANGE, COMPARE))
    + r"|\bhow (?:much|many)\b|\b(?:more|fewer|less) than\b|\bmost\b"
)
# "who got grants in November": the holders of the things listed
_WHO_GOT = re.compile(r"^(?:and |so |then )?who (?:got|gets|received|receives|won|wins|obtained|"
                      r"earned|was (?:given|awarded)|were (?:given|awarded))\b")
_NAME_ASKED = re.compile(r"^(?:and |so |then )?(?:which|who|whom|whose)\b")
# "how many more staff": the words before the noun counted ("how many of …" counts the kind)
_HOW_MANY = re.compile(r"\bhow many (?:(?:more|fewer|less|extra|additional|new) )*(\w+)"
                       r"((?: \w+){0,2})")
# A question asking for a quantity, which a column of names or words cannot give
_QUANTITY = re.compile(r"^(?:and |so |then )?(?:how (?:much|many)|by how much)\b")
# Units a question counts in ("how many hectares"): they measure a column, not name it
_COUNTED_UNITS = {"hectare", "acre", "metre", "meter", "mile", "euro", "dollar", "pound", "yen",
                  "million", "billion", "thousand", "percent", "point", "tonne", "ton"}
# "how many places did X climb": positions and editions count moves in a ranking
_POSITIONS = {"place", "position", "spot", "rank", "time", "edition"}
_FUNCTION = set(
    "a an the of in on at to for by from with and or but is are was were be been being do does "
    "did has have had what which who whom whose when where how why that this these those it its "
    "their they them there than then as into over per across among all every each any some one "
    "ones get got put out up down during year years edition table list data whole overall "
    "about according so much many also both either can could would should will".split()
)


@dataclass
class Plan:
    """What to compute, in the schema's terms."""

    op: str  # lookup, rank_at, list, count, sum, avg, best, compare, diff, profile, change,
    # movers, entered, left, abstain
    kind: str
    measure: str | None = None
    years: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # folded countries/attribute values
    lo: float | None = None  # bounds on ``bound`` (a rank window "top 20", "6th to 10th")
    hi: float | None = None
    bound: str | None = None
    n: int | None = None  # how many to name ("the three clusters with …")
    desc: bool = True  # largest first
    direction: int = 0  # change: +1 up (better), -1 down, 0 either
    missing: str = ""  # why it cannot be answered
    year_given: bool = False
    among: list[str] = field(default_factory=list)  # a follow-up's earlier result
    exclude: list[str] = field(default_factory=list)  # places left out ("outside Japan")
    vbound: str | None = None  # a threshold on a figure ("more than 5 unicorns")
    vlo: float | None = None
    vhi: float | None = None
    vop: str = ""
    median: bool = False
    nth: int = 0  # "the second highest": 2
    counting: bool = False  # "how many moved up": count the movers, not the top one
    step: tuple[str, float] | None = None  # a threshold on a change ("lost two or more places")
    also: list[str] = field(default_factory=list)  # more measures to show ("patents and papers")
    blank: str | None = None  # keep rows whose cell of this measure is empty ("*": every one)
    percent: bool = False  # a change in percent of the first value
    every: bool = False  # a list or count of the things the filter keeps in each of ``years``
    anyyear: bool = False  # … in any of ``years`` (every thing a long table covers)
    vyear: int | None = None  # the year of the threshold when it is not the list's ("3 in
    # 2023 but no figure in 2024")
    month: tuple[str, int, int | None] | None = None  # a column of dates, a month and its year
    # ("decided in November 2024")
    group: str | None = None  # a text column rows are grouped by ("per country")
    agg: str = ""  # per group: count, sum or avg
    per: str | None = None  # a ratio's denominator ("papers per telescope")
    outside: int = 0  # "outside the top 3 by output": the rows after the first 3
    part: list[str] = field(default_factory=list)  # a share: the fields whose filter picks the
    # part ("places"); the whole is the same plan without them
    followed: bool = False  # a lookup whose measure an earlier computed question set
    top: tuple[str, int] | None = None  # the first n rows by a measure, largest first ("the
    # top 5 by funding"): the whole a share is taken of
    joined: bool = False  # a sum, average or extreme over each of ``years`` ("in 2022 and
    # 2023"), not over the first; with ``anyyear``, an extreme's one figure of any of them


# What a reading returns when it recognised the question and found it is not the tables' to
# answer ("what share of X's budget", when the tables hold no part of that budget).
_DECLINE = Plan("decline", "")


@dataclass
class Tokens:
    text: str  # folded, dashes as spaces, one space between words
    words: list[str]
    stems: set[str]


_GROUPED = "\ue000"  # a thousands separator kept through ``fold``
# "2022-2024", "2021–2023": a span of years (a season "2023-2024" is rewritten before, where
# the tables hold seasons)
_YEAR_DASH = re.compile(r"(?<![\d/])((?:19|20)\d\d) ?[-\u2010-\u2014] ?((?:19|20)\d\d)(?![\d/])")


def tokens(question: str) -> Tokens:
    """The question folded into words. A figure written with thousands separators keeps
    them ("2,000 researchers"): it is a quantity, never the year 2000."""
    grouped = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", _GROUPED, question)
    grouped = _YEAR_DASH.sub(lambda m: f"{m.group(1)} to {m.group(2)}"
                             if int(m.group(2)) > int(m.group(1)) else m.group(0), grouped)
    t = fold(grouped).replace(_GROUPED, ",").replace("-", " ").replace("\u2013", " ")
    t = re.sub(r"\b(?:fy|fiscal year|financial year) ?'?((?:19|20)\d\d)\b", r"\1", t)
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1 \2", t)
    t = re.sub(r"[^a-z0-9%.,' ]+", " ", t)
    t = re.sub(r"(?<!\d),|,(?!\d{3}(?!\d))", " ", t)
    t = re.sub(r"(?<![0-9])\.|\.(?![0-9])|'s\b|'", " ", t)
    ws = t.split()
    return Tokens(" ".join(ws), ws, {_stem(w) for w in ws})


def _concepts(stems: set[str]) -> set[str]:
    out = set(stems)
    for s in stems:
        out |= _SYN.get(s, set())
    return out


def number_at(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return ORDINALS.get(word) or CARDINALS.get(word)


_NUM = r"(\d+|" + "|".join(sorted(set(ORDINALS) | set(CARDINALS), key=len, reverse=True)) + r")"
_SUFFIX = r"(?: (?:st|nd|rd|th))?"


def rank_position(text: str) -> int | None:
    """A single position the question names: "93rd", "fifth", "number 5", "rank 12"."""
    m = re.search(r"\b(\d{1,3}) (?:st|nd|rd|th)\b", text)
    if m:
        return int(m.group(1))
    m = re.search(
        r"\b(?:number|no|#|rank|ranked|position|place|spot) (\d{1,3})\b(?! (?:to|and|"
        r"through|thru|until) )",
        text,
    )
    if m:
        return int(m.group(1))
    for word, n in ORDINALS.items():
        if re.search(rf"\b{word}\b(?! (?:time|half|quarter|year|edition|\d))", text):
            return n
    if re.search(r"\bnumber one\b", text):
        return 1
    return None


def rank_window(text: str) -> tuple[float | None, float | None, bool]:
    """A rank window the question names: "top 20" → (None, 20); "6th to 10th" → (6, 10);
    "fifth" → (5, 5); the flag says whether it is a single position."""
    m = re.search(
        rf"\b(?:ranked|ranks|ranking|places|positions|rank|from)? ?{_NUM}{_SUFFIX} "
        rf"(?:to|through|and|until|thru) (?:the )?{_NUM}{_SUFFIX}\b",
        text,
    )
    if m and not any(re.match(r"(?:19|20)\d\d$", g) for g in m.groups()):
        a, b = number_at(m.group(1)), number_at(m.group(2))
        if a and b and a < b:
            return a, b, False
    ordinal = r"(\d+ (?:st|nd|rd|th)|" + "|".join(ORDINALS) + r")"
    cut = re.search(  # "ranked below 90th", "outside the 20th place": a window, not a value
        rf"\b(?:(?:below|lower than|beneath|after|worse than|outside|beyond) (?:the )?{ordinal}"
        rf"|(?:ranked|placed) (?:below|lower than|beneath|worse than|outside|beyond) (?:the )?"
        rf"(\d+))\b", text)
    if cut:
        n = number_at((cut.group(1) or cut.group(2)).split()[0])
        if n:
            return n + 1, None, False
    cut = re.search(
        rf"\b(?:(?:above|higher than|better than|ahead of) (?:the )?{ordinal}"
        rf"|(?:ranked|placed) (?:above|higher than|better than) (?:the )?(\d+))\b", text)
    if cut:
        n = number_at((cut.group(1) or cut.group(2)).split()[0])
        if n:
            return None, n - 1, False
    cut = re.search(rf"\b{ordinal} (?:place |position )?or (lower|worse|below|beyond|higher|"
                    rf"better|above)\b", text)
    if cut and number_at(cut.group(1).split()[0]):
        n = number_at(cut.group(1).split()[0])
        return (n, None, False) if cut.group(2) in ("lower", "worse", "below", "beyond") else (
            None, n, False)
    pos = rank_position(text)
    if pos is not None:
        return pos, pos, True
    m = re.search(rf"\boutside (?:of )?the top {_NUM}\b", text)
    if m:
        n = number_at(m.group(1))
        return (n + 1 if n else None), None, False
    m = re.search(rf"\b(?:top|first|best|leading) {_NUM}\b", text)
    if m:
        return None, number_at(m.group(1)), False
    m = re.search(rf"\b(?:bottom|last) {_NUM}\b", text)
    if m:
        return -(number_at(m.group(1)) or 0), None, False
    return None, None, False


_FIG = (r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
        + "|".join(sorted(CARDINALS, key=len, reverse=True)) + r")")


def figure_at(word: str) -> float | None:
    """A figure written in digits ("18.5") or words ("two")."""
    try:
        return float(word.replace(",", ""))
    except ValueError:
        n = number_at(word)
        return float(n) if n is not None else None


def value_window(text: str) -> tuple[str, float] | None:
    """A threshold on a figure: "two or more" → (">=", 2); "fewer than 5" → ("<", 5);
    "at least 18.5%" → (">=", 18.5); "over €50m" → (">", 50e6)."""
    found = threshold(text)
    return (found[0], found[1]) if found else None


_SCALED = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?) ?(k|thousand|m|mn|mio|millions?|bn|"
                     r"billions?)\b")
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
           "millions": 1e6, "bn": 1e9, "billion": 1e9, "billions": 1e9}


_TIME_AFTER = re.compile(r" ?(?:years?|months?|weeks?|days?|decades?|editions?)\b")


def threshold(text: str) -> tuple[str, float, bool] | None:
    """``value_window`` with whether the figure was written with a scale ("€50m", "2 billion"),
    i.e. in plain units rather than in the column's own."""
    text = re.sub(r"\b(?:eur|usd|gbp|chf|jpy|cny|inr|us)\b ?(?=\d)", "", text)
    scaled = bool(_SCALED.search(text))
    text = _SCALED.sub(
        lambda m: f"{float(m.group(1).replace(',', '')) * _SCALES[m.group(2)]:.0f}", text)
    n = _FIG
    unit = r"(?: ?%| (?!or\b|and\b)[a-z]+)?"
    pats = [
        (rf"\bexactly {n}\b", "="),
        (rf"\b{n}{unit} (?:or|and) (?:more|above|over|higher|greater|up|upwards)\b", ">="),
        (rf"\b(?:at least|no (?:fewer|less) than|not (?:fewer|less) than|a minimum of|"
         rf"minimum of|min) {n}\b", ">="),
        (rf"\b(?:more than|over|above|greater than|higher than|in excess of|exceeding|"
         rf"upwards of|beyond|larger than|bigger than) {n}\b", ">"),
        (rf"\b{n}{unit} (?:or|and) (?:fewer|less|below|under|lower|smaller)\b", "<="),
        (rf"\b(?:at most|no more than|not more than|up to|a maximum of|maximum of|max) {n}\b",
         "<="),
        (rf"\b(?:fewer than|less than|under|below|lower than|smaller than) {n}\b", "<"),
        # "had 3 clusters": exactly that many, when no bound above is said
        (rf"\b(?:had|has|have|having|with|counted|hosted|hosting) (?:just |only )?{n}"
         rf"(?= (?!or\b|and\b|to\b|of\b|in\b|st\b|nd\b|rd\b|th\b)[a-z])", "="),
    ]
    for pat, op in pats:
        # "over five years" is a span of time, no bound on a figure
        m = next((f for f in re.finditer(pat, text) if not _TIME_AFTER.match(text, f.end(1))),
                 None)
        if m and not re.search(rf"\btop {re.escape(m.group(1))}\b", text):
            value = figure_at(m.group(1))
            if value is not None and not re.match(r"(?:19|20)\d\d$", m.group(1)):
                return op, value, scaled
    return None


def value_range(text: str) -> tuple[float, float] | None:
    """Two bounds on a figure: "between 60 and 70" → (60, 70); "from 1,000 to 5,000"; not a
    span of years."""
    m = re.search(rf"\b(?:between|from) {_FIG} (?:and|to) {_FIG}\b", text)
    if not m or any(re.match(r"(?:19|20)\d\d$", g) for g in m.groups()):
        return None
    a, b = figure_at(m.group(1)), figure_at(m.group(2))
    if a is None or b is None or a == b:
        return None
    return min(a, b), max(a, b)


# "in which year", "when": a question about the years of one thing
_WHICH_YEAR = re.compile(r"\b(?:which|what) (?:year|edition)\b|^when\b|\bwhen (?:was|were|did|is|"
                         r"does|had|has)\b")
_WHICH_YEARS = re.compile(r"\b(?:which|what) (?:years|editions)\b|\bhow many (?:years|editions)\b"
                          r"(?! (?:in|inside|within) )|\b(?:years|period) (?:covered|included)\b")
# "ever", "at least once", "in any year": a list over every year the tables give
EVER = re.compile(r"\b(?:ever|at least once|at any (?:point|time|stage)|in any (?:year|edition)|"
                  r"at some point|at one point|once or more)\b")
# "per country", "by region", "for each economy", "each country's total", "country by country":
# rows grouped by the values of a column
_PER = re.compile(r"\b(?:per|by|for each|for every|in each|in every|of each|each|every|across)"
                  r" (?:single |individual )?([a-z]+)\b|\b([a-z]+) by \2\b")
# "which country's", "which three regions": the question word before a group's column
_WHICH_GROUP = re.compile(r"^(?:and |so |then )?(?:in )?(?:which|what) (?:(two|three|four|five|"
                          r"\d) )?([a-z]+)\b")
# "each year", "in every edition", "year by year": an extreme found once per year
EACH_YEAR = re.compile(r"\b(?:each|every|per|by|for each|for every|of each) (?:single )?(?:year|"
                       r"edition|season|ranking|round)\b|\byear (?:by|after) year\b|"
                       r"\b(?:in|for) (?:all|each) of the (?:years|editions|seasons)\b")
# "what share of", "what percentage of", "how much of the total": a part of a whole
SHARE = re.compile(r"\b(?:what|which) (?:share|percentage|proportion|fraction|part|portion|"
                   r"per ?cent)\b(?: of)?|\bhow (?:big|large) (?:a |of a )?(?:share|part|"
                   r"portion|proportion)\b(?: of)?|\bhow much of (?:the|all)\b|\b(?:share|"
                   r"percentage|proportion|fraction) of (?:the )?(?:total|all)\b|"
                   r"\bper ?cent(?:age)? of\b")
# "papers per telescope", "the ratio of papers to staff": one column over another, row by row
_RATIO = re.compile(r"\b(?:ratio|proportion) (?:of|between) (.+?) (?:to|and) (\S+(?: \S+)?)|"
                    r"^(.*?)\b(?:per|for every|for each) (?:single )?(\S+(?: \S+)?)")
# "in 2022 or 2023": either year
OR_YEARS = re.compile(r"\b(?:19|20)\d\d (?:or|and or) (?:in )?(?:19|20)\d\d\b")
# "from 2021 to 2023", "between 2021 and 2023", "for 2019 through 2024": every year of a span
_SPAN = re.compile(r"\b(?:(?:from|between) (?:19|20)\d\d (?:to|and|through|thru|until|till)|"
                   r"(?:19|20)\d\d (?:to|through|thru|until|till)) (?:19|20)\d\d\b")
# "in every edition", "each year", "all four years", "always", "consistently"
EVERY = re.compile(r"\b(?:every|each|all(?: the| of the)?(?: \w+)?) (?:single )?(?:years?|"
                   r"editions?|rankings?|tables?|seasons?)\b|\b(?:always|consistently|every time|"
                   r"throughout|each time|without fail)\b")
_BY_STEP = re.compile(r"\bby (?:more than|over|at least|no (?:less|fewer) than|less than|fewer "
                      r"than|under|at most|no more than|up to|\d)")
# A change asked in percent ("by the largest percentage", "percent change", "relative growth")
PERCENT = re.compile(r"\bpercent(?:age)?s?\b|\bper cent\b|%|\brelative(?:ly)?\b|"
                     r"\bproportional(?:ly)?\b")

# "no 2021 figures", "no rank given", "without an occupancy rate", "an empty budget cell":
# a filter on cells that are empty (unknown), never on zeros
_DATA = (r"(?:figures?|data|values?|numbers?|counts?|entr(?:y|ies)|information|info|cells?|given|"
         r"listed|"
         r"reported|recorded|known|available|stated|shown|provided|published|filled in)")
BLANK = re.compile(
    rf"\b(?:no|without(?: an?| any)?|missing(?: an?| any)?|lack\w*(?: an?| any)?)\b"
    rf"((?: \S+){{0,4}}?) {_DATA}\b"
    r"|\b(?:empty|blank|missing|unknown|unreported|unlisted)\b((?: \S+){0,3})"
    r"|((?:\S+ ){0,3})(?:is|are|was|were) (?:not|never) (?:given|listed|reported|recorded|known|"
    r"available|stated)\b"
)
_FILLED = re.compile(r"\b(?:have|has|had|with|report\w*|gives?|show\w*|list\w*) (?:any )?"
                     r"(?:figures?|data|values?|numbers?|entries|information) (?:for|in) "
                     r"(?:19|20)\d\d\b")
# "zero unicorns", "no unicorns": a count of naught (a real 0 in the cell)
ZERO = re.compile(r"\b(?:zero|no|0|not a single|not any) ((?:\S+ ){0,2}\S+)")


def year_window(text: str) -> tuple[str, int] | None:
    """A bound on a year-valued column: "opened before 1990" → ("<", 1990)."""
    m = re.search(
        r"\b(before|prior to|earlier than|after|later than|since|from|until|by|in) "
        r"((?:19|20)\d\d)\b",
        text,
    )
    if not m:
        return None
    op = {
        "before": "<",
        "prior to": "<",
        "earlier than": "<",
        "after": ">",
        "later than": ">",
        "since": ">=",
        "from": ">=",
        "until": "<=",
        "by": "<=",
        "in": "=",
    }[m.group(1)]
    return op, int(m.group(2))


def header_words_text(measure: str) -> str:
    return " ".join(header_words(measure))


def find_years(
    text: str, available: list[int], current: int | None = None
) -> tuple[list[int], bool]:
    """Years the question names; "this year" is ``current`` (the year of the main tables),
    "last year" the one before."""
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]
    if len(years) == 1 and re.search(
        r"\b(?:compared (?:with|to)|than|from|since|over) (?:the )?(?:year|edition|ranking) "
        r"before\b|\b(?:compared (?:with|to)|than|from|since|over) (?:the )?(?:previous|prior|"
        r"last) (?:year|edition|ranking)\b", text):
        return [years[0] - 1, years[0]], True
    m = re.search(r"\b(?:the )?(?:year|edition) (before|after) (?:the )?((?:19|20)\d\d)\b", text)
    if m:
        years = [int(m.group(2)) + (-1 if m.group(1) == "before" else 1)]
        return years, True
    latest = current or (max(available) if available else None)
    if latest is not None:
        if re.search(r"\b(this|current|latest|most recent|newest) (year|edition|ranking)", text):
            years.append(latest)
        if re.search(
            r"\b(last|previous|prior) (year|edition|ranking)|\ba year (earlier|before)", text
        ):
            years.append(latest - 1 if years else latest - 1)
            if not re.search(r"\b(this|current|latest)", text) and len(years) == 1:
                years = [latest - 1, latest] if CHANGE.search(text) else [latest - 1]
    return list(dict.fromkeys(years)), bool(years)


def norm_place(key: str) -> str:
    """A key that is a country, as a place term ("Republic of Korea" → "korea")."""
    terms = sorted(place_terms(key), key=len)
    return terms[0] if terms else norm(key)


def kind_noun(kind: str) -> str:
    """What a row is called in a sentence: the key header without filler ("park name" →
    "park")."""
    words = [w for w in kind.split() if w not in _KEY_FILLER]
    return " ".join(words) or kind


# Countries, world regions and currencies: what a question may name whatever the tables hold
_KNOWN_PLACES = (set(COUNTRY_WORDS.values()) | set(REGIONS) | set(ISO2.values())
                 | set(CURRENCY_WORDS.values()) | set(_SYMBOLS.values()))


def _partial(alias: str, key: str) -> bool:
    """Whether ``alias`` is one word of a longer name ("innovation" for "Innovation
    Lorvania"): enough to name the row, too little to make it what the question is about."""
    return len(alias.split()) == 1 and len(norm(key).split()) >= 2


def _without_named_years(text: str, mentions: list[Mention]) -> str:
    """The question without the names that hold a year ("Green Lab Fund 2025"): that year is
    part of a row's name, not a year asked about."""
    for m in mentions:
        if re.search(r"\b(?:19|20)\d\d\b", m.text):
            text = re.sub(rf"\b{re.escape(m.text)}\b", " ", text)
    return " ".join(text.split())


class Parser:
    """Reads questions against one engine's schema."""

    def __init__(self, engine: Engine, names: Names,
                 similar: Callable[[str, str], str | None] | None = None) -> None:
        self.engine = engine
        self.names = names
        self.similar = similar  # the measure a phrase means, by the embedding model
        self.kind_words: dict[str, str] = {}
        self._titles: list[tuple[str, str]] | None = None
        for kind in engine.kinds():
            for w in kind_noun(kind).split():
                self.kind_words.setdefault(_stem(w), kind)
        for kind in engine.kinds():  # "grants" for rows keyed by an award reference
            for w in kind_noun(kind).split():
                for other in KIND_SYNONYMS.get(_stem(w), set()):
                    self.kind_words.setdefault(other, kind)
        self.vocabulary = {
            w for t in engine.tables for w in norm(" ".join([t.title, *t.header])).split()
        } | set(names.keys) | {w for a in names.keys for w in a.split()} | {
            w for a in names.places for w in a.split()}
        self.measure_words = {
            m: [w for w in header_words(m) if w not in _GENERIC] for (_k, m) in engine.measures
        }
        self._header_vocabulary = {w for ws in self.measure_words.values() for w in ws}
        # words in brackets qualify a header ("Staff (FTE)", "Funding (USD m)"): optional
        self.qualifiers = {
            m: {w for part in re.findall(r"\(([^)]*)\)", engine.label(m))
                for w in header_words(part)}
            for (_k, m) in engine.measures
        }

    # --- pieces ----------------------------------------------------------------------------

    def kind_of(self, tok: Tokens, mentions: list[Mention]) -> str | None:
        """The kind of thing the question is about: named as such ("clusters"), else by a
        synonym ("hubs" for clusters when no table has hubs), else the kind of a name in it."""
        for w in tok.words:
            if _stem(w) in self.kind_words:
                return self.kind_words[_stem(w)]
        for w in tok.words:
            for c in sorted(_concepts({_stem(w)})):
                if c in self.kind_words:
                    return self.kind_words[c]
        for m in mentions:
            if m.keys and m.place is None:
                return m.keys[0][0]
        return None

    def measures(self, tok: Tokens, kind: str | None, loose: bool = False
                 ) -> list[tuple[float, str]]:
        """Measures of ``kind`` the question names, best first, with how well; ``loose``: a
        header of a top N ("clusters in top 100") named without its "top N"."""
        q = _concepts(tok.stems)
        top = re.findall(r"\btop (\d+)\b", tok.text)
        said = frozenset(w for w in self._header_vocabulary if _stem(w) in tok.stems)
        out = []
        for (k, m), _type in self.engine.measures.items():
            if kind and k != kind:
                continue
            ws = self.measure_words.get(m) or header_words(m)
            kind_stems = {_stem(w) for w in k.split()}
            content = [w for w in ws if not w.isdigit() and _stem(w) not in kind_stems]
            essential = [w for w in content
                         if w not in _UNIT_WORDS and w not in self.qualifiers.get(m, set())]
            content = essential or content  # "total share pct": pct is the unit, not the thing
            content = list(dict.fromkeys(content))
            numbers = [w for w in ws if w.isdigit()]
            optional = [w for w in header_words(m) if w in _GENERIC and _stem(w) in q]
            if not content:
                continue
            hit = [w for w in content if _concepts({_stem(w)}) & q or self._shortened(w, tok)]
            if not hit:
                continue
            if numbers and "top" in header_words(m) and not set(numbers) & set(top) and (
                    top or not loose):
                continue
            # a header the question names in its own words ("patents" for `Patents 2024`)
            # before one it names by synonyms only ("filed … patents" for `PCT applications`)
            literal = [w for w in hit if _stem(w) in tok.stems or self._shortened(w, tok)]
            score = len(hit) / len(content) + 0.05 * len(literal) + 0.1 * len(optional)
            if numbers and set(numbers) & set(top):
                score += 0.5
            out.append((score, m, k, frozenset(hit)))
        return sorted(((max(s, 1.0) if self._own_words(hit & said, m, k) else s), m)
                      for s, m, k, hit in out)[::-1]

    def _own_words(self, hit: frozenset[str], measure: str, kind: str) -> bool:
        """Whether the header words the question names belong to this measure alone among its
        kind's ("startups" for `Startups incubated` when no other header says startups): a
        measure named by its distinctive word, the rest said some other way ("took in")."""
        own = {_stem(w) for w in hit if not (w in _GENERIC or w in _UNIT_WORDS or w.isdigit()
                                             or _WHOLE_TABLE.fullmatch(w))}
        if not own:
            return False
        meant = _concepts(own)
        for (k, m) in self.engine.measures:
            if k == kind and m != measure and _concepts(
                    {_stem(w) for w in header_words(m)}) & meant:
                return False
        return not self.is_rank(measure) or bool(own & RANK_WORDS)

    @staticmethod
    def _shortened(word: str, tok: Tokens) -> bool:
        """A header word that shortens a word of the question ("pubs" for "publications")."""
        short = _stem(word)
        return 3 <= len(word) <= 4 and not short.isdigit() and any(
            len(w) > len(short) + 2 and w.startswith(short) for w in tok.words)

    def names_literally(self, text: str, measure: str, synonyms: bool = False) -> bool:
        """Whether a question says every essential word of the measure's header itself (its
        units and bracketed qualifiers aside), no synonym standing in for one (with
        ``synonyms``, a general synonym may: "people" for "jobs")."""
        said = tokens(text).stems
        words = [w for w in header_words(measure) if not w.isdigit() and w not in _GENERIC
                 and w not in _UNIT_WORDS and w not in self.qualifiers.get(measure, set())]
        if synonyms:
            said = _concepts(said)
            return bool(words) and all(_concepts({_stem(w)}) & said for w in words)
        return bool(words) and all(_stem(w) in said for w in words)

    def mentions_measure(self, text: str, measure: str) -> bool:
        """Whether a passage speaks of the measure (its header words or their synonyms)."""
        said = _concepts(tokens(text).stems)
        if self.is_rank(measure) and re.search(r"\b\d+(st|nd|rd|th)\b", text):
            return True
        return any(
            _concepts({_stem(w)}) & said
            for w in header_words(measure)
            if w not in _GENERIC and not w.isdigit()
        )

    def rank_measure(self, kind: str) -> str | None:
        """The kind's rank column: the shortest header made of rank words."""
        best = None
        for (k, m), t in self.engine.measures.items():
            if k == kind and t == "number":
                ws = [w for w in header_words(m) if not w.isdigit()]
                if ws and _stem(ws[-1]) in RANK_WORDS and (best is None or len(m) < len(best)):
                    best = m
        return best

    def is_rank(self, measure: str | None) -> bool:
        return bool(measure) and any(_stem(w) in RANK_WORDS for w in header_words(measure or ""))

    def default_year(self, kind: str, measure: str) -> int | None:
        """The year a question means when it names none: the year of the tables the measure
        comes from (their title or header), else the latest."""
        years = self.engine.years(kind, measure)
        if not years:
            return None
        own = [
            t.default_year
            for t in self.engine.tables
            if t.kind == kind
            and t.default_year in years
            and any(c.base == measure for c in t.columns)
        ]
        return max(own) if own else max(years)

    def _without_titles(self, question: str) -> tuple[str, str | None]:
        """The question without a proper name its tables' titles hold ("the Growth Fund" of
        "Vessmark Growth Fund: grant decisions"): the body a table is about, whose words are
        no header's ("growth" is not "Revenue growth"); with the kind of that table's rows,
        when one table's title holds all the names said."""
        kinds: set[str] = set()
        for phrase, kind in self._title_names:
            said = re.sub(rf"(?i)\b{re.escape(phrase)}\b", " ", question)
            if said != question:
                kinds.add(kind)
            question = said
        return question, (kinds.pop() if len(kinds) == 1 else None)

    @property
    def _title_names(self) -> list[tuple[str, str]]:
        """Runs of two or more capitalised words of the tables' titles ("Growth Fund") that
        are no part of a row's name, name no kind of row and hold a header word of another
        kind's table ("Revenue growth"), longest first."""
        if self._titles is None:
            found: set[tuple[str, str]] = set()
            known = " | ".join(set(self.names.keys) | set(self.names.places))
            for t in self.engine.tables:
                other = {_stem(w) for u in self.engine.tables if u.kind != t.kind
                         for w in header_words(" ".join(u.header))}
                for m in re.finditer(r"\b[A-Z][\w&'-]*(?: [A-Z][\w&'-]*)+", t.title):
                    words = m.group(0).split()
                    for a in range(len(words)):
                        for b in range(a + 2, len(words) + 1):
                            run = words[a:b]
                            if not re.search(r"\d", " ".join(run)) and not re.search(
                                    rf"\b{norm(' '.join(run))}\b", known) and any(
                                    _stem(w.lower()) in other for w in run) and not any(
                                    _stem(w.lower()) in self.kind_words for w in run):
                                found.add((" ".join(run), t.kind))
            self._titles = sorted(found, key=lambda f: len(f[0]), reverse=True)
        return self._titles

    def seasons_said(self, question: str) -> str:
        """"2023-2024" is the season 2023/24 where the tables hold that season, else the span
        of years it reads as."""
        held = {y for s in self.engine.seasons.values() for y in s}

        def season(m: re.Match[str]) -> str:
            a, b = int(m.group(1)), int(m.group(2))
            return f"{a}/{b % 100:02d}" if b == a + 1 and a in held else m.group(0)

        return _YEAR_DASH.sub(season, question) if held else question

    # --- the plan --------------------------------------------------------------------------

    def parse(self, question: str) -> Plan | None:
        question, titled = self._without_titles(self.seasons_said(question))
        tok = tokens(question)
        text = tok.text
        if NOT_TABLE.search(text) or not self.engine.kinds():
            return None
        percent = bool(PERCENT.search(text) and (CHANGE.search(text) or _YEARS_APART.search(text)))
        if percent:  # the words of percent name the kind of change, not a measure of shares
            tok = tokens(PERCENT.sub(" ", text))
            text = tok.text
        if re.search(r"\bthe (?:\w+ )?(?:one|item|point|thing)\b", text) and rank_position(text):
            return None  # "the third one" points into the previous answer
        if re.search(r"\b(its|their|his|her) (country|economy|nation|city|region)\b", text):
            return None  # "its country" needs the previous answer's subject first
        mentions = self._not_titles(self.names.find(question), tok.text)
        kind = self._captioned_kind(tok) or self.kind_of(tok, []) or titled
        # a name that is a row of another kind whose measure the question names fully
        # ("How many clusters does Germany have in the top 100?" is about the economy row)
        switched: set[str] = set()
        for m in mentions:
            found = list(m.keys)
            whole = m.place is not None and not found  # "the US": a country's own short name
            if whole:
                found = [
                    (k, key)
                    for k in self.engine.kinds()
                    for key in self.engine.keys(k)
                    if norm_place(key) == m.place
                ]
            dated_kind = self._kind_with_year(tok, m)
            for k, key in found:
                if dated_kind and k != dated_kind:
                    continue
                if k != kind and (whole or not _partial(m.text, key)) and any(
                        s >= 1.0 for s, _m in self.measures(tok, k)):
                    kind = k
                    m.keys = [(k, key)]
                    switched.add(key)
        if kind is None:
            kind = self.kind_of(tok, mentions)
        if kind is not None and any(k == kind for m in mentions for k, _key in m.keys):
            self._places_as_keys(kind, mentions, switched)
        keys: list[str] = []
        places: list[str] = []
        exclude: list[str] = []
        unnamed = text  # "the Skarne Energy Hub" names a hub, not hubs in general
        for m in mentions:
            unnamed = re.sub(rf"\b{re.escape(m.text)}\b", " ", unnamed)
        for m in mentions:
            own = [key for (k, key) in m.keys if kind is None or k == kind]
            if own and (
                own[0] in switched
                or not (m.place and kind and self._counts_things(unnamed, kind))
                or (kind and self._one_of_kind(text, m.text, kind))
            ):
                if kind is None:
                    kind = next(k for (k, key) in m.keys if key == own[0])
                keys.append(own[0])
            elif m.place:
                at = text.find(m.text)
                before = text[:at] if at >= 0 else ""
                after = text[at + len(m.text):] if at >= 0 else ""
                if _EXCLUDED.search(before) or _ASIDE.match(after):
                    exclude.append(m.place)
                else:
                    places.append(m.place)
        keys = list(dict.fromkeys(keys))
        places = list(dict.fromkeys(places))
        dated_text = _without_named_years(text, mentions)
        if kind is None:  # the kind whose tables cover the years asked, then the best measure
            asked = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", dated_text)}
            named = {k: [s for s, _m in self.measures(tok, k) if s >= 1.0]
                     for k in self.engine.kinds()}
            scored = sorted(  # on a tie, the kind more of whose headers the question names
                (asked <= self._years_of_kind(k), s, len(named[k]), m, k)
                for k in self.engine.kinds() for s, m in self.measures(tok, k)
            )
            kind = scored[-1][4] if scored else self.main_kind()
        if kind and places and self._counts_things(text, kind) and not (
                self._plural_kind(text, kind)) and not re.search(
                r"\b(how many|which|list|name|count|number of|in|outside)\b", text):
            for place in list(places):  # "the Galician agency": the one row of the kind there
                here = [k for k in self.engine.keys(kind) if self.names.in_place(kind, k, place)]
                if len(here) == 1:
                    keys.append(here[0])
                    places.remove(place)
        if any(self._foreign(kind, place) for place in places):
            return None  # a value only another kind's rows hold filters nothing of this kind
        if kind and not keys:
            places += [v for v in self._yes_or_no(kind, text) if v not in places]
        money = re.search(r"([\u20ac$\u00a3\u00a5\u20b9\u20a9])\s?\d", question)
        code = _SYMBOLS.get(money.group(1), "") if money and value_window(text) else ""
        if code and any(code in terms for (k, _key), terms in self.names.attrs.items()
                        if k == kind):
            places.append(code)  # "more than $500m": the rows in dollars, not those in euros
        ranked = self.measures(tok, kind)
        if kind and not any(sc >= 1.0 for sc, _m in ranked) and self.kind_of(tok, []) == kind:
            # "which economy had 3 clusters": the kind said, the top 100 of its header not
            loose = self.measures(tok, kind, loose=True)
            ranked = loose if any(sc >= 1.0 for sc, _m in loose) else ranked
        monied = self._in_currency(kind, money.group(1)) if money and value_window(text) else None
        if monied and not any(sc >= 1.0 for sc, _m in ranked):
            ranked = [(1.0, monied)] + [(sc, m) for sc, m in ranked if m != monied]
        dated = self._dated(kind)
        if dated and not any(sc >= 1.0 for sc, _m in ranked) and (
                OLDEST.search(text) or NEWEST.search(text)) and self._counts_things(text, kind):
            ranked = [(1.0, dated)] + ranked  # "the oldest park": its column of years
        only = self._only_figure(kind)
        if only and not any(sc >= 1.0 for sc, _m in ranked) and kind in (
                self.kind_of(tok, []), titled) and (
                MOST.search(text) or LEAST.search(text) or SUM.search(text) or AVG.search(text)
                or COMPARE.search(text)) and not RANK_CUE.search(text) and not (
                COUNT.search(text) and self._counts_things(text, kind)):
            ranked = [(1.0, only)] + ranked  # "the largest grant": its one figure, the amount
        if not any(sc >= 1.0 for sc, _m in ranked) and (keys or places or self.kind_of(tok, [])):
            meant = self._meant(tok, mentions, kind)
            if meant is not None:
                ranked = [(1.0, meant)] + [(sc, m) for sc, m in ranked if m != meant]
        measure = ranked[0][1] if ranked else None
        if measure:
            places = [pl for pl in places if not self._currency_of(measure, pl)]
        rank = self.rank_measure(kind)
        lo, hi, single = rank_window(text)
        if single and self.ordinal_numbers_a_thing(text, kind):
            lo = hi = None  # "its second phase", "the third call": no position in a ranking
            single = False
        if single and (rank is None or re.search(r"\b(?:first|last)\b", " ".join(
                m.group(0) for m in (OLDEST.search(text), NEWEST.search(text)) if m))):
            lo = hi = None  # "opened first" is the oldest; no ranking, no position
            single = False
        if measure and hi is not None and f"top {int(hi)}" in header_words_text(measure):
            lo = hi = None  # "top 100" names the measure ("clusters in top 100"), not a window
            single = False
        rank_cue = (
            lo is not None
            or hi is not None
            or bool(re.search(r"\b(ahead|behind|outrank\w*|climb\w*|places?|positions?|"
                              r"finish(?:ed)?)\b", text))
        )
        if measure is None and rank_cue and rank:
            measure = rank
        plan = Plan("", kind, measure, keys=keys, places=places, exclude=exclude, percent=percent)
        available = sorted(
            {y for (k, m) in self.engine.measures if k == kind for y in self.engine.years(k, m)}
        )
        current = self.default_year(kind, rank) if rank else None
        plan.years, plan.year_given = find_years(dated_text, available, current)
        yw = year_window(dated_text)
        named_dated = next((m for s, m in ranked if s >= 1.0 and self._year_valued(kind, m)), None)
        span = re.search(r"\b(?:between|from) ((?:19|20)\d\d) (?:and|to|until|through|thru) "
                         r"((?:19|20)\d\d)\b", dated_text)
        if span and (named_dated or dated) and not {int(y) for y in span.groups()} <= set(
                available):  # "opened between 1990 and 2000": a range of a column of years
            plan.vbound, plan.vop = named_dated or dated, "between"
            plan.vlo, plan.vhi = sorted(float(y) for y in span.groups())
            plan.years = [y for y in plan.years if str(y) not in span.groups()]
            plan.year_given = bool(plan.years)
            yw = None
        dated_measure = next((m for s, m in ranked if s >= 1.0 and self.engine.years(kind, m)
                              and not self._year_valued(kind, m)), None)
        if yw and not named_dated and yw[1] not in available and not (
                yw[0] == "=" and dated_measure):
            named_dated = dated  # "built after 2010": a year no column is of bounds the years
            # ("papers in 2021" asks for a year of the papers, which the tables may lack)
        dated = named_dated
        if yw and dated:  # "opened before 1990" bounds a year-valued column
            plan.vbound = dated
            self._set_window(plan, yw[0], float(yw[1]))
            plan.years = [y for y in plan.years if y != yw[1]]
            plan.year_given = bool(plan.years)
        if lo is not None or hi is not None:
            plan.lo, plan.hi, plan.bound = lo, hi, rank
            if lo is not None and lo < 0:  # "bottom 5"
                plan.lo, plan.n, plan.desc = None, int(-lo), True
        ops = text
        for m in mentions:
            ops = re.sub(rf"\b{re.escape(m.text)}\b", " ", ops)
        done = self._operation(plan, tok, single, rank, ranked, " ".join(ops.split()))
        if done is not None and self._counts_another_noun(text, done):
            return None  # "how many people are X's tenants hiring": not `Tenant companies`
        if done is not None and self._quantity_of_names(tok, done):
            return None  # "how much did X's science output grow": not `Top science organization`
        if done is not None and done.op == "lookup" and self._loosely_named(tok, done):
            return None  # "which firm designed X": a name asked, no column of names
        unknown = self._unknown_name(question, mentions) if done else None
        if done is not None and unknown and done.op == "lookup":
            return None  # one value of something the tables lack: the documents' to answer
        if done is not None and unknown:  # a computation about something the tables lack
            return Plan("unknown", kind, done.measure, missing=unknown)
        return done

    def _places_as_keys(self, kind: str, mentions: list[Mention], switched: set[str]) -> None:
        """A country said by a short name ("the US") beside another row of a kind of
        countries ("China and the US"): that country's row too, not a filter on places."""
        for m in mentions:
            if m.place and not m.keys:
                rows = [key for key in self.engine.keys(kind) if norm_place(key) == m.place]
                if len(rows) == 1:
                    m.keys = [(kind, rows[0])]
                    switched.add(rows[0])

    def _loosely_named(self, tok: Tokens, p: Plan) -> bool:
        """Whether a question asking which thing, or who, about named things meets its
        measure only through a general word ("which architecture firm drew up X's plan" and
        `Tenant companies`; "which districts does X cover" and `Site area`): no word of the
        header itself is said, so the tables cannot be said to lack what was asked."""
        if not p.keys or not p.measure or not _NAME_ASKED.match(tok.text) or (
                self.is_rank(p.measure) or RANK_CUE.search(tok.text)
                or _WHICH_YEAR.search(tok.text)):
            return False
        nouns = {_stem(w) for w in kind_noun(p.kind).split()}
        return not any(
            _stem(w) in tok.stems or self._shortened(w, tok)
            for w in header_words(p.measure)
            if w not in _GENERIC and w not in _UNIT_WORDS and not w.isdigit()
            and _stem(w) not in nouns
        )

    def _quantity_of_names(self, tok: Tokens, p: Plan) -> bool:
        """Whether a quantity is asked ("how much", "how many") of one thing's column of words
        whose head noun the question does not say ("how much did X's science output grow"
        against `Top science organization`): a modifier of the header matched, the column
        holds names, not the figure asked. A field named by its own noun ("how many staff"
        against an infobox's `Staff`) is still the one asked."""
        if p.op != "lookup" or not _QUANTITY.match(tok.text) or (
                self.engine.measures.get((p.kind, p.measure or "")) != "text"):
            return False
        words = [w for w in header_words(p.measure or "")
                 if w not in _GENERIC and w not in _UNIT_WORDS and not w.isdigit()]
        return bool(words) and not _concepts({_stem(words[-1])}) & _concepts(tok.stems)

    def _counts_another_noun(self, text: str, p: Plan) -> bool:
        """Whether "how many <noun>" counts something the plan's measure does not hold: a
        noun that is neither the kind of thing nor a word of the measure's header (or a
        synonym, a unit), as "people" against `Tenant companies` ("how many people are X's
        tenants planning to hire"). The header matched another word of the question; what is
        counted is the prose's to find."""
        m = _HOW_MANY.search(text)
        if m is None or p.measure is None or m.group(1) in _FUNCTION:
            return False
        said = []  # "how many subsea robotics companies are …": the words up to a verb
        for w in [m.group(1), *(m.group(2) or "").split()]:
            if w in _FUNCTION:
                break
            said.append(w)
        kind = {_stem(w) for w in kind_noun(p.kind).split()}
        kind |= {o for w in kind for o in KIND_SYNONYMS.get(w, set())}
        header = header_words(p.measure)
        meant = _concepts({_stem(w) for w in header}) | kind | _POSITIONS
        return not any(
            _concepts({_stem(w)}) & meant or _stem(w) in _COUNTED_UNITS or w in _UNIT_WORDS
            or any(self._shortened(h, tokens(w)) for h in header)
            for w in said)

    def _foreign(self, kind: str, place: str) -> bool:
        """Whether a cell value is held only by rows of other kinds ("Skellan Photonics
        Cluster" as a region's lead cluster, asked about as a cluster): not a place of this
        kind, so no filter on it (one that keeps nothing would answer "0")."""
        if place in _KNOWN_PLACES:
            return False
        held = {k for (k, _key), terms in self.names.attrs.items() if place in terms}
        return bool(held) and kind not in held

    def ordinal_numbers_a_thing(self, text: str, kind: str, at: int | None = None) -> bool:
        """Whether an ordinal numbers a thing the tables do not rank ("its second phase", "a
        €64m second phase") rather than a position ("ranks third, supported by …"): it follows
        a determiner or a figure, and the word after it is no function word, rank or
        superlative word, nor the kind of thing ranked. ``at``: where the ordinal starts."""
        ordinal = rf"(?:\d{{1,3}} ?(?:st|nd|rd|th)|{'|'.join(ORDINALS)})"
        det = r"(?:the|its|their|a|an|his|her|our|this|that|whose|\d[\d.]*[a-z]*)"
        for m in re.finditer(rf"\b{det}(?: \S+)? ({ordinal}) ([a-z]+)", text):
            if at is not None and m.start(1) != at:
                continue
            w = m.group(2)
            nouns = {_stem(x) for x in kind_noun(kind).split()}
            return not (
                w in _FUNCTION or _stem(w) in RANK_WORDS or RANK_CUE.fullmatch(w)
                or MOST.fullmatch(w) or LEAST.fullmatch(w) or w in ORDINALS or w in CARDINALS
                or _concepts({_stem(w)}) & (nouns | set(self.kind_words))
                or w in ("overall", "globally", "worldwide", "ranked", "placed", "best", "worst")
            )
        return False

    def _names_measure(self, word: str, measure: str | None) -> bool:
        """Whether a word is a header word of the measure asked ("firms" of "Firms 2024"),
        so counts that measure of the kind rather than naming another kind."""
        return measure is not None and _stem(word) in {
            _stem(w) for w in self.measure_words.get(measure, [])}

    def _currency_of(self, measure: str, place: str) -> bool:
        """Whether a currency asked ("in euros") is the one the measure's header is in
        ("revenue (€ m)"): every row is in it, so it filters none out."""
        label = self.engine.label(measure)
        return any(code == place and (symbol in label or code in label.lower().split())
                   for symbol, code in _SYMBOLS.items())

    def _in_currency(self, kind: str, symbol: str) -> str | None:
        """The kind's one column of money in the currency a threshold is written in ("took in
        over €100m"): its header or its cells say the currency, whatever the verb."""
        found = {
            m for (k, m), t in self.engine.measures.items()
            if k == kind and t == "number" and (symbol in self.engine.label(m) or self.engine.facts(
                "kind = ? AND measure = ? AND unit = ?", (kind, m, symbol)))
        }
        return found.pop() if len(found) == 1 else None

    def _captioned_kind(self, tok: Tokens) -> str | None:
        """A table inside a page about a thing, named by its caption ("the largest tenants")
        and two words of the page's title ("at the X park"), with a column of it named: that
        table's kind, not the page's other table holding a column of the caption's word."""
        stems = {_stem(w) for w in tok.words}
        found = []
        for t in self.engine.tables:
            nouns = {_stem(w) for w in header_words(t.caption) if not w.isdigit()}
            if not t.kind or not nouns & stems or nouns & {_stem(w) for w in norm(t.title).split()}:
                continue
            page = {w for w in norm(t.title).split() if w not in _FUNCTION}
            if len(page & set(tok.words)) >= 2 and any(
                    s >= 1.0 for s, _m in self.measures(tok, t.kind)):
                found.append(t.kind)
        return found[0] if len(set(found)) == 1 else None

    def _kind_with_year(self, tok: Tokens, named: Mention) -> str | None:
        """A name that is a row of several kinds (an infobox and a table by year): the kind
        whose named measure holds that row in the year asked, as the other has no such year."""
        asked = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", tok.text)}
        if not asked or len({k for k, _key in named.keys}) < 2:
            return None
        held = [k for k, key in named.keys if any(
            s >= 1.0 and asked <= self._years_of_key(k, m, key) for s, m in self.measures(tok, k))]
        return held[0] if len(held) == 1 else None

    def _meant(self, tok: Tokens, mentions: list[Mention], kind: str) -> str | None:
        """The measure the question's leftover words mean by the embedding model, when no
        header word names one: what is left once names, years, numbers, the kind of thing,
        the operation's words and function words are taken out ("took in" + "startups")."""
        if self.similar is None or not _ASKS.search(tok.text) or RANK_CUE.search(tok.text):
            return None  # a position asked for is the rank's, which needs no guessing
        named = {w for m in mentions for w in m.text.split()}
        named |= {w for t in self.engine.tables if t.kind == kind  # "on the scoreboard"
                  for w in norm(t.title).split()}
        nouns = {_stem(w) for w in kind_noun(kind).split()}
        left = [
            w for w in tok.words
            if w not in _FUNCTION and w not in named and not re.search(r"\d", w)
            and _stem(w) not in nouns and not (_concepts({_stem(w)}) & nouns)
            and not _ASKS.fullmatch(w) and w not in ORDINALS and w not in CARDINALS
        ]
        return self.similar(" ".join(left), kind) if left else None

    def _unknown_name(self, question: str, mentions: list[Mention]) -> str | None:
        """A name the tables do not know ("Toyota"): a capitalised word inside the sentence
        that is no name, place, header or title word."""
        known = {w for m in mentions for w in m.text.split()}
        known |= self.vocabulary
        for m in re.finditer(r"(?<=[\w,] )([A-Z][\w\u00c0-\u024f&'\-]+)", question):
            word = norm(m.group(1))
            if word and not set(word.split()) <= known and not word.isdigit() and (
                    word not in MONTHS) and not (
                    close_word(word, COUNTRY_WORDS)):
                return m.group(1)
        return None

    def _in_month(self, kind: str, text: str) -> tuple[str, int, int | None] | None:
        """"In November 2024", "in March": a month the kind's one column of dates falls in."""
        m = re.search(rf"\b(?:in|during|for|of) ({'|'.join(MONTHS)})(?: ((?:19|20)\d\d))?\b", text)
        if m is None:
            return None
        dated = [c for (k, c), t in self.engine.measures.items() if k == kind and t == "text"
                 and all(cell_date(f.text) for f in self.engine.facts(
                     "kind = ? AND measure = ? AND text != ''", (k, c)))
                 and self.engine.facts("kind = ? AND measure = ? AND text != ''", (k, c))]
        if len(dated) != 1:
            return None
        return dated[0], MONTHS[m.group(1)], int(m.group(2)) if m.group(2) else None

    def _not_titles(self, mentions: list[Mention], text: str) -> list[Mention]:
        """The mentions less a cell value said as part of a table's title ("Scale-up" of
        "the scale-up league", a programme of another table): that table named, no filter.
        A place beside a kind's noun ("Brisca hubs") stays a filter, title or not."""
        titles = [f" {norm(t.title)} " for t in self.engine.tables]
        out = []
        for m in mentions:
            at = f" {text} ".find(f" {m.text} ")
            if m.keys or at < 0:
                out.append(m)
                continue
            before = [w for w in text[:at].split()[-1:] if w not in _FUNCTION]
            after = [w for w in text[at + len(m.text):].split()[:1] if w not in _FUNCTION]
            said = [" ".join([*b, m.text, *a]) for b, a in ((before, []), ([], after))
                    if (b or a) and not any(_stem(w) in self.kind_words for w in b + a)]
            if not any(f" {p} " in title for p in said for title in titles):
                out.append(m)
        return out

    def _yes_or_no(self, kind: str, text: str) -> list[str]:
        """A column of yes and no the question names ("co-funded by the province"): the
        rows whose cell says yes, or no when the words are denied ("not co-funded")."""
        out = []
        for (k, m), t in self.engine.measures.items():
            if k != kind or t != "text":
                continue
            cells = {norm(f.text) for f in self.engine.facts(
                "kind = ? AND measure = ? AND text != ''", (k, m))}
            if not cells or not cells <= {"yes", "no"}:
                continue
            words = [w for w in header_words(m) if w not in _GENERIC and w not in _FUNCTION]
            if not words or not self.names_literally(text, m, synonyms=True):
                continue
            first = min((i for i, w in enumerate(text.split()) if _stem(w) == _stem(words[0])),
                        default=0)
            before = " ".join(text.split()[max(0, first - 3):first])
            denied = re.search(r"\b(?:not|never|no|without|nt|non|un)\b", before)
            value = "no" if denied else "yes"
            if value in cells:
                out.append(value)
        return out

    def _only_figure(self, kind: str) -> str | None:
        """The kind's one column of figures that is no rank and no year, if it has exactly
        one (a grant's amount): what "the largest grant" or "the grants in total" measure."""
        found = [m for (k, m), t in self.engine.measures.items()
                 if k == kind and t == "number" and not self.is_rank(m)
                 and not self._year_valued(k, m) and self.engine.facts(
                     "kind = ? AND measure = ? AND num IS NOT NULL", (k, m))]
        return found[0] if len(found) == 1 else None

    def _dated(self, kind: str) -> str | None:
        """The kind's one column of years ("opened", "Commissioned"), if it has exactly one."""
        found = [m for (k, m), t in self.engine.measures.items()
                 if k == kind and t == "number" and self._year_valued(k, m)]
        return found[0] if len(found) == 1 else None

    def _years_of_key(self, kind: str, measure: str, key: str) -> set[int]:
        return {f.year for f in self.engine.facts(
            "kind = ? AND measure = ? AND key = ? AND num IS NOT NULL AND year IS NOT NULL",
            (kind, measure, key)) if f.year is not None}

    def _years_of_kind(self, kind: str) -> set[int]:
        return {y for (k, m) in self.engine.measures if k == kind for y in self.engine.years(k, m)}

    def _year_valued(self, kind: str, measure: str) -> bool:
        vals = [
            f.num
            for f in self.engine.facts(
                "kind = ? AND measure = ? AND num IS NOT NULL", (kind, measure)
            )
        ]
        return (
            bool(vals)
            and all(v is not None and v.is_integer() and 1800 <= v <= 2100 for v in vals)
            and not self.is_rank(measure)
        )

    @staticmethod
    def _set_window(p: Plan, op: str, value: float) -> None:
        eps = 1e-9
        p.vop = op
        p.vlo = {">=": value, ">": value + eps, "=": value}.get(op)
        p.vhi = {"<=": value, "<": value - eps, "=": value}.get(op)

    def any_measure(self, kind: str) -> str | None:
        """A column every row of the kind has, to list or count rows by a filter alone."""
        return next((m for (k, m), t in self.engine.measures.items() if k == kind), None)

    def main_kind(self) -> str:
        """The kind most rows are about: what a question naming no kind means."""
        counts = {k: len(self.engine.keys(k)) for k in self.engine.kinds()}
        return max(counts, key=lambda k: (self.rank_measure(k) is not None, counts[k]))

    def _is_kind_row(self, kind: str, key: str) -> bool:
        return False

    def _counts_things(self, text: str, kind: str) -> bool:
        """Whether the question names the kind of thing ("clusters", "economies", "ones")."""
        nouns = {_stem(w) for w in kind_noun(kind).split()}
        return any(
            _stem(w) in nouns
            or (_concepts({_stem(w)}) & nouns and _stem(w) not in self.kind_words)
            or (_stem(w) not in nouns and self.kind_words.get(_stem(w)) == kind
                and _stem(w) in KIND_SYNONYMS)
            or w == "ones"
            for w in text.split()
        )

    def _one_of_kind(self, text: str, said: str, kind: str) -> bool:
        """Whether a place is said as the one thing of the kind there, in the singular ("how
        many members did the Dunmore guild lose": that guild, not the guilds in Dunmore)."""
        after = re.search(rf"\bthe {re.escape(said)} (\w+)\b", text)
        return after is not None and self._counts_things(after.group(1), kind) and not (
            self._plural_kind(after.group(1), kind))

    def _grouping(self, p: Plan, text: str) -> Plan | None:
        """"Which country has the most hubs?": a text column named by the question word,
        rows of the kind counted per value."""
        m = re.match(r"^(?:which|what) (\w+) (?:has|had|have|hosts?|is home to|counts?|runs?|"
                     r"operates?|owns?|manages?|holds?|accounts? for|controls?) the "
                     r"(most|fewest|largest number of|smallest number of|highest number of) "
                     r"(?:\w+ )?(\w+)", text)
        if not m or p.keys:
            return None
        asked, counted = _stem(m.group(1)), _stem(m.group(3))
        kind = self.kind_words.get(counted) or next(
            (self.kind_words[c] for c in sorted(_concepts({counted})) if c in self.kind_words),
            None)
        if kind is None:
            return None
        for (k, col), t in self.engine.measures.items():
            if k == kind and t == "text" and _concepts({asked}) & _concepts(
                    {_stem(w) for w in header_words(col)}):
                return Plan("groups", kind, col, places=p.places, exclude=p.exclude,
                            desc=m.group(2) not in ("fewest", "smallest number of"),
                            years=p.years, year_given=p.year_given)
        return None

    def group_column(self, kind: str, word: str) -> str | None:
        """The text column a word groups the kind's rows by ("country" → `Economy`): a header
        word or its synonym, said in the singular; never the kind itself ("each cluster")."""
        if word in _FUNCTION or word in _GENERIC or (word.endswith("s") and _stem(word) != word):
            return None  # "run by universities" names who runs them, not a grouping
        stems = _concepts({_stem(word)})
        if stems & {_stem(w) for w in kind_noun(kind).split()}:
            return None
        for (k, col), t in sorted(self.engine.measures.items()):
            if k == kind and t == "text" and stems & _concepts(
                    {_stem(w) for w in header_words(col) if w not in _GENERIC}):
                return col
        return None

    def _group_extreme(self, p: Plan, text: str, ops: str, numeric: str | None) -> Plan | None:
        """"Which country's clusters published the most in total", "which region has the
        highest average score": the question word names a text column of the kind, not the
        kind; its groups are added up (or averaged) and ranked, the top ones named."""
        m = _WHICH_GROUP.match(text)
        if m is None or p.keys or numeric is None or self.is_rank(numeric):
            return None
        if not (MOST.search(ops) or LEAST.search(ops)):
            return None
        word = _stem(m.group(2))  # "which three countries": the column of each country
        group = self.group_column(p.kind, word)
        if group is None or (self._kind_named(word) not in (None, p.kind) and not (
                self._counts_things(text[m.end():], p.kind))):
            return None  # "which region …" of a table of regions asks for a region row
        average = bool(AVG.search(text))
        singular = self._counts_things(text, p.kind) and not self._plural_kind(text, p.kind)
        if not (average or SUM.search(text)) and singular:
            return None  # "which country's observatory has the most staff": one row
        p.op, p.group, p.measure = "per_group", group, numeric
        p.agg = "avg" if average else "sum"
        p.median = "median" in text
        p.desc = not (LEAST.search(ops) and not MOST.search(ops))
        p.n = number_at(m.group(1)) if m.group(1) else 1
        p.lo = p.hi = p.bound = None
        return p

    def _kind_named(self, word: str) -> str | None:
        """The kind a word names, itself or by a synonym ("country" for economies)."""
        return self.kind_words.get(_stem(word)) or next(
            (self.kind_words[c] for c in sorted(_concepts({_stem(word)})) if c in self.kind_words),
            None)

    def _per_group(self, p: Plan, text: str, counts: str, numeric: str | None) -> Plan | None:
        """"How many clusters per economy", "each country's total", "average score by region":
        the rows grouped by a text column, each group counted, added up or averaged."""
        if p.keys:
            return None
        group = next((c for m in _PER.finditer(text) for w in m.groups()[:2] if w
                      for c in [self.group_column(p.kind, w)] if c), None)
        if group is None:
            return None
        if AVG.search(text) and numeric and not self.is_rank(numeric):
            p.agg, p.measure = "avg", numeric
            p.median = "median" in text
        elif (SUM.search(text) or COUNT.search(counts)) and numeric and not self.is_rank(numeric):
            p.agg, p.measure = "sum", numeric
        elif COUNT.search(counts) and self._counts_things(text, p.kind):
            p.agg = "count"
            p.measure = p.bound or p.vbound or self.rank_measure(p.kind) or self.any_measure(
                p.kind)
        else:
            return None
        p.op, p.group = "per_group", group
        p.desc = not (LEAST.search(text) and not MOST.search(text))
        return p

    def _share(self, p: Plan, text: str, numeric: str | None) -> Plan | None:
        """"What share of the telescopes are in Spain", "what percentage of the top 10's
        patents come from Chinese clusters": the part a filter picks (names, else places, else
        a threshold, else a rank window) over the whole the other filters leave; of a measure
        named, else of the rows. A column that holds shares already is summed, not divided."""
        if not SHARE.search(text) or p.blank or p.op:
            return None
        cue = SHARE.search(text)
        assert cue is not None
        if TOP_BY.search(text) and p.top is None:  # "of the top 5 by funding": a whole picked
            window = (p.lo, p.hi, p.bound)
            text = self._top_by(p, text)
            if p.top is None:
                return None
            done = self._share(p, text, numeric)
            if done is None:
                p.top, (p.lo, p.hi, p.bound) = None, window
            return done
            cue = SHARE.search(text)
            assert cue is not None
        rest = tokens(SHARE.sub(" ", text))
        measure = None
        for words in (" ".join(text[cue.end():].split()[:3]), rest.text):  # the share's own
            measure = measure or self._numeric(p.kind, [  # measure follows its cue
                (s, m) for s, m in self.measures(tokens(words), p.kind) if s >= 1.0])
        if measure is not None and (self.is_rank(measure) or self._is_share(p.kind, measure)):
            return None
        if any(s >= 1.0 and self._is_share(p.kind, m) for s, m in self.measures(tokens(text),
                                                                                   p.kind)):
            return None  # a column of shares the question names ("share of all PCT filings")
        if measure is None and not self._counts_things(rest.text, p.kind) and p.top is None:
            return None  # "the top 3 by budget" are rows of the kind, counted
        if p.keys:  # "what percentage of X's staff are researchers": X's own figures
            own = self._own_share(p, rest.text)
            if own is not None or self._owner(p, text[cue.end():]):
                return own or _DECLINE
        part = ("keys" if p.keys else "places" if p.places or p.exclude else
                "vbound" if p.vbound else "bound" if p.bound else "")
        if not part:
            return None
        p.op, p.part = "share", [part]
        p.measure = measure or p.bound or p.vbound or self.rank_measure(p.kind) or (
            self.any_measure(p.kind))
        p.counting = measure is None
        return p

    def _top_by(self, p: Plan, text: str) -> str:
        """"The top 5 by funding": ``p.top`` set to the measure and the number (a measure
        that is no rank; the rank's own window is ``bound``), and the question returned
        without those words, so the share's own measure is not taken from them."""
        m = TOP_BY.search(text)
        assert m is not None
        after = text[m.end():].split()
        for size in (3, 2, 1):
            words = " ".join(after[:size])
            by = self._numeric(p.kind, [(s, x) for s, x in self.measures(tokens(words), p.kind)
                                        if s >= 1.0])
            if by is not None:
                break
        n = number_at(m.group(1))
        if by is None or n is None or self.is_rank(by):
            return text
        p.top, p.lo, p.hi, p.bound = (by, n), None, None, None
        head = re.sub(r" (?:by|for|on|in terms of|with the most|with the highest)$", "",
                      text[:m.end()])
        return f"{head} {' '.join(after[size:])}".strip()

    def _owner(self, p: Plan, after: str) -> bool:
        """Whether a thing asked about is named right after a share's cue ("of the Tessaline
        Institute's budget"): a part of its own figure, not of the other rows'."""
        after = re.sub(r"^\s*(?:the |all )?", "", after)
        return any(any((p.kind, k) in found for k in p.keys) and re.match(
            rf"{re.escape(alias)}\b", after) for alias, found in self.names.keys.items())

    def _own_share(self, p: Plan, text: str) -> Plan | None:
        """Two measures of the same unit named: the one said first is the whole, the other the
        part ("staff … researchers"), worked out for the things named."""
        words = text.split()
        said: dict[str, int] = {}
        for _s, m in self.measures(tokens(text), p.kind):
            if _s < 1.0 or self.engine.measures.get((p.kind, m)) != "number" or self.is_rank(m):
                continue
            stems = _concepts({_stem(w) for w in header_words(m) if w not in _GENERIC})
            at = [i for i, w in enumerate(words) if _concepts({_stem(w)}) & stems]
            if at:
                said.setdefault(m, min(at))
        if len(said) < 2:
            return None
        whole, part = sorted(said, key=lambda m: said[m])[:2]
        if self.engine.units.get((p.kind, whole)) != self.engine.units.get((p.kind, part)) or (
                self.qualifiers.get(whole) != self.qualifiers.get(part)):
            return _DECLINE  # "what percentage of X's budget goes to its telescopes"
        p.op, p.measure, p.per, p.percent = "ratio", part, whole, True
        return p

    def _is_share(self, kind: str, measure: str) -> bool:
        """Whether a column holds shares or percentages itself ("Total share", "Survival %")."""
        share = _SYN.get(_stem("share"), set())
        return self.engine.units.get((kind, measure)) == "%" or any(
            _stem(w) in share for w in header_words(self.engine.label(measure)))

    def _ratio(self, p: Plan, text: str) -> Plan | None:
        """"Papers per telescope", "the ratio of staff to telescopes": one measure over another
        row by row, for the things named, else the extreme ("the most papers per staff
        member"), else every row the filters keep."""
        m = _RATIO.search(text)
        if m is None:
            return None
        top, under = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))

        def named(words: str, other: str | None = None) -> str | None:
            found = [(s, x) for s, x in self.measures(tokens(words), p.kind)
                     if s >= 1.0 and x != other]
            x = self._numeric(p.kind, found)
            return None if x is None or self.is_rank(x) or self._year_valued(p.kind, x) else x

        num = named(top)
        den = named(under, num)
        if num is None or den is None:
            return None
        p.op, p.measure, p.per = "ratio", num, den
        p.lo = p.hi = p.bound = None
        least = bool(LEAST.search(top)) and not MOST.search(top)
        if MOST.search(top) or least:
            p.n = p.n or 1
            p.desc = not least
            self._best_n(p, text)
        return p

    def _best_each(self, p: Plan, text: str, ops: str, single: bool, rank: str | None,
                   numeric: str | None) -> Plan | None:
        """"Who was first each year", "which hub scored highest in each year": a position, or
        the extreme of a measure, found once for every year the tables give (or name)."""
        if p.keys or not EACH_YEAR.search(text):
            return None
        if single and p.lo is not None and rank:
            p.measure = rank
        elif (MOST.search(ops) or LEAST.search(ops)) and (numeric or rank):
            p.measure = numeric if numeric and not self.is_rank(numeric) else rank
            least = bool(LEAST.search(ops)) and not MOST.search(ops)
            p.desc = least if self.is_rank(p.measure) else not least
            p.lo = p.hi = p.bound = None
        else:
            return None
        assert p.measure is not None
        have = self.engine.years(p.kind, p.measure)
        p.years = [y for y in have if len(p.years) < 2 or min(p.years) <= y <= max(p.years)]
        if len(p.years) < 2:
            return None
        p.op = "best_each"
        return p

    def _distinct(self, first: str | None, named: list[str]) -> list[str]:
        """Further measures the question names in words of their own ("patents and papers"),
        not ones that only share a word with the first ("share of PCT filings")."""
        def meaning(measure: str) -> set[str]:
            return _concepts({_stem(w) for w in header_words(measure) if w not in _GENERIC})

        taken = meaning(first or "")
        out = []
        for m in named:
            words = meaning(m)
            if m != first and words and not words & taken:
                out.append(m)
                taken |= words
        return out[:2]

    def _numeric(self, kind: str, ranked: list[tuple[float, str]]) -> str | None:
        """The best-matching measure holding figures (for sums, maxima, comparisons)."""
        for _score, m in ranked:
            if self.engine.measures.get((kind, m)) == "number":
                return m
        return None

    def _operation(
        self,
        p: Plan,
        tok: Tokens,
        single: bool,
        rank: str | None,
        ranked: list[tuple[float, str]],
        ops: str = "",
    ) -> Plan | None:
        """The operation the question asks for; ``ops`` is its text without the names in it,
        where words of an operation are looked for ("Halvorian" holds no "halving")."""
        text = tok.text
        ops = ops or text
        counts = _NOT_COUNT.sub(" ", text)  # "the smallest number of jobs" counts nothing
        stay = STAY.search(ops)
        change = CHANGE.search(ops) or _YEARS_APART.search(ops) or stay
        # only measures whose every header word the question names count as named
        named = [(s, m) for s, m in ranked if s >= 1.0]
        numeric = self._numeric(p.kind, named)
        if p.measure is not None and p.measure not in [m for _s, m in named]:
            p.measure = rank if p.measure == rank else None
        growth = numeric or self._numeric(p.kind, [(s, m) for s, m in ranked if s >= 0.5])
        if change and growth and len(self.engine.years(p.kind, growth)) < 2 and len(
                set(p.years)) < 2 and _concepts({_stem(change.group(0))}) & _concepts(
                {_stem(w) for w in header_words(growth)}):
            # "grew the fastest" names a column of growth, no change over years; "how did its
            # rank change between 2023 and 2024" names two years: a change over them
            change = None
            ops = re.sub(r"\bfastest\b", "most", re.sub(r"\bslowest\b", "least", ops))
            if not numeric and not RANK_CUE.search(text):  # "who grew faster": that column
                named, numeric, p.measure = [(1.0, growth), *named], growth, growth
        wants_rank = bool(
            re.search(r"\b(climb\w*|places?|positions?|ranks?|ranking|ranked)\b", text)
        )
        noun = self._counts_things(text, p.kind)
        # "placing", "standing": a word of the rank's own (a synonym) asks for the rank too
        rank_cue = bool(RANK_CUE.search(text)) or single or bool(tok.stems & RANK_WORDS)
        vw = value_window(text)
        vr = value_range(text)
        named_measure = p.measure is not None  # a count or list may default it
        if vr and numeric and not self.is_rank(numeric) and p.vbound is None and not wants_rank:
            p.vbound, p.vop, p.vlo, p.vhi = numeric, "between", vr[0], vr[1]
            if p.bound == rank and (p.lo, p.hi) == vr:  # "scored between 60 and 70": no ranks
                p.lo = p.hi = p.bound = None
        elif vw and numeric and not self.is_rank(numeric) and p.vbound is None and not (
                change and _BY_STEP.search(text)):  # "grew by more than 5": the size of a move
            p.vbound = numeric
            self._set_window(p, vw[0], vw[1] / self._header_scale(numeric)
                             if (threshold(text) or ("", 0, False))[2] else vw[1])
        self._blank_or_zero(p, text, [m for _s, m in named], numeric)
        if not p.keys:
            p.month = self._in_month(p.kind, text)
        filtered = bool(p.places or p.exclude or p.hi or p.lo or p.vbound or p.blank or p.month)
        grouped = self._grouping(p, text)
        if grouped is not None:
            return grouped
        grouped = self._group_extreme(p, text, ops, numeric)
        if grouped is not None:
            return grouped
        asked = re.match(r"^(?:which|what|how many|name|list)(?: of the)? (\w+)", text)
        if asked and not p.keys and self._captioned_kind(tok) != p.kind:
            # "which country …" asks for economies, not clusters (a caption named the kind)
            target = self.kind_words.get(_stem(asked.group(1))) or next(
                (
                    self.kind_words[c]
                    for c in sorted(_concepts({_stem(asked.group(1))}))
                    if c in self.kind_words
                ),
                None,
            )
            if target is not None and target != p.kind and not self._names_measure(
                    asked.group(1), p.measure):  # "how many firms do the X clusters have"
                return None
            if target is None and asked.group(0).startswith("how many") and not self._countable(
                    asked.group(1)):
                return None  # "how many members did X have": nothing the tables count
        for special in (
            lambda: self._per_group(p, text, counts, numeric),
            lambda: self._share(p, text, numeric),
            lambda: self._ratio(p, text),
            lambda: self._best_each(p, text, ops, single, rank, numeric),
        ):
            done = special()
            if done is _DECLINE:
                return None
            if done is not None:
                return done
        from_to = re.search(r"\bfrom (?:19|20)\d\d (?:to|and|until) (?:19|20)\d\d\b", text)
        nth = re.search(r"\b(second|third|fourth|fifth|\d+ (?:nd|rd|th)) (?:highest|largest|"
                        r"most|biggest|best|lowest|smallest|fewest|least|greatest|strongest)\b",
                        text)
        if nth:
            p.nth = number_at(nth.group(1).split()[0]) or 0
            single, p.lo, p.hi, p.bound = False, None, None, None
        if (
            single
            and p.lo is not None
            and not p.keys
            and not (COUNT.search(counts) or SUM.search(text))
        ):
            if not (noun or wants_rank):
                return None
            p.op, p.measure = "rank_at", rank
        elif (
            COUNT.search(counts)
            and p.keys
            and (p.hi or p.lo)
            and re.search(r"\b(editions?|years?|times|rankings?)\b", text)
        ):
            p.op, p.measure = "years_in", rank
        elif ENTERED.search(ops) and (p.hi or p.years) and not p.keys:
            p.op, p.measure = "entered", rank
        elif LEFT.search(ops) and (p.hi or p.years) and not p.keys:
            p.op, p.measure = "left", rank
        elif (
            (change or (from_to and p.keys))
            and (
                numeric
                or (
                    rank
                    and (
                        wants_rank
                        or from_to
                        or stay
                        or ((not p.keys or len(p.years) >= 2)
                            and (UP.search(ops) or DOWN.search(ops)))
                    )
                )
            )
            and (len(p.years) >= 2 or not p.year_given or p.keys or MOST.search(ops) or stay)
            # "what increases when …" names no thing, measure or ranking: not a table change
            and (p.keys or noun or numeric or wants_rank or p.places)
        ):
            p.measure = rank if (wants_rank or not numeric or self.is_rank(numeric)) else numeric
            p.direction = years_direction(ops) or (
                1 if UP.search(ops) else -1 if DOWN.search(ops) else 0)
            p.op = "change" if p.keys else "movers"
            # "which clusters moved up?" names every mover; "who moved up most?" the top one
            p.counting = bool(COUNT.search(counts)) or bool(
                noun and LIST.search(text) and not (MOST.search(ops) or LEAST.search(ops))
                and not p.n and self._plural_kind(text, p.kind))
            if vw and p.counting and p.vbound is None:
                p.step = (vw[0], vw[1])
            if stay and not p.keys:  # "how many kept their place": the moves of naught
                p.counting, p.step, p.direction = True, ("=", 0.0), 0
            if not p.keys and LEAST.search(ops):
                p.direction = -p.direction or -1
        elif len(p.keys) >= 2 and single and re.search(r"\bor\b", text):
            return None  # "is X or Y third?": the prose route weighs the article against tables
        elif len(p.keys) >= 2 and (SUM.search(text) or AVG.search(text)) and numeric and not (
                self.is_rank(numeric)):
            p.op, p.measure = ("avg" if AVG.search(text) else "sum"), numeric
            p.median = "median" in text
        elif len(p.keys) >= 2 and COMPARE.search(text):
            numbers = [m for _s, m in named if self.engine.measures.get((p.kind, m)) == "number"]
            if p.measure is None or not numeric:
                open_ask = re.search(r"\b(compare|side by side|versus|vs)\b", text) and not (
                    re.search(r"\b(ahead|behind|higher|lower|better|worse|more|fewer|less)\b", text)
                )
                p.op = "profile" if open_ask else "compare"
                p.measure = p.measure if p.measure and p.op == "profile" else rank
            else:
                p.op, p.measure = "compare", numeric
                p.also = self._distinct(numeric, [m for m in numbers if not self.is_rank(m)])
            if DIFF.search(text):
                p.op = "diff"
        elif len(p.keys) == 1 and _WHICH_YEARS.search(text) and not (
                MOST.search(ops) or LEAST.search(ops) or change or SUM.search(text)
                or AVG.search(text) or re.match(r"how much\b", text)):
            p.op, p.measure = "years_of", p.measure or rank or self.any_measure(p.kind)
        elif (
            len(p.keys) == 1
            and _WHICH_YEAR.search(text)
            and (MOST.search(ops) or LEAST.search(ops))
            and (numeric or rank)
            and len(self._years_of_key(p.kind, numeric or rank or "", p.keys[0])) >= 2
        ):  # "in which year was X's funding at its lowest?": the extreme over X's years
            p.measure = numeric if numeric and not (wants_rank and rank) else rank
            least = bool(LEAST.search(ops)) and not MOST.search(ops)
            p.op, p.desc = "best_year", not least
            if self.is_rank(p.measure):
                p.desc = not p.desc
        elif (
            len(p.keys) == 1
            and (SUM.search(text) or AVG.search(text))
            and numeric
            and not self.is_rank(numeric)
            and len(p.years) != 1
            and len(self._years_of_key(p.kind, numeric, p.keys[0])) >= 2
        ):  # "how much has X raised in total over the years": one thing's years added up
            p.op, p.measure = ("avg_years" if AVG.search(text) else "sum_years"), numeric
            p.median = "median" in text
        elif p.keys and p.measure and (p.measure != rank or rank_cue):
            p.op = "lookup"
            if text.startswith(("who ", "which company", "which organi", "which firm")) and (
                    self.engine.measures.get((p.kind, p.measure)) == "number"):
                named_text = [m for _s, m in ranked
                              if self.engine.measures.get((p.kind, m)) == "text"]
                if not named_text:
                    return None  # "who …" asks for a name, and no column of names matches
                p.measure = named_text[0]
            if single and self.is_rank(p.measure):
                p.lo = p.hi = p.bound = None
            p.also = self._distinct(p.measure, [m for _s, m in named])
        elif p.keys and re.search(r"\b(compare|profile|figures|numbers|data)\b", text):
            p.op, p.measure = "profile", p.measure or rank
        elif p.keys:
            return None
        elif (AVG.search(text) or SUM.search(text)) and numeric and not self.is_rank(numeric):
            p.op, p.measure = ("avg" if AVG.search(text) else "sum"), numeric
            p.median = "median" in text
        elif OUTSIDE_BY.search(text) and numeric and not self.is_rank(numeric):
            m = OUTSIDE_BY.search(text)
            assert m is not None
            p.op, p.measure, p.desc = "best", numeric, True
            p.outside, p.lo, p.hi, p.bound = number_at(m.group(1)) or 0, None, None, None
        elif TOP_BY.search(text) and numeric and not self.is_rank(numeric):
            m = TOP_BY.search(text)
            assert m is not None
            p.op, p.measure, p.desc = "best", numeric, True
            p.n, p.lo, p.hi, p.bound = number_at(m.group(1)), None, None, None
        elif COUNT.search(counts) and (noun or p.vbound):
            p.op = "count"
            p.measure = p.measure or p.vbound or rank or self.any_measure(p.kind)
        elif (MOST.search(ops) or LEAST.search(ops) or OLDEST.search(ops)
              or NEWEST.search(ops)) and (numeric or (rank and noun and rank_cue)) and not (
                p.blank):
            p.op = "best"
            least = bool(LEAST.search(ops)) and not MOST.search(ops)
            p.measure = numeric if numeric and not (wants_rank and rank) else rank
            p.desc = not least
            if self.is_rank(p.measure):
                p.desc = not p.desc  # the best rank is the smallest number
            elif p.measure and self._year_valued(p.kind, p.measure) and (
                    OLDEST.search(ops) or NEWEST.search(ops)):
                p.desc = not OLDEST.search(ops)  # the oldest has the smallest year
            self._best_n(p, text)
        elif (LIST.search(text) or (filtered and (self._opens_with_kind(text, p.kind) or (
                _WHO_GOT.match(text) and self._plural_kind(text, p.kind))))) and (
                noun or p.vbound) and (filtered or self._names_a_table(
                text, p.kind) or _IN_TABLE.search(text)):
            p.op = "list"
            p.measure = p.measure or p.vbound or rank or self.any_measure(p.kind)
        else:
            return None
        if p.measure is None:
            return None
        if p.op in ("count", "list") and not filtered and not (
            p.year_given or self._names_a_table(text, p.kind) or _WHOLE_TABLE.search(text)
        ):
            return None
        if p.op in ("count", "list") and p.places:
            self._where_filter_holds(p, named_measure)
        own = [t for t in self.engine.tables if t.kind == p.kind]
        if p.op in ("count", "list") and not filtered and not p.year_given and len(own) == 1 and (
                own[0].year_col is not None):  # "how many districts does the table cover?"
            p.years = self.engine.years(p.kind, p.measure)
            p.anyyear = len(p.years) >= 2
        if p.op in ("count", "list", "rank_at") and EVER.search(text) and not p.year_given:
            p.years = self.engine.years(p.kind, p.bound or p.vbound or p.measure)
            p.anyyear = p.op != "rank_at" and len(p.years) >= 2  # "ever in the top 3"
        if p.op in ("sum", "avg", "best", "sum_years", "avg_years") and len(p.years) >= 2 and (
                p.year_given) and not self.is_rank(p.measure):
            self._joined(p, text)
        if p.op in ("count", "list") and len(p.years) >= 2 and OR_YEARS.search(text):
            p.anyyear = True  # "in 2022 or 2023": in either year
            return p
        if p.op in ("count", "list") and (EVERY.search(text) or (
                len(p.years) >= 2 and re.search(r"\bboth\b", text))):
            self._every(p, text)
        return p

    def _where_filter_holds(self, p: Plan, named_measure: bool) -> None:
        """A count or list over places that only some tables of the kind hold ("clusters in
        Dunmore" when only a regional table gives towns): a measure the question did not
        name is one of theirs and, when no year is asked, the year is the latest they have, so
        the filter is not run over another table's column or year (where it finds none)."""
        assert p.measure is not None
        kept = {k for k in self.engine.keys(p.kind) if self.names.in_places(p.kind, k, p.places)}
        facts = [f for f in self.engine.facts("kind = ? AND year IS NOT NULL", (p.kind,))
                 if f.key in kept and (f.num is not None or f.text != "")]
        if not facts:
            return
        if not named_measure and p.measure not in {f.measure for f in facts}:
            tables = {f.table for f in facts}
            p.measure = next(
                (m for m in (self.rank_measure(p.kind), *[
                    c.base for t in self.engine.tables if t.id in tables for c in t.columns
                    if c.kind == "number"]) if m and any(f.measure == m for f in facts)),
                p.measure)
        have = sorted({f.year for f in facts if f.measure == p.measure and f.year is not None})
        if have and not p.year_given and self.default_year(p.kind, p.measure) not in have:
            p.years = [have[-1]]

    def _joined(self, p: Plan, text: str) -> None:
        """"Total funding in 2022 and 2023", "the most papers in 2022 or 2023": every year
        named (a span: every year of it the tables give) is taken, not only the first; "or"
        with an extreme asks for the one highest figure of any of those years."""
        assert p.measure is not None
        if _SPAN.search(text):
            have = self.engine.years(p.kind, p.measure)
            p.years = [y for y in have if min(p.years) <= y <= max(p.years)] or p.years
        p.joined = True
        p.anyyear = p.op == "best" and bool(OR_YEARS.search(text))

    def _every(self, p: Plan, text: str) -> None:
        """"In every edition from 2022 through 2025", "in both 2022 and 2025": the things the
        filter keeps in each of those years (all the measure's years when none is named)."""
        assert p.measure is not None
        have = self.engine.years(p.kind, p.bound or p.vbound or p.measure)
        if len(p.years) >= 2 and _SPAN.search(text):
            p.years = [y for y in have if min(p.years) <= y <= max(p.years)]
        elif not p.years or (len(p.years) == 1 and not re.search(r"\bboth\b", text)):
            p.years = [y for y in have if not p.years or y <= p.years[0]] if p.years else have
        p.every = len(p.years) >= 2

    def _header_scale(self, measure: str) -> float:
        """The scale a header gives its figures ("Funding (USD m)": millions), 1 for none: a
        threshold written "€50m" is 50 in such a column."""
        words = header_words(self.engine.label(measure))
        return next((_SCALES[w] for w in reversed(words) if w in _SCALES), 1.0)

    def _blank_or_zero(self, p: Plan, text: str, named: list[str], numeric: str | None) -> None:
        """An empty cell asked for ("no 2021 figures", "no rank given") or a count of naught
        ("zero unicorns"; "no unicorns" where the column holds real zeros, else its empty
        cells)."""
        if p.keys or (p.vbound and len(p.years) != 2):
            return
        blank = BLANK.search(text)
        if p.vbound and blank is None:
            return
        if p.year_given and _FILLED.search(text):
            p.blank = "+"  # "which districts have figures for 2019"
            return
        if blank:
            near = " ".join(g for g in blank.groups() if g)
            own = [m for m in named if self._said_in(m, near)]
            if own:
                p.blank = p.measure = own[0]
            elif blank.group(1) is not None and p.year_given and re.fullmatch(
                    r"(?: (?:any|(?:19|20)\d\d|official|exact|actual|final|\w+ed))*",
                    blank.group(1)) and re.search(
                    r"\b(?:figures?|data|values?|numbers?|counts?|entr(?:y|ies)|information|"
                    r"info)$", blank.group(0)):
                p.blank = "*"  # "no 2021 figures", "no verified count": nothing for the year
            if p.blank and p.vbound:
                self._years_apart(p, text, blank.end())
            if p.blank or p.vbound:
                return
        zero = ZERO.search(text)
        if zero is None:
            return
        own = [m for m in named if self._said_in(m, zero.group(1))]
        if not own:
            return
        measure = own[0]
        if self.engine.measures.get((p.kind, measure)) != "number" or self.is_rank(measure):
            p.blank = measure  # "no top science organisation": the text cell is empty
        elif zero.group(0).startswith("no ") and not self.engine.facts(
                "kind = ? AND measure = ? AND num = 0", (p.kind, measure)):
            p.blank = measure  # nothing is counted 0 in that column: "no" means not given
        else:
            p.vbound = measure
            self._set_window(p, "=", 0.0)

    @staticmethod
    def _years_apart(p: Plan, text: str, at: int) -> None:
        """A threshold and an empty cell in two years ("3 clusters in 2023 but no count in
        2024"): the year said right after the empty cell is the list's, the other the
        threshold's; without such a year, no empty-cell filter."""
        after = re.match(r"\s*(?:(?:given|listed|reported|recorded|for|in|of|at|the) )*"
                         r"((?:19|20)\d\d)\b", text[at:])
        if after is None or int(after.group(1)) not in p.years:
            p.blank = None
            return
        year = int(after.group(1))
        p.vyear = next(y for y in p.years if y != year)
        p.years = [year]

    def _said_in(self, measure: str, words: str) -> bool:
        """Whether a few words of the question name the measure (a header word or synonym)."""
        said = _concepts({_stem(w) for w in words.split()})
        return any(_concepts({_stem(w)}) & said for w in self.measure_words.get(measure, [])
                   if not w.isdigit())

    def _countable(self, word: str) -> bool:
        """Whether "how many <word>" counts something the tables hold: their kind of thing, a
        measure, a word of their headers or names, or places and times in a ranking."""
        stems = _concepts({_stem(word)})
        measure_stems = {_stem(w) for ws in self.measure_words.values() for w in ws}
        return bool(
            stems & set(self.kind_words) or stems & measure_stems or word in self.vocabulary
            or _stem(word) in {_stem(w) for w in self.vocabulary}
            or word in {"places", "positions", "spots", "ranks", "times", "editions", "years",
                        "more", "fewer", "of", "in", "are", "is", "do", "does", "did", "have",
                        "has", "were", "was", "total", "different", "distinct", "separate"})

    def _opens_with_kind(self, text: str, kind: str) -> bool:
        """Whether the question is a bare phrase about the kind in the plural ("regions with
        more than 5,000 researchers"): a list asked for without a question word."""
        words = text.split()
        while words and words[0] in ("all", "the", "any"):
            words = words[1:]
        noun = kind_noun(kind).split()
        return words[: len(noun) - 1] == noun[:-1] and self._plural_kind(
            " ".join(words[len(noun) - 1 : len(noun)]), kind)

    def _plural_kind(self, text: str, kind: str) -> bool:
        """Whether the question names the kind in the plural ("incubators", "economies")."""
        nouns = {_stem(w) for w in kind_noun(kind).split()}
        return any(_stem(w) != w and (_stem(w) in nouns or _concepts({_stem(w)}) & nouns or (
            _stem(w) in KIND_SYNONYMS and self.kind_words.get(_stem(w)) == kind))
                   for w in text.split())

    def _names_a_table(self, text: str, kind: str) -> bool:
        """Whether the question names a table of the kind by a word of its title
        ("on the scoreboard", "in the ranking")."""
        words = {_stem(w) for t in self.engine.tables if t.kind == kind
                 for w in re.findall(r"[a-z]+", fold(t.title)) if len(w) > 3}
        words -= {_stem(w) for k in self.engine.kinds() for w in kind_noun(k).split()}
        words -= {c for w in list(words) for c in _concepts({w}) if c != w}
        words -= {_stem(w) for (_k, m) in self.engine.measures for w in header_words(m)}
        return bool(words & {_stem(w) for w in text.split()})

    def _best_n(self, p: Plan, text: str) -> None:
        """How many a superlative names: "the three clusters with …", "top 5 by …"."""
        m = re.search(rf"\b(?:the )?{_NUM} (?:\w+ ){{0,2}}?(?:with|that|which|having|by)\b", text)
        top = re.search(
            r"(?<!in )\b(?:the )?(?:top|first|best|leading) (\d+)\b(?! \w+ in (?:19|20)\d\d$)",
            text,
        )
        before = re.search(rf"\b{_NUM} (?:{MOST.pattern[MOST.pattern.index('(') :]}|"
                           rf"{LEAST.pattern[LEAST.pattern.index('(') :]})", text)
        if top and p.hi and not re.search(rf"\bin the top {int(p.hi)}\b", text):
            p.n, p.hi, p.lo, p.bound = int(p.hi), None, None, None
        elif before and not re.match(r"(?:19|20)\d\d$", before.group(1)):
            p.n = number_at(before.group(1))  # "the three largest", "5 lowest"
        elif m and not re.match(r"(?:19|20)\d\d$", m.group(1)):
            p.n = number_at(m.group(1))
        else:
            kind_stem = _stem(kind_noun(p.kind).split()[-1])
            ws = text.split()
            for i, w in enumerate(ws[1:], 1):
                if (
                    _stem(w) == kind_stem
                    and number_at(ws[i - 1])
                    and ws[i - 1] != "one"
                    and not re.match(r"(?:19|20)\d\d$", ws[i - 1])
                ):
                    p.n = number_at(ws[i - 1])
        if p.n and p.n > 50:
            p.n = None
