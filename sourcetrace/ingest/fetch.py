"""Fetching article URLs without becoming a proxy into the private network.

sourcetrace runs as a web service that fetches URLs users type in, so a URL is
hostile until checked (server-side request forgery):

* only ``http`` and ``https``; no credentials in the URL;
* the host is resolved once, every address must be public (not loopback,
  private, link-local, shared/CGNAT, reserved, multicast or unspecified, also
  when wrapped as IPv4-mapped / 6to4 / Teredo IPv6), and numeric tricks such as
  ``2130706433`` or ``0x7f.1`` are read the way the C library would read them;
* the connection goes to the checked address (Host header and TLS SNI keep the
  name), so a second DNS answer cannot swap in an internal address;
* redirects are followed by hand, each hop checked again, at most
  :data:`MAX_REDIRECTS`;
* connect/read timeouts plus an overall deadline, and a size cap enforced
  while streaming.

``allow_private=True`` lifts the address check (tests, intranet deployments).
The resolver and the httpx transport are parameters so tests need no DNS and
no internet.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ..errors import FetchError, InputTooLarge
from .text import check_size, max_input_bytes

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0  # seconds per connect / read
DEFAULT_DEADLINE = 30.0  # seconds for the whole fetch, redirects included
USER_AGENT = "sourcetrace/0.1 (+attribution analysis; fetches one article per request)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]
_NUMERIC_PART = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")


def system_resolver(host: str) -> list[str]:
    """Every address ``host`` resolves to (A and AAAA)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Could not resolve the host {host!r} ({exc}); check the URL.") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def parse_numeric_host(host: str) -> IPAddress | None:
    """An IP address written any way a browser or libc accepts it (``127.1``, ``0x7f.1``, ``2130706433``), else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    parts = host.rstrip(".").split(".")
    if not parts or len(parts) > 4 or not all(parts):
        return None
    if not all(_NUMERIC_PART.fullmatch(p) for p in parts):
        return None
    nums = [int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if len(p) > 1 and p[0] == "0" else int(p) for p in parts]
    # inet_aton: the last part fills the remaining bytes.
    *head, last = nums
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo:
        found.extend(ip.teredo)
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in ipaddress.IPv6Network("::/96") and int(ip) > 1:  # deprecated IPv4-compatible
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched from (None when it is a public unicast address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in _embedded_ipv4(ip):
            problem = address_problem(inner)
            if problem:
                return f"{problem} (inside the IPv6 address {ip})"
    for attr, what in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return f"{ip} is a {what} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver | None = None) -> tuple[httpx.URL, list[str]]:
    """Validate ``url`` and resolve its host: ``(parsed URL, addresses to connect to)``. Raises FetchError."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"Not a valid URL: {url!r} ({exc}).") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"Only http:// and https:// URLs can be fetched, not {parsed.scheme or 'schemeless'}:// ({url}).")
    if not parsed.host:
        raise FetchError(f"The URL {url!r} has no host name.")
    if parsed.userinfo:
        raise FetchError("URLs with a user name or password are not fetched; remove the credentials.")
    host = parsed.host
    numeric = parse_numeric_host(host)
    if numeric is not None:
        addresses = [str(numeric)]
    else:
        addresses = (resolver or system_resolver)(host)
        if not addresses:
            raise FetchError(f"The host {host!r} did not resolve to any address.")
    if not allow_private:
        for addr in addresses:
            ip = parse_numeric_host(addr)
            problem = address_problem(ip) if ip is not None else f"{addr!r} is not an IP address"
            if problem:
                raise FetchError(
                    f"Refused to fetch {url}: {host} resolves to a non-public address ({problem}). "
                    "Only public web pages are fetched."
                )
    return parsed, [str(parse_numeric_host(a) or a) for a in addresses]


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    status: int
    content_type: str  # media type, lower case, without parameters ("text/html")
    charset: str | None
    body: bytes

    @property
    def kind(self) -> str:
        """``html``, ``text``, ``feed`` or ``other``: what the server says, checked against the bytes."""
        from .feeds import looks_like_feed
        from .html import looks_like_html

        ct = self.content_type
        if ct in ("text/html", "application/xhtml+xml"):
            return "html"
        if ct in ("application/rss+xml", "application/atom+xml", "application/feed+json") or (
            ct.endswith("xml") and looks_like_feed(self.body)
        ):
            return "feed"
        if ct.startswith("text/") or ct in ("", "application/octet-stream"):
            if looks_like_html(self.body):
                return "html"
            if looks_like_feed(self.body):
                return "feed"
            return "text" if ct.startswith("text/") or ct == "" else "other"
        return "other"


def _media_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip("\"' ") or None
    return parts[0].lower(), charset


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` under the rules in this module's docstring. Raises FetchError / InputTooLarge."""
    cap = max_input_bytes(max_bytes)
    started = time.monotonic()
    client = httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,  # an environment proxy would bypass the address check
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"},
    )
    current = url
    try:
        for _hop in range(max_redirects + 1):
            parsed, addresses = check_url(current, allow_private=allow_private, resolver=resolver)
            status, headers, body = _get_pinned(client, parsed, addresses[0], cap, started, deadline)
            if status in (301, 302, 303, 307, 308) and "location" in headers:
                try:
                    current = str(parsed.join(headers["location"]))
                except (httpx.InvalidURL, ValueError):
                    raise FetchError(f"{parsed} redirected to an invalid URL.") from None
                continue
            if status >= 400:
                raise FetchError(f"The server answered HTTP {status} for {current}; check the URL.")
            ct, charset = _media_type(headers.get("content-type"))
            return Fetched(url=current, status=status, content_type=ct, charset=charset, body=body)
        raise FetchError(f"Too many redirects (more than {max_redirects}) starting from {url}.")
    finally:
        client.close()


def _get_pinned(
    client: httpx.Client, url: httpx.URL, address: str, cap: int, started: float, deadline: float
) -> tuple[int, httpx.Headers, bytes]:
    """GET ``url`` from the already-checked ``address``, streaming with a size cap and a deadline."""
    target = url.copy_with(host=address)
    headers = {"Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    request = client.build_request("GET", target, headers=headers, extensions=extensions)
    try:
        response = client.send(request, stream=True)
    except httpx.TimeoutException:
        raise FetchError(f"Timed out connecting to {url.host}; try again later.") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"Could not fetch {url}: {exc.__class__.__name__}: {exc}.") from None
    if response.status_code in (301, 302, 303, 307, 308):
        response.close()
        return response.status_code, response.headers, b""
    try:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit():
            check_size(int(declared), cap)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            check_size(size, cap)
            if time.monotonic() - started > deadline:
                raise FetchError(f"Fetching {url} took longer than {deadline:.0f} seconds; gave up.")
            chunks.append(chunk)
        return response.status_code, response.headers, b"".join(chunks)
    except InputTooLarge as exc:
        raise InputTooLarge(f"The page at {url} is too large: {exc}") from None
    except httpx.TimeoutException:
        raise FetchError(f"Timed out reading from {url.host}; try again later.") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"Could not fetch {url}: {exc.__class__.__name__}: {exc}.") from None
    finally:
        response.close()
