"""The web app's session: logging in through the page sets an HttpOnly cookie the JSON API and the
WebSocket accept, but only with the page's CSRF token (API) or from this site's origin (socket)."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.factories import PASSWORD, person, register

BOOT = re.compile(r'<script type="application/json" id="tuan-boot">(.*?)</script>', re.S)


def boot_of(page: httpx.Response) -> dict[str, object]:
    found = BOOT.search(page.text)
    assert found, page.text[:500]
    data: dict[str, object] = json.loads(found.group(1))
    return data


async def form_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    return str(boot_of(await client.get(path))["csrf"])


async def web_log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form like a browser; returns the CSRF token of the session's pages."""
    response = await client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": await form_token(client),
            "next": "/chats",
        },
    )
    assert response.status_code == 303, response.text
    return str(boot_of(await client.get("/chats"))["csrf"])


async def test_logging_in_sets_an_httponly_samesite_session_cookie(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    token = await form_token(client)
    response = await client.post(
        "/login",
        data={"username": "mei", "password": PASSWORD, "csrf_token": token, "next": "/chats"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/chats"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("tuan_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain http here; https requests get Secure
    me = await client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "mei"


async def test_a_wrong_password_shows_the_form_again_with_a_clear_error(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    response = await client.post(
        "/login",
        data={
            "username": "mei",
            "password": "not it at all",
            "csrf_token": await form_token(client),
        },
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text and 'value="mei"' in response.text
    assert "tuan_session" not in response.headers.get("set-cookie", "")


async def test_the_login_form_refuses_a_post_without_its_csrf_token(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    await client.get("/login")  # has the anonymous cookie, but the attacker's form has no token
    response = await client.post("/login", data={"username": "mei", "password": PASSWORD})
    assert response.status_code == 403
    assert "tuan_session" not in response.headers.get("set-cookie", "")


async def test_signing_up_logs_in_and_keeps_the_language_on_the_account(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/signup", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    token = str(boot_of(page)["csrf"])
    response = await client.post(
        "/signup",
        data={
            "username": "林小美",
            "display_name": "林小美",
            "password": PASSWORD,
            "csrf_token": token,
        },
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 303, response.text
    me = (await client.get("/api/v1/me")).json()
    assert me["display_name"] == "林小美" and me["locale"] == "zh-CN"


async def test_signup_errors_name_the_field_and_keep_what_was_typed(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    token = await form_token(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "username": "mei",
            "display_name": "<b>Mei</b>",
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 409
    assert "already taken" in response.text
    assert "&lt;b&gt;Mei&lt;/b&gt;" in response.text and "<b>Mei</b>" not in response.text
    assert 'aria-invalid="true"' in response.text


async def test_cookie_authenticated_writes_need_the_csrf_header(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    csrf = await web_log_in(client, "mei")
    body = {"name": "家长群", "join_policy": "open"}
    missing = await client.post("/api/v1/groups", json=body)
    assert missing.status_code == 403 and missing.json()["error"]["code"] == "CSRF_TOKEN_INVALID"
    forged = await client.post(
        "/api/v1/groups",
        json=body,
        headers={"X-CSRF-Token": "forged", "Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    created = await client.post("/api/v1/groups", json=body, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201
    # reads need no token: a cross-site page cannot read the answer (no CORS), only cause writes
    assert (await client.get("/api/v1/conversations")).status_code == 200


async def test_a_bearer_token_needs_no_csrf_token(client: httpx.AsyncClient) -> None:
    mei = await person(client, "mei")
    client.cookies.clear()
    response = await client.post("/api/v1/groups", json={"name": "x"}, headers=mei.headers)
    assert response.status_code == 201


async def test_the_token_of_another_session_does_not_do(client: httpx.AsyncClient) -> None:
    await register(client, "mei")
    await register(client, "ben")
    ben_csrf = await web_log_in(client, "ben")
    client.cookies.clear()
    await web_log_in(client, "mei")
    response = await client.post(
        "/api/v1/groups", json={"name": "x"}, headers={"X-CSRF-Token": ben_csrf}
    )
    assert response.status_code == 403


async def test_logging_out_ends_the_session_and_clears_the_cookie(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    csrf = await web_log_in(client, "mei")
    session = client.cookies["tuan_session"]
    response = await client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert 'tuan_session=""' in response.headers["set-cookie"]
    client.cookies.set("tuan_session", session)  # as if it had been kept somewhere
    again = await client.get("/api/v1/me")
    assert again.status_code == 401


async def test_pages_behind_the_login_send_the_visitor_to_log_in_and_back(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/chats/7")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/chats/7"
    await register(client, "mei")
    response = await client.post(
        "/login",
        data={
            "username": "mei",
            "password": PASSWORD,
            "csrf_token": await form_token(client),
            "next": "/chats/7",
        },
    )
    assert response.headers["location"] == "/chats/7"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
async def test_after_logging_in_only_pages_of_this_site_are_followed(
    client: httpx.AsyncClient, target: str
) -> None:
    await register(client, "mei")
    response = await client.post(
        "/login",
        data={
            "username": "mei",
            "password": PASSWORD,
            "csrf_token": await form_token(client),
            "next": target,
        },
    )
    assert response.headers["location"] == "/chats"


async def test_the_websocket_accepts_the_cookie_only_from_this_sites_pages(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei = await person(client, "mei")
    cookie = {"Cookie": f"tuan_session={mei.token}"}
    hello = json.dumps({"type": "hello", "positions": {}})

    async with connect(
        f"ws://{live_app}/api/v1/ws",
        additional_headers={**cookie, "Origin": f"http://{live_app}"},
    ) as same_site:
        await same_site.send(hello)
        assert json.loads(await same_site.recv())["type"] == "ready"

    for origin in ("http://evil.example", None):
        headers = dict(cookie) if origin is None else {**cookie, "Origin": origin}
        async with connect(f"ws://{live_app}/api/v1/ws", additional_headers=headers) as other:
            await other.send(hello)
            refused = json.loads(await other.recv())
            assert refused["code"] == "NOT_AUTHENTICATED"
