"""Alembic migrations build the schema on both engines, and they match the models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.conftest import PG_URL, create_pg_database, drop_pg_database
from tuan.core.db import create_database
from tuan.core.migrate import current_revision, head_revision, upgrade
from tuan.models import Base


def _diff(connection: Any) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_and_models_agree(database_url: str) -> None:
    db = create_database(database_url)
    try:
        async with db.read_engine.connect() as connection:
            differences = await connection.run_sync(_diff)
    finally:
        await db.dispose()
    assert differences == []


async def test_an_empty_sqlite_database_upgrades_to_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    assert await current_revision(url) == ()
    await upgrade(url)
    assert await current_revision(url) == head_revision()
    await upgrade(url)  # a second upgrade is a no-op, not an error
    assert await current_revision(url) == head_revision()


async def test_an_empty_postgres_database_upgrades_to_head(session_tag: str) -> None:
    if PG_URL is None:
        import pytest

        pytest.skip("PostgreSQL run only (TUAN_TEST_DATABASE_URL)")
    name = f"tuan_empty_{session_tag}"
    url = await create_pg_database(PG_URL, name)
    try:
        assert await current_revision(url) == ()
        await upgrade(url)
        assert await current_revision(url) == head_revision()
    finally:
        await drop_pg_database(PG_URL, name)


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        return
    from sqlalchemy import text

    db = create_database(database_url)
    try:
        async with db.read_sessions() as session:
            assert (await session.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await session.scalar(text("PRAGMA foreign_keys"))) == 1
    finally:
        await db.dispose()
