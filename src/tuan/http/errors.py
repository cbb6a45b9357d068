"""One mapping from refusals to HTTP, and the JSON error shape every response uses.

``{"error": {"code": "USERNAME_TAKEN", "message": "...", "field": "username"}}``

``message`` is said in the reader's language, which ``Content-Language`` names: the account's
saved choice when the request was authenticated, else the web app's language cookie, else
``Accept-Language``, else English. The sentence comes from the catalogue (``err.<CODE>``, see
:func:`tuan.web.i18n.error_message`), filled with the error's ``field`` and ``details``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.routing import Match

from tuan.core.errors import ErrorKind, TuanError
from tuan.web.i18n import choose_locale, error_message, refusal_message, render
from tuan.web.security import LOCALE_COOKIE

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


class ErrorItem(BaseModel):
    """One of several reasons for a refusal (each thing to settle before leaving Tuan)."""

    message: str
    link: str | None = None


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None
    items: list[ErrorItem] | None = None


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


class EdgeRefusal(StarletteHTTPException):
    """A refusal by code and parameters, raised where only an ``HTTPException`` gets through to
    the handlers (FastAPI turns any other exception raised while reading a body into a 400)."""

    def __init__(self, status: int, code: str, params: Mapping[str, object] | None = None) -> None:
        super().__init__(status, code)
        self.code = code
        self.params = dict(params or {})


# The request's state attribute where ``CurrentUser`` leaves the caller's saved language.
ACCOUNT_LOCALE = "account_locale"


def reader_locale(connection: HTTPConnection) -> str:
    """The language to answer this request's reader in (see the module docstring)."""
    return choose_locale(
        account=getattr(connection.state, ACCOUNT_LOCALE, None),
        cookie=connection.cookies.get(LOCALE_COOKIE),
        accept_language=connection.headers.get("accept-language"),
    )


def error_json(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
    locale: str | None = None,
    items: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    if items:
        body["items"] = items
    all_headers = dict(headers or {})
    if locale is not None:
        all_headers["Content-Language"] = locale
    return JSONResponse({"error": body}, status_code=status, headers=all_headers or None)


def refusal_json(
    connection: HTTPConnection,
    status: int,
    code: str,
    params: Mapping[str, object] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error response for a refusal the edge makes itself (no ``TuanError`` to raise)."""
    locale = reader_locale(connection)
    message = error_message(locale, code, params or {}, fallback=code.replace("_", " ").lower())
    return error_json(status, code, message, headers=headers, locale=locale)


def refusal_items(locale: str, items: object) -> list[dict[str, Any]] | None:
    """A refusal's several reasons (``details["items"]``: a catalogue key, its parameters and a
    link each), said in the reader's language."""
    if not isinstance(items, list):
        return None
    return [
        {"message": render(locale, item["key"], item.get("params", {})), "link": item.get("link")}
        for item in items
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    ]


def _field_of(loc: Sequence[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or None


# Pydantic's error types, by the sentence (``err.INVALID_INPUT.<reason>``) that explains them.
_REASONS = {
    "missing": ("missing",),
    "unexpected": ("extra_forbidden",),
    "text": ("string_type", "string_unicode", "string_sub_type"),
    "whole_number": ("int_type", "int_parsing", "int_from_float", "int_parsing_size"),
    "number": ("float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"),
    "boolean": ("bool_type", "bool_parsing"),
    "list": ("list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type"),
    "object": ("dict_type", "model_type", "model_attributes_type", "dataclass_type"),
    "datetime": (
        "iso_datetime",
        "datetime_type",
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_object_invalid",
        "timezone_aware",
        "timezone_naive",
    ),
    "text_too_short": ("string_too_short",),
    "text_too_long": ("string_too_long",),
    "too_few": ("too_short",),
    "too_many": ("too_long",),
    "at_least": ("greater_than_equal",),
    "above": ("greater_than",),
    "at_most": ("less_than_equal",),
    "below": ("less_than",),
    "pattern": ("string_pattern_mismatch",),
    "one_of": ("literal_error", "enum"),
    "unstorable_text": ("unstorable_text",),
}
REASON_BY_TYPE = {kind: reason for reason, kinds in _REASONS.items() for kind in kinds}
# Where in the error's context each sentence finds its number.
_CONTEXT = {
    "at_least": ("limit", "ge"),
    "above": ("limit", "gt"),
    "at_most": ("limit", "le"),
    "below": ("limit", "lt"),
    "text_too_short": ("count", "min_length"),
    "too_few": ("count", "min_length"),
    "text_too_long": ("count", "max_length"),
    "too_many": ("count", "max_length"),
    "pattern": ("pattern", "pattern"),
}
_QUOTED = re.compile(r"'([^']*)'")


def validation_params(error: Mapping[str, Any]) -> dict[str, object]:
    """One pydantic error as a refusal's parameters: its ``reason``, ``field`` and numbers."""
    context = error.get("ctx") or {}
    reason = REASON_BY_TYPE.get(str(error.get("type", "")), "invalid")
    field = _field_of(error.get("loc", ())) or context.get("field")
    if field is None and reason == "object":
        reason = "body_object"
    params: dict[str, object] = {"reason": reason}
    if field is not None:
        params["field"] = str(field)
    if reason in _CONTEXT and _CONTEXT[reason][1] in context:
        name, key = _CONTEXT[reason]
        params[name] = context[key]
    if reason == "one_of":
        params["choices"] = _QUOTED.findall(str(context.get("expected", "")))
    return params


def validation_refusal(locale: str, errors: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    """The first problem in ``errors`` said in ``locale`` (with how many more there are), and the
    field it names."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    params = validation_params(first)
    field = params.get("field")
    english = str(first.get("msg", "invalid"))
    if field is not None:
        english = f"{field}: {english}"
    # Pydantic's own words beat "x is not valid" for a check it has no sentence for.
    composed = params["reason"] == "invalid"
    message = error_message(locale, "INVALID_INPUT", params, fallback=english, composed=composed)
    if len(errors) > 1:
        more = {"problem": message, "count": len(errors) - 1}
        message = render(locale, "err.INVALID_INPUT.and_more", more)
    return message, field if isinstance(field, str) else None


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this request's path. (Starlette's own 405 names only the
    methods of the first route whose path matched, one of several at the same path.)"""
    router = request.app.router
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in router.routes):
            allowed.append(method)
    return allowed


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TuanError)
    async def _tuan_error(request: Request, exc: TuanError) -> JSONResponse:
        locale = reader_locale(request)
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        status, message = STATUS_BY_KIND[exc.kind], refusal_message(locale, exc)
        items = refusal_items(locale, exc.details.get("items"))
        return error_json(
            status, exc.code, message, field=exc.field, headers=headers, locale=locale, items=items
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if errors and errors[0].get("type") == "json_invalid":
            return refusal_json(request, 400, "MALFORMED_JSON")
        locale = reader_locale(request)
        message, field = validation_refusal(locale, errors)
        return error_json(422, "INVALID_INPUT", message, field=field, locale=locale)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, EdgeRefusal):
            return refusal_json(request, exc.status_code, exc.code, exc.params)
        code = CODE_BY_STATUS.get(exc.status_code, "HTTP_ERROR")
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        return refusal_json(request, exc.status_code, code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return refusal_json(request, 500, "INTERNAL_ERROR")
