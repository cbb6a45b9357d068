"""Refusals at the edge, before any route reads a request: bodies over a size limit (413), and a
NUL character anywhere a request carries text (the address: 400; a body or form field: 422).

No database stores a NUL in text (PostgreSQL refuses it outright), so one that got through would
fail deep inside as a 500 — a signed payment webhook's ``reference``, a form's username.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import UploadFile
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tuan.http.errors import EdgeRefusal, refusal_json
from tuan.http.schemas import unstorable_text

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# How JSON writes a NUL inside a string (a raw NUL byte is not JSON at all).
JSON_NUL = b"\\u0000"


class BodyTooLarge(EdgeRefusal):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "BODY_TOO_LARGE", {"limit": limit})


class BodySizeLimit:
    """ASGI middleware; ``limit_for(path)`` gives the byte limit for a request path."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    refusal = refusal_json(
                        HTTPConnection(scope),
                        413,
                        "BODY_TOO_LARGE",
                        {"limit": limit},
                        headers={"connection": "close"},
                    )
                    await refusal(scope, receive, send)
                    return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)


class RefuseNulInUrl:
    """A NUL character in a path or query can never name anything; refuse it before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"")
        ):
            refusal = refusal_json(
                HTTPConnection(scope), 400, "BAD_REQUEST", {"reason": "nul_in_url"}
            )
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def refuse_nul_in_body(connection: HTTPConnection) -> None:
    """An app-wide dependency: a NUL (or a lone surrogate) in any string of a JSON body, or in a
    form field, is refused with 422 naming the field, before the route or its models run.

    Request models refuse it too (:class:`tuan.http.schemas.Input`); this also covers what no
    model reads: a payment webhook's raw body, the web app's forms. FastAPI has already read the
    body (or form) of a route that declares one, so this costs a substring search."""
    if not isinstance(connection, Request) or connection.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = connection.headers.get("content-type", "").lower()
    where: str | None = None
    if content_type.startswith(FORMS):
        form = await connection.form()
        fields = ({k: v} for k, v in form.multi_items() if not isinstance(v, UploadFile))
        where = next(filter(None, map(unstorable_text, fields)), None)
    else:
        body = await connection.body()
        if JSON_NUL not in body:
            return
        try:
            where = unstorable_text(orjson.loads(body))
        except orjson.JSONDecodeError:
            return  # not JSON: whoever reads it refuses it
    if where is not None:
        raise RequestValidationError(
            [
                {
                    "type": "unstorable_text",
                    "loc": ("body", *where.split(".")),
                    "msg": f"{where}: text may not contain NUL characters or unpaired surrogates",
                    "input": None,
                }
            ]
        )
