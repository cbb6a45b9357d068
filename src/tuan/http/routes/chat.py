"""Conversations and messages over HTTP (the WebSocket carries the same shapes live)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, UploadFile, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from tuan.chat import queries, service
from tuan.chat.domain import MAX_TEXT
from tuan.chat.posting import PostRequest
from tuan.chat.queries import ConversationMember
from tuan.chat.service import FOREVER
from tuan.core.errors import TuanError
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, Id, IdPath, Input, IsoDateTime, Position, Words
from tuan.http.throttle import MessageAllowed, UploadAllowed

router = APIRouter(prefix="/api/v1", tags=["chat"])

NOT_MEMBER = error_responses(401, 404)
WRITE = error_responses(400, 401, 403, 404, 409, 413, 422, 503)


class SystemLineOut(BaseModel):
    code: str = Field(description="What happened, e.g. member_joined; say it from a catalogue")
    params: dict[str, Any] = Field(description="What the sentence needs, e.g. {name: ...}")


class MessageOut(BaseModel):
    conversation_id: int
    seq: int = Field(description="Place in the conversation; never changes")
    version: int = Field(description="Position of the latest change; resume with after=<this>")
    sender_id: int | None
    client_id: str | None
    kind: str
    text: str
    payload: dict[str, Any]
    system: SystemLineOut | None = Field(
        description="For kind 'system', the line the server wrote, as a code and parameters"
    )
    reply_to_seq: int | None
    mentions: list[int]
    reactions: dict[str, list[int]]
    created_at: datetime
    edited_at: datetime | None
    deleted: bool


class PageOut(BaseModel):
    messages: list[MessageOut]
    position: int = Field(description="Ask for after=<position> next time")
    has_more: bool


class ConversationOut(BaseModel):
    """``tuan.chat.queries.ConversationSummary`` with its last message typed for clients."""

    id: int
    kind: Literal["direct", "group"]
    title: str
    avatar_url: str | None
    partner_id: int | None
    parent_group_id: int | None
    role: str
    position: int
    read_seq: int
    unread: int
    muted: bool
    muted_until: datetime | None
    closed: bool
    last_message: MessageOut | None
    updated_at: datetime


class PostIn(Input):
    client_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Your id for this message: a retried send with it returns the original",
    )
    kind: str = Field(default="text", max_length=32)
    text: str = Field(default="", max_length=MAX_TEXT)
    payload: dict[str, Any] = Field(default_factory=dict)
    reply_to_seq: Id | None = None
    mentions: list[Id] = Field(default_factory=list, max_length=50)


class EditIn(Input):
    text: Words


class DirectIn(Input):
    user_id: Id


class ReadIn(Input):
    seq: Position


class ReadOut(BaseModel):
    read_seq: int


class MuteIn(Input):
    until: IsoDateTime | None = Field(default=None, description="Mute until then; null unmutes")
    forever: bool = False


class MuteOut(BaseModel):
    muted_until: datetime | None


class ReceiptOut(BaseModel):
    user_id: int
    read_seq: int


class ImageOut(BaseModel):
    key: str
    url: str
    width: int
    height: int


class IdOut(BaseModel):
    id: int


class PreferencesIn(Input):
    share_read_receipts: bool


class PreferencesOut(BaseModel):
    share_read_receipts: bool


@router.get("/conversations", responses=error_responses(401))
async def list_conversations(
    user: CurrentUser, reader: ReaderDep, container: ContainerDep
) -> list[ConversationOut]:
    """My chats, most recent first, with unread counts and mute state."""
    rows = await queries.my_conversations(reader, user_id=user.id, now=container.clock.now())
    return [ConversationOut.model_validate(row, from_attributes=True) for row in rows]


@router.post("/conversations/direct", responses=error_responses(400, 401, 403, 404, 413, 422))
async def open_direct(body: DirectIn, user: CurrentUser, container: ContainerDep) -> IdOut:
    """The 1:1 chat with a friend or someone in a shared group (created on first use)."""
    return IdOut(
        id=await container.run(service.open_direct, user_id=user.id, other_id=body.user_id)
    )


@router.get("/conversations/{conversation_id}/messages", responses=error_responses(401, 404, 422))
async def list_messages(
    conversation_id: IdPath,
    user: CurrentUser,
    reader: ReaderDep,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Everything changed after this")
    ] = None,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="History older than this seq")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PageOut:
    """Sync (``after``: every message created or changed since, once each, in order) or scroll
    back (``before``). With neither, the latest messages."""
    if after is not None:
        page = await queries.changes_after(
            reader, conversation_id=conversation_id, user_id=user.id, after=after, limit=limit
        )
    else:
        page = await queries.history_before(
            reader,
            conversation_id=conversation_id,
            user_id=user.id,
            before=before if before is not None else MAX_ID,
            limit=limit,
        )
    return PageOut(messages=page.messages, position=page.position, has_more=page.has_more)


@router.post(
    "/conversations/{conversation_id}/messages",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": MessageOut, "description": "A retried send: the original"},
        **WRITE,
        **error_responses(429),
    },
    dependencies=[MessageAllowed],
)
async def post_message(
    conversation_id: IdPath, body: PostIn, user: CurrentUser, container: ContainerDep
) -> JSONResponse:
    """Post a message; it is stored durably before this answers."""
    result = await container.poster.post(
        PostRequest(
            conversation_id=conversation_id,
            sender_id=user.id,
            text=body.text,
            kind=body.kind,
            payload=body.payload,
            client_id=body.client_id,
            reply_to_seq=body.reply_to_seq,
            mentions=tuple(body.mentions),
        )
    )
    if isinstance(result, TuanError):
        raise result
    out = MessageOut.model_validate(result.message)
    return JSONResponse(out.model_dump(mode="json"), status_code=200 if result.duplicate else 201)


@router.patch("/conversations/{conversation_id}/messages/{seq}", responses=WRITE)
async def edit_message(
    conversation_id: IdPath, seq: IdPath, body: EditIn, user: CurrentUser, container: ContainerDep
) -> MessageOut:
    view = await container.run(
        service.edit_message,
        conversation_id=conversation_id,
        seq=seq,
        editor_id=user.id,
        text=body.text,
    )
    return MessageOut.model_validate(view)


@router.delete("/conversations/{conversation_id}/messages/{seq}", responses=WRITE)
async def delete_message(
    conversation_id: IdPath, seq: IdPath, user: CurrentUser, container: ContainerDep
) -> MessageOut:
    """Delete (the sender, or a group admin); a tombstone keeps the message's place."""
    view = await container.run(
        service.delete_message, conversation_id=conversation_id, seq=seq, user_id=user.id
    )
    return MessageOut.model_validate(view)


