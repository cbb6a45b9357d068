"""The installable app's own files: the web app manifest (in the reader's language), the
service worker (served from the root so it may control every page) and the page shown when a
page was never saved for reading offline. See ``static/js/sw.js`` for what is kept offline."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from tuan.web.views import look, render

router = APIRouter(include_in_schema=False)

STATIC = Path(str(files("tuan.web") / "static"))
THEME = "#0b5cad"


@cache
def shell_version() -> str:
    """A hash of every static file: a new release installs a new worker and a fresh cache."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(STATIC)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def shell_files() -> tuple[str, ...]:
    """What the worker saves at install: the styles, every script module, the icons."""
    wanted = [*STATIC.glob("*.svg"), *STATIC.glob("css/*.css"), *STATIC.glob("icons/*")]
    wanted += STATIC.glob("js/**/*.js")
    return tuple(
        f"/static/{path.relative_to(STATIC).as_posix()}"
        for path in sorted(wanted)
        if path.name != "sw.js"
    )


@router.get("/manifest.webmanifest")
async def manifest(request: Request) -> Response:
    viewer = await look(request)
    t = viewer.t
    icons = [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": "/static/icons/icon-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": "/",
        "name": t("app.install_name"),
        "short_name": t("app.short_name"),
        "description": t("app.description"),
        "lang": viewer.locale,
        "dir": "ltr",
        "start_url": "/chats?source=home-screen",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json")


@router.get("/sw.js")
async def service_worker() -> Response:
    source = (STATIC / "js" / "sw.js").read_text(encoding="utf-8")
    shell = ",\n  ".join(f'"{path}"' for path in ("/offline", *shell_files()))
    prelude = f'const VERSION = "{shell_version()}";\nconst SHELL = [\n  {shell},\n];\n'
    return Response(
        prelude + source,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/offline")
async def offline_page(request: Request) -> Response:
    return render(await look(request), "offline.html")
