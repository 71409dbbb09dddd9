"""The web pages without a browser: view model, chain graph, rendering, escaping, headers."""

from __future__ import annotations

from markupsafe import escape
import re

import pytest
from fastapi import FastAPI, Request
from dbfixtures import db_url  # noqa: F401  (fixture: SQLite and PostgreSQL)
from fastapi.testclient import TestClient
from web_fixtures import TEXT, built_article, only_attributions, span

from sourcetrace.model import Article, Attribution, Span
from sourcetrace.web import graph, view
from sourcetrace.web.routes import article_context, mount, templates
from fixture_files import data_dir


def _client_for(article: Article) -> TestClient:
    """The web pages plus one route that shows a fixed article (no model, no store)."""
    app = FastAPI()

    @app.get("/web/fixed")
    def fixed(request: Request):
        return templates.TemplateResponse(request, "article.html", {"stored": True, **article_context(article)})

    return TestClient(mount(app))


def _paragraph_texts(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("make", [built_article, lambda: only_attributions(built_article())])
def test_segments_reproduce_the_text_exactly(make):
    article = make()
    rebuilt = ["".join(s.text for u in para for s in u.segments) for para in view.paragraphs(article)]
    assert rebuilt == _paragraph_texts(article.text)


def test_roles_and_statements_are_marked():
    article = built_article()
    units = [u for para in view.paragraphs(article) for u in para]
    roles = {s.text: s.roles for u in units for s in u.segments}
    assert roles["has claimed"] == ("cue",)
    assert roles["the New York Times (NYT)"] == ("source",)
    assert roles["reportedly"] == ("content", "hedge")
    assert roles["anonymous officials in Washington"] == ("source",)

    by_text = {"".join(s.text for s in u.segments): u for u in units if u.id}
    claimed = next(u for t, u in by_text.items() if "has claimed" in t)
    assert claimed.own_voice is False and claimed.certainty == "hedged"
    assert claimed.attributions[0].chain == ["RT", "New York Times", "anonymous officials in Washington"]
    assert claimed.attributions[0].source_type == "media"
    own = next(u for t, u in by_text.items() if "214kg" in t)
    assert own.own_voice is True and own.attributions == []


def test_chain_starts_with_a_generic_outlet_when_none_is_known():
    article = built_article(outlet=None)
    info = view.describe(article, article.attributions[0])
    assert info.chain[0] == "the outlet"


def test_source_groups_count_named_anonymous_documents():
    groups = view.source_groups(built_article())
    assert [r.name for r in groups["named"]] == ["New York Times"]
    assert [r.name for r in groups["anonymous"]] == ["anonymous officials in Washington"]
    assert [r.name for r in groups["documents"]] == ["Russian military estimates"]
    assert groups["named"][0].statements == 1


def test_without_claim_data_sources_come_from_the_source_words():
    groups = view.source_groups(only_attributions(built_article()))
    assert {r.name for r in groups["named"]} == {
        "the New York Times (NYT)", "anonymous officials in Washington", "Russian military estimates"}
    assert groups["anonymous"] == [] and groups["documents"] == []


def test_figures_say_who_gives_them():
    figs = {f.text: f.given_by for f in view.figures(built_article())}
    assert figs["over 32,600 casualties"] == "RT ← Russian military estimates"
    assert figs["214kg"] == "RT (own voice)"


def test_chain_graph_links_outlet_to_media_to_anonymous_origin():
    g = graph.chain_graph(built_article())
    edges = {(e.parent.name, e.child.name): e.count for e in g.edges}
    assert edges == {
        ("RT", "New York Times"): 2,
        ("New York Times", "anonymous officials in Washington"): 2,
        ("RT", "Russian military estimates"): 1,
    }
    depth = {n.name: n.depth for n in g.nodes}
    assert depth == {"RT": 0, "New York Times": 1, "anonymous officials in Washington": 2,
                     "Russian military estimates": 1}
    assert all(0 <= n.x and n.x + g.node_w <= g.width and n.y + g.node_h <= g.height for n in g.nodes)


def test_no_attributions_no_graph():
    assert graph.chain_graph(Article(text="Nothing attributed here.")) is None


def test_article_page_shows_statements_chain_panel_and_graph():
    r = _client_for(built_article()).get("/web/fixed")
    assert r.status_code == 200
    page = r.text
    body = page.split('id="article-body"')[1].split("</div>")[0]
    assert body.count('class="stmt attr') == 2 and 'class="stmt own' in body
    assert re.search(r'<span class="count" data-group="anonymous">1</span>', page)
    assert "RT</span> <span aria-label=\"cites\">←</span> <span class=\"link\">New York Times" in page
    assert "<svg" in page and "anonymous officials in Washington (anonymous)" in page
    assert "over 32,600 casualties" in page and "RT ← Russian military estimates" in page


def test_security_headers_on_pages_and_static_files():
    client = _client_for(built_article())
    for path in ("/web/fixed", "/web/", "/web/static/site.css", "/web/static/site.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/", follow_redirects=False).headers["location"] == "/web/"


HOSTILE = (
    'Officials said <script>document.title="pwned"</script> and <img src=x onerror="alert(1)"> '
    "were found.\n\n<b>not bold</b> & </p></span></mark> said the mayor.\n"
)


def test_hostile_text_is_escaped_everywhere():
    text = HOSTILE
    hostile = Attribution(
        id="x1",
        source=[span(text, "<b>not bold</b>")],
        cue=[span(text, "said the")],
        content=[span(text, "<script>document.title=\"pwned\"</script>")],
    )
    article = Article(text=text, title="<script>alert(1)</script>", outlet="<i>Outlet</i>",
                      url="javascript:alert(1)", attributions=[hostile])
    page = _client_for(article).get("/web/fixed").text
    for raw in ("<script>document", "<img src=x", "<b>not bold", "<i>Outlet", "</p></span></mark>", "javascript:"):
        assert raw not in page
    assert str(escape('<script>document.title="pwned"</script>')) in page
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page
    # the only script element is our own static file
    assert re.findall(r"<script[^>]*>", page) == ['<script src="http://testserver/web/static/site.js" defer>']


def test_analyze_form_reports_bad_input_clearly():
    client = TestClient(mount(FastAPI()))
    r = client.post("/web/analyze", data={"text": "   "})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "empty" in r.text


def test_store_button_needs_a_store():
    client = TestClient(mount(FastAPI()))
    assert "Analyze and store" not in client.get("/web/").text


# -- corpus pages over a real store -------------------------------------------------

@pytest.fixture
def corpus(db_url):  # noqa: F811
    from sourcetrace.store import Store

    store = Store.open(db_url)
    first = built_article()
    first.published = __import__("datetime").date(2024, 11, 24)
    second = built_article(outlet="Kyiv Independent")
    second.text = second.text.replace("Biden approves strikes\n", "Biden approves strike!\n", 1)
    second.title = "Strike approval"
    ids = [store.save(first).id, store.save(second).id]
    yield store, ids
    store.close()


def test_article_list_and_stored_article(corpus):
    store, ids = corpus
    client = TestClient(mount(FastAPI(), store=store))
    listing = client.get("/web/articles").text
    assert "Strike approval" in listing and "Kyiv Independent" in listing
    assert client.get("/web/articles?outlet=RT").text.count("/web/articles/") == 1
    page = client.get(f"/web/articles/{ids[0]}").text
    assert 'data-group="anonymous">1<' in page and "Stored as article" in page
    assert client.get("/web/articles/99999").status_code == 404


def test_source_page_lists_statements_across_outlets(corpus):
    store, _ = corpus
    client = TestClient(mount(FastAPI(), store=store))
    r = client.get("/web/sources?name=New York Times", follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "<h1>New York Times</h1>" in page
    assert "RT" in page and "Kyiv Independent" in page  # both outlets carry it
    assert page.count("<blockquote>") == 2
    assert '<time datetime="2024-11-24">' in page


def test_search_filters_and_errors(corpus):
    store, _ = corpus
    client = TestClient(mount(FastAPI(), store=store))
    media = client.get("/web/search", params={"q": "strikes", "source_type": "media"}).text
    own = client.get("/web/search", params={"q": "strikes", "own_voice": "yes"}).text
    everything = client.get("/web/search", params={"q": "strikes"}).text
    n = lambda page: int(re.search(r'data-count="hits">(\d+)<', page).group(1))  # noqa: E731
    assert n(media) == 2 and n(own) >= 1 and n(media) + n(own) == n(everything)
    assert "New York Times</a>" in media and "(own voice)" in own
    assert n(client.get("/web/search", params={"q": "strikes", "outlet": "nowhere"}).text) == 0
    bad = client.get("/web/search", params={"q": "x", "date_from": "2024-12-01", "date_to": "2024-01-01"})
    assert bad.status_code == 422 and "swap them" in bad.text
    assert client.get("/web/search").status_code == 200  # the empty form


def test_store_button_needs_same_origin_and_token(corpus):
    store, _ = corpus
    client = TestClient(mount(FastAPI(), store=store, token="s3cret"))
    form = {"text": "The minister said the bridge would reopen on Monday.", "action": "store"}
    assert client.post("/web/analyze", data=form, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post("/web/analyze", data=form).status_code == 401
    r = client.post("/web/analyze", data={**form, "token": "s3cret"}, follow_redirects=False)
    assert r.status_code == 303
    assert "reopen" in client.get(r.headers["location"]).text


def test_url_field_takes_only_web_addresses_and_refuses_private_hosts():
    client = TestClient(mount(FastAPI()))
    for bad in ("/etc/passwd", "file:///etc/passwd"):
        r = client.post("/web/analyze", data={"url": bad})
        assert r.status_code in (400, 422) and 'role="alert"' in r.text
        assert "root:" not in r.text
    r = client.post("/web/analyze", data={"url": "http://127.0.0.1:9/article"})
    assert r.status_code == 400 and 'role="alert"' in r.text


def test_mount_uses_the_api_apps_store_and_token(corpus):
    store, _ = corpus
    app = FastAPI()
    app.state.store, app.state.token = store, "t0k"
    client = TestClient(mount(app))
    assert "Stored articles" in client.get("/web/articles").text
    assert 'name="token"' in client.get("/web/").text


def test_analyze_a_url_when_private_fetching_is_allowed(tmp_path):
    import functools
    import http.server
    import threading
    from pathlib import Path

    page_html = (data_dir() / "atacms-kursk.html").read_bytes()
    (tmp_path / "a.html").write_bytes(page_html)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/a.html"
        refused = TestClient(mount(FastAPI())).post("/web/analyze", data={"url": url})
        assert refused.status_code == 400
        r = TestClient(mount(FastAPI(), allow_private_fetch=True)).post("/web/analyze", data={"url": url})
        assert r.status_code == 200
        assert 'id="article-body"' in r.text and "ATACMS" in r.text
    finally:
        httpd.shutdown()


def test_the_api_app_serves_the_pages_with_its_store(tmp_path):
    from sourcetrace.api.app import create_app

    client = TestClient(create_app(db_url=str(tmp_path / "api.db"), token="t0k"))
    assert "Stored articles" in client.get("/web/articles").text
    assert 'name="token"' in client.get("/web/").text
    assert "script-src 'self'" in client.get("/docs").headers["content-security-policy"]  # Swagger UI, served locally


def test_a_statement_cut_by_a_line_break_keeps_unique_ids():
    from sourcetrace.model import Statement

    text = "The mayor said the bridge\nwould reopen on Monday.\n"
    article = Article(text=text, statements=[Statement(id="s1", span=Span(start=0, end=len(text) - 1), own_voice=True)])
    ids = [u.id for para in view.paragraphs(article) for u in para if u.id]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_search_pages_keep_the_filters(corpus):
    store, _ = corpus
    client = TestClient(mount(FastAPI(), store=store))
    query = {"q": "strikes OR operation", "outlet": "RT", "per_page": "1"}
    first = client.get("/web/search", params=query).text
    total = int(re.search(r'data-count="hits">(\d+)<', first).group(1))
    assert total >= 2 and f"Page 1 of {total}" in first
    nxt = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "outlet=RT" in nxt and "page=2" in nxt
    second = client.get(nxt).text
    assert f"Page 2 of {total}" in second
    texts = lambda page: re.findall(r"<blockquote>(.*?)</blockquote>", page, re.S)  # noqa: E731
    assert texts(first) != texts(second)


def test_pasted_html_is_read_as_an_article_page():
    from pathlib import Path

    page_html = (data_dir() / "atacms-kursk.html").read_text(encoding="utf-8")
    r = TestClient(mount(FastAPI())).post("/web/analyze", data={"text": page_html, "fmt": "auto"})
    assert r.status_code == 200
    body = r.text.split('id="article-body"')[1].split("</div>")[0]
    assert "ATACMS" in body and "&lt;p" not in body and "<script" not in body
    assert "Accept all cookies" not in body  # boilerplate is dropped by ingest
