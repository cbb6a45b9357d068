"""Comments on notes over HTTP: write one (or a reply), delete your own, read a note's thread.
All only on notes the caller may see: 404 NOTE_NOT_FOUND otherwise."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep, UserIfSignedIn
from tuan.http.errors import error_responses
from tuan.http.schemas import CONTROLS_BUT_LINE_BREAKS, MAX_ID, Id, IdPath, Input, text
from tuan.notes import comments, comments_queries

router = APIRouter(prefix="/api/v1", tags=["notes"])

CommentText = Annotated[
    str, text(comments.MAX_COMMENT, required=True, refused=CONTROLS_BUT_LINE_BREAKS)
]


class CommentIn(Input):
    text: CommentText = Field(
        examples=["@amy 这个礼盒保质期多久？"],
        description="1 to 1000 characters; @username tells that person, if they may see the note",
    )
    parent_id: Id | None = Field(
        default=None,
        description=(
            "Reply to this comment of the note; a reply to a reply joins its top-level comment's "
            "thread (the person replied to is still told)"
        ),
    )


class CommentOut(BaseModel):
    id: int
    parent_id: int | None
    status: str = Field(
        description=(
            "live; hidden (your own, hidden by an operator: see hidden_reason); or a tombstone "
            "kept for its replies: deleted (by its author) or removed"
        )
    )
    author_id: int | None
    author_username: str | None
    author_display_name: str | None
    text: str
    mentions: list[int] = Field(description="The people named with @, by id")
    hidden_reason: str | None
    created_at: datetime
    replies: list[CommentOut] = Field(description="Replies, oldest first")


class CommentPageOut(BaseModel):
    comments: list[CommentOut]
    next_after: int | None = Field(description="Give as `after` for the next page; null at the end")


@router.post(
    "/notes/{note_id}/comments",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 422),
)
async def add_comment(
    note_id: IdPath, body: CommentIn, user: CurrentUser, container: ContainerDep
) -> CommentOut:
    """Comment on a note you may see, or reply to one of its comments."""
    comment_id = await container.run(
        comments.add_comment,
        note_id=note_id,
        author_id=user.id,
        text=body.text,
        parent_id=body.parent_id,
    )
    async with container.db.read_sessions() as reader:
        written = await comments_queries.comment_view(reader, comment_id, user.id)
    return CommentOut.model_validate(asdict(written))


@router.get(
    "/notes/{note_id}/comments",
    responses=error_responses(400, 401, 404, 422),
    openapi_extra={"security": [{}]},
)
async def note_comments(
    note_id: IdPath,
    user: UserIfSignedIn,
    reader: ReaderDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_ID, description="The last top-level comment id seen")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=100, description="Top-level comments a page")] = 20,
) -> CommentPageOut:
    """A note's comments, oldest first, each with its replies."""
    viewer = None if user is None else user.id
    page = await comments_queries.note_comments(reader, note_id, viewer, after=after, limit=limit)
    return CommentPageOut.model_validate(asdict(page))


@router.delete(
    "/notes/{note_id}/comments/{comment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def delete_comment(
    note_id: IdPath, comment_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Delete your comment; with replies it stays in the thread as "deleted"."""
    await container.run(
        comments.delete_comment, note_id=note_id, comment_id=comment_id, user_id=user.id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
