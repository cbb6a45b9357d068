"""Services against the real database: the promotion cap and one-review-per-order hold under
concurrency, a refused share leaves no share and no card behind, and events update trust and
reputation exactly once."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import delivered_order, share_card
from tests.factories import join_open_group, people
from tuan.bootstrap import Container
from tuan.cards import service as cards_service
from tuan.cards.models import ProductCard
from tuan.chat.models import Message
from tuan.core.errors import TuanError
from tuan.norms.errors import PromotionCapReached
from tuan.norms.service import set_norms
from tuan.reviews.errors import AlreadyReviewed
from tuan.reviews.service import write_review
from tuan.shares.models import Share
from tuan.trust.queries import reputation, trust_seen_by


async def _count(container: Container, model: type) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_concurrent_shares_never_exceed_the_promotion_cap(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    item = await list_product(client, owner, shop["id"])
    mei, cat = await people(client, "mei", "cat")
    group = await join_open_group(client, mei, cat)
    await container.run(set_norms, group_id=group, by=mei.id, changes={"promotion_cap": 3})

    async def attempt() -> object:
        try:
            return await container.run(
                cards_service.share_card,
                sharer_id=cat.id,
                conversation_id=group,
                product_id=item["id"],
            )
        except TuanError as refusal:
            return refusal

    outcomes = await asyncio.gather(*(attempt() for _ in range(8)))
    refused = [o for o in outcomes if isinstance(o, TuanError)]
    assert len(refused) == 5 and all(isinstance(r, PromotionCapReached) for r in refused)
    # Every accepted share has exactly one card and one message; refusals left nothing.
    assert await _count(container, Share) == 3
    assert await _count(container, ProductCard) == 3
    async with container.db.read_sessions() as session:
        cards = await session.scalar(
            select(func.count()).select_from(Message).where(Message.kind == "product_card")
        )
    assert cards == 3


async def test_two_reviews_of_one_order_at_once_store_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    item = await list_product(client, owner, shop["id"])
    (ben,) = await people(client, "ben")
    order = await delivered_order(client, container, ben, owner, item["skus"][0]["id"])

    async def attempt(stars: int) -> object:
        try:
            return await container.run(
                write_review, order_id=order["id"], author_id=ben.id, stars=stars
            )
        except TuanError as refusal:
            return refusal

    outcomes = await asyncio.gather(attempt(5), attempt(1))
    assert sum(isinstance(o, AlreadyReviewed) for o in outcomes) == 1


async def test_a_purchase_and_a_review_through_a_share_update_trust_and_reputation_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=1000)
    item = await list_product(client, owner, shop["id"], category="fresh")
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, mei, ben)
    card = (await share_card(client, mei, group, item["id"])).json()
    await settle(container)
    async with container.db.read_sessions() as session:
        tie_before = (await trust_seen_by(session, ben.id, {mei.id}, container.clock.now()))[mei.id]
    order = await delivered_order(
        client, container, ben, owner, item["skus"][0]["id"], card["share_id"]
    )
    await container.run(write_review, order_id=order["id"], author_id=ben.id, stars=2)
    await settle(container)
    await container.relay.drain()  # a second drain finds nothing new to apply
    async with container.db.read_sessions() as session:
        tie_after = (await trust_seen_by(session, ben.id, {mei.id}, container.clock.now()))[mei.id]
        (record,) = await reputation(session, mei.id)
    assert tie_after > tie_before
    assert (record.category, record.shares, record.purchases) == ("fresh", 1, 1)
    assert (record.rated, record.rated_good) == (1, 0)
