"""Fetch URLs without letting a caller reach into the local network (SSRF).

A server that fetches URLs for its clients must not become their way into
127.0.0.1, the LAN or the cloud metadata service (169.254.169.254). Every hop
(the URL and each redirect) is resolved and refused if any address it resolves
to is loopback, private, link-local, multicast, reserved or unspecified.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import FetchError, InputTooLarge

MAX_REDIRECTS = 5
USER_AGENT = "sourcetrace/0.1 (+attribution analysis)"


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, allow_private: bool = False) -> str:
    """Return ``url`` if it is an http(s) URL whose host is public; raise FetchError saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(f"{url!r} is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"Only http and https URLs can be fetched, not {parts.scheme or 'no scheme'!r}: {url!r}.")
    host = parts.hostname
    if not host:
        raise FetchError(f"The URL {url!r} has no host name.")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are refused.")
    if allow_private:
        return url
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host {host!r} could not be resolved: check the URL.") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _is_public(ip):
            raise FetchError(
                f"Refused to fetch {url!r}: {host} resolves to {ip}, a loopback, private or link-local address."
            )
    return url


def fetch(url: str, *, allow_private: bool = False, max_bytes: int = 5_000_000, timeout: float = 20.0) -> httpx.Response:
    """GET ``url`` following redirects by hand, checking every hop; the body is capped at ``max_bytes``."""
    current = url
    with httpx.Client(follow_redirects=False, timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private=allow_private)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        current = urljoin(current, resp.headers.get("location", ""))
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"{current} answered HTTP {resp.status_code}.")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise InputTooLarge(f"{current} is larger than {max_bytes} bytes.")
                    return httpx.Response(
                        resp.status_code, headers=resp.headers, content=bytes(body), request=resp.request
                    )
            except httpx.HTTPError as exc:
                raise FetchError(f"Could not fetch {current}: {exc}") from None
    raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times.")
