"""What a viewer is to another person, what they may do, and whether they are told whom they
have in common: the rules without a database."""

from __future__ import annotations

import pytest

from tuan.people.domain import Ties, allowed_actions, relationship, sees_in_common


def ties(**true: bool) -> Ties:
    fields = ("is_self", "friends", "you_blocked", "asked_you", "you_asked")
    values = {name: False for name in (*fields, "share_group", "share_open_chat")}
    return Ties(**{**values, **true})


@pytest.mark.parametrize(
    ("given", "expected_relationship", "expected_actions"),
    [
        ({"is_self": True}, "self", []),
        ({}, "none", ["add_friend", "block"]),
        (
            {"share_group": True, "share_open_chat": True},
            "none",
            ["message", "add_friend", "block"],
        ),
        # a group whose conversation is closed: no new direct chat through it
        ({"share_group": True}, "none", ["add_friend", "block"]),
        ({"friends": True}, "friends", ["message", "unfriend", "block"]),
        ({"asked_you": True}, "asked_you", ["accept", "decline", "block"]),
        ({"you_asked": True}, "you_asked", ["block"]),
        ({"you_blocked": True, "share_open_chat": True}, "you_blocked", ["unblock"]),
    ],
)
def test_what_a_viewer_is_and_may_do(
    given: dict[str, bool], expected_relationship: str, expected_actions: list[str]
) -> None:
    assert relationship(ties(**given)) == expected_relationship
    assert allowed_actions(ties(**given)) == expected_actions


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ({"friends": True}, True),
        ({"share_group": True}, True),
        ({}, False),  # a stranger
        ({"asked_you": True}, False),  # a request is not yet a tie
        ({"share_group": True, "you_blocked": True}, False),
        ({"is_self": True, "share_group": True}, False),
    ],
)
def test_only_those_close_to_someone_are_told_whom_they_share(
    given: dict[str, bool], shown: bool
) -> None:
    assert sees_in_common(ties(**given)) is shown
