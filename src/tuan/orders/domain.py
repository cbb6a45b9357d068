"""Order rules that need no database: the state machine and who may move it, pricing a line,
request fingerprints.

The client never sends a price. A line's unit price is decided here from what the server read:
the SKU's price, the deal running now (if any), or the team price for a team purchase. What a
viewer may do with an order (``allowed_actions``) is decided here too, by the same rules the
services enforce, so the web app only shows buttons the server will accept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import orjson

from tuan.catalog.errors import (
    CurrencyMismatch,
    DealEnded,
    DealNotFound,
    DealNotStarted,
    DealSoldOut,
    NoTeamPrice,
    OverCustomerLimit,
)
from tuan.catalog.queries import DealTerms
from tuan.core.errors import TuanError
from tuan.core.money import check_currency
from tuan.orders.errors import (
    EmptyOrder,
    InvalidQuantity,
    InvalidTransition,
    ReservationExpired,
    TeamNotConfirmed,
)

PENDING, PAID, SHIPPED, DELIVERED, COMPLETED, CANCELLED, REFUNDED = (
    "pending",
    "paid",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
    "refunded",
)
STATUSES = (PENDING, PAID, SHIPPED, DELIVERED, COMPLETED, CANCELLED, REFUNDED)
OrderStatus = Literal[
    "pending", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"
]
OrderKind = Literal["regular", "team"]
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({PAID, CANCELLED}),
    PAID: frozenset({SHIPPED, REFUNDED}),
    SHIPPED: frozenset({DELIVERED, REFUNDED}),
    DELIVERED: frozenset({COMPLETED, REFUNDED}),
    COMPLETED: frozenset({REFUNDED}),
    CANCELLED: frozenset(),
    REFUNDED: frozenset(),
}
REFUNDABLE = frozenset({PAID, SHIPPED, DELIVERED, COMPLETED})
BUYER, SHOP_OWNER = "buyer", "shop_owner"  # who is acting on (or looking at) an order
RESERVATION = timedelta(minutes=15)
MAX_QUANTITY = 99
MAX_LINES = 50


TEAM_FILLED, PARTIAL_REFUND = "team_filled", "partial_refund"


def history_step(from_status: str | None, to_status: str, reason: str) -> str:
    """A transition as the order's history names it. Most move the status, and the status names
    them; a team filling (the order stays paid, now confirmed) or a partial refund does not, and
    is named for what happened, so a history never says "paid" twice."""
    if from_status != to_status:
        return to_status
    if reason == TEAM_FILLED:
        return TEAM_FILLED
    if reason.startswith("partial_"):
        return PARTIAL_REFUND
    return to_status


def transition_refusal(current: str, target: str) -> InvalidTransition | None:
    if target in TRANSITIONS[current]:
        return None
    return InvalidTransition(f"An order that is {current} cannot become {target}.")


def check_transition(current: str, target: str) -> None:
    refused = transition_refusal(current, target)
    if refused is not None:
        raise refused


# What a party may do with an order, as the web app names its buttons.
PAY, CANCEL, SHIP, MARK_DELIVERED, COMPLETE, REFUND = (
    "pay",
    "cancel",
    "ship",
    "mark_delivered",
    "complete",
    "refund",
)
ACTIONS = (PAY, CANCEL, SHIP, MARK_DELIVERED, COMPLETE, REFUND)
OrderAction = Literal["pay", "cancel", "ship", "mark_delivered", "complete", "refund"]


@dataclass(frozen=True)
class ActionFacts:
    """What decides whether a party may act on an order."""

    status: str
    role: str  # buyer | shop_owner
    team_order: bool
    team_confirmed: bool
    reservation_open: bool  # an unpaid order's time to pay has not run out
    payment_in_flight: bool  # a payment awaits the provider's answer


def refusal(action: str, facts: ActionFacts) -> TuanError | None:
    """Why ``facts.role`` may not do ``action`` now (the error the service raises), or None."""
    status, role = facts.status, facts.role
    unconfirmed_team = facts.team_order and not facts.team_confirmed
    if action == PAY:
        if role != BUYER:
            return InvalidTransition("Only the buyer pays for an order.")
        if status != PENDING:
            return InvalidTransition(f"This order is {status}; there is nothing to pay.")
        return None if facts.reservation_open else ReservationExpired()
    if action == CANCEL:
        if role != BUYER:
            return InvalidTransition("Only the buyer can cancel an unpaid order.")
        if status != PENDING:
            return InvalidTransition(
                f"An order that is {status} cannot be cancelled; ask the shop for a refund."
            )
        return None
    if action == SHIP:
        if role != SHOP_OWNER:
            return InvalidTransition("Only the shop ships an order.")
        return TeamNotConfirmed() if unconfirmed_team else transition_refusal(status, SHIPPED)
    if action == MARK_DELIVERED:
        return transition_refusal(status, DELIVERED)
    if action == COMPLETE:
        if role != BUYER:
            return InvalidTransition("Only the buyer completes an order.")
        return transition_refusal(status, COMPLETED)
    if action == REFUND:
        if role != SHOP_OWNER:
            return InvalidTransition("Only the shop refunds an order; ask the shop.")
        if unconfirmed_team and status == PAID:
            return TeamNotConfirmed(
                "This team has not filled yet; if it does not, everyone is refunded anyway."
            )
        if status not in REFUNDABLE:
            return InvalidTransition(f"An order that is {status} cannot be refunded.")
        return None
    raise ValueError(f"unknown order action {action!r}")


def check_action(action: str, facts: ActionFacts) -> None:
    refused = refusal(action, facts)
    if refused is not None:
        raise refused


def allowed_actions(facts: ActionFacts) -> list[str]:
    """The actions the party may take now. Paying also waits for a payment in flight to be
    answered (the payments domain refuses a second one)."""
    return [
        action
        for action in ACTIONS
        if refusal(action, facts) is None and not (action == PAY and facts.payment_in_flight)
    ]


@dataclass(frozen=True)
class LineRequest:
    sku_id: int
    quantity: int
    deal_id: int | None = None  # "I am buying at this deal": refused if it is not running


def merge_lines(lines: Sequence[LineRequest]) -> list[LineRequest]:
    """One line per SKU, sorted by SKU id (so every checkout locks rows in the same order)."""
    if not lines:
        raise EmptyOrder(field="items")
    merged: dict[int, LineRequest] = {}
    for index, line in enumerate(lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidQuantity(field=f"items.{index}.quantity")
        seen = merged.get(line.sku_id)
        if seen is not None:
            line = LineRequest(
                line.sku_id, seen.quantity + line.quantity, seen.deal_id or line.deal_id
            )
            if line.quantity > MAX_QUANTITY:
                raise InvalidQuantity(field=f"items.{index}.quantity")
        merged[line.sku_id] = line
    if len(merged) > MAX_LINES:
        raise EmptyOrder(f"An order has at most {MAX_LINES} different items.", field="items")
    return [merged[k] for k in sorted(merged)]


@dataclass(frozen=True)
class PricedLine:
    sku_id: int
    quantity: int
    regular_unit_price: int
    unit_price: int
    deal: DealTerms | None

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def regular_total(self) -> int:
        return self.regular_unit_price * self.quantity


def price_line(
    *,
    index: int,
    sku_id: int,
    quantity: int,
    regular_price: int,
    now: datetime,
    running_deal: DealTerms | None,
    requested_deal: DealTerms | None = None,
    requested_deal_id: int | None = None,
    team_price: int | None = None,
    team: bool = False,
) -> PricedLine:
    field = f"items.{index}"
    if team:
        if team_price is None:
            raise NoTeamPrice(field=f"{field}.sku_id")
        return PricedLine(sku_id, quantity, regular_price, team_price, None)
    if requested_deal_id is not None:
        deal = requested_deal
        if deal is None or deal.id != requested_deal_id or deal.sku_id != sku_id:
            raise DealNotFound("That deal is not for this SKU.", field=f"{field}.deal_id")
        if now < deal.starts_at:
            raise DealNotStarted(field=f"{field}.deal_id")
        if now >= deal.ends_at:
            raise DealEnded(field=f"{field}.deal_id")
        if deal.sold + quantity > deal.stock_cap:
            raise DealSoldOut(field=f"{field}.deal_id")
    else:
        deal = running_deal
        if deal is not None and deal.sold >= deal.stock_cap:
            deal = None  # the deal's units are gone: the normal price holds
    if deal is None:
        return PricedLine(sku_id, quantity, regular_price, regular_price, None)
    if quantity > deal.per_customer_limit:
        raise OverCustomerLimit(
            field=f"{field}.quantity",
            details={"reason": "limit", "limit": deal.per_customer_limit},
        )
    return PricedLine(sku_id, quantity, regular_price, deal.price, deal)


def check_currencies(currencies: Sequence[str], expected: str | None) -> str:
    """The one currency of an order; the client may state the currency it expects to pay in."""
    distinct = sorted(set(currencies))
    if len(distinct) != 1:
        raise CurrencyMismatch(
            f"These items are priced in different currencies ({', '.join(distinct)}).",
            field="items",
        )
    if expected is not None and check_currency(expected) != distinct[0]:
        raise CurrencyMismatch(
            f"These items are priced in {distinct[0]}, not {expected.upper()}.", field="currency"
        )
    return distinct[0]


def fingerprint(scope: str, body: dict[str, Any]) -> str:
    """A stable digest of a request, to tell a retry (same body) from a reused key."""
    canonical = orjson.dumps({"scope": scope, "body": body}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def commission_note(*, sharer_id: int | None, buyer_id: int, rate_bp: int) -> str:
    if sharer_id is None:
        return "none"
    if sharer_id == buyer_id:
        return "self_referral"
    return "shared" if rate_bp > 0 else "no_rate"
