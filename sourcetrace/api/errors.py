"""One JSON error shape for every failure: ``{"error": {"status", "code", "message", "details"}}``.

Under ``/web/`` the same failures are HTML pages instead, when the web pages
are mounted (they put their renderer on ``app.state.error_page``).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..errors import ModelNotFound, SourcetraceError

log = logging.getLogger("sourcetrace.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 415: "unsupported_media_type", 422: "invalid_input", 503: "unavailable"}
INTERNAL = "Internal error: the server failed on this request; it has been logged."


def error_response(status: int, message: str, details: object = None, headers: dict | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": _CODES.get(status, "error"), "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def respond(request: Request, status: int, message: str, details: object = None, headers: dict | None = None) -> Response:
    """The error as JSON, or as the web pages' HTML error page for a ``/web/`` path."""
    page = getattr(request.app.state, "error_page", None)
    if page is not None and (request.url.path + "/").startswith("/web/"):
        response = page(request, status, message)
        response.headers.update(headers or {})
        return response
    return error_response(status, message, details, headers)


def _where(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def _message(e: dict) -> str:
    if e.get("type") == "json_invalid":
        return "the body is not valid JSON"
    return str(e.get("msg", "")).removeprefix("Value error, ")


class CatchUnexpected:
    """Pure ASGI middleware: a bug becomes the one-shape 500, and the connection stays open.

    Starlette's own last-resort handler answers and then re-raises, and uvicorn
    closes a kept-alive connection when an exception reaches it, so the
    client's next request was reset (issue #11). Here the exception stops.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # half an answer is out: only closing the connection tells the client
            request = Request(scope, receive)
            await respond(request, 500, INTERNAL)(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(CatchUnexpected)

    @app.exception_handler(RequestValidationError)
    async def _validation(req: Request, exc: RequestValidationError):
        errors = exc.errors()
        details = [
            {"where": "body" if e.get("type") == "json_invalid" else _where(e.get("loc", ())), "message": _message(e)}
            for e in errors
        ]
        first = details[0] if details else {"where": "request", "message": "invalid"}
        return respond(req, 422, f"Invalid {first['where']}: {first['message']}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(req: Request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if message == "There was an error parsing the body":
            message = "The request body could not be read: send UTF-8 JSON with Content-Type: application/json."
        return respond(req, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(SourcetraceError)
    async def _ours(req: Request, exc: SourcetraceError):
        status = 503 if isinstance(exc, ModelNotFound) else exc.status
        return respond(req, status, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(req: Request, exc: Exception):  # a bug: log it, answer in the same shape
        log.exception("unhandled error")
        return respond(req, 500, INTERNAL)
