"""What each domain holds about a person, declared next to its tables (issue 23, ADR 0011).

Every domain with tables has a ``personal_data`` module whose ``TABLES`` declares, for each of
its tables, every column that refers to a person or holds what someone wrote or uploaded: where
it goes in the person's export, and what erasing the person does to it (the row goes, the
reference moves to the deleted-user tombstone, the value is blanked, or it is retained for a
stated legal reason and period). A column that could look personal but is not (a status, a
currency, a code the system made) is declared ``NotPersonal`` with the reason.

:func:`coverage_gaps` compares the declarations with the schema: a column that references an
account, or holds text, JSON or bytes, and that no domain declares, is a gap. The architecture
tests fail on any gap, so a domain still to come cannot forget its personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import sqlalchemy as sa

USERS_TABLE = "users"
# The one shared account that retained records point at once their person is erased, shown as
# "Deleted user" (已注销用户) with no link; made by migration 0016 (ADR 0011).
DELETED_USER_ID = 0
DELETED_USERNAME = "~deleted"
# An ``on_tombstone`` value: the time of the erasure.
NOW = object()

# Integer columns that name a person by their role, even without a foreign key
# (ledger_accounts.owner_id is an account's owner, a user or a shop).
_PERSON_BY_NAME = re.compile(
    r"(^|_)(user|author|buyer|sharer|owner|sender|recipient|actor|inviter|invitee|requester"
    r"|member|opener|answerer|asker|blocker|blocked|rater|source|target)(_id)?$|_by$"
)
_HOLDS_CONTENT = (sa.String, sa.Text, sa.JSON, sa.LargeBinary)


class Erase(StrEnum):
    """What erasing the person does to a declared column."""

    DELETE_ROW = "delete the row"
    TOMBSTONE = "point at the deleted-user tombstone"
    BLANK = "blank the value"
    RETAIN = "retain for a stated legal reason and period"


@dataclass(frozen=True)
class Personal:
    """A column about a person: ``export`` names the archive file it goes to ("" when the person
    never sees it, with ``why``); ``erase`` what happens to it; ``why`` the reason (required to
    retain, and to leave a column out of the export)."""

    export: str
    erase: Erase
    why: str = ""


@dataclass(frozen=True)
class NotPersonal:
    why: str


Declaration = Personal | NotPersonal


@dataclass(frozen=True)
class TableData:
    """One table's declaration; ``person`` is the column that says whose row it is (for the
    export's selection), None when the table has no single owner.

    For the erasure: ``only`` narrows the rows a person column names to those whose other
    columns hold one of the given values (an account's owner is a person only for some kinds);
    ``on_tombstone`` sets further columns on a row moved to the tombstone (a value that must
    stay unique per sender, say)."""

    table: str
    person: str | None
    columns: Mapping[str, Declaration] = field(default_factory=dict)
    only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    on_tombstone: Mapping[str, object] = field(default_factory=dict)


def needs_declaring(column: sa.Column[object]) -> bool:
    """A column that refers to an account or can hold what someone wrote or uploaded."""
    if any(fk.column.table.name == USERS_TABLE for fk in column.foreign_keys):
        return True
    if column.table.name == USERS_TABLE and not column.primary_key:
        return True
    if isinstance(column.type, _HOLDS_CONTENT):
        return True
    return isinstance(column.type, sa.Integer) and bool(_PERSON_BY_NAME.search(column.name))


def coverage_gaps(metadata: sa.MetaData, declared: Iterable[TableData]) -> list[str]:
    """Every way the declarations and the schema disagree, one sentence each."""
    gaps: list[str] = []
    by_table: dict[str, TableData] = {}
    for one in declared:
        if one.table in by_table:
            gaps.append(f"{one.table}: declared twice")
        by_table[one.table] = one
    for table in metadata.sorted_tables:
        item = by_table.pop(table.name, None)
        names = {column.name for column in table.columns}
        for column in table.columns:
            if needs_declaring(column) and (item is None or column.name not in item.columns):
                gaps.append(f"{table.name}.{column.name}: not declared by any domain")
        if item is None:
            continue
        gaps += [
            f"{table.name}.{name}: declared but no such column"
            for name in item.columns
            if name not in names
        ]
        if item.person is not None and item.person not in names:
            gaps.append(f"{table.name}: its person column {item.person!r} does not exist")
        gaps += _unreasoned(table.name, item.columns)
    gaps += [f"{name}: declared but no such table" for name in by_table]
    return gaps


def _unreasoned(table: str, columns: Mapping[str, Declaration]) -> list[str]:
    gaps = []
    for name, declaration in columns.items():
        if isinstance(declaration, NotPersonal) and not declaration.why.strip():
            gaps.append(f"{table}.{name}: not personal, but no reason given")
        if isinstance(declaration, Personal):
            if declaration.erase is Erase.RETAIN and not declaration.why.strip():
                gaps.append(f"{table}.{name}: retained without a legal reason and period")
            if not declaration.export and not declaration.why.strip():
                gaps.append(f"{table}.{name}: left out of the export without a reason")
    return gaps


# Reasons several domains give, said once.
BOOKS = (
    "accounting and transaction records (会计档案管理办法: 30 years for vouchers; 电子商务法 "
    "Art. 31: at least 3 years): kept for the books, pointing at the tombstone, with no name "
    "or text"
)
CREDENTIAL_HASH = "a secret (a hash of a password or a token): never exported"
SYSTEM_MADE = "made by the system (a status, a kind, a code or a currency); names no one"


@dataclass(frozen=True)
class PersonalCatalogue:
    """The schema and every domain's declarations, handed by the composition root to whatever
    walks a person's data (the export, the erasure) without importing the domains."""

    metadata: sa.MetaData
    tables: tuple[TableData, ...]

    def declaration(self, table: str) -> TableData | None:
        return self._by_table.get(table)

    @cached_property
    def _by_table(self) -> dict[str, TableData]:
        return {one.table: one for one in self.tables}
