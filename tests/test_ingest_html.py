"""HTML ingest: the article body without the page chrome, plus the page's metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import sourcetrace
from sourcetrace import ingest
from sourcetrace.errors import InputError
from sourcetrace.ingest.html import looks_like_html

DATA = Path(__file__).parent / "data"
PAGE = DATA / "atacms-kursk.html"  # the atacms article inside a page with menu, cookie banner, caption, footer
TXT = DATA / "atacms-kursk-2024-11-24.txt"

CHROME = [
    "Home", "Business", "Subscribe", "cookies", "Accept all", "Aftermath of rocket attack", "Sputnik",
    "Valery Melnikov", "Read more", "Pentagon weighs", "All rights reserved", "Privacy policy", "Contact us",
]


def _txt_body_paragraphs() -> list[str]:
    """The body paragraphs of the plain-text version: after dateline, headline and photo block; minus 'Source link'."""
    paragraphs = [p.strip() for p in TXT.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body = paragraphs[3:]
    body[-1] = body[-1].removesuffix("Source link").strip()
    return body


def test_page_yields_the_same_body_text_as_the_plain_text_version():
    article = ingest.from_html(PAGE.read_text(encoding="utf-8"))
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == "NYT reports: Biden approves Ukrainian strikes deep into Russia with US missiles"
    assert paragraphs[1:] == _txt_body_paragraphs()
    for junk in CHROME:
        assert junk not in article.text, junk


def test_page_metadata():
    article = ingest.from_html(PAGE.read_bytes())
    assert article.title == "NYT reports: Biden approves Ukrainian strikes deep into Russia with US missiles"
    assert article.outlet == "World Desk"
    assert article.published == dt.date(2024, 11, 24)
    assert article.authors == ["Jane Roe"]
    assert article.url == "https://worlddesk.example/news/atacms-kursk"
    assert article.language == "en"


def test_caller_metadata_overrides_the_page():
    article = ingest.from_html(PAGE.read_text(encoding="utf-8"), outlet="RT", published="2024-11-17")
    assert article.outlet == "RT" and article.published == dt.date(2024, 11, 17)


def test_malformed_html_does_not_crash():
    broken = (
        "<html><head><title>Council row</title></head><body><div><p>The council said on Monday that the bridge "
        "would stay closed until June, after engineers found corrosion in its cables.<p>The mayor told "
        "reporters that safety came first <b>and was <i>not negotiable.</div></span></p></table>"
        "<p>Critics said the council had delayed the inspections to save money, which it denied"
    )
    article = ingest.from_html(broken)
    assert "corrosion in its cables" in article.text
    assert "<" not in article.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><footer>© 2024</footer></body></html>",
        "<html><head><title>Empty</title></head><body></body></html>",
        "<html><body><script>var article = 'rendered by JavaScript';</script></body></html>",
        "<<<>>><html<<body>></p></div>",
    ],
)
def test_pages_without_article_text_are_refused(page):
    with pytest.raises(InputError, match="article text|empty"):
        ingest.from_html(page)


def test_charset_declared_in_the_page_is_honoured():
    page = (
        "<html><head><meta charset='windows-1252'><title>Caf\xe9 row</title></head><body><article>"
        "<p>The caf\xe9 owner said on Monday that the council had \x93ignored\x94 his complaints about the "
        "road works outside his shop for months.</p><p>A council spokesperson said the works would end in June, "
        "as planned, and that the owner had been consulted.</p></article></body></html>"
    ).encode("latin-1")
    article = ingest.from_bytes(page)
    assert "café owner" in article.text and "“ignored”" in article.text


def test_non_english_page_is_refused():
    page = (
        "<html lang='de'><body><article><p>Die Bundesregierung hat am Montag erklärt, dass die Brücke nicht vor "
        "Juni wieder geöffnet wird, sagte ein Sprecher des Ministeriums.</p><p>Die Opposition kritisierte die "
        "Entscheidung und forderte eine Untersuchung der Verzögerungen.</p></article></body></html>"
    )
    with pytest.raises(InputError, match="German"):
        ingest.from_html(page)


def test_html_is_sniffed():
    assert looks_like_html(PAGE.read_bytes())
    assert looks_like_html("<p>The minister said so.</p><p>Others disagreed.</p>")
    assert not looks_like_html(TXT.read_text(encoding="utf-8"))
    assert not looks_like_html("Use <b> for bold, the style guide says.")


def test_load_picks_html_by_extension_and_by_content(tmp_path):
    assert ingest.load(PAGE).outlet == "World Desk"
    disguised = tmp_path / "page.txt.bak"
    disguised.write_bytes(PAGE.read_bytes())
    assert "cookies" not in ingest.load(disguised).text
    as_text = ingest.load(PAGE, html=False)  # forced text mode keeps the markup as characters
    assert "<article>" in as_text.text


def test_analyze_accepts_html():
    article = sourcetrace.analyze(PAGE.read_text(encoding="utf-8"))
    assert article.outlet == "World Desk"
    assert "cookies" not in article.text
    assert article.text.startswith("NYT reports")
