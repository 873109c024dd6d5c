"""Reading whatever a user hands over: encodings, HTML, saved pages, mojibake, limits — ending in
text or in a clear error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main
from accord.ingest.clean import clean
from accord.ingest.read import ArticleError, article_from_bytes, read_article

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "ingest" / "articles"
AR = (
    "تصر إيران على أن يتم مناقشة القضايا النووية فقط، بينما تسعى الولايات المتحدة إلى توسيع النطاق."
)


@pytest.mark.parametrize(
    "raw",
    [
        AR.encode("utf-8"),
        b"\xef\xbb\xbf" + AR.encode("utf-8"),
        b"\xff\xfe" + AR.encode("utf-16-le"),
        AR.encode("utf-16-le"),  # no BOM
        AR.encode("cp1256"),  # a legacy Arabic code page
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-no-bom", "cp1256"],
)
def test_encodings(raw):
    assert AR in article_from_bytes(raw).text


def test_binary_and_empty_files_are_refused(tmp_path):
    png = tmp_path / "x.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(ArticleError, match="binary data"):
        read_article(png)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n 12 34 \n")
    with pytest.raises(ArticleError, match="no text to draft from"):
        read_article(empty)
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(ArticleError, match="is a folder"):
        read_article(tmp_path)


def test_size_limit(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000)
    monkeypatch.setenv("ACCORD_MAX_ARTICLE_MB", "1")
    with pytest.raises(ArticleError, match="over the 1 MiB limit"):
        read_article(big)
    monkeypatch.setenv("ACCORD_MAX_ARTICLE_MB", "lots")
    with pytest.raises(ArticleError, match="not a positive number"):
        read_article(big)


def test_html_page_keeps_the_article_and_drops_the_chrome():
    a = read_article(ARTICLES / "d3_black_sea_grain_2022.html")
    assert a.kind == "html" and str(a.date) == "2022-07-22"
    assert "Kyiv demanded safe passage" in a.text
    for chrome in ("Sign in", "Accept all", "Related stories", "All rights reserved"):
        assert chrome not in a.text


def test_mhtml_saved_page():
    html = "<html><body><article><p>Oman mediated talks between the United States and Iran in Muscat on Saturday.</p></article></body></html>"
    raw = (
        "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{html}\r\n--B--\r\n"
    ).encode()
    a = article_from_bytes(raw, "page.mhtml", suffix=".mhtml")
    assert a.kind == "mhtml" and "Oman mediated talks" in a.text


def test_broken_html_falls_back_to_its_text():
    a = article_from_bytes(
        b"<html><body><div><p>Qatar brokered a truce between Israel and Hamas<div></body",
        "x.html",
        suffix=".html",
    )
    assert "Qatar brokered a truce" in a.text


def test_mojibake_is_repaired():
    a = read_article(ARTICLES / "d5_gerd_washington_2020.txt")
    assert "Cairoâ€™s" in a.text  # as scraped
    c = clean(a.text)
    assert "Cairo’s foreign minister" in c.text and "â€" not in c.text
    assert any("mojibake" in r for r in c.repaired)
    ar = clean(read_article(ARTICLES / "h6_e3_snapback_2025.txt").text)
    assert "أعلنت فرنسا وألمانيا والمملكة المتحدة" in ar.text


def test_boilerplate_and_title():
    c = clean(
        (
            Path(__file__).resolve().parents[1] / "data" / "seed" / "000_ffe160eaa71000c4.txt"
        ).read_text("utf-8")
    )
    whys = {w for _, w, _ in c.removed}
    assert {"platform disclaimer", "link to the original", "title line"} <= whys
    assert c.platforms == ["gate"] and c.title.startswith("لحظة من الرهانات")
    assert "Gate" not in c.text and "شاهد النسخة الأصلية" not in c.text
    post = clean((ARTICLES / "h3_lebanon_israel_maritime_2022.txt").read_text("utf-8"))
    assert "Tap to Trade" not in post.text and "Like & share" not in post.text


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"\x00\x01\x02" * 1000, "binary data"),
        (b"", "no text to draft from"),
        (b"The weather was fine and nobody negotiated anything.", "too little to draft"),
    ],
)
def test_cli_refuses_without_a_traceback(tmp_path, capsys, content, needle):
    f = tmp_path / "a.txt"
    f.write_bytes(content)
    code = main(["draft", str(f), "-o", str(tmp_path / "d.yaml")])
    err = capsys.readouterr().err
    assert code == 1 and needle in err and "Traceback" not in err
    assert not (tmp_path / "d.yaml").exists()


def test_any_text_drafts_or_fails_with_a_user_error():
    """Fuzz: mixed scripts, punctuation, hashtags, controls and stray HTML never crash the draft."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from accord.errors import AccordError
    from accord.ingest.draft import draft
    from accord.ingest.emit import scenario_yaml

    pieces = st.sampled_from(
        [
            "إيران",
            "الولايات المتحدة",
            "بوساطة عمان",
            "تصر",
            "ترفض",
            "على",
            "فقط",
            "العقوبات",
            "Iran",
            "the US",
            "insists on",
            "rejects",
            "limits on enrichment",
            "ceasefire",
            "in Geneva",
            "#Tag",
            "http://x.y/z",
            "\u200f",
            "\x07",
            "<p>",
            "</div>",
            "2015",
            "12 April",
            ".",
            "،",
            "؟",
            "\n",
            " ",
            "Gate",
            "not financial advice",
            "🚀",
        ]
    )

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(pieces, min_size=1, max_size=60))
    def check(parts):
        raw = " ".join(parts).encode("utf-8")
        try:
            d = draft([article_from_bytes(raw, "fuzz.txt")])
            scenario_yaml(d)
        except AccordError:
            pass  # a clear user error (no text, too little to draft)

    check()
