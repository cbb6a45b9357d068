"""Pure team purchase rules: terms, places, the deadline, who may see and join a team."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tuan.catalog.errors import NoTeamPrice, ProductArchived
from tuan.groupbuy import domain
from tuan.groupbuy.errors import TeamClosed, TeamFull

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def test_a_team_needs_a_product_on_sale_with_a_team_size_and_price() -> None:
    assert domain.check_team_terms(product_status="active", team_size=3, team_price=6900) == 3
    with pytest.raises(ProductArchived):
        domain.check_team_terms(product_status="archived", team_size=3, team_price=6900)
    with pytest.raises(NoTeamPrice):
        domain.check_team_terms(product_status="active", team_size=None, team_price=6900)
    with pytest.raises(NoTeamPrice):
        domain.check_team_terms(product_status="active", team_size=3, team_price=None)


def test_the_deadline_runs_from_the_openers_payment() -> None:
    assert domain.deadline(NOW, 24) == NOW + timedelta(hours=24)


def test_places_are_counted_only_while_a_team_takes_them() -> None:
    assert domain.places_left(domain.OPEN, 3, 1) == 2
    assert domain.places_left(domain.FORMING, 3, 1) == 2
    assert domain.places_left(domain.OPEN, 3, 3) == 0
    for closed in (domain.FILLED, domain.EXPIRED, domain.CANCELLED):
        assert domain.places_left(closed, 3, 1) == 0


def test_seconds_left_only_for_an_open_team() -> None:
    assert domain.seconds_left(domain.OPEN, LATER, NOW) == 3600
    assert domain.seconds_left(domain.OPEN, NOW - timedelta(seconds=5), NOW) == 0
    assert domain.seconds_left(domain.FILLED, LATER, NOW) is None
    assert domain.seconds_left(domain.FORMING, None, NOW) is None


def test_a_private_team_is_seen_by_its_members_and_holders_of_its_code() -> None:
    code = domain.new_code()
    assert domain.may_see(public=True, member=False, code=None, team_code=code)
    assert domain.may_see(public=False, member=True, code=None, team_code=code)
    assert domain.may_see(public=False, member=False, code=code, team_code=code)
    assert not domain.may_see(public=False, member=False, code="wrong-code", team_code=code)
    assert not domain.may_see(public=False, member=False, code="锁锁锁锁锁锁锁锁", team_code=code)


def test_only_a_non_member_may_join_a_running_team_with_a_place_left() -> None:
    joinable = {"status": domain.OPEN, "deadline_at": LATER, "size": 3, "held": 2, "now": NOW}
    assert domain.may_join(**joinable, member=False)  # type: ignore[arg-type]
    assert not domain.may_join(**joinable, member=True)  # type: ignore[arg-type]
    assert not domain.may_join(**{**joinable, "held": 3}, member=False)  # type: ignore[arg-type]
    assert not domain.may_join(**{**joinable, "deadline_at": NOW}, member=False)  # type: ignore[arg-type]
    assert not domain.may_join(**{**joinable, "status": domain.FORMING}, member=False)  # type: ignore[arg-type]


def test_a_join_that_took_no_place_says_full_or_closed() -> None:
    assert isinstance(domain.join_refusal(domain.OPEN, LATER, NOW), TeamFull)
    assert isinstance(domain.join_refusal(domain.OPEN, NOW, NOW), TeamClosed)
    assert isinstance(domain.join_refusal(domain.FILLED, LATER, NOW), TeamClosed)


def test_a_viewer_may_join_or_a_member_may_invite_while_places_are_left() -> None:
    running = {"status": domain.OPEN, "deadline_at": LATER, "size": 3, "held": 2, "now": NOW}
    assert domain.team_actions(**running, member=False) == ["join"]  # type: ignore[arg-type]
    assert domain.team_actions(**running, member=True) == ["invite"]  # type: ignore[arg-type]
    for over in ({"held": 3}, {"deadline_at": NOW}, {"status": domain.FILLED}):
        for member in (True, False):
            assert domain.team_actions(**{**running, **over}, member=member) == []  # type: ignore[arg-type]
    # Before the opener pays there is nothing to join, and no link worth sending.
    forming = {**running, "status": domain.FORMING, "deadline_at": None}
    assert domain.team_actions(**forming, member=True) == []  # type: ignore[arg-type]
