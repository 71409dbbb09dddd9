"""The HTTP API on SQLite and PostgreSQL: analyse, ingest, read, search, errors, token, body limit, SSRF."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from articles_factory import Claim, build
from dbfixtures import db_url  # noqa: F401  (fixture)
from local_http import local_server  # noqa: F401  (fixture)
from sourcetrace.api import create_app
from sourcetrace.model import Certainty, SourceType

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "The harbour authority said the bridge would reopen on Monday. Engineers claimed the repairs were finished."


@pytest.fixture
def client(db_url):  # noqa: F811
    app = create_app(db_url, token=TOKEN, max_body_bytes=20_000)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.store.close()


@pytest.fixture
def open_client(db_url):  # noqa: F811
    """No token configured: writes are open (the loopback-only default)."""
    app = create_app(db_url)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.store.close()


def assert_error(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert err["status"] == status and isinstance(err["message"], str) and err["message"]
    return err


def test_analyze_returns_article_without_storing(client):
    resp = client.post("/analyze", json={"text": TEXT, "outlet": "Harbour News"})
    assert resp.status_code == 200
    article = resp.json()
    assert article["text"] == TEXT and article["outlet"] == "Harbour News"
    assert any(a["cue"][0]["text"] == "said" for a in article["attributions"])
    assert client.get("/articles").json()["total"] == 0


def test_analyze_html(client):
    html = "<html><head><title>Bridge</title></head><body><article><p>" + TEXT + "</p></article></body></html>"
    resp = client.post("/analyze", json={"html": html})
    assert resp.status_code == 200 and "bridge would reopen" in resp.json()["text"]


def test_storing_needs_the_token(client):
    body = {"text": TEXT, "url": "https://harbour.example/1", "store": True}
    assert_error(client.post("/analyze", json=body), 401)
    assert_error(client.post("/analyze", json=body, headers={"Authorization": "Bearer wrong"}), 403)
    assert_error(client.post("/analyze", json=body, headers={"Authorization": TOKEN}), 401)  # no scheme
    first = client.post("/analyze", json=body, headers=AUTH)
    assert first.status_code == 200
    again = client.post("/analyze", json=body, headers=AUTH)
    assert again.json()["id"] == first.json()["id"]
    assert client.get("/articles").json()["total"] == 1
    assert_error(client.post("/ingest", json={"articles": [{"text": TEXT}]}), 401)


def test_writes_are_open_without_a_configured_token(open_client):
    resp = open_client.post("/ingest", json={"articles": [{"text": TEXT, "url": "https://harbour.example/2"}]})
    assert resp.status_code == 200 and resp.json()["stored"] == 1


def test_ingest_endpoint_reports_each_item_and_is_idempotent(client):
    body = {"articles": [{"text": TEXT, "url": "https://harbour.example/1"}, {"text": "   "}, {"html": "<html></html>"}]}
    resp = client.post("/ingest", json=body, headers=AUTH)
    assert resp.status_code == 200
    data = resp.json()
    assert (data["stored"], data["skipped"], data["failed"]) == (1, 0, 2)
    outcomes = {r["ref"]: r for r in data["results"]}
    assert outcomes["articles[0]"]["outcome"] == "stored" and outcomes["articles[0]"]["id"]
    assert outcomes["articles[1]"]["outcome"] == "failed" and outcomes["articles[1]"]["error"]
    again = client.post("/ingest", json=body, headers=AUTH).json()
    assert (again["stored"], again["skipped"]) == (0, 1)
    assert again["results"][0]["id"] == outcomes["articles[0]"]["id"]
    assert_error(client.post("/ingest", json={}, headers=AUTH), 422)


@pytest.fixture
def stored(client):
    """Two articles stored through the library, read back through the API."""
    store = client.app.state.store
    a = store.save(
        build(
            [
                Claim("Russian President Vladimir Putin", "the bridge will be rebuilt", type=SourceType.government),
                Claim("officials", "the bridge was hit", type=SourceType.anonymous, anonymous=True, certainty=Certainty.hedged),
            ],
            outlet="Daily Planet",
            url="https://planet.example/1",
        )
    )
    b = store.save(build([Claim("Putin", "sanctions failed", entity_name="Putin")], outlet="Morning Star", url="https://star.example/1"))
    return a.id, b.id


def test_read_articles_and_attributions(client, stored):
    a, _ = stored
    listing = client.get("/articles", params={"per_page": 1}).json()
    assert listing["total"] == 2 and len(listing["items"]) == 1
    assert client.get("/articles", params={"outlet": "daily planet"}).json()["total"] == 1
    article = client.get(f"/articles/{a}").json()
    assert article == client.app.state.store.get_article(a).model_dump(mode="json")
    atts = client.get(f"/articles/{a}/attributions").json()
    assert [x["id"] for x in atts] == ["a1", "a2"]
    assert client.get(f"/articles/{a}/attributions/a2").json()["certainty"] == "hedged"
    assert_error(client.get(f"/articles/{a}/attributions/zz"), 404)
    assert_error(client.get("/articles/987654"), 404)
    assert_error(client.get("/articles/abc"), 422)
    assert_error(client.get("/articles/0"), 422)


def test_sources_statements_and_outlets(client, stored):
    page = client.get("/sources", params={"name": "Putin"}).json()
    assert page["total"] == 1
    putin = page["items"][0]
    assert putin["name"] == "Vladimir Putin" and putin["statements"] == 2
    assert client.get(f"/sources/{putin['id']}").json()["name"] == "Vladimir Putin"
    statements = client.get(f"/sources/{putin['id']}/statements").json()
    assert sorted(s["text"] for s in statements["items"]) == ["sanctions failed", "the bridge will be rebuilt"]
    outlets = client.get(f"/sources/{putin['id']}/outlets").json()
    assert {o["outlet"] for o in outlets} == {"Daily Planet", "Morning Star"}
    assert_error(client.get("/sources/99999"), 404)
    assert_error(client.get("/sources/99999/outlets"), 404)


def test_search_endpoint_filters_and_pages(client, stored):
    assert client.get("/search", params={"q": "bridge"}).json()["total"] == 2
    assert client.get("/search", params={"q": "bridge", "anonymous": "true"}).json()["items"][0]["text"] == "the bridge was hit"
    assert client.get("/search", params={"source": "putin"}).json()["total"] == 2
    assert client.get("/search", params={"source_type": "government"}).json()["total"] == 1
    assert client.get("/search", params={"outlet": "Morning Star"}).json()["total"] == 1
    assert client.get("/search", params=[("certainty", "hedged"), ("certainty", "denied")]).json()["total"] == 1
    assert client.get("/search", params={"date_from": "2024-11-01", "date_to": "2024-11-30"}).json()["total"] == 3
    page2 = client.get("/search", params={"per_page": 2, "page": 2, "sort": "newest"}).json()
    assert page2["total"] == 3 and len(page2["items"]) == 1
    assert_error(client.get("/search", params={"per_page": 0}), 422)
    assert_error(client.get("/search", params={"certainty": "sure"}), 422)
    assert_error(client.get("/search", params={"date_from": "2024-12-01", "date_to": "2024-01-01"}), 422)
    assert_error(client.get("/search", params={"date_from": "yesterday"}), 422)
    assert_error(client.get("/search", params={"q": "the"}), 422)


def test_bad_input_gets_clear_4xx(client):
    assert_error(client.post("/analyze", content=b"{not json", headers={"content-type": "application/json"}), 422)
    assert_error(client.post("/analyze", json={}), 422)
    assert_error(client.post("/analyze", json={"text": "a", "html": "<p>a</p>"}), 422)
    assert_error(client.post("/analyze", json={"text": 42}), 422)
    assert_error(client.post("/analyze", json={"text": "   "}), 422)
    assert_error(client.post("/analyze", json={"text": "abc\x00def"}), 422)
    assert_error(client.post("/analyze", json={"text": TEXT, "published": "last week"}), 422)
    err = assert_error(client.post("/analyze", content=b"\xff\xfe\x00binary", headers={"content-type": "application/json"}), 400)
    assert "UTF-8 JSON" in err["message"]
    assert_error(client.post("/analyze", json=["a list"]), 422)
    assert_error(client.get("/nowhere"), 404)
    assert_error(client.delete("/articles/1"), 405)


def test_oversized_bodies_get_413(client):
    big = {"text": "word " * 10_000}
    assert_error(client.post("/analyze", json=big), 413)

    def chunks():  # no Content-Length: counted while read
        for _ in range(30):
            yield b"x" * 1000

    assert_error(client.post("/analyze", content=chunks(), headers={"content-type": "application/json"}), 413)
    assert_error(client.post("/ingest", json={"articles": [big]}, headers=AUTH), 413)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/admin",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
    ],
)
def test_server_refuses_to_fetch_private_targets(client, url):
    err = assert_error(client.post("/analyze", json={"url": url}), 400)
    assert url.split("/")[0].rstrip(":") in err["message"] or "Refused" in err["message"] or "http" in err["message"]
    data = client.post("/ingest", json={"urls": [url]}, headers=AUTH).json()
    assert data["failed"] == 1 and data["results"][0]["error"]


def test_private_fetch_is_opt_in(db_url, local_server):  # noqa: F811
    url = f"{local_server}/plain.txt"
    for allow, status in ((False, 400), (True, 200)):
        app = create_app(db_url, allow_private_fetch=allow)
        with TestClient(app, raise_server_exceptions=False) as c:
            resp = c.post("/analyze", json={"url": url})
            assert resp.status_code == status, resp.text
            if allow:
                assert "bridge" in resp.json()["text"].lower() and resp.json()["url"] == url
        app.state.store.close()


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/analyze", "/ingest", "/articles/{article_id}", "/sources", "/search"} <= set(paths)


def test_serve_command_listens_on_loopback_with_token(db_url, tmp_path):  # noqa: F811
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "SOURCETRACE_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sourcetrace", "serve", "--port", str(port), "--db", db_url],
        env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start: " + proc.stderr.read1().decode(errors="replace"))
        assert httpx.get(f"{base}/docs").status_code == 200
        resp = httpx.post(f"{base}/ingest", json={"articles": [{"text": TEXT}]})
        assert resp.status_code == 401 and resp.json()["error"]["status"] == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_an_unknown_extractor_is_a_422_naming_the_known_ones(open_client):
    for path, body in (
        ("/analyze", {"text": "The mayor said the bridge would reopen.", "extractor": "nope"}),
        ("/ingest", {"articles": [{"text": "The mayor said the bridge would reopen."}], "extractor": "nope"}),
    ):
        resp = open_client.post(path, json=body)
        assert resp.status_code == 422, resp.text
        assert "hybrid" in resp.json()["error"]["message"]


def test_ingest_skips_a_stored_url_before_fetching_it(tmp_path, local_server, monkeypatch):  # noqa: F811
    import sourcetrace.api.app as api_app

    url = f"{local_server}/plain.txt"
    app = create_app(str(tmp_path / "s.db"), allow_private_fetch=True)
    with TestClient(app) as c:
        first = c.post("/ingest", json={"urls": [url]}).json()
        assert first["results"][0]["outcome"] == "stored"

        def never(*args, **kwargs):
            raise AssertionError("a stored URL was fetched again")

        monkeypatch.setattr(api_app, "load_url", never)
        again = c.post("/ingest", json={"urls": [url + "?utm_source=feed"]}).json()
        assert again["results"][0]["outcome"] == "skipped" and again["results"][0]["id"] == first["results"][0]["id"]
    app.state.store.close()
