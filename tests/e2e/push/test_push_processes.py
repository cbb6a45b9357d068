"""Two real `tuan serve` processes on one database: each notification reaches each device once,
whichever process handled the message, the event and the send job."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.push.conftest import SERVER_KEYS
from tests.e2e.push.pushservice import BrowserDevice, LocalPushService
from tests.e2e.test_chat_processes import enrol
from tests.factories import Person, join_open_group, log_in
from tests.live import live_server
from tuan.core.scheduler import DueJob


async def test_two_processes_push_each_notification_to_each_device_once(
    server_env: dict[str, str], tmp_path: Path, push_service: LocalPushService
) -> None:
    env = {
        **server_env,
        "TUAN_VAPID_PRIVATE_KEY": SERVER_KEYS[0],
        "TUAN_VAPID_PUBLIC_KEY": SERVER_KEYS[1],
        "TUAN_VAPID_SUBJECT": "mailto:ops@tuan.test",
        "TUAN_PUSH_ALLOW_LOOPBACK": "true",
        "TUAN_PUSH_BUNDLE_SECONDS": "3",
    }
    with live_server(env, cwd=tmp_path) as a, live_server(env, cwd=tmp_path) as b:
        async with (
            httpx.AsyncClient(base_url=a.url) as http_a,
            httpx.AsyncClient(base_url=b.url) as http_b,
        ):
            mei, ben = await enrol(http_a, "mei"), await enrol(http_b, "ben")
            await http_a.post(
                "/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id}
            )
            await http_b.post(
                "/api/v1/friends/requests", headers=ben.headers, json={"user_id": mei.id}
            )
            dm = (
                await http_a.post(
                    "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id}
                )
            ).json()["id"]
            phone, laptop = push_service.new_device(), push_service.new_device()
            second_login = await log_in(http_b, "ben")  # a second session: the laptop's
            ben_on_laptop = Person(ben.id, "ben", second_login.json()["token"])
            for http, device, who in ((http_a, phone, ben), (http_b, laptop, ben_on_laptop)):
                made = await http.post(
                    "/api/v1/me/push-subscriptions",
                    headers=who.headers,
                    json=device.subscription_json(),
                )
                assert made.status_code == 201, made.text
            for i in range(10):
                http = http_a if i % 2 else http_b
                sent = await http.post(
                    f"/api/v1/conversations/{dm}/messages",
                    headers=mei.headers,
                    json={"text": f"第{i}条"},
                )
                assert sent.status_code == 201, sent.text
            try:
                for device in (phone, laptop):
                    await push_service.wait_for(device, 10, timeout=60)
            except TimeoutError:  # say why: what each process logged, what the service refused
                pytest.fail(
                    f"pushes missing: {len(push_service.to(phone))}, {len(push_service.to(laptop))}"
                    f" of 10; refused {push_service.rejected}\n{a.log()[-3000:]}\n{b.log()[-3000:]}"
                )
            group, last = await group_burst(http_a, http_b, mei, ben, push_service, (phone, laptop))
            engine = create_async_engine(env["TUAN_DATABASE_URL"])
            async with asyncio.timeout(30):
                while True:
                    async with engine.connect() as conn:
                        pending = await conn.scalar(
                            select(func.count())
                            .select_from(DueJob)
                            .where(DueJob.kind.like("push.%"), DueJob.done_at.is_(None))
                        )
                    if pending == 0:
                        break
                    await asyncio.sleep(0.2)
            await engine.dispose()
    for device in (phone, laptop):
        direct = [p for p in push_service.to(device) if p["tag"] == f"chat-{dm}"]
        counts = Counter(p["notification_id"] for p in direct)
        assert len(counts) == 10 and set(counts.values()) == {1}, counts
        # The group's burst: bundled, never twice the same, the last message said.
        orders = [p["order"] for p in push_service.to(device) if p["tag"] == f"chat-{group}"]
        assert len(orders) == len(set(orders)) and 1 <= len(orders) < 5, orders
        assert max(orders) == last
    assert push_service.rejected == []


async def group_burst(
    http_a: httpx.AsyncClient,
    http_b: httpx.AsyncClient,
    mei: Person,
    ben: Person,
    push_service: LocalPushService,
    devices: tuple[BrowserDevice, BrowserDevice],
) -> tuple[int, int]:
    """Five messages in a group, through both processes; Ben's devices get the group's pushes,
    bundled. The group's chat and its last message's position."""
    cid = await join_open_group(http_a, mei, ben, name="三班家长群")
    before = [len(push_service.to(d)) for d in devices]
    seq = 0
    for i in range(5):
        sent = await (http_a if i % 2 else http_b).post(
            f"/api/v1/conversations/{cid}/messages", headers=mei.headers, json={"text": f"{i}"}
        )
        assert sent.status_code == 201, sent.text
        seq = int(sent.json()["seq"])
    async with asyncio.timeout(60):
        for device, count in zip(devices, before, strict=True):
            while not any(p.get("order") == seq for p in push_service.to(device)[count:]):
                await asyncio.sleep(0.05)
    return cid, seq
