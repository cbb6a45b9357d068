"""When pushes go: plain messages in a group bundled per window, do-not-disturb hours held until
they end. Against the local push service, with the suite's shiftable clock standing in for the
minutes that pass."""

from __future__ import annotations

from datetime import UTC, timedelta

import httpx

from tests.e2e.push.pushservice import BrowserDevice, LocalPushService
from tests.e2e.push.test_push import friends_dm, settle, subscribe
from tests.factories import Person, join_open_group, people, say
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container


async def test_a_busy_group_pushes_once_per_window_and_never_to_who_muted_it(
    client: httpx.AsyncClient,
    container: Container,
    clock: ShiftableClock,
    push_service: LocalPushService,
) -> None:
    mei, ben, li = await people(client, "mei", "ben", "lily")
    cid = await join_open_group(client, mei, ben, li, name="三班家长群")
    ben_phone, li_phone = push_service.new_device(), push_service.new_device()
    assert (await subscribe(client, ben, ben_phone)).status_code == 201
    assert (await subscribe(client, li, li_phone)).status_code == 201
    muted = await client.put(
        f"/api/v1/conversations/{cid}/mute", headers=li.headers, json={"forever": True}
    )
    assert muted.status_code < 300, muted.text

    first = (await say(client, mei, cid, "明早七点取草莓")).json()["seq"]
    await push_service.wait_for(ben_phone, 1)
    (pushed,) = push_service.to(ben_phone)
    assert pushed["title"] == "三班家长群" and pushed["body"] == "New message"
    assert pushed["url"] == f"/chats/{cid}#m{first}" and pushed["tag"] == f"chat-{cid}"

    for text in ("我要两箱", "我也要", "还有吗"):  # within the window: they wait
        await say(client, mei, cid, text)
    await settle(container)
    assert len(push_service.to(ben_phone)) == 1

    clock.advance(seconds=container.settings.push_bundle_seconds + 1)
    await push_service.wait_for(ben_phone, 2)
    later = push_service.to(ben_phone)[-1]
    assert later["body"] == "4 new messages" and later["count"] == 4
    assert later["url"] == f"/chats/{cid}#m{first}"  # opens at the first unread
    assert later["order"] > pushed["order"]
    assert push_service.to(li_phone) == []  # muted: nothing, however busy

    clock.advance(seconds=container.settings.push_bundle_seconds + 1)
    await client.post(f"/api/v1/conversations/{cid}/read", headers=ben.headers, json={"seq": 99})
    await settle(container)
    assert len(push_service.to(ben_phone)) == 2  # nothing new since: no third push


async def mei_and_ben_with_a_phone(
    client: httpx.AsyncClient, push_service: LocalPushService, group: str
) -> tuple[Person, Person, int, BrowserDevice]:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben, name=group)
    phone = push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    return mei, ben, cid, phone


async def test_a_message_after_a_quiet_spell_pushes_at_once_with_its_text_when_chosen(
    client: httpx.AsyncClient, clock: ShiftableClock, push_service: LocalPushService
) -> None:
    mei, ben, cid, phone = await mei_and_ben_with_a_phone(client, push_service, "Year 3 parents")
    await client.put("/api/v1/me/push-settings", headers=ben.headers, json={"show_text": True})
    await say(client, mei, cid, "Strawberries at 7")
    await push_service.wait_for(phone, 1)
    seq = (await say(client, ben, cid, "Thanks!")).json()["seq"]
    await client.post(f"/api/v1/conversations/{cid}/read", headers=ben.headers, json={"seq": seq})

    clock.advance(minutes=10)
    await say(client, mei, cid, "Two boxes left")
    await push_service.wait_for(phone, 2)  # a quiet spell: at once, no window to wait for
    assert push_service.to(phone)[-1]["body"] == "mei: Two boxes left"
    assert push_service.to(phone)[-1]["count"] == 1


async def test_do_not_disturb_hours_hold_pushes_until_they_end(
    client: httpx.AsyncClient,
    container: Container,
    clock: ShiftableClock,
    push_service: LocalPushService,
) -> None:
    mei, ben, cid, phone = await mei_and_ben_with_a_phone(client, push_service, "三班家长群")
    dm = await friends_dm(client, mei, ben)
    await settle(container)
    before = len(push_service.to(phone))  # "mei accepted": before the quiet hours
    now = clock.now().astimezone(UTC)
    start, end = now - timedelta(hours=1), now + timedelta(hours=2)
    quiet = {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "time_zone": "UTC"}
    chosen = await client.put(
        "/api/v1/me/push-settings", headers=ben.headers, json={"quiet_hours": quiet}
    )
    assert chosen.status_code == 204, chosen.text
    mine = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert mine["quiet_hours"] == quiet and mine["show_text"] is False

    await say(client, mei, dm, "睡了吗？")
    await say(client, mei, cid, "@ben 明早取货", mentions=[ben.id])
    await say(client, mei, cid, "大家晚安")
    await settle(container)
    assert len(push_service.to(phone)) == before  # the night is quiet

    clock.advance(hours=2, minutes=1)
    await push_service.wait_for(phone, before + 3)
    titles = sorted(p["title"] for p in push_service.to(phone)[before:])
    assert titles == ["mei mentioned you", "mei sent you a message", "三班家长群"]

    off = await client.put(
        "/api/v1/me/push-settings", headers=ben.headers, json={"quiet_hours": None}
    )
    assert off.status_code == 204
    mine = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert mine["quiet_hours"] is None


async def test_do_not_disturb_hours_that_make_no_sense_are_refused_and_change_nothing(
    client: httpx.AsyncClient, push_service: LocalPushService
) -> None:
    (ben,) = await people(client, "ben")
    good = {"start": "22:00", "end": "07:00", "time_zone": "Asia/Shanghai"}
    assert (
        await client.put(
            "/api/v1/me/push-settings", headers=ben.headers, json={"quiet_hours": good}
        )
    ).status_code == 204
    for bad, field in (
        ({**good, "end": "22:00"}, "end"),
        ({**good, "time_zone": "Mars/Olympus"}, "time_zone"),
        ({**good, "start": "24:00"}, "start"),
        ({**good, "start": "7:00"}, "start"),
    ):
        refused = await client.put(
            "/api/v1/me/push-settings",
            headers={**ben.headers, "Accept-Language": "zh-CN"},
            json={"quiet_hours": bad},
        )
        assert refused.status_code == 422, (bad, refused.text)
        assert field in refused.text
    mine = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert mine["quiet_hours"] == good
    refused = await client.put(
        "/api/v1/me/push-settings",
        headers={**ben.headers, "Accept-Language": "zh-CN"},
        json={"quiet_hours": {**good, "end": "22:00"}},
    )
    assert "免打扰" in refused.json()["error"]["message"]
