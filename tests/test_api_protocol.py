"""``serve`` turns Nagle's algorithm off on every connection, also with ``--workers N`` (issue #11, load)."""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

from sourcetrace.api.protocol import NODELAY_HTTP, NoDelayH11Protocol, set_nodelay


def _nodelay_of_accepted(*, fix: bool) -> int:
    """TCP_NODELAY of a connection accepted by asyncio on a listening socket bound as uvicorn's workers get it (proto 0)."""

    async def run() -> int:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn's Config.bind_socket
        listener.bind(("127.0.0.1", 0))
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                if fix:
                    set_nodelay(transport)
                seen.set_result(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()

    return asyncio.run(run())


def test_protocol_asyncio_leaves_nagle_on_for_a_proto_0_socket():
    # the cause: without the fix a worker's connections keep Nagle on (40 ms per response)
    assert _nodelay_of_accepted(fix=False) == 0


def test_protocol_set_nodelay_turns_nagle_off():
    assert _nodelay_of_accepted(fix=True) != 0


def test_protocol_uvicorn_loads_the_nodelay_protocol_from_its_import_string():
    config = Config(app=lambda scope, receive, send: None, http=NODELAY_HTTP)
    config.load()
    assert config.http_protocol_class is NoDelayH11Protocol
    assert issubclass(NoDelayH11Protocol, H11Protocol)


def test_protocol_serve_hands_it_to_uvicorn(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.cli.serve import SETTINGS_ENV

    monkeypatch.delenv(SETTINGS_ENV, raising=False)  # serve --workers 2 sets it: restored after the test
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    for workers in ("1", "2"):
        result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--workers", workers])
        assert result.exit_code == 0, result.output
    assert [kw["http"] for kw in calls] == [NODELAY_HTTP, NODELAY_HTTP]
