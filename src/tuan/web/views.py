"""Rendering a page: who is looking, in which language, with which CSRF token and headers.

Pages are shells: the server renders the frame, labels, forms and ids; the page's JavaScript
module fills in data from the JSON API (one contract for every client). Where the API has no
read the page needs, the route reads the domain's queries and renders it here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.core.errors import TuanError
from tuan.core.personal import DELETED_USER_ID, DELETED_USERNAME
from tuan.notifications.queries import unread_count
from tuan.web.i18n import Translator, choose_locale
from tuan.web.security import (
    ANONYMOUS_CSRF_COOKIE,
    CSRF_FIELD,
    LOCALE_COOKIE,
    PAGE_HEADERS,
    SESSION_COOKIE,
    csrf_matches,
    csrf_token_for,
    new_anonymous_nonce,
)
from tuan.web.sessions import caller

YEAR = 365 * 24 * 3600


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("tuan.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Viewer:
    """The person looking at a page (``user`` None when logged out) and how to talk to them."""

    container: Container
    request: Request
    user: User | None
    token: str | None
    locale: str
    t: Translator
    csrf_basis: str
    new_nonce: str | None = None
    unread_notifications: int = 0
    session_expires_at: datetime | None = None
    cookies: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def csrf(self) -> str:
        return csrf_token_for(self.container.settings.secret_key, self.csrf_basis)

    def form_is_genuine(self, form: dict[str, Any]) -> bool:
        offered = form.get(CSRF_FIELD)
        return csrf_matches(
            self.container.settings.secret_key,
            self.csrf_basis,
            offered if isinstance(offered, str) else None,
        )


async def look(request: Request) -> Viewer:
    container: Container = request.app.state.container
    token = request.cookies.get(SESSION_COOKIE) or None
    user: User | None = None
    unread = 0
    expires_at = None
    if token:
        try:
            found = await caller(container, token)
            user, expires_at = found.user, found.expires_at
        except TuanError:  # expired or revoked: the person is simply logged out
            user = None
    if user is not None:
        async with container.db.read_sessions() as session:
            unread = await unread_count(session, user_id=user.id)
    locale = choose_locale(
        cookie=request.cookies.get(LOCALE_COOKIE),
        account=user.locale if user else None,
        accept_language=request.headers.get("accept-language"),
    )
    nonce = request.cookies.get(ANONYMOUS_CSRF_COOKIE)
    new_nonce = None
    if user is None and not nonce:
        nonce = new_nonce = new_anonymous_nonce()
    return Viewer(
        container=container,
        request=request,
        user=user,
        token=token if user else None,
        locale=locale,
        t=Translator(locale),
        csrf_basis=token if user and token else nonce or "",
        new_nonce=new_nonce,
        unread_notifications=unread,
        session_expires_at=expires_at,
    )


def secure(request: Request) -> bool:
    """Whether cookies are ``Secure``: over HTTPS, and always in production (behind a TLS proxy
    the request may reach us as plain HTTP)."""
    container: Container = request.app.state.container
    return request.url.scheme == "https" or container.settings.is_production


def finish(viewer: Viewer, response: Response) -> Response:
    """Security headers, and the cookies this response must set."""
    response.headers.update(PAGE_HEADERS)
    if viewer.new_nonce:
        response.set_cookie(
            ANONYMOUS_CSRF_COOKIE,
            viewer.new_nonce,
            httponly=True,
            samesite="lax",
            secure=secure(viewer.request),
        )
    for name, value, max_age in viewer.cookies:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            httponly=name != LOCALE_COOKIE,
            samesite="lax",
            secure=secure(viewer.request),
        )
    return response


def render(viewer: Viewer, template: str, *, status: int = 200, **context: Any) -> Response:
    user = viewer.user
    if user is not None and viewer.token and viewer.session_expires_at is not None:
        # The cookie lives as long as the session, which each use may have renewed.
        left = viewer.session_expires_at - viewer.container.clock.now()
        viewer.cookies.append((SESSION_COOKIE, viewer.token, max(1, int(left.total_seconds()))))
    boot = {
        "locale": viewer.locale,
        "csrf": viewer.csrf,
        "me": {"id": user.id, "username": user.username, "display_name": user.display_name}
        if user
        else None,
        "messages": viewer.t.for_script(),
        "service_worker": viewer.container.settings.service_worker,
        # Whose records an erased person left (ADR 0011), and the "@name" others' messages now
        # say for them: the pages name it "Deleted user" in the reader's language, with no
        # profile link (people.js).
        "deleted_user_id": DELETED_USER_ID,
        "deleted_username": DELETED_USERNAME,
    }
    html = (
        environment()
        .get_template(template)
        .render(
            t=viewer.t,
            locale=viewer.locale,
            me=user,
            csrf=viewer.csrf,
            csrf_field=CSRF_FIELD,
            unread_notifications=viewer.unread_notifications,
            path=viewer.request.url.path,
            boot=boot,
            deleted_user_id=DELETED_USER_ID,
            deleted_mention=f"@{DELETED_USERNAME}",
            **context,
        )
    )
    return finish(viewer, HTMLResponse(html, status_code=status))


def redirect(viewer: Viewer, to: str) -> Response:
    return finish(viewer, RedirectResponse(to, status_code=303))


def remember_locale(viewer: Viewer, locale: str) -> None:
    viewer.cookies.append((LOCALE_COOKIE, locale, YEAR))
