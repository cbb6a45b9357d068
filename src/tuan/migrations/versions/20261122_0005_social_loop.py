"""social loop: product cards, likes and comments, reviews and reports, group norms, asks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tuan.core.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str) -> sa.Column[object]:
    return sa.Column(name, tuan.core.db.UTCDateTime(timezone=True), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "product_cards",
        sa.Column("share_id", ID, nullable=False),
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("message_seq", sa.BigInteger(), nullable=False),
        sa.Column("sharer_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        _at("created_at"),
        _fk("product_cards", "share_id", "shares", "CASCADE"),
        _fk("product_cards", "conversation_id", "conversations", "CASCADE"),
        _fk("product_cards", "sharer_id", "users", "CASCADE"),
        _fk("product_cards", "product_id", "products", "CASCADE"),
        sa.PrimaryKeyConstraint("share_id", name=op.f("pk_product_cards")),
    )
    with op.batch_alter_table("product_cards", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_cards_conversation",
            ["conversation_id", "sharer_id", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_product_cards_product", ["product_id"], unique=False)

    op.create_table(
        "card_likes",
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        _at("created_at"),
        _fk("card_likes", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("target", "target_id", "user_id", name=op.f("pk_card_likes")),
    )
    with op.batch_alter_table("card_likes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_likes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "card_comments",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _at("created_at"),
        _fk("card_comments", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_comments")),
    )
    with op.batch_alter_table("card_comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_card_comments_target", ["target", "target_id", "id"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("share_id", ID, nullable=True),
        sa.Column("sharer_id", ID, nullable=True),
        sa.Column("conversation_id", ID, nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("stars >= 1 AND stars <= 5", name=op.f("ck_reviews_stars")),
        _fk("reviews", "order_id", "orders", "CASCADE"),
        _fk("reviews", "product_id", "products", "CASCADE"),
        _fk("reviews", "author_id", "users", "CASCADE"),
        _fk("reviews", "shop_id", "shops", "CASCADE"),
        _fk("reviews", "share_id", "shares", "SET NULL"),
        _fk("reviews", "sharer_id", "users", "SET NULL"),
        _fk("reviews", "conversation_id", "conversations", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("order_id", "product_id", name=op.f("uq_reviews_order_id_product_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_reviews_product", ["product_id", "id"], unique=False)
        batch_op.create_index(
            "ix_reviews_conversation", ["conversation_id", "product_id"], unique=False
        )

    op.create_table(
        "purchase_reports",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("message_seq", sa.BigInteger(), nullable=False),
        sa.Column("review_id", ID, nullable=True),
        sa.Column("in_digest", sa.Boolean(), nullable=False),
        _at("created_at"),
        _fk("purchase_reports", "order_id", "orders", "CASCADE"),
        _fk("purchase_reports", "product_id", "products", "CASCADE"),
        _fk("purchase_reports", "author_id", "users", "CASCADE"),
        _fk("purchase_reports", "conversation_id", "conversations", "CASCADE"),
        _fk("purchase_reports", "review_id", "reviews", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_reports")),
        sa.UniqueConstraint(
            "order_id",
            "product_id",
            "kind",
            name=op.f("uq_purchase_reports_order_id_product_id_kind"),
        ),
    )
    with op.batch_alter_table("purchase_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_purchase_reports_conversation",
            ["conversation_id", "kind", "created_at"],
            unique=False,
        )

    op.create_table(
        "group_norms",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("disputed_enabled", sa.Boolean(), nullable=False),
        sa.Column("disputed_min_reviews", sa.Integer(), nullable=False),
        sa.Column("disputed_low_percent", sa.Integer(), nullable=False),
        sa.Column("promotion_cap", sa.Integer(), nullable=True),
        sa.Column("cooldown_hours", sa.Integer(), nullable=False),
        sa.Column("updated_by", ID, nullable=True),
        _at("updated_at"),
        _fk("group_norms", "group_id", "groups", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_group_norms_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_group_norms")),
    )
    op.create_table(
        "group_norm_overrides",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("by_user_id", ID, nullable=True),
        _at("created_at"),
        _fk("group_norm_overrides", "group_id", "groups", "CASCADE"),
        _fk("group_norm_overrides", "product_id", "products", "CASCADE"),
        _fk("group_norm_overrides", "by_user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("group_id", "product_id", name=op.f("pk_group_norm_overrides")),
    )
    op.create_table(
        "group_share_quotas",
        sa.Column("group_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _fk("group_share_quotas", "group_id", "groups", "CASCADE"),
        _fk("group_share_quotas", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "user_id", "day", name=op.f("pk_group_share_quotas")),
    )

    op.create_table(
        "recommendation_asks",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("asker_id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("chosen_share_id", ID, nullable=True),
        _at("created_at"),
        sa.Column("chosen_at", tuan.core.db.UTCDateTime(timezone=True), nullable=True),
        _fk("recommendation_asks", "asker_id", "users", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["chosen_share_id"],
            ["shares.id"],
            name=op.f("fk_recommendation_asks_chosen_share_id_shares"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_asks")),
    )
    with op.batch_alter_table("recommendation_asks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_asks_asker_id"), ["asker_id"], unique=False
        )
    op.create_table(
        "recommendation_ask_targets",
        sa.Column("ask_id", ID, nullable=False),
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("message_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ask_id"],
            ["recommendation_asks.id"],
            name=op.f("fk_recommendation_ask_targets_ask_id_recommendation_asks"),
            ondelete="CASCADE",
        ),
        _fk("recommendation_ask_targets", "conversation_id", "conversations", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "ask_id", "conversation_id", name=op.f("pk_recommendation_ask_targets")
        ),
    )
    with op.batch_alter_table("recommendation_ask_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_ask_targets_conversation_id"),
            ["conversation_id"],
            unique=False,
        )
    op.create_table(
        "recommendation_answers",
        sa.Column("share_id", ID, nullable=False),
        sa.Column("ask_id", ID, nullable=False),
        sa.Column("answerer_id", ID, nullable=False),
        _at("created_at"),
        _fk("recommendation_answers", "share_id", "shares", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["ask_id"],
            ["recommendation_asks.id"],
            name=op.f("fk_recommendation_answers_ask_id_recommendation_asks"),
            ondelete="CASCADE",
        ),
        _fk("recommendation_answers", "answerer_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("share_id", name=op.f("pk_recommendation_answers")),
    )
    with op.batch_alter_table("recommendation_answers", schema=None) as batch_op:
        batch_op.create_index("ix_recommendation_answers_ask", ["ask_id", "share_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recommendation_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_recommendation_answers_ask")
    op.drop_table("recommendation_answers")
    with op.batch_alter_table("recommendation_ask_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_ask_targets_conversation_id"))
    op.drop_table("recommendation_ask_targets")
    with op.batch_alter_table("recommendation_asks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_asks_asker_id"))
    op.drop_table("recommendation_asks")
    op.drop_table("group_share_quotas")
    op.drop_table("group_norm_overrides")
    op.drop_table("group_norms")
    with op.batch_alter_table("purchase_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_reports_conversation")
    op.drop_table("purchase_reports")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_conversation")
        batch_op.drop_index("ix_reviews_product")
        batch_op.drop_index(batch_op.f("ix_reviews_author_id"))
    op.drop_table("reviews")
    with op.batch_alter_table("card_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_card_comments_target")
    op.drop_table("card_comments")
    with op.batch_alter_table("card_likes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_likes_user_id"))
    op.drop_table("card_likes")
    with op.batch_alter_table("product_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_product_cards_product")
        batch_op.drop_index("ix_product_cards_conversation")
    op.drop_table("product_cards")
