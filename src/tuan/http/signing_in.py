"""What signing in does besides opening a session, for the API and the web app alike: during a
deletion's waiting period it cancels the deletion; once the erasure has begun it is refused
(ADR 0011)."""

from __future__ import annotations

from tuan.accounts import service as accounts
from tuan.bootstrap import Container
from tuan.rights import deletion
from tuan.rights.errors import AccountBeingErased


async def after_sign_in(container: Container, issued: accounts.IssuedSession) -> bool:
    """True when the sign-in cancelled the person's deletion."""
    if await container.run(deletion.being_erased, user_id=issued.user.id):
        await container.run(accounts.log_out, token=issued.token)
        raise AccountBeingErased()
    return await container.run(deletion.cancel_deletion, user_id=issued.user.id)
