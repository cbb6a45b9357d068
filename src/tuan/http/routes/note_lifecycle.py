"""A note's life after publishing, over HTTP: the author's defaults, editing and its history,
forwarding into a chat as a card, and that card as each member of the chat sees it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, WithJsonSchema

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.routes.notes import COLLABORATION, Area, NoteOut, NoteText, Tag, Title
from tuan.http.schemas import MAX_ID, Id, IdPath, Input, PhotoAlts, Photos
from tuan.notes import domain, editing, forwards, queries, settings

router = APIRouter(prefix="/api/v1", tags=["notes"])

WRITE = error_responses(400, 401, 403, 404, 409, 410, 413, 422, 429)
READ = error_responses(400, 401, 403, 404, 422)


class NoteSettingsOut(BaseModel):
    default_audience: Literal["everyone", "friends", "me"] = Field(
        description=(
            "Who a new note is for when its author does not say: friends until they choose "
            "(private-leaning: nobody outside the people they chose as friends). Chosen groups "
            "are picked per note, so they are not a default"
        )
    )
    nudges: bool = Field(description="Whether the nudges that support sharing may reach me")


class NoteSettingsIn(Input):
    default_audience: Literal["everyone", "friends", "me"] | None = Field(
        default=None, description="Left out: unchanged"
    )
    nudges: bool | None = Field(default=None, description="Left out: unchanged")


@router.get("/me/note-settings", responses=error_responses(401))
async def get_note_settings(user: CurrentUser, reader: ReaderDep) -> NoteSettingsOut:
    """My note defaults: a new note goes to my friends, and nudges are on, until I change them."""
    return NoteSettingsOut.model_validate(asdict(await settings.note_settings(reader, user.id)))


@router.put("/me/note-settings", responses=error_responses(400, 401, 413, 422))
async def set_note_settings(
    body: NoteSettingsIn, user: CurrentUser, container: ContainerDep
) -> NoteSettingsOut:
    await container.run(
        settings.set_note_settings,
        user_id=user.id,
        default_audience=body.default_audience,
        nudges=body.nudges,
    )
    async with container.db.read_sessions() as fresh:
        return NoteSettingsOut.model_validate(asdict(await settings.note_settings(fresh, user.id)))


# Fields no edit may carry, stated so a client learns why: the schema admits no value (null
# neither), and the server refuses any with its own code.
ProductsFixed = Annotated[
    object,
    WithJsonSchema(
        {
            "not": {},
            "description": "Never accepted (422 NOTE_PRODUCTS_FIXED): the linked products are "
            "fixed at publishing, because orders placed through the note remember them",
        }
    ),
]
SponsoredFixed = Annotated[
    object,
    WithJsonSchema(
        {
            "not": {},
            "description": "Never accepted (422 NOTE_SPONSORED_LABEL_FIXED): the server sets the "
            "label while the author earns through the note, and nobody adds or removes it",
        }
    ),
]


class NoteEdit(Input):
    """What to change; a field left out (or null) stays as it is."""

    title: Title | None = None
    text: NoteText | None = None
    tags: list[Tag] | None = Field(default=None, max_length=domain.MAX_TAGS)
    photos: Photos | None = Field(
        default=None, description="The photos from now on; without photo_alts, undescribed"
    )
    photo_alts: PhotoAlts | None = None
    area: Area | None = Field(default=None, description='"" removes the area')
    audience: Literal["everyone", "friends", "groups", "me"] | None = None
    group_ids: list[Id] | None = Field(
        default=None,
        max_length=domain.MAX_GROUPS,
        description=(
            f"For audience groups: 1 to {domain.MAX_GROUPS} groups I am a member of now. Left "
            "out: the groups chosen before"
        ),
    )
    collaboration_shop_id: Id | None = Field(
        default=None,
        description=COLLABORATION + "; once disclosed, not changed (422 NOTE_COLLABORATION_FIXED)",
    )
    product_ids: ProductsFixed = None
    sponsored: SponsoredFixed = None


@router.patch("/notes/{note_id:int}", responses=WRITE)
async def edit_note(
    note_id: IdPath, body: NoteEdit, user: CurrentUser, container: ContainerDep
) -> NoteOut:
    """The author edits their note; readers see that it was edited, and when. Someone who may
    see the note but did not write it gets 403; anyone else 404 NOTE_NOT_FOUND."""
    await container.run(
        editing.edit_note,
        note_id=note_id,
        actor_id=user.id,
        title=body.title,
        text=body.text,
        tags=body.tags,
        photos=body.photos,
        photo_alts=body.photo_alts,
        area=body.area,
        audience=body.audience,
        group_ids=body.group_ids,
        collaboration_shop_id=body.collaboration_shop_id,
        fixed=sorted({"sponsored", "product_ids"} & body.model_fields_set),
    )
    async with container.db.read_sessions() as reader:
        return NoteOut.of(await queries.note_page(reader, note_id, user.id, container.clock.now()))


class RevisionOut(BaseModel):
    title: str
    text: str
    tags: list[str]
    replaced_at: datetime = Field(description="When an edit replaced this version")


@router.get("/notes/{note_id}/revisions", responses=READ)
async def note_revisions(
    note_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[RevisionOut]:
    """The note's earlier versions, newest first: for its author only (403 for another reader,
    404 NOTE_NOT_FOUND for anyone who may not see the note)."""
    found = await editing.revisions(reader, note_id, user.id)
    return [RevisionOut.model_validate(asdict(r)) for r in found]


class NoteForwardIn(Input):
    conversation_id: int = Field(ge=1, le=MAX_ID, description="A chat I am a member of")
    text: str = Field(default="", max_length=4000, description="My words with the card")


class NoteForwardOut(BaseModel):
    forward_id: int = Field(description="Read the card with GET /api/v1/note-cards/{forward_id}")
    conversation_id: int
    message_seq: int
    share_id: int | None = Field(
        description="My share of the note's first product into the chat (its parent is the "
        "author's share), or null when the note links nothing on sale"
    )


@router.post("/notes/{note_id}/forwards", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def forward_note(
    note_id: IdPath, body: NoteForwardIn, user: CurrentUser, container: ContainerDep
) -> NoteForwardOut:
    """Forward a note I may see into a chat I am in, as a `note_card` message. Its payload holds
    only `note_id` and `forward_id`; each member reads the card through GET
    /api/v1/note-cards/{forward_id}, which shows the note only to those its audience includes."""
    done = await container.run(
        forwards.forward_note,
        note_id=note_id,
        forwarder_id=user.id,
        conversation_id=body.conversation_id,
        words=body.text,
    )
    return NoteForwardOut.model_validate(asdict(done))


class NoteCardOut(BaseModel):
    forward_id: int
    note_id: int
    conversation_id: int
    forwarder_id: int
    state: Literal["shown", "unseen", "deleted"] = Field(
        description=(
            'shown: the note is here; unseen: "a note you cannot see" (its audience does not '
            "include you; nothing of it is told); deleted: its author deleted it"
        )
    )
    note: NoteOut | None
    share_id: int | None = Field(
        description="Buy the note's first product with this share to credit the forwarder; "
        "only when shown"
    )


@router.get("/note-cards/{forward_id}", responses=READ)
async def note_card(
    forward_id: IdPath, user: CurrentUser, reader: ReaderDep, container: ContainerDep
) -> NoteCardOut:
    """A forwarded note as I see it in a chat I am in; 404 NOTE_CARD_NOT_FOUND otherwise."""
    card = await forwards.note_card(reader, forward_id, user.id, container.clock.now())
    note = NoteOut.of(card.note) if card.note is not None else None
    return NoteCardOut.model_validate({**asdict(card), "note": note})
