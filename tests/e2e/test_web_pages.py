"""The web app's pages: security headers on every one, the language chosen and switched, what
people typed shown as text, static files, and pages kept out of the API's schema."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.test_web_session import boot_of, web_log_in
from tests.factories import join_open_group, person, register

PAGES = [
    "/chats",
    "/chats/1",
    "/groups/1/admin",
    "/invite/abcdefgh",
    "/notifications",
    "/for-you",
    "/settings",
    "/friends",
    "/people/mei",
    "/products",
    "/products/1",
    "/cart",
    "/orders",
    "/orders/1",
    "/shops",
    "/shops/1/manage",
    "/teams/1",
]


def assert_secure_page(response: httpx.Response) -> None:
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["content-type"].startswith("text/html")
    # no inline script: only JSON data blocks and module files from /static
    body = response.text
    assert "<script>" not in body and " on" + "click=" not in body
    assert body.count("<script") == body.count('type="application/json"') + body.count(
        '<script type="module" src="/static/'
    )


async def test_every_page_is_served_with_the_security_headers(client: httpx.AsyncClient) -> None:
    assert_secure_page(await client.get("/login"))
    assert_secure_page(await client.get("/signup"))
    await register(client, "mei")
    await web_log_in(client, "mei")
    for path in PAGES:
        response = await client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert_secure_page(response)


async def test_pages_are_not_part_of_the_api_schema(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert all(p.startswith(("/api/", "/media/", "/healthz", "/readyz")) for p in paths), paths


@pytest.mark.parametrize(
    ("accept", "lang", "word"),
    [
        ("zh-CN,zh;q=0.9", "zh-CN", "登录"),
        ("zh-TW", "zh-CN", "登录"),
        ("en-US,en;q=0.8,zh;q=0.5", "en", "Log in"),
        ("fr-FR, zh;q=0.7, en;q=0.6", "zh-CN", "登录"),
        ("", "en", "Log in"),
    ],
)
async def test_the_language_follows_the_browsers_accept_language(
    client: httpx.AsyncClient, accept: str, lang: str, word: str
) -> None:
    page = await client.get("/login", headers={"Accept-Language": accept})
    assert f'<html lang="{lang}">' in page.text and f"<h1>{word}</h1>" in page.text
    assert boot_of(page)["locale"] == lang


async def test_switching_language_is_remembered_in_a_cookie_and_on_the_account(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/login", headers={"Accept-Language": "en"})
    switched = await client.post(
        "/language",
        data={"locale": "zh-CN", "next": "/login", "csrf_token": boot_of(page)["csrf"]},
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    assert "tuan_locale=zh-CN" in switched.headers["set-cookie"]
    assert "<h1>登录</h1>" in (await client.get("/login", headers={"Accept-Language": "en"})).text

    await register(client, "mei")
    csrf = await web_log_in(client, "mei")
    await client.post("/language", data={"locale": "en", "next": "/chats", "csrf_token": csrf})
    assert (await client.get("/api/v1/me")).json()["locale"] == "en"
    # the account's choice follows the person to a browser that never chose
    client.cookies.delete("tuan_locale")
    chats = await client.get("/chats", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in chats.text


async def test_the_language_form_needs_its_csrf_token(client: httpx.AsyncClient) -> None:
    await client.get("/login")
    refused = await client.post("/language", data={"locale": "zh-CN", "next": "/login"})
    assert refused.status_code == 403 and "tuan_locale" not in refused.headers.get("set-cookie", "")


async def test_names_people_chose_are_escaped_in_server_rendered_pages(
    client: httpx.AsyncClient,
) -> None:
    attacker = await person(client, "mallory", display_name='<img src=x onerror="alert(1)">')
    mei = await person(client, "mei")
    group_id = await join_open_group(client, mei, attacker)
    await client.post(
        f"/api/v1/conversations/{group_id}/messages",
        headers=attacker.headers,
        json={"text": "<script>alert(2)</script> @mei", "mentions": [mei.id]},
    )
    await client.post(
        "/api/v1/friends/requests", headers=attacker.headers, json={"user_id": mei.id}
    )
    await web_log_in(client, "mei")
    page = (await client.get("/notifications")).text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<script>alert" not in page


async def test_group_admin_page_is_only_for_the_groups_admins(client: httpx.AsyncClient) -> None:
    mei, ben = await person(client, "mei"), await person(client, "ben")
    group_id = await join_open_group(client, mei, ben)
    await web_log_in(client, "ben")
    refused = await client.get(f"/groups/{group_id}/admin")
    assert refused.status_code == 404
    client.cookies.clear()
    await web_log_in(client, "mei")
    assert (await client.get(f"/groups/{group_id}/admin")).status_code == 200


async def test_static_files_are_served_with_their_types(client: httpx.AsyncClient) -> None:
    script = await client.get("/static/js/boot.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    style = await client.get("/static/css/app.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert (await client.get("/static/../web/views.py")).status_code == 404


async def test_a_name_cannot_break_out_of_the_pages_data_block(client: httpx.AsyncClient) -> None:
    name = "</script><script>alert(1)</script>"
    await register(client, "mallory", display_name=name)
    await web_log_in(client, "mallory")
    page = await client.get("/settings")
    assert "<script>alert(1)" not in page.text
    me = boot_of(page)["me"]
    assert isinstance(me, dict) and me["display_name"] == name


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Who sees what I buy", "Who sees my ratings and reviews", "Default: nobody."]),
        ("zh-CN", ["谁能看到我买了什么", "谁能看到我的评分和评价", "默认：谁都看不到。"]),
    ],
)
async def test_the_privacy_page_has_one_control_per_behaviour_with_its_default(
    client: httpx.AsyncClient, lang: str, expected: list[str]
) -> None:
    await register(client, "mei")
    await web_log_in(client, "mei")
    client.cookies.set("tuan_locale", lang)
    page = (await client.get("/settings", headers={"accept-language": lang})).text
    for text in expected:
        assert text in page
    for audience in ("nobody", "friends", "shared_groups", "groups"):
        assert page.count(f'<option value="{audience}">') == 2


async def test_the_product_page_has_the_social_proof_and_ratings_panels(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "mei")
    await web_log_in(client, "mei")
    page = (await client.get("/products/1")).text
    for element in ("proof-friends", "proof-friend-reviews", "proof-groups", "proof-group-ratings"):
        assert f'id="{element}"' in page
    for element in ("rating-overall", "rating-friends", "rating-trusted", "reviews"):
        assert f'id="{element}"' in page
