"""What the erasure of a person asks of reviews (ADR 0011)."""

from __future__ import annotations

from sqlalchemy import select

from tuan.core.uow import UnitOfWork
from tuan.reviews import domain
from tuan.reviews.models import Review
from tuan.trust import commands as trust


async def withdraw_ratings_of(uow: UnitOfWork, author_id: int) -> None:
    """Take a person's ratings out of the recommenders' records they were counted in, as the
    reviews themselves go: a recommender's "rated" and "rated good" no longer count them."""
    rows = await uow.session.execute(
        select(Review.sharer_id, Review.category, Review.stars).where(
            Review.author_id == author_id,
            Review.sharer_id.is_not(None),
            Review.sharer_id != author_id,
        )
    )
    for sharer_id, category, stars in rows:
        assert sharer_id is not None  # selected so
        await trust.count_rating(
            uow,
            user_id=sharer_id,
            category=category or domain.UNCATEGORISED,
            at=uow.now,
            stars=stars,
            taken_back=True,
        )
