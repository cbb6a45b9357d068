"""Accounts over HTTP: register, log in and out (here or everywhere), change the password, my
profile and avatar, public profiles."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.accounts import service
from tuan.accounts.errors import UserNotFound
from tuan.accounts.models import User
from tuan.accounts.queries import user_by_username
from tuan.http.deps import AddressDep, ContainerDep, CurrentUser, ReaderDep, TokenDep
from tuan.http.errors import error_responses
from tuan.http.schemas import DisplayName, Input
from tuan.http.signing_in import after_sign_in
from tuan.http.throttle import SignupAllowed, UploadAllowed
from tuan.social.queries import has_blocked

router = APIRouter(prefix="/api/v1", tags=["accounts"])

USERNAME_FIELD = Field(
    min_length=3,
    max_length=32,
    pattern=r"^[\w.]+$",
    description="3-32 letters (any script), digits, '_' or '.'",
    examples=["mei.lin"],
)


class RegisterIn(Input):
    username: str = USERNAME_FIELD
    display_name: DisplayName
    password: str = Field(min_length=10, max_length=1024)


class LoginIn(Input):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_token: str | None = Field(
        default=None,
        max_length=100,
        description="The `device_token` of an earlier login to this account from this device: "
        "a known device is not held back by others' failed attempts on the account.",
    )


class PasswordIn(Input):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=10, max_length=1024)


class ProfileIn(Input):
    display_name: DisplayName | None = None
    bio: str | None = Field(default=None, max_length=500)
    locale: str | None = Field(default=None, pattern=r"^(zh-CN|en)$")


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    bio: str
    avatar_url: str | None
    verified: bool


class MeOut(UserOut):
    locale: str | None
    created_at: datetime


class SessionOut(BaseModel):
    token: str
    expires_at: datetime = Field(description="When it ends unless used; each use renews it")
    device_token: str = Field(description="Keep it, and send it when logging in again")
    user: MeOut
    deletion_cancelled: bool = Field(
        default=False, description="Signing in cancelled this account's pending deletion"
    )


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        bio=user.bio,
        avatar_url=f"/media/{user.avatar_key}" if user.avatar_key else None,
        verified=user.verified,
    )


def me_out(user: User) -> MeOut:
    return MeOut(**user_out(user).model_dump(), locale=user.locale, created_at=user.created_at)


@router.post(
    "/accounts",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 409, 413, 422, 429),
    dependencies=[SignupAllowed],
)
async def register(body: RegisterIn, container: ContainerDep) -> MeOut:
    """Create an account. The password is stored only as an argon2id hash."""
    user = await service.register(
        container,
        container.passwords,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
    )
    return me_out(user)


@router.post(
    "/sessions",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 410, 413, 422, 429),
)
async def log_in(
    body: LoginIn,
    container: ContainerDep,
    address: AddressDep,
    user_agent: Annotated[str, Header()] = "",
) -> SessionOut:
    """Log in; returns an opaque session token to send as `Authorization: Bearer <token>`."""
    issued = await service.log_in(
        container,
        container.passwords,
        container.login_policy,
        username=body.username,
        password=body.password,
        address=address,
        device_tokens=[body.device_token] if body.device_token else [],
        user_agent=user_agent,
    )
    cancelled = await after_sign_in(container, issued)
    return SessionOut(
        token=issued.token,
        expires_at=issued.expires_at,
        device_token=issued.device_token,
        user=me_out(issued.user),
        deletion_cancelled=cancelled,
    )


@router.delete(
    "/sessions/current",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401),
)
async def log_out(container: ContainerDep, _user: CurrentUser, token: TokenDep) -> Response:
    """Log out: the token stops working at once."""
    await container.run(service.log_out, token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/sessions",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401),
)
async def log_out_everywhere(container: ContainerDep, user: CurrentUser) -> Response:
    """Log out everywhere: every session of the account ends at once, this one too."""
    await container.run(service.log_out_everywhere, user_id=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 413, 422, 429),
)
async def change_password(
    body: PasswordIn,
    container: ContainerDep,
    user: CurrentUser,
    token: TokenDep,
    address: AddressDep,
) -> Response:
    """Change the password (the current one is needed); every other session ends."""
    await service.change_password(
        container,
        container.passwords,
        container.login_policy,
        user=user,
        token=token,
        current_password=body.current_password,
        new_password=body.new_password,
        address=address,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", responses=error_responses(401))
async def get_me(user: CurrentUser) -> MeOut:
    return me_out(user)


@router.patch("/me", responses=error_responses(400, 401, 413, 422))
async def edit_me(body: ProfileIn, user: CurrentUser, container: ContainerDep) -> MeOut:
    """Change display name, bio or language; fields left out stay as they are."""
    changed = await container.run(
        service.change_profile,
        user_id=user.id,
        display_name=body.display_name,
        bio=body.bio,
        locale=body.locale,
    )
    return me_out(changed)


@router.put(
    "/me/avatar",
    responses=error_responses(400, 401, 413, 415, 422, 429),
    dependencies=[UploadAllowed],
)
async def put_avatar(file: UploadFile, user: CurrentUser, container: ContainerDep) -> MeOut:
    """Upload an avatar (JPEG, PNG, WebP or GIF); it is checked, stripped and resized."""
    stored = await container.images.store(
        "avatars",
        file.file,
        max_side=512,
        max_bytes=container.settings.max_upload_bytes,
    )
    return me_out(await container.run(service.set_avatar, user_id=user.id, avatar_key=stored.key))


@router.delete("/me/avatar", responses=error_responses(401))
async def delete_avatar(user: CurrentUser, container: ContainerDep) -> MeOut:
    return me_out(await container.run(service.set_avatar, user_id=user.id, avatar_key=None))


@router.get("/users/{username}", responses=error_responses(401, 404, 422))
async def get_user(username: str, reader: ReaderDep, viewer: CurrentUser) -> UserOut:
    """Someone's public profile (logged-in users only; hidden from people they blocked)."""
    user = await user_by_username(reader, username)
    if user is None or await has_blocked(reader, user.id, viewer.id):
        raise UserNotFound()
    return user_out(user)
