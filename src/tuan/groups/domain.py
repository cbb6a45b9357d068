"""Group rules that need no database: names and caps, join policies, invite links, who may do
what to whom, and the lines a group writes into its chat (as codes, never sentences)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from tuan.groups.errors import (
    IntroductionRequired,
    InvalidGroupSettings,
    InviteExpired,
    InviteInvalid,
    InviteUsedUp,
    VerifiedOnly,
)

JoinPolicy = Literal["open", "approval", "introduced", "verified"]
POLICIES: tuple[JoinPolicy, ...] = ("open", "approval", "introduced", "verified")
Role = Literal["owner", "admin", "member"]
ADMINS = ("owner", "admin")
MAX_NAME = 80

# What a viewer may do in a group (``group_actions``) ...
MANAGE = "manage"  # settings, invite links, join requests
CREATE_SUBGROUP = "create_subgroup"
INTRODUCE = "introduce"
LEAVE = "leave"
DISSOLVE = "dissolve"
# ... and to one of its members (``member_actions``).
REMOVE = "remove"
MAKE_ADMIN = "make_admin"
MAKE_MEMBER = "make_member"
TRANSFER_OWNERSHIP = "transfer_ownership"

# The lines a group writes into its conversation; pages say them from their catalogues.
GROUP_CREATED = "group_created"
MEMBER_JOINED = "member_joined"
MEMBER_JOINED_INTRODUCED = "member_joined_introduced"
MEMBER_LEFT = "member_left"
MEMBER_REMOVED = "member_removed"
ADMIN_APPOINTED = "admin_appointed"
ADMIN_DISMISSED = "admin_dismissed"
OWNER_CHANGED = "owner_changed"
GROUP_DISSOLVED = "group_dissolved"
SYSTEM_LINES = (
    GROUP_CREATED,
    MEMBER_JOINED,
    MEMBER_JOINED_INTRODUCED,
    MEMBER_LEFT,
    MEMBER_REMOVED,
    ADMIN_APPOINTED,
    ADMIN_DISMISSED,
    OWNER_CHANGED,
    GROUP_DISSOLVED,
)


@dataclass(frozen=True)
class JoinOutcome:
    status: Literal["joined", "requested"]
    group_id: int
    request_id: int | None = None


# --- settings -----------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise InvalidGroupSettings(field="name", details={"reason": "name_length", "max": MAX_NAME})
    return name


def check_policy(policy: str) -> JoinPolicy:
    for known in POLICIES:
        if policy == known:
            return known
    raise InvalidGroupSettings(field="join_policy")


def member_cap(requested: int | None, deployment_cap: int, current: int = 0) -> int:
    """The cap a group gets: the deployment's unless it asks for less; never below 2, nor below
    the members it already has."""
    cap = deployment_cap if requested is None else requested
    if not 2 <= cap <= deployment_cap:
        raise InvalidGroupSettings(
            field="member_cap", details={"reason": "member_cap", "min": 2, "max": deployment_cap}
        )
    if cap < current:
        raise InvalidGroupSettings(
            field="member_cap", details={"reason": "cap_below_members", "count": current}
        )
    return cap


# --- who may do what ----------------------------------------------------------------------------


def is_admin(role: str) -> bool:
    return role in ADMINS


def may_create_subgroup(role: str, subgroups_by: str) -> bool:
    return subgroups_by == "members" or is_admin(role)


def may_remove(actor_role: str, target_role: str) -> bool:
    """An admin removes members; only the owner removes admins; nobody removes the owner."""
    if target_role == "owner" or not is_admin(actor_role):
        return False
    return target_role == "member" or actor_role == "owner"


def may_change_role(actor_role: str, target_role: str) -> bool:
    """Only the owner appoints or dismisses admins, and nobody changes the owner's role."""
    return actor_role == "owner" and target_role != "owner"


def group_actions(role: str, subgroups_by: str) -> list[str]:
    """What someone with ``role`` may do in the group, for the pages to offer."""
    actions = [MANAGE] if is_admin(role) else []
    if may_create_subgroup(role, subgroups_by):
        actions.append(CREATE_SUBGROUP)
    actions.append(INTRODUCE)
    actions.append(DISSOLVE if role == "owner" else LEAVE)
    return actions


def member_actions(viewer_id: int, viewer_role: str, member_id: int, member_role: str) -> list[str]:
    """What the viewer may do to one member (never to themselves: leaving is a group action)."""
    if viewer_id == member_id:
        return []
    actions = []
    if may_remove(viewer_role, member_role):
        actions.append(REMOVE)
    if may_change_role(viewer_role, member_role):
        actions.append(MAKE_MEMBER if member_role == "admin" else MAKE_ADMIN)
        actions.append(TRANSFER_OWNERSHIP)
    return actions


# --- joining ------------------------------------------------------------------------------------


def entry(policy: str, *, verified: bool) -> Literal["admit", "request"]:
    """How someone who asks to come in (by a link, or from the parent group) enters: at once, or
    by a request an admin decides; refused where only introductions or verified people count."""
    if policy == "introduced":
        raise IntroductionRequired()
    check_verified(policy, verified=verified)
    return "request" if policy == "approval" else "admit"


def check_verified(policy: str, *, verified: bool) -> None:
    if policy == "verified" and not verified:
        raise VerifiedOnly()


def introduction_needs_admin(policy: str, introducer_role: str | None) -> bool:
    """An accepted introduction into an approval group still waits for an admin, unless an
    admin (or the owner) made it."""
    return policy == "approval" and (introducer_role is None or not is_admin(introducer_role))


class LinkState(Protocol):
    @property
    def revoked_at(self) -> datetime | None: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def max_uses(self) -> int | None: ...
    @property
    def uses(self) -> int: ...


L = TypeVar("L", bound=LinkState)


def check_link(link: L | None, now: datetime) -> L:
    """The link, if it still lets people in."""
    if link is None or link.revoked_at is not None:
        raise InviteInvalid()
    if link.expires_at is not None and link.expires_at <= now:
        raise InviteExpired()
    if link.max_uses is not None and link.uses >= link.max_uses:
        raise InviteUsedUp()
    return link