@router.put("/conversations/{conversation_id}/messages/{seq}/reactions/{emoji}", responses=WRITE)
async def add_reaction(
    conversation_id: IdPath, seq: IdPath, emoji: str, user: CurrentUser, container: ContainerDep
) -> MessageOut:
    view = await container.run(
        service.react,
        conversation_id=conversation_id,
        seq=seq,
        user_id=user.id,
        emoji=emoji,
        on=True,
    )
    return MessageOut.model_validate(view)


@router.delete("/conversations/{conversation_id}/messages/{seq}/reactions/{emoji}", responses=WRITE)
async def remove_reaction(
    conversation_id: IdPath, seq: IdPath, emoji: str, user: CurrentUser, container: ContainerDep
) -> MessageOut:
    view = await container.run(
        service.react,
        conversation_id=conversation_id,
        seq=seq,
        user_id=user.id,
        emoji=emoji,
        on=False,
    )
    return MessageOut.model_validate(view)


@router.post("/conversations/{conversation_id}/read", responses=WRITE)
async def mark_read(
    conversation_id: IdPath, body: ReadIn, user: CurrentUser, container: ContainerDep
) -> ReadOut:
    """Move my read marker forward to ``seq``."""
    marker = await container.run(
        service.mark_read, conversation_id=conversation_id, user_id=user.id, seq=body.seq
    )
    return ReadOut(read_seq=marker)


@router.put("/conversations/{conversation_id}/mute", responses=WRITE)
async def mute(
    conversation_id: IdPath, body: MuteIn, user: CurrentUser, container: ContainerDep
) -> MuteOut:
    """Mute for a while (``until``) or ``forever``; unread still counts, nothing notifies."""
    until = FOREVER if body.forever else body.until
    muted = await container.run(
        service.mute, conversation_id=conversation_id, user_id=user.id, until=until
    )
    return MuteOut(muted_until=muted)


@router.get("/conversations/{conversation_id}/members", responses=NOT_MEMBER)
async def list_members(
    conversation_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[ConversationMember]:
    return await queries.members(reader, conversation_id=conversation_id, viewer_id=user.id)


@router.get("/conversations/{conversation_id}/receipts", responses=NOT_MEMBER)
async def read_receipts(
    conversation_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[ReceiptOut]:
    """How far others have read: only people who chose to share their read receipts."""
    rows = await queries.read_receipts(reader, conversation_id=conversation_id, viewer_id=user.id)
    return [ReceiptOut(**r) for r in rows]


@router.post(
    "/conversations/{conversation_id}/images",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 413, 415, 422, 429),
    dependencies=[UploadAllowed],
)
async def upload_image(
    conversation_id: IdPath,
    file: UploadFile,
    user: CurrentUser,
    reader: ReaderDep,
    container: ContainerDep,
) -> ImageOut:
    """Upload a photo to send as ``{"kind": "image", "payload": {"key": ...}}``."""
    await queries.membership(reader, conversation_id, user.id)
    stored = await container.images.store(
        "chat",
        file.file,
        max_side=2048,
        max_bytes=container.settings.max_upload_bytes,
    )
    return ImageOut(
        key=stored.key, url=f"/media/{stored.key}", width=stored.width, height=stored.height
    )


@router.get("/me/chat-preferences", responses=error_responses(401))
async def get_preferences(user: CurrentUser, reader: ReaderDep) -> PreferencesOut:
    return PreferencesOut(share_read_receipts=await queries.preferences(reader, user.id))


@router.put("/me/chat-preferences", responses=error_responses(400, 401, 413, 422))
async def set_preferences(
    body: PreferencesIn, user: CurrentUser, container: ContainerDep
) -> PreferencesOut:
    """Read receipts are private by default; share them here."""
    shared = await container.run(
        service.set_preferences, user_id=user.id, share_read_receipts=body.share_read_receipts
    )
    return PreferencesOut(share_read_receipts=shared)


__all__ = ["Response", "router"]
