"""accounts: failed logins are counted by the rate limiter, no longer in a table

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:00:00

The login throttle counts attempts with the `limits` library (Redis when configured, else the
process's memory), per account for unknown devices, per known device and per address; the
``login_failures`` table it replaced is dropped. Its rows only mattered for 15 minutes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tuan.core.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_address")
        batch_op.drop_index("ix_login_failures_account")
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_account", ["account_key", "at"], unique=False)
        batch_op.create_index("ix_login_failures_address", ["address", "at"], unique=False)
