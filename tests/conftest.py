"""Test fixtures.

The suite runs on SQLite by default. With ``TUAN_TEST_DATABASE_URL`` (a PostgreSQL server URL) it
creates a fresh database on that server for the session and drops it afterwards; with
``TUAN_TEST_REDIS_URL`` the event bus is Redis. Under ``CI=true`` tests never skip the production
path silently: a test that needs Redis fails if it is not configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tests.fakes import ShiftableClock
from tuan.accounts.passwords import Passwords
from tuan.bootstrap import Container, bootstrap
from tuan.core.migrate import upgrade
from tuan.http.app import create_app
from tuan.models import Base
from tuan.settings import Settings, load_settings

PG_URL = os.environ.get("TUAN_TEST_DATABASE_URL") or None
REDIS_URL = os.environ.get("TUAN_TEST_REDIS_URL") or None
IN_CI = os.environ.get("CI", "").lower() == "true"
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"

# Cheap argon2id parameters: the algorithm is the same, tests just do not need to be slow.
TEST_PASSWORDS = Passwords(time_cost=1, memory_cost=8192)


def require_redis() -> str:
    """The Redis URL for a test that needs one.

    The SQLite pass skips it with a reason (CI runs it in the PostgreSQL + Redis pass); in CI the
    production pass fails instead of skipping if Redis is not configured.
    """
    if REDIS_URL:
        return REDIS_URL
    if IN_CI and PG_URL:
        pytest.fail("the PostgreSQL pass in CI needs TUAN_TEST_REDIS_URL too")
    pytest.skip("needs Redis: runs in the PostgreSQL + Redis pass (TUAN_TEST_REDIS_URL)")


async def create_pg_database(server_url: str, name: str) -> str:
    admin = create_async_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_pg_database(server_url: str, name: str) -> None:
    admin = create_async_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture(scope="session")
def session_tag() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
async def database_url(
    tmp_path_factory: pytest.TempPathFactory, session_tag: str
) -> AsyncIterator[str]:
    """A database migrated to head once per test session."""
    if PG_URL:
        name = f"tuan_test_{session_tag}"
        url = await create_pg_database(PG_URL, name)
        await upgrade(url)
        yield url
        await drop_pg_database(PG_URL, name)
    else:
        path = tmp_path_factory.mktemp("db") / "tuan.db"
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade(url)
        yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path, session_tag: str) -> Settings:
    return load_settings(
        database_url=database_url,
        redis_url=REDIS_URL,
        redis_channel=f"tuan:test:{session_tag}",
        media_dir=tmp_path / "media",
        environment="test",
        secret_key="test-secret-key-0123456789",
        # Tests sign many people up from one address and send bursts: the limits that would stop
        # them are tested on their own (tests/e2e/test_rate_limits.py). Logins keep the defaults.
        limit_signup_address="1000/minute",
        limit_messages_account="1000/minute",
        limit_uploads_account="1000/minute",
        # Each browser context would install the service worker and its shell; the tests of the
        # installable app turn it on (tests/browser/test_installable.py).
        service_worker=False,
    )


@pytest.fixture
def clock() -> ShiftableClock:
    return ShiftableClock()


async def _wipe(container: Container) -> None:
    """Empty every table the migrations created, once the container's workers have stopped.

    Workers stop first, so no relay, poster or sweeper of the finished test can race the wipe
    (a live worker racing a TRUNCATE is how PostgreSQL reports a deadlock and leaks one test's
    rows into the next); the wipe then goes through the container's own engine, queueing
    behind any write still finishing, and retries a transient lock conflict.
    """
    lock = container.db.write_lock or contextlib.nullcontext()
    async with lock:  # SQLite: a writer still in its transaction finishes first
        stuck = await container.stop_workers()
        # A connection a cancelled request left mid-transaction (a browser closed while its
        # page was still sending) holds SQLite's lock until the pool closes it: wait up to ~15 s.
        for attempt in range(10):
            try:
                async with container.db.write_engine.begin() as conn:
                    await _delete_all(conn, is_sqlite=container.db.is_sqlite)
                break
            except DBAPIError:
                if attempt == 9:
                    raise
                await asyncio.sleep(0.3 * (attempt + 1))
    # Rate-limit counts too: in Redis they would outlive the container (keys under the session's
    # channel name, so other test runs' counts are not touched).
    await container.rate_limits.reset()
    # Reported after the wipe: a worker left running would use the shared database in later tests.
    assert not stuck, f"workers still running after the test: {stuck}"


async def _delete_all(conn: AsyncConnection, *, is_sqlite: bool) -> None:
    # Only tables the migrations created: a model without its migration is reported by
    # test_migrations_and_models_agree, not by every test at teardown.
    existing = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in existing]
    if is_sqlite:
        for name in tables:
            await conn.execute(text(f'DELETE FROM "{name}"'))
    else:
        await conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    # The deleted-user tombstone is data the migrations made (0016), not a test's: put it back.
    if "users" in existing:
        await conn.execute(
            text(
                "INSERT INTO users (id, username, username_key, display_name, bio, password_hash,"
                " verified, created_at, updated_at) VALUES (0, '~deleted', '~deleted',"
                " 'Deleted user', '', '!', false, :now, :now)"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None) if is_sqlite else datetime.now(UTC)},
        )


@pytest.fixture
async def container(settings: Settings, clock: ShiftableClock) -> AsyncIterator[Container]:
    built = bootstrap(settings, clock=clock, passwords=TEST_PASSWORDS)
    await built.start()
    try:
        yield built
    finally:
        try:
            await _wipe(built)
        finally:
            await built.close()


@pytest.fixture
async def client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(container, manage_container=False)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://tuan.test") as http:
        yield http


@pytest.fixture
async def fresh_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A new database of the suite's engine, migrated to head, for a server subprocess."""
    if PG_URL:
        name = f"tuan_live_{uuid.uuid4().hex[:10]}"
        url = await create_pg_database(PG_URL, name)
        await upgrade(url)
        yield url
        await drop_pg_database(PG_URL, name)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
        await upgrade(url)
        yield url


@pytest.fixture
def server_env(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for a `tuan serve` subprocess on a fresh database (and Redis if configured)."""
    env = {
        "TUAN_DATABASE_URL": fresh_database_url,
        "TUAN_MEDIA_DIR": str(tmp_path / "media"),
        "TUAN_SECRET_KEY": "live-test-secret-0123456789",
        "TUAN_LOG_LEVEL": "WARNING",
    }
    if REDIS_URL:
        env["TUAN_REDIS_URL"] = REDIS_URL
        env["TUAN_REDIS_CHANNEL"] = f"tuan:live:{uuid.uuid4().hex[:8]}"
    return env


@pytest.fixture
async def live_app(container: Container) -> AsyncIterator[str]:
    """The app served by a real uvicorn in this event loop; yields ``host:port``."""
    import asyncio

    import uvicorn

    from tests.live import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(container, manage_container=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            proxy_headers=False,  # as `tuan serve`: the app decides whom to believe
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
