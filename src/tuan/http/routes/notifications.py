"""Notifications over HTTP (they are also pushed on the WebSocket)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import Input, Position, PositionQuery
from tuan.notifications import queries, service

router = APIRouter(prefix="/api/v1", tags=["notifications"])


class NotificationOut(BaseModel):
    id: int = Field(description="Increasing; resume with after=<id>")
    kind: str
    actor_id: int | None
    conversation_id: int | None
    message_seq: int | None
    data: dict[str, Any]
    created_at: datetime
    read: bool


class NotificationsOut(BaseModel):
    notifications: list[NotificationOut]
    unread: int


class ReadIn(Input):
    up_to: Position


@router.get("/notifications", responses=error_responses(401, 422))
async def list_notifications(
    user: CurrentUser,
    reader: ReaderDep,
    after: PositionQuery = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NotificationsOut:
    items = await queries.notifications_after(reader, user_id=user.id, after=after, limit=limit)
    return NotificationsOut(
        notifications=[NotificationOut(**n) for n in items],
        unread=await queries.unread_count(reader, user_id=user.id),
    )


@router.post(
    "/notifications/read",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 413, 422),
)
async def mark_read(body: ReadIn, user: CurrentUser, container: ContainerDep) -> Response:
    await container.run(service.mark_read, user_id=user.id, up_to=body.up_to)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
