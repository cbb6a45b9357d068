"""Posting messages, batch-native: a group commit (``tuan.chat.poster``) writes many messages, to
many conversations, in one transaction; each request gets its own message or refusal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from tuan.chat import domain, stream
from tuan.chat.errors import (
    BlockedByRecipient,
    ConversationClosed,
    ConversationNotFound,
    DuplicateClientId,
    MentionNotMember,
    UnknownReplyTarget,
)
from tuan.chat.events import GroupMessagesPosted, MessagePosted
from tuan.chat.models import Conversation, Member, Message
from tuan.core.errors import TuanError
from tuan.core.personal import DELETED_USER_ID
from tuan.core.uow import UnitOfWork
from tuan.notifications.commands import notify_users
from tuan.realtime import topics
from tuan.realtime.topics import MessageView
from tuan.social.queries import blocked_among, blocked_either_way


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
    for conversation_id, batch in by_conversation.items():
        for index, result in await _post_to(uow, conversation_id, batch):
            results[index] = result
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
    await _announce_group_messages(uow, conversation, placed)
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
    """@mentions, replies and direct messages notify. A muted direct chat does not; an @mention
    or a reply to one's message does even in a muted group (WeChat's rule: muting a busy group
    must not hide being called by name or answered). A reply that also @mentions its author
    notifies once, as the mention; in a 1:1 chat the direct message says it."""
    awake = {uid for uid, m in members.items() if m.muted_until is None or m.muted_until <= uow.now}
    reply_authors = await _authors_of(uow, conversation.id, {r["reply_to_seq"] for r in placed})
    told_of_reply = (
        await _may_hear_replies(uow, conversation.id, placed, reply_authors)
        if conversation.kind != "direct"
        else set()
    )
    for row in placed:
        sender = row["sender_id"]
        mentioned = [uid for uid in row["mentions"] if uid != sender]
        if conversation.kind == "direct":
            kind, targets = "direct_message", [uid for uid in members if uid != sender]
        else:
            kind, targets = "mention", mentioned
        await notify_users(
            uow,
            [uid for uid in targets if kind == "mention" or uid in awake],
            kind=kind,
            actor_id=sender,
            conversation_id=conversation.id,
            message_seq=row["seq"],
            data={"text": row["text"][:140]},
        )
        reply_author = reply_authors.get(row["reply_to_seq"])
        if (
            reply_author is not None
            and (sender, reply_author) in told_of_reply
            and reply_author not in mentioned
        ):
            await notify_users(
                uow,
                [reply_author],
                kind="reply",
                actor_id=sender,
                conversation_id=conversation.id,
                message_seq=row["seq"],
                data={"text": row["text"][:140]},
            )
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


async def _announce_group_messages(
    uow: UnitOfWork, conversation: Conversation, placed: list[dict[str, Any]]
) -> None:
    """One event per batch of a group's messages (not one per message: a busy group posts many),
    for push to bundle; those a notification told already (mentioned, replied to) are named."""
    if conversation.kind == "direct" or not placed:
        return
    replied = await _authors_of(uow, conversation.id, {r["reply_to_seq"] for r in placed})
    uow.emit(
        GroupMessagesPosted(
            conversation_id=conversation.id,
            last_seq=max(r["seq"] for r in placed),
            sender_ids=sorted({r["sender_id"] for r in placed}),
            told_ids=sorted({u for r in placed for u in r["mentions"]} | set(replied.values())),
        )
    )


async def _may_hear_replies(
    uow: UnitOfWork,
    conversation_id: int,
    placed: list[dict[str, Any]],
    reply_authors: dict[int | None, int],
) -> set[tuple[int, int]]:
    """The (sender, author replied to) pairs where the author may be told: still a member, not
    erased, not the sender, and neither has blocked the other (one never hears from someone
    blocked)."""
    pairs = {
        (row["sender_id"], reply_authors[row["reply_to_seq"]])
        for row in placed
        if row["reply_to_seq"] in reply_authors
    }
    pairs = {(s, a) for s, a in pairs if a not in (s, DELETED_USER_ID)}
    if not pairs:
        return set()
    members = set(
        await uow.session.scalars(
            select(Member.user_id).where(
                Member.conversation_id == conversation_id,
                Member.user_id.in_({a for _, a in pairs}),
            )
        )
    )
    blocked: set[tuple[int, int]] = set()
    for sender in {s for s, _ in pairs}:
        authors = {a for s, a in pairs if s == sender}
        blocked |= {(sender, a) for a in await blocked_among(uow.session, sender, authors)}
    return {(s, a) for s, a in pairs if a in members} - blocked


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
