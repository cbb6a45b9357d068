"""rights and accounts: the deleted-user tombstone, deletion requests, the operators' audit
log, quarantined usernames; handled events found by age

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 21:00:00

Issue 23, ADR 0011. The tombstone is one shared account (id 0, a username no one can register,
a password that never verifies) that retained records point at once a person is erased. A team
may hold two erased members, so its one-member-per-team rule no longer counts the tombstone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import tuan.core.db

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = tuan.core.db.UTCDateTime(timezone=True)
NOT_TOMBSTONE = sa.text("user_id <> 0")


def upgrade() -> None:
    users = sa.table(
        "users",
        *(sa.column(name) for name in ("id", "username", "username_key", "display_name", "bio")),
        sa.column("password_hash"),
        sa.column("verified", sa.Boolean()),
        sa.column("created_at", WHEN),
        sa.column("updated_at", WHEN),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        users,
        [
            {
                "id": 0,
                "username": "~deleted",
                "username_key": "~deleted",
                "display_name": "Deleted user",
                "bio": "",
                "password_hash": "!",
                "verified": False,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    op.create_table(
        "account_deletions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("erase_after", WHEN, nullable=False),
        sa.Column("started_at", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("cancelled_at", WHEN, nullable=True),
        sa.Column("steps_done", sa.Integer(), nullable=False),
        sa.Column("blocked_by", sa.JSON(), nullable=True),
        sa.Column("by_operator", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_deletions_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_deletions")),
    )
    op.create_index("ix_account_deletions_user_id", "account_deletions", ["user_id", "status"])
    op.create_table(
        "rights_audit",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("legal_request", sa.String(length=120), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_audit")),
    )
    op.create_table(
        "username_quarantine",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("until", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_username_quarantine")),
    )
    # Pruning handled events (tuan.core.pruning) finds the old records by when they were handled.
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])
    with op.batch_alter_table("team_members") as batch:
        batch.drop_constraint(op.f("uq_team_members_team_id_user_id"), type_="unique")
    op.create_index(
        "uq_team_members_team_person",
        "team_members",
        ["team_id", "user_id"],
        unique=True,
        postgresql_where=NOT_TOMBSTONE,
        sqlite_where=NOT_TOMBSTONE,
    )


def downgrade() -> None:
    op.drop_index("uq_team_members_team_person", table_name="team_members")
    with op.batch_alter_table("team_members") as batch:
        batch.create_unique_constraint(
            op.f("uq_team_members_team_id_user_id"), ["team_id", "user_id"]
        )
    op.drop_index("ix_processed_events_processed_at", table_name="processed_events")
    op.drop_table("username_quarantine")
    op.drop_table("rights_audit")
    op.drop_index("ix_account_deletions_user_id", table_name="account_deletions")
    op.drop_table("account_deletions")
    op.execute("DELETE FROM users WHERE id = 0")
