"""One JSON error shape for every failure: ``{"error": {"status", "code", "message", "details"}}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ModelNotFound, SourcetraceError

log = logging.getLogger("sourcetrace.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 415: "unsupported_media_type", 422: "invalid_input", 503: "unavailable"}


def error_response(status: int, message: str, details: object = None, headers: dict | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": _CODES.get(status, "error"), "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def _where(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def _message(e: dict) -> str:
    if e.get("type") == "json_invalid":
        return "the body is not valid JSON"
    return str(e.get("msg", "")).removeprefix("Value error, ")


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError):
        errors = exc.errors()
        details = [
            {"where": "body" if e.get("type") == "json_invalid" else _where(e.get("loc", ())), "message": _message(e)}
            for e in errors
        ]
        first = details[0] if details else {"where": "request", "message": "invalid"}
        return error_response(422, f"Invalid {first['where']}: {first['message']}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if message == "There was an error parsing the body":
            message = "The request body could not be read: send UTF-8 JSON with Content-Type: application/json."
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(SourcetraceError)
    async def _ours(_req: Request, exc: SourcetraceError):
        status = 503 if isinstance(exc, ModelNotFound) else exc.status
        return error_response(status, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_req: Request, exc: Exception):  # a bug: log it, answer in the same shape
        log.exception("unhandled error")
        return error_response(500, "Internal error: the server failed on this request; it has been logged.")
