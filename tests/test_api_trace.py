"""``/stories`` and ``/claims``: provenance over HTTP, paginated, in the API's one error shape."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sourcetrace.api import create_app
from sourcetrace.store import Store
from test_api import assert_error
from test_provenance import LEDGER, link_samples
from trace_support import ingest_stories


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("api") / "store.db")
    link_samples(store, ingest_stories(store, "kalvaria-border", "brenmouth-explosion"))
    with TestClient(create_app(store=store), raise_server_exceptions=False) as c:
        yield c
    store.close()


def test_stories_are_listed_and_paged(client):
    body = client.get("/stories", params={"per_page": 1}).json()
    assert body["total"] == 2 and body["per_page"] == 1 and len(body["items"]) == 1
    assert body["items"][0]["id"] == "s-kalvaria"  # seven articles before six
    second = client.get("/stories", params={"per_page": 1, "page": 2}).json()
    assert [s["id"] for s in second["items"]] == ["s-brenmouth"]


def test_one_story_lists_articles_and_claims(client):
    story = client.get("/stories/s-brenmouth").json()
    assert story["claims"] == ["c-injured", "c-gas"] and len(story["articles"]) == 6
    assert story["articles"][0]["published"] == "2025-06-10"


def test_claims_carry_full_provenance(client):
    page = client.get("/claims", params={"q": "tanks"}).json()
    assert page["total"] == 1
    claim = page["items"][0]
    assert claim["id"] == "c-tanks" and claim["single_origin"] and claim["first"]["url"] == LEDGER
    assert client.get("/claims/c-tanks").json() == claim
    assert [c["id"] for c in client.get("/claims", params={"story_id": "s-brenmouth"}).json()["items"]] == ["c-injured", "c-gas"]


def test_unknown_and_bad_ids_get_the_error_shape(client):
    assert "/claims" in assert_error(client.get("/claims/c-nope"), 404)["message"]
    assert_error(client.get("/stories/s-nope"), 404)
    assert_error(client.get("/claims/bad%20id!"), 422)
    assert_error(client.get("/stories", params={"per_page": 0}), 422)
    assert_error(client.get("/claims", params={"page": "x"}), 422)


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/stories", "/stories/{story_id}", "/claims", "/claims/{claim_id}"} <= set(paths)
    assert "ClaimTrace" in client.get("/openapi.json").json()["components"]["schemas"]


def test_a_store_never_linked_answers_empty_pages(tmp_path):
    store = Store.open(tmp_path / "empty.db")
    with TestClient(create_app(store=store), raise_server_exceptions=False) as c:
        assert c.get("/claims").json() == {"total": 0, "page": 1, "per_page": 20, "items": []}
        assert c.get("/stories").json()["total"] == 0
        assert_error(c.get("/claims/c-1"), 404)
    store.close()
