"""What people do with notes over HTTP: like one, mark it helpful, save it into collections,
report it. Each act is a PUT (a second one is a no-op) and a DELETE that takes it back, only on
notes the caller may see (404 NOTE_NOT_FOUND otherwise)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep, UserIfSignedIn
from tuan.http.errors import error_responses
from tuan.http.schemas import CONTROLS, CONTROLS_BUT_LINE_BREAKS, IdPath, Input, text
from tuan.notes import collections, collections_queries, interactions, moderation

router = APIRouter(prefix="/api/v1", tags=["notes"])
NO_CONTENT = status.HTTP_204_NO_CONTENT

Command = Callable[..., Awaitable[None]]


async def _done(container: Any, command: Command, **arguments: Any) -> Response:
    await container.run(command, **arguments)
    return Response(status_code=NO_CONTENT)


_ACTS = {
    "like": (interactions.like_note, interactions.unlike_note, "Like a note", "Unlike it"),
    "helpful": (
        interactions.mark_helpful,
        interactions.unmark_helpful,
        'Mark a note "helpful": it helped you decide',
        'Take back your "helpful"',
    ),
}


def _pair_routes(act: str) -> None:
    on, off, said_on, said_off = _ACTS[act]
    path = f"/notes/{{note_id}}/{act}"
    answers = error_responses(400, 401, 404, 422)

    async def put(note_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
        return await _done(container, on, note_id=note_id, user_id=user.id)

    async def remove(note_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
        return await _done(container, off, note_id=note_id, user_id=user.id)

    put.__doc__ = f"{said_on}; again is a no-op."
    remove.__doc__ = f"{said_off}; when there is none, a no-op."
    router.put(path, status_code=NO_CONTENT, responses=answers, name=f"{act}_note")(put)
    router.delete(path, status_code=NO_CONTENT, responses=answers, name=f"un{act}_note")(remove)


for _act in _ACTS:
    _pair_routes(_act)


# --- collections ---------------------------------------------------------------------------

Name = Annotated[str, text(collections.MAX_NAME, required=True, refused=CONTROLS)]


class CollectionIn(Input):
    name: Name = Field(examples=["零食清单"], description="Unique among your collections")
    public: bool = Field(default=False, description="Others may read it (private by default)")


class CollectionChange(Input):
    name: Name | None = Field(default=None, description="Unique among your collections")
    public: bool | None = None


class CollectionSummaryOut(BaseModel):
    id: int
    name: str
    public: bool
    notes: int = Field(description="How many of its notes you may see now")
    created_at: datetime


class SavedNoteOut(BaseModel):
    note_id: int
    title: str
    author_id: int
    author_username: str
    author_display_name: str
    saved_at: datetime


class CollectionOut(BaseModel):
    id: int
    owner_id: int
    owner_username: str
    name: str
    public: bool
    notes: list[SavedNoteOut] = Field(
        description=f"The {collections_queries.MAX_LISTED} most recently saved that you may see"
    )


async def _page(container: Any, collection_id: int, viewer: int | None) -> CollectionOut:
    async with container.db.read_sessions() as reader:
        page = await collections_queries.collection_page(reader, collection_id, viewer)
    return CollectionOut.model_validate(asdict(page))


@router.post(
    "/collections",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 409, 422),
)
async def create_collection(
    body: CollectionIn, user: CurrentUser, container: ContainerDep
) -> CollectionOut:
    """A new collection of yours; a name you already use is a 409 COLLECTION_NAME_TAKEN."""
    collection_id = await container.run(
        collections.create_collection, owner_id=user.id, name=body.name, public=body.public
    )
    return await _page(container, collection_id, user.id)


@router.get("/collections", responses=error_responses(401))
async def my_collections(user: CurrentUser, reader: ReaderDep) -> list[CollectionSummaryOut]:
    """Your collections, by name."""
    found = await collections_queries.my_collections(reader, user.id)
    return [CollectionSummaryOut.model_validate(asdict(c)) for c in found]


@router.get(
    "/collections/{collection_id}",
    responses=error_responses(400, 401, 404, 422),
    openapi_extra={"security": [{}]},
)
async def get_collection(
    collection_id: IdPath, user: UserIfSignedIn, container: ContainerDep
) -> CollectionOut:
    """Your collection, or anyone's public one, with the notes you may see; a private one of
    someone else is 404 COLLECTION_NOT_FOUND."""
    return await _page(container, collection_id, None if user is None else user.id)


@router.patch(
    "/collections/{collection_id}", responses=error_responses(400, 401, 403, 404, 409, 422)
)
async def change_collection(
    collection_id: IdPath, body: CollectionChange, user: CurrentUser, container: ContainerDep
) -> CollectionOut:
    """Rename your collection, or make it public or private."""
    await container.run(
        collections.change_collection,
        collection_id=collection_id,
        owner_id=user.id,
        name=body.name,
        public=body.public,
    )
    return await _page(container, collection_id, user.id)


@router.delete(
    "/collections/{collection_id}",
    status_code=NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def delete_collection(
    collection_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Delete your collection (the notes stay where they are)."""
    return await _done(
        container, collections.delete_collection, collection_id=collection_id, owner_id=user.id
    )


@router.put(
    "/collections/{collection_id}/notes/{note_id}",
    status_code=NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def save_note(
    collection_id: IdPath, note_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Save a note you may see into your collection; again is a no-op. Someone else's
    collection is 403 COLLECTION_NOT_YOURS (404 COLLECTION_NOT_FOUND when private)."""
    return await _done(
        container,
        collections.save_note,
        collection_id=collection_id,
        note_id=note_id,
        user_id=user.id,
    )


@router.delete(
    "/collections/{collection_id}/notes/{note_id}",
    status_code=NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def unsave_note(
    collection_id: IdPath, note_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Take a note out of your collection; a note not in it is a no-op."""
    return await _done(
        container,
        collections.unsave_note,
        collection_id=collection_id,
        note_id=note_id,
        user_id=user.id,
    )


# --- reports -------------------------------------------------------------------------------

Reason = Annotated[
    str, text(moderation.MAX_REASON, required=True, refused=CONTROLS_BUT_LINE_BREAKS)
]


class ReportIn(Input):
    reason: Reason = Field(examples=["广告，和产品无关"])


@router.post(
    "/notes/{note_id}/reports",
    status_code=NO_CONTENT,
    responses=error_responses(400, 401, 404, 422),
)
async def report_note(
    note_id: IdPath, body: ReportIn, user: CurrentUser, container: ContainerDep
) -> Response:
    """Report a note you may see to the operators; reporting it again is a no-op."""
    await container.run(moderation.report, reporter_id=user.id, note_id=note_id, reason=body.reason)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/notes/{note_id}/comments/{comment_id}/reports",
    status_code=NO_CONTENT,
    responses=error_responses(400, 401, 404, 422),
)
async def report_comment(
    note_id: IdPath, comment_id: IdPath, body: ReportIn, user: CurrentUser, container: ContainerDep
) -> Response:
    """Report a comment you may see to the operators; reporting it again is a no-op."""
    await container.run(
        moderation.report,
        reporter_id=user.id,
        note_id=note_id,
        comment_id=comment_id,
        reason=body.reason,
    )
    return Response(status_code=NO_CONTENT)
