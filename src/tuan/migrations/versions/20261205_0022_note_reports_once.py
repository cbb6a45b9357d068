"""note_reports: a note's own report (no comment) is filed once per reporter, under races too

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 03:30:00

The unique (reporter, note, comment) of 0021 does not hold when the comment is NULL (NULL is
distinct from NULL on both engines); a partial unique index over (reporter, note) where the
comment is NULL does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A report filed twice before this revision: keep the first.
    op.execute(
        "DELETE FROM note_reports WHERE comment_id IS NULL AND id NOT IN ("
        "SELECT min(id) FROM note_reports WHERE comment_id IS NULL "
        "GROUP BY reporter_id, note_id)"
    )
    op.create_index(
        "uq_note_reports_note_once",
        "note_reports",
        ["reporter_id", "note_id"],
        unique=True,
        sqlite_where=sa.text("comment_id IS NULL"),
        postgresql_where=sa.text("comment_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_note_reports_note_once", table_name="note_reports")
