"""Database engines and the declarative base.

SQLite is the embedded default, PostgreSQL the production database. Both run the same models and
the same Alembic migrations. On SQLite every connection runs in WAL mode with foreign keys on, and
write transactions start with ``BEGIN IMMEDIATE`` so that a read-then-write transaction can never
fail half way with a "database is locked" snapshot conflict; within one process writers also queue
on an asyncio lock instead of spinning in SQLite's busy handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always stored and returned as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Tuan stores aware UTC timestamps only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass
class Database:
    """The engines and session factories of one process.

    ``write_sessions`` begin ``IMMEDIATE`` on SQLite; ``read_sessions`` never take the write lock.
    On PostgreSQL both use one engine.
    """

    url: str
    write_engine: AsyncEngine
    read_engine: AsyncEngine
    write_sessions: async_sessionmaker[Any]
    read_sessions: async_sessionmaker[Any]
    write_lock: asyncio.Lock | None = field(default=None)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    async def checkpoint(self) -> None:
        """Copy the SQLite WAL into the database file without blocking writers (no-op elsewhere)."""
        if self.is_sqlite:
            async with self.read_engine.connect() as connection:
                await connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()


def _sqlite_engine(url: str, *, begin: str, autocheckpoint: bool) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": 30}, pool_size=8, max_overflow=16)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take BEGIN into our own hands (see the "begin" listener) instead of the driver's.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")
        if not autocheckpoint:
            # Checkpoints run in the background (Database.checkpoint), off the commit path.
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def create_database(
    url: str,
    *,
    echo: bool = False,
    background_checkpoints: bool = False,
    pool_size: int = 10,
    max_overflow: int = 10,
) -> Database:
    """Create the engines for ``url``; nothing connects until first use.

    With ``background_checkpoints`` (a long-running server on SQLite) commits never copy the WAL
    back into the database file themselves; the server calls :meth:`Database.checkpoint`
    periodically instead, so no message's commit pays for a checkpoint's fsyncs.

    ``pool_size`` and ``max_overflow`` size the PostgreSQL pool (SQLite keeps its own: one
    writer at a time whatever the pool).
    """
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        write = _sqlite_engine(
            url, begin="BEGIN IMMEDIATE", autocheckpoint=not background_checkpoints
        )
        read = _sqlite_engine(url, begin="BEGIN", autocheckpoint=True)
        lock: asyncio.Lock | None = asyncio.Lock()
    else:
        write = read = create_async_engine(
            url, pool_size=pool_size, max_overflow=max_overflow, echo=echo
        )
        lock = None
    return Database(
        url=url,
        write_engine=write,
        read_engine=read,
        write_sessions=async_sessionmaker(write, expire_on_commit=False),
        read_sessions=async_sessionmaker(read, expire_on_commit=False),
        write_lock=lock,
    )


def _ensure_sqlite_dir(url: str) -> None:
    from sqlalchemy.engine import make_url

    path = make_url(url).database
    if path and path != ":memory:":
        from pathlib import Path

        Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


@asynccontextmanager
async def write_session(db: Database) -> AsyncIterator[AsyncSession]:
    """A session for one write transaction; the caller commits. Serialised per process on SQLite."""
    if db.write_lock is not None:
        await db.write_lock.acquire()
    try:
        async with db.write_sessions() as session:
            yield session
    finally:
        if db.write_lock is not None:
            db.write_lock.release()


@asynccontextmanager
async def latest_reads(db: Database) -> AsyncIterator[AsyncSession]:
    """A session for one read, or a few that need not share a snapshot.

    On PostgreSQL its statements run in autocommit, without the BEGIN and ROLLBACK round trips of
    a read transaction: under READ COMMITTED each statement reads its own snapshot inside a
    transaction too, so nothing read changes. On SQLite it is an ordinary read session (one
    snapshot). For hot read paths (the caller of every commerce request, the order page).
    """
    if db.is_sqlite:
        async with db.read_sessions() as session:
            yield session
        return
    async with db.read_engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with AsyncSession(bind=connection, expire_on_commit=False) as session:
            yield session


def as_utc(value: datetime) -> datetime:
    """Aggregates (min, max) bypass column types on SQLite; give a naive UTC value its zone back."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def dialect_insert(session_or_dialect: Any, table: Any) -> Any:
    """An INSERT that supports ``on_conflict_do_update`` on the session's database."""
    name = getattr(session_or_dialect, "name", None) or session_or_dialect.bind.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    return pg_insert(table)


async def insert_once(session: AsyncSession, table: Any, values: dict[str, Any]) -> Any | None:
    """Insert the row unless its key or another unique column set is taken: one statement,
    safe when two arrive at once on either engine. Its first key column's value, or None when
    nothing was added."""
    key = table.c[next(iter(table.primary_key.columns)).name]
    statement = dialect_insert(session, table).values(**values).on_conflict_do_nothing()
    return (await session.execute(statement.returning(key))).scalar()


def rows_changed(result: object) -> int:
    """How many rows an ``UPDATE`` or ``DELETE`` changed (its cursor's rowcount)."""
    return int(getattr(result, "rowcount", 0))


def changed_one(result: object) -> bool:
    """True if a conditional ``UPDATE``/``DELETE`` changed exactly one row: the compare-and-set
    won. Every "did I win the row" check in Tuan asks this one function."""
    return rows_changed(result) == 1
