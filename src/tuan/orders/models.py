from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime
from tuan.core.scheduler import DueJob  # noqa: F401 - the due_jobs table is part of the schema


class CartItem(Base):
    __tablename__ = "cart_items"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id", ondelete="CASCADE"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    share_id: Mapped[int | None] = mapped_column(
        ForeignKey("shares.id", ondelete="SET NULL"), default=None
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    kind: Mapped[str] = mapped_column(String(16), default="regular")  # regular | team
    status: Mapped[str] = mapped_column(String(16), default="pending")
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(BigInteger)  # at regular prices
    total: Mapped[int] = mapped_column(BigInteger)  # what the buyer pays
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Attribution: the share the order came from and the commission promised to its sharer.
    share_id: Mapped[int | None] = mapped_column(ForeignKey("shares.id"), default=None)
    sharer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    commission_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    commission_note: Mapped[str] = mapped_column(String(40), default="none")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), default=None)
    team_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reserved_until: Mapped[datetime] = mapped_column(UTCDateTime)
    # The one payment attempt in flight; a second attempt is refused while it is set.
    active_payment_ref: Mapped[str | None] = mapped_column(String(64), default=None)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    tracking: Mapped[str | None] = mapped_column(String(100), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_orders_buyer", "buyer_id", "id"),
        Index("ix_orders_shop", "shop_id", "status", "id"),
        Index("ix_orders_team", "team_id"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= total", name="refunded"),
    )


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), default=None)
    product_name: Mapped[str] = mapped_column(String(120))
    sku_label: Mapped[str] = mapped_column(String(60))
    regular_unit_price: Mapped[int] = mapped_column(BigInteger)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[int] = mapped_column(BigInteger)


class OrderTransition(Base):
    """Every change of an order's state, who made it and why (append-only)."""

    __tablename__ = "order_transitions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(60))
    amount: Mapped[int | None] = mapped_column(BigInteger, default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdempotencyKey(Base):
    """A checkout's key: the same key and body give the same order; a different body is refused."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
