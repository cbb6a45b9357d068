"""Ask for a recommendation: a request goes to a group and to a chosen friend, others answer with
cards where they saw it, and the asker marks the one they chose."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import befriend, messages
from tests.factories import join_open_group, people
from tuan.bootstrap import Container
from tuan.trust.queries import trust_seen_by


async def test_ask_answer_with_cards_and_choose_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=500)
    small = await list_product(client, owner, shop["id"], name="24寸行李箱")
    large = await list_product(client, owner, shop["id"], name="28寸行李箱 suitcase")
    mei, ben, cat, dan, outsider = await people(client, "mei", "ben", "cat", "dan", "outsider")
    group = await join_open_group(client, mei, ben, cat)
    await befriend(client, mei, dan)
    direct = await client.post(
        "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": dan.id}
    )
    direct_id = direct.json()["id"]

    asked = await client.post(
        "/api/v1/asks",
        headers=mei.headers,
        json={"text": "求推荐：28寸行李箱，300以内", "conversation_ids": [group, direct_id]},
    )
    assert asked.status_code == 201, asked.text
    ask_id = asked.json()["id"]
    posted = [m for m in await messages(client, ben, group) if m["kind"] == "recommendation_ask"]
    assert posted[0]["payload"] == {"ask_id": ask_id}
    assert posted[0]["text"] == "求推荐：28寸行李箱，300以内"

    by_ben = await client.post(
        f"/api/v1/asks/{ask_id}/answers",
        headers=ben.headers,
        json={"conversation_id": group, "product_id": large["id"], "text": "这个结实"},
    )
    assert by_ben.status_code == 201, by_ben.text
    assert by_ben.json()["paid_share"] is True
    by_dan = await client.post(
        f"/api/v1/asks/{ask_id}/answers",
        headers=dan.headers,
        json={"conversation_id": direct_id, "product_id": small["id"]},
    )
    assert by_dan.status_code == 201, by_dan.text
    elsewhere = await join_open_group(client, ben, cat)
    wrong_place = await client.post(
        f"/api/v1/asks/{ask_id}/answers",
        headers=ben.headers,
        json={"conversation_id": elsewhere, "product_id": small["id"]},
    )
    assert wrong_place.status_code == 422
    assert wrong_place.json()["error"]["code"] == "ASK_ANSWER_CONVERSATION"
    own = await client.post(
        f"/api/v1/asks/{ask_id}/answers",
        headers=mei.headers,
        json={"conversation_id": group, "product_id": small["id"]},
    )
    assert own.status_code == 409
    hidden = await client.get(f"/api/v1/asks/{ask_id}", headers=outsider.headers)
    assert hidden.status_code == 404

    # Cat sees the group's answer only; Mei sees both.
    seen_by_cat = (await client.get(f"/api/v1/asks/{ask_id}", headers=cat.headers)).json()
    assert [a["answerer_id"] for a in seen_by_cat["answers"]] == [ben.id]
    assert seen_by_cat["conversation_ids"] == [group]
    seen_by_mei = (await client.get(f"/api/v1/asks/{ask_id}", headers=mei.headers)).json()
    assert {a["answerer_id"] for a in seen_by_mei["answers"]} == {ben.id, dan.id}

    not_asker = await client.put(
        f"/api/v1/asks/{ask_id}/choice",
        headers=ben.headers,
        json={"share_id": by_ben.json()["share_id"]},
    )
    assert not_asker.status_code == 403
    async with container.db.read_sessions() as session:
        before = (await trust_seen_by(session, mei.id, {ben.id}, container.clock.now()))[ben.id]
    chose = await client.put(
        f"/api/v1/asks/{ask_id}/choice",
        headers=mei.headers,
        json={"share_id": by_ben.json()["share_id"]},
    )
    assert chose.status_code == 204
    not_an_answer = await client.put(
        f"/api/v1/asks/{ask_id}/choice", headers=mei.headers, json={"share_id": 999999}
    )
    assert not_an_answer.status_code == 422
    # Everyone following the chats sees the request settled: its message has a new version.
    # Which answer won is not in it (Cat may not see Dan's), only in the ask as each may see it.
    settled = [m for m in await messages(client, cat, group) if m["kind"] == "recommendation_ask"]
    assert settled[0]["payload"] == {"ask_id": ask_id, "status": "chosen"}
    assert settled[0]["version"] > posted[0]["version"]
    assert settled[0]["text"] == "求推荐：28寸行李箱，300以内"
    await settle(container)
    after = (await client.get(f"/api/v1/asks/{ask_id}", headers=cat.headers)).json()
    assert after["status"] == "chosen"
    assert [a["chosen"] for a in after["answers"]] == [True]
    async with container.db.read_sessions() as session:
        tie = (await trust_seen_by(session, mei.id, {ben.id}, container.clock.now()))[ben.id]
    assert tie > before


async def test_a_request_needs_words_and_conversations_i_am_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    group = await join_open_group(client, ben, cat)
    outside = await client.post(
        "/api/v1/asks", headers=mei.headers, json={"text": "推荐", "conversation_ids": [group]}
    )
    assert outside.status_code == 404
    blank = await client.post(
        "/api/v1/asks", headers=ben.headers, json={"text": "  ", "conversation_ids": [group]}
    )
    assert blank.status_code == 422 and blank.json()["error"]["code"] == "ASK_EMPTY"
    nowhere = await client.post(
        "/api/v1/asks", headers=ben.headers, json={"text": "推荐", "conversation_ids": []}
    )
    assert nowhere.status_code == 422
