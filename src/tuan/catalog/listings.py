"""Catalogue reads the feeds join on or list from (For you, proof, asks): products by id and name,
and every product on sale. Published through :mod:`tuan.catalog.queries`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.models import Product


def products_view() -> Subquery:
    """Products, to join on by id: ``product_id``, ``name``, ``category`` (a slug, or None) and
    ``status`` (active | archived)."""
    return select(
        Product.id.label("product_id"),
        Product.name.label("name"),
        Product.category.label("category"),
        Product.status.label("status"),
    ).subquery()


@dataclass(frozen=True)
class NamedProduct:
    id: int
    name: str
    active: bool  # listed for sale (not archived)


async def named_products(session: AsyncSession, ids: Collection[int]) -> dict[int, NamedProduct]:
    """The name and status of each of ``ids`` that exists. One statement."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Product.id, Product.name, Product.status).where(Product.id.in_(ids))
    )
    return {
        product_id: NamedProduct(product_id, name, status == "active")
        for product_id, name, status in rows
    }


@dataclass(frozen=True)
class Listing:
    """What an active product's listing says, for a content model: its search terms (see
    :mod:`tuan.core.search`) and its category."""

    product_id: int
    search_text: str
    category: str | None


async def active_listings(session: AsyncSession) -> list[Listing]:
    """Every active product's listing, by id."""
    rows = await session.execute(
        select(Product.id, Product.search_text, Product.category)
        .where(Product.status == "active")
        .order_by(Product.id)
    )
    return [Listing(product_id, text or "", category) for product_id, text, category in rows]
