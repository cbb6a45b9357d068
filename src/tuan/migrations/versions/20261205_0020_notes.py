"""notes: a note (title, words, photos, tags, coarse area, audience) and its linked products,
each with the author's share

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 01:00:00

Issue 16, ADR 0013: the first slice of notes (种草).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tuan.core.db

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = tuan.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("photo_alts", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=True),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("deleted_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_notes_author_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index("ix_notes_author_id", "notes", ["author_id"])
    op.create_table(
        "note_products",
        sa.Column("note_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("share_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_note_products_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_note_products_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["share_id"], ["shares.id"], name=op.f("fk_note_products_share_id_shares")
        ),
        sa.PrimaryKeyConstraint("note_id", "position", name=op.f("pk_note_products")),
    )
    op.create_index("ix_note_products_product_id", "note_products", ["product_id"])


def downgrade() -> None:
    op.drop_index("ix_note_products_product_id", table_name="note_products")
    op.drop_table("note_products")
    op.drop_index("ix_notes_author_id", table_name="notes")
    op.drop_table("notes")
