"""One mapping from refusals to HTTP, and the JSON error shape every response uses.

``{"error": {"code": "USERNAME_TAKEN", "message": "...", "field": "username"}}``
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from tuan.core.errors import ErrorKind, TuanError

log = logging.getLogger(__name__)

STATUS_BY_KIND: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 422,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.GONE: 410,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNSUPPORTED_MEDIA: 415,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.UNAVAILABLE: 503,
}

CODE_BY_STATUS = {
    400: "BAD_REQUEST",
    401: "NOT_AUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    410: "GONE",
    413: "BODY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "INVALID_INPUT",
    429: "TOO_MANY_REQUESTS",
    503: "UNAVAILABLE",
}


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


def _description(status: int) -> str:
    return {
        400: "Malformed request (for example, broken JSON)",
        401: "Not logged in, or the session expired or was revoked",
        403: "Not allowed",
        404: "Not found, or not visible to you",
        409: "Conflicts with the current state",
        410: "No longer available (expired, used up or dissolved)",
        413: "Body too large",
        415: "Unsupported media type",
        422: "A field is invalid; `error.field` names it",
        429: "Too many attempts; see Retry-After",
        503: "A dependency is unavailable",
    }[status]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the JSON error shape for ``statuses``."""
    return {s: {"model": ErrorResponse, "description": _description(s)} for s in statuses}


def error_json(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(
        {"error": body}, status_code=status, headers=dict(headers) if headers else None
    )


def _field_of(loc: Sequence[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TuanError)
    async def _tuan_error(_request: Request, exc: TuanError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return error_json(
            STATUS_BY_KIND[exc.kind], exc.code, exc.message, field=exc.field, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
        if first.get("type") == "json_invalid":
            return error_json(400, "MALFORMED_JSON", "The request body is not valid JSON.")
        field = _field_of(first.get("loc", ()))
        message = str(first.get("msg", "invalid"))
        if field:
            message = f"{field}: {message}"
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        return error_json(422, "INVALID_INPUT", message, field=field)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        code = CODE_BY_STATUS.get(status, "HTTP_ERROR")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ").lower()
        return error_json(status, code, message, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_json(500, "INTERNAL_ERROR", "Something went wrong on our side.")
