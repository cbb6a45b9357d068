"""Discover (notes ranked by what people one trusts did with them) and what a person is
shown to know (expertise), over HTTP (ADR 0013)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from tuan.accounts.queries import user_exists
from tuan.core.phrases import Phrase
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep, UserIfSignedIn
from tuan.http.errors import error_responses
from tuan.http.schemas import IdPath
from tuan.notes import discover, experts
from tuan.notes.expertise import Expertise
from tuan.social.errors import PersonNotFound
from tuan.web.i18n import Translator
from tuan.web.phrases import say, say_all

router = APIRouter(prefix="/api/v1", tags=["notes"])

Lang = Annotated[Literal["en", "zh-CN"], Query(description="Language of the words")]


class DiscoverItemOut(BaseModel):
    note_id: int
    author_id: int
    author_username: str
    author_display_name: str
    title: str
    cover_url: str | None = Field(description="The first photo, if any")
    cover_alt: str = Field(description='What the first photo shows, or ""')
    tags: list[str]
    created_at: datetime
    score: float = Field(description="The note's score for the reader (signed out: its heat)")
    first_audience: bool = Field(
        description="A new note placed 4th or 9th so that it is seen at all"
    )
    reasons: list[Phrase]
    explanation: str = Field(description='The reasons in words, e.g. "3 位好友收藏了"')


class DiscoverOut(BaseModel):
    items: list[DiscoverItemOut]


@router.get(
    "/notes/discover",
    responses=error_responses(400, 401, 422),
    # Signing in is optional here: {} is "no credentials", beside the bearer token.
    openapi_extra={"security": [{}]},
)
async def discover_notes(
    user: UserIfSignedIn,
    reader: ReaderDep,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    lang: Lang = "en",
) -> DiscoverOut:
    """Notes I may see, ranked by what the people I trust did with them, each with the reasons
    I may be told; signed out, notes to everyone by their engagement."""
    viewer = None if user is None else user.id
    shown = await discover.discover(reader, viewer, container.clock.now(), limit)
    if shown:
        await container.run(discover.record_impressions, note_ids=[s.note_id for s in shown])
    return DiscoverOut(
        items=[
            DiscoverItemOut(
                note_id=s.note_id,
                author_id=s.author_id,
                author_username=s.author_username,
                author_display_name=s.author_display_name,
                title=s.title,
                cover_url=s.cover_url,
                cover_alt=s.cover_alt,
                tags=s.tags,
                created_at=s.created_at,
                score=s.score,
                first_audience=s.first_audience,
                reasons=list(s.reasons),
                explanation=say_all(lang, s.reasons),
            )
            for s in shown
        ]
    )


class ExpertiseOut(BaseModel):
    category: str = Field(description="A catalogue category's slug")
    score: float = Field(description="X(p, c) as the reader may see it (shown from 10)")
    purchases: int = Field(description="Verified purchases by the person in the category")
    buyers: int = Field(description="People who bought through their notes")
    savers: int = Field(description="People who saved their notes")
    helped: int = Field(description="People who marked one of their notes helpful")
    phrases: list[Phrase]
    words: str = Field(description='e.g. "懂母婴：12 次真实购买，40 人收藏过TA的笔记"')

    @classmethod
    def said(cls, found: Expertise, lang: str) -> ExpertiseOut:
        knows, *figures = found.phrases
        words = Translator(lang)(
            "expertise.words",
            knows=say(lang, knows),
            figures=Translator(lang)("expertise.separator").join(say(lang, f) for f in figures),
        )
        return cls(
            category=found.category,
            score=found.score,
            purchases=found.purchases,
            buyers=found.buyers,
            savers=found.savers,
            helped=found.helped,
            phrases=list(found.phrases),
            words=words,
        )


class ExpertiseListOut(BaseModel):
    categories: list[ExpertiseOut]


@router.get("/people/{user_id}/expertise", responses=error_responses(400, 401, 404, 422))
async def expertise(
    user_id: IdPath,
    user: CurrentUser,
    reader: ReaderDep,
    container: ContainerDep,
    lang: Lang = "en",
) -> ExpertiseListOut:
    """The categories a person is shown to know, in words, from what I may see: their notes I
    may see, and purchases only where the buyer lets me see them."""
    if not await user_exists(reader, user_id):
        raise PersonNotFound()
    found = await experts.expertise_of(reader, user_id, user.id, container.clock.now())
    return ExpertiseListOut(categories=[ExpertiseOut.said(f, lang) for f in found])
