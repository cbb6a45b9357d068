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

from sqlalchemy import select
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
from tuan.push.sending import Device, Outcome, PushSender, post_or_give_up
from tuan.social.queries import blocked_among

CHAT_JOB = "push.chat"
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
    """Due pushes for a group's new messages: to each device of each awake member, unless a
    push to that chat is due for the device already. Returns how many windows were opened."""
    others = {*event.sender_ids, *event.told_ids}
    awake = await awake_members(uow.session, event.conversation_id, uow.now) - others
    devices = await _live_devices(uow, awake)
    people = set(devices)
    for sender_id in event.sender_ids:  # nobody is pushed what someone they blocked wrote
        people -= await blocked_among(uow.session, sender_id, people)
    if not people:
        return 0
    owners = {device: uid for uid in people for device in devices[uid]}
    windows = await _windows(uow, event.conversation_id, owners)
    choices = await choices_of(uow.session, people)
    opened = 0
    for row in windows:
        if row.due_at is not None or row.said_seq >= event.last_seq:
            continue  # a push is coming and will count these, or one already said them
        row.due_at = _next_due(uow.now, row.sent_at, window, choices[row.user_id])
        await _schedule(uow, row, row.due_at)
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
    uow: UnitOfWork, conversation_id: int, owners: dict[int, int]
) -> list[PushChatWindow]:
    """The devices' windows for the chat (``owners``: device → person), made if missing,
    locked for this transaction in one order (no two handlers deadlock)."""
    await uow.session.execute(
        dialect_insert(uow.session, PushChatWindow)
        .values(
            [
                {"subscription_id": d, "user_id": u, "conversation_id": conversation_id}
                for d, u in owners.items()
            ]
        )
        .on_conflict_do_nothing()
    )
    rows = await uow.session.scalars(
        select(PushChatWindow)
        .where(
            PushChatWindow.conversation_id == conversation_id,
            PushChatWindow.subscription_id.in_(owners),
        )
        .order_by(PushChatWindow.subscription_id)
        .with_for_update()
    )
    return list(rows)


async def _schedule(uow: UnitOfWork, window: PushChatWindow, due: datetime) -> None:
    """The window's push, due at ``due``; it says nothing unless something newer than what the
    window's last push said is unread then."""
    cid, device_id = window.conversation_id, window.subscription_id
    await schedule(
        uow.session,
        kind=CHAT_JOB,
        key=f"{cid}:{device_id}:{int(due.timestamp() * 1000)}",
        run_at=due,
        now=uow.now,
        payload={
            "conversation_id": cid,
            "user_id": window.user_id,
            "subscription_id": device_id,
            "due": due.isoformat(),
            "said_seq": window.said_seq,
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
        said = int(job.payload.get("said_seq", 0))  # what the window's last push said
        if device is None or unread is None or unread.muted or unread.newest_seq <= said:
            return ChatPushed(None, None)  # nothing to say, or nothing new
        payload = await _payload(session, sender, cid, user_id, unread)
    outcome = await post_or_give_up(
        sender,
        Device(device.endpoint, device.p256dh, device.auth),
        payload,
        topic=payload["tag"],
        urgent=False,
        attempts=job.attempts,
    )
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
    """Close the device's window and, when a message came in while its push was being posted,
    open the next one."""
    cid, device_id, user_id = (
        job.payload["conversation_id"],
        job.payload["subscription_id"],
        job.payload["user_id"],
    )
    mine = (PushChatWindow.subscription_id == device_id, PushChatWindow.conversation_id == cid)
    row = await uow.session.scalar(select(PushChatWindow).where(*mine).with_for_update())
    if row is None or row.due_at != datetime.fromisoformat(job.payload["due"]):
        return  # the device went (404/410 remove it, and its window with it)
    sent = pushed.outcome is Outcome.SENT
    row.said_seq = max(row.said_seq, pushed.newest_seq or 0) if sent else row.said_seq
    row.sent_at = uow.now if sent else row.sent_at
    row.due_at = None
    later = await unread_of(uow.session, cid, user_id, uow.now)
    if later is None or later.muted or later.newest_seq <= row.said_seq:
        return
    choices = (await choices_of(uow.session, [user_id]))[user_id]
    row.due_at = _next_due(uow.now, row.sent_at, window, choices)
    await _schedule(uow, row, row.due_at)
