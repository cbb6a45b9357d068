"""Read side of trust: tie strengths, transferred trust, reputation with explanations."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.groups.queries import memberships_view
from tuan.trust import domain
from tuan.trust.domain import ReputationRecord
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
