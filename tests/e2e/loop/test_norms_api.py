"""Community norms refuse what they should, with a clear message, and allow what they should."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.commerce.kit import list_product, merchant, open_shop
from tests.e2e.loop.loopkit import delivered_order, review, share_card
from tests.factories import Person, invite_link, join_open_group, people, person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container


async def shop_with(
    client: httpx.AsyncClient, container: Container, count: int = 1, rate: int = 1000
) -> tuple[Person, list[dict[str, Any]]]:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=rate)
    products = [
        await list_product(
            client,
            owner,
            shop["id"],
            name=f"商品 {n}",
            skus=[{"label": "one", "price": 1000, "stock": 50}],
        )
        for n in range(count)
    ]
    return owner, products


async def set_norms(
    client: httpx.AsyncClient, admin: Person, group: int, **norms: Any
) -> httpx.Response:
    return await client.patch(f"/api/v1/groups/{group}/norms", headers=admin.headers, json=norms)


async def reviewed_in_group(
    client: httpx.AsyncClient,
    container: Container,
    owner: Person,
    buyer: Person,
    share_id: int,
    sku_id: int,
    stars: int,
) -> None:
    order = await delivered_order(client, container, buyer, owner, sku_id, share_id)
    done = await review(client, buyer, order["id"], stars, "评价")
    assert done.status_code == 201 and done.json()["conversation_id"] is not None, done.text


async def test_a_disputed_item_is_refused_until_reports_agree_again(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner, (item,) = await shop_with(client, container)
    sku = item["skus"][0]["id"]
    mei, cat, *buyers = await people(client, "mei", "cat", "buyer1", "buyer2", "buyer3", "buyer4")
    group = await join_open_group(client, mei, cat, *buyers)
    card = (await share_card(client, mei, group, item["id"])).json()
    for buyer, stars in zip(buyers[:2], (5, 1), strict=True):
        await reviewed_in_group(client, container, owner, buyer, card["share_id"], sku, stars)
    # Two reviews, one bad: below the default minimum of three, so not disputed.
    assert (await share_card(client, cat, group, item["id"])).status_code == 201
    await reviewed_in_group(client, container, owner, buyers[2], card["share_id"], sku, 5)
    refused = await share_card(client, cat, group, item["id"])  # 1 of 3 bad: 33% ≥ 30%
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "NORM_DISPUTED_ITEM"
    assert "disagree" in refused.json()["error"]["message"]
    elsewhere = await join_open_group(client, cat, mei)
    assert (await share_card(client, cat, elsewhere, item["id"])).status_code == 201
    await reviewed_in_group(client, container, owner, buyers[3], card["share_id"], sku, 4)
    # 1 of 4 bad: 25% < 30%, the reports agree again.
    assert (await share_card(client, cat, group, item["id"])).status_code == 201


async def test_admins_can_override_a_disputed_item_and_tune_the_rule(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner, (item,) = await shop_with(client, container)
    sku = item["skus"][0]["id"]
    mei, cat, *buyers = await people(client, "mei", "cat", "buyer1", "buyer2", "buyer3")
    group = await join_open_group(client, mei, cat, *buyers)
    card = (await share_card(client, mei, group, item["id"])).json()
    for buyer in buyers:
        await reviewed_in_group(client, container, owner, buyer, card["share_id"], sku, 1)
    assert (await share_card(client, mei, group, item["id"])).status_code == 409
    not_admin = await client.put(
        f"/api/v1/groups/{group}/norms/overrides/{item['id']}", headers=cat.headers
    )
    assert not_admin.status_code == 403
    assert not_admin.json()["error"]["code"] == "NORM_ADMINS_ONLY"
    allowed = await client.put(
        f"/api/v1/groups/{group}/norms/overrides/{item['id']}", headers=mei.headers
    )
    assert allowed.status_code == 204
    assert (await share_card(client, cat, group, item["id"])).status_code == 201
    await client.delete(f"/api/v1/groups/{group}/norms/overrides/{item['id']}", headers=mei.headers)
    assert (await share_card(client, cat, group, item["id"])).status_code == 409
    assert (await set_norms(client, mei, group, disputed_min_reviews=4)).status_code == 200
    assert (await share_card(client, cat, group, item["id"])).status_code == 201
    assert (await set_norms(client, mei, group, disputed_enabled=False)).status_code == 200
    norms = (await client.get(f"/api/v1/groups/{group}/norms", headers=cat.headers)).json()
    assert norms["disputed_enabled"] is False and norms["disputed_min_reviews"] == 4
    assert norms["paid_label"] is True


async def test_the_promotion_cap_counts_product_shares_per_member_per_group_per_day(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    _owner, items = await shop_with(client, container, count=3)
    mei, cat, dan = await people(client, "mei", "cat", "dan")
    group = await join_open_group(client, mei, cat, dan)
    other = await join_open_group(client, cat, mei)
    assert (await set_norms(client, mei, group, promotion_cap=2)).status_code == 200
    for item in items[:2]:
        assert (await share_card(client, cat, group, item["id"])).status_code == 201
    third = await share_card(client, cat, group, items[2]["id"])
    assert third.status_code == 429
    assert third.json()["error"]["code"] == "NORM_PROMOTION_CAP"
    assert "at most 2 products a day" in third.json()["error"]["message"]
    assert int(third.headers["Retry-After"]) > 0
    assert (await share_card(client, dan, group, items[2]["id"])).status_code == 201
    assert (await share_card(client, cat, other, items[2]["id"])).status_code == 201
    plain = await client.post(
        f"/api/v1/conversations/{group}/messages", headers=cat.headers, json={"text": "聊聊天"}
    )
    assert plain.status_code == 201  # the cap is on product shares, not on talking
    clock.advance(days=1)
    assert (await share_card(client, cat, group, items[2]["id"])).status_code == 201
    lifted = await set_norms(client, mei, group, no_promotion_cap=True)
    assert lifted.json()["promotion_cap"] is None


async def test_new_members_wait_out_the_cooldown_before_sharing_products(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    _owner, (item,) = await shop_with(client, container)
    mei, cat = await people(client, "mei", "cat")
    group = await join_open_group(client, mei, cat)
    assert (await set_norms(client, mei, group, cooldown_hours=24)).status_code == 200
    newcomer = await person(client, "newbie")
    code = await invite_link(client, mei, group)
    await client.post(f"/api/v1/invites/{code}/join", headers=newcomer.headers, json={})
    refused = await share_card(client, newcomer, group, item["id"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "NORM_NEW_MEMBER_COOLDOWN"
    assert "after 24 hours" in refused.json()["error"]["message"]
    assert (await share_card(client, mei, group, item["id"])).status_code == 201  # the owner
    clock.advance(hours=25)
    assert (await share_card(client, newcomer, group, item["id"])).status_code == 201
    assert (await share_card(client, cat, group, item["id"])).status_code == 201


async def test_only_admins_set_norms_and_bad_values_are_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, cat, stranger = await people(client, "mei", "cat", "stranger")
    group = await join_open_group(client, mei, cat)
    refused = await set_norms(client, cat, group, promotion_cap=1)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "NORM_ADMINS_ONLY"
    assert (await set_norms(client, mei, group, disputed_low_percent=0)).status_code == 422
    assert (await set_norms(client, mei, group, promotion_cap="3")).status_code == 422
    assert (await set_norms(client, mei, group, surprise=True)).status_code == 422
    hidden = await client.get(f"/api/v1/groups/{group}/norms", headers=stranger.headers)
    assert hidden.status_code == 404
    defaults = (await client.get(f"/api/v1/groups/{group}/norms", headers=cat.headers)).json()
    assert defaults == {
        "disputed_enabled": True,
        "disputed_min_reviews": 3,
        "disputed_low_percent": 30,
        "promotion_cap": None,
        "cooldown_hours": 0,
        "paid_label": True,
    }


async def test_paid_shares_are_always_labelled_and_unpaid_ones_are_not(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    paid_shop = await open_shop(client, owner, commission_rate_bp=800)
    free_shop = await open_shop(client, owner, name="免费店 free shop", commission_rate_bp=0)
    paid_item = await list_product(client, owner, paid_shop["id"])
    free_item = await list_product(client, owner, free_shop["id"])
    mei, cat = await people(client, "mei", "cat")
    group = await join_open_group(client, mei, cat)
    assert (await set_norms(client, mei, group, disputed_enabled=False)).status_code == 200
    paid = (await share_card(client, cat, group, paid_item["id"])).json()
    free = (await share_card(client, cat, group, free_item["id"])).json()
    assert paid["paid_share"] is True
    assert paid["paid_label"] == {"code": "paid_share", "params": {"rate": 8}}
    assert free["paid_share"] is False and free["paid_label"] is None
