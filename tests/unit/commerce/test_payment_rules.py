"""Pure payment rules: what an answer did, refund and payout amounts, refund keys."""

from __future__ import annotations

import pytest

from tuan.ledger.errors import InsufficientBalance
from tuan.payments import domain
from tuan.payments.errors import InvalidAmount


def test_the_payer_sees_succeeded_for_a_paid_order_and_failed_for_anything_unknown() -> None:
    assert domain.attempt_status(domain.PAID) == domain.SUCCEEDED
    assert domain.attempt_status(domain.PENDING) == domain.PENDING
    assert domain.attempt_status(domain.REFUNDED) == domain.REFUNDED
    assert domain.attempt_status(domain.FAILED) == domain.FAILED
    assert domain.attempt_status(domain.DUPLICATE) == domain.FAILED


def test_a_refund_is_everything_left_unless_it_names_less() -> None:
    assert domain.refund_amount(None, 5000) == 5000
    assert domain.refund_amount(1200, 5000) == 1200
    for wrong in (0, -1, 5001):
        with pytest.raises(InvalidAmount, match="1 to 5000"):
            domain.refund_amount(wrong, 5000)


def test_a_payout_is_positive_and_within_the_balance() -> None:
    domain.check_payout_amount(1)
    with pytest.raises(InvalidAmount):
        domain.check_payout_amount(0)
    domain.check_balance(500, 500, "CNY")
    with pytest.raises(InsufficientBalance, match="CNY balance is 499"):
        domain.check_balance(500, 499, "CNY")


def test_a_failure_reason_is_kept_short_and_never_empty() -> None:
    assert domain.failure_reason(None) == "declined"
    assert len(domain.failure_reason("x" * 500)) == domain.FAILURE_REASON_LENGTH


def test_each_refund_cause_has_its_own_key() -> None:
    assert domain.orphan_refund_key(9) == "orphan:payment:9"
    assert domain.team_expiry_refund_key(3, 7) == "team-expired:3:order:7"
    assert domain.team_expiry_refund_key(3, 7) != domain.team_expiry_refund_key(7, 3)
