"""A statement in the documents that a computed answer contradicts: the article says the
United States has the most clusters, the table counts more for China; the article has Seoul
third, the table Beijing.

Only superlatives and positions are checked: a prose sentence (not a table row) that makes the
same kind of claim — the question's superlative word, or the position asked for — about the
same measure or kind of thing, for the year asked when it names one, and names a different
thing as the one that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Answer, Citation
from ..store import IndexData, StoredSentence
from .entities import Mention, Names, norm
from .parse import LEAST, MOST, ORDINALS, Parser, Plan, kind_noun, norm_place

_QUOTE_CHARS = 220


@dataclass
class Claim:
    sentence: StoredSentence
    names: str  # what the sentence says holds it


def _ids(m: Mention, kind: str) -> set[str]:
    out = {norm(key) for k, key in m.keys if k == kind} | {norm_place(key) for _k, key in m.keys}
    return out | ({m.place} if m.place else set())


def _cue(plan: Plan, question: str) -> re.Pattern[str] | None:
    """What a sentence must say to make the same kind of claim."""
    if plan.op == "rank_at" and plan.lo is not None:
        n = int(plan.lo)
        words = [w for w, v in ORDINALS.items() if v == n]
        return re.compile(rf"\b(?:{n}(?:st|nd|rd|th)|{'|'.join(words) or 'x^'}|number {n})\b")
    if plan.op in ("best", "groups") and not plan.n and not plan.nth:
        for pattern in (MOST, LEAST):
            m = pattern.search(norm(question))
            if m:
                return re.compile(rf"\b(?:{pattern.pattern})|\blargest number\b|\bmost\b"
                                  if pattern is MOST else pattern.pattern)
    return None


def contradiction(plan: Plan, question: str, answer: Answer, data: IndexData, names: Names,
                  parser: Parser) -> Claim | None:
    """A prose statement naming another holder of what the computed answer found."""
    cue = _cue(plan, question)
    winners = [m for m in names.find(answer.text) if _ids(m, plan.kind)]
    if cue is None or not winners or plan.places or plan.exclude or plan.among or plan.vbound \
            or (plan.op != "rank_at" and (plan.lo or plan.hi)):
        return None  # a claim about a subset is not a claim about all
    won = _ids(winners[0], plan.kind)
    noun = kind_noun(plan.kind).split()[-1][:5]
    for s in data.sentences:
        if s.table is not None:
            continue
        said = norm(s.text)
        hit = cue.search(said)
        if not hit:
            continue
        years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", said)}
        if plan.year_given and years and not years & set(plan.years):
            continue
        if plan.op != "rank_at" and not parser.mentions_measure(
                said[hit.start():hit.end() + 40], plan.measure or ""):
            continue  # the same claim is about the same figure: "the most clusters"
        if plan.op == "rank_at" and (not re.search(rf"\b{re.escape(noun)}|\brank", said)
                                     or parser.ordinal_numbers_a_thing(said, plan.kind,
                                                                        hit.start())):
            continue  # "the second phase of the programme" places nothing second
        if plan.op == "groups" and not re.search(rf"\b{re.escape(noun)}", said):
            continue  # "the most wind farms" is a claim about wind farms
        found = [m for m in names.find(s.text) if _ids(m, plan.kind)]
        own = [m for m in found if any(k == plan.kind for k, _key in m.keys)]
        found = own or found  # a thing of the kind, before the country it lies in
        before = [m for m in found if m.end <= hit.start() + 1]
        claimed = before[-1] if before else (found[0] if found else None)
        if claimed is not None and not _ids(claimed, plan.kind) & won:
            return Claim(s, claimed.text)
    return None


def say_both(answer: Answer, claim: Claim, data: IndexData) -> Answer:
    """The computed answer, then the statement that disagrees with it, cited."""
    s = claim.sentence
    entry = data.manifest.files.get(s.source)
    title = entry.title if entry else s.source
    number = len(answer.citations) + 1
    quote = s.text
    if len(quote) > _QUOTE_CHARS:
        quote = quote[:_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    note = f" But “{title}” says otherwise: “{quote}” [{number}]"
    if len(answer.text) + len(note) > 600:
        note = f" But “{title}” names {claim.names} instead [{number}]."
    passage = data.chunks[s.chunk].text if 0 <= s.chunk < len(data.chunks) else s.text
    answer.citations.append(Citation(
        number=number, source=s.source, title=title, location=s.locator.label,
        locator=s.locator, quote=s.text, passage=passage, score=1.0,
        kind=entry.kind if entry else "text", url=entry.url if entry else None,
        publisher=entry.publisher if entry else None, year=entry.year if entry else None))
    answer.text = answer.text.rstrip() + note
    return answer
