"""Who a request is: the session a token names, renewed as it is used.

A session lives ``TUAN_SESSION_TTL_HOURS`` (14 days) unused; each use after a tenth of that has
passed gives it a full life again (:func:`tuan.accounts.domain.renewal_due`), so someone who comes
back every week stays logged in, a forgotten session ends, and requests do not write each time.
The API (``tuan.http.deps``), the pages (``tuan.web.views``) and the WebSocket all ask here.
"""

from __future__ import annotations

from dataclasses import replace

from tuan.accounts.queries import Caller, caller_for_token
from tuan.accounts.service import keep_alive
from tuan.bootstrap import Container
from tuan.core.db import latest_reads


async def caller(container: Container, token: str) -> Caller:
    """Who ``token`` is (or the 401 error saying why not), its session renewed when due.

    Looked up on a connection that goes back to the pool at once: under load (a flash sale) a
    request that kept a read connection for its whole life while its write transaction waited
    for another could starve the pool.
    """
    now = container.clock.now()
    async with latest_reads(container.db) as session:
        found = await caller_for_token(session, token=token, now=now)
    expires_at = await keep_alive(
        container,
        container.login_policy,
        session_id=found.session_id,
        expires_at=found.expires_at,
        now=now,
    )
    return found if expires_at == found.expires_at else replace(found, expires_at=expires_at)
