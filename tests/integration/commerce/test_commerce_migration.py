"""The commerce migration goes down and up again, on the suite's engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import inspect

from tests.conftest import PG_URL, create_pg_database, drop_pg_database
from tuan.core.db import create_database
from tuan.core.migrate import alembic_config, upgrade


def _downgrade(connection: Any) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0001")


def _tables(connection: Any) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_the_commerce_tables_and_search_index_come_and_go(
    tmp_path: Path, session_tag: str
) -> None:
    if PG_URL:
        name = f"tuan_mig_{session_tag}"
        url = await create_pg_database(PG_URL, name)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'mig.db'}"
    try:
        await upgrade(url)
        db = create_database(url)
        try:
            async with db.write_engine.begin() as connection:
                assert {"orders", "stock_holds", "due_jobs"} <= await connection.run_sync(_tables)
                await connection.run_sync(_downgrade)
                left = await connection.run_sync(_tables)
                assert not left & {
                    "orders",
                    "shops",
                    "product_search",
                    "due_jobs",
                    "ledger_entries",
                }
        finally:
            await db.dispose()
        await upgrade(url)
    finally:
        if PG_URL:
            await drop_pg_database(PG_URL, name)
