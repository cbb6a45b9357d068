"""The `tuan` command line: help at every level, migrations, operator actions, clear errors."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.live import TUAN, live_server, tuan_env
from tuan.core.outbox import OutboxRow


def run_tuan(
    *args: str, env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TUAN, *args],
        env=tuan_env(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args", [(), ("db",), ("admin",), ("serve",), ("demo",), ("db", "upgrade"), ("admin", "verify")]
)
def test_help_is_useful_at_every_level(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_tuan(*args, "--help", env={}, cwd=tmp_path)
    assert result.returncode == 0
    assert "Usage" in result.stdout and len(result.stdout.splitlines()) > 5


def test_invalid_settings_fail_at_start_with_one_clear_line(tmp_path: Path) -> None:
    result = run_tuan("serve", env={"TUAN_PORT": "99999"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "TUAN_PORT" in result.stderr and "Traceback" not in result.stderr


def test_db_upgrade_then_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    refused = run_tuan("serve", env={"TUAN_DATABASE_URL": url}, cwd=tmp_path)
    assert refused.returncode == 1 and "tuan db upgrade" in refused.stderr
    upgraded = run_tuan("db", "upgrade", env={"TUAN_DATABASE_URL": url}, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    current = run_tuan("db", "current", env={"TUAN_DATABASE_URL": url}, cwd=tmp_path)
    database, code = (line.split(":", 1)[1].strip() for line in current.stdout.splitlines()[:2])
    assert database == code != "empty"


def test_operator_creates_and_verifies_a_user(server_env: dict[str, str], tmp_path: Path) -> None:
    created = run_tuan(
        "admin",
        "create-user",
        "李小雷",
        "--display-name",
        "李雷 Li Lei",
        env=server_env,
        cwd=tmp_path,
        stdin="a good long password\na good long password\n",
    )
    assert created.returncode == 0, created.stderr
    verified = run_tuan("admin", "verify", "李小雷", env=server_env, cwd=tmp_path)
    assert verified.returncode == 0 and "verified" in verified.stdout
    unknown = run_tuan("admin", "verify", "nobody_x", env=server_env, cwd=tmp_path)
    assert unknown.returncode == 1 and "nobody_x" in unknown.stderr

    with live_server(server_env, cwd=tmp_path) as server:
        token = httpx.post(
            server.url + "/api/v1/sessions",
            json={"username": "李小雷", "password": "a good long password"},
        ).json()["token"]
        me = httpx.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["verified"] is True and me.json()["display_name"] == "李雷 Li Lei"


def test_the_demo_serves_a_community_people_can_log_in_to(
    fresh_database_url: str, tmp_path: Path
) -> None:
    env = {"TUAN_DATABASE_URL": fresh_database_url, "TUAN_LOG_LEVEL": "WARNING"}
    with live_server(env, cwd=tmp_path, command=("demo", "--size", "40")) as server:
        session = httpx.post(
            server.url + "/api/v1/sessions",
            json={"username": "mei", "password": "tuan-demo-2026"},
        )
        assert session.status_code == 201
        token = session.json()["token"]
        found = httpx.get(
            server.url + "/api/v1/products",
            params={"q": "坚果"},
            headers={"Authorization": f"Bearer {token}"},
        )
        push_key = httpx.get(server.url + "/api/v1/push/key")
        banner = server.log()
    assert server.url in banner and "mei" in banner and "tuan-demo-2026" in banner
    # Notifications work in the demo: its own keys, kept for its owner only, never printed.
    kept = tmp_path / "var" / "demo-push-keys.json"
    assert push_key.status_code == 200 and kept.stat().st_mode & 0o077 == 0
    private, public = json.loads(kept.read_text())
    assert push_key.json()["public_key"] == public and private not in banner
    assert found.status_code == 200, found.text
    assert "每日坚果礼盒 Daily nuts gift box" in [p["name"] for p in found.json()]


async def test_operator_lists_retries_and_discards_failed_events(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    engine = create_async_engine(server_env["TUAN_DATABASE_URL"])
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        for event_id, dead in (("a" * 32, True), ("b" * 32, False)):
            await conn.execute(
                insert(OutboxRow).values(
                    event_id=event_id,
                    topic="orders.order_completed",
                    payload={"order_id": 1},
                    occurred_at=now,
                    attempts=10 if dead else 2,
                    next_attempt_at=now + timedelta(minutes=5),
                    last_error="KeyError: 'sharer_id'",
                    dead_at=now if dead else None,
                )
            )
        ids = list(await conn.scalars(select(OutboxRow.id).order_by(OutboxRow.id)))
    await engine.dispose()

    listed = run_tuan("admin", "outbox", env=server_env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "1 events waiting, 1 retrying, 1 dead" in listed.stdout
    assert "KeyError" in listed.stdout and "orders.order_completed" in listed.stdout

    retried = run_tuan("admin", "outbox", "--retry", str(ids[0]), env=server_env, cwd=tmp_path)
    assert retried.returncode == 0 and "retried now" in retried.stdout
    assert "2 events waiting" in retried.stdout and "0 dead" in retried.stdout
    discarded = run_tuan("admin", "outbox", "--discard", str(ids[1]), env=server_env, cwd=tmp_path)
    assert discarded.returncode == 0 and "1 events waiting" in discarded.stdout
    unknown = run_tuan("admin", "outbox", "--discard", str(ids[1]), env=server_env, cwd=tmp_path)
    assert unknown.returncode == 1 and f"no undelivered event with id {ids[1]}" in unknown.stderr


async def test_operator_prunes_events_handled_more_than_a_week_ago(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    engine = create_async_engine(server_env["TUAN_DATABASE_URL"])
    now = datetime.now(UTC)
    rows = {"old": now - timedelta(days=10), "recent": now - timedelta(days=2), "dead": None}
    async with engine.begin() as conn:
        for n, (name, published_at) in enumerate(rows.items()):
            await conn.execute(
                insert(OutboxRow).values(
                    event_id=f"{n:032d}",
                    topic="orders.order_completed",
                    payload={"name": name},
                    occurred_at=now - timedelta(days=20),
                    attempts=0 if published_at else 10,
                    published_at=published_at,
                    dead_at=None if published_at else now - timedelta(days=20),
                )
            )
    await engine.dispose()

    kept_longer = run_tuan("admin", "prune", "--days", "30", env=server_env, cwd=tmp_path)
    assert kept_longer.returncode == 0, kept_longer.stderr
    assert "0 outbox events, 0 due jobs" in kept_longer.stdout
    pruned = run_tuan("admin", "prune", env=server_env, cwd=tmp_path)
    assert pruned.returncode == 0, pruned.stderr
    assert "1 outbox events, 0 due jobs" in pruned.stdout

    engine = create_async_engine(server_env["TUAN_DATABASE_URL"])
    async with engine.connect() as conn:
        left = [payload["name"] for payload in await conn.scalars(select(OutboxRow.payload))]
    await engine.dispose()
    assert sorted(left) == ["dead", "recent"]
