"""The EU's decision rules as data: Council voting weights and qualified-majority thresholds by
treaty period, the voting power they give (exact power indices), and the Commission's and the
Parliament's roles under the consultation and co-decision procedures.

Council weights and thresholds (votes per member; a qualified majority needs ``quota`` votes and,
on a Commission proposal, at least ``min_members`` members):

=======  =========================  =======  ==========  ======  ================================
period   in force                   members  quota/tot.  min m.  source
=======  =========================  =======  ==========  ======  ================================
eu15     1 Jan 1995 – 30 Apr 2004   15       62 / 87     —       EC Treaty Art. 148(2), as amended
                                                                 by the 1994 Act of Accession
                                                                 (EUR-Lex CELEX 11992E148); Art.
                                                                 205(2) TEC after Amsterdam
eu25     1 Nov 2004 – 31 Dec 2006   25       232 / 321   13      Protocol on the enlargement of the
                                                                 EU (Nice), Art. 3, as amended by
                                                                 the 2003 Act of Accession; CVCE,
                                                                 "Evolution of qualified majority
                                                                 voting in the Council"
eu27     1 Jan 2007 – 30 Jun 2013   27       255 / 345   14      europa.eu glossary "Weighting of
                                                                 votes in the Council"; CVCE table
eu28     1 Jul 2013 – 31 Oct 2014   28       260 / 352   15      Act concerning the accession of
                                                                 Croatia, Art. 20 (OJ L 112,
                                                                 24.4.2012, p. 6)
=======  =========================  =======  ==========  ======  ================================

Not modelled: the transitional EU-25 weights of 1 May – 31 Oct 2004 (88 of 124), the Nice rule's
optional 62 % population check, and Lisbon's double majority (55 % of the members, 65 % of the
population, from 1 Nov 2014, compulsory from 1 Apr 2017: Art. 16(4) TEU, Art. 238 TFEU), which
needs each year's population figures; decisions of that period are given the EU-28 weights, an
approximation said so wherever it is used.

The Commission and the Parliament have no Council votes. Their roles (the procedural model,
:mod:`accord.models.procedural`): under **consultation** (CNS) the Commission sets the agenda — its
proposal passes by the Council's rule and can be amended only unanimously — and the Parliament is
consulted; under **co-decision** (COD; Lisbon's ordinary legislative procedure) the Council and the
Parliament must both agree (Steunenberg & Selck 2006, ch. 3 of *The European Union Decides*;
Tsebelis & Garrett 2000, *European Union Politics* 1(1):9–36).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Literal

from accord.power import banzhaf, shapley_shubik

#: member-state codes as the DEU data writes them -> English names
MEMBER_NAMES = {
    "at": "Austria",
    "be": "Belgium",
    "bu": "Bulgaria",
    "cr": "Croatia",
    "cy": "Cyprus",
    "cz": "Czech Republic",
    "de": "Germany",
    "dk": "Denmark",
    "ee": "Estonia",
    "el": "Greece",
    "es": "Spain",
    "fi": "Finland",
    "fr": "France",
    "hu": "Hungary",
    "ie": "Ireland",
    "it": "Italy",
    "lt": "Lithuania",
    "lu": "Luxembourg",
    "lv": "Latvia",
    "mt": "Malta",
    "nl": "Netherlands",
    "pl": "Poland",
    "pt": "Portugal",
    "ro": "Romania",
    "se": "Sweden",
    "si": "Slovenia",
    "sk": "Slovakia",
    "uk": "United Kingdom",
}
COMMISSION, PARLIAMENT = "com", "ep"
INSTITUTION_NAMES = {COMMISSION: "European Commission", PARLIAMENT: "European Parliament"}

_EU15 = {
    "de": 10, "fr": 10, "it": 10, "uk": 10, "es": 8, "be": 5, "el": 5, "nl": 5, "pt": 5,
    "at": 4, "se": 4, "dk": 3, "ie": 3, "fi": 3, "lu": 2,
}  # fmt: skip
#: Nice weights of every member that ever held them (EU-28 membership)
NICE = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13,
    "be": 12, "el": 12, "pt": 12, "cz": 12, "hu": 12, "at": 10, "se": 10, "bu": 10,
    "dk": 7, "ie": 7, "fi": 7, "lt": 7, "sk": 7, "cr": 7, "ee": 4, "lv": 4, "si": 4,
    "lu": 4, "cy": 4, "mt": 3,
}  # fmt: skip
#: the ten states that joined on 1 May 2004
JOINED_2004 = frozenset({"cy", "cz", "ee", "hu", "lt", "lv", "mt", "pl", "si", "sk"})
JOINED_2007 = frozenset({"bu", "ro"})
JOINED_2013 = frozenset({"cr"})

Period = Literal["eu15", "eu25", "eu27", "eu28"]
PERIODS: tuple[Period, ...] = ("eu15", "eu25", "eu27", "eu28")
PowerIndex = Literal["shapley_shubik", "banzhaf"]


@dataclass(frozen=True)
class Council:
    """The Council's qualified-majority game of one period."""

    period: Period
    start: dt.date
    end: dt.date
    weights: dict[str, int]
    quota: int
    min_members: int
    source: str

    @property
    def total(self) -> int:
        return sum(self.weights.values())

    @property
    def quota_share(self) -> float:
        """The qualified majority as a share of all votes (62/87 = 0.713 for EU-15)."""
        return self.quota / self.total


