"""Web Push end to end: Tuan posts to a local push service, which checks the VAPID signature and
decrypts each payload with the device's own key, as a phone would; the tests assert what the
person would see on their lock screen."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.commerce.kit import buy, storefront
from tests.e2e.commerce.kit import settle as settle_all
from tests.e2e.push.pushservice import BrowserDevice, LocalPushService
from tests.factories import Person, join_open_group, log_in, people, say
from tuan.bootstrap import Container


async def subscribe(
    client: httpx.AsyncClient, who: Person, device: BrowserDevice
) -> httpx.Response:
    return await client.post(
        "/api/v1/me/push-subscriptions",
        headers={**who.headers, "User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0"},
        json=device.subscription_json(),
    )


async def settle(container: Container) -> None:
    """Run every event and due job now (the background workers may take some too)."""
    await settle_all(container)


async def friends_dm(client: httpx.AsyncClient, a: Person, b: Person) -> int:
    await client.post("/api/v1/friends/requests", headers=a.headers, json={"user_id": b.id})
    await client.post("/api/v1/friends/requests", headers=b.headers, json={"user_id": a.id})
    made = await client.post(
        "/api/v1/conversations/direct", headers=a.headers, json={"user_id": b.id}
    )
    return int(made.json()["id"])


async def test_the_server_key_is_the_one_browsers_subscribe_with(
    client: httpx.AsyncClient, push_service: LocalPushService
) -> None:
    answer = await client.get("/api/v1/push/key")
    assert answer.status_code == 200
    assert answer.json() == {"public_key": push_service.vapid_public_key}


async def test_a_direct_message_says_only_new_message_until_the_person_shows_text(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben = await people(client, "mei", "ben")
    dm = await friends_dm(client, mei, ben)
    phone = push_service.new_device()
    made = await subscribe(client, ben, phone)
    assert made.status_code == 201, made.text
    assert made.json()["label"] == "Chrome · Android" and made.json()["this_device"] is True

    await say(client, mei, dm, "今晚的草莓还有吗？")
    await push_service.wait_for(phone, 1)
    (first,) = [p for p in push_service.to(phone) if p["tag"] == f"chat-{dm}"]
    assert first["title"] == "mei sent you a message"
    assert first["body"] == "New message"  # the lock screen does not show the words
    assert first["url"].startswith(f"/chats/{dm}#m") and first["count"] == 1

    shown = await client.put(
        "/api/v1/me/push-settings", headers=ben.headers, json={"show_text": True}
    )
    assert shown.status_code == 204
    await say(client, mei, dm, "还有两箱")
    await push_service.wait_for(phone, 2)
    second = push_service.to(phone)[-1]
    assert second["body"] == "还有两箱" and second["tag"] == f"chat-{dm}"
    assert second["count"] == 2  # two unread in this chat: the notification updates
    received = push_service.received[-1]
    assert received.headers["topic"] == f"chat-{dm}" and received.headers["urgency"] == "high"
    assert push_service.rejected == []


async def test_a_chinese_readers_push_is_in_chinese(
    client: httpx.AsyncClient, push_service: LocalPushService
) -> None:
    mei, ben = await people(client, "mei", "ben")
    await client.patch("/api/v1/me", headers=ben.headers, json={"locale": "zh-CN"})
    dm = await friends_dm(client, mei, ben)
    phone = push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    await say(client, mei, dm, "在吗")
    await push_service.wait_for(phone, 1)
    (pushed,) = push_service.to(phone)
    assert (pushed["title"], pushed["body"]) == ("mei 给你发了消息", "新消息")


async def muted_group(
    client: httpx.AsyncClient, push_service: LocalPushService
) -> tuple[Person, Person, int, BrowserDevice]:
    """Mei and Ben in a group Ben muted, and Ben's phone subscribed."""
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    phone = push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    await client.put(
        f"/api/v1/conversations/{cid}/mute", headers=ben.headers, json={"forever": True}
    )
    return mei, ben, cid, phone


