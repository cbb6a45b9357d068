"""The one gate: which of a set of owners let a viewer see a kind of their behaviour."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.groups.queries import memberships_view
from tuan.privacy.domain import DEFAULT, KINDS, Audience, Kind, Relationship, may_see
from tuan.privacy.models import PrivacyGroup, PrivacySetting
from tuan.social.queries import blocked_among, friends_among


async def settings_of(
    session: AsyncSession, user_id: int
) -> dict[Kind, tuple[Audience, list[int]]]:
    found: dict[Kind, tuple[Audience, list[int]]] = {kind: (DEFAULT, []) for kind in KINDS}
    for setting in await session.scalars(
        select(PrivacySetting).where(PrivacySetting.user_id == user_id)
    ):
        found[cast(Kind, setting.kind)] = (cast(Audience, setting.audience), [])
    for kind, group_id in await session.execute(
        select(PrivacyGroup.kind, PrivacyGroup.group_id)
        .where(PrivacyGroup.user_id == user_id)
        .order_by(PrivacyGroup.group_id)
    ):
        found[cast(Kind, kind)][1].append(group_id)
    return found


async def visible_owners(
    session: AsyncSession, viewer_id: int, owner_ids: Iterable[int], kind: Kind
) -> set[int]:
    """The owners among ``owner_ids`` whose ``kind`` the viewer may see (always themselves)."""
    return (await visible_owners_by_kind(session, viewer_id, owner_ids, (kind,)))[kind]


def purchases_seen_by(
    session: AsyncSession, viewer_id: int
) -> Callable[[Iterable[int]], Awaitable[set[int]]]:
    """:func:`visible_owners` for ``viewer_id``'s view of purchases, as a function of the owners:
    the gate handed to a domain below this one (team purchase) that must not import it."""

    async def seen(owner_ids: Iterable[int]) -> set[int]:
        return await visible_owners(session, viewer_id, owner_ids, "purchases")

    return seen


async def visible_owners_by_kind(
    session: AsyncSession, viewer_id: int, owner_ids: Iterable[int], kinds: Sequence[Kind]
) -> dict[Kind, set[int]]:
    """:func:`visible_owners` for several kinds at once, reading the relationships once."""
    owners = set(owner_ids)
    found: dict[Kind, set[int]] = {kind: {viewer_id} & owners for kind in kinds}
    if not owners:
        return found
    audiences: dict[tuple[int, str], Audience] = {}
    for user_id, kind, audience in await session.execute(
        select(PrivacySetting.user_id, PrivacySetting.kind, PrivacySetting.audience).where(
            PrivacySetting.user_id.in_(owners), PrivacySetting.kind.in_(kinds)
        )
    ):
        audiences[(user_id, kind)] = cast(Audience, audience)
    open_to_someone = {
        kind: {o for o in owners - {viewer_id} if audiences.get((o, kind), DEFAULT) != "nobody"}
        for kind in kinds
    }
    candidates = set().union(*open_to_someone.values())
    if not candidates:
        return found
    relationships = await _relationships(session, viewer_id, candidates)
    chosen: dict[tuple[int, str], set[int]] = defaultdict(set)
    for user_id, kind, group_id in await session.execute(
        select(PrivacyGroup.user_id, PrivacyGroup.kind, PrivacyGroup.group_id).where(
            PrivacyGroup.user_id.in_(candidates), PrivacyGroup.kind.in_(kinds)
        )
    ):
        chosen[(user_id, kind)].add(group_id)
    for kind in kinds:
        for owner in open_to_someone[kind]:
            if may_see(
                audiences.get((owner, kind), DEFAULT),
                frozenset(chosen[(owner, kind)]),
                relationships[owner],
                viewer_is_owner=False,
            ):
                found[kind].add(owner)
    return found


async def _relationships(
    session: AsyncSession, viewer_id: int, owners: set[int]
) -> dict[int, Relationship]:
    blocked = await blocked_among(session, viewer_id, owners)
    friends = await friends_among(session, viewer_id, owners)
    mine, theirs = memberships_view("mine"), memberships_view("theirs")
    shared: dict[int, set[int]] = defaultdict(set)
    for owner, group_id in await session.execute(
        select(theirs.c.user_id, theirs.c.group_id)
        .join(mine, mine.c.group_id == theirs.c.group_id)
        .where(mine.c.user_id == viewer_id, theirs.c.user_id.in_(owners))
    ):
        shared[owner].add(group_id)
    return {
        owner: Relationship(
            blocked=owner in blocked,
            friends=owner in friends,
            shared_group_ids=frozenset(shared[owner]),
        )
        for owner in owners
    }
