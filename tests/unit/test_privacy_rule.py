"""The privacy rule for one viewer and one owner."""

from __future__ import annotations

import pytest

from tuan.privacy.domain import Relationship, may_see

STRANGER = Relationship(blocked=False, friends=False, shared_group_ids=frozenset())
FRIEND = Relationship(blocked=False, friends=True, shared_group_ids=frozenset())
GROUPMATE = Relationship(blocked=False, friends=False, shared_group_ids=frozenset({7}))
BLOCKED_FRIEND = Relationship(blocked=True, friends=True, shared_group_ids=frozenset({7}))


@pytest.mark.parametrize(
    ("audience", "chosen", "relationship", "expected"),
    [
        ("nobody", frozenset(), FRIEND, False),
        ("friends", frozenset(), FRIEND, True),
        ("friends", frozenset(), GROUPMATE, False),
        ("groups", frozenset({7}), GROUPMATE, True),
        ("groups", frozenset({8}), GROUPMATE, False),
        ("groups", frozenset({7}), FRIEND, False),
        ("shared_groups", frozenset(), GROUPMATE, True),
        ("shared_groups", frozenset(), STRANGER, False),
        ("friends", frozenset(), BLOCKED_FRIEND, False),
        ("shared_groups", frozenset(), BLOCKED_FRIEND, False),
    ],
)
def test_who_may_see(audience, chosen, relationship, expected) -> None:  # type: ignore[no-untyped-def]
    assert may_see(audience, chosen, relationship, viewer_is_owner=False) is expected


def test_owners_always_see_their_own() -> None:
    assert may_see("nobody", frozenset(), BLOCKED_FRIEND, viewer_is_owner=True)
