"""Group commit for posting messages.

Every message must be stored durably before it is acknowledged, and a commit (an fsync on SQLite)
costs far more than the inserts in it. So posts wait in a queue and one worker writes whatever has
accumulated while the previous commit ran, in one transaction: under load each fsync carries many
messages, and an idle server still commits a lone message at once.
"""

from __future__ import annotations

import asyncio
import logging

from tuan.chat.errors import InvalidPayload
from tuan.chat.posting import PostRequest, PostResult, post_messages
from tuan.core.errors import Unavailable
from tuan.core.media import KEY_PATTERN, MediaStorage
from tuan.core.uow import Transactor

log = logging.getLogger(__name__)

MAX_BATCH = 500


class MessagePoster:
    """Opens its own transactions (a :class:`Transactor`): one per batch it commits."""

    def __init__(self, transactions: Transactor, media: MediaStorage) -> None:
        self._transactions = transactions
        self._media = media
        self._pending: list[tuple[PostRequest, asyncio.Future[PostResult]]] = []
        self._wake = asyncio.Event()
        self._running = False
        self.batches = 0
        self.posted = 0

    async def post(self, request: PostRequest) -> PostResult:
        """Store ``request`` durably; returns the message (or the refusal) once committed."""
        key = request.payload.get("key") if request.kind == "image" else None
        if isinstance(key, str) and KEY_PATTERN.match(key) and not await self._media.exists(key):
            return InvalidPayload("That image was not uploaded (or has expired).", field="payload")
        if not self._running:  # no worker (a one-off script): commit on the spot
            (result,) = await self._transactions.run(post_messages, [request])
            return result
        future: asyncio.Future[PostResult] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        self._wake.set()
        return await future

    async def run(self) -> None:
        self._running = True
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._pending:
                    batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                    await self._commit(batch)
        finally:
            self._running = False
            for _, future in self._pending:
                if not future.done():
                    future.cancel()

    async def _commit(self, batch: list[tuple[PostRequest, asyncio.Future[PostResult]]]) -> None:
        requests = [request for request, _ in batch]
        try:
            results = await self._transactions.run(post_messages, requests)
        except Exception:
            if len(batch) == 1:
                log.exception("posting a message failed")
                results = [Unavailable("The message could not be stored; try again.")]
            else:  # isolate the request that broke the batch; the others still go through
                for one in batch:
                    await self._commit([one])
                return
        self.batches += 1
        self.posted += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
