"""Story and claim pages, and the article view's link from each statement to its claim (server-rendered HTML)."""

from __future__ import annotations

import re
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sourcetrace.api import create_app
from sourcetrace.store import Store
from test_provenance import COURIER, LEDGER, POST, link_samples
from trace_support import ingest_stories


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("web") / "store.db")
    urls = ingest_stories(store, "kalvaria-border", "brenmouth-explosion")
    link_samples(store, urls)
    with TestClient(create_app(store=store), raise_server_exceptions=False) as c:
        yield c, urls
    store.close()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_claim_page_shows_timeline_graph_origins_contradictions_and_figures(web):
    client, urls = web
    resp = client.get("/web/claims/c-tanks")
    assert resp.status_code == 200 and "script-src 'self'" in resp.headers["content-security-policy"]
    html, text = resp.text, _text(resp.text)
    assert "6 outlets, 1 independent origin: people familiar with the matter (anonymous) via The Ledger." in text
    first = re.search(r'<li class="first" data-article="(\d+)">', html)
    assert first and int(first.group(1)) == urls[LEDGER]
    assert html.index(f'data-article="{urls[LEDGER]}"') < html.index(f'data-article="{urls[POST]}"')
    assert "<svg" in html and "The Morning Courier → The Ledger" in text and "The Ledger → people familiar with the matter via The Ledger" in text
    assert "The Morning Courier → people familiar" not in text  # it rests on The Ledger, not on the origin directly
    assert "Petra Linden" in text and "that any tanks had been moved" in text
    assert 'class="figures conflict"' in html and "tank: conflicting" in text


def test_story_page_lists_articles_and_claims(web):
    client, _ = web
    text = _text(client.get("/web/stories/s-brenmouth").text)
    assert "6 articles · 2 claims" in text and "4 outlets, 4 independent origins" in text and "figures disagree" in text
    assert "Kalvaria moves tanks" in _text(client.get("/web/stories").text)


def test_article_view_links_each_statement_to_its_claim(web):
    client, urls = web
    html = client.get(f"/web/articles/{urls[COURIER]}").text
    assert 'href="http://testserver/web/claims/c-tanks"' in html
    assert "also carried by 5 outlets; first: The Ledger, 2025-03-03" in _text(html)
    assert "also carried by 5 outlets; first here" in _text(client.get(f"/web/articles/{urls[LEDGER]}").text)


def test_unknown_story_and_claim_are_404_pages(web):
    client, _ = web
    for path in ("/web/claims/c-nope", "/web/stories/s-nope", "/web/claims/" + "x" * 60):
        resp = client.get(path)
        assert resp.status_code == 404 and "No such" in resp.text
