"""Groups over HTTP: create, settings, members and roles, invite links, join requests,
introductions and sub-groups. A non-member sees nothing of a group (404)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.groups import queries, service
from tuan.groups.errors import GroupNotFound, NotAllowedInGroup
from tuan.groups.models import Group, InviteLink, JoinRequest
from tuan.groups.service import GroupSettings, check_link
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import Id, IdPath, Input

router = APIRouter(prefix="/api/v1", tags=["groups"])

READ = error_responses(401, 404, 422)
WRITE = error_responses(400, 401, 403, 404, 409, 410, 413, 422)
Policy = Literal["open", "approval", "introduced", "verified"]


class GroupIn(Input):
    name: str = Field(min_length=1, max_length=80, examples=["五年级二班家长群"])
    description: str = Field(default="", max_length=2000)
    join_policy: Policy = "approval"
    join_question: str | None = Field(default=None, max_length=200)
    member_cap: int | None = Field(default=None, ge=2, le=100_000)
    subgroups_by: Literal["admins", "members"] = "admins"


class GroupPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=2000)
    join_policy: Policy | None = None
    join_question: str | None = Field(default=None, max_length=200)
    member_cap: int | None = Field(default=None, ge=2, le=100_000)
    subgroups_by: Literal["admins", "members"] | None = None


class GroupOut(BaseModel):
    id: int
    name: str
    description: str
    avatar_url: str | None
    parent_id: int | None
    join_policy: str
    join_question: str | None
    member_cap: int
    member_count: int
    subgroups_by: str
    owner_id: int
    dissolved: bool
    my_role: str | None


class SubgroupOut(BaseModel):
    id: int
    name: str
    description: str
    join_policy: str
    join_question: str | None
    member_count: int
    member_cap: int
    is_member: bool


class LinkIn(Input):
    expires_in_hours: float | None = Field(default=None, gt=0, le=24 * 365)
    max_uses: int | None = Field(default=None, ge=1, le=100_000)


class LinkOut(BaseModel):
    id: int
    code: str
    created_by: int
    created_at: datetime
    expires_at: datetime | None
    max_uses: int | None
    uses: int
    revoked: bool


class InvitePreview(BaseModel):
    group_id: int
    name: str
    description: str
    member_count: int
    join_policy: str
    join_question: str | None


class JoinIn(Input):
    answer: str = Field(default="", max_length=500)


class JoinOut(BaseModel):
    status: Literal["joined", "requested"]
    group_id: int
    request_id: int | None


class RequestOut(BaseModel):
    id: int
    group_id: int
    user_id: int
    answer: str
    introduced_by: int | None
    status: str
    created_at: datetime


class IntroduceIn(Input):
    user_id: Id


class RoleIn(Input):
    role: Literal["admin", "member"]


class TransferIn(Input):
    user_id: Id


class IdOut(BaseModel):
    id: int


def group_out(group: Group, my_role: str | None) -> GroupOut:
    return GroupOut(
        id=group.id,
        name=group.name,
        description=group.description,
        avatar_url=f"/media/{group.avatar_key}" if group.avatar_key else None,
        parent_id=group.parent_id,
        join_policy=group.join_policy,
        join_question=group.join_question,
        member_cap=group.member_cap,
        member_count=group.member_count,
        subgroups_by=group.subgroups_by,
        owner_id=group.owner_id,
        dissolved=group.dissolved_at is not None,
        my_role=my_role,
    )


def link_out(link: InviteLink) -> LinkOut:
    return LinkOut(
        id=link.id,
        code=link.code,
        created_by=link.created_by,
        created_at=link.created_at,
        expires_at=link.expires_at,
        max_uses=link.max_uses,
        uses=link.uses,
        revoked=link.revoked_at is not None,
    )


def request_out(request: JoinRequest) -> RequestOut:
    return RequestOut(
        id=request.id,
        group_id=request.group_id,
        user_id=request.user_id,
        answer=request.answer,
        introduced_by=request.introduced_by,
        status=request.status,
        created_at=request.created_at,
    )


async def _visible(reader: ReaderDep, group_id: int, user_id: int) -> tuple[Group, str]:
    found = await queries.visible_group(reader, group_id, user_id)
    if found is None:
        raise GroupNotFound()
    return found[0], found[1].role


@router.post("/groups", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def create_group(body: GroupIn, user: CurrentUser, container: ContainerDep) -> IdOut:
    """Create a group; you are its owner. Its chat is the conversation with the same id."""
    group_id = await service.create_group(
        container.uow(),
        owner_id=user.id,
        settings=GroupSettings(**body.model_dump()),
        deployment_cap=container.settings.group_member_cap,
    )
    return IdOut(id=group_id)


@router.get("/groups/{group_id}", responses=READ)
async def get_group(group_id: IdPath, user: CurrentUser, reader: ReaderDep) -> GroupOut:
    group, role = await _visible(reader, group_id, user.id)
    return group_out(group, role)


@router.patch(
    "/groups/{group_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def update_group(
    group_id: IdPath, body: GroupPatch, user: CurrentUser, container: ContainerDep
) -> Response:
    """Change settings (owner and admins)."""
    await service.update_group(
        container.uow(),
        group_id=group_id,
        user_id=user.id,
        deployment_cap=container.settings.group_member_cap,
        **body.model_dump(exclude_unset=True),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/groups/{group_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def dissolve_group(group_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
    """Dissolve (owner only): history stays readable, nothing new is posted or joined."""
    await service.dissolve(container.uow(), group_id=group_id, by=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/groups/{group_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def remove_member(
    group_id: IdPath, user_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Leave (your own id) or remove a member (admins; only the owner removes admins)."""
    if user_id == user.id:
        await service.leave(container.uow(), group_id=group_id, user_id=user.id)
    else:
        await service.remove(container.uow(), group_id=group_id, user_id=user_id, by=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/groups/{group_id}/members/{user_id}/role",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def set_role(
    group_id: IdPath, user_id: IdPath, body: RoleIn, user: CurrentUser, container: ContainerDep
) -> Response:
    """Appoint or dismiss an admin (owner only)."""
    await service.set_role(
        container.uow(), group_id=group_id, user_id=user_id, role=body.role, by=user.id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/groups/{group_id}/owner",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def transfer_ownership(
    group_id: IdPath, body: TransferIn, user: CurrentUser, container: ContainerDep
) -> Response:
    await service.transfer_ownership(
        container.uow(), group_id=group_id, to_user_id=body.user_id, by=user.id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/groups/{group_id}/invite-links", status_code=201, responses=WRITE)
async def create_link(
    group_id: IdPath, body: LinkIn, user: CurrentUser, container: ContainerDep
) -> LinkOut:
    """An invite link (admins), optionally expiring and with a maximum number of uses."""
    link = await service.create_invite_link(
        container.uow(),
        group_id=group_id,
        by=user.id,
        expires_in=timedelta(hours=body.expires_in_hours) if body.expires_in_hours else None,
        max_uses=body.max_uses,
    )
    return link_out(link)


@router.get("/groups/{group_id}/invite-links", responses=READ | error_responses(403))
async def list_links(group_id: IdPath, user: CurrentUser, reader: ReaderDep) -> list[LinkOut]:
    _, role = await _visible(reader, group_id, user.id)
    if role not in service.ADMINS:
        raise NotAllowedInGroup("Only the group's owner and admins see its invite links.")
    return [link_out(link) for link in await queries.invite_links(reader, group_id)]


@router.delete(
    "/groups/{group_id}/invite-links/{link_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def revoke_link(
    group_id: IdPath, link_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    await service.revoke_invite_link(
        container.uow(), group_id=group_id, link_id=link_id, by=user.id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/invites/{code}", responses=error_responses(401, 404, 410, 422))
async def preview_invite(
    code: str, _user: CurrentUser, reader: ReaderDep, container: ContainerDep
) -> InvitePreview:
    """What a link leads to, for whoever holds it."""
    link = check_link(await queries.link_by_code(reader, code), container.clock.now())
    group = await reader.get(Group, link.group_id)
    if group is None or group.dissolved_at is not None:
        raise GroupNotFound()
    return InvitePreview(
        group_id=group.id,
        name=group.name,
        description=group.description,
        member_count=group.member_count,
        join_policy=group.join_policy,
        join_question=group.join_question,
    )


@router.post("/invites/{code}/join", responses=WRITE)
async def join_by_link(
    code: str, body: JoinIn, user: CurrentUser, container: ContainerDep
) -> JoinOut:
    """Join (open and verified groups) or ask to join (approval groups) through a link."""
    outcome = await service.join_by_link(
        container.uow(), code=code, user_id=user.id, answer=body.answer
    )
    return JoinOut(status=outcome.status, group_id=outcome.group_id, request_id=outcome.request_id)


@router.get("/groups/{group_id}/join-requests", responses=READ | error_responses(403))
async def list_requests(group_id: IdPath, user: CurrentUser, reader: ReaderDep) -> list[RequestOut]:
    """The queue of people waiting for an admin (admins only)."""
    _, role = await _visible(reader, group_id, user.id)
    if role not in service.ADMINS:
        raise NotAllowedInGroup("Only the group's owner and admins see join requests.")
    return [request_out(r) for r in await queries.join_requests(reader, group_id, "pending")]


@router.post("/groups/{group_id}/join-requests", responses=WRITE)
async def request_to_join(
    group_id: IdPath, body: JoinIn, user: CurrentUser, container: ContainerDep
) -> JoinOut:
    """Members of a parent group join (or ask to join) one of its sub-groups."""
    outcome = await service.request_to_join(
        container.uow(), group_id=group_id, user_id=user.id, answer=body.answer
    )
    return JoinOut(status=outcome.status, group_id=outcome.group_id, request_id=outcome.request_id)


@router.post(
    "/groups/{group_id}/join-requests/{request_id}/{decision}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def decide_request(
    group_id: IdPath,
    request_id: IdPath,
    decision: Literal["approve", "decline"],
    user: CurrentUser,
    container: ContainerDep,
) -> Response:
    await service.decide_request(
        container.uow(),
        group_id=group_id,
        request_id=request_id,
        by=user.id,
        approve=decision == "approve",
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/me/join-requests/{request_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def cancel_request(
    request_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    await service.cancel_request(container.uow(), request_id=request_id, user_id=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/groups/{group_id}/introductions", status_code=201, responses=WRITE)
async def introduce(
    group_id: IdPath, body: IntroduceIn, user: CurrentUser, container: ContainerDep
) -> IdOut:
    """Vouch for someone: they are invited and join when they accept."""
    request_id = await service.introduce(
        container.uow(), group_id=group_id, by=user.id, user_id=body.user_id
    )
    return IdOut(id=request_id)


@router.get("/me/group-invitations", responses=error_responses(401))
async def my_invitations(user: CurrentUser, reader: ReaderDep) -> list[RequestOut]:
    return [request_out(r) for r in await queries.my_invitations(reader, user.id)]


@router.post("/me/group-invitations/{request_id}/{answer}", responses=WRITE)
async def answer_invitation(
    request_id: IdPath,
    answer: Literal["accept", "decline"],
    user: CurrentUser,
    container: ContainerDep,
) -> JoinOut:
    outcome = await service.answer_introduction(
        container.uow(), request_id=request_id, user_id=user.id, accept=answer == "accept"
    )
    return JoinOut(status=outcome.status, group_id=outcome.group_id, request_id=outcome.request_id)


@router.post("/groups/{group_id}/subgroups", status_code=201, responses=WRITE)
async def create_subgroup(
    group_id: IdPath, body: GroupIn, user: CurrentUser, container: ContainerDep
) -> IdOut:
    """Spin a sub-group off this group; its members can discover and join it."""
    subgroup_id = await service.create_group(
        container.uow(),
        owner_id=user.id,
        settings=GroupSettings(**body.model_dump()),
        deployment_cap=container.settings.group_member_cap,
        parent_id=group_id,
    )
    return IdOut(id=subgroup_id)


@router.get("/groups/{group_id}/subgroups", responses=READ)
async def list_subgroups(
    group_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[SubgroupOut]:
    """Sub-groups of a group I am in."""
    await _visible(reader, group_id, user.id)
    subgroups = await queries.subgroups(reader, group_id)
    mine = await queries.my_membership_ids(reader, user.id, [g.id for g in subgroups])
    return [
        SubgroupOut(
            id=g.id,
            name=g.name,
            description=g.description,
            join_policy=g.join_policy,
            join_question=g.join_question,
            member_count=g.member_count,
            member_cap=g.member_cap,
            is_member=g.id in mine,
        )
        for g in subgroups
    ]
