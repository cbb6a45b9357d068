"""Nothing hidden leaks: one buyer-reviewer ("Olive") tries every visibility setting, and every
endpoint that can reveal a purchase or a rating — ratings, social proof, reputation, the share
tree — is read by viewers in every relationship to her, counts included.

The world: Sam shares a card into group G1; Finn forwards it there; Olive buys through Finn's
card and reviews the item (2 stars, not posted to the chat, so only the views can reveal it).
Olive chose G1 when her audience is "groups". Viewers: a friend (no shared group), a G1 member,
a G2 member (a group Olive did not choose), a stranger, and someone Olive blocked who is in both
groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, settle, storefront
from tests.e2e.loop.loopkit import befriend, open_team, review, share_card, show
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container


@dataclass
class World:
    product_id: int
    g1: int
    g2: int
    root_share: int
    sam: Person
    finn: Person
    olive: Person
    viewers: dict[str, Person]


async def build(client: httpx.AsyncClient, container: Container) -> World:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=1000)
    item = await list_product(client, owner, shop["id"], category="snacks")
    sam, finn, olive, friend, g1_member, g2_member, stranger, blocked = await people(
        client, "sam", "finn", "olive", "friend", "g1member", "g2member", "stranger", "blocked"
    )
    await befriend(client, olive, friend)
    g1 = await join_open_group(client, sam, finn, olive, g1_member, blocked)
    g2 = await join_open_group(client, olive, g2_member, blocked)
    root = (await share_card(client, sam, g1, item["id"])).json()["share_id"]
    forwarded = await client.post(
        f"/api/v1/cards/{root}/forward", headers=finn.headers, json={"conversation_id": g1}
    )
    hop = forwarded.json()["share_id"]
    order = await buy(client, olive, item["skus"][0]["id"], share_id=hop)
    await client.post(f"/api/v1/orders/{order['id']}/ship", headers=owner.headers)
    await client.post(f"/api/v1/orders/{order['id']}/deliver", headers=olive.headers)
    reviewed = await review(client, olive, order["id"], 2, "偏轻，不值", post_to_chat=False)
    assert reviewed.status_code == 201, reviewed.text
    blocking = await client.put(f"/api/v1/blocks/{blocked.id}", headers=olive.headers)
    assert blocking.status_code in (200, 204), blocking.text
    await settle(container)
    return World(
        product_id=item["id"],
        g1=g1,
        g2=g2,
        root_share=root,
        sam=sam,
        finn=finn,
        olive=olive,
        viewers={
            "friend": friend,
            "g1_member": g1_member,
            "g2_member": g2_member,
            "stranger": stranger,
            "blocked": blocked,
            "sam": sam,
        },
    )


WHO_SEES: dict[str, set[str]] = {
    "nobody": set(),
    "friends": {"friend"},
    "groups": {"g1_member", "sam"},
    "shared_groups": {"g1_member", "g2_member", "sam"},
}


async def get(client: httpx.AsyncClient, who: Person, path: str, **params: Any) -> Any:
    response = await client.get(path, headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def revealed(client: httpx.AsyncClient, world: World, viewer: Person) -> dict[str, Any]:
    """Everything each endpoint says about Olive's purchase and rating, as numbers and names."""
    product = world.product_id
    ratings = await get(client, viewer, f"/api/v1/products/{product}/ratings")
    proof = await get(client, viewer, f"/api/v1/products/{product}/social-proof")
    reputation = await get(client, viewer, f"/api/v1/users/{world.finn.id}/reputation")
    group_counts = []
    for group in (world.g1, world.g2):
        in_group = await client.get(
            f"/api/v1/products/{product}/ratings",
            headers=viewer.headers,
            params={"group_id": group},
        )
        if in_group.status_code == 200:
            group_counts.append(in_group.json()["group"]["rating"]["count"])
        else:
            assert in_group.status_code == 404  # not a member of that group
    return {
        "rating_count": ratings["overall"]["count"],
        "rating_distribution_total": sum(ratings["overall"]["distribution"].values()),
        "friends_rating_count": ratings["friends"]["count"],
        "trusted_count": ratings["trusted"]["count"],
        "review_authors": [r["author_id"] for r in ratings["reviews"]],
        "group_rating_counts": sum(group_counts),
        "friends_who_bought": [p["id"] for p in proof["friends_who_bought"]],
        "friends_reviews": [r["author"]["id"] for r in proof["friends_reviews"]],
        "group_buyers": sum(g["buyers"] for g in proof["groups_that_bought"]),
        "group_ratings": sum(g["rating"]["count"] for g in proof["group_ratings"]),
        "reputation_purchases": sum(line["purchases"] for line in reputation),
        "reputation_rated": sum(line["rated"] for line in reputation),
        "explanations": " ".join(line["explanation"] for line in reputation),
    }


