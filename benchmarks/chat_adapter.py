"""Tuan adapter for the shared chat fan-out harness (``../shared/bench/chat/harness.py``).

Use it as ``--target benchmarks.chat_adapter:TuanAdapter,url=http://127.0.0.1:8000,pids=1234``
with this repository on ``PYTHONPATH`` (``tuan bench chat`` does all of that for you).

Everything goes through Tuan's public API, as a real client would: N users register and log in,
member 0 creates an open group (cap = N) and an invite link, the others join through it; each
member holds one WebSocket; a send is a ``send`` frame acknowledged after the message is stored
durably (the ``ack``), and a delivery is the ``message`` frame that the server pushes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect

Deliver = Callable[[int, str], None]
PASSWORD = "bench password 1234"  # noqa: S105 - throwaway benchmark accounts

try:  # the harness puts its own directory on sys.path; this makes the import work from anywhere
    from adapters.base import ChatAdapter  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - only when used outside the harness
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "chat"))
    try:
        from adapters.base import ChatAdapter
    except ImportError:
        ChatAdapter = object


class TuanAdapter(ChatAdapter):  # type: ignore[misc, valid-type]
    name = "tuan"

    def __init__(self, **options: str) -> None:
        self.options = options
        self.url = options.get("url", "http://127.0.0.1:8000").rstrip("/")
        self.ws_url = self.url.replace("http://", "ws://").replace("https://", "wss://")
        self.sockets: list[ClientConnection] = []
        self.tokens: list[str] = []
        self.readers: list[asyncio.Task[None]] = []
        self.acks: dict[str, asyncio.Future[None]] = {}
        self.counter = itertools.count()
        self.errors = 0
        self.resyncs = 0

    async def setup(self, n_members: int, tag: str) -> None:
        limits = httpx.Limits(max_connections=16)
        async with httpx.AsyncClient(base_url=self.url, timeout=120, limits=limits) as http:
            gate = asyncio.Semaphore(8)

            async def enrol(i: int) -> str:
                async with gate:
                    name = f"b{tag}_{i}"[:32]
                    created = await http.post(
                        "/api/v1/accounts",
                        json={"username": name, "display_name": name, "password": PASSWORD},
                    )
                    created.raise_for_status()
                    session = await http.post(
                        "/api/v1/sessions", json={"username": name, "password": PASSWORD}
                    )
                    session.raise_for_status()
                    return str(session.json()["token"])

            self.tokens = list(await asyncio.gather(*(enrol(i) for i in range(n_members))))
            owner = {"Authorization": f"Bearer {self.tokens[0]}"}
            group = await http.post(
                "/api/v1/groups",
                headers=owner,
                json={"name": f"bench {tag}", "join_policy": "open", "member_cap": n_members},
            )
            group.raise_for_status()
            self.conversation_id = int(group.json()["id"])
            link = await http.post(
                f"/api/v1/groups/{self.conversation_id}/invite-links", headers=owner, json={}
            )
            code = link.json()["code"]

            async def join(i: int) -> None:
                async with gate:
                    joined = await http.post(
                        f"/api/v1/invites/{code}/join",
                        headers={"Authorization": f"Bearer {self.tokens[i]}"},
                        json={},
                    )
                    joined.raise_for_status()

            await asyncio.gather(*(join(i) for i in range(1, n_members)))

    async def start(self, deliver: Deliver) -> None:
        gate = asyncio.Semaphore(50)

        async def open_socket(i: int) -> ClientConnection:
            async with gate:
                ws = await connect(
                    self.ws_url + "/api/v1/ws",
                    compression=None,
                    ping_interval=None,
                    max_queue=None,
                    max_size=2**24,
                    open_timeout=60,
                    additional_headers={"Authorization": f"Bearer {self.tokens[i]}"},
                )
                while True:  # live from here on: nothing later can be missed
                    frame = orjson.loads(await asyncio.wait_for(ws.recv(), 60))
                    if frame["type"] == "ready":
                        return ws

        opened = await asyncio.gather(*(open_socket(i) for i in range(len(self.tokens))))
        self.sockets = list(opened)
        self.readers = [
            asyncio.create_task(self._read(i, ws, deliver)) for i, ws in enumerate(self.sockets)
        ]

    async def _read(self, member: int, ws: ClientConnection, deliver: Deliver) -> None:
        with contextlib.suppress(Exception):
            async for raw in ws:
                frame: dict[str, Any] = orjson.loads(raw)
                kind = frame["type"]
                if kind == "message":
                    message = frame["message"]
                    if message["kind"] == "text":
                        deliver(member, message["text"])
                elif kind == "ack":
                    future = self.acks.pop(frame["client_id"], None)
                    if future is not None and not future.done():
                        future.set_result(None)
                elif kind == "error":
                    self.errors += 1
                    future = self.acks.pop(frame.get("ref") or "", None)
                    if future is not None and not future.done():
                        future.set_exception(RuntimeError(frame["message"]))
                elif kind == "resync":
                    self.resyncs += 1

    async def send(self, sender: int, body: str) -> None:
        client_id = f"{sender}-{next(self.counter)}"
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.acks[client_id] = future
        frame = {
            "type": "send",
            "conversation_id": self.conversation_id,
            "client_id": client_id,
            "text": body,
        }
        await self.sockets[sender].send(orjson.dumps(frame).decode())
        await future

    async def stop(self) -> None:
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.gather(*self.readers, return_exceptions=True)
        for future in self.acks.values():
            future.cancel()
        self.acks.clear()

    def server_pids(self) -> list[int]:
        return [int(p) for p in self.options.get("pids", "").split("+") if p.strip()]

    def stats(self) -> dict[str, int]:
        return {"errors": self.errors, "resyncs": self.resyncs}
