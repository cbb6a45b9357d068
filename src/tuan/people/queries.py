"""How a viewer sees another person, and whom they might befriend.

Built on the owners' published reads: social (friends, requests, blocks), groups (who is in
which group), chat (whether two people may start a direct chat). Someone who blocked the viewer
does not exist for them (not found, as their profile)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.errors import UserNotFound
from tuan.accounts.queries import user_exists
from tuan.chat.queries import share_open_group_conversation
from tuan.groups.queries import GroupSummary, groupmates, groups_shared_with
from tuan.people import domain
from tuan.people.domain import Action, Relationship, Ties
from tuan.social import queries as social
from tuan.social.queries import Person

SUGGESTIONS = 50
SHOWN_GROUPS = 3


@dataclass(frozen=True)
class GroupRef:
    id: int
    name: str


@dataclass(frozen=True)
class Connection:
    """Another person as the viewer sees them.

    ``request_id`` is the open friend request between them, either way (the one to answer when
    ``relationship`` is ``asked_you``). ``in_common_shown`` says whether the viewer may be told
    what they share; when it is false both lists are empty."""

    user_id: int
    relationship: Relationship
    request_id: int | None
    allowed_actions: list[Action]
    in_common_shown: bool
    groups_in_common: list[GroupRef]
    friends_in_common: list[Person]


@dataclass(frozen=True)
class Groupmate:
    """Someone the viewer shares groups with and might befriend: the first few groups shared
    (oldest first) and how many there are."""

    person: Person
    groups: list[GroupRef]
    groups_in_common: int


def _refs(groups: list[GroupSummary]) -> list[GroupRef]:
    return [GroupRef(g.id, g.name) for g in groups]


async def connection(session: AsyncSession, viewer_id: int, person_id: int) -> Connection:
    """``person_id`` as ``viewer_id`` sees them; not found if there is no such person or they
    blocked the viewer."""
    if not await user_exists(session, person_id) or (
        viewer_id != person_id and await social.has_blocked(session, person_id, viewer_id)
    ):
        raise UserNotFound()
    shared = (await groups_shared_with(session, viewer_id, {person_id})).get(person_id, [])
    requests = await social.open_requests(session, viewer_id, person_id)
    ties = Ties(
        is_self=viewer_id == person_id,
        friends=await social.are_friends(session, viewer_id, person_id),
        you_blocked=await social.has_blocked(session, viewer_id, person_id),
        asked_you=requests.was_asked is not None,
        you_asked=requests.asked is not None,
        share_group=bool(shared),
        share_open_chat=await share_open_group_conversation(session, viewer_id, person_id),
    )
    shown = domain.sees_in_common(ties)
    return Connection(
        user_id=person_id,
        relationship=domain.relationship(ties),
        request_id=requests.was_asked or requests.asked,
        allowed_actions=domain.allowed_actions(ties),
        in_common_shown=shown,
        groups_in_common=_refs(shared) if shown else [],
        friends_in_common=await social.mutual_friends(session, viewer_id, person_id)
        if shown
        else [],
    )


async def groupmates_to_befriend(
    session: AsyncSession, viewer_id: int, *, limit: int = SUGGESTIONS
) -> list[Groupmate]:
    """People the viewer shares a group with who are not their friends yet: no friendship, no
    open request either way (those are on the requests list), no block either way. Those sharing
    the most groups first, then by name; at most ``limit``."""
    counts = await groupmates(session, viewer_id)
    tied = await social.already_tied(session, viewer_id)
    chosen = sorted(set(counts) - tied, key=lambda other: (-counts[other], other))[:limit]
    known = await social.people(session, chosen)
    ranked = sorted(known.values(), key=lambda p: (-counts[p.id], p.display_name, p.id))
    shared = await groups_shared_with(session, viewer_id, {p.id for p in ranked})
    return [
        Groupmate(
            person=p,
            groups=_refs(shared.get(p.id, [])[:SHOWN_GROUPS]),
            groups_in_common=counts[p.id],
        )
        for p in ranked
    ]
