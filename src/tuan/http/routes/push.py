"""Web Push over HTTP: the server's key, a person's devices, and what a push shows (ADR 0012)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.accounts.queries import Caller
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep, TokenDep
from tuan.http.errors import ACCOUNT_LOCALE, error_responses
from tuan.http.schemas import Input
from tuan.push import queries, service
from tuan.push.addresses import check_endpoint_reachable
from tuan.push.domain import MAX_ENDPOINT_LENGTH
from tuan.push.errors import PushNotConfigured
from tuan.push.quiet_hours import quiet_hours
from tuan.push.vapid import configured_keys
from tuan.web.sessions import caller

router = APIRouter(prefix="/api/v1", tags=["push"])


class PushKeyOut(BaseModel):
    public_key: str = Field(description="The VAPID public key, base64url: applicationServerKey")


class SubscriptionKeysIn(Input):
    p256dh: str = Field(max_length=200, description="The browser's P-256 key, base64url")
    auth: str = Field(max_length=100, description="The 16-byte auth secret, base64url")


class SubscriptionIn(Input):
    """The browser's ``PushSubscription.toJSON()``, as it is."""

    endpoint: str = Field(max_length=MAX_ENDPOINT_LENGTH)
    keys: SubscriptionKeysIn
    expirationTime: float | None = Field(  # the browser's own name
        default=None,
        ge=0,
        le=2**62,
        description="Ignored: the push service says when a subscription ends",
    )


class DeviceOut(BaseModel):
    id: int
    label: str = Field(description='Browser and system ("Chrome · Android"), "" when unknown')
    created_at: datetime
    last_success_at: datetime | None
    this_device: bool = Field(description="Subscribed in the session asking")


class DevicesOut(BaseModel):
    devices: list[DeviceOut]
    show_text: bool = Field(description="Whether pushes show message text (default: no)")
    quiet_hours: QuietHoursOut | None = Field(description="Do-not-disturb hours, if set")


CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class QuietHoursIn(Input):
    """Do-not-disturb hours on the person's own clock: pushes wait until ``end``."""

    start: str = Field(pattern=CLOCK_PATTERN, description='"22:00"', examples=["22:00"])
    end: str = Field(
        pattern=CLOCK_PATTERN, description='"07:00", not the start', examples=["07:00"]
    )
    time_zone: str = Field(
        min_length=1,
        max_length=64,
        description="An IANA time zone the server knows (422 QUIET_HOURS_INVALID otherwise)",
        examples=["Asia/Shanghai"],
    )


class QuietHoursOut(BaseModel):
    start: str
    end: str
    time_zone: str


class PushSettingsIn(Input):
    """What to change; a field left out keeps its value."""

    show_text: bool | None = Field(default=None, description="Show message text in pushes")
    quiet_hours: QuietHoursIn | None = Field(
        default=None, description="Do-not-disturb hours; null turns them off"
    )


async def _caller(request: Request, container: ContainerDep, token: TokenDep) -> Caller:
    found = await caller(container, token)
    setattr(request.state, ACCOUNT_LOCALE, found.user.locale)
    return found


@router.get("/push/key", responses=error_responses(404))
async def push_key(container: ContainerDep) -> PushKeyOut:
    """The key a browser subscribes with; 404 PUSH_NOT_CONFIGURED when the server has none."""
    keys = configured_keys(container.settings)
    if keys is None:
        raise PushNotConfigured()
    return PushKeyOut(public_key=keys.public_key)


@router.post(
    "/me/push-subscriptions",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 413, 422),
)
async def subscribe(
    body: SubscriptionIn, request: Request, container: ContainerDep, token: TokenDep
) -> DeviceOut:
    """Subscribe this device (this session) to pushes. The endpoint must be https on a host
    that resolves only to public addresses."""
    who = await _caller(request, container, token)
    if configured_keys(container.settings) is None:
        raise PushNotConfigured()
    await check_endpoint_reachable(
        body.endpoint, allow_loopback=container.settings.push_allow_loopback
    )
    made = await container.run(
        service.subscribe,
        user_id=who.user.id,
        session_id=who.session_id,
        endpoint=body.endpoint,
        p256dh=body.keys.p256dh,
        auth=body.keys.auth,
        user_agent=request.headers.get("user-agent", ""),
    )
    return DeviceOut(
        id=made.id,
        label=made.label,
        created_at=container.clock.now(),
        last_success_at=None,
        this_device=True,
    )


@router.get("/me/push-subscriptions", responses=error_responses(401))
async def my_devices(
    request: Request, container: ContainerDep, token: TokenDep, reader: ReaderDep
) -> DevicesOut:
    who = await _caller(request, container, token)
    devices = await queries.my_devices(reader, user_id=who.user.id, session_id=who.session_id)
    chosen = (await queries.choices_of(reader, [who.user.id]))[who.user.id]
    quiet = chosen.quiet
    return DevicesOut(
        devices=[DeviceOut(**vars(d)) for d in devices],
        show_text=chosen.show_text,
        quiet_hours=QuietHoursOut(
            start=quiet.start_text, end=quiet.end_text, time_zone=quiet.time_zone
        )
        if quiet
        else None,
    )


@router.delete(
    "/me/push-subscriptions/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 404, 422),
)
async def remove_device(
    subscription_id: Annotated[int, Path(ge=1, le=2**62)],
    user: CurrentUser,
    container: ContainerDep,
) -> Response:
    """Remove one of my devices; another person's is 404, as if it did not exist."""
    await container.run(service.unsubscribe, user_id=user.id, subscription_id=subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/me/push-settings",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 413, 422),
)
async def push_settings(
    body: PushSettingsIn, user: CurrentUser, container: ContainerDep
) -> Response:
    """Whether pushes show message text: off (the default) says only "New message", because a
    lock screen is seen by others. Do-not-disturb hours hold pushes until they end; a start
    equal to the end, or an unknown time zone, is 422 QUIET_HOURS_INVALID."""
    given = body.quiet_hours
    quiet = (
        quiet_hours(given.start, given.end, given.time_zone)
        if given is not None
        else None
        if "quiet_hours" in body.model_fields_set
        else service.NOT_GIVEN
    )
    await container.run(service.set_choices, user_id=user.id, show_text=body.show_text, quiet=quiet)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
