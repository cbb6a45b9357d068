"""Run Alembic migrations programmatically on an async engine (SQLite or PostgreSQL)."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tuan.core.db import create_database


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("tuan") / "migrations"))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def _upgrade(connection: Any, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _current(connection: Any) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


async def upgrade(database_url: str, revision: str = "heads") -> None:
    db = create_database(database_url)
    try:
        async with db.write_engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)
    finally:
        await db.dispose()


async def current_revision(database_url: str) -> tuple[str, ...]:
    """The revisions the database is at (empty for an empty database)."""
    db = create_database(database_url)
    try:
        async with db.read_engine.connect() as connection:
            return await connection.run_sync(_current)
    finally:
        await db.dispose()


def head_revision() -> tuple[str, ...]:
    """The newest revisions in the code (one, unless branches are waiting to be merged)."""
    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))
