"""FastAPI dependencies: the container, the caller, the read session.

Every dependency is ``async def``, even where it awaits nothing: FastAPI runs a plain ``def``
dependency in a worker thread, and that hand-off, on every request, cost a flash sale more CPU
than the dependency's own work.

The caller is named by a bearer token, or, for the web app, by the HttpOnly session cookie; a
cookie-authenticated request that is not a read must carry the page's CSRF token (see
``tuan.web.security``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.errors import NotAuthenticated
from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.http.errors import ACCOUNT_LOCALE
from tuan.web.errors import CsrfTokenInvalid
from tuan.web.security import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, csrf_matches
from tuan.web.sessions import caller

bearer = HTTPBearer(auto_error=False, description="The token returned by POST /api/v1/sessions")


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


async def get_reader(container: ContainerDep) -> AsyncIterator[AsyncSession]:
    async with container.db.read_sessions() as session:
        yield session


ReaderDep = Annotated[AsyncSession, Depends(get_reader)]


async def get_token(
    request: Request,
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    if credentials is not None and credentials.credentials:
        return credentials.credentials
    # Read from the request, not declared as a parameter: the cookie is the web app's business,
    # not part of the API's documented (and fuzzed) contract.
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotAuthenticated()
    if request.method not in SAFE_METHODS and not csrf_matches(
        container.settings.secret_key, cookie, request.headers.get(CSRF_HEADER)
    ):
        raise CsrfTokenInvalid()
    return cookie


TokenDep = Annotated[str, Depends(get_token)]


async def get_current_user(request: Request, container: ContainerDep, token: TokenDep) -> User:
    """The logged-in caller: the one authentication dependency of every route (see
    :func:`tuan.web.sessions.caller`). The caller's saved language is left on the request, so a
    refusal later in the request speaks it without another query.
    """
    user = (await caller(container, token)).user
    setattr(request.state, ACCOUNT_LOCALE, user.locale)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_user_if_signed_in(
    request: Request,
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User | None:
    """The caller where a route also serves people signed out: None without a token or a
    session cookie; a token or cookie given must be good (else 401, as everywhere)."""
    if (credentials is None or not credentials.credentials) and not request.cookies.get(
        SESSION_COOKIE
    ):
        return None
    token = await get_token(request, container, credentials)
    return await get_current_user(request, container, token)


UserIfSignedIn = Annotated[User | None, Depends(get_user_if_signed_in)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _client_address(request: Request) -> str:
    return client_address(request)


AddressDep = Annotated[str, Depends(_client_address)]
