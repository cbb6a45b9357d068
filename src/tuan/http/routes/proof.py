"""Social proof for an item and recommenders' reputation, through each person's privacy."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from tuan.core.phrases import Phrase
from tuan.http.deps import CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import IdPath
from tuan.proof import queries
from tuan.proof.queries import SocialProof
from tuan.web.phrases import say

router = APIRouter(prefix="/api/v1", tags=["social proof"])


class ReputationOut(BaseModel):
    category: str
    shares: int
    purchases: int
    rated: int
    rated_good: int
    score: float
    phrase: Phrase = Field(description="What the record says, as a catalogue code and parameters")
    explanation: str = Field(
        description="The phrase in the language asked for",
        examples=["4 of 5 of Mei's recommendations in Beauty & personal care were rated good"],
    )


@router.get("/products/{product_id}/social-proof", responses=error_responses(400, 401, 404, 422))
async def social_proof(product_id: IdPath, user: CurrentUser, reader: ReaderDep) -> SocialProof:
    """Friends who bought it, friends' reviews, my groups that bought it, each group's rating —
    only what each person lets me see."""
    return await queries.social_proof(reader, product_id, user.id)


@router.get("/users/{user_id}/reputation", responses=error_responses(400, 401, 422))
async def reputation(
    user_id: IdPath,
    user: CurrentUser,
    reader: ReaderDep,
    lang: Annotated[Literal["en", "zh-CN"], Query(description="Language of explanations")] = "en",
) -> list[ReputationOut]:
    """A recommender's record per category, explained ("4 of 5 … were rated good")."""
    return [
        ReputationOut(
            category=line.category,
            shares=line.shares,
            purchases=line.purchases,
            rated=line.rated,
            rated_good=line.rated_good,
            score=line.score,
            phrase=line.explanation,
            explanation=say(lang, line.explanation),
        )
        for line in await queries.reputation_for(reader, user_id, user.id)
    ]
