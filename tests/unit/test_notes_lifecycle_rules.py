"""A note's audience groups and its sponsored label (ADR 0013): rules with no session."""

from __future__ import annotations

import pytest

from tuan.core.errors import TuanError
from tuan.notes import domain

AMY = 1


def _code(audience: str, group_ids: list[int]) -> str:
    with pytest.raises(TuanError) as refused:
        domain.check_groups(audience, group_ids)
    assert refused.value.field == "group_ids"
    return refused.value.code


def test_a_note_to_groups_names_one_to_ten_distinct_groups_and_no_other_audience_any() -> None:
    assert domain.check_groups("groups", [7, 3, 7]) == [7, 3]
    assert domain.check_groups("groups", list(range(1, 11))) == list(range(1, 11))
    assert domain.check_groups("friends", []) == []
    assert _code("groups", []) == "NOTE_GROUPS_MISSING"
    assert _code("groups", list(range(1, 12))) == "NOTE_GROUPS_MISSING"
    assert _code("everyone", [3]) == "NOTE_GROUPS_UNEXPECTED"
    assert domain.draft(title="t", audience="groups", group_ids=[5]).group_ids == [5]


def test_every_audience_but_chosen_groups_can_be_a_default_and_friends_is_the_default() -> None:
    assert set(domain.DEFAULT_AUDIENCES) == set(domain.AUDIENCES) - {"groups"}
    assert domain.DEFAULT_AUDIENCE == "friends"


@pytest.mark.parametrize(
    ("linked", "sponsored"),
    [
        ([], False),
        ([domain.Earning(commission_rate_bp=0, shop_owner_id=2)], False),
        ([domain.Earning(commission_rate_bp=1, shop_owner_id=2)], True),  # 0.01% is still pay
        ([domain.Earning(0, 2), domain.Earning(1000, 3)], True),
        ([domain.Earning(0, AMY)], True),  # her own shop: every sale is hers
    ],
)
def test_a_note_is_sponsored_when_any_linked_product_pays_its_author(
    linked: list[domain.Earning], sponsored: bool
) -> None:
    assert domain.is_sponsored(AMY, linked) is sponsored
