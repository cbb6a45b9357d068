"""Notes' people over HTTP: follow and mute people, mute words, a person's notes profile, the
Following feed and note search (issue 16, ADR 0013).

Lists are newest first and paged by note id: pass a page's ``next_before`` as ``before``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep, UserIfSignedIn
from tuan.http.errors import error_responses
from tuan.http.routes.notes import NotePhotoOut, Tag
from tuan.http.schemas import CONTROLS, MAX_ID, Id, Input, text
from tuan.notes import feeds, follows, mutes, profiles, search
from tuan.social.queries import people

router = APIRouter(prefix="/api/v1", tags=["notes"])

# A person's id as a page holds it: 0 is the deleted-user tombstone, which is no one (not found).
PersonIdPath = Annotated[int, Path(ge=0, le=MAX_ID)]
Before = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="A cursor: the previous page's `next_before`"),
]
Limit = Annotated[int, Query(ge=1, le=feeds.MAX_PAGE)]
MutedWord = Annotated[str, text(mutes.MAX_WORD, required=True, refused=CONTROLS)]
SIGNED_OUT_TOO: dict[str, Any] = {
    "security": [{}]
}  # {} is "no credentials", beside the bearer token


class NoteCardOut(BaseModel):
    id: int
    author_id: int
    author_username: str
    author_display_name: str
    title: str
    excerpt: str = Field(description="The start of the note's words")
    cover: NotePhotoOut | None = Field(description="Its first photo, if any")
    tags: list[str]
    area: str | None
    created_at: datetime
    edited: bool
    hidden_reason: str | None = Field(
        description="Shown to the author only, for a note an operator hid"
    )


class NotePageOut(BaseModel):
    notes: list[NoteCardOut]
    next_before: int | None = Field(description="Pass as `before` for more; null: no more")

    @classmethod
    def of(cls, page: feeds.NotePage) -> NotePageOut:
        return cls.model_validate(asdict(page))


class PersonOut(BaseModel):
    id: int
    username: str
    display_name: str
    avatar_url: str | None


class PeoplePageOut(BaseModel):
    people: list[PersonOut]
    next_before: int | None = Field(description="Pass as `before` for more; null: no more")


class FollowIn(Input):
    via_note_id: Id | None = Field(
        default=None,
        description="The note the follow came from: one by this person that you may see",
    )


class FollowOut(BaseModel):
    user_id: int
    followed_by_you: bool
    followers: int


class MuteWordIn(Input):
    keyword: MutedWord = Field(examples=["露营"], description="Trimmed and lower-cased when kept")


class MutesOut(BaseModel):
    keywords: list[str]
    people: list[PersonOut]


class CollectionOut(BaseModel):
    id: int
    name: str
    notes: int = Field(description="How many of its notes you may see")


class ProfileOut(BaseModel):
    user_id: int
    username: str
    display_name: str
    avatar_url: str | None
    verified: bool
    followers: int
    following: int
    followed_by_you: bool
    notes: NotePageOut
    collections: list[CollectionOut]


async def _people_out(reader: ReaderDep, ids: list[int]) -> list[PersonOut]:
    found = await people(reader, ids)
    return [
        PersonOut(
            id=p.id, username=p.username, display_name=p.display_name, avatar_url=p.avatar_url
        )
        for i in ids
        if (p := found.get(i)) is not None
    ]


async def _people_page(reader: ReaderDep, page: follows.PeoplePage) -> PeoplePageOut:
    people_out = await _people_out(reader, page.user_ids)
    return PeoplePageOut(people=people_out, next_before=page.next_before)


@router.put("/people/{user_id}/follow", responses=error_responses(400, 401, 403, 404, 422))
async def follow(
    user_id: PersonIdPath,
    user: CurrentUser,
    container: ContainerDep,
    body: FollowIn | None = None,
    via_note_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="As `via_note_id` in the body")
    ] = None,
) -> FollowOut:
    """Follow a person (one-way, apart from friendship); following again changes nothing. Not
    yourself (422 FOLLOW_SELF), nor across a block (403 FOLLOW_BLOCKED)."""
    via = body.via_note_id if body is not None and body.via_note_id is not None else via_note_id
    await container.run(follows.follow, follower_id=user.id, followee_id=user_id, via_note_id=via)
    async with container.db.read_sessions() as reader:
        counts = await follows.follow_counts(reader, user_id)
    return FollowOut(user_id=user_id, followed_by_you=True, followers=counts.followers)


@router.delete(
    "/people/{user_id}/follow",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 422),
)
async def unfollow(user_id: PersonIdPath, user: CurrentUser, container: ContainerDep) -> Response:
    """Stop following; not following already is fine."""
    await container.run(follows.unfollow, follower_id=user.id, followee_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/followers", responses=error_responses(400, 401, 422))
async def my_followers(
    user: CurrentUser, reader: ReaderDep, before: Before = None, limit: Limit = 50
) -> PeoplePageOut:
    """Who follows me: shown to me only (others see the count on my profile)."""
    return await _people_page(
        reader, await follows.follower_page(reader, user.id, before=before, limit=limit)
    )


@router.get("/me/following", responses=error_responses(400, 401, 422))
async def my_following(
    user: CurrentUser, reader: ReaderDep, before: Before = None, limit: Limit = 50
) -> PeoplePageOut:
    """Whom I follow: shown to me only."""
    return await _people_page(
        reader, await follows.following_page(reader, user.id, before=before, limit=limit)
    )


@router.put(
    "/people/{user_id}/mute",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 404, 422),
)
async def mute_person(
    user_id: PersonIdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Keep a person's notes out of my Following feed and my searches (they are not told)."""
    await container.run(mutes.mute_person, user_id=user.id, muted_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/people/{user_id}/mute",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 422),
)
async def unmute_person(
    user_id: PersonIdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    await container.run(mutes.unmute_person, user_id=user.id, muted_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _mutes_out(reader: ReaderDep, user_id: int) -> MutesOut:
    mine = await mutes.mutes_of(reader, user_id)
    return MutesOut(keywords=mine.words, people=await _people_out(reader, mine.people))


@router.get("/me/mutes", responses=error_responses(401))
async def my_mutes(user: CurrentUser, reader: ReaderDep) -> MutesOut:
    """The words and people I muted, in the order I muted them."""
    return await _mutes_out(reader, user.id)


@router.post("/me/mutes/keywords", responses=error_responses(400, 401, 409, 422))
async def mute_word(body: MuteWordIn, user: CurrentUser, container: ContainerDep) -> MutesOut:
    """Mute a word: notes whose title or words contain it, or tagged with it, leave my Following
    feed and my searches. Muting it again changes nothing."""
    await container.run(mutes.mute_word, user_id=user.id, keyword=body.keyword)
    async with container.db.read_sessions() as reader:
        return await _mutes_out(reader, user.id)


@router.delete(
    "/me/mutes/keywords/{keyword}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 422),
)
async def unmute_word(
    keyword: Annotated[str, Path(max_length=60)], user: CurrentUser, container: ContainerDep
) -> Response:
    """Unmute a word (as muted, any case); a word not muted is fine."""
    await container.run(mutes.unmute_word, user_id=user.id, keyword=keyword)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/people/{user_id}/notes-profile",
    responses=error_responses(400, 401, 404, 422),
    openapi_extra=SIGNED_OUT_TOO,
)
async def notes_profile(
    user_id: PersonIdPath,
    user: UserIfSignedIn,
    reader: ReaderDep,
    before: Before = None,
    limit: Limit = 20,
) -> ProfileOut:
    """A person's notes profile: follower and following counts, their notes I may see (signed
    out: notes to everyone), and their public collections counted over notes I may see."""
    viewer = None if user is None else user.id
    found = await profiles.notes_profile(reader, user_id, viewer, before=before, limit=limit)
    return ProfileOut.model_validate(asdict(found))


@router.get("/notes/following", responses=error_responses(400, 401, 422))
async def following_feed(
    user: CurrentUser, reader: ReaderDep, before: Before = None, limit: Limit = 20
) -> NotePageOut:
    """Notes by people I follow that I may see, newest first, less what I muted."""
    return NotePageOut.of(await feeds.following_feed(reader, user.id, before=before, limit=limit))


@router.get("/notes/search", responses=error_responses(400, 401, 422), openapi_extra=SIGNED_OUT_TOO)
async def search_notes(
    user: UserIfSignedIn,
    reader: ReaderDep,
    q: Annotated[
        str | None, Query(max_length=100, description="Words, Chinese or not (坚果, nuts)")
    ] = None,
    tag: Annotated[Tag | None, Query(description="A tag the note carries: #露营 or 露营")] = None,
    before: Before = None,
    limit: Limit = 20,
) -> NotePageOut:
    """Notes I may see matching the words and carrying the tag (at least one of the two; 422
    NOTE_SEARCH_EMPTY otherwise), newest first, less what I muted."""
    viewer = None if user is None else user.id
    found = await search.search_notes(reader, viewer, words=q, tag=tag, before=before, limit=limit)
    return NotePageOut.of(found)
