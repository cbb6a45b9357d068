"""chat: group conversations keep their title and parent; system lines as codes and parameters

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 12:00:00

The chat list no longer reads the groups table: a group conversation carries its title (the
group's name) and the conversation it was spun off from, kept by the group. Lines the server
wrote into a group's chat ("Mei joined") were stored as English sentences; they become a code
and its parameters, which each reader's page says in their language. Names are taken as they
are now (what the pages showed for old lines too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 1000

conversations = sa.table(
    "conversations",
    sa.column("id", ID),
    sa.column("title", sa.String),
    sa.column("parent_id", ID),
)
groups = sa.table(
    "groups", sa.column("id", ID), sa.column("name", sa.String), sa.column("parent_id", ID)
)
users = sa.table("users", sa.column("id", ID), sa.column("display_name", sa.String))
messages = sa.table(
    "messages",
    sa.column("id", ID),
    sa.column("conversation_id", ID),
    sa.column("kind", sa.String),
    sa.column("text", sa.Text),
    sa.column("payload", sa.JSON),
)


def upgrade() -> None:
    # Nullable columns without defaults: an instant change on PostgreSQL, a plain ADD COLUMN on
    # SQLite.
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("parent_id", ID, nullable=True))
    of_group = groups.c.id == conversations.c.id
    op.execute(
        conversations.update()
        .where(sa.exists().where(of_group))
        .values(
            title=sa.select(groups.c.name).where(of_group).scalar_subquery(),
            parent_id=sa.select(groups.c.parent_id).where(of_group).scalar_subquery(),
        )
    )
    _rewrite_system_lines(_to_code)


def downgrade() -> None:
    _rewrite_system_lines(_to_sentence)
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("parent_id")
        batch_op.drop_column("title")


def _rewrite_system_lines(rewrite: Any) -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(messages.c.id, messages.c.conversation_id, messages.c.payload)
            .where(messages.c.kind == "system", messages.c.id > last)
            .order_by(messages.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        people = {p for row in rows for p in _people(row.payload or {})}
        names = dict(
            connection.execute(
                sa.select(users.c.id, users.c.display_name).where(users.c.id.in_(people))
            ).all()
        )
        group_names = dict(
            connection.execute(
                sa.select(groups.c.id, groups.c.name).where(
                    groups.c.id.in_({row.conversation_id for row in rows})
                )
            ).all()
        )
        for row in rows:
            text, payload = rewrite(row.payload or {}, names, group_names.get(row.conversation_id))
            connection.execute(
                messages.update().where(messages.c.id == row.id).values(text=text, payload=payload)
            )


def _people(payload: dict[str, Any]) -> set[int]:
    params = payload.get("params", payload)
    return {p for p in (params.get("user_id"), params.get("introduced_by")) if p}


def _to_code(
    old: dict[str, Any], names: dict[int, str], group: str | None
) -> tuple[str, dict[str, Any]]:
    if "code" in old:  # already rewritten
        return "", old
    event, user_id = old.get("event"), old.get("user_id")
    params: dict[str, Any] = {}
    if user_id is not None:
        params = {"user_id": user_id, "name": names.get(user_id, "?")}
    code = {
        "created": "group_created",
        "joined": "member_joined",
        "owner": "owner_changed",
        "dissolved": "group_dissolved",
    }.get(event or "", "group_changed")
    if event == "created":
        params.update(group=group or "", parent_id=old.get("parent_id"))
    elif event == "joined" and old.get("introduced_by"):
        code = "member_joined_introduced"
        introducer = old["introduced_by"]
        params.update(introduced_by=introducer, introducer=names.get(introducer, "?"))
    elif event == "left":
        code = "member_left" if old.get("by") is None else "member_removed"
        if old.get("by") is not None:
            params["by"] = old["by"]
    elif event == "role":
        code = "admin_appointed" if old.get("role") == "admin" else "admin_dismissed"
    return "", {"code": code, "params": params}


_SENTENCES = {
    "group_created": ("created", "{name} created {group}"),
    "member_joined": ("joined", "{name} joined"),
    "member_joined_introduced": ("joined", "{name} joined, introduced by {introducer}"),
    "member_left": ("left", "{name} left"),
    "member_removed": ("left", "{name} was removed"),
    "admin_appointed": ("role", "{name} is now an admin"),
    "admin_dismissed": ("role", "{name} is no longer an admin"),
    "owner_changed": ("owner", "{name} is now the owner"),
    "group_dissolved": ("dissolved", "The group was dissolved"),
}


def _to_sentence(
    new: dict[str, Any], _names: dict[int, str], _group: str | None
) -> tuple[str, dict[str, Any]]:
    params = dict(new.get("params", {}))
    event, sentence = _SENTENCES.get(new.get("code", ""), ("changed", ""))
    old: dict[str, Any] = {"event": event}
    for key in ("user_id", "introduced_by", "parent_id", "by"):
        if key in params:
            old[key] = params[key]
    if new.get("code") == "member_left":
        old["by"] = None
    if event == "role":
        old["role"] = "admin" if new.get("code") == "admin_appointed" else "member"
    try:
        text = sentence.format(**params)
    except KeyError:
        text = sentence
    return text, old
