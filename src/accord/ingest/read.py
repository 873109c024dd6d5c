"""Reading an article file: size limit, encodings, HTML and saved pages, into plain text.

Anything a user can hand over (a binary, an empty file, UTF-16, a half-broken HTML page, a saved
``.mhtml``) ends either in text or in an :class:`~accord.errors.AccordError` naming the file and the
fix, never in a traceback.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError

#: refuse articles larger than this (bytes); ACCORD_MAX_ARTICLE_MB raises it
MAX_ARTICLE_BYTES = 5 * 2**20
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
_MHTML_SUFFIXES = {".mhtml", ".mht"}


class ArticleError(AccordError):
    """An article that cannot be read (missing, too large, binary, empty)."""

    def __init__(self, message: str, *, hint: str = ""):
        super().__init__(message, hint=hint, field="article")


@dataclass(frozen=True)
class Article:
    """An article's text and what its container told us (title, date)."""

    label: str  # how the user named it (a path)
    text: str  # plain text, paragraphs separated by newlines
    kind: str  # "text", "html" or "mhtml"
    title: str = ""
    date: dt.date | None = None
    url: str = ""


def max_bytes() -> int:
    raw = os.environ.get("ACCORD_MAX_ARTICLE_MB")
    if not raw:
        return MAX_ARTICLE_BYTES
    try:
        mb = float(raw)
        if not mb > 0:
            raise ValueError
    except ValueError:
        raise ArticleError(
            f"ACCORD_MAX_ARTICLE_MB={raw!r} is not a positive number of MiB",
            hint="e.g. ACCORD_MAX_ARTICLE_MB=20, or unset it for the default 5",
        ) from None
    return int(mb * 2**20)


def decode(raw: bytes, label: str) -> str:
    """Bytes to text: a BOM wins, then UTF-8, then the likeliest legacy encoding (Windows-1256
    for Arabic, Windows-1252 for Latin text); never fails on text, refuses binaries."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[2:].decode(codec, errors="replace")
    if raw.count(b"\x00") > max(4, len(raw) // 200):
        # UTF-16 without a BOM has a zero byte in most characters; anything else is a binary
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = raw[: len(raw) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                continue
            if _texty(text):
                return text
        raise _binary(label)
    controls = sum(1 for b in raw[:65536] if b < 9 or 13 < b < 32)
    if controls > len(raw[:65536]) * 0.02:
        raise _binary(label)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[:200_000]).best()
        if best is not None and best.encoding:
            return raw.decode(best.encoding, errors="replace")
    except Exception:  # noqa: BLE001 - a guesser's failure falls back to the plain guesses below
        pass
    arabic_bytes = sum(1 for b in raw if 0xC1 <= b <= 0xFE)
    codec = "cp1256" if arabic_bytes > len(raw) * 0.3 else "cp1252"
    return raw.decode(codec, errors="replace")


def _texty(text: str) -> bool:
    sample = text[:20000]
    ok = sum(1 for c in sample if c.isprintable() or c in "\n\r\t")
    return bool(sample) and ok / len(sample) > 0.97


def _binary(label: str) -> ArticleError:
    return ArticleError(
        f"{label}: this is not a text or HTML file (it holds binary data)",
        hint="save the article as plain text (.txt) or as a web page (.html)",
    )


def _looks_html(text: str, suffix: str) -> bool:
    if suffix in _HTML_SUFFIXES:
        return True
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|body|article|p|div)[\s>]", head)
    )


def _mhtml_html(raw: bytes) -> str | None:
    """The HTML part of a saved ``.mhtml`` page (a MIME message)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            try:
                return part.get_content()
            except Exception:  # noqa: BLE001 - an undecodable part: try the next one
                continue
    return None


def _html_to_text(html: str) -> tuple[str, str, dt.date | None, str]:
    """Main text, title, date and URL of an HTML page (trafilatura; a plain tag-stripper when it
    finds nothing)."""
    title, date, url = "", None, ""
    text = ""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html, favor_precision=True, with_metadata=True, include_comments=False
        )
        if doc is not None:
            get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
            text = get("text") or ""
            title = get("title") or ""
            url = get("url") or ""
            raw_date = get("date")
            if raw_date:
                try:
                    date = dt.date.fromisoformat(str(raw_date)[:10])
                except ValueError:
                    date = None
    except Exception:  # noqa: BLE001 - no trafilatura, or it crashed on a broken page: strip tags
        text = ""
    if not text.strip():
        text = _strip_tags(html)
        m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
        title = title or (re.sub(r"\s+", " ", m.group(1)).strip() if m else "")
    return text, title, date, url


def _strip_tags(html: str) -> str:
    import html as html_lib

    html = re.sub(r"(?is)<(script|style|nav|footer|header|aside|noscript)[^>]*>.*?</\1>", " ", html)
    html = re.sub(r"(?i)<br\s*/?>|</(p|div|h\d|li|tr)>", "\n", html)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())


def read_article(path: str | os.PathLike, *, limit: int | None = None) -> Article:
    """Read one article file (plain text, HTML, a saved page or MHTML)."""
    p = Path(path)
    label = str(path)
    if not p.exists():
        raise ArticleError(f"{label}: no such file", hint="check the path")
    if p.is_dir():
        raise ArticleError(f"{label}: is a folder, not an article", hint="name the article files")
    limit = limit or max_bytes()
    try:
        size = p.stat().st_size
        if size > limit:
            raise ArticleError(
                f"{label}: the file is {size / 2**20:.1f} MiB, over the {limit / 2**20:g} MiB limit "
                "for an article",
                hint="cut it to the article itself, or raise ACCORD_MAX_ARTICLE_MB",
            )
        with p.open("rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise ArticleError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise ArticleError(f"{label}: over the {limit / 2**20:g} MiB limit for an article")
    return article_from_bytes(raw, label, suffix=p.suffix.lower())


def article_from_bytes(raw: bytes, label: str = "<article>", *, suffix: str = "") -> Article:
    """An article from its bytes (a file's, or a request's)."""
    if suffix in _MHTML_SUFFIXES or raw[:400].lstrip().lower().startswith(
        (b"from:", b"mime-version")
    ):
        html = _mhtml_html(raw)
        if html:
            text, title, date, url = _html_to_text(html)
            return _checked(Article(label, text, "mhtml", title, date, url))
    text = decode(raw, label)
    if _looks_html(text, suffix):
        body, title, date, url = _html_to_text(text)
        return _checked(Article(label, body, "html", title, date, url))
    return _checked(Article(label, text, "text"))


def _checked(article: Article) -> Article:
    if not re.search(r"[^\W\d_]{2,}", article.text):
        raise ArticleError(
            f"{article.label}: holds no text to draft from",
            hint="is it the right file? a page saved without its article text?",
        )
    return article
