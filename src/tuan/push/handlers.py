"""Push's reactions (ADR 0012): every notification goes to its receiver's devices, after commit
and off the request path.

1. ``notifications.created`` (durable, exactly once per event): one due job per notification
   and live device, keyed ``<notification>:<device>``, so a notification is queued once per
   device whatever process handles the event.
2. The due job ``push.send``: the scheduler claims it (one process only), ``prepare`` posts the
   push with no transaction open, and the job's transaction records the outcome and marks it
   done. 429, 5xx and silence are retried with the scheduler's back-off; 404 and 410 remove the
   device.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.events import SessionsEnded
from tuan.accounts.queries import display_names, live_sessions, user_by_id
from tuan.chat.events import GroupMessagesPosted
from tuan.chat.queries import sees_message
from tuan.core.db import Database
from tuan.core.events import Envelope
from tuan.core.phrases import Phrase
from tuan.core.scheduler import DueJob, schedule
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.notifications.events import PeopleNotified
from tuan.notifications.queries import notifications_by_id, unread_in_conversation
from tuan.push import bundling, service
from tuan.push.domain import MESSAGE_KINDS, PushContent, describe
from tuan.push.models import PushSubscription
from tuan.push.queries import choices_of, shows_text
from tuan.push.quiet_hours import held_until
from tuan.push.sending import Device, Outcome, PushSender, Words, post_or_give_up

log = logging.getLogger(__name__)
SEND_JOB = "push.send"
FALLBACK_LOCALE = "en"
PUSHES_AT_ONCE = 8


def register(wiring: Wiring) -> None:
    def sender() -> PushSender:
        return wiring.adapter(PushSender)

    async def queue(uow: UnitOfWork, envelope: Envelope) -> None:
        if not sender().configured:
            return
        event = PeopleNotified.decode(envelope)
        if await queue_pushes(uow, event.notification_ids):
            uow.on_commit(wiring.scheduler.kick)

    async def forget(uow: UnitOfWork, envelope: Envelope) -> None:
        await service.remove_sessions(uow, session_ids=SessionsEnded.decode(envelope).session_ids)

    async def prepare(job: DueJob) -> Outcome | None:
        return await send_push(wiring.db, sender(), job)

    async def record(uow: UnitOfWork, job: DueJob, outcome: Outcome | None) -> None:
        await record_outcome(uow, job.payload["subscription_id"], outcome)

    async def queue_chat(uow: UnitOfWork, envelope: Envelope) -> None:
        if not sender().configured:
            return
        event = GroupMessagesPosted.decode(envelope)
        if await bundling.queue_chat_pushes(uow, event, sender().bundle_window):
            uow.on_commit(wiring.scheduler.kick)

    async def prepare_chat(job: DueJob) -> bundling.ChatPushed:
        return await bundling.send_chat_push(wiring.db, sender(), job, wiring.clock.now())

    async def record_chat(uow: UnitOfWork, job: DueJob, pushed: bundling.ChatPushed) -> None:
        await record_outcome(uow, job.payload["subscription_id"], pushed.outcome)
        await bundling.record_chat_push(uow, job, pushed, sender().bundle_window)

    wiring.on_event(PeopleNotified.topic, "push.queue_notifications", queue)
    wiring.on_event(GroupMessagesPosted.topic, "push.queue_chat_messages", queue_chat)
    wiring.on_event(SessionsEnded.topic, "push.forget_sessions", forget)
    # Pushes wait on push services, one device each: a burst (a busy group's first message to
    # a hundred phones) goes out side by side, within the database pool's room.
    wiring.scheduler.register_prepared(SEND_JOB, prepare, record, side_by_side=PUSHES_AT_ONCE)
    wiring.scheduler.register_prepared(
        bundling.CHAT_JOB, prepare_chat, record_chat, side_by_side=PUSHES_AT_ONCE
    )


async def queue_pushes(uow: UnitOfWork, notification_ids: list[int]) -> int:
    """One send job per notification and device of its receiver still logged in there, due
    now, or when the receiver's do-not-disturb hours end."""
    found = await notifications_by_id(uow.session, notification_ids)
    if not found:
        return 0
    choices = await choices_of(uow.session, {n["user_id"] for n in found})
    devices = list(
        await uow.session.execute(
            select(
                PushSubscription.id, PushSubscription.user_id, PushSubscription.session_id
            ).where(PushSubscription.user_id.in_({n["user_id"] for n in found}))
        )
    )
    live = await live_sessions(uow.session, {d.session_id for d in devices}, uow.now)
    queued = 0
    for notification in found:
        for device in devices:
            if device.user_id == notification["user_id"] and device.session_id in live:
                await schedule(
                    uow.session,
                    kind=SEND_JOB,
                    key=f"{notification['id']}:{device.id}",
                    run_at=held_until(uow.now, choices[device.user_id].quiet) or uow.now,
                    now=uow.now,
                    payload={"notification_id": notification["id"], "subscription_id": device.id},
                )
                queued += 1
    return queued


