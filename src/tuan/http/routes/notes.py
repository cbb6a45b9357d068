"""Notes (种草) over HTTP: publish one, read it (signed out too, for a note to everyone),
delete it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.core.media import MAX_PHOTOS
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep, UserIfSignedIn
from tuan.http.errors import error_responses
from tuan.http.schemas import CONTROLS, Id, IdPath, Input, PhotoAlts, Photos, text
from tuan.http.throttle import UploadAllowed
from tuan.notes import domain, queries, service

router = APIRouter(prefix="/api/v1", tags=["notes"])

Tag = Annotated[
    str,
    Field(
        max_length=60,
        examples=["#露营"],
        description=(
            f"One word of 1 to {domain.MAX_TAG} characters, with or without a leading #; kept "
            "without the # and with Latin letters lower-cased (#Camping and camping are one tag)"
        ),
        json_schema_extra={"pattern": domain.TAG_PATTERN},
    ),
]

# Named here, not in the class: its field ``text`` would hide the ``text`` rule inside it.
Title = Annotated[str, text(domain.MAX_TITLE, required=True, refused=CONTROLS)]
NoteText = Annotated[str, text(domain.MAX_TEXT, required=False)]
Area = Annotated[str, text(domain.MAX_AREA, required=False, refused=CONTROLS)]


COLLABORATION = (
    "Disclose a paid collaboration with the shop of a linked product (else 422 "
    "NOTE_COLLABORATION_SHOP_NOT_LINKED): the note is labelled sponsored, for good"
)


class NoteIn(Input):
    title: Title = Field(examples=["每日坚果礼盒开箱"])
    text: NoteText = ""
    photos: Photos = Field(
        default_factory=list,
        description=f"Up to {MAX_PHOTOS} uploaded images' keys, in the order shown",
    )
    photo_alts: PhotoAlts = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list, max_length=domain.MAX_TAGS)
    product_ids: list[Id] = Field(
        default_factory=list,
        max_length=domain.MAX_PRODUCTS,
        description=(
            "Products on sale in the catalogue (an unknown one is a 404 PRODUCT_NOT_FOUND, one no "
            "longer sold a 410 PRODUCT_ARCHIVED); each is linked with the author's share"
        ),
    )
    audience: Literal["everyone", "friends", "groups", "me"] | None = Field(
        default=None,
        description=(
            "Who may see the note: everyone, the author's friends (now), members (now) of the "
            "groups in group_ids, or only the author. Left out: the author's default "
            "(GET /api/v1/me/note-settings; friends until they choose)"
        ),
    )
    group_ids: list[Id] = Field(
        default_factory=list,
        max_length=domain.MAX_GROUPS,
        description=(
            f"For audience groups: 1 to {domain.MAX_GROUPS} groups the author is a member of now "
            "(422 NOTE_GROUP_NOT_YOURS names one that is not); none for any other audience"
        ),
    )
    area: Area | None = Field(
        default=None, examples=["上海·徐汇"], description="A coarse area in words, never a position"
    )
    collaboration_shop_id: Id | None = Field(default=None, description=COLLABORATION)


class NotePhotoOut(BaseModel):
    key: str
    url: str
    alt: str = Field(description='What the author says the photo shows, or ""')


class LinkedProductOut(BaseModel):
    product_id: int
    name: str
    currency: str
    price: int = Field(description="The lowest price now, deals included (minor units)")
    image_url: str | None
    on_sale: bool
    share_id: int = Field(description="Check out with this share to buy from the note")
    verified_purchase: bool = Field(description="The author bought it (a paid order)")


class NoteOut(BaseModel):
    id: int
    author_id: int
    author_username: str
    author_display_name: str
    title: str
    text: str
    photos: list[NotePhotoOut]
    tags: list[str]
    area: str | None
    audience: str
    products: list[LinkedProductOut]
    created_at: datetime
    edited_at: datetime | None = Field(description="When the author last edited it, if ever")
    sponsored: bool = Field(
        description=(
            "Its author earns when others buy from it (a linked product's shop pays sharers, or "
            "is the author's own): set by the server, never removable"
        )
    )
    collaboration_shop_id: int | None = Field(
        description="The shop whose paid collaboration the author disclosed, if any"
    )
    group_ids: list[int] = Field(description="The chosen groups, to the author only; else []")
    likes: int = Field(description="How many people like it")
    saves: int = Field(description="How many people saved it into a collection")
    comments: int = Field(description="Its comments and replies, as long as they stand")
    helpful: int = Field(description="How many people say it helped them decide")
    liked: bool = Field(description="You like it (false signed out)")
    saved: bool = Field(description="It is in one of your collections")
    marked_helpful: bool = Field(description="You marked it helpful")
    status: str | None = Field(
        description='"hidden" when an operator hid it, said to its author only; else null'
    )
    hidden_reason: str | None = Field(
        description="Why an operator hid it, said to its author only; else null"
    )

    @classmethod
    def of(cls, view: queries.NoteView) -> NoteOut:
        return cls.model_validate(asdict(view))


@router.post(
    "/notes",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 410, 413, 422, 429),
)
async def publish_note(body: NoteIn, user: CurrentUser, container: ContainerDep) -> NoteOut:
    """Publish a note; each linked product is shared by its author outside any chat."""
    note_id = await container.run(
        service.publish_note,
        author_id=user.id,
        title=body.title,
        text=body.text,
        photos=body.photos,
        photo_alts=body.photo_alts,
        tags=body.tags,
        product_ids=body.product_ids,
        audience=body.audience,
        area=body.area,
        group_ids=body.group_ids,
        collaboration_shop_id=body.collaboration_shop_id,
    )
    async with container.db.read_sessions() as reader:
        return NoteOut.of(await queries.note_page(reader, note_id, user.id, container.clock.now()))


@router.get(
    "/notes/{note_id:int}",
    responses=error_responses(400, 401, 404, 422),
    # Signing in is optional here: {} is "no credentials", beside the bearer token.
    openapi_extra={"security": [{}]},
)
async def get_note(
    note_id: IdPath, user: UserIfSignedIn, reader: ReaderDep, container: ContainerDep
) -> NoteOut:
    """A note its reader may see (a note to everyone, signed out too); else 404 NOTE_NOT_FOUND."""
    viewer = None if user is None else user.id
    return NoteOut.of(await queries.note_page(reader, note_id, viewer, container.clock.now()))


@router.delete(
    "/notes/{note_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def delete_note(note_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
    """The author deletes their note; afterwards it is not found, by anyone."""
    await container.run(service.delete_note, note_id=note_id, actor_id=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class NoteImageOut(BaseModel):
    key: str = Field(description="Give it in a note's `photos`")
    url: str
    width: int
    height: int


@router.post(
    "/notes/images",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 413, 415, 422, 429),
    dependencies=[UploadAllowed],
)
async def upload_note_image(
    file: UploadFile, user: CurrentUser, container: ContainerDep
) -> NoteImageOut:
    """Upload a photo for a note (JPEG, PNG, WebP or GIF): checked, stripped of metadata and
    resized, as a chat photo is, so a person with no chat can write a note with photos."""
    stored = await container.images.store(
        "chat", file.file, max_side=2048, max_bytes=container.settings.max_upload_bytes
    )
    return NoteImageOut(
        key=stored.key, url=f"/media/{stored.key}", width=stored.width, height=stored.height
    )
