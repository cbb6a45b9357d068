"""Registration, login, sessions and profiles through the HTTP API, including bad input."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.factories import PASSWORD, log_in, person, register
from tuan.bootstrap import Container
from tuan.web.i18n import catalogue


async def test_register_log_in_and_see_myself(client: httpx.AsyncClient) -> None:
    created = await register(client, "mei.lin", display_name="林美")
    assert created.status_code == 201
    assert created.json()["display_name"] == "林美" and created.json()["verified"] is False

    session = await log_in(client, "mei.lin")
    assert session.status_code == 201
    token = session.json()["token"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == "mei.lin" and me.json()["display_name"] == "林美"


async def test_password_is_stored_only_as_an_argon2id_hash(
    client: httpx.AsyncClient, container: Container
) -> None:
    await register(client, "hashme")
    from sqlalchemy import select

    from tuan.accounts.models import User

    async with container.db.read_sessions() as session:
        stored = await session.scalar(select(User.password_hash).where(User.username == "hashme"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize("second", ["bob", "BOB", "ｂｏｂ"])
async def test_duplicate_username_is_a_409(client: httpx.AsyncClient, second: str) -> None:
    assert (await register(client, "bob")).status_code == 201
    again = await register(client, second)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "USERNAME_TAKEN"
    assert again.json()["error"]["field"] == "username"


async def test_weak_password_names_the_field(client: httpx.AsyncClient) -> None:
    response = await register(client, "weakling", password="123456789")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "password"


async def test_malformed_json_is_a_400_with_a_clear_message(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/accounts",
        content=b'{"username": "x", ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MALFORMED_JSON"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": 42, "display_name": "x", "password": PASSWORD}, "username"),
        ({"username": "okname", "display_name": ["x"], "password": PASSWORD}, "display_name"),
        ({"username": "okname", "display_name": "x"}, "password"),
        ({"username": "okname", "display_name": "x", "password": PASSWORD, "admin": True}, "admin"),
    ],
)
async def test_wrong_types_and_unknown_fields_name_the_field(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    response = await client.post("/api/v1/accounts", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    # The message names the field as the form does ("Display name …"); an unknown one as sent.
    named = catalogue("en").get(f"field.{field}", field)
    assert error["field"] == field and str(named) in error["message"]


async def test_a_body_that_is_not_an_object_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/accounts", json=["a", "b"])
    assert response.status_code == 422


async def test_oversized_body_is_a_413_and_creates_nothing(client: httpx.AsyncClient) -> None:
    huge = {"username": "bigbody", "display_name": "x" * 2_000_000, "password": PASSWORD}
    response = await client.post("/api/v1/accounts", json=huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "BODY_TOO_LARGE"
    assert (await log_in(client, "bigbody")).status_code == 401


async def test_oversized_streamed_body_without_length_is_a_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 50_000

    response = await client.post(
        "/api/v1/accounts", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "display_name", ["张伟", "Zoë Ñúñez", "🍜 面条 Noodles", "مرحبا", "名" * 64]
)
async def test_unicode_display_names_round_trip(
    client: httpx.AsyncClient, display_name: str
) -> None:
    user = await person(
        client, "uni" + str(abs(hash(display_name)) % 10_000), display_name=display_name
    )
    me = await client.get("/api/v1/me", headers=user.headers)
    assert me.json()["display_name"] == display_name


async def test_chinese_usernames_work(client: httpx.AsyncClient) -> None:
    user = await person(client, "王小明")
    assert (await client.get("/api/v1/users/王小明", headers=user.headers)).json()["id"] == user.id


async def test_wrong_password_and_unknown_user_look_the_same(client: httpx.AsyncClient) -> None:
    await register(client, "carol")
    wrong = await log_in(client, "carol", "not the password")
    unknown = await log_in(client, "nobody_here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_no_token_and_garbage_token_are_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/me")).status_code == 401
    garbage = await client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert garbage.status_code == 401 and garbage.json()["error"]["code"] == "NOT_AUTHENTICATED"


async def test_logging_out_revokes_the_token_at_once(client: httpx.AsyncClient) -> None:
    user = await person(client, "erin")
    other = await log_in(client, "erin")  # a second device stays logged in
    assert (
        await client.delete("/api/v1/sessions/current", headers=user.headers)
    ).status_code == 204
    response = await client.get("/api/v1/me", headers=user.headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "SESSION_REVOKED"
    second = {"Authorization": f"Bearer {other.json()['token']}"}
    assert (await client.get("/api/v1/me", headers=second)).status_code == 200


async def test_edit_profile(client: httpx.AsyncClient) -> None:
    user = await person(client, "hana")
    response = await client.patch(
        "/api/v1/me",
        headers=user.headers,
        json={"display_name": "花 Hana", "bio": "两个孩子的妈妈", "locale": "zh-CN"},
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "花 Hana" and response.json()["locale"] == "zh-CN"
    assert (await client.get("/api/v1/me", headers=user.headers)).json()["bio"] == "两个孩子的妈妈"
    blank = await client.patch("/api/v1/me", headers=user.headers, json={"display_name": "   "})
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "display_name"


def _png(width: int = 900, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


async def test_avatar_upload_is_resized_and_served(client: httpx.AsyncClient) -> None:
    user = await person(client, "ivan")
    response = await client.put(
        "/api/v1/me/avatar", headers=user.headers, files={"file": ("me.png", _png(), "image/png")}
    )
    assert response.status_code == 200
    url = response.json()["avatar_url"]
    served = await client.get(url)
    assert served.status_code == 200 and served.headers["content-type"].startswith("image/")
    assert max(Image.open(io.BytesIO(served.content)).size) == 512


async def test_a_file_that_is_not_an_image_is_refused(client: httpx.AsyncClient) -> None:
    user = await person(client, "jade")
    response = await client.put(
        "/api/v1/me/avatar",
        headers=user.headers,
        files={"file": ("evil.png", b"<script>alert(1)</script>", "image/png")},
    )
    assert response.status_code == 415
    assert (await client.get("/api/v1/me", headers=user.headers)).json()["avatar_url"] is None


async def test_unknown_user_profile_is_404(client: httpx.AsyncClient) -> None:
    user = await person(client, "kai")
    response = await client.get("/api/v1/users/nobody_at_all", headers=user.headers)
    assert response.status_code == 404


async def test_a_username_mixing_lookalike_scripts_is_refused(client: httpx.AsyncClient) -> None:
    await register(client, "paypal")
    lookalike = await client.post(
        "/api/v1/accounts",
        json={"username": "\u0440\u0430ypal", "display_name": "PayPal", "password": PASSWORD},
        headers={"Accept-Language": "zh-CN"},
    )
    assert lookalike.status_code == 422
    error = lookalike.json()["error"]
    assert error["code"] == "INVALID_USERNAME" and error["field"] == "username"
    assert error["message"].startswith("用户名不能混用不同文字的字母")
    assert (await register(client, "mei林_2")).status_code == 201  # Latin with Han is fine


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200b"])
async def test_display_names_may_not_hide_direction_controls(
    client: httpx.AsyncClient, control: str
) -> None:
    refused = await register(client, "trojan", display_name=f"admin{control}gpj.exe")
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == (
        "A display name may not contain invisible characters or characters that change the "
        "direction of text."
    )
    user = await person(client, "honest")
    renamed = await client.patch(
        "/api/v1/me",
        headers={**user.headers, "Accept-Language": "zh-CN"},
        json={"display_name": f"Honest{control}"},
    )
    assert renamed.status_code == 422 and renamed.json()["error"]["field"] == "display_name"
    assert renamed.json()["error"]["message"] == "昵称不能包含不可见字符或改变文字方向的控制字符。"
