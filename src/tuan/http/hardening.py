"""What a deployment adds in front of every route: whom to believe about the client's address,
and HTTPS only in production.

**Proxies.** A reverse proxy names the client it forwards in ``X-Forwarded-For`` and the scheme in
``X-Forwarded-Proto``; anyone else can write the same headers. They are believed only from the
addresses in ``TUAN_TRUSTED_PROXIES`` (none by default), with uvicorn's own middleware, which takes
the nearest address in the chain that is not a trusted proxy. Otherwise the client is the peer of
the TCP connection, so a client cannot pick the address its rate limits are counted under.

**Production** (``TUAN_ENVIRONMENT=production``): every response tells browsers to use HTTPS for
a year (``Strict-Transport-Security``); cookies are ``Secure`` (``tuan.web.views``); ``/docs``
and ``/redoc`` are off unless ``TUAN_API_DOCS=true`` (the OpenAPI JSON stays, for clients).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tuan.settings import Settings

HSTS = "max-age=31536000; includeSubDomains"


class StrictTransportSecurity:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_header)


def docs_urls(settings: Settings) -> tuple[str | None, str | None]:
    """Where ``/docs`` and ``/redoc`` are served: None when they are off."""
    on = settings.docs_enabled
    return ("/docs", "/redoc") if on else (None, None)


def install_hardening(app: FastAPI, settings: Settings) -> None:
    """Add after the other middleware: the proxy headers are read before anything sees the
    client."""
    if settings.is_production:
        app.add_middleware(StrictTransportSecurity)
    if settings.trusted_proxy_list:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
