"""Pure order rules: the state machine, pricing a line on the server, request fingerprints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tuan.catalog.errors import (
    CurrencyMismatch,
    DealEnded,
    DealNotStarted,
    DealSoldOut,
    NoTeamPrice,
    OverCustomerLimit,
)
from tuan.catalog.queries import DealTerms
from tuan.orders import domain
from tuan.orders.errors import (
    EmptyOrder,
    InvalidQuantity,
    InvalidTransition,
    ReservationExpired,
    TeamNotConfirmed,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def deal(**changes: object) -> DealTerms:
    values: dict[str, object] = {
        "id": 7,
        "sku_id": 1,
        "price": 1980,
        "starts_at": NOW - timedelta(hours=1),
        "ends_at": NOW + timedelta(hours=1),
        "stock_cap": 10,
        "sold": 0,
        "per_customer_limit": 2,
    }
    values.update(changes)
    return DealTerms(**values)  # type: ignore[arg-type]


def price(**changes: object) -> domain.PricedLine:
    values: dict[str, object] = {
        "index": 0,
        "sku_id": 1,
        "quantity": 1,
        "regular_price": 9900,
        "now": NOW,
        "running_deal": None,
    }
    values.update(changes)
    return domain.price_line(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("pending", "paid"),
        ("pending", "cancelled"),
        ("paid", "shipped"),
        ("paid", "refunded"),
        ("shipped", "delivered"),
        ("shipped", "refunded"),
        ("delivered", "completed"),
        ("delivered", "refunded"),
        ("completed", "refunded"),
    ],
)
def test_allowed_transitions(current: str, target: str) -> None:
    domain.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("pending", "shipped"),
        ("paid", "cancelled"),
        ("paid", "completed"),
        ("cancelled", "paid"),
        ("refunded", "paid"),
        ("completed", "shipped"),
    ],
)
def test_refused_transitions_say_what_is_wrong(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition, match=f"{current} cannot become {target}"):
        domain.check_transition(current, target)


def test_every_status_but_the_closed_ones_leads_somewhere() -> None:
    for status in domain.STATUSES:
        assert bool(domain.TRANSITIONS[status]) is (status not in ("cancelled", "refunded"))


def test_the_normal_price_holds_outside_a_deal_and_the_deal_price_inside() -> None:
    assert price().unit_price == 9900
    assert price(running_deal=deal()).unit_price == 1980
    assert price(running_deal=deal(sold=10)).unit_price == 9900  # the deal's units are gone


def test_asking_for_a_deal_that_is_not_running_is_refused_clearly() -> None:
    with pytest.raises(DealEnded):
        price(requested_deal=deal(ends_at=NOW), requested_deal_id=7)
    with pytest.raises(DealNotStarted):
        price(requested_deal=deal(starts_at=NOW + timedelta(seconds=1)), requested_deal_id=7)
    with pytest.raises(DealSoldOut):
        price(requested_deal=deal(sold=10), requested_deal_id=7)


def test_a_quantity_over_the_per_customer_limit_names_the_field() -> None:
    with pytest.raises(OverCustomerLimit) as refused:
        price(quantity=3, running_deal=deal())
    assert refused.value.field == "items.0.quantity"


def test_a_team_order_is_priced_at_the_team_price_or_refused() -> None:
    assert price(team=True, team_price=6600, running_deal=deal()).unit_price == 6600
    with pytest.raises(NoTeamPrice):
        price(team=True, team_price=None)


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_quantities_outside_1_to_99_are_refused(quantity: int) -> None:
    with pytest.raises(InvalidQuantity):
        domain.merge_lines([domain.LineRequest(1, quantity)])


def test_lines_for_one_sku_are_merged_and_sorted_so_locks_come_in_one_order() -> None:
    merged = domain.merge_lines(
        [domain.LineRequest(9, 1), domain.LineRequest(3, 2), domain.LineRequest(9, 4)]
    )
    assert [(m.sku_id, m.quantity) for m in merged] == [(3, 2), (9, 5)]
    with pytest.raises(EmptyOrder):
        domain.merge_lines([])


def test_an_order_has_one_currency_and_the_client_may_insist_on_it() -> None:
    assert domain.check_currencies(["CNY", "CNY"], "cny") == "CNY"
    with pytest.raises(CurrencyMismatch):
        domain.check_currencies(["CNY", "HKD"], None)
    with pytest.raises(CurrencyMismatch) as refused:
        domain.check_currencies(["CNY"], "USD")
    assert refused.value.field == "currency"


def test_a_fingerprint_tells_a_retry_from_a_different_request() -> None:
    body = {"items": [{"sku_id": 1, "quantity": 2}], "share_id": None}
    same = {"share_id": None, "items": [{"quantity": 2, "sku_id": 1}]}
    assert domain.fingerprint("checkout", body) == domain.fingerprint("checkout", same)
    assert domain.fingerprint("checkout", body) != domain.fingerprint(
        "checkout", {**body, "items": [{"sku_id": 1, "quantity": 3}]}
    )


def test_buying_through_ones_own_share_earns_nothing() -> None:
    assert domain.commission_note(sharer_id=5, buyer_id=5, rate_bp=1000) == "self_referral"
    assert domain.commission_note(sharer_id=6, buyer_id=5, rate_bp=1000) == "shared"
    assert domain.commission_note(sharer_id=None, buyer_id=5, rate_bp=1000) == "none"


def facts(**changes: object) -> domain.ActionFacts:
    values: dict[str, object] = {
        "status": domain.PENDING,
        "role": domain.BUYER,
        "team_order": False,
        "team_confirmed": False,
        "reservation_open": True,
        "payment_in_flight": False,
    }
    values.update(changes)
    return domain.ActionFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "buyer", "shop"),
    [
        (domain.PENDING, ["pay", "cancel"], []),
        (domain.PAID, [], ["ship", "refund"]),
        (domain.SHIPPED, ["mark_delivered"], ["mark_delivered", "refund"]),
        (domain.DELIVERED, ["complete"], ["refund"]),
        (domain.COMPLETED, [], ["refund"]),  # a completed order can still be refunded
        (domain.CANCELLED, [], []),
        (domain.REFUNDED, [], []),
    ],
)
def test_each_party_is_offered_what_the_state_machine_allows_it(
    status: str, buyer: list[str], shop: list[str]
) -> None:
    assert domain.allowed_actions(facts(status=status)) == buyer
    assert domain.allowed_actions(facts(status=status, role=domain.SHOP_OWNER)) == shop


def test_an_offered_action_is_exactly_one_the_rules_do_not_refuse() -> None:
    for status in domain.STATUSES:
        for role in (domain.BUYER, domain.SHOP_OWNER):
            current = facts(status=status, role=role)
            offered = domain.allowed_actions(current)
            for action in domain.ACTIONS:
                assert (action in offered) == (domain.refusal(action, current) is None)


def test_paying_waits_for_the_payment_in_flight_and_ends_with_the_reservation() -> None:
    assert domain.allowed_actions(facts(payment_in_flight=True)) == ["cancel"]
    lapsed = facts(reservation_open=False)
    assert domain.allowed_actions(lapsed) == ["cancel"]
    assert isinstance(domain.refusal(domain.PAY, lapsed), ReservationExpired)


def test_an_unfilled_team_order_neither_ships_nor_is_refunded_by_the_shop() -> None:
    waiting = facts(status=domain.PAID, role=domain.SHOP_OWNER, team_order=True)
    assert domain.allowed_actions(waiting) == []
    assert isinstance(domain.refusal(domain.SHIP, waiting), TeamNotConfirmed)
    assert isinstance(domain.refusal(domain.REFUND, waiting), TeamNotConfirmed)
    filled = facts(status=domain.PAID, role=domain.SHOP_OWNER, team_order=True, team_confirmed=True)
    assert domain.allowed_actions(filled) == ["ship", "refund"]


def test_a_refusal_says_who_may_act() -> None:
    refused = domain.refusal(domain.REFUND, facts(status=domain.PAID))
    assert isinstance(refused, InvalidTransition) and "Only the shop" in refused.message


def test_a_history_names_a_step_that_kept_the_status_for_what_happened() -> None:
    assert domain.history_step(None, "pending", "placed") == "pending"
    assert domain.history_step("pending", "paid", "payment_succeeded") == "paid"
    assert domain.history_step("paid", "paid", "team_filled") == "team_filled"
    assert domain.history_step("shipped", "shipped", "partial_refund_by_shop") == "partial_refund"
    assert domain.history_step("paid", "refunded", "refund") == "refunded"
