"""Helpers for commerce tests: merchants, shops, products, checkouts and payments through the
public API, plus ``settle`` to let durable events and due jobs run before asserting."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from tests.factories import Person, person
from tuan.accounts import domain as accounts_domain
from tuan.accounts.models import Session, User
from tuan.accounts.service import set_verified
from tuan.bootstrap import Container
from tuan.core.outbox import OutboxRow
from tuan.core.scheduler import DueJob


async def merchant(client: httpx.AsyncClient, container: Container, username: str) -> Person:
    """A real-name verified user (who may open shops)."""
    someone = await person(client, username)
    await container.run(set_verified, username=username)
    return someone


async def crowd(container: Container, count: int, prefix: str = "buyer") -> list[Person]:
    """``count`` users with sessions, written directly (registering hundreds through argon2 would
    only slow the test down; the HTTP registration path is covered elsewhere)."""
    people: list[Person] = []
    async with container.uow() as uow:
        for n in range(count):
            name = f"{prefix}{n}_{uuid.uuid4().hex[:6]}"
            user = User(
                username=name,
                username_key=accounts_domain.username_key(name),
                display_name=name,
                password_hash="x",
                verified=False,
                created_at=uow.now,
                updated_at=uow.now,
            )
            uow.session.add(user)
            await uow.session.flush()
            token = accounts_domain.new_session_token()
            uow.session.add(
                Session(
                    user_id=user.id,
                    token_hash=accounts_domain.hash_token(token),
                    created_at=uow.now,
                    expires_at=uow.now.replace(year=uow.now.year + 1),
                )
            )
            people.append(Person(id=user.id, username=name, token=token))
        await uow.commit()
    return people


async def open_shop(client: httpx.AsyncClient, owner: Person, **fields: Any) -> dict[str, Any]:
    body = {"name": "阿梅的小铺 Mei's shop", "currency": "CNY", **fields}
    response = await client.post("/api/v1/shops", headers=owner.headers, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def list_product(
    client: httpx.AsyncClient,
    owner: Person,
    shop_id: int,
    *,
    name: str = "每日坚果礼盒 Daily nuts",
    skus: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    body = {
        "name": name,
        "description": fields.pop("description", "混合坚果 mixed nuts, 30 packs"),
        "skus": skus or [{"label": "750g", "price": 9900, "stock": 10}],
        **fields,
    }
    response = await client.post(
        f"/api/v1/shops/{shop_id}/products", headers=owner.headers, json=body
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@dataclass
class Storefront:
    owner: Person
    shop: dict[str, Any]
    product: dict[str, Any]

    @property
    def sku_id(self) -> int:
        return int(self.product["skus"][0]["id"])


async def storefront(
    client: httpx.AsyncClient,
    container: Container,
    *,
    owner_name: str = "mei_shop",
    stock: int = 10,
    price: int = 9900,
    commission_rate_bp: int = 1000,
    team_size: int | None = None,
    team_price: int | None = None,
) -> Storefront:
    owner = await merchant(client, container, owner_name)
    shop = await open_shop(client, owner, commission_rate_bp=commission_rate_bp)
    sku: dict[str, Any] = {"label": "750g", "price": price, "stock": stock}
    extra: dict[str, Any] = {}
    if team_size is not None:
        sku["team_price"] = team_price
        extra["team_size"] = team_size
    product = await list_product(client, owner, shop["id"], skus=[sku], **extra)
    return Storefront(owner=owner, shop=shop, product=product)


async def checkout(
    client: httpx.AsyncClient,
    buyer: Person,
    items: list[dict[str, Any]],
    *,
    key: str | None = None,
    **fields: Any,
) -> httpx.Response:
    return await client.post(
        "/api/v1/orders",
        headers={**buyer.headers, "Idempotency-Key": key or uuid.uuid4().hex},
        json={"items": items, **fields},
    )


async def pay(
    client: httpx.AsyncClient, buyer: Person, order_id: int, outcome: str = "succeed", **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/orders/{order_id}/payments",
        headers=buyer.headers,
        json={"sandbox_outcome": outcome, **extra},
    )


async def buy(
    client: httpx.AsyncClient, buyer: Person, sku_id: int, quantity: int = 1, **fields: Any
) -> dict[str, Any]:
    """Checkout and pay; the paid order."""
    placed = await checkout(client, buyer, [{"sku_id": sku_id, "quantity": quantity}], **fields)
    assert placed.status_code == 201, placed.text
    paid = await pay(client, buyer, placed.json()["id"])
    assert paid.status_code == 201, paid.text
    assert paid.json()["order"]["status"] == "paid", paid.text
    return dict(paid.json()["order"])


async def order_of(client: httpx.AsyncClient, who: Person, order_id: int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{order_id}", headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def stock_of(client: httpx.AsyncClient, who: Person, product_id: int) -> int:
    response = await client.get(f"/api/v1/products/{product_id}", headers=who.headers)
    return int(response.json()["skus"][0]["stock"])


async def settle(container: Container, rounds: int = 100) -> None:
    """Run what the change set in motion: outbox events and jobs that are due now."""
    scheduler = container.scheduler
    for _ in range(rounds):
        await container.relay.drain()
        await scheduler.sweep()
        now = container.clock.now()
        async with container.db.read_sessions() as session:
            pending = await session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
            )
            due = await session.scalar(
                select(func.count())
                .select_from(DueJob)
                .where(DueJob.done_at.is_(None), DueJob.run_at <= now)
            )
        if not pending and not due:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("events or due jobs did not settle")
