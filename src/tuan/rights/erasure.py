"""The erasure of a person: a walk over every domain's declarations (ADR 0011).

The walk is a fixed list of steps, each one transaction that also records it as done
(``AccountDeletion.steps_done``), so a crash half-way through carries on from the next step on
the next run, and running a step twice changes nothing. First the domains' own commands (what a
plain update cannot do: a recommender's counts, a group's seats, others' mentions of the
person), then every declared reference moved to the tombstone (with the values beside it
blanked), then every declared row deleted, children before parents, and last the account.
A photo's file is deleted before its row changes, in the step that changes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tuan.accounts import commands as accounts
from tuan.accounts.queries import user_by_id
from tuan.catalog import commands as catalog
from tuan.chat import commands as chat
from tuan.core.media import MediaStorage
from tuan.core.personal import (
    DELETED_USER_ID,
    NOW,
    Erase,
    Personal,
    PersonalCatalogue,
    TableData,
    needs_declaring,
)
from tuan.core.uow import UnitOfWork
from tuan.groups import commands as groups
from tuan.reviews import commands as reviews

PHOTOS = "photos/"
# Tables the walk leaves alone: the account goes in the last step; the deletion's own record is
# emptied there too.
_BY_LAST_STEP = {"users", "account_deletions"}


@dataclass(frozen=True)
class Person:
    id: int
    username: str


@dataclass(frozen=True)
class Step:
    """One transaction of the walk: changes rows, and returns the media keys whose files go."""

    name: str
    run: Callable[[UnitOfWork, Person], Awaitable[list[str]]]


def _command(name: str, run: Callable[[UnitOfWork, Person], Awaitable[Any]]) -> Step:
    async def step(uow: UnitOfWork, person: Person) -> list[str]:
        await run(uow, person)
        return []

    return Step(name, step)


def domain_steps() -> list[Step]:
    """What the domains do themselves, before any row moves or goes."""
    return [
        _command("reviews: ratings withdrawn", lambda u, p: reviews.withdraw_ratings_of(u, p.id)),
        _command("groups: seats freed", lambda u, p: groups.release_places_of(u, p.id)),
        _command(
            "chat: others' mentions",
            lambda u, p: groups.forget_in_group_lines(u, user_id=p.id, username=p.username),
        ),
        _command("chat: direct chats", lambda u, p: chat.forget_direct_keys(u, p.id)),
        _command("catalog: shops closed", lambda u, p: catalog.close_shops_of(u, p.id)),
    ]


def _person_columns(table: sa.Table, item: TableData, erase: Erase) -> list[str]:
    return [
        name
        for name, declared in item.columns.items()
        if isinstance(declared, Personal)
        and declared.erase is erase
        and isinstance(table.c[name].type, sa.Integer)
        and needs_declaring(table.c[name])
    ]


def _photo_columns(item: TableData) -> list[str]:
    return [
        name
        for name, declared in item.columns.items()
        if isinstance(declared, Personal) and declared.export == PHOTOS
    ]


def _blank(column: sa.Column[Any]) -> Any:
    if column.nullable:
        return None
    if isinstance(column.type, sa.JSON):
        default = getattr(column.default, "arg", None)
        # SQLAlchemy wraps a callable default (``default=list``) in a function of its own.
        return [] if getattr(default, "__wrapped__", default) is list else {}
    return ""


def _where(table: sa.Table, item: TableData, column: str, person: Person) -> sa.ColumnElement[bool]:
    clauses = [table.c[column] == person.id]
    clauses += [table.c[name].in_(values) for name, values in item.only.items()]
    return sa.and_(*clauses)


async def _media_keys(
    uow: UnitOfWork, table: sa.Table, columns: Sequence[str], where: sa.ColumnElement[bool]
) -> list[str]:
    if not columns:
        return []
    keys: list[str] = []
    for row in await uow.session.execute(sa.select(*(table.c[c] for c in columns)).where(where)):
        for value in row:
            if isinstance(value, str) and value:
                keys.append(value)
            elif isinstance(value, list):
                keys += [key for key in value if isinstance(key, str) and key]
    return keys


def _move_step(table: sa.Table, item: TableData, columns: list[str]) -> Step:
    blanked = {
        name: _blank(table.c[name])
        for name, declared in item.columns.items()
        if isinstance(declared, Personal) and declared.erase is Erase.BLANK
    }
    photos = [name for name in _photo_columns(item) if name in blanked]

    async def run(uow: UnitOfWork, person: Person) -> list[str]:
        keys: list[str] = []
        extra = {name: uow.now if v is NOW else v for name, v in item.on_tombstone.items()}
        for column in columns:
            where = _where(table, item, column, person)
            keys += await _media_keys(uow, table, photos, where)
            values = {column: DELETED_USER_ID, **blanked, **extra}
            await uow.session.execute(sa.update(table).where(where).values(**values))
        return keys

    return Step(f"{table.name}: moved to the tombstone", run)


def _delete_step(table: sa.Table, item: TableData, columns: list[str]) -> Step:
    photos = _photo_columns(item)

    async def run(uow: UnitOfWork, person: Person) -> list[str]:
        keys: list[str] = []
        for column in columns:
            where = _where(table, item, column, person)
            keys += await _media_keys(uow, table, photos, where)
            await uow.session.execute(sa.delete(table).where(where))
        return keys

    return Step(f"{table.name}: rows deleted", run)


def declared_steps(catalogue: PersonalCatalogue) -> list[Step]:
    """Every declared reference to the person moved, then every declared row of theirs
    deleted (children before parents, so no foreign key is left dangling)."""
    moves, deletes = [], []
    for table in catalogue.metadata.sorted_tables:
        item = catalogue.declaration(table.name)
        if item is None or table.name in _BY_LAST_STEP:
            continue
        if moved := _person_columns(table, item, Erase.TOMBSTONE):
            moves.append(_move_step(table, item, moved))
        if deleted := _person_columns(table, item, Erase.DELETE_ROW):
            deletes.append(_delete_step(table, item, deleted))
    return moves + deletes[::-1]


async def _last(uow: UnitOfWork, person: Person) -> list[str]:
    user = await user_by_id(uow.session, person.id)
    await accounts.forget_account(uow, person.id)
    return [user.avatar_key] if user is not None and user.avatar_key else []


def all_steps(catalogue: PersonalCatalogue) -> list[Step]:
    return [*domain_steps(), *declared_steps(catalogue), Step("accounts: the account", _last)]


async def delete_files(media: MediaStorage, keys: Sequence[str]) -> None:
    for key in dict.fromkeys(keys):
        await media.delete(key)
