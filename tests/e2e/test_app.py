"""The app's frame: health, readiness, OpenAPI, docs and JSON errors for unknown routes."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import insert

from tests.e2e.test_web_session import form_token
from tuan.bootstrap import Container, bootstrap
from tuan.core.outbox import OutboxRow
from tuan.http.app import create_app
from tuan.settings import Settings


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "bus": True}
    assert ready.json()["outbox"] == {"waiting": 0, "retrying": 0, "dead": 0}


async def test_readiness_reports_events_that_failed_or_died(
    client: httpx.AsyncClient, container: Container
) -> None:
    await container.stop_workers()  # nothing drains while the rows are set up
    now = container.clock.now()
    async with container.db.write_engine.begin() as conn:
        for n, (attempts, dead) in enumerate(((0, None), (3, None), (10, now))):
            await conn.execute(
                insert(OutboxRow).values(
                    event_id=f"{n:032d}",
                    topic="test.anything",
                    payload={},
                    occurred_at=now,
                    attempts=attempts,
                    next_attempt_at=now + timedelta(hours=1) if attempts else None,
                    dead_at=dead,
                )
            )
    ready = await client.get("/readyz")
    assert ready.status_code == 200  # a dead event is for an operator, not a reason to stop serving
    assert ready.json()["outbox"] == {"waiting": 2, "retrying": 1, "dead": 1}


async def test_openapi_and_docs_are_served(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "/api/v1/accounts" in spec["paths"] and "/api/v1/me" in spec["paths"]
    assert (await client.get("/docs")).status_code == 200


async def test_unknown_route_and_wrong_method_are_json_errors(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    wrong = await client.put("/healthz")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


async def test_a_wrong_method_is_told_every_method_the_address_takes(
    client: httpx.AsyncClient,
) -> None:
    # PUT and DELETE /blocks/{user_id} are two routes; GET and POST /friends/requests too, and
    # /friends/{user_id} (DELETE) must not swallow the latter.
    blocks = await client.patch("/api/v1/blocks/7")
    assert (blocks.status_code, blocks.headers["allow"]) == (405, "PUT, DELETE")
    requests = await client.delete("/api/v1/friends/requests")
    assert (requests.status_code, requests.headers["allow"]) == (405, "GET, POST")


async def test_readiness_fails_when_database_and_bus_are_unreachable(
    settings: Settings,
) -> None:
    broken = settings.model_copy(
        update={
            "database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere",
            "redis_url": "redis://127.0.0.1:1/0",
        }
    )
    container = bootstrap(broken)
    app = create_app(container, manage_container=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://tuan.test"
    ) as http:
        response = await http.get("/readyz")
    await container.close()
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "bus": False}
    assert response.json()["outbox"] is None
    assert (await http_alive(app)) == 200


async def http_alive(app: object) -> int:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://tuan.test",  # type: ignore[arg-type]
    ) as http:
        return (await http.get("/healthz")).status_code


async def test_text_no_database_can_store_is_refused_not_crashed_on(
    client: httpx.AsyncClient,
) -> None:
    nul = await client.post(
        "/api/v1/accounts",
        json={"username": "nul_user", "display_name": "a\x00b", "password": "long enough pw"},
    )
    assert nul.status_code == 422 and "NUL" in nul.json()["error"]["message"]
    surrogate = await client.post(
        "/api/v1/accounts",
        content=b'{"username": "sur_user", "display_name": "\\ud800", '
        b'"password": "long enough pw"}',
        headers={"content-type": "application/json"},
    )
    assert surrogate.status_code == 422
    in_url = await client.get("/api/v1/users/a%00b")
    assert in_url.status_code == 400 and in_url.json()["error"]["code"] == "BAD_REQUEST"


async def test_a_nul_in_a_form_field_is_refused_at_the_edge(client: httpx.AsyncClient) -> None:
    # JSON bodies are refused by their models (above); forms are read by no model.
    token = await form_token(client)
    urlencoded = await client.post(
        "/login", data={"username": "mei\x00", "password": "long enough pw", "csrf_token": token}
    )
    multipart = await client.post(
        "/login",
        files={
            "username": (None, "mei\x00"),
            "password": (None, "long enough pw"),
            "csrf_token": (None, token),
        },
    )
    for refused in (urlencoded, multipart):
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == "username"
