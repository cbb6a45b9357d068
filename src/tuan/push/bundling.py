"""Plain messages in group chats one has not muted (ADR 0012): one push per chat and window.

A message in a big group would otherwise buzz a hundred phones for every line. So each person
has a window per chat (``push_chat_windows``): the first message after a quiet spell pushes at
once; while a push is due, later messages wait for it; the next goes when the window since the
last push ends and says them all ("5 new messages in 三班家长群"). Do-not-disturb hours move the
due time to their end. @mentions, replies and direct messages push through their notifications,
not here.

The window's row is locked (``FOR UPDATE`` on PostgreSQL; SQLite has one writer) by the message's
handler and by the push's record step, so a message that lands while its chat's push is being
posted is never left behind: whichever of the two comes second sees the other.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names, live_sessions, user_by_id
from tuan.chat.events import GroupMessagesPosted
from tuan.chat.queries import Unread, awake_members, conversation_titles, unread_of
from tuan.core.db import Database, dialect_insert
from tuan.core.phrases import Phrase
from tuan.core.scheduler import DueJob, schedule
from tuan.core.uow import UnitOfWork
from tuan.push.models import PushChatWindow, PushSubscription
from tuan.push.queries import Choices, choices_of
from tuan.push.quiet_hours import held_until
from tuan.push.sending import Device, Outcome, PushSender
from tuan.social.queries import blocked_among

CHAT_JOB = "push.chat"
MAX_ATTEMPTS = 8  # as a notification's push: about twenty minutes of the scheduler's back-off
# Message kinds the notification list has a sentence for, said when a message has no words.
ABOUT_KINDS = frozenset(
    {
        "product_card",
        "purchase_digest",
        "purchase_report",
        "recommendation_ask",
        "review_card",
        "team_card",
    }
)


async def queue_chat_pushes(uow: UnitOfWork, event: GroupMessagesPosted, window: timedelta) -> int:
    """Due pushes for a group's new messages: to each awake member with a device, unless a push
    to that chat is already due for them. Returns how many windows were opened."""
    others = {*event.sender_ids, *event.told_ids}
    awake = await awake_members(uow.session, event.conversation_id, uow.now) - others
    devices = await _live_devices(uow, awake)
    people = set(devices)
    for sender_id in event.sender_ids:  # nobody is pushed what someone they blocked wrote
        people -= await blocked_among(uow.session, sender_id, people)
    if not people:
        return 0
    windows = await _windows(uow, event.conversation_id, people)
    choices = await choices_of(uow.session, people)
    opened = 0
    for user_id in sorted(people):
        row = windows[user_id]
        if row.due_at is not None:
            continue  # a push is coming: it will count this message too
        due = _next_due(uow.now, row.sent_at, window, choices[user_id])
        row.due_at = due
        for device_id in devices[user_id]:
            await _schedule(uow, event.conversation_id, user_id, device_id, due)
        opened += 1
    return opened


def _next_due(
    now: datetime, sent_at: datetime | None, window: timedelta, choices: Choices
) -> datetime:
    due = now if sent_at is None or now >= sent_at + window else sent_at + window
    return held_until(due, choices.quiet) or due


async def _live_devices(uow: UnitOfWork, user_ids: Collection[int]) -> dict[int, list[int]]:
    if not user_ids:
        return {}
    rows = list(
        await uow.session.execute(
            select(
                PushSubscription.id, PushSubscription.user_id, PushSubscription.session_id
            ).where(PushSubscription.user_id.in_(set(user_ids)))
        )
    )
    live = await live_sessions(uow.session, {r.session_id for r in rows}, uow.now)
    devices: dict[int, list[int]] = {}
    for row in rows:
        if row.session_id in live:
            devices.setdefault(row.user_id, []).append(row.id)
    return devices


async def _windows(
    uow: UnitOfWork, conversation_id: int, user_ids: set[int]
) -> dict[int, PushChatWindow]:
    """The people's windows for the chat, made if missing, locked for this transaction."""
    await uow.session.execute(
        dialect_insert(uow.session, PushChatWindow)
        .values([{"user_id": uid, "conversation_id": conversation_id} for uid in user_ids])
        .on_conflict_do_nothing()
    )
    rows = await uow.session.scalars(
        select(PushChatWindow)
        .where(
            PushChatWindow.conversation_id == conversation_id,
            PushChatWindow.user_id.in_(user_ids),
        )
        .order_by(PushChatWindow.user_id)
        .with_for_update()
    )
    return {row.user_id: row for row in rows}


