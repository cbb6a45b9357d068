"""Groups over HTTP: create, settings, members and roles, invite links, join requests,
introductions and sub-groups. A non-member sees nothing of a group (404)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.groups import invites, join_requests, membership, queries, service
from tuan.groups.domain import JoinOutcome
from tuan.groups.queries import (
    GroupMember,
    GroupView,
    InviteLinkView,
    InvitePreview,
    JoinRequestView,
    SubgroupView,
)
from tuan.groups.service import GroupSettings
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.openapi import setting_maximum
from tuan.http.schemas import Id, IdPath, Input, text

router = APIRouter(prefix="/api/v1", tags=["groups"])

READ = error_responses(401, 404, 422)
WRITE = error_responses(400, 401, 403, 404, 409, 410, 413, 422)
Policy = Literal["open", "approval", "introduced", "verified"]
GroupName = Annotated[str, text(80, required=True, min_length=1, examples=["五年级二班家长群"])]
# The schema shows the deployment's cap (TUAN_GROUP_MEMBER_CAP) as the maximum; the groups
# domain refuses more than it.
MemberCap = Annotated[
    int,
    Field(
        ge=2,
        le=100_000,
        description="Most members the group may have, up to the deployment's cap",
        json_schema_extra=setting_maximum("group_member_cap"),
    ),
]


class GroupIn(Input):
    name: GroupName
    description: str = Field(default="", max_length=2000)
    join_policy: Policy = "approval"
    join_question: str | None = Field(default=None, max_length=200)
    member_cap: MemberCap | None = None
    subgroups_by: Literal["admins", "members"] = "admins"


class GroupPatch(Input):
    name: GroupName | None = None
    description: str | None = Field(default=None, max_length=2000)
    join_policy: Policy | None = None
    join_question: str | None = Field(default=None, max_length=200)
    member_cap: MemberCap | None = None
    subgroups_by: Literal["admins", "members"] | None = None


class LinkIn(Input):
    expires_in_hours: float | None = Field(default=None, gt=0, le=24 * 365)
    max_uses: int | None = Field(default=None, ge=1, le=100_000)


class JoinIn(Input):
    answer: str = Field(default="", max_length=500)


class IntroduceIn(Input):
    user_id: Id


class RoleIn(Input):
    role: Literal["admin", "member"]


class TransferIn(Input):
    user_id: Id


class IdOut(BaseModel):
    id: int


def _done() -> Response:
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/groups", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def create_group(body: GroupIn, user: CurrentUser, container: ContainerDep) -> IdOut:
    """Create a group; you are its owner. Its chat is the conversation with the same id."""
    group_id = await container.run(
        service.create_group,
        owner_id=user.id,
        settings=GroupSettings(**body.model_dump()),
        deployment_cap=container.settings.group_member_cap,
    )
    return IdOut(id=group_id)


@router.get("/groups/{group_id}", responses=READ)
async def get_group(group_id: IdPath, user: CurrentUser, reader: ReaderDep) -> GroupView:
    """The group as you see it, with what you may do in it (``allowed_actions``)."""
    return await queries.group_for(reader, group_id, user.id)


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
    await container.run(
        service.update_group,
        group_id=group_id,
        user_id=user.id,
        deployment_cap=container.settings.group_member_cap,
        **body.model_dump(exclude_unset=True),
    )
    return _done()


@router.delete(
    "/groups/{group_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def dissolve_group(group_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
    """Dissolve (owner only): history stays readable, nothing new is posted or joined."""
    await container.run(service.dissolve, group_id=group_id, by=user.id)
    return _done()


@router.get("/groups/{group_id}/members", responses=READ)
async def list_members(group_id: IdPath, user: CurrentUser, reader: ReaderDep) -> list[GroupMember]:
    """The members, each with what you may do to them (``allowed_actions``: remove,
    make_admin, make_member, transfer_ownership)."""
    return await queries.members(reader, group_id, user.id)


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
        await container.run(membership.leave, group_id=group_id, user_id=user.id)
    else:
        await container.run(membership.remove, group_id=group_id, user_id=user_id, by=user.id)
    return _done()


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
    await container.run(
        membership.set_role, group_id=group_id, user_id=user_id, role=body.role, by=user.id
    )
    return _done()


@router.post(
    "/groups/{group_id}/owner",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def transfer_ownership(
    group_id: IdPath, body: TransferIn, user: CurrentUser, container: ContainerDep
) -> Response:
    await container.run(
        membership.transfer_ownership, group_id=group_id, to_user_id=body.user_id, by=user.id
    )
    return _done()


@router.post("/groups/{group_id}/invite-links", status_code=201, responses=WRITE)
async def create_link(
    group_id: IdPath, body: LinkIn, user: CurrentUser, container: ContainerDep
) -> InviteLinkView:
    """An invite link (admins), optionally expiring and with a maximum number of uses."""
    return await container.run(
        invites.create_invite_link,
        group_id=group_id,
        by=user.id,
        expires_in=timedelta(hours=body.expires_in_hours) if body.expires_in_hours else None,
        max_uses=body.max_uses,
    )


@router.get("/groups/{group_id}/invite-links", responses=READ | error_responses(403))
async def list_links(
    group_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[InviteLinkView]:
    return await queries.invite_links(reader, group_id, user.id)


@router.delete(
    "/groups/{group_id}/invite-links/{link_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def revoke_link(
    group_id: IdPath, link_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    await container.run(invites.revoke_invite_link, group_id=group_id, link_id=link_id, by=user.id)
    return _done()


@router.get("/invites/{code}", responses=error_responses(401, 404, 410, 422))
async def preview_invite(
    code: str, _user: CurrentUser, reader: ReaderDep, container: ContainerDep
) -> InvitePreview:
    """What a link leads to, for whoever holds it."""
    return await queries.invite_preview(reader, code, container.clock.now())


@router.post("/invites/{code}/join", responses=WRITE)
async def join_by_link(
    code: str, body: JoinIn, user: CurrentUser, container: ContainerDep
) -> JoinOutcome:
    """Join (open and verified groups) or ask to join (approval groups) through a link."""
    return await container.run(invites.join_by_link, code=code, user_id=user.id, answer=body.answer)


@router.get("/groups/{group_id}/join-requests", responses=READ | error_responses(403))
async def list_requests(
    group_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[JoinRequestView]:
    """The queue of people waiting for an admin (admins only)."""
    return await queries.join_requests(reader, group_id, user.id)


@router.post("/groups/{group_id}/join-requests", responses=WRITE)
async def request_to_join(
    group_id: IdPath, body: JoinIn, user: CurrentUser, container: ContainerDep
) -> JoinOutcome:
    """Members of a parent group join (or ask to join) one of its sub-groups."""
    return await container.run(
        invites.request_to_join, group_id=group_id, user_id=user.id, answer=body.answer
    )


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
    await container.run(
        join_requests.decide_request,
        group_id=group_id,
        request_id=request_id,
        by=user.id,
        approve=decision == "approve",
    )
    return _done()


@router.delete(
    "/me/join-requests/{request_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def cancel_request(
    request_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    await container.run(join_requests.cancel_request, request_id=request_id, user_id=user.id)
    return _done()


@router.post("/groups/{group_id}/introductions", status_code=201, responses=WRITE)
async def introduce(
    group_id: IdPath, body: IntroduceIn, user: CurrentUser, container: ContainerDep
) -> IdOut:
    """Vouch for someone: they are invited and join when they accept."""
    request_id = await container.run(
        join_requests.introduce, group_id=group_id, by=user.id, user_id=body.user_id
    )
    return IdOut(id=request_id)


@router.get("/me/group-invitations", responses=error_responses(401))
async def my_invitations(user: CurrentUser, reader: ReaderDep) -> list[JoinRequestView]:
    return await queries.my_invitations(reader, user.id)


@router.post("/me/group-invitations/{request_id}/{answer}", responses=WRITE)
async def answer_invitation(
    request_id: IdPath,
    answer: Literal["accept", "decline"],
    user: CurrentUser,
    container: ContainerDep,
) -> JoinOutcome:
    return await container.run(
        join_requests.answer_introduction,
        request_id=request_id,
        user_id=user.id,
        accept=answer == "accept",
    )


@router.post("/groups/{group_id}/subgroups", status_code=201, responses=WRITE)
async def create_subgroup(
    group_id: IdPath, body: GroupIn, user: CurrentUser, container: ContainerDep
) -> IdOut:
    """Spin a sub-group off this group; its members can discover and join it."""
    subgroup_id = await container.run(
        service.create_group,
        owner_id=user.id,
        settings=GroupSettings(**body.model_dump()),
        deployment_cap=container.settings.group_member_cap,
        parent_id=group_id,
    )
    return IdOut(id=subgroup_id)


@router.get("/groups/{group_id}/subgroups", responses=READ)
async def list_subgroups(
    group_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[SubgroupView]:
    """Sub-groups of a group I am in."""
    return await queries.subgroups(reader, group_id, user.id)
