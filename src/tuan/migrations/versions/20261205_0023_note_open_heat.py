"""note_stats.open_heat: the part of a note's heat anyone may be credited with (ADR 0013)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 04:00:00

Discover scores a note as 0.1 · open heat plus what the reader's own people add above the
floor, so it never sums strangers' acts per request. Open heat is heat without saves into
private collections and helpful marks, kept as people act (``notes.stats``), with an index to
draw candidates from.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "note_stats",
        sa.Column("open_heat", sa.Float(), nullable=False, server_default=sa.text("0")),
    )
    # Notes (0020-0022) have existed on development databases only, so starting open heat at
    # the whole heat is acceptable: it over-counts the private saves made so far, and that
    # excess halves every 72 hours. Recomputing it from the act tables would be exact, and is
    # not worth a migration over test data.
    op.execute("UPDATE note_stats SET open_heat = heat WHERE heat IS NOT NULL")
    op.create_index("ix_note_stats_open_heat", "note_stats", ["open_heat"])


def downgrade() -> None:
    op.drop_index("ix_note_stats_open_heat", table_name="note_stats")
    with op.batch_alter_table("note_stats") as batch:
        batch.drop_column("open_heat")
