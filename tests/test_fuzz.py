"""Property-based fuzzing (issue #11): ingest, the extractor and claim stage, and the API.

Whatever the input, the answer is an Article or a SourcetraceError (one clear
message) in the library, and never a 5xx in the API. The CI profile is short;
``make fuzz`` runs the long one (``SOURCETRACE_FUZZ=long``) and prints
Hypothesis's statistics: the counts and timings are in BENCHMARKS.md.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcetrace import ingest
from sourcetrace.analyze import analyze
from sourcetrace.errors import SourcetraceError
from sourcetrace.model import Article

PROFILE = os.environ.get("SOURCETRACE_FUZZ", "ci")
EXAMPLES = {  # examples per test (per API operation for the schema tests)
    "ci": {"bytes": 60, "html": 40, "text": 12, "api": 6},
    "long": {"bytes": 3000, "html": 1500, "text": 400, "api": 150},
}[PROFILE]


def fuzz(kind: str):
    return settings(
        max_examples=EXAMPLES[kind], deadline=None, derandomize=PROFILE == "ci", database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def check_article(article: Article) -> None:
    """Every span points into the text, and the Article serialises."""
    n = len(article.text)
    for att in article.attributions:
        for span in (*att.source, *att.cue, *att.content):
            assert 0 <= span.start <= span.end <= n
    for st_ in article.statements:
        assert 0 <= st_.span.start <= st_.span.end <= n
    article.model_dump_json()


def analysed_or_refused(make) -> Article | None:
    try:
        article = make()
    except SourcetraceError as exc:  # a clear, one-line refusal is a fine answer
        assert str(exc) and "\n" not in str(exc).strip()
        return None
    check_article(article)
    return article


# ------------------------------------------------------------------ ingest: bytes, encodings, HTML

ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r"])


@fuzz("bytes")
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda t, enc: t.encode(enc, "replace"), st.text(max_size=800), ENCODINGS),
    st.builds(lambda head, t: head + t.encode(), st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF", b"\x00", b""]),
              st.text(max_size=400)),
))
def test_ingest_bytes_never_crash(data):
    try:
        article = ingest.from_bytes(data, force=True)
    except SourcetraceError:
        return
    assert "\x00" not in article.text


TAGS = st.sampled_from(["p", "div", "article", "script", "style", "a", "b", "table", "td", "title", "h1", "q",
                        "blockquote", "br", "meta", "svg", "iframe", "noscript", "template", "!--", "![CDATA["])
HTML_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)


@st.composite
def html_pages(draw):
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(TAGS)
        attrs = draw(st.sampled_from(["", ' class="x"', " charset='utf-8'", ' href="javascript:alert(1)"', " lang=zz",
                                      ' content="0; url=http://127.0.0.1/"', " onerror=alert(1)", ' a="unclosed']))
        closed = draw(st.booleans())
        parts.append(f"<{tag}{attrs}>{draw(HTML_TEXT)}" + (f"</{tag}>" if closed else ""))
        parts.append(draw(st.sampled_from(["", "&amp;", "&#0;", "&#xD800;", "&bogus;", "<", ">", "\u202e", "\n"])))
    return draw(st.sampled_from(["", "<!doctype html>", "<?xml version='1.0'?>"])) + "<html>" + "".join(parts)


@fuzz("html")
@given(page=html_pages())
def test_ingest_html_never_crashes(page):
    try:
        ingest.from_html(page, force=True)
    except SourcetraceError:
        pass


# ------------------------------------------------------------------ the extractor and claim stage

SPEAKERS = ["The mayor", "officials", "She", "A spokesman for the ministry", "Vladimir Putin", "the New York Times",
            "anonymous sources", "He", "“The minister”", "Dr. O'Brien"]
CUES = ["said", "told reporters", "claimed", "denied", "according to", "said that", "warned", "insisted",
        "reportedly", "added:", "citing"]
OPEN = ['"', "“", "‘", "«", "''", "``", "„", "「"]
CLOSE = ['"', "”", "’", "»", "''", "", "“", "」"]
ODD = ["\u200b", "\u200f", "\u202e", "\ufeff", "\u0301", "🇺🇦", "\u00a0", "\t", "\r\n", "\x0b", "ﬁ", "İ", "ß", "∞",
       "Ωμέγα", "مرحبا", "中文", "…", "—", "’s"]
WORDS = ["the plan would fail", "the bridge will reopen on Monday", "no decision had been taken", "over 32,600 casualties",
         "it was likely to rain", "he would often visit", "if they agree", "in 2024", "last Tuesday"]


@st.composite
def adversarial_english(draw):
    pieces = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.integers(0, 6))
        if kind == 0:
            pieces.append(f"{draw(st.sampled_from(SPEAKERS))} {draw(st.sampled_from(CUES))} {draw(st.sampled_from(WORDS))}")
        elif kind == 1:  # quotes: nested, unbalanced, mismatched
            pieces.append(draw(st.sampled_from(OPEN)) * draw(st.integers(0, 3)) + draw(st.sampled_from(WORDS))
                          + draw(st.sampled_from(CLOSE)) * draw(st.integers(0, 3)))
        elif kind == 2:  # a long clause chain
            clause = f"{draw(st.sampled_from(SPEAKERS))} {draw(st.sampled_from(CUES))} that"
            pieces.append(", and ".join([clause] * draw(st.integers(2, 60))) + " " + draw(st.sampled_from(WORDS)))
        elif kind == 3:
            pieces.append(draw(st.sampled_from(ODD)))
        elif kind == 4:
            pieces.append(draw(st.sampled_from([".", ",", ";", ":", "?!", "\n", "\n\n", "...", " -- ", "(", ")"])))
        elif kind == 5:
            pieces.append(draw(st.sampled_from(OPEN + CLOSE)) * draw(st.integers(1, 400)))
        else:
            pieces.append(draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=30)))
    return " ".join(pieces)


@fuzz("text")
@given(text=adversarial_english(), extractor=st.sampled_from(["default", "hybrid-crf", "rules"]))
def test_analysis_of_adversarial_english_never_crashes(text, extractor):
    analysed_or_refused(lambda: analyze(text, language="en", html=False, extractor=extractor))


# ------------------------------------------------------------------ the API, from its OpenAPI schema

def _api_app():
    from sourcetrace.api import create_app

    folder = tempfile.mkdtemp(prefix="sourcetrace-fuzz-")
    atexit.register(shutil.rmtree, folder, True)
    app = create_app(os.path.join(folder, "store.db"), request_timeout=60)
    from fastapi.testclient import TestClient

    with TestClient(app) as client:  # something to read: articles, sources, statements
        client.post("/ingest", json={"articles": [
            {"text": "The harbour authority said the bridge would reopen on Monday.", "outlet": "Harbour News"},
            {"text": "Vladimir Putin said the talks had failed, according to the Kremlin.", "outlet": "Wire"},
        ]})
    return app


def _no_fetching(host: str) -> list[str]:  # the fuzzer's URLs must not reach the network
    return []


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

from sourcetrace.ingest import fetch as _fetch  # noqa: E402

API = schemathesis.openapi.from_asgi("/openapi.json", _api_app())


@pytest.fixture(autouse=True, scope="module")
def offline():
    real, _fetch.system_resolver = _fetch.system_resolver, _no_fetching
    yield
    _fetch.system_resolver = real


@API.parametrize()
@fuzz("api")
def test_api_never_answers_5xx(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if response.status_code >= 400 and response.headers.get("content-type", [""])[0].startswith("application/json"):
        assert set(response.json()) == {"error"}