async def send_push(db: Database, sender: PushSender, job: DueJob) -> Outcome | None:
    """Post one push (no transaction open); None when there is nothing to send any more (the
    device or notification went, the message was taken down, push was switched off)."""
    if not sender.configured:
        return None
    if sender.words is None:  # a process that built no app: leave the job to one that did
        raise RuntimeError("push has no words: tuan.http.app.create_app gives them")
    async with db.read_sessions() as session:
        device = await session.get(PushSubscription, job.payload["subscription_id"])
        found = await notifications_by_id(session, [job.payload["notification_id"]])
        if device is None or not found:
            return None
        notification = found[0]
        content = await _content(session, notification)
        if content is None:
            return None
        user = await user_by_id(session, notification["user_id"])
        locale = (user.locale if user is not None else None) or FALLBACK_LOCALE
    payload = _payload(content, locale, sender.words, notification["id"])
    # A device keeps the newest of a tag's pushes (they may arrive out of order): a chat's by
    # its messages' positions (as tuan.push.bundling's), the rest by notification.
    chat = content.tag.startswith("chat-")
    payload["order"] = notification["message_seq"] if chat else notification["id"]
    return await post_or_give_up(
        sender,
        Device(device.endpoint, device.p256dh, device.auth),
        payload,
        topic=content.tag,
        urgent=notification["kind"] in MESSAGE_KINDS,
        attempts=job.attempts,
    )


async def _content(session: AsyncSession, notification: dict[str, Any]) -> PushContent | None:
    user_id, cid = notification["user_id"], notification["conversation_id"]
    seq = notification["message_seq"]
    if notification["kind"] in MESSAGE_KINDS and (
        cid is None or seq is None or not await sees_message(session, cid, seq, user_id)
    ):
        return None  # taken down (or they left) before the push went: say nothing
    actor = notification["actor_id"]
    names = await _names(session, actor)
    count = (
        await unread_in_conversation(session, user_id=user_id, conversation_id=cid)
        if cid is not None and notification["kind"] in MESSAGE_KINDS
        else 1
    )
    return describe(
        notification,
        actor_name=names,
        show_text=await shows_text(session, user_id=user_id),
        count=count,
    )


async def _names(session: AsyncSession, actor_id: int | None) -> str | None:
    if actor_id is None:
        return None
    return (await display_names(session, [actor_id])).get(actor_id)


def _payload(
    content: PushContent, locale: str, words: Words, notification_id: int
) -> dict[str, Any]:
    def say(phrase: Phrase) -> str:
        return words(locale, phrase.code, phrase.params)

    return {
        "title": say(content.title),
        "body": content.text
        if content.text is not None
        else say(content.body)
        if content.body
        else "",
        "url": content.url,
        "tag": content.tag,
        "count": content.count,
        "notification_id": notification_id,
    }


async def record_outcome(uow: UnitOfWork, subscription_id: int, outcome: Outcome | None) -> None:
    if outcome is None:
        return
    where = PushSubscription.id == subscription_id
    if outcome in (Outcome.GONE, Outcome.REFUSED):
        await uow.session.execute(delete(PushSubscription).where(where))
    elif outcome is Outcome.SENT:
        await uow.session.execute(
            update(PushSubscription).where(where).values(last_success_at=uow.now, failures=0)
        )
    else:
        await uow.session.execute(
            update(PushSubscription).where(where).values(failures=PushSubscription.failures + 1)
        )
