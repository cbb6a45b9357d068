"""The chat WebSocket: ``/api/v1/ws``.

Authenticate with ``Authorization: Bearer <token>`` or with the first frame
``{"type": "hello", "token": "...", "positions": {"<conversation id>": <position>}}``; a page of
this site may leave the token out of its hello and be known by its session cookie. Given
positions, the server first sends everything after them (each change once, oldest first), then
``{"type": "ready", "positions": {...}}``, then live frames. Client frames: ``hello``, ``send``,
``typing``, ``read``, ``ping``, ``watch_team`` (``{"type": "watch_team", "team_id": N, "code":
"..."}``: a team the caller may see — public, theirs, or with its share-link code — answered
``{"type": "watching", "team_id": N}``; then ``{"type": "team", "team_id": N}`` whenever it moves,
to be read again over HTTP). A malformed frame gets ``{"type": "error", ...}`` and the
connection stays open. A client that falls too far behind gets ``{"type": "resync"}`` and is
disconnected (code 4008); it reconnects with its positions and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import Field, TypeAdapter, ValidationError

from tuan.bootstrap import Container
from tuan.chat import queries, service
from tuan.chat.posting import PostRequest
from tuan.core.errors import TuanError
from tuan.groupbuy.queries import team_page
from tuan.http.errors import reader_locale
from tuan.http.realtime import PROTOCOL_KEY
from tuan.http.routes.teams import CODE_PATTERN, viewer
from tuan.http.schemas import Id, Input, Position
from tuan.http.throttle import message_refusal
from tuan.realtime import topics
from tuan.realtime.connection import Connection, QueuedSocket, RawSocket, Socket, text_frame
from tuan.web.i18n import refusal_message, render
from tuan.web.security import SESSION_COOKIE, same_origin
from tuan.web.sessions import caller

router = APIRouter()

SEND_BUFFER_LIMIT = 4 * 1024 * 1024
MAX_IN_FLIGHT = 64
CATCH_UP_LIMIT = 1000
AUTH_TIMEOUT = 10.0
TYPING_EVERY = 2.0


class Frame(Input):
    pass


class Hello(Frame):
    type: Literal["hello"]
    token: str | None = Field(default=None, max_length=200)
    positions: dict[Annotated[int, Field(strict=False)], Position] = Field(default_factory=dict)


class Send(Frame):
    type: Literal["send"]
    conversation_id: Id
    client_id: str = Field(min_length=1, max_length=64)
    kind: str = Field(default="text", max_length=32)
    text: str = Field(default="", max_length=20_000)
    payload: dict[str, Any] = Field(default_factory=dict)
    reply_to_seq: Id | None = None
    mentions: list[Id] = Field(default_factory=list, max_length=50)


class Typing(Frame):
    type: Literal["typing"]
    conversation_id: Id


class Read(Frame):
    type: Literal["read"]
    conversation_id: Id
    seq: Position


class WatchTeam(Frame):
    type: Literal["watch_team"]
    team_id: Id
    code: str | None = Field(default=None, min_length=8, max_length=32, pattern=CODE_PATTERN)


class Ping(Frame):
    type: Literal["ping"]
    ref: str | None = Field(default=None, max_length=64)


ClientFrame = TypeAdapter(
    Annotated[Hello | Send | Typing | Read | Ping | WatchTeam, Field(discriminator="type")]
)


def _encode(body: dict[str, Any]) -> bytes:
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)


def _problem(exc: ValidationError | ValueError) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return "the frame is not a JSON object with a known 'type'"


class Session:
    """One authenticated socket: its connection in the hub and its in-flight sends."""

    def __init__(self, container: Container, websocket: WebSocket, user_id: int) -> None:
        self.container = container
        self.websocket = websocket
        protocol = websocket.scope.get(PROTOCOL_KEY)
        socket: Socket
        if RawSocket.usable(protocol):
            socket = RawSocket(protocol, SEND_BUFFER_LIMIT)
        else:
            socket = QueuedSocket(websocket.send_text, SEND_BUFFER_LIMIT, self._close)
        self.connection = Connection(user_id, socket)
        # The language refusals are said in (the web app's cookie or the handshake's
        # Accept-Language): a page shows a failed send's reason as it comes.
        self.locale = reader_locale(websocket)
        self.in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.tasks: set[asyncio.Task[None]] = set()
        self.last_typing: dict[int, float] = {}
        self.finished = False

    async def _close(self, code: int) -> None:
        await self.websocket.close(code)

    def reply(self, body: dict[str, Any]) -> None:
        self.connection.push_plain(_encode(body))

    def error(self, code: str, message: str, ref: str | None = None) -> None:
        self.reply({"type": "error", "code": code, "message": message, "ref": ref})

    async def start(self, hello: Hello | None) -> None:
        container, user_id = self.container, self.connection.user_id
        async with container.db.read_sessions() as session:
            followed = await queries.conversation_ids_of(session, user_id)
            now_at = await queries.positions(session, followed)
        container.hub.register(self.connection, now_at)
        wanted = hello.positions if hello else {}
        for cid, current in now_at.items():
            if cid in wanted:
                await self._catch_up(cid, wanted[cid], current)
            else:
                self.connection.positions[cid] = current
        self.connection.go_live()
        self.reply({"type": "ready", "user_id": user_id, "positions": self.connection.positions})

    async def _catch_up(self, cid: int, after: int, current: int) -> None:
        async with self.container.db.read_sessions() as session:
            page = await queries.changes_after(
                session,
                conversation_id=cid,
                user_id=self.connection.user_id,
                after=after,
                limit=CATCH_UP_LIMIT,
            )
        for view in page.messages:
            payload = _encode({"type": "message", "conversation_id": cid, "message": view})
            self.connection.socket.write(payload, text_frame(payload))
        self.connection.positions[cid] = max(page.position, after)
        if page.has_more:  # too much to replay here: say exactly what to fetch over HTTP
            self.reply(
                {"type": "gap", "conversation_id": cid, "after": page.position, "to": current}
            )
            self.connection.positions[cid] = max(current, page.position)

    def handle(self, raw: str | bytes) -> None:
        try:
            frame = ClientFrame.validate_json(raw)
        except (ValidationError, ValueError) as exc:
            self.error("BAD_FRAME", _problem(exc))
            return
        if isinstance(frame, Send):
            self._spawn(self._send(frame))
        elif isinstance(frame, Read):
            self._spawn(self._read(frame))
        elif isinstance(frame, Typing):
            self._typing(frame)
        elif isinstance(frame, WatchTeam):
            self._spawn(self._watch_team(frame))
        elif isinstance(frame, Ping):
            self.reply({"type": "pong", "ref": frame.ref})
        else:
            self.error("ALREADY_GREETED", "hello is only the first frame")

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _send(self, frame: Send) -> None:
        refused = await message_refusal(self.container, self.connection.user_id)
        if refused is not None:
            self.error(refused.code, refusal_message(self.locale, refused), ref=frame.client_id)
            return
        async with self.in_flight:
            result = await self.container.poster.post(
                PostRequest(
                    conversation_id=frame.conversation_id,
                    sender_id=self.connection.user_id,
                    text=frame.text,
                    kind=frame.kind,
                    payload=frame.payload,
                    client_id=frame.client_id,
                    reply_to_seq=frame.reply_to_seq,
                    mentions=tuple(frame.mentions),
                )
            )
        if isinstance(result, TuanError):
            self.error(result.code, refusal_message(self.locale, result), ref=frame.client_id)
            return
        message = result.message
        self.reply(
            {
                "type": "ack",
                "client_id": frame.client_id,
                "conversation_id": message["conversation_id"],
                "seq": message["seq"],
                "version": message["version"],
                "duplicate": result.duplicate,
            }
        )

    async def _read(self, frame: Read) -> None:
        try:
            await self.container.run(
                service.mark_read,
                conversation_id=frame.conversation_id,
                user_id=self.connection.user_id,
                seq=frame.seq,
            )
        except TuanError as exc:
            self.error(exc.code, refusal_message(self.locale, exc))

    async def _watch_team(self, frame: WatchTeam) -> None:
        """Follow a team the caller may see (the same check as reading it over HTTP)."""
        container, user_id = self.container, self.connection.user_id
        try:
            async with container.db.read_sessions() as reader:
                looking = viewer(reader, user_id, container)
                await team_page(reader, frame.team_id, looking, frame.code)
        except TuanError as exc:
            self.error(exc.code, refusal_message(self.locale, exc), ref=f"team:{frame.team_id}")
            return
        if self.finished:  # the socket closed while the team was read: nothing to follow
            return
        if not container.hub.watch_team(self.connection, frame.team_id):
            self.error("TOO_MANY_TEAMS", render(self.locale, "err.TOO_MANY_TEAMS"))
            return
        self.reply({"type": "watching", "team_id": frame.team_id})

    def _typing(self, frame: Typing) -> None:
        cid = frame.conversation_id
        if cid not in self.connection.positions:
            self.error("CONVERSATION_NOT_FOUND", render(self.locale, "err.CONVERSATION_NOT_FOUND"))
            return
        now = time.monotonic()
        if now - self.last_typing.get(cid, 0.0) < TYPING_EVERY:
            return
        self.last_typing[cid] = now
        self._spawn(
            self.container.bus.announce(
                topics.TYPING,
                {"conversation_id": cid, "user_id": self.connection.user_id},
                self.container.clock.now(),
            )
        )

    async def finish(self) -> None:
        self.finished = True
        self.container.hub.unregister(self.connection)
        for task in list(self.tasks):
            task.cancel()
        for task in list(self.tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _bearer(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _cookie_token(websocket: WebSocket) -> str | None:
    """The web app's session cookie, honoured only from a page of this site.

    WebSockets are outside the same-origin policy: a page on any site may open one to us and the
    browser attaches our cookies, so without this Origin check another site could act as the
    user (cross-site WebSocket hijacking).
    """
    token = websocket.cookies.get(SESSION_COOKIE)
    if not token or not same_origin(websocket.headers.get("origin"), websocket.headers.get("host")):
        return None
    return token


async def _authenticate(container: Container, token: str | None) -> int | None:
    if not token:
        return None
    try:
        return (await caller(container, token)).user.id
    except TuanError:
        return None


async def _refuse(websocket: WebSocket, code: str, message: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.send_text(
            _encode({"type": "error", "code": code, "message": message}).decode()
        )
        await websocket.close(4001)


@router.websocket("/api/v1/ws")
async def chat_socket(websocket: WebSocket) -> None:
    container: Container = websocket.app.state.container
    await websocket.accept()
    hello: Hello | None = None
    token = _bearer(websocket)
    if token is None:
        try:
            raw = await asyncio.wait_for(websocket.receive_text(), timeout=AUTH_TIMEOUT)
        except (TimeoutError, WebSocketDisconnect, RuntimeError, KeyError):
            with contextlib.suppress(Exception):
                await websocket.close(4001)
            return
        try:
            first = ClientFrame.validate_json(raw)
        except (ValidationError, ValueError) as exc:
            await _refuse(websocket, "HELLO_FIRST", _problem(exc))
            return
        if not isinstance(first, Hello):
            await _refuse(websocket, "HELLO_FIRST", 'Send {"type": "hello", "token": ...} first.')
            return
        hello, token = first, first.token or _cookie_token(websocket)
    user_id = await _authenticate(container, token)
    if user_id is None:
        await _refuse(
            websocket,
            "NOT_AUTHENTICATED",
            "Log in first; the token is missing, expired or revoked.",
        )
        return
    session = Session(container, websocket, user_id)
    try:
        await session.start(hello)
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("text") if message.get("text") is not None else message.get("bytes")
            if data is not None:
                session.handle(data)
    except WebSocketDisconnect:
        pass
    finally:
        await session.finish()
