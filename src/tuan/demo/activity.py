"""Demo activity: the social loop played out in the demo groups, through the real HTTP API.

In a few groups a member shares a product as a card; other members buy from it, pay in the
sandbox, get it delivered, tell the group ("bought it") and review it. One product gets mixed
reviews in one group, so it is *disputed* there and the group refuses it being shared again.
Buyers choose different privacy settings, so the social-proof panels show what each allowed
and nothing else. Going through the API (in process) keeps the demo honest: it can only do what
a person could.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.catalog.models import Product, Shop, Sku
from tuan.chat.models import Member
from tuan.groups.models import Group
from tuan.shares.models import Share

GOOD_WORDS = (
    "孩子很爱吃，推荐！",
    "比超市便宜，质量好 Cheaper than the supermarket",
    "回购第三次了",
)
GOOD_REVIEWS = ("很好，下次还买 Great, will buy again", "新鲜，包装好", "物有所值 Worth it")
BAD_REVIEWS = ("不新鲜，失望 Not fresh", "和图片不一样", "一般般，不推荐")
AUDIENCES = ("friends", "groups", "shared_groups", "nobody")


class DemoActivityError(RuntimeError):
    """A step the demo needs was refused; the message carries the API's answer."""


@dataclass(frozen=True)
class _Actor:
    id: int
    headers: dict[str, str]


def _ok(response: httpx.Response, *expected: int) -> Any:
    if response.status_code not in (expected or (200, 201)):
        raise DemoActivityError(f"{response.request.url.path}: {response.text}")
    return response.json() if response.content else None


async def seed_activity(container: Container, password: str, *, seed: int = 7) -> int:
    """Play the loop out once (skipped if anything was shared before); returns orders placed."""
    from tuan.http.app import create_app

    async with container.db.read_sessions() as session:
        if await session.scalar(select(func.count()).select_from(Share)):
            return 0
    rng = random.Random(seed)
    app = create_app(container, manage_container=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.local") as client:
        loop = _Loop(container, client, password, rng)
        orders = await loop.play()
    await container.relay.drain()
    return orders


class _Loop:
    def __init__(
        self, container: Container, client: httpx.AsyncClient, password: str, rng: random.Random
    ) -> None:
        self._container = container
        self._client = client
        self._password = password
        self._rng = rng
        self._actors: dict[int, _Actor] = {}
        self._usernames: dict[int, str] = {}
        self._buyers_seen = 0

    async def play(self) -> int:
        groups, items = await self._world()
        if not groups or not items:
            return 0
        owners = {owner for _product, _sku, owner in items}
        orders = 0
        for index, (group_id, members) in enumerate(groups[:4]):
            people = [m for m in members if m not in owners]
            if len(people) < 5:
                continue
            sharer, *buyers = self._rng.sample(people, k=5)
            product, sku, owner = items[index % len(items)]
            disputed = index == 1  # mixed reviews in the second group: 1, 2 and 5 stars
            stars = [1, 2, 5, 5] if disputed else [5, 4, 5, 3]
            card = _ok(
                await self._client.post(
                    f"/api/v1/conversations/{group_id}/cards",
                    headers=(await self._actor(sharer)).headers,
                    json={"product_id": product, "text": self._rng.choice(GOOD_WORDS)},
                )
            )
            for buyer, rating in zip(buyers[:3], stars, strict=False):
                await self._buy_and_review(buyer, owner, sku, card["share_id"], rating, group_id)
                orders += 1
        return orders

    async def _world(
        self,
    ) -> tuple[list[tuple[int, list[int]]], list[tuple[int, int, int]]]:
        """Top-level groups with their members, and the first SKU of each product on sale."""
        async with self._container.db.read_sessions() as session:
            users = (await session.execute(select(User.id, User.username))).all()
            self._usernames = {user_id: name for user_id, name in users}
            group_ids = (
                await session.scalars(
                    select(Group.id).where(Group.parent_id.is_(None)).order_by(Group.id)
                )
            ).all()
            members = (
                await session.execute(
                    select(Member.conversation_id, Member.user_id).where(
                        Member.conversation_id.in_(group_ids)
                    )
                )
            ).all()
            skus = (
                await session.execute(
                    select(Product.id, func.min(Sku.id), Shop.owner_id)
                    .join(Sku, Sku.product_id == Product.id)
                    .join(Shop, Shop.id == Product.shop_id)
                    .where(Product.status == "active")
                    .group_by(Product.id, Shop.owner_id)
                    .order_by(Product.id)
                )
            ).all()
        by_group: dict[int, list[int]] = {g: [] for g in group_ids}
        for group_id, user_id in members:
            by_group[group_id].append(user_id)
        return (
            [(g, sorted(by_group[g])) for g in group_ids],
            [(int(p), int(s), int(o)) for p, s, o in skus],
        )

    async def _actor(self, user_id: int) -> _Actor:
        if user_id not in self._actors:
            session = _ok(
                await self._client.post(
                    "/api/v1/sessions",
                    json={"username": self._usernames[user_id], "password": self._password},
                )
            )
            headers = {"Authorization": f"Bearer {session['token']}"}
            self._actors[user_id] = _Actor(user_id, headers)
        return self._actors[user_id]

    async def _buy_and_review(
        self, buyer_id: int, owner_id: int, sku: int, share_id: int, stars: int, group_id: int
    ) -> None:
        buyer = await self._actor(buyer_id)
        owner = await self._actor(owner_id)
        order = _ok(
            await self._client.post(
                "/api/v1/orders",
                headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
                json={"items": [{"sku_id": sku, "quantity": 1}], "share_id": share_id},
            )
        )
        path = f"/api/v1/orders/{order['id']}"
        _ok(
            await self._client.post(
                f"{path}/payments", headers=buyer.headers, json={"sandbox_outcome": "succeed"}
            )
        )
        _ok(await self._client.post(f"{path}/bought-it", headers=buyer.headers, json={}))
        _ok(await self._client.post(f"{path}/ship", headers=owner.headers))
        _ok(await self._client.post(f"{path}/deliver", headers=buyer.headers))
        words = self._rng.choice(GOOD_REVIEWS if stars >= 3 else BAD_REVIEWS)
        _ok(
            await self._client.post(
                f"{path}/reviews", headers=buyer.headers, json={"stars": stars, "text": words}
            )
        )
        await self._choose_privacy(buyer, group_id)

    async def _choose_privacy(self, who: _Actor, group_id: int) -> None:
        audience = AUDIENCES[self._buyers_seen % len(AUDIENCES)]
        self._buyers_seen += 1
        groups: Sequence[int] = (group_id,) if audience == "groups" else ()
        for kind in ("purchases", "ratings"):
            _ok(
                await self._client.put(
                    f"/api/v1/me/privacy/{kind}",
                    headers=who.headers,
                    json={"audience": audience, "group_ids": list(groups)},
                )
            )
