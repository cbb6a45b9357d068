"""Chat use cases. Posting is batch-native (``post_messages``) so a group commit can write many
messages in one transaction; every other use case changes one thing in one transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from tuan.chat import domain, stream
from tuan.chat.errors import (
    BlockedByRecipient,
    CannotMessageStranger,
    ConversationClosed,
    ConversationNotFound,
    DuplicateClientId,
    MentionNotMember,
    MessageDeleted,
    MessageNotFound,
    NotYourMessage,
    UnknownReplyTarget,
)
from tuan.chat.events import MessagePosted, ReactionAdded
from tuan.chat.models import ChatPreferences, Conversation, Member, Message, Reaction
from tuan.core.errors import TuanError
from tuan.core.uow import UnitOfWork
from tuan.notifications.service import notify_users
from tuan.realtime import topics
from tuan.realtime.topics import MessageView
from tuan.social.queries import blocked_either_way, connected

FOREVER = datetime(domain.FOREVER_YEAR, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class PostRequest:
    conversation_id: int
    sender_id: int
    text: str = ""
    kind: str = "text"
    payload: dict[str, Any] = field(default_factory=dict)
    client_id: str | None = None
    reply_to_seq: int | None = None
    mentions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Posted:
    message: MessageView
    duplicate: bool


PostResult = Posted | TuanError


async def post_message(uow: UnitOfWork, request: PostRequest) -> Posted:
    (result,) = await post_messages(uow, [request])
    if isinstance(result, TuanError):
        raise result
    return result


async def post_messages(uow: UnitOfWork, requests: list[PostRequest]) -> list[PostResult]:
    """Post many messages in one transaction; each gets its own result or refusal."""
    results: list[PostResult | None] = [None] * len(requests)
    checked: list[tuple[int, PostRequest]] = []
    for index, request in enumerate(requests):
        try:
            text, payload = domain.check_message(request.kind, request.text, request.payload)
        except TuanError as refusal:
            results[index] = refusal
            continue
        checked.append((index, replace(request, text=text, payload=payload)))
    by_conversation: dict[int, list[tuple[int, PostRequest]]] = defaultdict(list)
    for index, request in checked:
        by_conversation[request.conversation_id].append((index, request))
    async with uow:
        for conversation_id, batch in by_conversation.items():
            for index, result in await _post_to(uow, conversation_id, batch):
                results[index] = result
        await uow.commit()
    return [r for r in results if r is not None]


async def _post_to(
    uow: UnitOfWork, conversation_id: int, batch: list[tuple[int, PostRequest]]
) -> list[tuple[int, PostResult]]:
    session = uow.session
    conversation = await session.get(Conversation, conversation_id)
    senders = {r.sender_id for _, r in batch}
    members = await _members_needed(uow, conversation, senders, batch)
    out: list[tuple[int, PostResult]] = []
    accepted: list[tuple[int, PostRequest]] = []
    refusal_for_sender = {s: await _refusal(uow, conversation, members, s) for s in senders}
    for index, request in batch:
        refusal = refusal_for_sender[request.sender_id]
        if refusal is not None:
            out.append((index, refusal))
        else:
            accepted.append((index, request))
    sorted_out = await _split_duplicates(uow, conversation_id, accepted)
    out.extend(sorted_out.done)
    accepted, refused = await _check_references(uow, conversation_id, members, sorted_out.fresh)
    out.extend(refused)
    assert conversation is not None or not accepted
    views = await _store(uow, conversation, members, accepted) if conversation else []
    outcome: dict[int, PostResult] = dict(refused)
    outcome.update(
        (index, Posted(view, duplicate=False))
        for (index, _), view in zip(accepted, views, strict=True)
    )
    out.extend((index, outcome[index]) for index, _ in accepted)
    for index, first in sorted_out.echoes:  # a retry in the same batch shares its original's fate
        result = outcome[first]
        out.append((index, Posted(result.message, True) if isinstance(result, Posted) else result))
    return out


async def _store(
    uow: UnitOfWork,
    conversation: Conversation,
    members: dict[int, Member],
    accepted: list[tuple[int, PostRequest]],
) -> list[MessageView]:
    if not accepted:
        return []
    rows = [
        {
            "sender_id": r.sender_id,
            "client_id": r.client_id,
            "kind": r.kind,
            "text": r.text,
            "payload": r.payload,
            "reply_to_seq": r.reply_to_seq,
            "mentions": list(r.mentions),
            "created_at": uow.now,
        }
        for _, r in accepted
    ]
    placed = await stream.append(uow.session, conversation.id, rows)
    views = [stream.render_row(row, {}) for row in placed]
    await _notify_recipients(uow, conversation, members, placed)
    for view in views:
        uow.notify(topics.CONVERSATION_CHANGED, view)
    return views


async def _members_needed(
    uow: UnitOfWork,
    conversation: Conversation | None,
    senders: set[int],
    batch: list[tuple[int, PostRequest]],
) -> dict[int, Member]:
    """The memberships a batch needs: its senders and the people it mentions (both people of a
    1:1 chat) — never all 500 members of a big group."""
    if conversation is None:
        return {}
    query = select(Member).where(Member.conversation_id == conversation.id)
    if conversation.kind != "direct":
        wanted = senders | {uid for _, r in batch for uid in r.mentions}
        query = query.where(Member.user_id.in_(wanted))
    return {m.user_id: m for m in await uow.session.scalars(query)}


async def _refusal(
    uow: UnitOfWork,
    conversation: Conversation | None,
    members: dict[int, Member],
    sender_id: int,
) -> TuanError | None:
    if conversation is None or sender_id not in members:
        return ConversationNotFound()
    if conversation.closed_at is not None:
        return ConversationClosed()
    if conversation.kind == "direct":
        other = next((uid for uid in members if uid != sender_id), None)
        if other is not None and await blocked_either_way(uow.session, sender_id, other):
            return BlockedByRecipient()
    return None


@dataclass
class _Sorted:
    fresh: list[tuple[int, PostRequest]]
    done: list[tuple[int, PostResult]]
    # A retry that arrived in the same batch as its original: (its index, the original's index)
    echoes: list[tuple[int, int]]


async def _split_duplicates(
    uow: UnitOfWork, conversation_id: int, batch: list[tuple[int, PostRequest]]
) -> _Sorted:
    """A retried send (same sender and client id) gets the original message back."""
    keyed = [(i, r) for i, r in batch if r.client_id]
    existing: dict[tuple[int | None, str | None], Message] = {}
    if keyed:
        existing = {
            (m.sender_id, m.client_id): m
            for m in await uow.session.scalars(
                select(Message).where(
                    Message.conversation_id == conversation_id,
                    Message.client_id.in_({r.client_id for _, r in keyed}),
                )
            )
        }
    result = _Sorted([], [], [])
    first_in_batch: dict[tuple[int, str], tuple[int, PostRequest]] = {}
    for index, request in batch:
        if not request.client_id:
            result.fresh.append((index, request))
            continue
        key = (request.sender_id, request.client_id)
        original = existing.get(key)
        earlier = first_in_batch.get(key)
        if original is not None:
            same = original.text == request.text and original.kind == request.kind
            result.done.append(
                (index, Posted(stream.render(original, {}), True) if same else DuplicateClientId())
            )
        elif earlier is not None:
            same = earlier[1].text == request.text and earlier[1].kind == request.kind
            if same:
                result.echoes.append((index, earlier[0]))
            else:
                result.done.append((index, DuplicateClientId()))
        else:
            first_in_batch[key] = (index, request)
            result.fresh.append((index, request))
    return result


async def _check_references(
    uow: UnitOfWork,
    conversation_id: int,
    members: dict[int, Member],
    batch: list[tuple[int, PostRequest]],
) -> tuple[list[tuple[int, PostRequest]], list[tuple[int, PostResult]]]:
    targets = {r.reply_to_seq for _, r in batch if r.reply_to_seq is not None}
    known: set[int] = set()
    if targets:
        known = set(
            await uow.session.scalars(
                select(Message.seq).where(
                    Message.conversation_id == conversation_id, Message.seq.in_(targets)
                )
            )
        )
    good: list[tuple[int, PostRequest]] = []
    bad: list[tuple[int, PostResult]] = []
    for index, request in batch:
        member = members[request.sender_id]
        if request.reply_to_seq is not None and (
            request.reply_to_seq not in known or request.reply_to_seq <= member.visible_from_seq
        ):
            bad.append((index, UnknownReplyTarget(field="reply_to_seq")))
        elif len(request.mentions) > domain.MAX_MENTIONS or not set(request.mentions) <= set(
            members
        ):
            bad.append((index, MentionNotMember(field="mentions")))
        else:
            good.append((index, request))
    return good, bad


async def _notify_recipients(
    uow: UnitOfWork,
    conversation: Conversation,
    members: dict[int, Member],
    placed: list[dict[str, Any]],
) -> None:
    """@mentions and direct messages notify, unless the recipient muted the conversation."""
    awake = {uid for uid, m in members.items() if m.muted_until is None or m.muted_until <= uow.now}
    reply_authors = await _authors_of(uow, conversation.id, {r["reply_to_seq"] for r in placed})
    for row in placed:
        sender = row["sender_id"]
        mentioned = [uid for uid in row["mentions"] if uid != sender]
        if conversation.kind == "direct":
            kind, targets = "direct_message", [uid for uid in members if uid != sender]
        else:
            kind, targets = "mention", mentioned
        await notify_users(
            uow,
            [uid for uid in targets if uid in awake],
            kind=kind,
            actor_id=sender,
            conversation_id=conversation.id,
            message_seq=row["seq"],
            data={"text": row["text"][:140]},
        )
        reply_author = reply_authors.get(row["reply_to_seq"])
        if conversation.kind == "direct" or mentioned or reply_author:
            uow.emit(
                MessagePosted(
                    conversation_id=conversation.id,
                    seq=row["seq"],
                    sender_id=sender,
                    kind=row["kind"],
                    reply_to_sender_id=reply_author,
                    mentioned_ids=mentioned,
                    direct_to=targets[0] if conversation.kind == "direct" and targets else None,
                )
            )


async def _authors_of(
    uow: UnitOfWork, conversation_id: int, seqs: set[int | None]
) -> dict[int | None, int]:
    wanted = {s for s in seqs if s is not None}
    if not wanted:
        return {}
    rows = await uow.session.execute(
        select(Message.seq, Message.sender_id).where(
            Message.conversation_id == conversation_id, Message.seq.in_(wanted)
        )
    )
    return {seq: sender for seq, sender in rows if sender is not None}


async def _own_message(
    uow: UnitOfWork, conversation_id: int, seq: int, user_id: int
) -> tuple[Message, Member]:
    member = await uow.session.get(Member, (conversation_id, user_id))
    if member is None:
        raise ConversationNotFound()
    message = await uow.session.scalar(
        select(Message).where(Message.conversation_id == conversation_id, Message.seq == seq)
    )
    if message is None or message.seq <= member.visible_from_seq:
        raise MessageNotFound()
    return message, member


async def _changed(uow: UnitOfWork, message: Message) -> MessageView:
    await stream.bump(uow.session, message)
    await uow.session.flush()
    reactions = (await stream.reactions_of(uow.session, [message.id])).get(message.id, {})
    view = stream.render(message, reactions)
    uow.notify(topics.CONVERSATION_CHANGED, view)
    return view


async def edit_message(
    uow: UnitOfWork, *, conversation_id: int, seq: int, editor_id: int, text: str
) -> MessageView:
    async with uow:
        message, _member = await _own_message(uow, conversation_id, seq, editor_id)
        if message.sender_id != editor_id:
            raise NotYourMessage()
        if message.deleted_at is not None:
            raise MessageDeleted()
        spec = domain.KINDS.get(message.kind)
        if spec is None or not spec.editable:
            raise NotYourMessage("This kind of message cannot be edited.")
        message.text = domain.check_text(text, required=True)
        message.edited_at = uow.now
        view = await _changed(uow, message)
        await uow.commit()
    return view


async def delete_message(
    uow: UnitOfWork, *, conversation_id: int, seq: int, user_id: int
) -> MessageView:
    """The sender, or a group admin or owner, deletes a message; a tombstone stays in its place."""
    async with uow:
        message, member = await _own_message(uow, conversation_id, seq, user_id)
        if message.sender_id != user_id and member.role not in ("owner", "admin"):
            raise NotYourMessage("Only the sender or a group admin can delete this message.")
        if message.deleted_at is None:
            message.deleted_at = uow.now
            message.text = ""
            message.payload = {}
            await uow.session.execute(delete(Reaction).where(Reaction.message_id == message.id))
            view = await _changed(uow, message)
        else:
            view = stream.render(message, {})
        await uow.commit()
    return view


async def react(
    uow: UnitOfWork, *, conversation_id: int, seq: int, user_id: int, emoji: str, on: bool
) -> MessageView:
    emoji = domain.check_emoji(emoji)
    async with uow:
        message, _member = await _own_message(uow, conversation_id, seq, user_id)
        if message.deleted_at is not None:
            raise MessageDeleted()
        key = {"message_id": message.id, "user_id": user_id, "emoji": emoji}
        existing = await uow.session.get(Reaction, (message.id, user_id, emoji))
        if on and existing is None:
            uow.session.add(Reaction(**key, created_at=uow.now))
            uow.emit(
                ReactionAdded(
                    conversation_id=conversation_id,
                    seq=seq,
                    user_id=user_id,
                    author_id=message.sender_id,
                    emoji=emoji,
                )
            )
        elif not on and existing is not None:
            await uow.session.delete(existing)
        else:  # nothing changes: no new version, no announcement
            reactions = (await stream.reactions_of(uow.session, [message.id])).get(message.id, {})
            return stream.render(message, reactions)
        await uow.session.flush()
        view = await _changed(uow, message)
        await uow.commit()
    return view


async def mark_read(uow: UnitOfWork, *, conversation_id: int, user_id: int, seq: int) -> int:
    """Move my read marker forward (never back); returns the marker."""
    async with uow:
        member = await uow.session.get(Member, (conversation_id, user_id))
        conversation = await uow.session.get(Conversation, conversation_id)
        if member is None or conversation is None:
            raise ConversationNotFound()
        target = min(seq, conversation.last_seq)
        if target > member.read_seq:
            member.read_seq = target
            prefs = await uow.session.get(ChatPreferences, user_id)
            if prefs is not None and prefs.share_read_receipts:
                uow.notify(
                    topics.READ_UP_TO,
                    {"conversation_id": conversation_id, "user_id": user_id, "read_seq": target},
                )
        marker = member.read_seq
        await uow.commit()
    return marker


async def mute(
    uow: UnitOfWork, *, conversation_id: int, user_id: int, until: datetime | None
) -> datetime | None:
    """Mute until a time (or forever with ``FOREVER``); None unmutes. Unread still counts."""
    async with uow:
        member = await uow.session.get(Member, (conversation_id, user_id))
        if member is None:
            raise ConversationNotFound()
        member.muted_until = until
        await uow.commit()
    return until


async def set_preferences(uow: UnitOfWork, *, user_id: int, share_read_receipts: bool) -> bool:
    async with uow:
        prefs = await uow.session.get(ChatPreferences, user_id)
        if prefs is None:
            uow.session.add(
                ChatPreferences(
                    user_id=user_id, share_read_receipts=share_read_receipts, updated_at=uow.now
                )
            )
        else:
            prefs.share_read_receipts = share_read_receipts
            prefs.updated_at = uow.now
        await uow.commit()
    return share_read_receipts


async def open_direct(uow: UnitOfWork, *, user_id: int, other_id: int) -> int:
    """The 1:1 conversation between two people, created on first use."""
    from tuan.accounts.models import User
    from tuan.chat.membership import add_member

    if other_id == user_id:
        raise CannotMessageStranger("You cannot open a chat with yourself.")
    async with uow:
        if await uow.session.get(User, other_id) is None:
            raise ConversationNotFound("No such person.")
        if await blocked_either_way(uow.session, user_id, other_id):
            raise BlockedByRecipient()
        key = domain.direct_key(user_id, other_id)
        found = await uow.session.scalar(
            select(Conversation.id).where(Conversation.direct_key == key)
        )
        if found is not None:
            await uow.commit()
            return int(found)
        if not await connected(uow.session, user_id, other_id):
            raise CannotMessageStranger()
        conversation = Conversation(kind="direct", direct_key=key, created_at=uow.now)
        uow.session.add(conversation)
        try:
            await uow.session.flush()
        except IntegrityError:  # created by the other person at the same moment
            await uow.session.rollback()
            raise
        for uid in (user_id, other_id):
            await add_member(uow.session, conversation.id, uid, role="member", now=uow.now)
            uow.notify(
                topics.MEMBERSHIP_CHANGED,
                {"conversation_id": conversation.id, "user_id": uid, "joined": True},
            )
        await uow.commit()
        return conversation.id