COUNCILS: dict[Period, Council] = {
    "eu15": Council(
        "eu15",
        dt.date(1995, 1, 1),
        dt.date(2004, 4, 30),
        _EU15,
        62,
        0,
        "EC Treaty Art. 148(2) as amended by the 1994 Act of Accession (CELEX 11992E148)",
    ),
    "eu25": Council(
        "eu25",
        dt.date(2004, 11, 1),
        dt.date(2006, 12, 31),
        {k: v for k, v in NICE.items() if k not in JOINED_2007 | JOINED_2013},
        232,
        13,
        "Protocol on the enlargement of the EU (Nice) Art. 3, as amended by the 2003 Act of "
        "Accession; CVCE table of qualified-majority voting",
    ),
    "eu27": Council(
        "eu27",
        dt.date(2007, 1, 1),
        dt.date(2013, 6, 30),
        {k: v for k, v in NICE.items() if k not in JOINED_2013},
        255,
        14,
        "europa.eu glossary 'Weighting of votes in the Council' (255 of 345); CVCE table",
    ),
    "eu28": Council(
        "eu28",
        dt.date(2013, 7, 1),
        dt.date(2014, 10, 31),
        dict(NICE),
        260,
        15,
        "Act concerning the accession of Croatia, Art. 20 (OJ L 112, 24.4.2012, p. 6)",
    ),
}


def period_of(members: set[str] | frozenset[str], year: int | None = None) -> Period:
    """The earliest period consistent with the member states present and the year a proposal was
    made: a 2004 entrant present means EU-25 or later, Bulgaria or Romania EU-27, Croatia EU-28;
    a proposal of 2004 or later was decided in EU-25 or later, of 2007 or later in EU-27, of 2014
    or later in EU-28. An inference (the DEU file has no dates): absent members prove nothing."""
    rank = 0
    if members & JOINED_2004:
        rank = 1
    if members & JOINED_2007:
        rank = 2
    if members & JOINED_2013:
        rank = 3
    if year is not None:
        rank = max(rank, 3 if year >= 2014 else 2 if year >= 2007 else 1 if year >= 2004 else 0)
    return PERIODS[rank]


@cache
def power(period: Period, index: PowerIndex) -> dict[str, Fraction]:
    """Each member's exact power index in the period's qualified-majority game (votes and the
    member count on a Commission proposal)."""
    c = COUNCILS[period]
    members = list(c.weights)
    fn = shapley_shubik if index == "shapley_shubik" else banzhaf
    values = fn([c.weights[m] for m in members], c.quota, c.min_members)
    return dict(zip(members, values, strict=True))


__all__ = [
    "COMMISSION",
    "COUNCILS",
    "INSTITUTION_NAMES",
    "MEMBER_NAMES",
    "NICE",
    "PARLIAMENT",
    "PERIODS",
    "Council",
    "period_of",
    "power",
]
