"""A refused request is told why in the reader's language: the account's saved choice, else the
web app's language cookie, else Accept-Language, else English; never a 500, never the other
language's words."""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD, join_open_group, log_in, people, person, register
from tests.wsclient import ChatClient
from tuan.web.security import LOCALE_COOKIE

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def _error(response: httpx.Response) -> dict[str, str]:
    error: dict[str, str] = response.json()["error"]
    return error


async def test_a_wrong_password_is_explained_in_the_language_the_browser_asks_for(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    body = {"username": "mei", "password": "not the password"}
    chinese = await client.post("/api/v1/sessions", json=body, headers=ZH)
    assert chinese.status_code == 401
    assert _error(chinese) == {"code": "WRONG_CREDENTIALS", "message": "用户名或密码不正确。"}
    assert chinese.headers["Content-Language"] == "zh-CN"
    english = await client.post("/api/v1/sessions", json=body)
    assert _error(english)["message"] == "The username or password is wrong."
    assert english.headers["Content-Language"] == "en"


async def test_the_language_cookie_beats_the_browsers_header(client: httpx.AsyncClient) -> None:
    body = {"username": "nobody", "password": PASSWORD}
    client.cookies.set(LOCALE_COOKIE, "zh-CN")
    try:
        response = await client.post("/api/v1/sessions", json=body, headers=EN)
    finally:
        client.cookies.clear()
    assert _error(response)["message"] == "用户名或密码不正确。"


async def test_the_accounts_saved_language_follows_it_to_any_client(
    client: httpx.AsyncClient,
) -> None:
    mei = await person(client, "mei")
    saved = await client.patch("/api/v1/me", headers=mei.headers, json={"locale": "zh-CN"})
    assert saved.status_code == 200
    missing = await client.get("/api/v1/orders/424242", headers={**mei.headers, **EN})
    assert missing.status_code == 404
    assert _error(missing) == {"code": "ORDER_NOT_FOUND", "message": "该订单不存在。"}
    assert missing.headers["Content-Language"] == "zh-CN"


async def test_invalid_fields_are_named_in_either_language(client: httpx.AsyncClient) -> None:
    body = {"username": 42, "display_name": "x", "password": PASSWORD}
    chinese = await client.post("/api/v1/accounts", json=body, headers=ZH)
    assert chinese.status_code == 422
    assert _error(chinese) == {
        "code": "INVALID_INPUT",
        "message": "“用户名”必须是文字。",
        "field": "username",
    }
    english = await client.post("/api/v1/accounts", json=body, headers=EN)
    assert _error(english)["message"] == "Username must be text."
    unknown = {"username": "okname", "display_name": "x", "password": PASSWORD, "admin": True}
    refused = await client.post("/api/v1/accounts", json=unknown, headers=ZH)
    assert _error(refused)["message"] == "请求不接受“admin”这一项。"


async def test_limits_are_said_with_their_numbers_and_plurals(client: httpx.AsyncClient) -> None:
    mei = await person(client, "mei")
    too_long = {"display_name": "长" * 65}
    chinese = await client.patch("/api/v1/me", headers={**mei.headers, **ZH}, json=too_long)
    assert _error(chinese)["message"] == "“昵称”最多 64 个字符。"
    english = await client.patch("/api/v1/me", headers={**mei.headers, **EN}, json=too_long)
    assert _error(english)["message"] == "Display name is at most 64 characters."
    several = {"display_name": "", "bio": 5, "locale": "fr"}
    many = await client.patch("/api/v1/me", headers={**mei.headers, **EN}, json=several)
    assert _error(many)["message"] == (
        "Display name needs at least 1 character. (And 2 more problems.)"
    )
    many_zh = await client.patch("/api/v1/me", headers={**mei.headers, **ZH}, json=several)
    assert _error(many_zh)["message"] == "“昵称”至少要有 1 个字符。（另有 2 处问题。）"


async def test_text_no_database_can_store_is_refused_naming_the_field(
    client: httpx.AsyncClient,
) -> None:
    body = {"username": "nul_user", "display_name": "a\x00b", "password": PASSWORD}
    response = await client.post("/api/v1/accounts", json=body, headers=ZH)
    assert response.status_code == 422
    assert _error(response)["field"] == "display_name"
    assert _error(response)["message"] == ("“昵称”含有无法保存的字符（NUL 或孤立的代理字符）。")


async def test_the_edges_own_refusals_speak_chinese_too(client: httpx.AsyncClient) -> None:
    broken = await client.post(
        "/api/v1/sessions",
        content=b'{"username": ',
        headers={**ZH, "content-type": "application/json"},
    )
    assert (broken.status_code, _error(broken)["message"]) == (400, "请求内容不是有效的 JSON。")
    nul = await client.get("/api/v1/products?q=%00", headers=ZH)
    assert (nul.status_code, _error(nul)["message"]) == (400, "网址中含有空字符（NUL）。")
    assert nul.headers["Content-Language"] == "zh-CN"
    nowhere = await client.get("/api/v1/no-such-thing", headers=ZH)
    assert (nowhere.status_code, _error(nowhere)["message"]) == (404, "没有找到。")
    huge = {"username": "big", "display_name": "x" * 2_000_000, "password": PASSWORD}
    too_large = await client.post("/api/v1/accounts", json=huge, headers=ZH)
    assert too_large.status_code == 413
    assert _error(too_large)["message"] == "请求内容超过了 1,000,000 字节。"
    english = await client.post("/api/v1/accounts", json=huge, headers=EN)
    assert _error(english)["message"] == "The request body is larger than 1,000,000 bytes."


async def test_a_streamed_body_over_the_limit_is_refused_in_chinese(
    client: httpx.AsyncClient,
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 50_000

    response = await client.post(
        "/api/v1/accounts",
        content=chunks(),
        headers={**ZH, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert _error(response)["message"] == "请求内容超过了 1,000,000 字节。"


async def test_too_many_failed_logins_wait_in_chinese(client: httpx.AsyncClient) -> None:
    await register(client, "target")
    last = None
    for _ in range(12):
        last = await client.post(
            "/api/v1/sessions", json={"username": "target", "password": "wrong guess"}, headers=ZH
        )
        if last.status_code == 429:
            break
    assert last is not None and last.status_code == 429
    wait = int(last.headers["Retry-After"])
    assert 0 < wait <= 60
    in_words = "1分钟" if wait == 60 else f"{wait}秒钟"
    assert _error(last)["message"] == (
        f"此账号在未登录过的设备上尝试登录的次数过多，请{in_words}后再试。以前登录过的设备仍可登录。"
    )
    assert (await log_in(client, "target")).status_code == 429


async def test_a_send_refused_over_the_chat_socket_says_why_in_chinese(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    socket = await ChatClient.open(live_app, mei.token, headers=ZH)
    try:
        too_long = {"type": "send", "conversation_id": cid, "client_id": "z1", "text": "长" * 4001}
        await socket.send(too_long)
        refused = await socket.wait_for(lambda f: f["type"] == "error" and f.get("ref") == "z1")
        assert refused["code"] == "MESSAGE_TOO_LONG"
        assert refused["message"] == "一条消息最多 4000 字。"
        await socket.send({"type": "typing", "conversation_id": 999999})
        stranger = await socket.wait_for(lambda f: f["type"] == "error" and not f.get("ref"))
        assert stranger["message"] == "该聊天不存在，或你不在其中。"
    finally:
        await socket.close()
