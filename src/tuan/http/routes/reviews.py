"""Purchase reports, reviews and ratings over HTTP.

Ratings count only reviews whose authors let the caller see their ratings.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, IdPath, Input, PhotoAlts, Photos
from tuan.reviews import queries, service
from tuan.reviews.domain import Rating
from tuan.reviews.queries import GroupRating, PostedReport, PostedReview, ReviewView
from tuan.reviews.service import Reported, Reviewed

router = APIRouter(prefix="/api/v1", tags=["reviews"])

WRITE = error_responses(400, 401, 403, 404, 409, 413, 422)


class BoughtIn(Input):
    text: str = Field(
        default="", max_length=4000, description="Your words (the card says you bought it)"
    )


class ReviewIn(Input):
    stars: int = Field(ge=1, le=5)
    text: str = Field(default="", max_length=4000)
    photos: Photos = Field(default_factory=list)
    photo_alts: PhotoAlts = Field(default_factory=list)
    product_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Needed when the order has several items"
    )
    post_to_chat: bool = Field(
        default=True, description="Post the review card where the share came from"
    )


class TrustedRatingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    average: float | None = Field(description="Each review weighted by your trust in its author")
    count: int
    weight: float


class RatingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    product_id: int
    overall: Rating
    friends: Rating
    group: GroupRating | None
    trusted: TrustedRatingOut
    reviews: list[ReviewView] = Field(description="Negative reviews from people you trust first")


@router.post("/orders/{order_id}/bought-it", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def bought_it(
    order_id: IdPath, user: CurrentUser, container: ContainerDep, body: BoughtIn | None = None
) -> Reported:
    """Tell the conversation the share came from that you bought it: a new message from you,
    with your words, mentioning the sharer. ``posted`` says what it says and where."""
    return await container.run(
        service.report_bought, order_id=order_id, buyer_id=user.id, text=body.text if body else ""
    )


@router.post("/orders/{order_id}/reviews", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def review(
    order_id: IdPath, body: ReviewIn, user: CurrentUser, container: ContainerDep
) -> Reviewed:
    """Review an item of a delivered order (buyers only): a verified-purchase review."""
    return await container.run(
        service.write_review,
        order_id=order_id,
        author_id=user.id,
        stars=body.stars,
        text=body.text,
        photos=body.photos,
        photo_alts=body.photo_alts,
        product_id=body.product_id,
        post_to_chat=body.post_to_chat,
    )


class OrderReportsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    bought_it_conversation_id: int | None = Field(
        description='Where "bought it" was posted; null if not yet'
    )
    bought_it: PostedReport | None = Field(
        description='What "bought it" said and where (the chat\'s name); null if not yet'
    )
    reviews: list[PostedReview]
    allowed_actions: list[str] = Field(
        description="What you may do next: report_bought, review, review_in_chat"
    )
    products_to_review: list[int] = Field(description="Items of the order not reviewed yet")


@router.get("/orders/{order_id}/my-reports", responses=error_responses(400, 401, 404, 422))
async def my_reports(order_id: IdPath, user: CurrentUser, reader: ReaderDep) -> OrderReportsOut:
    """What I already said about my order: "bought it" and my reviews (the buyer only)."""
    return OrderReportsOut.model_validate(await queries.my_reports(reader, order_id, user.id))


@router.get("/products/{product_id}/ratings", responses=error_responses(400, 401, 404, 422))
async def product_ratings(
    product_id: IdPath,
    user: CurrentUser,
    container: ContainerDep,
    group_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> RatingsOut:
    """Overall, among my friends, within one of my groups, and trust-weighted."""
    async with container.db.read_sessions() as reader:
        view = await queries.ratings(
            reader, product_id, user.id, container.clock.now(), group_id=group_id
        )
    return RatingsOut.model_validate(view)
