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

AnswerType = Literal["date", "number", "money", "rank", "name", "place", "reason"]

_NUMBER_WORDS = set(("one two three four five six seven eight nine ten eleven twelve thirteen "
                     "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
                     "fifty sixty seventy eighty ninety "
                     "dozen dozens hundred hundreds thousand thousands million millions billion "
                     "billions half quarter quarters majority minority bulk fraction").split())

# Checked in order: the first pattern that matches the folded question decides.
_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    (re.compile(r"^\s*(?:and\s+)?(?:why|how\s+come)\b|\bwhat(?:'s|\u2019s|\s+is|\s+was)?\s+"
                r"behind\b|\bfor\s+what\s+reasons?\b|\bwhat\s+(?:caused|causes|drove|drives|"
                r"led\s+to)\b"), "reason"),
    (re.compile(r"\b(?:what|which)\s+(?:rank|position|place|spot|ranking)\b|"
                r"\bwhere\s+(?:does|did|do|is|was)\b.*\b(?:rank|place|stand|sit|finish|come)"
                r"(?:ed|s)?\b|\bhow\s+(?:high|low)\b|\branked\s+where\b"), "rank"),
    (re.compile(r"^\s*(?:and\s+)?when\b|\b(?:what|which)\s+(?:years?|months?|dates?|decades?)\b|"
                r"\bin\s+what\s+year\b|\bsince\s+when\b|\bhow\s+long\s+ago\b|"
                r"\b(?:deadline|due\s+date|closing\s+date|start\s+date|opening\s+date)\b|"
                r"\b(?:from|until|till|by)\s+when\b"), "date"),
    # an amount of money: "What did it cost?", "How much did they raise?", "What is its
    # budget?", "And the fee?"
    (re.compile(r"^(?!.*\b(?:share|percent(?:age)?|per\s*cent|proportion|by\s+how\s+much)\b)"
                r"(?:.*\bhow\s+much\b.*\b(?:cost|costs|costing|pay|paid|pays|spend|spent|"
                r"spending|invest|invested|raise|raised|earn|earned|charge|charged|worth|money|"
                r"capital|funding|rent|bid|bids|offer|quote|contract|grant|loan|award|deal|put|puts|"
                r"commit|commits|committed|contribute|contributes|contributed|allocate|"
                r"allocated|earmark|earmarked|inject|injected|stake)\b"
                r"|.*\bwhat\s+(?:did|does|do|will|would|had|has)\b.*\b(?:cost|costing|pay|paid|"
                r"spend|spent|raise|raised|charge|charged)\b"
                r"|(?:.*\bwhat(?:'s|\u2019s|\s+(?:is|was|are|were|will\s+be))|\s*(?:and|what\s+about|"
                r"how\s+about))\s+(?:[\w'\u2019-]+\s+){0,5}?(?:cost|costs|price|budget|budgets|fee|fees|"
                r"funding|investment|revenue|turnover|salary|rent)\b)"), "money"),
    (re.compile(r"\bhow\s+(?:many|much|large|big|long|old|tall|far|wide|fast|often|deep|"
                r"heavy|expensive|costly|small|tall|quickly)\b|"
                r"\bwhat\s+(?:did|does|do|will|would)\b.*\bcost(?:ing)?\b|\bheadcount\b|\bcount\s+(?:of|in|for|at)\b|"
                r"\bwhat\s+(?:percentage|percent|share|proportion|number|amount|size|area|"
                r"budget|price|population|total|figure|sum|value)\b|"
                r"\bwhat\s+(?:[a-z-]+\s+)?(?:rate|ratio|percentage|share|proportion)\b|"
                # terse: "floor area of the old depot?", "population of velda"
                r"^\s*(?:the\s+)?(?:(?:floor|site|total|land)\s+)?(?:area|size|population|"
                r"headcount|number|count)\s+of\b"), "number"),
    (re.compile(r"^\s*(?:and\s+)?(?:which|what)\s+(?:company|companies|firm|firms|"
                r"organi[sz]ations?|universit(?:y|ies)|person|agency|agencies|institute|"
                r"business|bank|investor|architects?|developer|operator|employer)\b|"
                r"^\s*(?:and\s+)?who(?:m|se|'s)?\b|\bwho\s+(?:is|was|are|were|runs|ran|leads|"
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
_YEAR_WRITTEN = re.compile(r"(?<![\d,.])((?:1[0-9]|20)\d\d)(?![\d]|,\d)")
_DIGITS = re.compile(r"(?<![\w.])\d[\d,.]*")


_CALENDAR = re.compile(r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                       r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
                       r"dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)")


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
        if _CALENDAR.fullmatch(w.lower().rstrip(".")):  # "September" dates, it names no one
            continue
        found.update(terms(w))
    return found


def _figures(text: str) -> set[str]:
    """Figures written as digits or cardinal words; not ordinals ("the second wave")."""
    return {d.replace(",", "") for d in _DIGITS.findall(text)}


def _amounts(text: str, question: str) -> set[str]:
    """The figures of ``text`` the question does not state, years left out: "1,900 people" is
    an amount, written with its thousands separator; "in 1900" is a year."""
    return {d.replace(",", "") for d in _DIGITS.findall(text)
            if "," in d.rstrip(",.") or not is_year(d.rstrip("."))} - _figures(question)


# A currency, by symbol, code or name: what makes a figure an amount of money.
_MONEY = re.compile(r"[\u20ac$\u00a3\u00a5\u20b9\u20a9\u20ba\u20bd\u20aa\u20a6\u20b1\u20ab]|"
                    r"\b(?:czk|pln|huf|ron|bgn|try|zar|brl|mxn|nzd|ars|clp|cop|idr|myr|php|thb|"
                    r"vnd|twd|kc|zl|eur|usd|gbp|jpy|chf|cny|rmb|sek|nok|dkk|inr|krw|aud|cad|sgd|hkd|ils|rub|euros?|dollars?|pounds?|yen|yuan|renminbi|"
                    r"francs?|kron[ae]r?|kronor|won|rupees?|roubles?|rubles?|shekels?|pence)\b")


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# "30 Sep 2025", "September 30", "Q4 2026": a date more precise than the year asked about
_DAY_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"\b|\b" + _MONTH
                        + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?!\d)|\bq[1-4]\s+(?:19|20)\d\d\b")


_HOW_MANY = re.compile(r"\bhow\s+many\b")
_PERCENT = re.compile(r"\d[\d,.]*\s*(?:%|per\s*cent\b|percent\b)", re.I)


# "How much is a voucher worth?", "what does each licence cost?": one of them, not all together
_ONE_ASKED = re.compile(r"\bhow\s+much\s+(?:is|was|are|does|did|do|will)\s+(?:a|an|one|each|"
                        r"every|a\s+single)\s+\w|\bwhat\s+(?:does|did|do|will)\s+(?:a|an|one|each|"
                        r"every)\s+\w[\w\s-]*\bcost\b")
_TOTAL = re.compile(r"\b(?:in\s+total|totall?(?:ed|ing|s)?|combined|altogether|together|"
                    r"cumulative(?:ly)?|in\s+all)\b")


# Words by which a sentence gives a cause or a purpose.
CAUSE = re.compile(r"\b(?:because|since\s+(?:it|they|the|its)|due\s+to|owing\s+to|thanks\s+to|"
                   r"as\s+a\s+result|result(?:ed|s)?\s+(?:of|from)|blam\w*|caus\w*|driven\s+by|"
                   r"led\s+to|reasons?|so\s+that|in\s+order\s+to|wanted|aim(?:ed|s)?\s+(?:to|at)|"
                   r"to\s+help|the\s+fact\s+that|following|prompted|named\s+(?:after|for))\b",
                   re.IGNORECASE)


def holds(kind: AnswerType | None, text: str, question: str) -> bool:
    """Whether ``text`` (a sentence, or a row's cells) holds an answer of the kind asked for,
    something beyond what the question itself already says."""
    if kind is None or kind == "reason":  # a cause is weighed, not required (see CAUSE)
        return True
    asked = set(terms(question))
    found = numbers(text) - numbers(question)
    if kind == "date":  # a year; within a year asked about, a day ("30 Sep"): "in March"
        # alone dates nothing a user can place
        written = set(_YEAR_WRITTEN.findall(text))  # "1,100 researchers" names no year
        return any(_DATE_YEAR.match(n) and n in written for n in found) or (
            any(is_year(n) for n in numbers(question)) and bool(_DAY_MONTH.search(fold(text))))
    if kind == "rank":
        return any(not is_year(n) for n in found)
    if kind == "money":
        if _ONE_ASKED.search(fold(question)) and _TOTAL.search(fold(text)):
            return False  # "how much is a voucher worth?" is not "231 vouchers worth €14m in total"
        return bool(_MONEY.search(fold(text))) and bool(_amounts(text, question))
    if kind == "number":
        words = set(re.findall(r"[a-z]+", fold(text))) - set(re.findall(r"[a-z]+", fold(question)))
        if _HOW_MANY.search(fold(question)):  # a count: "84%" counts no people
            text = _PERCENT.sub(" ", text)
        return bool(_amounts(text, question)) or bool(words & _NUMBER_WORDS)
    if _WHO_HOLDS.search(fold(question)):  # a post's holder: a person's name, not a body's
        return bool(_people(text) - asked)
    return bool(_names(text) - asked)


# "Who is the minister…", "who's the chairman of…", "who heads…": the person holding a post.
# Posts a person holds, as a question names them (also read by ``profile``).
POSTS = (r"minister|director|chair(?:man|woman|person)?|ceo|president|mayor|secretary|governor|"
         r"chief\s+executive|managing\s+director|boss|head|dean|rector|chancellor|commissioner")
_WHO_HOLDS = re.compile(r"^\s*(?:and\s+)?who(?:'s|\u2019s|\s+is|\s+was|\s+are)?\s+(?:the\s+|its\s+|"
                        r"their\s+|[\w'\u2019-]+['\u2019]s\s+)?(?:new\s+|current\s+|present\s+)?"
                        rf"(?:{POSTS})\b")
# Words that make a capitalised phrase a body or a place, not a person.
_BODY = frozenset(("board ministry agency university institute institution park company ltd "
                   "limited plc inc council authority fund bank foundation cluster campus centre "
                   "center department office programme program group association chamber school "
                   "college hospital city region republic state government commission trust "
                   "partnership district port innovation science technology research").split())
_PERSON = re.compile(r"\b(?:[A-Z]\.\s*)*[A-Z][a-z\u00e0-\u00ff'\u2019-]+(?:\s+(?:van|von|de|der|"
                     r"da|di|le|la)\b)?(?:\s+[A-Z][a-z\u00e0-\u00ff'\u2019-]+)+|\b[A-Z]\.\s*"
                     r"[A-Z][a-z\u00e0-\u00ff'\u2019-]+")


def _people(text: str) -> set[str]:
    """Stems of the capitalised phrases that may name a person ("Dr Marguerite Onyango",
    "E. Trask-Villiers"): none of their words names a body or a place's kind."""
    found = set()
    for m in _PERSON.finditer(text):
        ws = [w.lower().strip(".") for w in m.group().split()]
        if not _BODY & set(ws) and not _CALENDAR.fullmatch(ws[0]):
            found.update(terms(m.group()))
    return found


# "Who heads / runs / is in charge of X?" asks for the person at its head, and a sentence that
# gives someone a leading role ("Director: Maren Aldcott", "has been chief executive since") says
# it better than one in which the place is run by a company or has a "head office".
_LEADER = re.compile(r"\bwho(?:'s|\u2019s|\s+is|\s+was)?\s+(?:(?:currently|now)\s+)?(?:heads|leads|"
                     r"runs|directs|manages|chairs|in\s+charge|the\s+(?:head|boss|leader|chief))\b"
                     r"|\bwho\s+(?:is|'s|\u2019s)\s+(?:at\s+the\s+helm|running|leading|heading)\b")
_ROLE = re.compile(r"\b(?:director|chief\s+executive|ceo|chair(?:man|woman|person)?|president|"
                   r"boss|leader|(?:led|headed|chaired)\s+by)\b", re.IGNORECASE)


def asks_leader(question: str) -> bool:
    """Whether the question asks who leads something."""
    return bool(_LEADER.search(fold(question)))


def names_role(text: str) -> bool:
    """Whether a sentence gives someone a leading role."""
    return bool(_ROLE.search(text))


# Words that pick one of several holders of a role or things of a kind ("the first director",
# "the vice-chair", "the second electrolyser", "who will succeed her"). A candidate about the
# thing that lacks every word of the pick speaks of another holder (today's director, the
# chair, the first electrolyser) and does not answer.
_PICKS = {
    "first": "first founding founder original inaugural initial",
    "founding": "first founding founder original inaugural initial",
    "original": "first founding founder original inaugural initial",
    "inaugural": "first founding founder original inaugural initial",
    "former": "former previous predecessor ex earlier past",
    "previous": "former previous predecessor ex earlier past",
    "next": "next successor succeed succeeds incoming future replace",
    "vice": "vice deputy",
    "deputy": "vice deputy",
    "acting": "acting interim",
    "interim": "acting interim",
    "second": "second two",
    "third": "third three",
}
_PICK = re.compile(r"\b(?:(?:the|its|their|his|her|our)\s+(" + "|".join(_PICKS) + r")|"
                   r"(vice|deputy|acting|interim))[\s-]+"
                   r"(?!(?:to|time|times|year|years|month|months|day|days|week|weeks|quarter|"
                   r"half|one|ones|of|and|or|in|on|at|largest|biggest|highest|most)\b)[a-z]")
_SUCCEED = re.compile(r"\b(?:succeed|replace|take\s+over\s+from)\b")


_RATE = re.compile(r"\bper\s+(?!cent\b|the\b|its\b|their\b|his\b|her\b)[a-z]|"
                   r"(?<!for\s)\b(?:a|an|each|every)\s+(?:day|week|month|year|night|hour|head)\b")
_RATE_WORDS = "per each every daily annual annually annum"
_RATE_PICK = frozenset(terms(_RATE_WORDS))


_FORMER_USE = re.compile(r"\bwhat\s+(?:was|were|stood|used\s+to\s+(?:be|stand))\s+(?:on|at|"
                         r"there|here|in)\b.*\bbefore\b")
_FORMER_WORDS = ("former formerly previously once originally until old disused abandoned "
                 "shut closed demolished converted")


def pick_held(pick: frozenset[str], have: set[str] | frozenset[str], text: str) -> bool:
    """Whether a candidate holds a pick: one of its words, or for a rate ("each year") a rate
    said in other words ("eight start-ups a year", where "a" is no term)."""
    return bool(pick & have) or (pick == _RATE_PICK and bool(_RATE.search(fold(text))))


def picks(question: str) -> list[frozenset[str]]:
    """For each pick the question makes, the terms any one of which a candidate must hold."""
    q = fold(question)
    found = [_PICKS[m.group(1) or m.group(2)] for m in _PICK.finditer(q)]
    if _SUCCEED.search(q):
        found.append(_PICKS["next"])
    if _RATE.search(q):  # "rent per square metre": a rate, not a total
        found.append(_RATE_WORDS)
    if _FORMER_USE.search(q):  # "what stood on the site before?": what it used to be
        found.append(_FORMER_WORDS)
    return [frozenset(terms(words)) for words in dict.fromkeys(found)]


# Words that only say which kind of answer is wanted ("where does X *sit* in the *list*", "in
# what *year*"): a candidate holding that kind of answer need not repeat them.
_TYPE_WORDS = {
    "rank": "rank ranks ranking ranked place placed position positions sit sits sat stand "
            "stands spot list table come comes came finish finished",
    "date": "year date time day month when",
    "number": "number count amount total figure",
    "money": "amount figure sum worth value cost costs price pay paid spend spent invest "
             "invested put commit committed contribute contributed allocate allocated",
    "name": "name person",
    "place": "place location located",
    "reason": "reason reasons behind cause causes explain explains explanation",
}


def type_words(kind: AnswerType | None) -> frozenset[str]:
    """The stems that name the kind of answer asked for, not what it is about."""
    return frozenset(terms(_TYPE_WORDS.get(kind or "", "")))
