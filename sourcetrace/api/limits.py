"""Refuse request bodies over a size limit with 413 before the app reads them."""

from __future__ import annotations

from .errors import error_response


class BodySizeLimit:
    """Pure ASGI middleware: checks Content-Length, and counts the bytes of bodies sent without one."""

    def __init__(self, app, max_body_bytes: int):
        self.app = app
        self.max = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_large = error_response(413, f"The request body is larger than {self.max} bytes: send a smaller article.")
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                if int(length) > self.max:
                    return await too_large(scope, receive, send)
            except ValueError:
                return await error_response(400, "Content-Length is not a number.")(scope, receive, send)
        # Read the body ourselves (at most max + 1 bytes), then replay it to the app.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max:
                return await too_large(scope, receive, send)
            chunks.append(body)
            more = message.get("more_body", False)
        data = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)
