"""for you: the content model's product neighbours

Revision ID: 0007
Revises: 0006_ask_category
Create Date: 2026-11-22 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tuan.core.db

revision: str = "0007"
down_revision: str | None = "0006_ask_category"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "product_neighbours",
        sa.Column("product_id", ID, nullable=False),
        sa.Column("neighbour_id", ID, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("computed_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_neighbours_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["neighbour_id"],
            ["products.id"],
            name=op.f("fk_product_neighbours_neighbour_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "neighbour_id", name=op.f("pk_product_neighbours")),
    )


def downgrade() -> None:
    op.drop_table("product_neighbours")
