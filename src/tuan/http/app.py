"""The ASGI application factory."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from importlib.resources import files
from types import ModuleType

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

import tuan
from tuan.bootstrap import Container
from tuan.http.errors import install_error_handlers
from tuan.http.hardening import docs_urls, install_hardening
from tuan.http.limits import BodySizeLimit, RefuseNulInUrl, refuse_nul_in_body
from tuan.http.openapi import install_openapi
from tuan.http.realtime import CaptureWebSocketProtocol
from tuan.push.sending import PushSender
from tuan.web.i18n import render

# Routes that take images get the upload limit; every other body gets the small one.
UPLOAD_SUFFIXES = ("/avatar", "/images")


def route_modules() -> Iterator[ModuleType]:
    """Every ``tuan.http.routes.<name>`` module (each exposes ``router``), in name order."""
    import tuan.http.routes as routes

    for info in sorted(pkgutil.iter_modules(routes.__path__), key=lambda i: i.name):
        yield importlib.import_module(f"tuan.http.routes.{info.name}")


def create_app(container: Container, *, manage_container: bool = True) -> FastAPI:
    """Build the app around ``container``.

    With ``manage_container`` the app's lifespan starts the container (bus, outbox relay) and
    closes it on shutdown; tests that drive the container themselves pass ``False``.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if manage_container:
            await container.start()
        try:
            yield
        finally:
            if manage_container:
                await container.close()

    app = FastAPI(
        title="Tuan",
        version=tuan.__version__,
        summary="Instant-messaging based social commerce: shopping inside group chats.",
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul_in_body)],
        docs_url=docs_urls(container.settings)[0],
        redoc_url=docs_urls(container.settings)[1],
    )
    app.state.container = container
    push = container.adapters.get(PushSender)
    if isinstance(push, PushSender):
        push.speak_with(render)  # pushes are said in their receiver's language, from the catalogues
    install_error_handlers(app)
    settings = container.settings
    install_openapi(app, settings)

    def limit_for(path: str) -> int:
        if path.endswith(UPLOAD_SUFFIXES):
            return settings.max_upload_bytes
        return settings.max_body_bytes

    app.add_middleware(BodySizeLimit, limit_for=limit_for)
    app.add_middleware(RefuseNulInUrl)
    app.add_middleware(CaptureWebSocketProtocol)  # added last = outermost: sees the server's send
    install_hardening(app, settings)  # proxy headers (outside it, but pass send on as it is), HSTS
    for module in route_modules():
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(files("tuan.web") / "static")), name="static")
    return app
