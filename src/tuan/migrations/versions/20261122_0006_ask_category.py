"""asks: the category a request is about (named or read from its text), nullable

Revision ID: 0006_ask_category
Revises: 0005
Create Date: 2026-11-22 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_ask_category"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column with no default: an instant change on PostgreSQL, and on SQLite a plain
    # ADD COLUMN (batch mode only rebuilds the table where SQLite cannot alter it in place).
    with op.batch_alter_table("recommendation_asks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recommendation_asks", schema=None) as batch_op:
        batch_op.drop_column("category")
