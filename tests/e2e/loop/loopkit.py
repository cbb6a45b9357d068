"""Helpers for the social-loop tests: friends, privacy, cards, an order carried to delivery, a
team opened and paid."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
from PIL import Image

from tests.e2e.commerce.kit import Storefront, buy, settle, storefront
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container


async def befriend(client: httpx.AsyncClient, a: Person, b: Person) -> None:
    await client.post("/api/v1/friends/requests", headers=a.headers, json={"user_id": b.id})
    done = await client.post("/api/v1/friends/requests", headers=b.headers, json={"user_id": a.id})
    assert done.status_code in (200, 201), done.text


async def show(
    client: httpx.AsyncClient, who: Person, kind: str, audience: str, groups: tuple[int, ...] = ()
) -> None:
    response = await client.put(
        f"/api/v1/me/privacy/{kind}",
        headers=who.headers,
        json={"audience": audience, "group_ids": list(groups)},
    )
    assert response.status_code == 200, response.text


async def shop_and_group(
    client: httpx.AsyncClient, container: Container
) -> tuple[Storefront, Person, Person, int]:
    """A shop with a product, and Mei and Ben in an open group: (shop, Mei, Ben, the group)."""
    front = await storefront(client, container)
    mei, ben = await people(client, "mei", "ben")
    return front, mei, ben, await join_open_group(client, mei, ben)


async def share_card(
    client: httpx.AsyncClient, who: Person, conversation_id: int, product_id: int, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/conversations/{conversation_id}/cards",
        headers=who.headers,
        json={"product_id": product_id, **extra},
    )


async def upload_photo(
    client: httpx.AsyncClient,
    who: Person,
    conversation_id: int,
    colour: tuple[int, int, int] = (200, 30, 30),
) -> str:
    """A photo's key; photos of the same ``colour`` are the same photo (stored once)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    response = await client.post(
        f"/api/v1/conversations/{conversation_id}/images",
        headers=who.headers,
        files={"file": ("photo.png", buffer.getvalue(), "image/png")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["key"])


async def delivered_order(
    client: httpx.AsyncClient,
    container: Container,
    buyer: Person,
    shop_owner: Person,
    sku_id: int,
    share_id: int | None = None,
) -> dict[str, Any]:
    """Buy (through a share if given), pay, ship and deliver; the delivered order."""
    extra = {"share_id": share_id} if share_id else {}
    order = await buy(client, buyer, sku_id, **extra)
    shipped = await client.post(f"/api/v1/orders/{order['id']}/ship", headers=shop_owner.headers)
    assert shipped.status_code == 200, shipped.text
    done = await client.post(f"/api/v1/orders/{order['id']}/deliver", headers=buyer.headers)
    assert done.status_code == 200, done.text
    await settle(container)
    return dict(done.json())


async def review(
    client: httpx.AsyncClient, who: Person, order_id: int, stars: int, text: str = "", **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/orders/{order_id}/reviews",
        headers=who.headers,
        json={"stars": stars, "text": text, **extra},
    )


async def messages(client: httpx.AsyncClient, who: Person, conversation_id: int) -> list[Any]:
    response = await client.get(
        f"/api/v1/conversations/{conversation_id}/messages", headers=who.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


async def open_team(
    client: httpx.AsyncClient, who: Person, sku_id: int, *, public: bool
) -> dict[str, Any]:
    """Open a team on ``sku_id`` and pay the opener's order: the team, as its opener saw it."""
    opened = await client.post(
        "/api/v1/teams",
        headers={**who.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"sku_id": sku_id, "quantity": 1, "allow_public_join": public},
    )
    assert opened.status_code == 201, opened.text
    paid = await client.post(
        f"/api/v1/orders/{opened.json()['order']['id']}/payments", headers=who.headers, json={}
    )
    assert paid.status_code == 201, paid.text
    return dict(opened.json()["team"])
