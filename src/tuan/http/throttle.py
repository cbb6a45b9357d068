"""Rate limits at the edge: sign-ups per address, chat messages and uploads per account.

Each is a rule of ``tuan.core.ratelimit`` set in the settings (``TUAN_LIMIT_SIGNUP_ADDRESS``,
``TUAN_LIMIT_MESSAGES_ACCOUNT``, ``TUAN_LIMIT_UPLOADS_ACCOUNT``); a request over it is refused with
429, ``Retry-After`` and a sentence in the reader's language (``err.TOO_MANY_REQUESTS.<reason>``).
Every attempt counts, refused or not by what comes after: a sign-up that finds its name taken
still tells the caller something. Logins have their own throttle (``tuan.accounts.throttle``).
"""

from __future__ import annotations

from fastapi import Depends

from tuan.bootstrap import Container
from tuan.core.errors import TooManyRequests
from tuan.core.ratelimit import rule
from tuan.http.deps import AddressDep, ContainerDep, CurrentUser


async def refusal(
    container: Container, reason: str, notation: str, *key: str
) -> TooManyRequests | None:
    """Count one ``reason`` for ``key``; the refusal to give if it is over the limit."""
    wait = await container.rate_limits.hit(rule(reason, notation), *key)
    return None if wait is None else TooManyRequests.of(reason, wait)


async def message_refusal(container: Container, user_id: int) -> TooManyRequests | None:
    """For the WebSocket, which answers a refused send with an error frame."""
    notation = container.settings.limit_messages_account
    return await refusal(container, "messages", notation, str(user_id))


async def _signup(container: ContainerDep, address: AddressDep) -> None:
    await signup_allowed(container, address)


async def signup_allowed(container: Container, address: str) -> None:
    notation = container.settings.limit_signup_address
    if refused := await refusal(container, "signup", notation, address):
        raise refused


async def _message(container: ContainerDep, user: CurrentUser) -> None:
    if refused := await message_refusal(container, user.id):
        raise refused


async def _upload(container: ContainerDep, user: CurrentUser) -> None:
    notation = container.settings.limit_uploads_account
    if refused := await refusal(container, "uploads", notation, str(user.id)):
        raise refused


# For a route's ``dependencies=[...]``.
SignupAllowed = Depends(_signup)
MessageAllowed = Depends(_message)
UploadAllowed = Depends(_upload)
