"""The names a table question uses: the things the tables rank (their key cells) and the
places they belong to, however the question spells them.

What people call a country ("Chinese", "US", "Korean") and how tables abbreviate it ("CN",
"KR") is general knowledge kept here; every other name comes from the cells themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..conversation import DEMONYMS
from ..entities import _aliases
from ..textnorm import fold
from .engine import Engine, label, parse_number

# ISO 3166 two-letter codes, as tables abbreviate economies ("CN/HK", "US").
ISO2 = {
    "ae": "united arab emirates",
    "ar": "argentina",
    "at": "austria",
    "au": "australia",
    "be": "belgium",
    "br": "brazil",
    "ca": "canada",
    "ch": "switzerland",
    "cl": "chile",
    "cn": "china",
    "co": "colombia",
    "cz": "czechia",
    "de": "germany",
    "dk": "denmark",
    "eg": "egypt",
    "es": "spain",
    "fi": "finland",
    "fr": "france",
    "gb": "united kingdom",
    "gr": "greece",
    "hk": "hong kong",
    "hu": "hungary",
    "id": "indonesia",
    "ie": "ireland",
    "il": "israel",
    "in": "india",
    "ir": "iran",
    "it": "italy",
    "jp": "japan",
    "ke": "kenya",
    "kr": "korea",
    "mx": "mexico",
    "my": "malaysia",
    "ng": "nigeria",
    "nl": "netherlands",
    "no": "norway",
    "nz": "new zealand",
    "ph": "philippines",
    "pk": "pakistan",
    "pl": "poland",
    "pt": "portugal",
    "qa": "qatar",
    "ro": "romania",
    "ru": "russia",
    "sa": "saudi arabia",
    "se": "sweden",
    "sg": "singapore",
    "th": "thailand",
    "tr": "turkiye",
    "tw": "taiwan",
    "ua": "ukraine",
    "uk": "united kingdom",
    "us": "united states",
    "vn": "viet nam",
    "za": "south africa",
}
# Spellings a question uses for a country beside the demonyms: short forms and old names.
COUNTRY_WORDS = {
    **DEMONYMS,
    "usa": "united states",
    "america": "united states",
    "u s": "united states",
    "korea": "korea",
    "south korea": "korea",
    "south korean": "korea",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "turkey": "turkiye",
    "russian": "russia",
    "holland": "netherlands",
    "vietnamese": "viet nam",
    "mexican": "mexico",
    "polish": "poland",
    "irish": "ireland",
    "austrian": "austria",
    "norwegian": "norway",
    "south african": "south africa",
    "emirati": "united arab emirates",
    "saudi": "saudi arabia",
    "hong kong": "hong kong",
    "chilean": "chile",
    "argentinian": "argentina",
    "argentine": "argentina",
    "thai": "thailand",
    "indonesian": "indonesia",
    "filipino": "philippines",
    "greek": "greece",
    "portuguese": "portugal",
    "kenyan": "kenya",
    "nigerian": "nigeria",
    "pakistani": "pakistan",
    "czech": "czechia",
    "hungarian": "hungary",
    "romanian": "romania",
    "ukrainian": "ukraine",
    "qatari": "qatar",
    "colombian": "colombia",
    "new zealand": "new zealand",
}
# Currencies as questions name them and tables code them ("in euros" → EUR).
CURRENCY_WORDS = {
    "euro": "eur",
    "euros": "eur",
    "us dollar": "usd",
    "us dollars": "usd",
    "dollar": "usd",
    "dollars": "usd",
    "pound": "gbp",
    "pounds": "gbp",
    "sterling": "gbp",
    "yen": "jpy",
    "yuan": "cny",
    "renminbi": "cny",
    "rupee": "inr",
    "rupees": "inr",
    "real": "brl",
    "reais": "brl",
    "zloty": "pln",
    "krone": "dkk",
    "kroner": "nok",
    "krona": "sek",
    "swiss franc": "chf",
    "francs": "chf",
    "baht": "thb",
    "ringgit": "myr",
    "koruna": "czk",
    "won": "krw",
    "rand": "zar",
    "naira": "ngn",
    "shilling": "kes",
    "peso": "mxn",
}
# Continents and regions as groups of countries (folded names, every country of each, with
# the spellings tables use: "viet nam" and "vietnam", "czechia" and "czech republic").
_ASIA = {"afghanistan", "armenia", "azerbaijan", "bahrain", "bangladesh", "bhutan", "brunei",
         "brunei darussalam", "cambodia", "china", "cyprus", "hong kong", "india",
         "indonesia", "iran", "iraq", "israel", "japan", "kazakhstan", "korea",
         "north korea", "kuwait", "kyrgyzstan", "lao pdr", "laos", "lebanon", "macao", "macau",
         "malaysia", "maldives", "mongolia", "myanmar", "nepal", "oman", "pakistan", "palestine",
         "philippines", "qatar", "saudi arabia", "singapore", "sri lanka", "syria", "taiwan",
         "tajikistan", "thailand", "timor leste", "turkmenistan", "united arab emirates",
         "uzbekistan", "viet nam", "vietnam", "yemen"}
_EUROPE = {"albania", "andorra", "austria", "belarus", "belgium", "bosnia and herzegovina",
           "bulgaria", "croatia", "czechia", "czech republic", "denmark", "estonia", "finland",
           "france", "germany", "greece", "hungary", "iceland", "ireland", "italy", "kosovo",
           "latvia", "liechtenstein", "lithuania", "luxembourg", "malta", "moldova", "monaco",
           "montenegro", "netherlands", "north macedonia", "norway", "poland", "portugal",
           "romania", "russia", "san marino", "serbia", "slovakia", "slovenia", "spain", "sweden",
           "switzerland", "turkiye", "turkey", "ukraine", "united kingdom"}
_AFRICA = {"algeria", "angola", "benin", "botswana", "burkina faso", "burundi", "cabo verde",
           "cameroon", "central african republic", "comoros", "congo", "cote d ivoire",
           "democratic republic of the congo", "djibouti", "egypt", "equatorial guinea",
           "eritrea", "eswatini", "ethiopia", "gabon", "gambia", "ghana", "guinea",
           "guinea bissau", "kenya", "lesotho", "liberia", "libya", "madagascar", "malawi",
           "mali", "mauritania", "mauritius", "morocco", "mozambique", "namibia", "niger",
           "nigeria", "rwanda", "sao tome and principe", "senegal", "seychelles", "sierra leone",
           "somalia", "south africa", "south sudan", "sudan", "tanzania", "togo", "tunisia",
           "uganda", "zambia", "zimbabwe"}
_NORTH_AMERICA = {"united states", "canada", "mexico"}
_LATIN_AMERICA = {"argentina", "bolivia", "brazil", "chile", "colombia", "costa rica", "cuba",
                  "dominican republic", "ecuador", "el salvador", "guatemala", "haiti",
                  "honduras", "jamaica", "mexico", "nicaragua", "panama", "paraguay", "peru",
                  "trinidad and tobago", "uruguay", "venezuela"}
_SOUTH_AMERICA = {"argentina", "bolivia", "brazil", "chile", "colombia", "ecuador", "guyana",
                  "paraguay", "peru", "suriname", "uruguay", "venezuela"}
_EAST_ASIA = {"china", "japan", "korea", "north korea", "taiwan", "hong kong", "macao", "macau",
              "mongolia"}
_MIDDLE_EAST = {"bahrain", "iran", "iraq", "israel", "kuwait", "lebanon", "oman",
                "palestine", "qatar", "saudi arabia", "syria", "turkiye", "turkey",
                "united arab emirates", "yemen", "egypt"}
_OCEANIA = {"australia", "new zealand", "fiji", "papua new guinea", "samoa", "tonga",
            "vanuatu", "solomon islands"}
REGIONS = {
    "asia": _ASIA, "asian": _ASIA, "east asia": _EAST_ASIA, "east asian": _EAST_ASIA,
    "europe": _EUROPE, "european": _EUROPE, "africa": _AFRICA, "african": _AFRICA,
    "north america": _NORTH_AMERICA, "north american": _NORTH_AMERICA,
    "latin america": _LATIN_AMERICA, "latin american": _LATIN_AMERICA,
    "south america": _SOUTH_AMERICA, "south american": _SOUTH_AMERICA,
    "middle east": _MIDDLE_EAST, "middle eastern": _MIDDLE_EAST,
    "oceania": _OCEANIA,
}
# Official names a table may use whose common name differs.
_OFFICIAL = {
    "russian federation": "russia",
    "iran islamic republic of": "iran",
    "republic of korea": "korea",
    "korea republic of": "korea",
    "united states of america": "united states",
    "turkiye": "turkiye",
    "united kingdom of great britain and northern ireland": "united kingdom",
}


# Header words of columns that say where a row is: their values are places ("in France").
_WHERE = {"country", "economy", "nation", "region", "city", "state", "province", "location",
          "place", "host", "territory", "county", "continent", "municipality", "district",
          "town", "capital", "where"}

_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ß": "ss", "đ": "d",
                         "ð": "d", "þ": "th", "ı": "i"})  # letters that fold keeps


def norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).translate(_LETTERS)))


def place_terms(cell: str) -> set[str]:
    """The countries a cell names, folded: "China; Hong Kong, China" → {china, hong kong};
    "CN/HK" → {china, hong kong}; "Republic of Korea" → {korea, republic of korea}."""
    out: set[str] = set()
    for part in re.split(r"[;/|]|,\s+(?=[A-Z])", cell):
        p = part.strip().rstrip("*").strip()
        n = norm(p)
        if not n:
            continue
        if len(p) <= 3 and p.isupper() and n in ISO2:
            out.add(ISO2[n])
            continue
        out.add(n)
        out.add(_OFFICIAL.get(n, n))
        for official, common in _OFFICIAL.items():
            if n.startswith(official.split()[0]) and official.startswith(n):
                out.add(common)
    whole = norm(cell)
    out.add(_OFFICIAL.get(whole, whole))
    return out


@dataclass
class Mention:
    """A name found in a question: where, what it is."""

    start: int
    end: int
    text: str
    keys: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) it names
    place: str | None = None  # the country it names, folded


@dataclass
class Names:
    """Every name the tables hold, by its folded spellings."""

    keys: dict[str, list[tuple[str, str]]]  # alias → (kind, key)
    places: dict[str, str]  # alias → folded country / attribute value
    attrs: dict[tuple[str, str], set[str]]  # (kind, key) → place terms of its rows
    pattern: re.Pattern[str] | None
    # (kind, term) → (header, cell): the column a value is found in, for each kind of thing
    columns: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    initials: set[str] = field(default_factory=set)  # aliases that are a name's initials
    _words: set[str] = field(default_factory=set)

    def find(self, question: str) -> list[Mention]:
        """Names in the question, longest spelling first, without overlaps."""
        if self.pattern is None:
            return []
        words = norm(question).split()
        own = self.words()  # "Hollund" is a province of the tables, no typo of "Holland"
        words = [w if w in own else close_word(w, COUNTRY_WORDS) or w for w in words]
        text = " " + " ".join(words) + " "
        out = []
        for m in self.pattern.finditer(text):
            alias = m.group(1)
            if alias in self.initials and question != question.lower() and not re.search(
                    rf"\b{alias.upper()}\b", question):
                continue  # "NYC" names New York City; "Nyc" beside capitals may be a word
            out.append(
                Mention(
                    m.start(1),
                    m.end(1),
                    alias,
                    list(self.keys.get(alias, [])),
                    self.places.get(alias),
                )
            )
        return out

    def words(self) -> set[str]:
        """Every word of a name or place the tables hold."""
        if not self._words:
            self._words = {w for a in (*self.keys, *self.places) for w in a.split()}
        return self._words

    def where(self, place: str, kind: str) -> tuple[str, str]:
        """A place term as a list says it: ("in", "France"), or ("with operator",
        "University") for a value of a column that is no place."""
        header, cell = self.columns.get((kind, place), ("", ""))
        if header and place in ("yes", "no"):  # a column of yes and no: "co-funded … yes"
            return f"with {header}:", cell or place
        if not header or set(norm(header).split()) & _WHERE:
            return "in", cell or (place.upper() if len(place) <= 3 else place.title())
        return f"with {header}", cell or place

    def in_places(self, kind: str, key: str, places: list[str]) -> bool:
        """Whether ``key`` is in every group of places: values of one column are
        alternatives ("in France or Germany", "Spanish and Portuguese hubs"), values of
        different columns all hold ("German university incubators")."""
        groups: dict[str, list[str]] = {}
        for pl in places:
            header = self.columns.get((kind, pl), ("", ""))[0]
            groups.setdefault("" if set(norm(header).split()) & _WHERE else header, []).append(pl)
        return all(any(self.in_place(kind, key, pl) for pl in group) for group in groups.values())

    def in_place(self, kind: str, key: str, place: str) -> bool:
        """Whether the rows of ``key`` place it in ``place`` (a folded country)."""
        terms = self.attrs.get((kind, key), set()) | {norm(key)}
        group = REGIONS.get(place, {place})
        return any(p == t or re.search(rf"\b{re.escape(p)}\b", t) for t in terms for p in group)


_UNSAID = {"of", "and", "the", "for", "de", "la", "le", "du", "del", "in", "on", "at", "am"}


def _initials(keys: dict[str, list[tuple[str, str]]], taken: set[str]) -> set[str]:
    """A name of three words or more also goes by its initials ("NYC" for "New York City,
    NY", "MIT" for "Massachusetts Institute of Technology"), when no other name or word of
    the tables is spelled so and no other name has the same initials."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for found in list(keys.values()):
        for kind, key in found:
            base = re.sub(r",\s*[A-Z]{2}\b.*$|\(.*?\)", "", key).strip()
            words = [w for w in norm(base).split() if w not in _UNSAID]
            if len(words) >= 3 and all(w.isalpha() for w in words):
                owners.setdefault("".join(w[0] for w in words), set()).add((kind, key))
    out = set()
    for short, who in owners.items():
        if short not in keys and short not in taken and len({norm(k) for _k, k in who}) == 1:
            keys[short] = sorted(who)
            out.add(short)
    return out


def _single_words(keys: dict[str, list[tuple[str, str]]], vocabulary: set[str]) -> None:
    """A word of a longer name that no other name shares also names it ("Elbtal" for
    "Elbtal Innovation Park"), unless the tables use it as a word of their own ("Orchard"
    in a table titled "Orchard harvests")."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for found in list(keys.values()):
        for kind, key in found:
            for w in norm(key).split():
                owners.setdefault(w, set()).add((kind, key))
    for w, who in owners.items():
        stems = {w, w.rstrip("s"), w + "s"}
        named = {norm(key) for _kind, key in who}  # one name may key rows of two tables
        if (len(named) == 1 and len(w) >= 5 and not w.isdigit() and w not in keys
                and not stems & vocabulary and len(next(iter(named)).split()) >= 2):
            keys[w] = sorted(who)


# English words one letter from a country word: "where did X finish" is no typo of "Finnish".
_NOT_TYPOS = {"finish", "trench", "vanish"}


def close_word(word: str, vocabulary: dict[str, str]) -> str | None:
    """A known country word one letter away from ``word`` ("Japanes" → "japanese")."""
    if len(word) < 6 or word in vocabulary or word in _NOT_TYPOS:
        return None
    for known in vocabulary:
        if abs(len(known) - len(word)) <= 1 and len(known) >= 6 and _one_edit(word, known):
            return known
    return None


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


_SYMBOLS = {"€": "eur", "$": "usd", "£": "gbp", "¥": "jpy", "₹": "inr", "₩": "krw", "zł": "pln"}


# Adjectives of regions that no rule makes (general knowledge, like the country demonyms).
_IRREGULAR = {"wales": ["welsh"], "scotland": ["scottish", "scots"], "england": ["english"],
              "flanders": ["flemish"], "wallonia": ["walloon"], "catalonia": ["catalan"],
              "basque country": ["basque"], "brittany": ["breton"], "cornwall": ["cornish"],
              "lombardy": ["lombard"], "veneto": ["venetian"], "piedmont": ["piedmontese"],
              "normandy": ["norman"], "provence": ["provencal"], "saxony": ["saxon"],
              "hesse": ["hessian"], "rhineland": ["rhenish"], "lapland": ["lappish"],
              "quebec": ["quebecois"], "ireland": ["irish"], "northern ireland": ["northern irish"]}


def _demonyms(place: str) -> list[str]:
    """The adjectives of a place from a cell: Galicia → Galician, Styria → Styrian, Tuscany →
    Tuscan by rule; Wales → Welsh, Flanders → Flemish from a short list."""
    if place in _IRREGULAR:
        return _IRREGULAR[place]
    if " " in place or len(place) < 5 or not place.isalpha():
        return []
    if place.endswith("a"):
        return [place + "n"]
    if place.endswith("y"):
        return [place[:-1] + "an"]
    return []


def _inflections(term: str) -> list[str]:
    """How a question bends a one-word cell value: its plural ("University" → universities,
    "Biotech" → biotechs) and its adverb ("Private" → privately, "Public" → publicly)."""
    if " " in term or len(term) < 4 or not term.isalpha():
        return []
    if re.search(r"[^aeiou]y$", term):
        plural = term[:-1] + "ies"
    elif term.endswith(("s", "x", "ch", "sh")):
        plural = term + "es"
    else:
        plural = term + "s"
    return [plural] + ([term + "ly"] if term.endswith(("e", "c", "l")) else [])


def build_names(engine: Engine) -> Names:
    keys: dict[str, list[tuple[str, str]]] = {}
    places: dict[str, str] = {}
    attrs: dict[tuple[str, str], set[str]] = {}
    columns: dict[tuple[str, str], tuple[str, str]] = {}
    for t in engine.tables:
        if t.key is None:
            continue
        kind = t.kind
        for values in t.rows.values():
            key = values[t.key].strip()
            if not key:
                continue
            for c in t.columns:  # money written "€12.5m" is in euros, as a currency column says
                parsed = parse_number(values[c.index]) if c.kind == "number" else None
                unit = parsed[1] if parsed else ""
                code = _SYMBOLS.get(unit, unit if len(unit) == 3 and unit.isalpha() else "")
                if code:
                    attrs.setdefault((kind, key), set()).add(code)
            for a in _aliases(key) | {norm(key)}:
                if (kind, key) not in keys.setdefault(a, []):
                    keys[a].append((kind, key))
            for c in t.columns:
                cell = values[c.index].strip()
                if c.kind != "text" or c.index == t.key or not cell or len(cell) > 60:
                    continue
                terms = place_terms(cell)
                attrs.setdefault((kind, key), set()).update(terms)
                for term in sorted(terms):
                    columns.setdefault((kind, term),
                                       (label(c.header), cell if norm(cell) == term else ""))
                    if len(term) >= 3 and term not in ISO2:
                        places.setdefault(term, term)
                        for adjective in _demonyms(term):  # "Galician" for Galicia
                            places.setdefault(adjective, term)
                        for form in _inflections(term):  # "run by universities"
                            places.setdefault(form, term)
    for word, country in COUNTRY_WORDS.items():
        places.setdefault(norm(word), country)
    nouns = {"asian": "asia", "east asian": "east asia", "european": "europe",
             "african": "africa", "north american": "north america",
             "latin american": "latin america", "south american": "south america",
             "middle eastern": "middle east"}
    for word in REGIONS:
        places.setdefault(word, nouns.get(word, word))
    codes = {t for ts in attrs.values() for t in ts if len(t) == 3}
    for word, code in CURRENCY_WORDS.items():
        if code in codes:
            places.setdefault(word, code)
    vocabulary: set[str] = set()
    for t in engine.tables:  # a title that names a row's thing in full ("X (Wikipedia)") is
        title = f" {norm(t.title)} "  # about it: its words are that name's, not the table's
        subject = {w for v in t.rows.values() if t.key is not None and v[t.key].strip()
                   and f" {norm(v[t.key])} " in title for w in norm(v[t.key]).split()}
        vocabulary |= {w for w in title.split() if w not in subject}
        vocabulary |= set(norm(" ".join(t.header)).split())
    _single_words(keys, vocabulary)
    initials = _initials(keys, vocabulary | set(places) | set(COUNTRY_WORDS) | set(ISO2))
    for code, country in ISO2.items():
        if code in ("us", "uk"):
            places.setdefault(code, country)
    for alias, found in keys.items():  # a country that is also a key ("China") stays both
        for _kind, key in found:
            p = _OFFICIAL.get(norm(key), norm(key))
            if alias == norm(key) and any(p in ts for ts in attrs.values()):
                places.setdefault(alias, p)
    names = set(keys) | set(places)
    names = {n for n in names if n and (len(n) >= 3 or n in ("us", "uk"))}
    if not names:
        return Names(keys, places, attrs, None, columns, initials)
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return Names(keys, places, attrs, re.compile(rf"(?<= )({alts})(?= )"), columns, initials)
