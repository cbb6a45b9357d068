"""A small chat client for tests: connects, says hello, collects frames."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect


class ChatClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self._arrived = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())
        self.closed_code: int | None = None

    @classmethod
    async def open(
        cls,
        host: str,
        token: str,
        positions: dict[int, int] | None = None,
        *,
        hello: bool = True,
        headers: dict[str, str] | None = None,
    ) -> ChatClient:
        ws = await connect(f"ws://{host}/api/v1/ws", max_size=2**24, additional_headers=headers)
        client = cls(ws)
        if hello:
            await client.send({"type": "hello", "token": token, "positions": positions or {}})
            await client.wait_for(lambda f: f["type"] == "ready")
        return client

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                async with self._arrived:
                    self.frames.append(orjson.loads(raw))
                    self._arrived.notify_all()
        except Exception:
            pass
        finally:
            self.closed_code = self.ws.close_code
            async with self._arrived:
                self._arrived.notify_all()

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(orjson.dumps(frame, option=orjson.OPT_NON_STR_KEYS).decode())

    async def send_raw(self, raw: str) -> None:
        await self.ws.send(raw)

    async def wait_for(self, match: Any, timeout: float = 10.0) -> dict[str, Any]:
        async def find() -> dict[str, Any]:
            async with self._arrived:
                while True:
                    for frame in self.frames:
                        if match(frame):
                            return frame
                    if self._reader.done():
                        raise AssertionError(f"connection closed; frames: {self.frames[-5:]}")
                    await self._arrived.wait()

        return await asyncio.wait_for(find(), timeout)

    def messages(self, cid: int) -> list[dict[str, Any]]:
        return [
            f["message"]
            for f in self.frames
            if f["type"] == "message" and f["conversation_id"] == cid
        ]

    def texts(self, cid: int) -> list[str]:
        return [m["text"] for m in self.messages(cid) if m["kind"] != "system"]

    async def close(self) -> None:
        await self.ws.close()
        with contextlib.suppress(Exception):
            await self._reader
