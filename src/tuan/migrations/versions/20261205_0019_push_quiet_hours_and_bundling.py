"""push: do-not-disturb hours in push preferences, and a bundling window per device and group chat

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 00:00:00

Issue 24, ADR 0012: quiet hours hold pushes until they end; plain messages in a group one has
not muted push at most once per window, the first after a quiet spell at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tuan.core.db

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = tuan.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("push_preferences") as table:
        table.add_column(sa.Column("quiet_start", sa.SmallInteger(), nullable=True))
        table.add_column(sa.Column("quiet_end", sa.SmallInteger(), nullable=True))
        table.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    op.create_table(
        "push_chat_windows",
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("due_at", WHEN, nullable=True),
        sa.Column("said_seq", sa.BigInteger(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscriptions.id"],
            name=op.f("fk_push_chat_windows_subscription_id_push_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_push_chat_windows_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_chat_windows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "subscription_id", "conversation_id", name=op.f("pk_push_chat_windows")
        ),
    )


def downgrade() -> None:
    op.drop_table("push_chat_windows")
    with op.batch_alter_table("push_preferences") as table:
        table.drop_column("time_zone")
        table.drop_column("quiet_end")
        table.drop_column("quiet_start")
