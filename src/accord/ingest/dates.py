"""Dates: the article's own date, and the dates it mentions resolved against it.

Full dates (``12 April 2025``, ``April 12, 2025``, ``10 مارس 2023``, ``2025-04-12``) are read by
rule; a date without a year (``السبت 19 أبريل``, "on 19 April") is resolved with dateparser
anchored on the article's date — never on today's, which is dateparser's default and wrong for an
old article.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord.ingest.text import fold, fold_text

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يوليو": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
}
_M = "|".join(sorted((re.escape(k) for k in _MONTHS), key=len, reverse=True))
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_M})\.?,?\s+((?:19|20)\d\d)(?!\d)", re.I)
_MDY = re.compile(rf"(?<![^\W\d_])({_M})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)(?!\d)", re.I)
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_MY = re.compile(rf"(?<![^\W\d_])({_M})\s+((?:19|20)\d\d)(?!\d)", re.I)
_DM = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_M})(?![^\W\d_])(?!\s*,?\s*(?:19|20)\d\d)", re.I)


@dataclass(frozen=True)
class Found:
    text: str
    date: dt.date
    precision: str  # day, month


def _mk(y: str, m: int, d: str | int) -> dt.date | None:
    try:
        return dt.date(int(y), m, int(d))
    except ValueError:
        return None


def full_dates(text: str) -> list[Found]:
    f = fold_text(text)
    out: list[Found] = []
    for m in _DMY.finditer(f):
        d = _mk(m.group(3), _MONTHS[m.group(2).lower()], m.group(1))
        if d:
            out.append(Found(m.group(), d, "day"))
    for m in _MDY.finditer(f):
        d = _mk(m.group(3), _MONTHS[m.group(1).lower()], m.group(2))
        if d:
            out.append(Found(m.group(), d, "day"))
    for m in _ISO.finditer(f):
        d = _mk(m.group(1), int(m.group(2)), m.group(3))
        if d:
            out.append(Found(m.group(), d, "day"))
    if not out:
        for m in _MY.finditer(f):
            out.append(
                Found(m.group(), dt.date(int(m.group(2)), _MONTHS[m.group(1).lower()], 1), "month")
            )
    return out


def article_date(paragraphs: list[str]) -> Found | None:
    """The article's date: a dateline in the first paragraphs, else the latest full date it
    mentions, else a month ("in early February 2026")."""
    for p in paragraphs[:3]:
        found = [x for x in full_dates(p) if x.precision == "day"]
        if found:
            return found[0]
    every = [x for p in paragraphs for x in full_dates(p)]
    days = [x for x in every if x.precision == "day"]
    if days:
        return max(days, key=lambda x: x.date)
    return min(every, key=lambda x: x.date) if every else None


def partial_dates(text: str, anchor: dt.date | None) -> list[tuple[str, dt.date | None]]:
    """Day-and-month dates without a year, resolved against ``anchor`` (None: unresolved)."""
    out = []
    f = fold(text)
    for m in _DM.finditer(f.text):
        a, b = f.span(m.start(), m.end())
        said = text[a:b]  # as the article spells it
        if anchor is None:
            out.append((said, None))
            continue
        try:
            import dateparser

            base = dt.datetime(anchor.year, anchor.month, anchor.day)
            got = dateparser.parse(
                m.group(),
                languages=["ar", "en"],
                settings={
                    "RELATIVE_BASE": base,
                    "PREFER_DATES_FROM": "past",
                    "REQUIRE_PARTS": ["day", "month"],
                },
            )
            day = got.date() if got else None
        except Exception:  # noqa: BLE001 - dateparser is optional: resolve by the anchor's year
            day = _mk(str(anchor.year), _MONTHS[m.group(2).lower()], m.group(1))
        if day and day > anchor + dt.timedelta(days=7):
            day = _mk(str(anchor.year - 1), day.month, day.day)
        out.append((said, day))
    return out
