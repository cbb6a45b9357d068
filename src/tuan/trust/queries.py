"""Read side of trust: tie strengths, transferred trust, reputation with explanations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.groups.queries import memberships_view
from tuan.trust import domain
from tuan.trust.domain import ReputationRecord as ReputationRecord
from tuan.trust.models import Reputation, TrustEdge


async def ties_of(
    session: AsyncSession, user_ids: set[int], now: datetime
) -> dict[int, dict[int, float]]:
    """Tie strength from each of ``user_ids`` to everyone they have interacted with or share a
    group with."""
    if not user_ids:
        return {}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    rows = await session.execute(
        select(TrustEdge.source_id, TrustEdge.target_id, TrustEdge.scaled_weight).where(
            or_(TrustEdge.source_id.in_(user_ids), TrustEdge.target_id.in_(user_ids))
        )
    )
    for source, target, stored in rows:
        weights[(source, target)] += domain.unscaled(stored, now)
    mine, theirs = memberships_view("mine"), memberships_view("theirs")
    shared = await session.execute(
        select(mine.c.user_id, theirs.c.user_id, func.count())
        .join(theirs, theirs.c.group_id == mine.c.group_id)
        .where(mine.c.user_id.in_(user_ids), theirs.c.user_id != mine.c.user_id)
        .group_by(mine.c.user_id, theirs.c.user_id)
    )
    groups_shared = {(a, b): int(n) for a, b, n in shared}
    ties: dict[int, dict[int, float]] = defaultdict(dict)
    pairs = (
        {(a, b) for a, b in weights if a in user_ids}
        | {(b, a) for a, b in weights if b in user_ids}
        | set(groups_shared)
    )
    for a, b in pairs:
        if a not in user_ids:
            continue
        ties[a][b] = domain.tie_strength(
            weights.get((a, b), 0.0), weights.get((b, a), 0.0), groups_shared.get((a, b), 0)
        )
    return dict(ties)


async def trust_from(
    session: AsyncSession, user_id: int, now: datetime, *, max_hops: int = 2
) -> dict[int, float]:
    """How much ``user_id`` can trust others: direct ties, and bounded friend-of-friend trust."""
    frontier = {user_id}
    graph: dict[int, dict[int, float]] = {}
    for _ in range(max_hops):
        fresh = frontier - set(graph)
        if not fresh:
            break
        graph.update(await ties_of(session, fresh, now))
        frontier = {other for person in fresh for other in graph.get(person, {})}
    return domain.transferred_trust(graph, user_id, max_hops=max_hops)


async def reputation(session: AsyncSession, user_id: int) -> list[ReputationRecord]:
    rows = await session.scalars(
        select(Reputation).where(Reputation.user_id == user_id).order_by(Reputation.category)
    )
    return [
        ReputationRecord(r.category, r.shares, r.purchases, r.rated, r.rated_good) for r in rows
    ]


async def best_recommenders(
    session: AsyncSession, user_ids: list[int], category: str, limit: int = 3
) -> list[tuple[int, ReputationRecord]]:
    """Among ``user_ids``, who has the best record in ``category`` (for "ask a recommendation")."""
    if not user_ids:
        return []
    rows = await session.scalars(
        select(Reputation).where(Reputation.user_id.in_(user_ids), Reputation.category == category)
    )
    records = [
        (r.user_id, ReputationRecord(r.category, r.shares, r.purchases, r.rated, r.rated_good))
        for r in rows
        if r.rated
    ]
    records.sort(key=lambda pair: (-pair[1].score, -pair[1].rated, pair[0]))
    return records[:limit]


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