def purchase_signals(seen: dict[str, Any]) -> int:
    return int(
        len(seen["friends_who_bought"]) + seen["group_buyers"] + seen["reputation_purchases"]
    )


def rating_signals(seen: dict[str, Any]) -> int:
    return int(
        seen["rating_count"]
        + seen["rating_distribution_total"]
        + seen["friends_rating_count"]
        + seen["trusted_count"]
        + len(seen["review_authors"])
        + seen["group_rating_counts"]
        + len(seen["friends_reviews"])
        + seen["group_ratings"]
        + seen["reputation_rated"]
    )


@pytest.mark.parametrize("audience", ["nobody", "friends", "groups", "shared_groups"])
async def test_each_audience_reveals_to_exactly_the_people_it_names(
    client: httpx.AsyncClient, container: Container, audience: str
) -> None:
    world = await build(client, container)
    if audience != "nobody":
        groups = (world.g1,) if audience == "groups" else ()
        await show(client, world.olive, "purchases", audience, groups)
        await show(client, world.olive, "ratings", audience, groups)
    for name, viewer in world.viewers.items():
        seen = await revealed(client, world, viewer)
        if name in WHO_SEES[audience]:
            assert purchase_signals(seen) > 0, (name, seen)
            assert rating_signals(seen) > 0, (name, seen)
            assert seen["review_authors"] == [world.olive.id]
            assert seen["reputation_purchases"] == 1 and seen["reputation_rated"] == 1
            assert "0 of 1" in seen["explanations"]
        else:
            assert purchase_signals(seen) == 0, (name, seen)
            assert rating_signals(seen) == 0, (name, seen)
            assert "of 1" not in seen["explanations"], (name, seen)
    # The share tree: Olive bought through Finn's hop; Sam sees it counted only if she may.
    tree = await get(client, world.sam, f"/api/v1/cards/{world.root_share}/tree")
    (hop,) = tree["children"]
    assert hop["purchases"] == (1 if "sam" in WHO_SEES[audience] else 0)
    assert tree["purchases"] == 0


