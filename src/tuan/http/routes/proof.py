"""Social proof for an item and recommenders' reputation, through each person's privacy."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tuan.http.deps import CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.routes.reviews import RatingOut
from tuan.http.schemas import IdPath
from tuan.proof import queries

router = APIRouter(prefix="/api/v1", tags=["social proof"])


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    display_name: str


class FriendReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    author: PersonOut
    stars: int
    text: str


class GroupPurchasesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    group_id: int
    name: str
    member_count: int
    buyers: int = Field(description="Members whose purchase you may see")


class GroupRatingLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    group_id: int
    name: str
    rating: RatingOut


class SocialProofOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    product_id: int
    friends_who_bought: list[PersonOut]
    friends_reviews: list[FriendReviewOut]
    groups_that_bought: list[GroupPurchasesOut]
    group_ratings: list[GroupRatingLineOut]


class ReputationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    category: str
    shares: int
    purchases: int
    rated: int
    rated_good: int
    score: float
    explanation: str


@router.get("/products/{product_id}/social-proof", responses=error_responses(400, 401, 404, 422))
async def social_proof(product_id: IdPath, user: CurrentUser, reader: ReaderDep) -> SocialProofOut:
    """Friends who bought it, friends' reviews, my groups that bought it, each group's rating —
    only what each person lets me see."""
    return SocialProofOut.model_validate(await queries.social_proof(reader, product_id, user.id))


@router.get("/users/{user_id}/reputation", responses=error_responses(400, 401, 422))
async def reputation(user_id: IdPath, user: CurrentUser, reader: ReaderDep) -> list[ReputationOut]:
    """A recommender's record per category, explained ("4 of 5 … were rated good")."""
    lines = await queries.reputation_for(reader, user_id, user.id)
    return [ReputationOut.model_validate(line) for line in lines]
