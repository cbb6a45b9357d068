"""Stock holds: the adapter that takes stock before a checkout's transaction (PostgreSQL).

Inside a checkout's transaction (SQLite, and any line without a hold) stock is taken by
``stock = stock - :n WHERE stock >= :n`` (:mod:`tuan.catalog.commands`). On PostgreSQL a hot
SKU's row lock would then be held from that statement until the commit — across the event loop's
other work — so checkout first takes a *hold* in one autocommitted statement (the update and the
hold row together, the lock held only while PostgreSQL executes and commits it) and the order's
transaction consumes the hold. A hold that is never consumed (the request failed, the process
died) is released: at once by the request, else by the sweep of expired holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from tuan.catalog.models import Sku, StockHold
from tuan.core.clock import Clock
from tuan.core.db import Database, rows_changed

HOLD_FOR = timedelta(minutes=2)
STALE_HOLD_SWEEP_SECONDS = 30.0


async def _give_back(connection: AsyncConnection, which: object) -> int:
    """Delete the holds matching ``which`` and return their units to stock, in one statement."""
    gone = (
        delete(StockHold)
        .where(which)  # type: ignore[arg-type]
        .returning(StockHold.sku_id, StockHold.quantity)
        .cte("gone")
    )
    per_sku = (
        select(gone.c.sku_id, func.sum(gone.c.quantity).label("quantity"))
        .group_by(gone.c.sku_id)
        .subquery("per_sku")
    )
    result = await connection.execute(
        update(Sku)
        .where(Sku.id == per_sku.c.sku_id)
        .values(stock=Sku.stock + per_sku.c.quantity)
        .add_cte(gone)
    )
    return rows_changed(result)


class StockHolds:
    """Holds on PostgreSQL; on SQLite (writers serialised per process) there are none and
    checkout takes stock inside its transaction."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return not self._db.is_sqlite

    async def take(self, wanted: Sequence[tuple[int, int]]) -> dict[int, int]:
        """Try to hold each (sku, quantity); returns the holds that succeeded, by SKU."""
        if not self.enabled or not wanted:
            return {}
        expires = self._clock.now() + HOLD_FOR
        holds: dict[int, int] = {}
        async with self._db.write_engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            for sku_id, quantity in sorted(wanted):
                taken = (
                    update(Sku)
                    .where(Sku.id == sku_id, Sku.stock >= quantity)
                    .values(stock=Sku.stock - quantity)
                    .returning(Sku.id)
                    .cte("taken")
                )
                row = (
                    await connection.execute(
                        insert(StockHold)
                        .from_select(
                            ["sku_id", "quantity", "expires_at"],
                            select(taken.c.id, literal(quantity), literal(expires)),
                        )
                        .returning(StockHold.id)
                    )
                ).first()
                if row is not None:
                    holds[sku_id] = int(row[0])
        return holds

    async def release(self, hold_ids: Iterable[int]) -> None:
        """Give back holds an order did not consume (consumed ones are gone: no effect)."""
        ids = sorted(hold_ids)
        if not ids:
            return
        async with self._db.write_engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await _give_back(connection, StockHold.id.in_(ids))

    async def release_expired(self) -> int:
        """Give back holds whose request died; returns how many SKUs got units back."""
        if not self.enabled:
            return 0
        async with self._db.write_engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            return await _give_back(connection, StockHold.expires_at < self._clock.now())

    async def run(self, poll_seconds: float = STALE_HOLD_SWEEP_SECONDS) -> None:
        """Release expired holds at start and then periodically; runs until cancelled."""
        while True:
            await self.release_expired()
            await asyncio.sleep(poll_seconds)
