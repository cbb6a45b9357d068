"""A team purchase shared by its link and its card: who may see a private team (its members and
holders of its code, nobody else), whom it names (only members whose purchases the viewer may
see), what each viewer may do (join, or invite), its card as a chat message of its own kind, the
live "team moved" frames, the notification when it fills, and an order history that says "paid"
once."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.e2e.commerce.kit import Storefront, pay, settle, storefront
from tests.e2e.loop.loopkit import befriend, messages, open_team, share_card, show
from tests.e2e.test_web_session import web_log_in
from tests.factories import Person, join_open_group, people
from tests.wsclient import ChatClient
from tuan.bootstrap import Container


async def join(
    client: httpx.AsyncClient, who: Person, team_id: int, **fields: Any
) -> dict[str, Any]:
    joined = await client.post(
        f"/api/v1/teams/{team_id}/join",
        headers={**who.headers, "Idempotency-Key": uuid.uuid4().hex},
        json=fields,
    )
    assert joined.status_code == 201, joined.text
    return dict(joined.json())


async def team_as(
    client: httpx.AsyncClient, who: Person, team_id: int, code: str | None = None
) -> httpx.Response:
    params = {"code": code} if code is not None else {}
    return await client.get(f"/api/v1/teams/{team_id}", params=params, headers=who.headers)


async def private_team(
    client: httpx.AsyncClient, container: Container, opener: Person, size: int
) -> tuple[Storefront, dict[str, Any], str]:
    """A product sold in teams of ``size``, and a private team of it that ``opener`` paid for:
    the shop, the team as its opener saw it, and its share-link code."""
    store = await storefront(client, container, team_size=size, team_price=6900)
    team = await open_team(client, opener, store.sku_id, public=False)
    code = (await team_as(client, opener, team["id"])).json()["code"]
    return store, team, code


async def test_a_private_team_is_seen_by_its_members_and_code_holders_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    store, team, code = await private_team(client, container, mei, 3)
    mine = (await team_as(client, mei, team["id"])).json()
    assert mine["allowed_actions"] == ["invite"] and mine["you_are_member"]
    assert mine["member_names"] == ["mei"]

    # A stranger without the code, or with a wrong one, meets the same "no such team".
    for wrong in (None, "wrong-code-123", code[:-1] + ("A" if code[-1] != "A" else "B")):
        refused = await team_as(client, ben, team["id"], wrong)
        assert refused.status_code == 404, refused.text
        assert refused.json()["error"]["code"] == "TEAM_NOT_FOUND"
    malformed = await team_as(client, ben, team["id"], "short")
    assert malformed.status_code == 422, malformed.text
    unknown = await client.get("/api/v1/teams/by-code/no-such-code-1", headers=ben.headers)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "TEAM_NOT_FOUND"

    # With the code Ben sees the team, may join it, is told nobody's name (Mei hides her
    # purchases, the default) and is not given the code to pass on.
    seen = (await team_as(client, ben, team["id"], code)).json()
    assert seen["allowed_actions"] == ["join"] and not seen["you_are_member"]
    assert seen["opener_display_name"] is None and seen["member_names"] == []
    assert seen["code"] is None and seen["paid_count"] == 1 and seen["places_left"] == 2

    # The product page lists it for its member (leading her to it), for nobody else.
    listed = f"/api/v1/products/{store.product['id']}/teams"
    assert [t["id"] for t in (await client.get(listed, headers=mei.headers)).json()] == [team["id"]]
    assert (await client.get(listed, headers=ben.headers)).json() == []
    await settle(container)


async def test_the_team_page_opens_only_with_the_code_and_keeps_it_through_the_log_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    (mei,) = await people(client, "mei")
    _, team, code = await private_team(client, container, mei, 2)
    path = f"/teams/{team['id']}"

    logged_out = await client.get(path, params={"code": code})
    assert logged_out.status_code == 303
    target = urlsplit(logged_out.headers["location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [f"{path}?code={code}"]

    await people(client, "ben")
    await web_log_in(client, "ben")
    assert (await client.get(path)).status_code == 404
    for bad in ("wrong-code-123", "x", "<script>", "a" * 40):
        page = await client.get(path, params={"code": bad})
        assert page.status_code == 404 and "<script>" not in page.text, bad
    page = await client.get(path, params={"code": code})
    assert page.status_code == 200 and f'data-team-code="{code}"' in page.text


async def test_members_are_named_only_to_viewers_who_may_see_their_purchases(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat, dan = await people(client, "mei", "ben", "cat", "dan")
    _, team, code = await private_team(client, container, mei, 3)
    await befriend(client, ben, cat)
    await show(client, ben, "purchases", "friends")
    joined = await join(client, ben, team["id"], code=code)
    assert (await pay(client, ben, joined["order"]["id"])).status_code == 201

    as_cat = (await team_as(client, cat, team["id"], code)).json()
    as_dan = (await team_as(client, dan, team["id"], code)).json()
    assert as_cat["member_names"] == ["ben"]  # Ben lets friends see; Mei does not
    assert as_dan["member_names"] == [] and as_dan["opener_display_name"] is None
    # The counts are the team's, the same for every viewer.
    for field in ("paid_count", "places_left", "size", "status"):
        assert as_cat[field] == as_dan[field], field
    assert as_dan["paid_count"] == 2
    as_ben = (await team_as(client, ben, team["id"])).json()
    assert as_ben["member_names"] == ["ben"]  # himself; Mei stays hidden
    assert as_ben["allowed_actions"] == ["invite"] and as_ben["code"] == code
    await settle(container)


async def test_a_team_card_is_its_own_kind_and_says_what_each_viewer_may_do(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, mei, ben)
    store, team, _ = await private_team(client, container, mei, 2)
    shared = await share_card(client, mei, group, store.product["id"], team_id=team["id"])
    assert shared.status_code == 201, shared.text
    share_id = shared.json()["share_id"]
    kinds = [m["kind"] for m in await messages(client, ben, group)]
    assert "team_card" in kinds and "product_card" not in kinds

    as_mei = (await client.get(f"/api/v1/cards/{share_id}", headers=mei.headers)).json()["team"]
    as_ben = (await client.get(f"/api/v1/cards/{share_id}", headers=ben.headers)).json()["team"]
    assert as_mei["allowed_actions"] == ["invite"] and as_mei["you_are_member"]
    assert as_ben["allowed_actions"] == ["join"] and not as_ben["you_are_member"]
    await join(client, ben, team["id"], code=as_ben["code"], share_id=share_id)
    as_ben = (await client.get(f"/api/v1/cards/{share_id}", headers=ben.headers)).json()["team"]
    assert as_ben["you_are_member"] and as_ben["allowed_actions"] == []  # no place left
    # A client cannot forge one.
    forged = await client.post(
        f"/api/v1/conversations/{group}/messages",
        headers=ben.headers,
        json={"kind": "team_card", "text": "", "payload": {"share_id": share_id}},
    )
    assert forged.status_code in (400, 422), forged.text
    await settle(container)


async def test_a_filled_team_tells_every_member_and_its_history_says_paid_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    store, team, code = await private_team(client, container, mei, 2)
    joined = await join(client, ben, team["id"], code=code)
    assert (await pay(client, ben, joined["order"]["id"])).status_code == 201
    await settle(container)

    for who in (mei, ben):
        found = (await client.get("/api/v1/notifications", headers=who.headers)).json()
        filled = [n for n in found["notifications"] if n["kind"] == "team_filled"]
        assert len(filled) == 1, found
        data = filled[0]["data"]
        assert data["team_id"] == team["id"] and data["product"] == store.product["name"]
        order = (await client.get(f"/api/v1/orders/{data['order_id']}", headers=who.headers)).json()
        assert order["team"]["confirmed"] is True
        steps = [step["step"] for step in order["history"]]
        assert steps == ["pending", "paid", "team_filled"], order["history"]
    page = await client.get("/api/v1/teams/" + str(team["id"]), headers=mei.headers)
    assert page.json()["status"] == "filled" and page.json()["allowed_actions"] == []


async def test_a_watched_team_is_announced_to_those_who_may_see_it(
    client: httpx.AsyncClient, container: Container, live_app: str
) -> None:
    mei, ben, dan = await people(client, "mei", "ben", "dan")
    _, team, code = await private_team(client, container, mei, 3)
    opener = await ChatClient.open(live_app, mei.token)
    stranger = await ChatClient.open(live_app, dan.token)
    await opener.send({"type": "watch_team", "team_id": team["id"]})
    await opener.wait_for(lambda f: f["type"] == "watching" and f["team_id"] == team["id"])
    await stranger.send({"type": "watch_team", "team_id": team["id"]})
    refused = await stranger.wait_for(lambda f: f["type"] == "error")
    assert refused["code"] == "TEAM_NOT_FOUND"
    await stranger.send({"type": "watch_team", "team_id": team["id"], "code": "bad"})
    assert (await stranger.wait_for(lambda f: f.get("code") == "BAD_FRAME"))["type"] == "error"

    joined = await join(client, ben, team["id"], code=code)
    await opener.wait_for(lambda f: f["type"] == "team" and f["team_id"] == team["id"])

    def moves() -> int:
        return len([f for f in opener.frames if f["type"] == "team"])

    before = moves()
    assert (await pay(client, ben, joined["order"]["id"])).status_code == 201
    await opener.wait_for(lambda f: f["type"] == "team" and moves() > before)
    await stranger.send({"type": "ping", "ref": "sync"})
    await stranger.wait_for(lambda f: f["type"] == "pong")
    assert not [f for f in stranger.frames if f["type"] in ("team", "watching")]
    await opener.close()
    await stranger.close()
    await settle(container)
