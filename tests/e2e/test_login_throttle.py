"""The login throttle slows a guesser down without locking the owner out (issue 14, item 5).

A device that logged in before (the API's ``device_token``, the web app's ``tuan_device`` cookie)
is held back only by its own failures; other devices share the account's allowance (5 a minute,
20 an hour, 100 a day by default); an address is charged only for its failures (30 a minute).
The counts live in Redis in the PostgreSQL + Redis pass.
"""

from __future__ import annotations

import asyncio

import httpx

from tests.e2e.test_web_session import form_token
from tests.factories import PASSWORD, register

WRONG = "not the password at all"
ZH = {"Accept-Language": "zh-CN"}


async def log_in(
    client: httpx.AsyncClient,
    username: str,
    password: str = PASSWORD,
    *,
    device: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {"username": username, "password": password}
    if device is not None:
        body["device_token"] = device
    return await client.post("/api/v1/sessions", json=body, headers=headers)


async def guess(client: httpx.AsyncClient, username: str, times: int) -> list[int]:
    return [(await log_in(client, username, WRONG)).status_code for _ in range(times)]


async def guess_until_refused(client: httpx.AsyncClient, username: str, most: int = 30) -> int:
    """How many wrong guesses it took to be refused."""
    for tries in range(1, most + 1):
        if (await log_in(client, username, WRONG)).status_code == 429:
            return tries
    raise AssertionError(f"{most} guesses and not refused")


async def test_the_owner_on_a_known_device_logs_in_while_someone_guesses(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "owner")
    first = await log_in(client, "owner")
    assert first.status_code == 201
    device = first.json()["device_token"]

    assert await guess(client, "owner", 4) == [401] * 4  # with that first login, 5 a minute
    elsewhere = await log_in(client, "owner")  # the right password, from a device never used
    assert elsewhere.status_code == 429
    assert elsewhere.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"
    assert 0 < int(elsewhere.headers["Retry-After"]) <= 60  # the first step: 5 a minute

    at_home = await log_in(client, "owner", device=device)
    assert at_home.status_code == 201, at_home.text
    assert at_home.json()["device_token"] != device  # a fresh one for next time


async def test_a_browser_that_logged_in_before_is_let_in_during_an_attack(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    login = {"username": "mei", "password": PASSWORD, "next": "/chats"}
    done = await client.post("/login", data={**login, "csrf_token": await form_token(client)})
    assert done.status_code == 303
    await client.post("/logout", data={"csrf_token": await form_token(client, "/chats")})

    # Someone else, through the API (which does not read the browser's cookie), until refused.
    assert await guess_until_refused(client, "mei") <= 6
    assert (await log_in(client, "mei")).status_code == 429

    again = await client.post("/login", data={**login, "csrf_token": await form_token(client)})
    assert again.status_code == 303 and again.headers["location"] == "/chats"
    assert (await client.get("/api/v1/me")).json()["username"] == "mei"
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("tuan_device="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


async def test_unknown_devices_are_told_how_long_to_wait_in_their_language(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "target")
    assert await guess(client, "target", 5) == [401] * 5
    refused = await log_in(client, "target", WRONG, headers=ZH)
    assert refused.status_code == 429 and refused.headers["Content-Language"] == "zh-CN"
    message = refused.json()["error"]["message"]
    assert message.startswith("此账号在未登录过的设备上尝试登录的次数过多，请")
    assert "以前登录过的设备仍可登录" in message
    page = await client.post(
        "/login",
        data={"username": "target", "password": PASSWORD, "csrf_token": await form_token(client)},
        headers=ZH,
    )
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert "以前登录过的设备仍可登录" in page.text


async def test_a_known_device_that_keeps_failing_is_held_back_like_any_other(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "kai")
    device = (await log_in(client, "kai")).json()["device_token"]
    typos = [(await log_in(client, "kai", WRONG, device=device)).status_code for _ in range(10)]
    assert typos == [401] * 10  # its own allowance: 10 an hour
    # Now it counts as unknown: the account's allowance for unknown devices (the first login
    # above used one of its 5).
    more = [(await log_in(client, "kai", WRONG, device=device)).status_code for _ in range(5)]
    assert more == [401] * 4 + [429]
    assert (await log_in(client, "kai", device=device)).status_code == 429


async def test_a_device_token_of_another_account_does_not_help(client: httpx.AsyncClient) -> None:
    await register(client, "ann")
    await register(client, "bea")
    ann_device = (await log_in(client, "ann")).json()["device_token"]
    await guess(client, "bea", 5)
    assert (await log_in(client, "bea", device=ann_device)).status_code == 429
    assert (await log_in(client, "bea", device="forged.token")).status_code == 429


async def test_guesses_sent_at_once_cannot_slip_past_while_passwords_are_checked(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "rush")
    answers = await asyncio.gather(*(log_in(client, "rush", WRONG) for _ in range(12)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [401] * 5 + [429] * 7


async def test_failures_from_one_address_do_not_shut_out_everyone_behind_it(
    client: httpx.AsyncClient,
) -> None:
    """A school or a carrier's NAT: one address, many people, some of them mistyping."""
    await register(client, "neighbour")
    for index in range(20):
        await log_in(client, f"ghost{index}", WRONG)
    assert (await log_in(client, "neighbour")).status_code == 201


async def test_one_address_guessing_many_accounts_is_held_back_but_known_devices_pass(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "regular")
    device = (await log_in(client, "regular")).json()["device_token"]
    codes = [(await log_in(client, f"ghost{index}", WRONG)).status_code for index in range(31)]
    assert codes == [401] * 30 + [429]  # 30 failures a minute from one address
    refused = await log_in(client, "ghost99", WRONG)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "network" in refused.json()["error"]["message"]
    assert (await log_in(client, "regular", device=device)).status_code == 201
