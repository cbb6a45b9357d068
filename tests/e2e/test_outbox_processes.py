"""The outbox across two real server processes sharing one database and one Redis: an event that
cannot be handled fails alone, once, while both processes go on delivering everything behind it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import require_redis
from tests.e2e.test_chat_processes import enrol, open_group
from tests.live import live_server
from tuan.core.outbox import OutboxRow, ProcessedEvent

GARBLED = "f" * 32


async def test_a_garbled_event_dies_alone_while_two_processes_deliver_the_rest(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    require_redis()
    engine = create_async_engine(server_env["TUAN_DATABASE_URL"])
    async with engine.begin() as conn:  # left by a bad deploy: sharer_id missing, id not a number
        await conn.execute(
            insert(OutboxRow).values(
                event_id=GARBLED,
                topic="orders.order_completed",
                payload={"order_id": "seven"},
                occurred_at=datetime.now(UTC),
            )
        )
    with live_server(server_env, cwd=tmp_path) as a, live_server(server_env, cwd=tmp_path) as b:
        async with (
            httpx.AsyncClient(base_url=a.url) as http_a,
            httpx.AsyncClient(base_url=b.url) as http_b,
        ):
            mei, ben = await enrol(http_a, "mei"), await enrol(http_b, "ben")
            # people joining groups through either process: durable events that trust handles
            await open_group(http_a, mei, ben)
            await open_group(http_b, ben, mei)

            async with asyncio.timeout(30):
                while True:
                    async with engine.connect() as conn:
                        waiting = await conn.scalar(
                            select(func.count())
                            .select_from(OutboxRow)
                            .where(OutboxRow.published_at.is_(None), OutboxRow.dead_at.is_(None))
                        )
                    if waiting == 0:
                        break
                    await asyncio.sleep(0.2)

            async with engine.connect() as conn:
                garbled = (
                    await conn.execute(select(OutboxRow).where(OutboxRow.event_id == GARBLED))
                ).one()
                handled = (
                    await conn.execute(
                        select(ProcessedEvent.handler, func.count())
                        .group_by(ProcessedEvent.handler)
                        .order_by(ProcessedEvent.handler)
                    )
                ).all()
                joins = await conn.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(
                        OutboxRow.topic == "groups.member_joined",
                        OutboxRow.published_at.is_not(None),
                    )
                )
            assert garbled.attempts == 1 and garbled.dead_at is not None
            assert garbled.published_at is None
            assert garbled.last_error.startswith(
                "BadEventPayload: orders.order_completed payload does not fit OrderCompleted"
            )
            # every join was handled once in all, though two relays raced for it
            assert joins is not None and joins >= 2
            assert handled == [("trust.introduction", joins)]
            for http in (http_a, http_b):
                ready = (await http.get("/readyz")).json()
                assert ready["outbox"] == {"waiting": 0, "retrying": 0, "dead": 1}
    await engine.dispose()
