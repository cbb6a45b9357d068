"""Demo commerce: a few shops of everyday things, with deals running and a team purchase.

Deterministic for a seed; seeds once (a database that has shops already is left as it is). Goes
through the catalog's use cases, so the demo data obeys the same rules as real data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from tuan.accounts.domain import username_key
from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.catalog import service
from tuan.catalog.models import MerchantApproval, Shop
from tuan.demo.pictures import product_picture

# (name, description, category, [(sku label, price in fen, team price or None)], team size)
Item = tuple[str, str, str, list[tuple[str, int, int | None]], int | None]

SHOPS: tuple[tuple[str, str, int, tuple[Item, ...]], ...] = (
    (
        "阿梅生鲜 Mei's Fresh",
        "每天清晨到货的海鲜水果 Seafood and fruit, in every morning.",
        800,
        (
            (
                "阳澄湖大闸蟹 Hairy crabs",
                "4两公蟹，顺丰冷链 Live, cold-chain",
                "fresh",
                [("8只装 8 crabs", 26800, None)],
                None,
            ),
            (
                "舟山带鱼 Zhoushan hairtail",
                "冰鲜 1.5kg, cheaper than the supermarket",
                "fresh",
                [("1.5kg", 8900, None), ("3kg", 16800, None)],
                None,
            ),
            (
                "赣南脐橙 Navel oranges",
                "甜 sweet, 5kg box",
                "fresh",
                [("5kg", 3990, 2990), ("10kg", 6990, 5290)],
                3,
            ),
            (
                "智利车厘子 Chilean cherries",
                "JJ级 2kg gift box",
                "fresh",
                [("2kg", 16800, None)],
                None,
            ),
            (
                "每日坚果礼盒 Daily nuts gift box",
                "混合坚果 30 daily packs of mixed nuts",
                "snacks",
                [("750g", 12900, None)],
                None,
            ),
            (
                "手工牛轧糖 Handmade nougat",
                "蔓越莓味 cranberry, 500g",
                "snacks",
                [("500g", 4580, None)],
                None,
            ),
        ),
    ),
    (
        "小本家居 Ben's Home",
        "Household things that last 家用好物",
        500,
        (
            (
                "抽纸 Facial tissues",
                "3层 24包 24 soft packs",
                "household",
                [("24包 24 packs", 4990, 3690)],
                5,
            ),
            (
                "洗衣凝珠 Laundry pods",
                "52颗 lavender",
                "household",
                [("52颗 52 pods", 5990, None)],
                None,
            ),
            (
                "不锈钢保温杯 Stainless steel thermos",
                "12小时保温 keeps hot 12 h",
                "household",
                [("500ml 白 white", 8900, None), ("500ml 黑 black", 8900, None)],
                None,
            ),
        ),
    ),
    (
        "美美美妆 Beauty corner",
        "正品小样和日常护肤 Genuine samples and daily care",
        1000,
        (
            (
                "玫瑰香水 Rose perfume",
                "50ml eau de parfum 淡香",
                "beauty",
                [("50ml", 9900, None)],
                None,
            ),
            (
                "氨基酸洗面奶 Amino-acid cleanser",
                "温和 gentle, 120g",
                "beauty",
                [("120g", 6900, None)],
                None,
            ),
            (
                "医用外科口罩 Surgical masks",
                "独立包装 50只 individually wrapped",
                "health",
                [("50只 50 pcs", 2990, None)],
                None,
            ),
        ),
    ),
    (
        "宝贝成长 Little ones",
        "妈妈们推荐的母婴好物 What parents recommend",
        600,
        (
            (
                "婴儿纸尿裤 Baby diapers",
                "L码 54片 size L, 54",
                "children",
                [("L 54片", 12900, 9900), ("XL 44片", 12900, 9900)],
                3,
            ),
            (
                "儿童绘本套装 Picture books",
                "10册 ages 3-6 中英双语 bilingual",
                "children",
                [("10册 10 books", 8800, None)],
                None,
            ),
            (
                "宝宝辅食米粉 Baby rice cereal",
                "高铁 iron-rich, 225g",
                "children",
                [("225g", 4500, None)],
                None,
            ),
        ),
    ),
)

PICTURE_SIDE = 1600  # as a merchant's upload (tuan.http.routes.products)

# (product name, sku index, deal price, starts in, lasts, stock cap, per-customer limit)
DEALS = (
    ("玫瑰香水 Rose perfume", 0, 1980, timedelta(0), timedelta(hours=2), 50, 2),
    ("每日坚果礼盒 Daily nuts gift box", 0, 6900, timedelta(0), timedelta(hours=6), 200, 3),
    ("医用外科口罩 Surgical masks", 0, 990, timedelta(hours=9), timedelta(hours=1), 300, 5),
    ("智利车厘子 Chilean cherries", 0, 12800, timedelta(days=1), timedelta(hours=12), 80, 1),
)


@dataclass
class CommerceDemo:
    shop_ids: list[int] = field(default_factory=list)
    product_ids: dict[str, int] = field(default_factory=dict)
    deal_ids: list[int] = field(default_factory=list)


async def seed_commerce(
    container: Container, user_ids: Sequence[int], *, seed: int = 7
) -> CommerceDemo:
    """Open the demo shops for the first users of ``user_ids`` (approved as merchants), list
    their products with stock, and schedule the deals. Needs at least four users."""
    if len(user_ids) < len(SHOPS):
        raise ValueError(f"the commerce demo needs {len(SHOPS)} users, got {len(user_ids)}")
    demo = CommerceDemo()
    async with container.db.read_sessions() as session:
        if await session.scalar(select(func.count()).select_from(Shop)):
            return demo  # seeded before
    rng = random.Random(seed)
    owners = list(user_ids[: len(SHOPS)])
    async with container.uow() as uow:
        for owner in owners:
            if await uow.session.get(MerchantApproval, owner) is None:
                uow.session.add(MerchantApproval(user_id=owner, approved_at=uow.now))
        await uow.commit()
    for owner, (shop_name, about, rate, items) in zip(owners, SHOPS, strict=True):
        shop = await container.run(
            service.open_shop,
            owner_id=owner,
            name=shop_name,
            description=about,
            currency="CNY",
            commission_rate_bp=rate,
        )
        demo.shop_ids.append(shop.id)
        for name, description, category, skus, team_size in items:
            product = await container.run(
                service.list_product,
                actor_id=owner,
                shop_id=shop.id,
                name=name,
                description=description,
                category=category,
                skus=[
                    service.SkuSpec(label, price, rng.randrange(20, 400), team_price)
                    for label, price, team_price in skus
                ],
                team_size=team_size,
            )
            demo.product_ids[name] = product.id
            await _add_picture(container, owner, product.id, name)
    await _schedule_deals(container, demo, owners)
    return demo


async def _add_picture(container: Container, owner: int, product_id: int, name: str) -> None:
    """A picture drawn for the product, stored as a merchant's upload would be."""
    stored = await container.images.store(
        "products",
        product_picture(name),
        max_side=PICTURE_SIDE,
        max_bytes=container.settings.max_upload_bytes,
    )
    await container.run(service.add_image, actor_id=owner, product_id=product_id, image=stored)


