"""reviews, product_cards: a description per photo (its alt text), written by the photo's author

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 23:40:00

Issue 24. ``photo_alts`` runs beside ``photos``: one string per photo, "" where the author wrote
none. Rows written before have none, which the default says.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("reviews", "product_cards")


def upgrade() -> None:
    # A constant default: an instant change on PostgreSQL, and on SQLite a plain ADD COLUMN
    # (batch mode only rebuilds the table where SQLite cannot alter it in place).
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("photo_alts", sa.JSON(), nullable=False, server_default="[]")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("photo_alts")
