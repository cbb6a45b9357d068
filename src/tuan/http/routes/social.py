"""Friends and blocks over HTTP."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.groups.queries import meeting_place
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import Id, IdPath, Input
from tuan.social import queries, service
from tuan.social.queries import FriendRequests, Person

router = APIRouter(prefix="/api/v1", tags=["friends"])

WRITE = error_responses(400, 401, 403, 404, 409, 413, 422)


class FriendRequestIn(Input):
    user_id: Id
    message: str = Field(default="", max_length=200)
    context_group_id: Id | None = Field(
        default=None, description="The group you both are in, shown as where you met"
    )


class RequestResult(BaseModel):
    status: Literal["requested", "friends"]
    request_id: int | None


@router.get("/friends", responses=error_responses(401))
async def list_friends(user: CurrentUser, reader: ReaderDep) -> list[Person]:
    return await queries.friends(reader, user.id)


@router.delete(
    "/friends/{user_id:int}",  # not /friends/requests
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def unfriend(user_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
    await container.run(service.unfriend, user_id=user.id, other_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/friends/requests", responses=error_responses(401))
async def list_requests(user: CurrentUser, reader: ReaderDep) -> FriendRequests:
    return await queries.friend_requests(reader, user.id)


@router.post("/friends/requests", status_code=201, responses=WRITE)
async def request_friendship(
    body: FriendRequestIn, user: CurrentUser, reader: ReaderDep, container: ContainerDep
) -> RequestResult:
    """Ask to be friends (if they already asked you, you are friends at once)."""
    request_id = await container.run(
        service.request_friendship,
        from_user_id=user.id,
        to_user_id=body.user_id,
        message=body.message,
        context_group_id=await meeting_place(reader, body.context_group_id, user.id, body.user_id),
    )
    if request_id is None:
        return RequestResult(status="friends", request_id=None)
    return RequestResult(status="requested", request_id=request_id)


@router.post(
    "/friends/requests/{request_id}/{answer}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def answer_request(
    request_id: IdPath,
    answer: Literal["accept", "decline"],
    user: CurrentUser,
    container: ContainerDep,
) -> Response:
    await container.run(
        service.answer_friend_request,
        request_id=request_id,
        user_id=user.id,
        accept=answer == "accept",
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/blocks", responses=error_responses(401))
async def list_blocks(user: CurrentUser, reader: ReaderDep) -> list[int]:
    return await queries.blocked_ids(reader, user.id)


@router.put(
    "/blocks/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def block(user_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
    """Block someone: no messages, invitations, friend requests or profile details from/to them."""
    await container.run(service.block, blocker_id=user.id, blocked_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/blocks/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE,
)
async def unblock(user_id: IdPath, user: CurrentUser, container: ContainerDep) -> Response:
    await container.run(service.unblock, blocker_id=user.id, blocked_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
