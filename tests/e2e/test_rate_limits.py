"""Limits on sign-ups per address, chat messages and uploads per account, at their defaults:
refused with 429, Retry-After and a sentence in the reader's language (issue 14, item 5)."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.e2e.test_web_session import form_token
from tests.factories import PASSWORD, join_open_group, people, person, register
from tests.wsclient import ChatClient
from tuan.settings import Settings

ZH = {"Accept-Language": "zh-CN"}
DEFAULTS = {
    name: Settings.model_fields[name].default
    for name in ("limit_signup_address", "limit_messages_account", "limit_uploads_account")
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite relaxes these limits (conftest); here they are as shipped."""
    return settings.model_copy(update=DEFAULTS)


async def test_one_address_cannot_make_accounts_in_bulk(client: httpx.AsyncClient) -> None:
    made = [(await register(client, f"bulk{n}")).status_code for n in range(5)]
    assert made == [201] * 5  # 5 a minute from one address
    refused = await register(client, "bulk5", display_name="批量", password=PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    chinese = await client.post(
        "/api/v1/accounts",
        json={"username": "bulk6", "display_name": "x", "password": PASSWORD},
        headers=ZH,
    )
    assert chinese.json()["error"]["message"].startswith("你所在的网络刚刚注册了太多账号，请")
    page = await client.post(
        "/signup",
        data={
            "username": "bulk7",
            "display_name": "Bulk",
            "password": PASSWORD,
            "csrf_token": await form_token(client, "/signup"),
        },
    )
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "Too many accounts were created from your network" in page.text


async def test_a_flood_of_messages_is_held_back(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    path = f"/api/v1/conversations/{cid}/messages"
    sent = [
        (await client.post(path, headers=mei.headers, json={"text": f"m{n}"})).status_code
        for n in range(30)
    ]
    assert sent == [201] * 30  # 30 in 10 seconds
    refused = await client.post(path, headers={**mei.headers, **ZH}, json={"text": "again"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 10
    assert refused.json()["error"]["message"].startswith("发消息太快了，请")
    # Per account: Ben is not held back by Mei's flood.
    assert (await client.post(path, headers=ben.headers, json={"text": "hi"})).status_code == 201


async def test_the_chat_socket_refuses_a_flood_too(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    socket = await ChatClient.open(live_app, mei.token, headers=ZH)
    try:
        for n in range(31):
            await socket.send(
                {"type": "send", "conversation_id": cid, "client_id": f"t{n}", "text": f"{n}"}
            )
        refused = await socket.wait_for(
            lambda f: f["type"] == "error" and f.get("code") == "TOO_MANY_REQUESTS"
        )
        assert refused["message"].startswith("发消息太快了，请")
        for sent in {f"t{n}" for n in range(31)} - {refused["ref"]}:  # the 30 others went out
            await socket.wait_for(lambda f, c=sent: f["type"] == "ack" and f["client_id"] == c)
    finally:
        await socket.close()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, format="PNG")
    return out.getvalue()


async def test_uploads_are_held_back_per_account(client: httpx.AsyncClient) -> None:
    user = await person(client, "snap")
    image = {"file": ("me.png", _png(), "image/png")}
    done = [
        (await client.put("/api/v1/me/avatar", headers=user.headers, files=image)).status_code
        for _ in range(30)
    ]
    assert done == [200] * 30  # 30 a minute
    refused = await client.put("/api/v1/me/avatar", headers=user.headers, files=image)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()["error"]["message"].startswith("Too many uploads in a short time")
