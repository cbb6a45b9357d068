"""People as the caller sees them: how they are tied, what the caller may do, what they share;
and people to befriend from the caller's groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from tuan.http.deps import CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID
from tuan.people import queries
from tuan.people.queries import Connection, Groupmate

router = APIRouter(prefix="/api/v1", tags=["friends"])

# A person's id as a page holds it: 0 is the deleted-user tombstone, which a page may show and
# so may ask about; it is no one, so it is not found (as an unknown person), not a bad request.
PersonIdPath = Annotated[int, Path(ge=0, le=MAX_ID)]


@router.get("/users/{user_id}/connection", responses=error_responses(400, 401, 404, 422))
async def connection(user_id: PersonIdPath, user: CurrentUser, reader: ReaderDep) -> Connection:
    """How I am tied to this person and what I may do (`allowed_actions`); the groups and
    friends we have in common, told only to their friends and to people in a group with them
    (`in_common_shown`). Not found when they blocked me."""
    return await queries.connection(reader, user.id, user_id)


@router.get("/friends/suggestions", responses=error_responses(401))
async def groupmates_to_befriend(user: CurrentUser, reader: ReaderDep) -> list[Groupmate]:
    """People I share a group with who are not my friends yet (no open request or block either
    way), those sharing the most groups first; at most 50."""
    return await queries.groupmates_to_befriend(reader, user.id)
