"""URL fetching: scheme and address refusals (SSRF), redirects, size cap, timeouts. No internet needed."""

from __future__ import annotations

import ipaddress

import httpx
import pytest
from local_http import local_server  # noqa: F401  (pytest fixture)

from sourcetrace import ingest
from sourcetrace.errors import FetchError, InputError, InputTooLarge
from sourcetrace.ingest.fetch import address_problem, check_url, fetch, parse_numeric_host

PUBLIC_IP = "93.184.215.14"


def public_resolver(host: str) -> list[str]:
    return [PUBLIC_IP]


def never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request should have been sent, got {request.url}")


# ----------------------------------------------------------------------------- refusals without any network


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/a.txt", "gopher://example.com/", "javascript:alert(1)",
     "data:text/html,<p>hi</p>", "dict://127.0.0.1:11211/", "news.example/article"],
)
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="http"):
        fetch(url, resolver=public_resolver, transport=httpx.MockTransport(never_called))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://localhost.localdomain./", "http://2130706433/", "http://0x7f.1/",
        "http://0x7f000001/", "http://017700000001/", "http://127.1/", "http://0/", "http://0.0.0.0/",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[fe80::1]/",
        "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://192.168.0.1/",
        "http://172.16.5.4/", "http://100.64.0.1/", "http://224.0.0.1/", "http://240.0.0.1/",
        "http://[fc00::1]/", "http://[2002:7f00:1::]/", "http://[64:ff9b::a00:1]/",
    ],
)
def test_non_public_addresses_are_refused(url):
    def resolver(host: str) -> list[str]:  # "localhost.localdomain." style names resolve to loopback
        return ["127.0.0.1"]

    with pytest.raises(FetchError, match="non-public address"):
        fetch(url, resolver=resolver, transport=httpx.MockTransport(never_called))


def test_public_name_resolving_to_a_private_address_is_refused():
    with pytest.raises(FetchError, match="10.0.0.1 is a private address"):
        fetch("https://news.example/story", resolver=lambda h: ["10.0.0.1"], transport=httpx.MockTransport(never_called))


def test_any_private_address_among_several_is_refused():
    with pytest.raises(FetchError, match="loopback"):
        check_url("https://news.example/", resolver=lambda h: [PUBLIC_IP, "::1"])


def test_credentials_in_the_url_are_refused():
    with pytest.raises(FetchError, match="password"):
        check_url("https://user:secret@news.example/", resolver=public_resolver)


def test_numeric_host_forms():
    for form in ("2130706433", "0x7f.1", "0x7f.0.0.1", "0177.0.0.1", "127.1", "127.0.0.1"):
        assert parse_numeric_host(form) == ipaddress.IPv4Address("127.0.0.1"), form
    assert parse_numeric_host("example.com") is None
    assert parse_numeric_host("1_0") is None
    assert parse_numeric_host("256.1.1.1") is None
    assert address_problem(ipaddress.ip_address("8.8.8.8")) is None
    assert address_problem(ipaddress.ip_address("2606:4700:4700::1111")) is None


# ----------------------------------------------------------------------------- with a mock transport


def test_connection_is_pinned_to_the_checked_address():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="The minister said the bridge would reopen.", headers={"Content-Type": "text/plain"})

    page = fetch("https://news.example/story?id=1", resolver=public_resolver, transport=httpx.MockTransport(handler))
    assert page.kind == "text" and page.url == "https://news.example/story?id=1"
    assert seen[0].url.host == PUBLIC_IP and seen[0].headers["host"] == "news.example"
    assert seen[0].extensions["sni_hostname"] == "news.example"


def test_redirect_to_a_private_address_is_refused():
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == PUBLIC_IP
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})

    with pytest.raises(FetchError, match="loopback"):
        fetch("https://news.example/story", resolver=public_resolver, transport=httpx.MockTransport(handler))


def test_redirect_to_a_name_that_resolves_privately_is_refused():
    def resolver(host: str) -> list[str]:
        return ["192.168.1.20"] if host == "intranet.example" else [PUBLIC_IP]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "http://intranet.example/secrets"})

    with pytest.raises(FetchError, match="192.168.1.20"):
        fetch("https://news.example/", resolver=resolver, transport=httpx.MockTransport(handler))


def test_http_errors_are_reported():
    transport = httpx.MockTransport(lambda r: httpx.Response(503))
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch("https://news.example/", resolver=public_resolver, transport=transport)


def test_connection_failures_are_fetch_errors():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="Could not fetch"):
        fetch("https://news.example/", resolver=public_resolver, transport=httpx.MockTransport(handler))


# ----------------------------------------------------------------------------- against a local server


def test_local_server_is_refused_by_default(local_server):
    with pytest.raises(FetchError, match="loopback"):
        fetch(f"{local_server}/article.html")


def test_local_server_with_allow_private(local_server):
    page = fetch(f"{local_server}/article.html", allow_private=True)
    assert page.status == 200 and page.kind == "html" and page.charset == "utf-8"
    article = ingest.load(f"{local_server}/article.html", allow_private=True)
    assert article.outlet == "World Desk" and "cookies" not in article.text


def test_relative_redirects_are_followed(local_server):
    page = fetch(f"{local_server}/redirect", allow_private=True)
    assert page.url == f"{local_server}/article.html" and page.kind == "html"


def test_redirect_loops_stop(local_server):
    with pytest.raises(FetchError, match="Too many redirects"):
        fetch(f"{local_server}/loop0", allow_private=True)


def test_redirect_to_another_scheme_is_refused(local_server):
    with pytest.raises(FetchError, match="ftp"):
        fetch(f"{local_server}/to-ftp", allow_private=True)


def test_size_cap_with_and_without_content_length(local_server):
    with pytest.raises(InputTooLarge, match="too large"):
        fetch(f"{local_server}/big", allow_private=True, max_bytes=10_000)
    with pytest.raises(InputTooLarge, match="too large"):
        fetch(f"{local_server}/big-chunked", allow_private=True, max_bytes=10_000)
    assert len(fetch(f"{local_server}/big", allow_private=True, max_bytes=100_000).body) == 50_000


def test_timeout(local_server):
    with pytest.raises(FetchError, match="Timed out"):
        fetch(f"{local_server}/slow", allow_private=True, timeout=0.3)


def test_content_types(local_server):
    assert fetch(f"{local_server}/plain.txt", allow_private=True).kind == "text"
    assert fetch(f"{local_server}/feed.xml", allow_private=True).kind == "feed"
    assert fetch(f"{local_server}/image.png", allow_private=True).kind == "other"
    with pytest.raises(InputError, match="image/png"):
        ingest.load(f"{local_server}/image.png", allow_private=True)
    with pytest.raises(InputError, match="feed with 3 entries"):
        ingest.load(f"{local_server}/feed.xml", allow_private=True)


def test_declared_charset_is_used(local_server):
    article = ingest.load(f"{local_server}/latin1.txt", allow_private=True)
    assert "café owner" in article.text


def test_missing_page(local_server):
    with pytest.raises(FetchError, match="HTTP 404"):
        ingest.load(f"{local_server}/missing", allow_private=True)
