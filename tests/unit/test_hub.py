"""The hub delivers each change once, in order, even when announcements cross or go missing."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from tuan.core.bus import RESYNC_TOPIC
from tuan.core.clock import SystemClock
from tuan.core.events import Envelope
from tuan.realtime.connection import Connection
from tuan.realtime.hub import Hub


class RecordingSocket:
    def __init__(self, capacity: int = 10_000) -> None:
        self.frames: list[dict[str, Any]] = []
        self.capacity = capacity
        self.closed_with: int | None = None

    def write(self, payload: bytes, frame: bytes) -> bool:
        if len(self.frames) >= self.capacity:
            return False
        self.frames.append(orjson.loads(payload))
        return True

    async def close(self, code: int) -> None:
        self.closed_with = code

    def versions(self) -> list[int]:
        return [f["message"]["version"] for f in self.frames if f["type"] == "message"]


def view(cid: int, version: int, text: str = "") -> dict[str, Any]:
    return {"conversation_id": cid, "seq": version, "version": version, "text": text}


def change(cid: int, version: int) -> Envelope:
    return Envelope.wrap("chat.changed", view(cid, version), SystemClock().now())


async def no_db(_cid: int, _after: int) -> list[dict[str, Any]]:
    return []


def follower(hub: Hub, cid: int = 1, at: int = 0) -> RecordingSocket:
    socket = RecordingSocket()
    connection = Connection(7, socket)
    hub.register(connection, {cid: at})
    connection.positions[cid] = at
    connection.go_live()
    return socket


async def test_in_order_changes_are_delivered_once_each() -> None:
    hub = Hub(no_db)
    socket = follower(hub)
    for version in (1, 2, 2, 3, 1):
        await hub.on_envelope(change(1, version))
    assert socket.versions() == [1, 2, 3]


async def test_crossed_announcements_are_put_back_in_order() -> None:
    hub = Hub(no_db, gap_wait=5)
    socket = follower(hub)
    for version in (1, 3, 4, 2, 5):
        await hub.on_envelope(change(1, version))
    assert socket.versions() == [1, 2, 3, 4, 5]


async def test_a_lost_announcement_is_fetched_from_the_database() -> None:
    fetched: list[tuple[int, int]] = []

    async def from_db(cid: int, after: int) -> list[dict[str, Any]]:
        fetched.append((cid, after))
        return [view(cid, 2, "recovered"), view(cid, 3)]

    hub = Hub(from_db, gap_wait=0.01)
    socket = follower(hub)
    await hub.on_envelope(change(1, 1))
    await hub.on_envelope(change(1, 3))  # version 2's announcement never arrives
    await asyncio.sleep(0.05)
    assert socket.versions() == [1, 2, 3]
    assert fetched == [(1, 1)]
    assert socket.frames[1]["message"]["text"] == "recovered"


async def test_a_connection_catching_up_gets_parked_frames_after_without_duplicates() -> None:
    hub = Hub(no_db)
    socket = RecordingSocket()
    connection = Connection(7, socket)
    hub.register(connection, {1: 2})
    await hub.on_envelope(change(1, 3))  # arrives while the catch-up runs
    await hub.on_envelope(change(1, 4))
    socket.write(orjson.dumps({"type": "message", "message": view(1, 3)}), b"")  # catch-up sent 3
    connection.positions[1] = 3
    connection.go_live()
    assert socket.versions() == [3, 4]


async def test_a_slow_connection_is_told_to_resync_and_dropped_without_slowing_others() -> None:
    hub = Hub(no_db)
    fast = follower(hub)
    slow_socket = RecordingSocket(capacity=3)
    slow = Connection(8, slow_socket)
    hub.register(slow, {1: 0})
    slow.positions[1] = 0
    slow.go_live()
    for version in range(1, 11):
        await hub.on_envelope(change(1, version))
    await asyncio.sleep(0)
    assert fast.versions() == list(range(1, 11))
    assert slow.dropped and slow_socket.closed_with == 4008
    assert len(slow_socket.frames) == 3


async def test_membership_changes_follow_and_unfollow() -> None:
    hub = Hub(no_db)
    socket = follower(hub, cid=1)
    connection = next(iter(hub.by_user[7]))
    clock = SystemClock()
    await hub.on_envelope(
        Envelope.wrap(
            "chat.membership", {"conversation_id": 2, "user_id": 7, "joined": True}, clock.now()
        )
    )
    await hub.on_envelope(change(2, 1))
    await hub.on_envelope(
        Envelope.wrap(
            "chat.membership", {"conversation_id": 2, "user_id": 7, "joined": False}, clock.now()
        )
    )
    await hub.on_envelope(change(2, 2))
    kinds = [f["type"] for f in socket.frames]
    assert kinds == ["conversation_added", "message", "conversation_removed"]
    assert 2 not in connection.positions


async def test_after_a_bus_loss_a_quiet_conversation_catches_up_from_the_database() -> None:
    stored = [view(1, v, f"m{v}") for v in range(1, 5)]

    async def database(cid: int, after: int) -> list[dict[str, Any]]:
        return [m for m in stored if m["conversation_id"] == cid and m["version"] > after]

    hub = Hub(database)
    socket = follower(hub)
    await hub.on_envelope(change(1, 1))  # the last announcement before Redis went away
    # versions 2-4 were posted on another process while Redis was down; nobody posts again
    await hub.on_envelope(Envelope.wrap(RESYNC_TOPIC, {}, SystemClock().now()))
    assert socket.versions() == [1, 2, 3, 4]
    assert socket.frames[-1] == {"type": "resync"}  # clients re-read what has no position here
    await hub.on_envelope(change(1, 3))  # a late duplicate changes nothing
    assert socket.versions() == [1, 2, 3, 4]


async def test_a_team_move_reaches_only_the_connections_watching_it_until_they_leave() -> None:
    hub = Hub(no_db)
    watcher, other = RecordingSocket(), RecordingSocket()
    watching, elsewhere = Connection(7, watcher), Connection(8, other)
    for connection in (watching, elsewhere):
        hub.register(connection, {})
        connection.go_live()
    assert hub.watch_team(watching, 5) and hub.watch_team(elsewhere, 6)
    moved = Envelope.wrap("groupbuy.team_changed", {"team_id": 5}, SystemClock().now())
    await hub.on_envelope(moved)
    assert watcher.frames == [{"type": "team", "team_id": 5}] and other.frames == []
    hub.unregister(watching)
    await hub.on_envelope(moved)
    assert len(watcher.frames) == 1 and 5 not in hub.by_team


def test_a_connection_watches_a_bounded_number_of_teams() -> None:
    hub = Hub(no_db)
    connection = Connection(7, RecordingSocket())
    hub.register(connection, {})
    for team_id in range(1, 101):
        assert hub.watch_team(connection, team_id)
    assert not hub.watch_team(connection, 101)
    assert hub.watch_team(connection, 1)  # one it already watches
