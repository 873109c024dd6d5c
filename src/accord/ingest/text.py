"""Matching text: Arabic folded for comparison (offsets kept), tokens, and the pattern language of
the lexicons in ``data/``.

Matching runs on a *folded* copy of the text: Arabic diacritics and tatweel dropped, alef forms,
alef maqsura and teh marbuta unified, Latin lower-cased. Folding only drops or maps single
characters, so every folded character remembers where it came from and a match maps back to the
original span, which is what a quote must be cut from.

Lexicon patterns are regular expressions written in ordinary spelling (they are folded with the same
function when compiled). Around an Arabic pattern the usual clitics are allowed (و ف ب ل ك and the
article ال, also in its لل form); ``*`` at the end of an English word stands for any ending.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_DROP = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # tashkeel, dagger alef, tatweel
_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": ""})
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|#\w+", re.UNICODE)


def fold_char(c: str, lower: bool = True) -> str:
    if _DROP.match(c):
        return ""
    c = c.translate(_MAP)
    low = c.lower()
    return low if lower and len(low) == len(c) else c


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character."""

    text: str
    index: tuple[int, ...]
    original: str
    cased: str = ""  # the same characters before lower-casing (for case-sensitive patterns)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded characters ``start:end``."""
        if start >= len(self.index):
            return len(self.original), len(self.original)
        last = self.index[max(end - 1, start)]
        return self.index[start], last + 1


def fold(text: str) -> Folded:
    out: list[str] = []
    cased: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = fold_char(c, lower=False)
        for ch in f:
            cased.append(ch)
            out.append(ch.lower() if len(ch.lower()) == 1 else ch)
            index.append(i)
    return Folded("".join(out), tuple(index), text, "".join(cased))


def fold_text(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if ARABIC.match(c)) / len(letters) > 0.5


_AR_PROCLITIC = r"(?:[وف]?[بكل]?(?:ال)?|[وف]?لل)"
_AR_NISBA = r"(?:يه|يون|يين|يان|يتين|ي|يا)?"
_AR_PRONOUN = r"(?:ها|هم|هما|ه|ي|نا|كم)?"


def _english(pattern: str) -> str:
    # ``enrich*`` -> enrich\w*; word boundaries around the whole pattern; a possessive allowed
    body = re.sub(r"(?<![\\)\]])(?<=[^\W\d_])(?<!\\[wWsSdD])\*", r"\\w*", pattern)
    return rf"(?<![\w]){body}(?:['’]s)?(?![\w])"


def _arabic(pattern: str, suffix: str) -> str:
    body = "".join("" if _DROP.match(c) else c.translate(_MAP) for c in pattern)  # keeps \\S
    if body.startswith("ال"):
        head = rf"(?:[وف]?[بك]?ال|[وف]?لل){body[2:]}"
    else:
        head = _AR_PROCLITIC + body
    return rf"(?<![^\W\d_]){head}{suffix}(?![^\W\d_])"


def compile_patterns(
    patterns: list[str], *, nisba: bool = False, case: bool = False
) -> re.Pattern | None:
    """One regex for a list of lexicon patterns (Arabic and English mixed); ``nisba`` lets Arabic
    names take the adjective endings (إيران → الإيرانية, إسرائيليون); ``case`` keeps English
    case-sensitive (``US`` is not ``us``)."""
    parts = []
    for p in patterns:
        p = p.strip()
        if not p:
            continue
        if is_arabic(p):
            parts.append(_arabic(p, _AR_NISBA if nisba else _AR_PRONOUN))
        else:
            parts.append(_english(p))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in parts), 0 if case else re.IGNORECASE)


@lru_cache(maxsize=4096)
def folded_pattern(pattern: str) -> re.Pattern:
    return compile_patterns([pattern]) or re.compile("(?!)")


def clean_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tokens(text: str) -> list[tuple[int, int]]:
    """Word spans (start, end) of ``text``."""
    return [(m.start(), m.end()) for m in WORD.finditer(text)]