async def _schedule_deals(container: Container, demo: CommerceDemo, owners: list[int]) -> None:
    from tuan.catalog.models import Product, Sku

    now = container.clock.now()
    for name, sku_index, price, starts_in, lasts, cap, limit in DEALS:
        async with container.db.read_sessions() as session:
            product = await session.get(Product, demo.product_ids[name])
            assert product is not None
            shop = await session.get(Shop, product.shop_id)
            skus = (
                await session.scalars(
                    select(Sku).where(Sku.product_id == product.id).order_by(Sku.position)
                )
            ).all()
        assert shop is not None and shop.owner_id in owners
        deal = await container.run(
            service.schedule_deal,
            actor_id=shop.owner_id,
            sku_id=skus[sku_index].id,
            price=price,
            starts_at=now + starts_in,
            ends_at=now + starts_in + lasts,
            stock_cap=cap,
            per_customer_limit=limit,
        )
        demo.deal_ids.append(deal.id)


async def seed_demo_shops(container: Container, usernames: Sequence[str]) -> CommerceDemo:
    """The demo's shops, owned by the demo people named (the first logins stay shoppers)."""
    keys = [username_key(name) for name in usernames]
    async with container.db.read_sessions() as session:
        rows = (await session.execute(select(User.username_key, User.id))).all()
    ids = {key: user_id for key, user_id in rows if key in set(keys)}
    return await seed_commerce(container, [ids[key] for key in keys if key in ids])
