"""Chat across real server processes: a restart in the middle of a conversation, and two
processes sharing one database and one Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import require_redis
from tests.factories import PASSWORD, Person
from tests.live import live_server, private_redis
from tests.wsclient import ChatClient


async def enrol(http: httpx.AsyncClient, name: str) -> Person:
    created = await http.post(
        "/api/v1/accounts", json={"username": name, "display_name": name, "password": PASSWORD}
    )
    session = await http.post("/api/v1/sessions", json={"username": name, "password": PASSWORD})
    return Person(created.json()["id"], name, session.json()["token"])


async def open_group(http: httpx.AsyncClient, owner: Person, *members: Person) -> int:
    cid = (
        await http.post(
            "/api/v1/groups", headers=owner.headers, json={"name": "群", "join_policy": "open"}
        )
    ).json()["id"]
    code = (
        await http.post(f"/api/v1/groups/{cid}/invite-links", headers=owner.headers, json={})
    ).json()["code"]
    for member in members:
        await http.post(f"/api/v1/invites/{code}/join", headers=member.headers, json={})
    return int(cid)


def host(url: str) -> str:
    return url.removeprefix("http://")


async def test_a_client_resyncs_without_gaps_or_duplicates_across_a_server_restart(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    with live_server(server_env, cwd=tmp_path) as first:
        async with httpx.AsyncClient(base_url=first.url) as http:
            mei, ben = await enrol(http, "mei"), await enrol(http, "ben")
            cid = await open_group(http, mei, ben)
            socket = await ChatClient.open(host(first.url), ben.token)
            await http.post(
                f"/api/v1/conversations/{cid}/messages",
                headers=mei.headers,
                json={"text": "before"},
            )
            await socket.wait_for(
                lambda f: f["type"] == "message" and f["message"]["text"] == "before"
            )
            position = max(m["version"] for m in socket.messages(cid))
            await socket.close()
            await http.post(
                f"/api/v1/conversations/{cid}/messages",
                headers=mei.headers,
                json={"text": "while away"},
            )

    # the server is down: mei's app keeps trying to send with the same client id
    retry = {"text": "during the restart", "client_id": "retry-1"}
    try:
        async with httpx.AsyncClient(base_url=first.url) as http:
            await http.post(
                f"/api/v1/conversations/{cid}/messages", headers=mei.headers, json=retry
            )
        raise AssertionError("the server should be down")
    except httpx.ConnectError:
        pass

    with live_server(server_env, cwd=tmp_path) as second:
        async with httpx.AsyncClient(base_url=second.url) as http:
            for _ in range(2):  # the retry succeeds once, and a second retry changes nothing
                sent = await http.post(
                    f"/api/v1/conversations/{cid}/messages", headers=mei.headers, json=retry
                )
                assert sent.status_code in (200, 201)
            back = await ChatClient.open(host(second.url), ben.token, {cid: position})
            await http.post(
                f"/api/v1/conversations/{cid}/messages", headers=mei.headers, json={"text": "after"}
            )
            await back.wait_for(
                lambda f: f["type"] == "message" and f["message"]["text"] == "after"
            )
            assert back.texts(cid) == ["while away", "during the restart", "after"]
            versions = [m["version"] for m in back.messages(cid)]
            assert versions == sorted(set(versions))
            await back.close()


async def test_a_member_on_one_process_receives_what_was_sent_through_another(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    require_redis()
    with live_server(server_env, cwd=tmp_path) as a, live_server(server_env, cwd=tmp_path) as b:
        async with (
            httpx.AsyncClient(base_url=a.url) as http_a,
            httpx.AsyncClient(base_url=b.url) as http_b,
        ):
            mei, ben = await enrol(http_a, "mei"), await enrol(http_a, "ben")
            cid = await open_group(http_a, mei, ben)
            on_a = await ChatClient.open(host(a.url), mei.token)
            on_b = await ChatClient.open(host(b.url), ben.token)
            await on_a.send(
                {"type": "send", "conversation_id": cid, "client_id": "x1", "text": "from A"}
            )
            await on_b.wait_for(
                lambda f: f["type"] == "message" and f["message"]["text"] == "from A"
            )

            # both processes write to the same conversation at once; both sockets see it all,
            # in position order, once each
            async def burst(http: httpx.AsyncClient, who: Person, tag: str) -> None:
                for i in range(25):
                    await http.post(
                        f"/api/v1/conversations/{cid}/messages",
                        headers=who.headers,
                        json={"text": f"{tag}{i}"},
                    )

            await asyncio.gather(burst(http_a, mei, "a"), burst(http_b, ben, "b"))
            for socket in (on_a, on_b):
                await socket.wait_for(
                    lambda f: f["type"] == "message" and f["message"]["text"] == "a24"
                )
                await socket.wait_for(
                    lambda f: f["type"] == "message" and f["message"]["text"] == "b24"
                )
                got = [m for m in socket.messages(cid) if m["kind"] == "text"]
                versions = [m["version"] for m in got]
                assert versions == sorted(set(versions)), "out of order or duplicated"
                assert len(got) == 51
                assert versions == list(range(versions[0], versions[0] + 51)), "a gap"
            await on_a.close()
            await on_b.close()


async def test_what_was_posted_while_redis_was_down_reaches_every_process_once_it_is_back(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    require_redis()  # two processes on one database: the PostgreSQL pass
    with private_redis(tmp_path) as redis:
        env = {**server_env, "TUAN_REDIS_URL": redis.url}
        with live_server(env, cwd=tmp_path) as a, live_server(env, cwd=tmp_path) as b:
            async with httpx.AsyncClient(base_url=a.url) as http:
                mei, ben = await enrol(http, "mei"), await enrol(http, "ben")
                cid = await open_group(http, mei, ben)
                on_a = await ChatClient.open(host(a.url), mei.token)
                on_b = await ChatClient.open(host(b.url), ben.token)

                redis.stop()
                for text in ("one", "two", "three"):
                    sent = await http.post(
                        f"/api/v1/conversations/{cid}/messages",
                        headers=mei.headers,
                        json={"text": text},
                    )
                    assert sent.status_code == 201, sent.text
                # the poster's own process delivers without Redis
                await on_a.wait_for(is_text("three"), timeout=5)

                redis.start()  # and then the chat goes quiet: nobody posts again
                await on_b.wait_for(is_text("three"), timeout=15)
                got = [m for m in on_b.messages(cid) if m["kind"] == "text"]
                assert [m["text"] for m in got] == ["one", "two", "three"]
                versions = [m["version"] for m in on_b.messages(cid)]
                assert versions == sorted(set(versions)), "out of order or duplicated"
            await on_a.close()
            await on_b.close()


def is_text(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda f: f["type"] == "message" and f["message"]["text"] == text
