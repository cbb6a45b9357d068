"""The group of ``tuan bench push`` (issue 24), written in bulk: ``members`` people in one open
group, each logged in once with one push subscription (a device of the local push service), all
but ``awake`` of them having muted the group for ever. Rows go in through SQLAlchemy Core, many
at a time, with the ids chosen here (:class:`tuan.bench.data_rights_seed.BulkWriter`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import create_async_engine

from tuan.bench.data_rights_seed import (
    Advance,
    BulkWriter,
    Ids,
    reset_sequences,
    session_row,
    user_row,
)
from tuan.bench.push_service import LocalPushService
from tuan.chat.domain import FOREVER_YEAR

FOREVER = datetime(FOREVER_YEAR, 12, 31, tzinfo=UTC)  # as chat's "mute for ever"


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    token: str  # the bearer token of their session
    device: str  # their device's token at the push service
    awake: bool  # has not muted the group


@dataclass(frozen=True)
class PushGroup:
    group_id: int
    members: list[Member]

    def awake(self) -> list[Member]:
        return [m for m in self.members if m.awake]

    def asleep(self) -> list[Member]:
        return [m for m in self.members if not m.awake]


async def seed_push_group(
    database_url: str, service: LocalPushService, *, members: int, awake: int, advance: Advance
) -> PushGroup:
    """Write the group, its members, their sessions and their devices (made at ``service``: a
    P-256 key pair and an auth secret each, as a browser makes them)."""
    ids = Ids(next={"users": 1})
    joined = datetime.now(UTC) - timedelta(days=30)
    now = datetime.now(UTC)
    user_ids = ids.take("users", members)
    (gid,) = ids.take("conversations")
    session_ids = ids.take("sessions", members)
    subscription_ids = ids.take("push_subscriptions", members)
    people: list[Member] = []
    users, sessions, subscriptions, memberships = [], [], [], []
    for n, (uid, sid, pid) in enumerate(zip(user_ids, session_ids, subscription_ids, strict=True)):
        name = f"member_{n:05d}"
        token, session = session_row(uid, now, "tuan bench push", id=sid)
        device = service.new_device()
        keys = device.subscription_json()["keys"]
        users.append(user_row(uid, name, joined))
        sessions.append(session)
        subscriptions.append(
            {"id": pid, "user_id": uid, "session_id": sid, "endpoint": device.endpoint,
             "p256dh": keys["p256dh"], "auth": keys["auth"], "label": "bench phone",
             "created_at": now, "failures": 0}
        )  # fmt: skip
        memberships.append(_membership(gid, uid, joined, owner=n == 0, awake=n < awake))
        people.append(Member(uid, name, token, device.token, n < awake))
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            w = BulkWriter(conn, advance)
            await w.insert("users", users)
            await w.insert(
                "conversations",
                [{"id": gid, "kind": "group", "title": "Bench parents", "created_at": joined}],
            )
            await w.insert("groups", [_group(gid, user_ids[0], members, joined)])
            await w.insert("conversation_members", memberships)
            await w.insert("sessions", sessions)
            await w.insert("push_subscriptions", subscriptions)
            if conn.dialect.name == "postgresql":
                await reset_sequences(conn, ids)
    finally:
        await engine.dispose()
    return PushGroup(gid, people)


def _group(gid: int, owner: int, members: int, at: datetime) -> dict[str, Any]:
    return {"id": gid, "name": "Bench parents", "owner_id": owner, "join_policy": "open",
            "member_cap": members, "member_count": members, "created_at": at}  # fmt: skip


def _membership(gid: int, uid: int, at: datetime, *, owner: bool, awake: bool) -> dict[str, Any]:
    return {"conversation_id": gid, "user_id": uid, "joined_at": at,
            "role": "owner" if owner else "member",
            "muted_until": None if awake else FOREVER}  # fmt: skip
