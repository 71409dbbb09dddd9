"""A throwaway HTTP server on 127.0.0.1 for fetch tests (no internet in tests); import the fixture."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>World Desk</title><link>http://127.0.0.1/</link>
<item><title>Kursk strikes</title><link>{base}/article.html</link><pubDate>Sun, 24 Nov 2024 09:15:00 GMT</pubDate>
<author>desk@worlddesk.example (Jane Roe)</author></item>
<item><title>Bridge</title><link>{base}/plain.txt</link></item>
<item><title>Gone</title><link>{base}/missing</link></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path.split("?")[0]
        if path == "/article.html":
            self._send(200, (DATA / "atacms-kursk.html").read_bytes(), "text/html; charset=utf-8")
        elif path == "/plain.txt":
            self._send(200, (DATA / "harbour-bridge.txt").read_bytes(), "text/plain")
        elif path == "/latin1.txt":
            body = "The café owner said the bridge would reopen on Monday, according to the council.".encode("latin-1")
            self._send(200, body, "text/plain; charset=iso-8859-1")
        elif path == "/redirect":
            self._send(302, b"", "text/plain", {"Location": "/article.html"})
        elif path.startswith("/loop"):
            n = int(path[5:] or 0)
            self._send(302, b"", "text/plain", {"Location": f"/loop{n + 1}"})
        elif path == "/big":
            self._send(200, b"x" * 50_000, "text/plain")
        elif path == "/big-chunked":  # no Content-Length: the cap must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"y" * 1000)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"too late", "text/plain")
        elif path == "/feed.xml":
            self._send(200, FEED.format(base=base).encode(), "application/rss+xml")
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        elif path == "/to-ftp":
            self._send(301, b"", "text/plain", {"Location": "ftp://127.0.0.1/file"})
        else:
            self._send(404, b"not found", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # clients hang up on purpose (timeouts, size caps)
        pass


@pytest.fixture(scope="session")
def local_server():
    """Base URL of a local HTTP server (only reachable with allow_private=True)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
