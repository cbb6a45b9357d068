"""Group rules without a database: names and caps, join policies, invite links, and who may do
what to whom (the actions the admin page offers come from here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tuan.core.errors import TuanError
from tuan.groups import domain
from tuan.groups.errors import (
    IntroductionRequired,
    InvalidGroupSettings,
    InviteExpired,
    InviteInvalid,
    InviteUsedUp,
    VerifiedOnly,
)

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def test_names_are_normalised_and_bounded() -> None:
    assert domain.clean_name("  五年级二班  ") == "五年级二班"
    assert domain.clean_name("Cafe\u0301") == "Café"  # one form, whatever the keyboard sent
    for bad in ("", "   ", "x" * 81):
        with pytest.raises(InvalidGroupSettings) as refused:
            domain.clean_name(bad)
        assert refused.value.field == "name"
        assert refused.value.details == {"reason": "name_length", "max": 80}


def test_the_cap_is_the_deployments_unless_lower_and_never_below_the_members() -> None:
    assert domain.member_cap(None, 500) == 500
    assert domain.member_cap(30, 500) == 30
    for bad in (1, 501):  # said from the catalogue with its numbers: "between 2 and 500"
        with pytest.raises(InvalidGroupSettings) as refused:
            domain.member_cap(bad, 500)
        assert refused.value.details == {"reason": "member_cap", "min": 2, "max": 500}
    with pytest.raises(InvalidGroupSettings) as refused:
        domain.member_cap(10, 500, current=12)
    assert refused.value.details == {"reason": "cap_below_members", "count": 12}
    assert domain.member_cap(12, 500, current=12) == 12


def test_only_known_policies() -> None:
    assert [domain.check_policy(p) for p in domain.POLICIES] == list(domain.POLICIES)
    with pytest.raises(InvalidGroupSettings):
        domain.check_policy("secret")


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("owner", "member", True),
        ("owner", "admin", True),
        ("owner", "owner", False),
        ("admin", "member", True),
        ("admin", "admin", False),
        ("admin", "owner", False),
        ("member", "member", False),
        ("member", "admin", False),
    ],
)
def test_who_may_remove_whom(actor: str, target: str, allowed: bool) -> None:
    assert domain.may_remove(actor, target) is allowed


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("owner", "member", True),
        ("owner", "admin", True),
        ("owner", "owner", False),
        ("admin", "member", False),
        ("member", "member", False),
    ],
)
def test_only_the_owner_changes_roles(actor: str, target: str, allowed: bool) -> None:
    assert domain.may_change_role(actor, target) is allowed


def test_actions_on_a_member_are_what_the_rules_allow_and_never_on_oneself() -> None:
    assert domain.member_actions(1, "owner", 2, "member") == [
        "remove",
        "make_admin",
        "transfer_ownership",
    ]
    assert domain.member_actions(1, "owner", 2, "admin") == [
        "remove",
        "make_member",
        "transfer_ownership",
    ]
    assert domain.member_actions(1, "admin", 2, "member") == ["remove"]
    assert domain.member_actions(1, "admin", 2, "admin") == []
    assert domain.member_actions(1, "admin", 2, "owner") == []
    assert domain.member_actions(1, "member", 2, "member") == []
    assert domain.member_actions(1, "owner", 1, "owner") == []


def test_actions_in_a_group_follow_the_role_and_the_subgroup_setting() -> None:
    assert domain.group_actions("owner", "admins") == [
        "manage",
        "create_subgroup",
        "introduce",
        "dissolve",
    ]
    assert domain.group_actions("admin", "admins") == [
        "manage",
        "create_subgroup",
        "introduce",
        "leave",
    ]
    assert domain.group_actions("member", "admins") == ["introduce", "leave"]
    assert domain.group_actions("member", "members") == ["create_subgroup", "introduce", "leave"]


@pytest.mark.parametrize(
    ("policy", "verified", "outcome"),
    [
        ("open", False, "admit"),
        ("approval", False, "request"),
        ("verified", True, "admit"),
        ("verified", False, VerifiedOnly),
        ("introduced", True, IntroductionRequired),
    ],
)
def test_how_someone_who_asks_comes_in(
    policy: str, verified: bool, outcome: str | type[TuanError]
) -> None:
    if isinstance(outcome, str):
        assert domain.entry(policy, verified=verified) == outcome
    else:
        with pytest.raises(outcome):
            domain.entry(policy, verified=verified)


def test_an_introduction_waits_for_an_admin_only_in_approval_groups_unless_an_admin_made_it() -> (
    None
):
    assert domain.introduction_needs_admin("approval", "member")
    assert domain.introduction_needs_admin("approval", None)  # the introducer has left
    assert not domain.introduction_needs_admin("approval", "admin")
    assert not domain.introduction_needs_admin("approval", "owner")
    assert not domain.introduction_needs_admin("introduced", "member")


@dataclass
class Link:
    revoked_at: datetime | None = None
    expires_at: datetime | None = None
    max_uses: int | None = None
    uses: int = 0


def test_a_link_lets_people_in_until_revoked_expired_or_used_up() -> None:
    fine = Link(expires_at=NOW + timedelta(hours=1), max_uses=3, uses=2)
    assert domain.check_link(fine, NOW) is fine
    for link, error in (
        (None, InviteInvalid),
        (Link(revoked_at=NOW), InviteInvalid),
        (Link(expires_at=NOW), InviteExpired),
        (Link(max_uses=2, uses=2), InviteUsedUp),
    ):
        with pytest.raises(error):
            domain.check_link(link, NOW)


def test_every_system_line_is_a_distinct_code() -> None:
    assert len(set(domain.SYSTEM_LINES)) == len(domain.SYSTEM_LINES)
