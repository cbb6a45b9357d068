"""Double-entry rules: balanced postings only, commission that converges whatever the order."""

from __future__ import annotations

import pytest

from tuan.ledger import domain


def test_a_transaction_must_balance_and_have_no_empty_entries() -> None:
    with pytest.raises(domain.UnbalancedTransaction):
        domain.checked([domain.Posting("a", 5), domain.Posting("b", -4)])
    with pytest.raises(domain.UnbalancedTransaction):
        domain.checked([domain.Posting("a", 0), domain.Posting("b", 0)])
    with pytest.raises(domain.UnbalancedTransaction):
        domain.checked([domain.Posting("a", 5)])


def test_commission_is_rounded_down_in_minor_units() -> None:
    assert domain.commission_for(9999, 1000) == 999
    assert domain.commission_for(0, 1000) == 0
    assert domain.commission_for(-5, 1000) == 0


def test_crediting_then_clawing_back_lands_on_what_the_buyer_kept() -> None:
    credit = domain.commission_adjustment(
        sharer_id=1, shop_id=2, currency="CNY", credited=0, target=1000
    )
    assert [p.amount for p in credit] == [1000, -1000]
    claw = domain.commission_adjustment(
        sharer_id=1, shop_id=2, currency="CNY", credited=1000, target=400
    )
    assert claw[0] == domain.Posting("sharer_held:1:CNY", -600)  # only held commission moves
    assert (
        domain.commission_adjustment(
            sharer_id=1, shop_id=2, currency="CNY", credited=400, target=400
        )
        == []
    )


def test_releasing_moves_held_commission_to_what_can_be_paid_out() -> None:
    assert domain.release_postings(sharer_id=1, currency="CNY", amount=990) == [
        domain.Posting("sharer_held:1:CNY", -990),
        domain.Posting("sharer:1:CNY", 990),
    ]
