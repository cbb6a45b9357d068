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


async def test_group_chats_keep_their_titles_and_old_system_lines_become_codes(
    tmp_path: Path, session_tag: str
) -> None:
    """Revision 0009 on data written before it: the chat list's titles come from the groups,
    and the English sentences stored for system lines become codes and parameters."""
    import json
    from datetime import UTC, datetime

    from sqlalchemy import text

    if PG_URL:
        name = f"tuan_lines_{session_tag}"
        url = await create_pg_database(PG_URL, name)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'lines.db'}"
    try:
        await upgrade(url, "0007")
        db = create_database(url)
        now = datetime(2026, 11, 30, 10, tzinfo=UTC)
        lines = [
            ({"event": "created", "user_id": 1, "parent_id": None}, "Mei created 三年级"),
            ({"event": "joined", "user_id": 1}, "Mei joined"),
            (
                {"event": "joined", "user_id": 2, "introduced_by": 1},
                "Ben joined, introduced by Mei",
            ),
            ({"event": "left", "user_id": 2, "by": 1}, "Ben was removed"),
            ({"event": "role", "user_id": 2, "role": "member"}, "Ben is no longer an admin"),
            ({"event": "dissolved"}, "The group was dissolved"),
        ]
        try:
            async with db.write_engine.begin() as conn:
                for uid, shown in ((1, "林美"), (2, "Ben")):
                    await conn.execute(
                        text(
                            "INSERT INTO users (id, username, username_key, display_name, bio,"
                            " password_hash, verified, created_at, updated_at) VALUES (:id, :u,"
                            " :u, :shown, '', 'x', false, :now, :now)"
                        ),
                        {"id": uid, "u": f"user{uid}", "shown": shown, "now": now},
                    )
                await conn.execute(
                    text(
                        "INSERT INTO conversations (id, kind, last_seq, created_at)"
                        " VALUES (10, 'group', 6, :now)"
                    ),
                    {"now": now},
                )
                await conn.execute(
                    text(
                        "INSERT INTO groups (id, name, description, owner_id, join_policy,"
                        " member_cap, member_count, subgroups_by, created_at) VALUES (10, '三年级',"
                        " '', 1, 'open', 50, 1, 'admins', :now)"
                    ),
                    {"now": now},
                )
                for seq, (payload, sentence) in enumerate(lines, start=1):
                    await conn.execute(
                        text(
                            "INSERT INTO messages (conversation_id, seq, version, kind, text,"
                            " payload, mentions, created_at) VALUES (10, :seq, :seq, 'system',"
                            " :text, :payload, '[]', :now)"
                        ),
                        {"seq": seq, "text": sentence, "payload": json.dumps(payload), "now": now},
                    )
            await upgrade(url)
            async with db.read_engine.connect() as conn:
                title = await conn.scalar(text("SELECT title FROM conversations WHERE id = 10"))
                stored = (
                    await conn.execute(
                        text(
                            "SELECT text, payload FROM messages"
                            " WHERE conversation_id = 10 ORDER BY seq"
                        )
                    )
                ).all()
        finally:
            await db.dispose()
    finally:
        if PG_URL:
            await drop_pg_database(PG_URL, name)
    assert title == "三年级"
    assert {sentence for sentence, _ in stored} == {""}
    payloads = [p if isinstance(p, dict) else json.loads(p) for _, p in stored]
    mei, ben = {"user_id": 1, "name": "林美"}, {"user_id": 2, "name": "Ben"}
    assert payloads == [
        {"code": "group_created", "params": {**mei, "group": "三年级", "parent_id": None}},
        {"code": "member_joined", "params": mei},
        {
            "code": "member_joined_introduced",
            "params": {**ben, "introduced_by": 1, "introducer": "林美"},
        },
        {"code": "member_removed", "params": {**ben, "by": 1}},
        {"code": "admin_dismissed", "params": ben},
        {"code": "group_dissolved", "params": {}},
    ]
