"""Production (TUAN_ENVIRONMENT=production): Secure cookies, HSTS, no API docs pages; and whom
the app believes about a client's address (TUAN_TRUSTED_PROXIES, nobody by default)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import TEST_PASSWORDS
from tests.e2e.test_web_session import form_token
from tests.factories import PASSWORD, register
from tests.live import live_server
from tuan.bootstrap import bootstrap
from tuan.http.app import create_app
from tuan.settings import Settings

WRONG = "not the password at all"


Site = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def site(settings: Settings) -> Site:
    """``async with site(**changes) as client``: the app on ``settings`` changed, over http."""

    @asynccontextmanager
    async def open_site(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
        container = bootstrap(settings.model_copy(update=changes), passwords=TEST_PASSWORDS)
        await container.start(background=False)
        transport = httpx.ASGITransport(app=create_app(container, manage_container=False))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://tuan.test") as http:
                yield http
        finally:
            await container.rate_limits.reset()
            await container.close()

    return open_site


def _cookie(response: httpx.Response, name: str) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}="))


async def test_production_cookies_are_secure_and_https_is_required(site: Site) -> None:
    async with site(environment="production") as client:
        await register(client, "prod_mei")
        # Behind a TLS proxy the app may see plain http; the browser, on https, sends the cookie.
        page = await client.get("/login")
        nonce = _cookie(page, "tuan_csrf")
        assert "Secure" in nonce
        client.cookies.set("tuan_csrf", nonce.split(";")[0].split("=", 1)[1])
        token = await form_token(client)
        login = {"username": "prod_mei", "password": PASSWORD, "csrf_token": token}
        response = await client.post("/login", data=login)
        assert response.status_code == 303
        for name in ("tuan_session", "tuan_device"):
            assert "Secure" in _cookie(response, name) and "HttpOnly" in _cookie(response, name)
        for path in ("/login", "/api/v1/me", "/healthz"):
            hsts = (await client.get(path)).headers["Strict-Transport-Security"]
            assert hsts == "max-age=31536000; includeSubDomains"


async def test_production_serves_no_docs_pages_but_the_openapi_document(site: Site) -> None:
    async with site(environment="production") as client:
        assert (await client.get("/docs")).status_code == 404
        assert (await client.get("/redoc")).status_code == 404
        assert (await client.get("/openapi.json")).json()["info"]["title"] == "Tuan"
    async with site(environment="production", api_docs=True) as client:
        assert (await client.get("/docs")).status_code == 200


async def test_elsewhere_no_hsts_and_the_docs_are_served(site: Site) -> None:
    async with site() as client:
        assert "Strict-Transport-Security" not in (await client.get("/healthz")).headers
        assert (await client.get("/docs")).status_code == 200


async def _guesses_refused(client: httpx.AsyncClient, times: int) -> list[int]:
    """Failed logins on made-up accounts, each claiming another client address."""
    codes = []
    for n in range(times):
        response = await client.post(
            "/api/v1/sessions",
            json={"username": f"ghost{n}", "password": WRONG},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        codes.append(response.status_code)
    return codes


async def test_a_client_cannot_pick_its_address_by_default(site: Site) -> None:
    async with site(limit_login_address="3/hour") as client:
        assert await _guesses_refused(client, 4) == [401, 401, 401, 429]


async def test_a_trusted_proxy_names_the_client(site: Site) -> None:
    trusted = "127.0.0.1, 10.0.0.0/8"  # the test client's address is 127.0.0.1
    async with site(limit_login_address="3/hour", trusted_proxies=trusted) as client:
        assert await _guesses_refused(client, 4) == [401] * 4  # four clients behind the proxy
        secure = await client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in _cookie(secure, "tuan_csrf")


def test_the_server_does_not_believe_forwarded_for_from_loopback(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    """`tuan serve` behind no proxy: X-Forwarded-For from 127.0.0.1 is just a header."""
    with live_server(server_env, cwd=tmp_path) as server:
        codes = []
        for n in range(21):
            response = httpx.post(
                server.url + "/api/v1/sessions",
                json={"username": f"ghost{n}", "password": WRONG},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            codes.append(response.status_code)
            if response.status_code == 429:
                break
    assert codes[-1] == 429, codes  # one address guessing, whatever the header says


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    """A lower limit per address than the default, so 21 guesses are enough to meet it."""
    return {**server_env, "TUAN_LIMIT_LOGIN_ADDRESS": "10/hour"}
