"""Helpers that create things through the public API, as a user would."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

PASSWORD = "correct horse battery"


@dataclass
class Person:
    id: int
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def register(
    client: httpx.AsyncClient,
    username: str,
    *,
    display_name: str | None = None,
    password: str = PASSWORD,
) -> httpx.Response:
    return await client.post(
        "/api/v1/accounts",
        json={"username": username, "display_name": display_name or username, "password": password},
    )


async def log_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/api/v1/sessions", json={"username": username, "password": password})


async def person(
    client: httpx.AsyncClient, username: str, *, display_name: str | None = None
) -> Person:
    """Register and log in; fails the test loudly if either step does not succeed."""
    created = await register(client, username, display_name=display_name)
    assert created.status_code == 201, created.text
    session = await log_in(client, username)
    assert session.status_code == 201, session.text
    return Person(id=created.json()["id"], username=username, token=session.json()["token"])


async def make_group(client: httpx.AsyncClient, owner: Person, **settings: object) -> int:
    response = await client.post(
        "/api/v1/groups", headers=owner.headers, json={"name": "测试群 test group", **settings}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def invite_link(
    client: httpx.AsyncClient, admin: Person, group_id: int, **options: object
) -> str:
    response = await client.post(
        f"/api/v1/groups/{group_id}/invite-links", headers=admin.headers, json=options
    )
    assert response.status_code == 201, response.text
    return str(response.json()["code"])


async def join_open_group(
    client: httpx.AsyncClient, owner: Person, *members: Person, **settings: object
) -> int:
    """An open group with ``owner`` and ``members`` in it."""
    group_id = await make_group(client, owner, join_policy="open", **settings)
    code = await invite_link(client, owner, group_id)
    for member in members:
        joined = await client.post(f"/api/v1/invites/{code}/join", headers=member.headers, json={})
        assert joined.json()["status"] == "joined", joined.text
    return group_id


async def say(
    client: httpx.AsyncClient, who: Person, conversation_id: int, text: str, **extra: object
) -> httpx.Response:
    return await client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        headers=who.headers,
        json={"text": text, **extra},
    )


async def people(client: httpx.AsyncClient, *usernames: str) -> list[Person]:
    return [await person(client, name) for name in usernames]
