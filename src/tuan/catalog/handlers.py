"""Stock holds of requests that died are given back (PostgreSQL; see tuan.catalog.stock)."""

from __future__ import annotations

from tuan.bootstrap import Container
from tuan.catalog.stock import StockHolds


def register(container: Container) -> None:
    holds = StockHolds(container.db, container.clock)
    if holds.enabled:
        container.add_worker("stale-stock-holds", holds.run)
