"""Regressions from the hostile-user probe (issue #11): ordinary requests that answered 500.

Each must be a 4xx in the API's one error shape (an HTML page under /web/)
or a normal answer; a 500 must leave the kept-alive connection usable.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from dbfixtures import db_url  # noqa: F401  (fixture)
from sourcetrace import ingest
from sourcetrace.api import create_app
from sourcetrace.errors import InputError

TEXT = "The harbour authority said the bridge would reopen on Monday. Engineers claimed the repairs were finished."
TOO_BIG = 2**63  # one past SQLite's and PostgreSQL's largest integer


@pytest.fixture
def client(db_url):  # noqa: F811
    app = create_app(db_url)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.post("/ingest", json={"articles": [{"text": TEXT, "outlet": "Harbour News"}]}).status_code == 200
        yield c
    app.state.store.close()


def assert_json_error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    assert set(resp.json()) == {"error"} and resp.json()["error"]["status"] == status
    return resp.json()["error"]["message"]


def assert_html(resp, status: int) -> str:
    assert resp.status_code == status, resp.text[:300]
    assert resp.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in resp.headers
    return resp.text


@pytest.mark.parametrize("name", ["", "nobody-by-this-name", "   "])
def test_web_sources_lookup_answers_for_any_name(client, name):
    # page() took the template as `name` and clashed with the page's own `name=`: a 500 for any lookup
    body = assert_html(client.get("/web/sources", params={"name": name}), 200)
    assert "<h1>Sources</h1>" in body


def test_web_sources_lookup_refuses_an_over_long_name(client):
    body = assert_html(client.get("/web/sources", params={"name": "a" * 60_000}), 422)
    assert "at most 300 characters" in body


@pytest.mark.parametrize("path", ["/web/articles/{}", "/web/sources/{}"])
def test_web_pages_with_ids_past_64_bits_are_not_found(client, path):
    assert_html(client.get(path.format(TOO_BIG)), 404)


@pytest.mark.parametrize("field", ["entity_id", "article_id"])
def test_search_ids_past_64_bits_are_invalid(client, field):
    assert "less than or equal to" in assert_json_error(client.get("/search", params={field: TOO_BIG}), 422)
    assert_html(client.get("/web/search", params={field: TOO_BIG}), 422)


@pytest.mark.parametrize("path", ["/articles/{}", "/sources/{}", "/sources/{}/statements"])
def test_api_ids_past_64_bits_are_invalid(client, path):
    assert_json_error(client.get(path.format(TOO_BIG)), 422)


def test_web_validation_errors_are_html_pages(client):
    assert "Not understood" in assert_html(client.get("/web/articles/not-a-number"), 422)
    assert_html(client.get("/web/no-such-page"), 404)


@pytest.mark.parametrize(
    "path,body",
    [
        ("/analyze", '{"text": "The mayor said the bridge \\ud800 would reopen on Monday."}'),
        ("/analyze", '{"text": "The mayor said the bridge would reopen on Monday.", "authors": ["\\ud800"]}'),
        ("/analyze", '{"url": "http://example.com/\\udcff"}'),
        ("/ingest", '{"articles": [{"text": "The mayor said the bridge \\ud800 would reopen on Monday."}]}'),
        ("/ingest", '{"urls": ["http://example.com/\\ud800"]}'),
    ],
)
def test_lone_surrogates_are_invalid_input(client, path, body):
    resp = client.post(path, content=body, headers={"content-type": "application/json"})
    assert "lone surrogate" in assert_json_error(resp, 422)


def test_library_refuses_lone_surrogates():
    with pytest.raises(InputError, match="lone surrogate"):
        ingest.from_text("The mayor said the bridge \ud800 would reopen on Monday.")
    with pytest.raises(InputError, match="lone surrogate"):
        ingest.from_text(TEXT, title="\udcff")


def test_failure_with_a_surrogate_ref_is_recorded(tmp_path):
    from sourcetrace.store import Store

    store = Store.open(str(tmp_path / "s.db"))
    store.record_failure("http://example.com/\udcff", ValueError("bad \ud800"))
    assert [f.ref for f in store.failures()] == ["http://example.com/\\udcff"]
    store.clear_failure("http://example.com/\udcff")
    assert store.failures() == []
    store.close()


def test_a_nul_byte_past_the_first_64_kib_is_refused():
    data = b"The mayor said the bridge would reopen. " * 2000 + b"\x00 and more text."
    assert len(data) > 65536 and b"\x00" not in data[:65536]
    with pytest.raises(InputError, match="binary"):
        ingest.from_bytes(data)
    with pytest.raises(InputError, match="binary"):
        ingest.from_text(data.decode())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _uvicorn(app):
    """``app`` on a real uvicorn server in a thread (connection handling is uvicorn's): yields its port."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(10)
        app.state.store.close()


def test_a_500_keeps_the_connection_alive(tmp_path):
    app = create_app(str(tmp_path / "s.db"))

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    with _uvicorn(app) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/boom")
        resp = conn.getresponse()
        assert resp.status == 500 and json.loads(resp.read())["error"]["status"] == 500
        conn.request("GET", "/health")  # same connection: uvicorn used to close it after the 500
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"
        conn.close()


def test_an_analysis_stops_when_its_budget_is_spent():
    from sourcetrace.analyze import annotate_within
    from sourcetrace.deadline import Budget
    from sourcetrace.errors import AnalysisStopped

    with pytest.raises(AnalysisStopped, match="longer than"):
        annotate_within(ingest.from_text(TEXT), Budget(0.0))
    cancelled = Budget(None)
    cancelled.cancel()
    with pytest.raises(AnalysisStopped, match="went away"):
        annotate_within(ingest.from_text(TEXT), cancelled)
    assert annotate_within(ingest.from_text(TEXT), Budget(None)).attributions


def test_the_library_analyze_takes_the_same_budget():
    from sourcetrace.analyze import analyze
    from sourcetrace.deadline import Budget
    from sourcetrace.errors import AnalysisStopped

    for given in (TEXT, f"<html><body><article><p>{TEXT}</p></article></body></html>"):
        with pytest.raises(AnalysisStopped, match="longer than"):
            analyze(given, budget=Budget(0.0))
        assert analyze(given, budget=Budget(None)).model_dump(exclude={"id"}) == analyze(given).model_dump(exclude={"id"})


def test_analyze_over_the_time_limit_is_a_503(tmp_path):
    app = create_app(str(tmp_path / "s.db"), request_timeout=0.0)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert "longer than" in assert_json_error(c.post("/analyze", json={"text": TEXT}), 503)
    app.state.store.close()


def test_an_abandoned_analyze_is_cancelled(tmp_path, monkeypatch):
    from sourcetrace.api import app as api_app

    stopped = threading.Event()
    why: list[str] = []

    def slow(article, budget, **kwargs):  # stands in for a long analysis: checks its budget as the real one does
        try:
            for _ in range(3000):
                budget.check()
                time.sleep(0.01)
        except Exception as exc:
            why.append(str(exc))
            raise
        finally:
            stopped.set()
        return article

    monkeypatch.setattr(api_app, "annotate_within", slow)
    app = create_app(str(tmp_path / "s.db"))
    with _uvicorn(app) as port:
        body = json.dumps({"text": TEXT}).encode()
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            time.sleep(0.5)  # the analysis has started; now the client gives up
        assert stopped.wait(15), "the analysis went on after the client left"
        assert why and "went away" in why[0]


def test_docs_are_served_from_the_package_with_a_csp(tmp_path):
    app = create_app(str(tmp_path / "s.db"))
    with TestClient(app) as c:
        page = c.get("/docs")
        assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
        assert "http" not in page.text  # nothing from a CDN
        assert "SwaggerUIBundle" in c.get("/docs/assets/swagger-ui-bundle.js").text
        assert c.get("/docs/assets/swagger-ui.css").status_code == 200
        assert "SwaggerUIBundle(" in c.get("/docs/start.js").text
        assert c.get("/docs/openapi.json").json()["paths"] == c.get("/openapi.json").json()["paths"]
        assert "/docs" not in c.get("/openapi.json").json()["paths"]
    app.state.store.close()


@pytest.mark.parametrize("url", ["/etc/hostname", "-", "0" * 1000, "README.md"])
def test_the_api_never_reads_a_local_file_for_a_url(client, url):
    # found by the fuzzer: {"url": "000…"} reached Path.exists() (OSError, a 500); "/etc/hostname" was read
    assert "not a web address" in assert_json_error(client.post("/analyze", json={"url": url}), 400)
    result = client.post("/ingest", json={"urls": [url]}).json()["results"][0]
    assert result["outcome"] == "failed" and "not a web address" in result["error"]


def test_a_stored_article_page_is_drawn_once_until_it_changes(tmp_path, monkeypatch):
    from sourcetrace.web import routes

    app = create_app(str(tmp_path / "s.db"))
    drawn = []
    real = routes.article_context
    monkeypatch.setattr(routes, "article_context", lambda a: drawn.append(a.id) or real(a))
    with TestClient(app) as c:
        article_id = c.post("/ingest", json={"articles": [{"text": TEXT}]}).json()["results"][0]["id"]
        first = c.get(f"/web/articles/{article_id}")
        second = c.get(f"/web/articles/{article_id}")
        assert first.status_code == second.status_code == 200 and first.text == second.text
        assert len(drawn) == 1 and "Content-Security-Policy" in second.headers
        store = app.state.store
        changed = store.get_article(article_id)
        changed.title = "A new title"
        with store.engine.begin() as conn:  # the stored JSON changes: the page is drawn again
            from sourcetrace.store.schema import articles

            conn.execute(articles.update().where(articles.c.id == article_id).values(article_json=changed.model_dump_json()))
        assert "A new title" in c.get(f"/web/articles/{article_id}").text and len(drawn) == 2
    app.state.store.close()


def test_an_xml_declared_page_with_an_svg_root_is_refused_clearly():
    # found by the long fuzzing profile: htmldate's clean_html asserted on the root element
    with pytest.raises(InputError, match="could not be parsed"):
        ingest.from_html("<?xml version='1.0'?><html><svg>", force=True)


def test_the_web_analyze_page_has_the_same_time_limit(tmp_path):
    app = create_app(str(tmp_path / "s.db"), request_timeout=0.0)
    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.post("/web/analyze", data={"text": TEXT})
        assert resp.status_code == 503 and "longer than" in resp.text
    app.state.store.close()
