"""Audiences and the rule that decides, for one owner and one viewer, without a database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["purchases", "ratings"]
Audience = Literal["nobody", "friends", "groups", "shared_groups"]
KINDS: tuple[Kind, ...] = ("purchases", "ratings")
AUDIENCES: tuple[Audience, ...] = ("nobody", "friends", "groups", "shared_groups")
DEFAULT: Audience = "nobody"


@dataclass(frozen=True)
class Relationship:
    """What is true between a viewer and an owner."""

    blocked: bool
    friends: bool
    shared_group_ids: frozenset[int]


def may_see(
    audience: Audience,
    chosen_groups: frozenset[int],
    relationship: Relationship,
    *,
    viewer_is_owner: bool,
) -> bool:
    if viewer_is_owner:
        return True
    if relationship.blocked:
        return False
    if audience == "friends":
        return relationship.friends
    if audience == "groups":
        return bool(chosen_groups & relationship.shared_group_ids)
    if audience == "shared_groups":
        return bool(relationship.shared_group_ids)
    return False
