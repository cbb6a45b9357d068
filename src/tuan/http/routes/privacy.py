"""My privacy settings: one control per kind of behaviour, private by default."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import Id, Input
from tuan.privacy import queries, service
from tuan.privacy.domain import Audience, Kind

router = APIRouter(prefix="/api/v1", tags=["privacy"])


class AudienceOut(BaseModel):
    audience: Audience = Field(description="nobody (default), friends, groups, shared_groups")
    group_ids: list[int] = Field(description="The chosen groups when the audience is 'groups'")


class PrivacyOut(BaseModel):
    purchases: AudienceOut
    ratings: AudienceOut


class AudienceIn(Input):
    audience: Audience
    group_ids: list[Id] = Field(default_factory=list, max_length=50)


async def _settings(reader: ReaderDep, user_id: int) -> PrivacyOut:
    found = await queries.settings_of(reader, user_id)
    return PrivacyOut(
        **{
            kind: AudienceOut(audience=aud, group_ids=groups)
            for kind, (aud, groups) in found.items()
        }
    )


@router.get("/me/privacy", responses=error_responses(401))
async def get_privacy(user: CurrentUser, reader: ReaderDep) -> PrivacyOut:
    """Who may see my purchases and my ratings. Everything starts as 'nobody'."""
    return await _settings(reader, user.id)


@router.put("/me/privacy/{kind}", responses=error_responses(400, 401, 413, 422))
async def set_privacy(
    kind: Kind, body: AudienceIn, user: CurrentUser, container: ContainerDep
) -> PrivacyOut:
    await container.run(
        service.set_audience,
        user_id=user.id,
        kind=kind,
        audience=body.audience,
        group_ids=body.group_ids,
    )
    async with container.db.read_sessions() as fresh:
        return await _settings(fresh, user.id)