async def test_a_muted_group_does_not_push_but_an_at_mention_in_it_does(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben, cid, phone = await muted_group(client, push_service)
    await client.put("/api/v1/me/push-settings", headers=ben.headers, json={"show_text": True})

    await say(client, mei, cid, "大家好，今天团草莓")
    await settle(container)
    assert push_service.to(phone) == []

    await say(client, mei, cid, "@ben 你要几箱？", mentions=[ben.id])
    await push_service.wait_for(phone, 1)
    (pushed,) = push_service.to(phone)
    assert pushed["title"] == "mei mentioned you" and pushed["body"] == "@ben 你要几箱？"
    assert pushed["url"].startswith(f"/chats/{cid}#m")


async def test_a_reply_in_a_muted_group_pushes_like_a_mention_and_opens_at_the_reply(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben, cid, phone = await muted_group(client, push_service)
    asked = await say(client, ben, cid, "草莓还有吗？")
    replied = await say(client, mei, cid, "还有两箱", reply_to_seq=asked.json()["seq"])
    assert replied.status_code == 201, replied.text
    await push_service.wait_for(phone, 1)
    (pushed,) = push_service.to(phone)
    assert (pushed["title"], pushed["body"]) == ("mei replied to you", "New message")
    assert pushed["url"] == f"/chats/{cid}#m{replied.json()['seq']}"
    assert pushed["tag"] == f"chat-{cid}"
    assert push_service.received[-1].headers["urgency"] == "high"


async def test_an_order_the_shop_marked_delivered_pushes_to_the_buyer(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    store = await storefront(client, container)
    (mei,) = await people(client, "mei")
    await client.patch("/api/v1/me", headers=mei.headers, json={"locale": "zh-CN"})
    phone = push_service.new_device()
    assert (await subscribe(client, mei, phone)).status_code == 201
    order = await buy(client, mei, store.sku_id)
    for step in ("ship", "deliver"):
        done = await client.post(
            f"/api/v1/orders/{order['id']}/{step}", headers=store.owner.headers
        )
        assert done.status_code == 200, done.text
    await push_service.wait_for(phone, 2)
    said = f"你在 {store.shop['name']} 的订单 #{order['id']} 已送达"
    (delivered,) = [p for p in push_service.to(phone) if p["body"] == said]
    assert delivered["title"] == "团"
    assert (delivered["url"], delivered["tag"]) == (
        f"/orders/{order['id']}",
        f"order-{order['id']}",
    )


async def test_a_device_the_push_service_says_is_gone_is_removed(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben = await people(client, "mei", "ben")
    dm = await friends_dm(client, mei, ben)
    old, new = push_service.new_device(), push_service.new_device()
    laptop = Person(ben.id, "ben", (await log_in(client, "ben")).json()["token"])
    assert (await subscribe(client, ben, old)).status_code == 201
    assert (await subscribe(client, laptop, new)).status_code == 201
    push_service.answer[old.token] = 410  # the browser unsubscribed; the service forgot it
    await say(client, mei, dm, "在吗")
    await push_service.wait_for(new, 1)
    await settle(container)
    devices = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert len(devices["devices"]) == 1 and devices["show_text"] is False
    await say(client, mei, dm, "还在吗")
    await push_service.wait_for(new, 2)
    assert push_service.to(old) == []


async def test_a_push_service_that_fails_for_a_while_gets_the_push_once_it_recovers(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService, clock
) -> None:
    mei, ben = await people(client, "mei", "ben")
    dm = await friends_dm(client, mei, ben)
    phone = push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    push_service.answer[phone.token] = 503
    await say(client, mei, dm, "在吗")
    await settle(container)
    assert push_service.to(phone) == []
    push_service.answer.pop(phone.token)
    clock.advance(seconds=10)  # the back-off after one failure
    await settle(container)
    assert len(push_service.to(phone)) == 1


async def test_refused_endpoints_and_keys(
    client: httpx.AsyncClient, push_service: LocalPushService
) -> None:
    (ben,) = await people(client, "ben")
    device = push_service.new_device()
    good = device.subscription_json()
    cases = [
        ({**good, "endpoint": "http://push.example.com/x"}, "PUSH_ENDPOINT_REFUSED", "endpoint"),
        ({**good, "endpoint": "https://10.1.2.3/x"}, "PUSH_ENDPOINT_REFUSED", "endpoint"),
        (
            {**good, "endpoint": "https://169.254.169.254/latest"},
            "PUSH_ENDPOINT_REFUSED",
            "endpoint",
        ),
        (
            {**good, "endpoint": "https://[::ffff:192.168.1.1]/x"},
            "PUSH_ENDPOINT_REFUSED",
            "endpoint",
        ),
        (
            {**good, "endpoint": "https://u:p@push.example.com/x"},
            "PUSH_ENDPOINT_REFUSED",
            "endpoint",
        ),
        ({**good, "endpoint": "https://push.invalid/x"}, "PUSH_ENDPOINT_REFUSED", "endpoint"),
        ({**good, "keys": {**good["keys"], "p256dh": "not base64!"}}, "PUSH_KEY_INVALID", "p256dh"),
        ({**good, "keys": {**good["keys"], "p256dh": "AAAA"}}, "PUSH_KEY_INVALID", "p256dh"),
        ({**good, "keys": {**good["keys"], "auth": "c2hvcnQ"}}, "PUSH_KEY_INVALID", "auth"),
    ]
    for body, code, field in cases:
        answer = await client.post("/api/v1/me/push-subscriptions", headers=ben.headers, json=body)
        assert answer.status_code == 422, (body, answer.text)
        error = answer.json()["error"]
        assert (error["code"], error.get("field")) == (code, field), body
    huge = {**good, "keys": {**good["keys"], "p256dh": "A" * 5000}}
    too_big = await client.post("/api/v1/me/push-subscriptions", headers=ben.headers, json=huge)
    assert too_big.status_code == 422
    zh = await client.post(
        "/api/v1/me/push-subscriptions",
        headers={**ben.headers, "Accept-Language": "zh-CN"},
        json=cases[0][0],
    )
    assert "https" in zh.json()["error"]["message"] and "推送地址" in zh.json()["error"]["message"]


async def test_loopback_endpoints_need_the_setting() -> None:
    from tuan.push.addresses import check_endpoint_reachable
    from tuan.push.errors import PushEndpointRefused

    for endpoint in ("http://127.0.0.1:9/push/x", "https://127.0.0.1/x", "https://[::1]/x"):
        with pytest.raises(PushEndpointRefused):
            await check_endpoint_reachable(endpoint, allow_loopback=False)
    await check_endpoint_reachable("http://127.0.0.1:9/push/x", allow_loopback=True)
    with pytest.raises(PushEndpointRefused):  # the setting opens loopback only
        await check_endpoint_reachable("http://10.0.0.1/push/x", allow_loopback=True)


async def test_logging_out_removes_the_sessions_devices_and_nobody_removes_anothers(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben = await people(client, "mei", "ben")
    dm = await friends_dm(client, mei, ben)
    laptop_login = await log_in(client, "ben")
    laptop = Person(ben.id, "ben", laptop_login.json()["token"])
    phone, browser = push_service.new_device(), push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    browser_sub = await subscribe(client, laptop, browser)
    assert browser_sub.status_code == 201

    foreign = await client.delete(
        f"/api/v1/me/push-subscriptions/{browser_sub.json()['id']}", headers=mei.headers
    )
    assert foreign.status_code == 404

    listed = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert [d["this_device"] for d in listed["devices"]] == [True, False]

    assert (
        await client.delete("/api/v1/sessions/current", headers=laptop.headers)
    ).status_code == 204
    await settle(container)
    listed = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert [d["this_device"] for d in listed["devices"]] == [True]
    await say(client, mei, dm, "在吗")
    await push_service.wait_for(phone, 1)
    await settle(container)
    assert push_service.to(browser) == []

    await client.delete("/api/v1/sessions", headers=ben.headers)  # log out everywhere
    await settle(container)
    again = await log_in(client, "ben")
    ben = Person(ben.id, "ben", again.json()["token"])
    listed = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert listed["devices"] == []


async def test_subscribing_again_in_a_session_replaces_its_device(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben = await people(client, "mei", "ben")
    dm = await friends_dm(client, mei, ben)
    first, renewed = push_service.new_device(), push_service.new_device()
    assert (await subscribe(client, ben, first)).status_code == 201
    assert (await subscribe(client, ben, renewed)).status_code == 201  # new keys, same browser
    listed = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert len(listed["devices"]) == 1
    await say(client, mei, dm, "在吗")
    await push_service.wait_for(renewed, 1)
    await settle(container)
    assert push_service.to(first) == []


async def test_a_redirect_from_the_push_service_is_not_followed(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    mei, ben = await people(client, "mei", "ben")
    dm = await friends_dm(client, mei, ben)
    phone, elsewhere = push_service.new_device(), push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    push_service.redirect[phone.token] = elsewhere.endpoint
    await say(client, mei, dm, "在吗")
    await settle(container)
    assert push_service.to(elsewhere) == [] and push_service.to(phone) == []
    listed = (await client.get("/api/v1/me/push-subscriptions", headers=ben.headers)).json()
    assert len(listed["devices"]) == 1  # kept, with a failure counted


async def test_my_export_lists_my_devices_but_never_their_push_keys(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    import io
    import json
    import zipfile

    (ben,) = await people(client, "ben")
    phone = push_service.new_device()
    assert (await subscribe(client, ben, phone)).status_code == 201
    asked = await client.post("/api/v1/me/exports", headers=ben.headers)
    assert asked.status_code == 202, asked.text
    await settle(container)
    status = await client.get(f"/api/v1/me/exports/{asked.json()['id']}", headers=ben.headers)
    download = await client.get(status.json()["download"], headers=ben.headers)
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    devices = json.loads(archive.read("devices.json"))
    assert [d["label"] for d in devices["push_subscriptions"]] == ["Chrome · Android"]
    keys = phone.subscription_json()["keys"]
    for name in archive.namelist():
        content = archive.read(name)
        assert phone.token.encode() not in content and keys["auth"].encode() not in content
