"""commerce: shops, catalog, deals, orders, payments, team purchase, ledger, shares, due jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 18:00:00.000000

Besides the tables, this builds the full-text index over ``products.search_text`` (see
``tuan.core.search``): an FTS5 table kept in step by triggers on SQLite, a GIN index over the
derived terms on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tuan.core.db
from tuan.migrations.parts.commerce_orders_0003 import create_order_tables, drop_order_tables

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRODUCT_SEARCH_FTS = "product_search"
PRODUCT_SEARCH_PG_INDEX = "ix_products_search_terms"
_DELETE_OLD = (
    "INSERT INTO product_search(product_search, rowid, search_text) "
    "VALUES('delete', old.id, old.search_text);"
)
_INSERT_NEW = "INSERT INTO product_search(rowid, search_text) VALUES (new.id, new.search_text);"
SQLITE_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE product_search USING fts5(search_text, content='products', "
    "content_rowid='id')",
    f"CREATE TRIGGER product_search_ai AFTER INSERT ON products BEGIN {_INSERT_NEW} END",
    f"CREATE TRIGGER product_search_ad AFTER DELETE ON products BEGIN {_DELETE_OLD} END",
    "CREATE TRIGGER product_search_au AFTER UPDATE OF search_text ON products "
    f"BEGIN {_DELETE_OLD} {_INSERT_NEW} END",
)


def upgrade() -> None:
    op.create_table(
        "due_jobs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("run_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_due_jobs")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_due_jobs_kind_key")),
    )
    with op.batch_alter_table("due_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_due_jobs_pending", ["done_at", "run_at"], unique=False)

    op.create_table(
        "ledger_accounts",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ledger_accounts")),
    )
    op.create_table(
        "merchant_approvals",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("approved_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_merchant_approvals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_merchant_approvals")),
    )
    op.create_table(
        "payouts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("provider_reference", sa.String(length=64), nullable=True),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("settled_at", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payouts_amount")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_payouts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payouts")),
    )
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.create_index("ix_payouts_user", ["user_id", "id"], unique=False)

    op.create_table(
        "shops",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("commission_rate_bp", sa.Integer(), nullable=False),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "commission_rate_bp >= 0 AND commission_rate_bp <= 5000", name=op.f("ck_shops_rate")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_shops_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shops")),
    )
    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shops_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "products",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=True),
        sa.Column("team_hours", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "team_size IS NULL OR team_size >= 2", name=op.f("ck_products_team_size")
        ),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_products_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index("ix_products_category", ["category", "status", "id"], unique=False)
        batch_op.create_index("ix_products_shop", ["shop_id", "status", "id"], unique=False)

    op.create_table(
        "product_images",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_images_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_images")),
    )
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_images_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "skus",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("team_price", sa.BigInteger(), nullable=True),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("price > 0", name=op.f("ck_skus_price")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_skus_stock")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_skus_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skus")),
        sa.UniqueConstraint("product_id", "label", name=op.f("uq_skus_product_id_label")),
    )
    op.create_table(
        "deals",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("sku_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("starts_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stock_cap", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), nullable=False),
        sa.Column("per_customer_limit", sa.Integer(), nullable=False),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sold >= 0 AND sold <= stock_cap", name=op.f("ck_deals_sold")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_deals_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"], ["skus.id"], name=op.f("fk_deals_sku_id_skus"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deals")),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.create_index("ix_deals_product", ["product_id", "ends_at"], unique=False)
        batch_op.create_index("ix_deals_sku", ["sku_id", "ends_at"], unique=False)

    op.create_table(
        "stock_holds",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("sku_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("expires_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku_id"], ["skus.id"], name=op.f("fk_stock_holds_sku_id_skus"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_holds")),
    )
    with op.batch_alter_table("stock_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_holds_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "teams",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("sku_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "opener_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("paid_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("allow_public_join", sa.Boolean(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("team_price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("deadline_at", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("held >= 0 AND held <= size", name=op.f("ck_teams_held")),
        sa.CheckConstraint("paid_count >= 0 AND paid_count <= size", name=op.f("ck_teams_paid")),
        sa.ForeignKeyConstraint(["opener_id"], ["users.id"], name=op.f("fk_teams_opener_id_users")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_teams_product_id_products")
        ),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_teams_sku_id_skus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("code", name=op.f("uq_teams_code")),
    )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index("ix_teams_product", ["product_id", "status"], unique=False)

    op.create_table(
        "deal_purchases",
        sa.Column("deal_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_deal_purchases_quantity")),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_deal_purchases_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_deal_purchases_user_id_users")
        ),
        sa.PrimaryKeyConstraint("deal_id", "user_id", name=op.f("pk_deal_purchases")),
    )
    op.create_table(
        "shares",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "sharer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("deal_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("team_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("conversation_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "parent_share_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", tuan.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_shares_deal_id_deals")),
        sa.ForeignKeyConstraint(
            ["parent_share_id"], ["shares.id"], name=op.f("fk_shares_parent_share_id_shares")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_shares_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["sharer_id"], ["users.id"], name=op.f("fk_shares_sharer_id_users")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_shares_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
    )
    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shares_product_id"), ["product_id"], unique=False)
        batch_op.create_index("ix_shares_sharer", ["sharer_id", "id"], unique=False)

    create_order_tables()

    # Written out rather than generated by tuan.core.search, so this revision never changes.
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DDL:
            op.execute(statement)
    else:
        op.execute(
            f"CREATE INDEX {PRODUCT_SEARCH_PG_INDEX} ON products USING gin "
            "(array_to_tsvector(string_to_array(search_text, ' ')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {PRODUCT_SEARCH_FTS}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {PRODUCT_SEARCH_FTS}")
    else:
        op.execute(f"DROP INDEX IF EXISTS {PRODUCT_SEARCH_PG_INDEX}")
    drop_order_tables()
    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.drop_index("ix_shares_sharer")
        batch_op.drop_index(batch_op.f("ix_shares_product_id"))

    op.drop_table("shares")
    op.drop_table("deal_purchases")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index("ix_teams_product")

    op.drop_table("teams")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index("ix_deals_sku")
        batch_op.drop_index("ix_deals_product")

    op.drop_table("deals")
    with op.batch_alter_table("stock_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_holds_expires_at"))

    op.drop_table("stock_holds")

    op.drop_table("skus")
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_images_product_id"))

    op.drop_table("product_images")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_shop")
        batch_op.drop_index("ix_products_category")

    op.drop_table("products")
    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shops_owner_id"))

    op.drop_table("shops")
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.drop_index("ix_payouts_user")

    op.drop_table("payouts")
    op.drop_table("merchant_approvals")
    op.drop_table("ledger_accounts")
    with op.batch_alter_table("due_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_due_jobs_pending")

    op.drop_table("due_jobs")
