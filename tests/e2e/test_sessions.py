"""Sessions: 14 days unused and they end, each use renews them (without a write per request);
changing the password ends the others; "log out everywhere" ends them all (API and settings page,
in both languages)."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import select

from tests.e2e.test_web_session import boot_of, web_log_in
from tests.factories import PASSWORD, log_in, person, register
from tests.fakes import ShiftableClock
from tuan.accounts.models import Session
from tuan.bootstrap import Container

NEW_PASSWORD = "a much better passphrase"


async def _expiry(container: Container, user_id: int) -> list[datetime]:
    async with container.db.read_sessions() as session:
        found = await session.scalars(
            select(Session.expires_at).where(Session.user_id == user_id).order_by(Session.id)
        )
        return list(found)


async def test_a_session_left_unused_for_two_weeks_ends(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    dora = await person(client, "dora")
    clock.advance(days=15)
    response = await client.get("/api/v1/me", headers=dora.headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "SESSION_EXPIRED"


async def test_a_session_in_use_does_not_end(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    eli = await person(client, "eli")
    for _ in range(5):  # 50 days, once every 10
        clock.advance(days=10)
        assert (await client.get("/api/v1/me", headers=eli.headers)).status_code == 200


async def test_a_session_is_renewed_once_in_a_while_not_on_every_request(
    client: httpx.AsyncClient, clock: ShiftableClock, container: Container
) -> None:
    fay = await person(client, "fay")
    [issued] = await _expiry(container, fay.id)
    clock.advance(hours=12)
    assert (await client.get("/api/v1/me", headers=fay.headers)).status_code == 200
    assert await _expiry(container, fay.id) == [issued]  # no write yet
    clock.advance(days=2)
    assert (await client.get("/api/v1/me", headers=fay.headers)).status_code == 200
    [renewed] = await _expiry(container, fay.id)
    assert (renewed - issued).total_seconds() > 2 * 86400


async def test_the_web_cookie_follows_the_renewed_session(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    await register(client, "gus")
    await web_log_in(client, "gus")
    clock.advance(days=10)
    page = await client.get("/settings")
    cookie = next(c for c in page.headers.get_list("set-cookie") if c.startswith("tuan_session="))
    max_age = int(cookie.split("Max-Age=")[1].split(";")[0])
    assert max_age > 13 * 86400  # a full life again, not the 4 days left before this visit


async def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    client: httpx.AsyncClient,
) -> None:
    hal = await person(client, "hal")
    phone = (await log_in(client, "hal")).json()["token"]
    wrong = await client.put(
        "/api/v1/me/password",
        headers={**hal.headers, "Accept-Language": "zh-CN"},
        json={"current_password": "a wrong guess!", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"] == {
        "code": "WRONG_PASSWORD",
        "message": "当前密码不正确。",
        "field": "current_password",
    }
    changed = await client.put(
        "/api/v1/me/password",
        headers=hal.headers,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert changed.status_code == 204
    assert (await client.get("/api/v1/me", headers=hal.headers)).status_code == 200
    revoked = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {phone}"})
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "SESSION_REVOKED"
    assert (await log_in(client, "hal")).status_code == 401
    assert (await log_in(client, "hal", NEW_PASSWORD)).status_code == 201


async def test_a_weak_new_password_is_refused_by_name(client: httpx.AsyncClient) -> None:
    ida = await person(client, "ida")
    weak = await client.put(
        "/api/v1/me/password",
        headers=ida.headers,
        json={"current_password": PASSWORD, "new_password": "short"},
    )
    assert weak.status_code == 422 and weak.json()["error"]["field"] == "new_password"


async def test_logging_out_everywhere_ends_every_session(client: httpx.AsyncClient) -> None:
    joan = await person(client, "joan")
    second = (await log_in(client, "joan")).json()["token"]
    tablet = {"Authorization": f"Bearer {second}"}
    assert (await client.delete("/api/v1/sessions", headers=joan.headers)).status_code == 204
    for headers in (joan.headers, tablet):
        gone = await client.get("/api/v1/me", headers=headers)
        assert gone.status_code == 401 and gone.json()["error"]["code"] == "SESSION_REVOKED"


async def test_the_settings_page_changes_the_password(client: httpx.AsyncClient) -> None:
    kim = await person(client, "kim")
    csrf = await web_log_in(client, "kim")
    page = await client.get("/settings", headers={"Accept-Language": "zh-CN"})
    assert "修改密码" in page.text and "退出所有设备" in page.text
    refused = await client.post(
        "/settings/password",
        data={"csrf_token": csrf, "current_password": "nope nope", "new_password": NEW_PASSWORD},
    )
    assert refused.status_code == 422 and "That is not your current password." in refused.text
    done = await client.post(
        "/settings/password",
        data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert done.status_code == 303 and done.headers["location"] == "/settings?saved=password"
    shown = await client.get("/settings?saved=password")
    assert "Password changed. Every other device was logged out." in shown.text
    assert (await client.get("/api/v1/me", headers=kim.headers)).status_code == 401
    assert (await client.get("/api/v1/me")).status_code == 200  # this browser stays in


async def test_the_settings_page_logs_out_everywhere(client: httpx.AsyncClient) -> None:
    lucy = await person(client, "lucy")
    csrf = await web_log_in(client, "lucy")
    forged = await client.post("/logout-everywhere", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    done = await client.post("/logout-everywhere", data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert 'tuan_session=""' in done.headers["set-cookie"]
    assert (await client.get("/api/v1/me", headers=lucy.headers)).status_code == 401
    assert boot_of(await client.get("/login"))["me"] is None
