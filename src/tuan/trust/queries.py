"""Read side of trust: how much a viewer may trust people, and stored reputation records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.groups.queries import memberships_view
from tuan.trust import domain
from tuan.trust.domain import ReputationRecord as ReputationRecord
from tuan.trust.models import Reputation, TrustEdge


async def trust_seen_by(
    session: AsyncSession, viewer_id: int, people: Collection[int], now: datetime
) -> dict[int, float]:
    """How much ``viewer_id`` may trust each of ``people``, in [0, 1), from facts the viewer
    has: what the viewer did towards them (their own ``V → X`` edge: messages, replies,
    reactions, friendship, introductions, the viewer's own purchases on their shares) and the
    groups they are both in. Two statements, however many people.

    Not the other direction and not friends of friends: both can hold what someone else did
    because of other people's behaviour — X buying on V's share is an ``X → V`` edge, X buying on
    a friend's share moves the friend's ties — and that purchase may be hidden from the viewer.
    A trust weight shown to the viewer therefore moves only with what they did or can see."""
    others = set(people) - {viewer_id}
    if not others:
        return {}
    mine, theirs = memberships_view("mine"), memberships_view("theirs")
    shared = {
        person: int(groups)
        for person, groups in await session.execute(
            select(theirs.c.user_id, func.count())
            .join(mine, mine.c.group_id == theirs.c.group_id)
            .where(mine.c.user_id == viewer_id, theirs.c.user_id.in_(others))
            .group_by(theirs.c.user_id)
        )
    }
    return await one_way_ties(session, viewer_id, {p: shared.get(p, 0) for p in others}, now)


async def reputation(session: AsyncSession, user_id: int) -> list[ReputationRecord]:
    rows = await session.scalars(
        select(Reputation).where(Reputation.user_id == user_id).order_by(Reputation.category)
    )
    return [
        ReputationRecord(r.category, r.shares, r.purchases, r.rated, r.rated_good) for r in rows
    ]


# --- for proof/asks/foryou ---

# A rating counts as good for a recommender's record from this many stars; a record's score.
GOOD_STARS = domain.GOOD_STARS
reputation_score = domain.reputation_score


async def reputations_of(
    session: AsyncSession, user_ids: Collection[int]
) -> dict[int, list[ReputationRecord]]:
    """The stored record of each of ``user_ids`` that has one, by category. One statement."""
    found: dict[int, list[ReputationRecord]] = defaultdict(list)
    if user_ids:
        for r in await session.scalars(
            select(Reputation)
            .where(Reputation.user_id.in_(user_ids))
            .order_by(Reputation.user_id, Reputation.category)
        ):
            found[r.user_id].append(
                ReputationRecord(r.category, r.shares, r.purchases, r.rated, r.rated_good)
            )
    return dict(found)


async def one_way_ties(
    session: AsyncSession, source_id: int, shared_groups: Mapping[int, int], now: datetime
) -> dict[int, float]:
    """The tie strength from ``source_id`` to each person in ``shared_groups`` (person → how
    many groups they share), counting only what ``source_id`` did towards them and the groups:
    the other direction can hold what they did because of someone else's behaviour (buying on
    a share) that ``source_id`` may not see. One statement."""
    if not shared_groups:
        return {}
    outgoing = {
        target: domain.unscaled(stored, now)
        for target, stored in await session.execute(
            select(TrustEdge.target_id, TrustEdge.scaled_weight).where(
                TrustEdge.source_id == source_id, TrustEdge.target_id.in_(shared_groups)
            )
        )
    }
    return {
        person: domain.tie_strength(outgoing.get(person, 0.0), 0.0, groups)
        for person, groups in shared_groups.items()
    }
