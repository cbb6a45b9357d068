"""One client's WebSocket, seen from the hub: positions, catch-up buffering, a bounded outbox.

Fan-out cost matters (a message to a 500-member group is 500 writes), so a frame is encoded once
per message and each delivery is a single write to the connection's transport. Under uvicorn the
connection writes pre-framed bytes straight to the transport (``RawSocket``); elsewhere it falls
back to a bounded queue drained by one task (``QueuedSocket``). Either way a client whose unsent
data exceeds the limit is told to resync and is dropped, so a slow reader never slows the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import orjson

log = logging.getLogger(__name__)

RESYNC_FRAME = orjson.dumps({"type": "resync", "reason": "you fell behind; fetch what you missed"})
CLOSE_SLOW = 4008


def text_frame(payload: bytes) -> bytes:
    """A complete unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2) for ``payload``."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


class Socket(Protocol):
    def write(self, payload: bytes, frame: bytes) -> bool:
        """Queue one text message; False if the client is too far behind."""
        ...

    async def close(self, code: int) -> None: ...


class RawSocket:
    """Writes straight to uvicorn's transport; the transport's buffer is the bounded queue."""

    def __init__(self, protocol: Any, limit: int) -> None:
        self._protocol = protocol
        self._transport: asyncio.WriteTransport = protocol.transport
        self._limit = limit
        # With an extension such as permessage-deflate negotiated, frames must go through the
        # protocol's own encoder; without one a pre-built frame is byte-for-byte what it writes.
        self._plain = not getattr(protocol.conn, "extensions", None)

    @classmethod
    def usable(cls, protocol: Any) -> bool:
        return (
            protocol is not None
            and hasattr(protocol, "conn")
            and hasattr(protocol, "transport")
            and hasattr(protocol.conn, "send_text")
        )

    def write(self, payload: bytes, frame: bytes) -> bool:
        transport = self._transport
        if transport.is_closing():
            return True  # the close is on its way; the socket's reader cleans up
        if transport.get_write_buffer_size() > self._limit:
            return False
        if self._plain:
            transport.write(frame)
        else:
            conn = self._protocol.conn
            conn.send_text(payload)
            transport.write(b"".join(conn.data_to_send()))
        return True

    async def close(self, code: int) -> None:
        conn, transport = self._protocol.conn, self._transport
        if not transport.is_closing():
            with contextlib.suppress(Exception):
                conn.send_close(code, "")
                transport.write(b"".join(conn.data_to_send()))
            transport.close()


class QueuedSocket:
    """Fallback for servers whose transport we cannot reach: a bounded queue and one writer."""

    def __init__(
        self,
        send_text: Callable[[str], Awaitable[None]],
        limit: int,
        closer: Callable[[int], Awaitable[None]],
    ) -> None:
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=max(8, limit // 512))
        self._send_text = send_text
        self._closer = closer
        self._writer = asyncio.create_task(self._drain(), name="ws-writer")

    def write(self, payload: bytes, frame: bytes) -> bool:
        try:
            self._queue.put_nowait(payload)
        except asyncio.QueueFull:
            return False
        return True

    async def _drain(self) -> None:
        while True:
            payload = await self._queue.get()
            try:
                await self._send_text(payload.decode())
            except Exception:
                return

    async def close(self, code: int) -> None:
        self._writer.cancel()
        with contextlib.suppress(Exception):
            await self._closer(code)


class Connection:
    """A logged-in client: the conversations it follows and the last position it was sent in each.

    While it catches up (``syncing``), live frames are parked and released after the catch-up,
    skipping what the catch-up already covered; a frame at or below the position is never sent
    twice.
    """

    def __init__(self, user_id: int, socket: Socket) -> None:
        self.user_id = user_id
        self.socket = socket
        self.positions: dict[int, int] = {}
        self.teams: set[int] = set()  # team purchases it watches (tuan.realtime.hub.watch_team)
        self.syncing = True
        self._parked: list[tuple[int, int, bytes, bytes]] = []
        self.dropped = False

    def push(self, conversation_id: int, version: int, payload: bytes, frame: bytes) -> None:
        if self.dropped:
            return
        if self.syncing:
            self._parked.append((conversation_id, version, payload, frame))
            return
        if version <= self.positions.get(conversation_id, 0):
            return
        self.positions[conversation_id] = version
        if not self.socket.write(payload, frame):
            self._drop()

    def push_plain(self, payload: bytes, frame: bytes | None = None) -> None:
        """A frame without a position (typing, notifications, acks)."""
        if self.dropped:
            return
        if not self.socket.write(payload, frame if frame is not None else text_frame(payload)):
            self._drop()

    def go_live(self) -> None:
        self.syncing = False
        parked, self._parked = self._parked, []
        for conversation_id, version, payload, frame in parked:
            self.push(conversation_id, version, payload, frame)

    def _drop(self) -> None:
        self.dropped = True
        with contextlib.suppress(Exception):
            self.socket.write(RESYNC_FRAME, text_frame(RESYNC_FRAME))
        asyncio.get_running_loop().create_task(self.socket.close(CLOSE_SLOW))
        log.info("dropped slow connection of user %s", self.user_id)
