"""The rules between a viewer and another person, without a database: what they are to each
other, what the viewer may do, and whether the viewer may be told whom they have in common."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Relationship = Literal["self", "friends", "asked_you", "you_asked", "you_blocked", "none"]
Action = Literal["add_friend", "accept", "decline", "unfriend", "message", "block", "unblock"]


@dataclass(frozen=True)
class Ties:
    """What is true between a viewer and another person (who has not blocked the viewer: to
    them the viewer sees nobody at all)."""

    is_self: bool
    friends: bool
    you_blocked: bool
    asked_you: bool  # they sent the viewer a friend request still open
    you_asked: bool  # the viewer sent them one
    share_group: bool  # both are in a group that still exists
    share_open_chat: bool  # both are in a group conversation that takes messages


def relationship(ties: Ties) -> Relationship:
    if ties.is_self:
        return "self"
    if ties.you_blocked:
        return "you_blocked"
    if ties.friends:
        return "friends"
    if ties.asked_you:
        return "asked_you"
    if ties.you_asked:
        return "you_asked"
    return "none"


_FRIENDSHIP_ACTIONS: dict[Relationship, tuple[Action, ...]] = {
    "friends": ("unfriend",),
    "asked_you": ("accept", "decline"),
    "you_asked": (),
    "none": ("add_friend",),
}


def allowed_actions(ties: Ties) -> list[Action]:
    """What the viewer may do, in the order a page shows them. A direct chat needs what the chat
    domain asks of a new one: friends, or a group conversation both are still in."""
    found = relationship(ties)
    if found == "self":
        return []
    if found == "you_blocked":
        return ["unblock"]
    actions = list(_FRIENDSHIP_ACTIONS[found])
    if ties.friends or ties.share_open_chat:
        actions = ["message", *actions]
    return [*actions, "block"]


def sees_in_common(ties: Ties) -> bool:
    """Whether the viewer may be told the groups and friends they share with the person.

    Their friendships are theirs: only someone already close to them (a friend, or someone in a
    group with them) is told which of their own friends they share; a stranger, and someone
    they blocked or who blocked them, is told nothing. (The groups in common with a stranger
    are none by definition.)"""
    if ties.is_self or ties.you_blocked:
        return False
    return ties.friends or ties.share_group
