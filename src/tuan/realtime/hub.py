"""The per-process hub: which connection follows which conversation, and in-order delivery.

The hub subscribes to the bus. Every change of a conversation arrives as an envelope carrying the
message view and its version. Positions make delivery gap-free and duplicate-free even when
several server processes publish to one conversation and their announcements cross in Redis:

- a version at or below the hub's cursor for that conversation is a duplicate and is dropped;
- the next version is delivered at once, followed by any parked successors;
- a version beyond a gap is parked; if the gap is not filled within ``gap_wait`` seconds the
  hub reads everything after its cursor from the database (the truth) and delivers that.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from tuan.core.bus import RESYNC_TOPIC, EventBus
from tuan.core.events import Envelope
from tuan.realtime import topics
from tuan.realtime.connection import Connection, text_frame
from tuan.realtime.topics import MessageView

log = logging.getLogger(__name__)

TEAMS_WATCHED = 100  # teams one connection may follow (a chat full of team cards)
FetchAfter = Callable[[int, int], Awaitable[list[MessageView]]]
MembersOf = Callable[[int], Awaitable[list[int]]]


def message_frame(view: MessageView) -> bytes:
    return orjson.dumps(
        {"type": "message", "conversation_id": view["conversation_id"], "message": view}
    )


class Hub:
    def __init__(self, fetch_after: FetchAfter, *, gap_wait: float = 0.05) -> None:
        self._fetch_after = fetch_after
        self._gap_wait = gap_wait
        self.by_conversation: dict[int, set[Connection]] = defaultdict(set)
        self.by_user: dict[int, set[Connection]] = defaultdict(set)
        self.by_team: dict[int, set[Connection]] = defaultdict(set)
        self._cursor: dict[int, int] = {}
        self._parked: dict[int, dict[int, MessageView]] = defaultdict(dict)
        self._gap_timers: dict[int, asyncio.TimerHandle] = {}
        self.delivered = 0

    def attach(self, bus: EventBus) -> Callable[[], None]:
        return bus.subscribe(self.on_envelope)

    # --- connections ----------------------------------------------------------------------

    def register(self, connection: Connection, positions_now: dict[int, int]) -> None:
        """Follow ``positions_now`` (conversation id → its current position in the database)."""
        self.by_user[connection.user_id].add(connection)
        for cid, position in positions_now.items():
            self.by_conversation[cid].add(connection)
            # Without a cursor the hub could not tell a late announcement from a new one.
            self._cursor.setdefault(cid, position)

    def watch_team(self, connection: Connection, team_id: int) -> bool:
        """Tell ``connection`` whenever the team moves (the caller checked that it may see it);
        False once the connection watches as many teams as it may."""
        if team_id not in connection.teams and len(connection.teams) >= TEAMS_WATCHED:
            return False
        connection.teams.add(team_id)
        self.by_team[team_id].add(connection)
        return True

    def unregister(self, connection: Connection) -> None:
        for team_id in connection.teams:
            watchers = self.by_team.get(team_id)
            if watchers is not None:
                watchers.discard(connection)
                if not watchers:
                    del self.by_team[team_id]
        self.by_user[connection.user_id].discard(connection)
        if not self.by_user[connection.user_id]:
            del self.by_user[connection.user_id]
        for cid in list(connection.positions) + [
            c for c, conns in self.by_conversation.items() if connection in conns
        ]:
            followers = self.by_conversation.get(cid)
            if followers is not None:
                followers.discard(connection)
                if not followers:
                    del self.by_conversation[cid]

    def connected_users(self) -> int:
        return len(self.by_user)

    # --- envelopes --------------------------------------------------------------------------

    async def on_envelope(self, envelope: Envelope) -> None:
        topic = envelope.topic
        if topic == topics.CONVERSATION_CHANGED:
            self._on_change(envelope.payload)
        elif topic == topics.MEMBERSHIP_CHANGED:
            self._on_membership(envelope.payload)
        elif topic == topics.NOTIFICATION_CREATED:
            self._to_user(
                envelope.payload["user_id"],
                {"type": "notification", "notification": envelope.payload["notification"]},
            )
        elif topic == topics.TEAM_CHANGED:
            self._to_team(envelope.payload["team_id"])
        elif topic == topics.TYPING:
            self._to_conversation(
                envelope.payload["conversation_id"],
                {"type": "typing", **envelope.payload},
                skip_user=envelope.payload["user_id"],
            )
        elif topic == RESYNC_TOPIC:
            await self.resync()
        elif topic == topics.READ_UP_TO:
            self._to_conversation(
                envelope.payload["conversation_id"],
                {"type": "read", **envelope.payload},
                skip_user=envelope.payload["user_id"],
            )

    def _on_change(self, view: MessageView) -> None:
        cid, version = view["conversation_id"], view["version"]
        cursor = self._cursor.get(cid)
        if cid not in self.by_conversation:  # nobody here follows it: just keep the cursor
            self._cursor[cid] = max(cursor or 0, version)
            return
        if cursor is None or version == cursor + 1:
            self._deliver(view)
            self._release_parked(cid)
        elif version > cursor + 1:
            self._parked[cid][version] = view
            if cid not in self._gap_timers:
                loop = asyncio.get_running_loop()
                self._gap_timers[cid] = loop.call_later(
                    self._gap_wait, lambda: loop.create_task(self._fill_gap(cid))
                )
        # else: at or below the cursor, already delivered

    def _deliver(self, view: MessageView) -> None:
        cid = view["conversation_id"]
        self._cursor[cid] = max(self._cursor.get(cid, 0), view["version"])
        followers = self.by_conversation.get(cid)
        if not followers:
            return
        payload = message_frame(view)
        frame = text_frame(payload)
        version = view["version"]
        for connection in list(followers):
            connection.push(cid, version, payload, frame)
        self.delivered += len(followers)

    def _release_parked(self, cid: int) -> None:
        parked = self._parked.get(cid)
        while parked:
            following = self._cursor[cid] + 1
            if following not in parked:
                break
            self._deliver(parked.pop(following))
        if parked is not None and not parked:
            self._parked.pop(cid, None)
            timer = self._gap_timers.pop(cid, None)
            if timer is not None:
                timer.cancel()

    async def _fill_gap(self, cid: int) -> None:
        self._gap_timers.pop(cid, None)
        if not self._parked.get(cid):
            return
        try:
            missing = await self._fetch_after(cid, self._cursor.get(cid, 0))
        except Exception:
            log.exception("could not fill a gap in conversation %s", cid)
            return
        parked = self._parked.pop(cid, {})
        newest = {v["version"]: v for v in missing}
        for version, view in parked.items():
            newest.setdefault(version, view)
        for version in sorted(newest):
            if version > self._cursor.get(cid, 0):
                self._deliver(newest[version])

    async def resync(self) -> None:
        """The bus may have lost announcements (Redis was away): deliver what each followed
        conversation has beyond this process's cursor, from the database, and tell every client
        to catch up on what has no position here (new conversations, notifications)."""
        for cid in list(self.by_conversation):
            try:
                missing = await self._fetch_after(cid, self._cursor.get(cid, 0))
            except Exception:
                log.exception("could not resync conversation %s", cid)
                continue
            for view in sorted(missing, key=lambda v: int(v["version"])):
                if view["version"] > self._cursor.get(cid, 0):
                    self._deliver(view)
            self._release_parked(cid)
        frame = orjson.dumps({"type": "resync"})
        for connections in list(self.by_user.values()):
            for connection in list(connections):
                connection.push_plain(frame, text_frame(frame))

    def _on_membership(self, payload: dict[str, Any]) -> None:
        cid, user_id, joined = payload["conversation_id"], payload["user_id"], payload["joined"]
        connections = self.by_user.get(user_id, set())
        for connection in connections:
            if joined:
                self.by_conversation[cid].add(connection)
                connection.positions.setdefault(cid, 0)
            else:
                self.by_conversation.get(cid, set()).discard(connection)
                connection.positions.pop(cid, None)
        kind = "conversation_added" if joined else "conversation_removed"
        self._to_user(user_id, {"type": kind, "conversation_id": cid})

    def _to_user(self, user_id: int, body: dict[str, Any]) -> None:
        connections = self.by_user.get(user_id)
        if connections:
            payload = orjson.dumps(body)
            frame = text_frame(payload)
            for connection in list(connections):
                connection.push_plain(payload, frame)

    def _to_team(self, team_id: int) -> None:
        """Only the team's id: each page reads the team again, as its viewer may see it."""
        watchers = self.by_team.get(team_id)
        if watchers:
            payload = orjson.dumps({"type": "team", "team_id": team_id})
            frame = text_frame(payload)
            for connection in list(watchers):
                connection.push_plain(payload, frame)

    def _to_conversation(self, cid: int, body: dict[str, Any], *, skip_user: int) -> None:
        followers = self.by_conversation.get(cid)
        if followers:
            payload = orjson.dumps(body)
            frame = text_frame(payload)
            for connection in list(followers):
                if connection.user_id != skip_user:
                    connection.push_plain(payload, frame)
