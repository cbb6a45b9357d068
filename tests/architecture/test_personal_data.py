"""Every column that refers to a person, or can hold what someone wrote or uploaded, is declared
by its domain: how it is exported and how erasing the person treats it (issue 23, ADR 0011).
A domain that adds such a column without declaring it fails here."""

from __future__ import annotations

import sqlalchemy as sa

import tuan.models  # noqa: F401 - every domain's tables
from tuan.core.db import Base
from tuan.core.personal import Erase, Personal, TableData, coverage_gaps
from tuan.discovery import personal_data_declarations


def test_every_personal_column_in_the_schema_is_declared() -> None:
    assert coverage_gaps(Base.metadata, personal_data_declarations()) == []


def test_a_new_undeclared_column_is_caught() -> None:
    """What a new domain forgetting its declaration looks like: a copy of the schema with a
    nickname on orders and a diaries table that points at a user."""
    schema = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(schema)
    schema.tables["orders"].append_column(sa.Column("nickname", sa.String(40)))
    sa.Table(
        "diaries",
        schema,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.ForeignKey("users.id")),
        sa.Column("likes", sa.Integer),
    )
    assert sorted(coverage_gaps(schema, personal_data_declarations())) == [
        "diaries.author_id: not declared by any domain",
        "orders.nickname: not declared by any domain",
    ]


def test_a_declaration_must_match_the_schema_and_give_its_reasons() -> None:
    stale = [
        *personal_data_declarations(),
        TableData("gone", person="user_id"),
        TableData(
            "orders_archive_typo",
            person=None,
            columns={"x": Personal("", Erase.RETAIN)},
        ),
    ]
    gaps = coverage_gaps(Base.metadata, stale)
    assert "gone: declared but no such table" in gaps
    assert "orders_archive_typo: declared but no such table" in gaps


def test_retaining_or_leaving_out_of_the_export_needs_a_reason() -> None:
    schema = sa.MetaData()
    sa.Table(
        "users",
        schema,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("phone", sa.String(20)),
        sa.Column("secret", sa.String(20)),
    )
    declared = [
        TableData(
            "users",
            person="id",
            columns={
                "phone": Personal("profile.json", Erase.RETAIN),
                "secret": Personal("", Erase.BLANK),
            },
        )
    ]
    assert coverage_gaps(schema, declared) == [
        "users.phone: retained without a legal reason and period",
        "users.secret: left out of the export without a reason",
    ]
