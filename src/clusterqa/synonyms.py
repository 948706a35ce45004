"""Words that ask for the same thing in everyday English: "Who runs X?" is answered by "X is
headed by…", "How big is X?" by "It covers 40 hectares". Each group is a relation people ask
about organisations and places (who leads, who founded, how large, how many work there, what it
cost, when it opened); a question word is taken as held by a passage that holds any word of its
group. The groups are plain English, not the words of any corpus or question set.
"""

from __future__ import annotations

from functools import lru_cache

from .textnorm import terms

_GROUPS = [
    "run runs ran lead leads led leader head heads headed director directs manage manages "
    "managed manager president ceo boss charge helm",
    "chair chairs chaired chairman chairwoman chairperson head heads headed preside presides "
    "president",
    "found founds founded founder founders start started starts establish established "
    "create created creator launch launched set setup",
    "own owns owned owner owners ownership",
    "big large size area hectare hectares ha km acres acre sq square cover covers spans land",
    "employ employs employed employee employees staff staffed workforce headcount jobs job "
    "workers work",
    "cost costs costing price spend spent budget paid pay fund funded funding invest "
    "invested investment stake expenditure expenditures expense expenses outlay outlays",
    "share shares percentage percent cent proportion",
    "national nationally nationwide domestic",
    "open opened opens opening inaugurate inaugurated launch launched ready",
    "firm firms company companies business businesses tenant tenants startup startups "
    "start-ups enterprise enterprises",
    "design designed designer architect architects architecture",
    "rent rents rental lease",
    "revenue turnover sales income",
    "town city municipality located location situated based",
    "file files filed filing filings applicant applicants application applications",
    "top lead leads leading biggest largest main foremost",
    "paper papers article articles publication publications published",
    "aim aims aiming goal goals objective objectives target targets",
    "spread distributed distribution dispersed",
    "example instance",
    "build builds built construct constructed construction",
    "grow grows grew growth increase increased rise rose expand expanded",
    "member members membership",
    "ceiling cap capped maximum max limit limited upper most",
    "rank ranks ranked ranking position positions spot standing placed",
    "succeed succeeds succeeded succeeding successor predecessor replace replaced take took",
    "hire hires hired hiring recruit recruits recruited recruiting recruitment",
    "name names named call calls called known nickname nicknamed alias",
    "write writes wrote written writer author authors authored prepare prepared compile "
    "compiled",
    "full occupancy occupied",
    "use used usage utilisation utilization booked",
    "grant grants subsidy subsidies subsidised subsidized",
    "ready complete completed completion finish finished",
    "stay stays stayed staying remain remains remained remaining",
    "limit limits limited confine confined restrict restricted",
    "begin begins began begun beginning start starts started starting commence commenced",
]


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in _GROUPS:
        stems = frozenset(terms(group))
        for s in stems:
            out.setdefault(s, set()).update(stems)
    return {k: frozenset(v - {k}) for k, v in out.items()}


def alternatives(term: str) -> frozenset[str]:
    """Other stems that ask for the same thing as ``term`` (empty when it has none)."""
    return _index().get(term, frozenset())