async def test_showing_purchases_does_not_show_ratings_and_the_reverse(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    member = world.viewers["g1_member"]
    await show(client, world.olive, "purchases", "shared_groups")
    seen = await revealed(client, world, member)
    assert seen["group_buyers"] == 1 and seen["reputation_purchases"] == 1
    assert rating_signals(seen) == 0
    await show(client, world.olive, "purchases", "nobody")
    await show(client, world.olive, "ratings", "shared_groups")
    seen = await revealed(client, world, member)
    assert purchase_signals(seen) == 0
    assert seen["rating_count"] == 1 and seen["reputation_rated"] == 1


async def test_the_owner_always_sees_her_own_and_leaving_the_chosen_group_hides_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    own = await revealed(client, world, world.olive)
    assert own["rating_count"] == 1 and own["review_authors"] == [world.olive.id]
    await show(client, world.olive, "ratings", "groups", (world.g1,))
    member = world.viewers["g1_member"]
    assert (await revealed(client, world, member))["rating_count"] == 1
    left = await client.post(f"/api/v1/groups/{world.g1}/leave", headers=member.headers)
    if left.status_code == 404:  # the leave route may be spelled differently
        left = await client.delete(
            f"/api/v1/groups/{world.g1}/members/{member.id}", headers=member.headers
        )
    assert left.status_code in (200, 204), left.text
    assert rating_signals(await revealed(client, world, member)) == 0


# --- side doors: figures around what the views count (issue 14.3) ---


async def test_a_sharer_counts_no_rating_hidden_from_them_in_their_own_record(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    own = f"/api/v1/users/{world.finn.id}/reputation"
    (line,) = await get(client, world.finn, own)
    # Finn's commission shows him that his hop sold (not to whom); Olive's 2★ is hers to show.
    assert (line["purchases"], line["rated"], line["rated_good"]) == (1, 0, 0), line
    assert "of 1" not in line["explanation"]
    await show(client, world.olive, "ratings", "groups", (world.g1,))  # Finn is in G1
    (line,) = await get(client, world.finn, own)
    assert (line["rated"], line["rated_good"]) == (1, 0) and "0 of 1" in line["explanation"]


async def test_a_review_says_verified_purchase_only_to_those_who_may_see_the_purchase(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    member = world.viewers["g1_member"]
    ratings = f"/api/v1/products/{world.product_id}/ratings"
    await show(client, world.olive, "ratings", "groups", (world.g1,))
    (seen,) = (await get(client, member, ratings))["reviews"]
    assert seen["author_id"] == world.olive.id and seen["verified_purchase"] is False
    assert (await get(client, world.olive, ratings))["reviews"][0]["verified_purchase"] is True
    await show(client, world.olive, "purchases", "groups", (world.g1,))
    assert (await get(client, member, ratings))["reviews"][0]["verified_purchase"] is True


async def test_a_hidden_purchase_moves_no_trust_weight_shown_on_a_review(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    await show(client, world.olive, "ratings", "shared_groups")  # purchases stay hidden
    ratings = f"/api/v1/products/{world.product_id}/ratings"
    readers = [world.viewers["g1_member"], world.sam, world.finn, world.viewers["g2_member"]]

    async def trust_in_olive() -> list[tuple[float, float | None, float]]:
        seen = [await get(client, reader, ratings) for reader in readers]
        return [
            (r["reviews"][0]["trust"], r["trusted"]["average"], r["trusted"]["weight"])
            for r in seen
        ]

    before = await trust_in_olive()
    assert before[0][0] > 0  # G1 ties the member to Olive
    # Olive buys again, through the G1 member's own card: a purchase nobody may see.
    member = world.viewers["g1_member"]
    card = (await share_card(client, member, world.g1, world.product_id)).json()
    sku = (await get(client, world.olive, f"/api/v1/products/{world.product_id}"))["skus"][0]
    await buy(client, world.olive, sku["id"], share_id=card["share_id"])
    await settle(container)
    assert await trust_in_olive() == before


async def test_a_public_team_names_its_opener_only_to_people_who_may_see_her_purchases(
    client: httpx.AsyncClient, container: Container
) -> None:
    store = await storefront(client, container, team_size=3, team_price=6900)
    mei, friend, stranger = await people(client, "mei", "friend", "stranger")
    await befriend(client, mei, friend)
    team = await open_team(client, mei, store.sku_id, public=True)
    listed = f"/api/v1/products/{store.product['id']}/teams"

    async def openers(viewer: Person) -> list[str | None]:
        page = await get(client, viewer, f"/api/v1/teams/{team['id']}")
        (row,) = await get(client, viewer, listed)
        # The team's progress is the offer's, for anyone to see: it never says who.
        assert (row["paid_count"], row["size"], row["places_left"]) == (1, 3, 2)
        return [page["opener_display_name"], row["opener_display_name"]]

    assert await openers(stranger) == [None, None]
    assert await openers(friend) == [None, None]
    assert await openers(mei) == ["mei", "mei"]
    await show(client, mei, "purchases", "friends")
    assert await openers(friend) == ["mei", "mei"]
    assert await openers(stranger) == [None, None]
