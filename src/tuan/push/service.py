"""Push use cases of a person: subscribe a device, remove one, choose what a push shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, or_

from tuan.core.db import changed_one, dialect_insert
from tuan.core.uow import UnitOfWork
from tuan.push import domain
from tuan.push.errors import PushSubscriptionNotFound
from tuan.push.models import PushPreference, PushSubscription
from tuan.push.quiet_hours import QuietHours


@dataclass(frozen=True)
class Subscribed:
    id: int
    label: str


async def subscribe(
    uow: UnitOfWork,
    *,
    user_id: int,
    session_id: int,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str,
) -> Subscribed:
    """Keep the browser's subscription for this session: one per session (a session is one
    browser), so subscribing again replaces it. The endpoint names one browser's registration,
    so the same endpoint subscribed in another session (another person on the same browser)
    moves here: a device is never pushed to for someone who left it.

    The caller checks first where the endpoint resolves (:mod:`tuan.push.addresses`), outside
    the transaction."""
    keys = domain.check_keys(p256dh, auth)
    await uow.session.execute(
        delete(PushSubscription).where(
            or_(PushSubscription.endpoint == endpoint, PushSubscription.session_id == session_id)
        )
    )
    label = domain.device_label(user_agent)
    new_id = await uow.session.scalar(
        insert(PushSubscription)
        .values(
            user_id=user_id,
            session_id=session_id,
            endpoint=endpoint,
            p256dh=keys.p256dh,
            auth=keys.auth,
            label=label,
            created_at=uow.now,
            last_success_at=None,
            failures=0,
        )
        .returning(PushSubscription.id)
    )
    assert new_id is not None
    return Subscribed(new_id, label)


async def unsubscribe(uow: UnitOfWork, *, user_id: int, subscription_id: int) -> None:
    """Remove one of the person's devices; someone else's is not found, as if it did not exist."""
    removed = await uow.session.execute(
        delete(PushSubscription).where(
            PushSubscription.id == subscription_id, PushSubscription.user_id == user_id
        )
    )
    if not changed_one(removed):
        raise PushSubscriptionNotFound()


async def remove_sessions(uow: UnitOfWork, *, session_ids: list[int]) -> None:
    """The sessions ended (log out, log out everywhere): their devices are pushed to no more."""
    if session_ids:
        await uow.session.execute(
            delete(PushSubscription).where(PushSubscription.session_id.in_(session_ids))
        )


NOT_GIVEN = object()  # a choice the form left out keeps its value


async def set_choices(
    uow: UnitOfWork,
    *,
    user_id: int,
    show_text: bool | None = None,
    quiet: QuietHours | object | None = NOT_GIVEN,
) -> None:
    """Change what the person gave: whether pushes show message text, and their do-not-disturb
    hours (None turns them off)."""
    changes: dict[str, object] = {"updated_at": uow.now}
    if show_text is not None:
        changes["show_text"] = show_text
    if quiet is not NOT_GIVEN:
        hours = quiet if isinstance(quiet, QuietHours) else None
        changes["quiet_start"] = hours.start if hours else None
        changes["quiet_end"] = hours.end if hours else None
        changes["time_zone"] = hours.time_zone if hours else None
    statement = dialect_insert(uow.session, PushPreference).values(
        {"user_id": user_id, "show_text": False, **changes}
    )
    await uow.session.execute(
        statement.on_conflict_do_update(index_elements=[PushPreference.user_id], set_=changes)
    )