async def _schedule(
    uow: UnitOfWork, conversation_id: int, user_id: int, device_id: int, due: datetime
) -> None:
    await schedule(
        uow.session,
        kind=CHAT_JOB,
        key=f"{conversation_id}:{device_id}:{int(due.timestamp() * 1000)}",
        run_at=due,
        now=uow.now,
        payload={
            "conversation_id": conversation_id,
            "user_id": user_id,
            "subscription_id": device_id,
            "due": due.isoformat(),
        },
    )


@dataclass(frozen=True)
class ChatPushed:
    """What the push step did: its outcome (None: nothing to say) and the newest message it
    counted, so the record step can tell whether one came in meanwhile."""

    outcome: Outcome | None
    newest_seq: int | None


async def send_chat_push(
    db: Database, sender: PushSender, job: DueJob, now: datetime
) -> ChatPushed:
    """Post the chat's summary to one device (no transaction open)."""
    cid, user_id = job.payload["conversation_id"], job.payload["user_id"]
    if not sender.configured or sender.words is None:
        return ChatPushed(None, None)
    async with db.read_sessions() as session:
        device = await session.get(PushSubscription, job.payload["subscription_id"])
        unread = await unread_of(session, cid, user_id, now)
        if device is None or unread is None or unread.muted:
            return ChatPushed(None, unread.newest_seq if unread else None)
        payload = await _payload(session, sender, cid, user_id, unread)
    try:
        outcome = await sender.post(
            Device(device.endpoint, device.p256dh, device.auth),
            payload,
            topic=payload["tag"],
            urgent=False,
        )
    except Exception:
        if job.attempts + 1 >= MAX_ATTEMPTS:
            return ChatPushed(Outcome.REJECTED, unread.newest_seq)
        raise
    return ChatPushed(outcome, unread.newest_seq)


async def _payload(
    session: AsyncSession, sender: PushSender, cid: int, user_id: int, unread: Unread
) -> dict[str, Any]:
    assert sender.words is not None
    user = await user_by_id(session, user_id)
    locale = (user.locale if user is not None else None) or "en"
    choices = (await choices_of(session, [user_id]))[user_id]
    title = (await conversation_titles(session, user_id, [cid])).get(cid, "")
    body = Phrase("push.new_messages", {"count": unread.count})
    if unread.count == 1:
        body = Phrase("push.new_message", {})
    if choices.show_text and unread.newest_sender_id is not None:
        name = (await display_names(session, [unread.newest_sender_id])).get(
            unread.newest_sender_id, ""
        )
        said = unread.newest_text[:140]
        if not said and unread.newest_kind in ABOUT_KINDS:
            said = sender.words(locale, f"notifications.about_{unread.newest_kind}", {})
        if said:
            body = Phrase("push.someone_said", {"actor": name, "text": said})
    return {
        "title": title,
        "body": sender.words(locale, body.code, body.params),
        "url": f"/chats/{cid}#m{unread.first_seq}",
        "tag": f"chat-{cid}",
        "count": unread.count,
        "order": unread.newest_seq,
    }


async def record_chat_push(
    uow: UnitOfWork, job: DueJob, pushed: ChatPushed, window: timedelta
) -> None:
    """Close the window's due push (if this job is it) and, when a message came in while it
    was being posted, open the next one."""
    cid, user_id = job.payload["conversation_id"], job.payload["user_id"]
    row = await uow.session.scalar(
        select(PushChatWindow)
        .where(PushChatWindow.user_id == user_id, PushChatWindow.conversation_id == cid)
        .with_for_update()
    )
    if (
        row is None
        or row.due_at is None
        or row.due_at != datetime.fromisoformat(job.payload["due"])
    ):
        return  # another device's job of the same push closed it already
    sent = pushed.outcome is not None
    later = await unread_of(uow.session, cid, user_id, uow.now)
    missed = later is not None and not later.muted and later.newest_seq > (pushed.newest_seq or 0)
    await uow.session.execute(
        update(PushChatWindow)
        .where(PushChatWindow.user_id == user_id, PushChatWindow.conversation_id == cid)
        .values(sent_at=uow.now if sent else row.sent_at, due_at=None)
    )
    if not missed:
        return
    choices = (await choices_of(uow.session, [user_id]))[user_id]
    due = _next_due(uow.now, uow.now if sent else row.sent_at, window, choices)
    await uow.session.execute(
        update(PushChatWindow)
        .where(PushChatWindow.user_id == user_id, PushChatWindow.conversation_id == cid)
        .values(due_at=due)
    )
    devices = await _live_devices(uow, [user_id])
    for device_id in devices.get(user_id, []):
        await _schedule(uow, cid, user_id, device_id, due)
