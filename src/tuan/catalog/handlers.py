"""Stock holds of requests that died are given back (PostgreSQL; see tuan.catalog.stock)."""

from __future__ import annotations

from tuan.catalog.stock import StockHolds
from tuan.core.wiring import Wiring


def register(wiring: Wiring) -> None:
    holds = wiring.adapter(StockHolds)
    if holds.enabled:
        wiring.add_worker("stale-stock-holds", holds.run)
