from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime
from tuan.core.search import PG_INDEX_SUFFIX, hide_search_indexes_from_autogenerate

# The full-text index over products.search_text (see tuan.core.search), built by migration 0003:
# an FTS5 table on SQLite, a GIN index on PostgreSQL. No model describes them, so the schema
# comparison is told to leave them alone, as it is told about the tables the models declare.
PRODUCT_SEARCH_FTS = "product_search"
PRODUCT_SEARCH_PG_INDEX = "ix_products" + PG_INDEX_SUFFIX
hide_search_indexes_from_autogenerate()


class MerchantApproval(Base):
    """An operator approved this (unverified) user to open shops."""

    __tablename__ = "merchant_approvals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Shop(Base):
    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    # Commission paid to whoever shared the product, in basis points of what the buyer paid.
    commission_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("commission_rate_bp >= 0 AND commission_rate_bp <= 5000", name="rate"),
    )


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    category: Mapped[str | None] = mapped_column(String(40), default=None)  # a slug, see domain
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="active")
    # Team purchase (拼团): teams of ``team_size`` buy at each SKU's team price within team_hours.
    team_size: Mapped[int | None] = mapped_column(Integer, default=None)
    team_hours: Mapped[int] = mapped_column(Integer, default=24)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_products_shop", "shop_id", "status", "id"),
        Index("ix_products_category", "category", "status", "id"),
        CheckConstraint("team_size IS NULL OR team_size >= 2", name="team_size"),
    )


class Sku(Base):
    """A variant that is bought (500 g, red, size 3); stock lives here."""

    __tablename__ = "skus"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(60))
    price: Mapped[int] = mapped_column(BigInteger)
    team_price: Mapped[int | None] = mapped_column(BigInteger, default=None)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("product_id", "label"),
        # The last line of defence: the conditional UPDATE in checkout never lets this fire.
        CheckConstraint("stock >= 0", name="stock"),
        CheckConstraint("price > 0", name="price"),
    )


class ProductImage(Base):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Deal(Base):
    """A limited-time price for one SKU, with a stock cap and a per-customer limit."""

    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    price: Mapped[int] = mapped_column(BigInteger)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stock_cap: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer, default=0)
    per_customer_limit: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_deals_sku", "sku_id", "ends_at"),
        Index("ix_deals_product", "product_id", "ends_at"),
        CheckConstraint("sold >= 0 AND sold <= stock_cap", name="sold"),
    )


class DealPurchase(Base):
    """How many units of a deal one customer holds (reserved or bought): the per-customer limit."""

    __tablename__ = "deal_purchases"

    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity"),)


class StockHold(Base):
    """Units taken from a SKU by one autocommitted statement before the order's transaction
    (PostgreSQL); the order consumes the hold, or the hold expires and the units go back."""

    __tablename__ = "stock_holds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
