"""Let the WebSocket endpoint reach the server's protocol object for zero-copy fan-out.

Outermost ASGI middleware: for WebSocket connections it records the ``send`` callable's owner
(uvicorn's protocol) in the scope, before Starlette wraps ``send``. If the server is not uvicorn
the endpoint falls back to plain ASGI sends (see ``tuan.realtime.connection``).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

PROTOCOL_KEY = "tuan.ws_protocol"


class CaptureWebSocketProtocol:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[PROTOCOL_KEY] = getattr(send, "__self__", None)
        await self.app(scope, receive, send)
