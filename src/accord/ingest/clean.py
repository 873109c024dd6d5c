"""Clean-up: repair the text, drop page furniture, keep paragraphs with their place in the file.

Steps, each recorded so the draft can say what it did: mojibake repair (ftfy, then a run-wise
repair for Thai-looking runs, i.e. UTF-8 read as Windows-874), control and bidi characters removed,
boilerplate lines (data/boilerplate.yaml) dropped, a hashtag title line recognised as the title.
Offsets: every paragraph keeps its line number in the cleaned text, which is what provenance cites.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_CONTROL = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
HASHTAG = re.compile(r"#[^\s#]+")
URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True)
class Paragraph:
    line: int  # 1-based line number in the article's text (the file, for plain text)
    text: str
    lang: str = ""
    lang_score: float = 0.0


@dataclass
class Cleaned:
    paragraphs: list[Paragraph]
    title: str = ""
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, why, text)
    platforms: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # what repair changed, in words

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@lru_cache(maxsize=1)
def _rules() -> list[tuple[re.Pattern, str, str]]:
    raw = yaml.safe_load(
        resources.files("accord.ingest")
        .joinpath("data")
        .joinpath("boilerplate.yaml")
        .read_text("utf-8")
    )
    return [(re.compile(r["pattern"], re.I), r["why"], r.get("platform", "")) for r in raw["lines"]]


def _fix_thai_runs(text: str) -> str:
    """UTF-8 bytes read as Windows-874 turn ü into รผ; undo it where a run round-trips."""

    def undo(m: re.Match) -> str:
        try:
            return m.group().encode("cp874").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return m.group()

    return _THAI_RUN.sub(undo, text) if re.search("[A-Za-z][\u0e00-\u0e7f]", text) else text


def repair(text: str) -> tuple[str, list[str]]:
    """Mojibake and invisible characters fixed; what was done, in words."""
    notes = []
    import ftfy

    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False, normalization="NFC")
    if fixed != unicodedata.normalize("NFC", text):
        notes.append("mojibake repaired (text decoded with the wrong encoding)")
    thai = _fix_thai_runs(fixed)
    if thai != fixed:
        notes.append("Thai-looking runs repaired (UTF-8 read as Windows-874)")
    cleaned = _CONTROL.sub("", thai.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if cleaned != thai:
        notes.append("control and direction characters removed")
    return cleaned, notes


def _is_title_line(line: str) -> bool:
    """A hashtag title (`#Tag words ...:`) or a short line without a full stop, before the body."""
    words = line.split()
    return (
        bool(words)
        and words[0].startswith("#")
        and len(words) <= 25
        and not re.search(r"[.!?؟]\s*$", line)
    )


def only_furniture(line: str) -> bool:
    """Lines that are nothing but hashtags, links, emoji and punctuation."""
    rest = URL.sub(" ", HASHTAG.sub(" ", line))
    return not re.search(r"[^\W\d_]{2,}", rest)


def clean(text: str) -> Cleaned:
    fixed, notes = repair(text)
    out = Cleaned(paragraphs=[], repaired=notes)
    for line_no, raw_line in enumerate(fixed.split("\n"), start=1):
        line = re.sub(r"[ \u00a0]+", " ", raw_line).strip()
        if not line:
            continue
        hit = next(((why, plat) for rx, why, plat in _rules() if rx.search(line)), None)
        if hit:
            out.removed.append((line_no, hit[0], line))
            if hit[1] and hit[1] not in out.platforms:
                out.platforms.append(hit[1])
            continue
        if only_furniture(line):
            out.removed.append((line_no, "hashtags, links or emoji only", line))
            continue
        if not out.title and _is_title_line(line):
            out.title = HASHTAG.sub("", line).strip(" :–-") or line
            out.removed.append((line_no, "title line", line))
            continue
        if not out.paragraphs and not out.title and _is_headline(line):
            out.title = line
            out.removed.append((line_no, "headline", line))
            continue
        out.paragraphs.append(Paragraph(line_no, line))
    return out


def _is_headline(line: str) -> bool:
    """A first line of a few words without a full stop (and not a dateline like
    ``الدوحة - 15 يناير 2025``) is the headline, not a sentence of the body."""
    words = line.split()
    dateline = bool(re.search(r"\b(1[89]|20)\d\d\b", line)) and len(words) <= 6
    return 2 <= len(words) <= 16 and not re.search(r"[.!?؟:]\s*$", line) and not dateline


def for_matching(text: str) -> str:
    """Hashtags and links blanked (same length, so offsets hold): ``#USIranTalks`` must neither
    fool the language detector nor be read as the US and Iran."""
    return URL.sub(
        lambda m: " " * len(m.group()), HASHTAG.sub(lambda m: " " * len(m.group()), text)
    )
