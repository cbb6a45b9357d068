"""Following a person: one-way, apart from friendship (ADR 0013).

A follow is a pair (follower, followee); a second follow is a no-op. A follow may say which note
it came from (``via_note_id``): that note must be by the person followed and one the follower
may see, and such a follow counts once in the note's heat (weight 8, ``stats.acted``).

Who follows whom is the follower's and the followee's business: anyone may see the two counts
on a profile, but the lists of followers and of people followed are shown to the person
themself only. People with a block between them cannot follow each other; a follow made before
a block stays a row, but ``seen_by`` hides every note across a block (so it brings nothing into
the Following feed) and neither list shows the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import user_exists
from tuan.core.db import dialect_insert, rows_changed
from tuan.core.uow import UnitOfWork
from tuan.notes import stats
from tuan.notes.errors import CannotFollowSelf, FollowBlocked, FollowNoteNotTheirs
from tuan.notes.models import Follow
from tuan.notes.queries import seen_note
from tuan.social.errors import PersonNotFound
from tuan.social.queries import blocked_among, blocked_either_way


async def follow(
    uow: UnitOfWork, *, follower_id: int, followee_id: int, via_note_id: int | None = None
) -> bool:
    """``follower_id`` follows ``followee_id``; True if this made the follow, False if it was
    already there (nothing changes then, not even the note it came from)."""
    if follower_id == followee_id:
        raise CannotFollowSelf(field="user_id")
    if not await user_exists(uow.session, followee_id):
        raise PersonNotFound()
    if await blocked_either_way(uow.session, follower_id, followee_id):
        raise FollowBlocked(field="user_id")
    if via_note_id is not None:
        # A note the follower may not see is not found (its existence is not revealed).
        note = await seen_note(uow.session, via_note_id, follower_id)
        if note.author_id != followee_id:
            raise FollowNoteNotTheirs(field="via_note_id")
    made = await uow.session.execute(
        dialect_insert(uow.session, Follow)
        .values(
            follower_id=follower_id,
            followee_id=followee_id,
            via_note_id=via_note_id,
            created_at=uow.now,
        )
        .on_conflict_do_nothing()
    )
    if not rows_changed(made):
        return False
    if via_note_id is not None:
        await stats.acted(uow, via_note_id, "follow")
    return True


async def unfollow(uow: UnitOfWork, *, follower_id: int, followee_id: int) -> None:
    """Stop following; not following already is a no-op."""
    await uow.session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )


# --- read side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowCounts:
    followers: int
    following: int


async def follow_counts(session: AsyncSession, user_id: int) -> FollowCounts:
    followers = await session.scalar(
        select(func.count()).select_from(Follow).where(Follow.followee_id == user_id)
    )
    following = await session.scalar(
        select(func.count()).select_from(Follow).where(Follow.follower_id == user_id)
    )
    return FollowCounts(int(followers or 0), int(following or 0))


async def follows(session: AsyncSession, follower_id: int, followee_id: int) -> bool:
    return await session.get(Follow, (follower_id, followee_id)) is not None


async def followee_ids(session: AsyncSession, user_id: int) -> list[int]:
    """Whom ``user_id`` follows (a block between them is ``seen_by``'s to apply)."""
    return list(
        await session.scalars(select(Follow.followee_id).where(Follow.follower_id == user_id))
    )


@dataclass(frozen=True)
class PeoplePage:
    user_ids: list[int]
    next_before: int | None  # pass as ``before`` for the next page; None: this was the last


async def _page(
    session: AsyncSession, user_id: int, *, followers: bool, before: int | None, limit: int
) -> PeoplePage:
    mine, theirs = (
        (Follow.followee_id, Follow.follower_id)
        if followers
        else (Follow.follower_id, Follow.followee_id)
    )
    statement = select(theirs).where(mine == user_id)
    if before is not None:
        statement = statement.where(theirs < before)
    ids = list(await session.scalars(statement.order_by(theirs.desc()).limit(limit)))
    hidden = await blocked_among(session, user_id, set(ids))
    return PeoplePage([i for i in ids if i not in hidden], ids[-1] if len(ids) == limit else None)


async def follower_page(
    session: AsyncSession, user_id: int, *, before: int | None = None, limit: int = 50
) -> PeoplePage:
    """Who follows ``user_id`` (shown to ``user_id`` only), by descending id."""
    return await _page(session, user_id, followers=True, before=before, limit=limit)


async def following_page(
    session: AsyncSession, user_id: int, *, before: int | None = None, limit: int = 50
) -> PeoplePage:
    """Whom ``user_id`` follows (shown to ``user_id`` only), by descending id."""
    return await _page(session, user_id, followers=False, before=before, limit=limit)
