"""What keeps a person from leaving yet (ADR 0011): money or goods still moving between them and
others, and groups that would be left without an owner. Each is named, with where to settle it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.queries import shops_owned_by
from tuan.groupbuy.queries import open_teams_of
from tuan.groups.queries import groups_owned_by
from tuan.ledger.queries import wallet
from tuan.orders.queries import undelivered_orders
from tuan.payments.queries import payouts_on_their_way


@dataclass(frozen=True)
class Obligation:
    """One reason to wait: ``kind`` names its sentence (``err.OBLIGATION.<kind>``), ``params``
    fill it, ``link`` is the page where the person settles it."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    link: str | None = None

    def as_item(self) -> dict[str, Any]:
        return {"key": f"err.OBLIGATION.{self.kind}", "params": self.params, "link": self.link}


async def obligations_of(session: AsyncSession, user_id: int) -> list[Obligation]:
    """Everything that must be settled before the person's account can be erased."""
    found: list[Obligation] = []
    for order_id, _ in await undelivered_orders(session, buyer_id=user_id):
        found.append(Obligation("order", {"order": order_id}, f"/orders/{order_id}"))
    shops = {shop.id: shop.name for shop in await shops_owned_by(session, user_id)}
    for order_id, shop_id in await undelivered_orders(session, shop_ids=list(shops)):
        params = {"order": order_id, "shop": shops[shop_id]}
        found.append(Obligation("shop_order", params, f"/orders/{order_id}"))
    for team_id in await open_teams_of(session, user_id):
        found.append(Obligation("team", {"team": team_id}, f"/teams/{team_id}"))
    for balance in (await wallet(session, user_id, limit=0)).balances:
        if balance.amount > 0 or balance.held > 0:
            owed = {"amount": balance.amount + balance.held, "currency": balance.currency}
            found.append(Obligation("wallet", {"amount": owed}))
        elif balance.amount < 0:
            debt = {"amount": -balance.amount, "currency": balance.currency}
            found.append(Obligation("debt", {"amount": debt}))
    for payout_id in await payouts_on_their_way(session, user_id):
        found.append(Obligation("payout", {"payout": payout_id}))
    for group_id, name in await groups_owned_by(session, user_id):
        found.append(Obligation("group", {"group": name}, f"/groups/{group_id}/admin"))
    return found
