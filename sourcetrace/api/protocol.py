"""uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection.

asyncio turns Nagle off only on sockets whose ``proto`` is TCP. With
``serve --workers N`` uvicorn binds the listening socket itself with proto 0
and hands it to each worker process, so accepted connections kept Nagle on:
uvicorn writes a response's head and body separately, and the body waited for
the client's delayed ACK, 40 ms on Linux. Every request took at least 44 ms,
which capped 10 closed-loop clients at about 220 requests/s whatever the
server's CPU (BENCHMARKS.md, "Load").
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

# What `uvicorn.run(http=...)` is given: an import string, so every worker process loads the same class.
NODELAY_HTTP = "sourcetrace.api.protocol:NoDelayH11Protocol"


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """TCP_NODELAY on the transport's socket, when it is a TCP socket."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    """:class:`H11Protocol` that sends each write at once (see the module's docstring)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
