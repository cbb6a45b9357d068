"""Refuse request bodies over a size limit with 413, before they are read into memory."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tuan.http.errors import EdgeRefusal, refusal_json


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
