"""The export archive: one JSON file per subject, the person's photos, a README and an
``index.html`` that reads offline — all driven by the domains' declarations (ADR 0011).

Rows are streamed from the database and written into the zip as they come, so memory stays
bounded however much a person has written.
"""

from __future__ import annotations

import asyncio
import html
import json
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from tuan.core.db import Database
from tuan.core.media import MediaStorage
from tuan.core.personal import USERS_TABLE, Personal, PersonalCatalogue, TableData
from tuan.rights.words import words_for

PHOTOS = "photos/"
BATCH = 500


@dataclass(frozen=True)
class ExportSetup:
    """What building an archive needs from the composition root: the schema with every
    domain's declarations, the media files, and the folder archives are kept in (never served
    as media)."""

    catalogue: PersonalCatalogue
    media: MediaStorage
    folder: Path


ROWS_PER_WRITE = 500


@dataclass
class Subject:
    """One archive file and the tables that go into it."""

    file: str
    tables: list[tuple[sa.Table, TableData]] = field(default_factory=list)


def subjects(catalogue: PersonalCatalogue) -> list[Subject]:
    """Archive files in name order, each with its tables (a table goes to the file its first
    exported column names; a table with nothing exported is left out)."""
    by_file: dict[str, Subject] = {}
    for table in catalogue.metadata.sorted_tables:
        declared = catalogue.declaration(table.name)
        file = _file_of(declared) if declared is not None else None
        if declared is None or file is None:
            continue
        by_file.setdefault(file, Subject(file)).tables.append((table, declared))
    return [by_file[name] for name in sorted(by_file)]


def _file_of(declared: TableData) -> str | None:
    for item in declared.columns.values():
        if isinstance(item, Personal) and item.export not in ("", PHOTOS):
            return item.export
    return None


def whose(table: sa.Table, declared: TableData, user_id: int) -> sa.ColumnElement[bool] | None:
    """Rows of this table that are the person's: by its person column, or else by any exported
    column that points at an account (a friendship either way round)."""
    if declared.person is not None:
        return table.c[declared.person] == user_id
    refs = [
        table.c[name] == user_id
        for name, item in declared.columns.items()
        if isinstance(item, Personal)
        and item.export
        and any(fk.column.table.name == USERS_TABLE for fk in table.c[name].foreign_keys)
    ]
    return sa.or_(*refs) if refs else None


def shown_columns(table: sa.Table, declared: TableData) -> list[sa.Column[Any]]:
    """Every column except those kept from the person (secrets, internal lookups)."""
    hidden = {
        name
        for name, item in declared.columns.items()
        if isinstance(item, Personal) and not item.export
    }
    return [column for column in table.columns if column.name not in hidden]


def photo_columns(declared: TableData) -> list[str]:
    return [
        name
        for name, item in declared.columns.items()
        if isinstance(item, Personal) and item.export == PHOTOS
    ]


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def photo_keys(value: Any) -> Iterator[str]:
    if isinstance(value, str) and value:
        yield value
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str) and item)


async def rows_of(
    db: Database, table: sa.Table, declared: TableData, user_id: int
) -> AsyncIterator[dict[str, Any]]:
    condition = whose(table, declared, user_id)
    if condition is None:
        return
    columns = shown_columns(table, declared)
    primary = list(table.primary_key.columns)
    query = sa.select(*columns).where(condition).order_by(*primary)
    async with db.read_sessions() as session:
        result = await session.stream(query.execution_options(yield_per=BATCH))
        async for row in result.mappings():
            yield {name: plain(value) for name, value in row.items()}


@dataclass
class Counts:
    rows: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    photos: int = 0


async def write_archive(
    db: Database,
    catalogue: PersonalCatalogue,
    media: MediaStorage,
    *,
    user_id: int,
    locale: str,
    path: Path,
) -> Counts:
    """Write the person's archive to ``path`` (a zip); returns what went in."""
    counts = Counts()
    words = words_for(locale)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile("w+", encoding="utf-8") as page,
    ):
        page.write(words.page_head())
        photos: set[str] = set()
        for subject in subjects(catalogue):
            await _write_subject(db, archive, page, subject, user_id, counts, photos)
        for key in sorted(photos):
            data = await media.get(key)
            if data is not None:
                await asyncio.to_thread(archive.writestr, f"{PHOTOS}{key}", data)
                counts.photos += 1
        page.write(words.page_foot(counts.photos))
        page.seek(0)
        with archive.open("index.html", "w") as target:
            for chunk in iter(lambda: page.read(1 << 16), ""):
                target.write(chunk.encode())
        archive.writestr("README.txt", words.readme(counts.rows, counts.photos))
    return counts


async def _write_subject(
    db: Database,
    archive: zipfile.ZipFile,
    page: IO[str],
    subject: Subject,
    user_id: int,
    counts: Counts,
    photos: set[str],
) -> None:
    page.write(f"<section><h2>{html.escape(subject.file)}</h2>")
    with archive.open(subject.file, "w") as target:
        target.write(b"{")
        for index, (table, declared) in enumerate(subject.tables):
            target.write(f"{',' if index else ''}\n{json.dumps(table.name)}: [".encode())
            page.write(f"<h3>{html.escape(table.name)}</h3><table>")
            keyed = photo_columns(declared)
            written, batch = 0, []
            async for row in rows_of(db, table, declared, user_id):
                for name in keyed:
                    photos.update(photo_keys(row.get(name)))
                batch.append(row)
                if len(batch) == ROWS_PER_WRITE:
                    written += await asyncio.to_thread(_write_rows, target, page, batch, written)
                    batch = []
            written += await asyncio.to_thread(_write_rows, target, page, batch, written)
            target.write(b"\n]")
            page.write("</table>")
            counts.rows[subject.file][table.name] = written
        target.write(b"\n}\n")
    page.write("</section>")


def _write_rows(target: IO[bytes], page: IO[str], rows: list[dict[str, Any]], before: int) -> int:
    """Serialise and compress a batch of rows: in a worker thread, so a heavy person's archive
    never holds up the server's event loop (chat keeps flowing while it is built)."""
    for offset, row in enumerate(rows):
        target.write((",\n  " if before + offset else "\n  ").encode())
        target.write(json.dumps(row, ensure_ascii=False).encode())
        if not before + offset:
            page.write(_header(row))
        page.write(_row(row))
    return len(rows)


def _header(row: dict[str, Any]) -> str:
    return "<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in row) + "</tr>"


def _row(row: dict[str, Any]) -> str:
    cells = (
        html.escape(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for value in row.values()
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
