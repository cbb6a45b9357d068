"""Who is who in the demo: the logins that own its shops and its groups, read from the database
(so what the demo prints is what a person finds when they log in)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tuan.accounts.models import User
from tuan.bootstrap import Container
from tuan.catalog.models import Shop
from tuan.groups.models import Group


@dataclass(frozen=True)
class Owner:
    username: str
    display_name: str
    kind: str  # shop | group
    name: str


async def demo_owners(container: Container) -> list[Owner]:
    """The owner of every shop, then of every top-level group, in the order they were made."""
    async with container.db.read_sessions() as session:
        shops = await session.execute(
            select(User.username, User.display_name, Shop.name)
            .join(Shop, Shop.owner_id == User.id)
            .order_by(Shop.id)
        )
        groups = await session.execute(
            select(User.username, User.display_name, Group.name)
            .join(Group, Group.owner_id == User.id)
            .where(Group.parent_id.is_(None), Group.dissolved_at.is_(None))
            .order_by(Group.id)
        )
        return [Owner(user, name, "shop", shop) for user, name, shop in shops] + [
            Owner(user, name, "group", group) for user, name, group in groups
        ]


def describe(owners: list[Owner], shoppers: list[str], password: str) -> list[str]:
    """Lines for the demo's banner: every login with a role, and the one password."""
    lines = [f"demo logins (every demo user's password is {password}):"]
    lines.append(f"  {', '.join(shoppers)}: shoppers in the busiest groups")
    for owner in owners:
        lines.append(
            f"  {owner.username} ({owner.display_name}) owns the {owner.kind} {owner.name}"
        )
    return lines
