"""The heavy user of ``tuan bench data-rights`` (issue 23), written in bulk.

Rows go in through SQLAlchemy Core, many at a time (``executemany``), with the ids chosen here,
in the shapes the domains write them: a conversation's ``last_seq`` is its last message's
``seq`` and each message's ``version`` is its ``seq`` (``tuan.chat.stream``), every order has
its line, its payment and the transitions that took it to ``completed``, and every photo is a
real JPEG file in the media folder under the key an upload would have given it. Nothing the
erasure would refuse is left: no order undelivered, no team open, no money in the wallet, no
group owned by the heavy user.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tuan.accounts.domain import hash_token, username_key
from tuan.models import Base

HEAVY = "heavy_user"
BATCH = 2000
Advance = Callable[[str, int, int], None]  # (table, rows written now, rows more to write)


@dataclass(frozen=True)
class SeedSizes:
    messages: int = 20_000
    orders: int = 2_000
    photos: int = 300
    friends: int = 1_000  # friends and groups together: half of each
    group_size: int = 500
    listeners: int = 50

    @property
    def direct_chats(self) -> int:
        return self.friends - self.friends // 2

    @property
    def groups(self) -> int:
        return self.friends // 2


@dataclass
class Seeded:
    """What the measurement needs from the seed."""

    heavy: str
    group_id: int
    sender_token: str
    listener_tokens: list[str]
    photo_keys: list[str]
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class Ids:
    """The ids handed out so far, per table."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str, count: int = 1) -> list[int]:
        first = self.next.get(table, 1)
        self.next[table] = first + count
        return list(range(first, first + count))


def _jpeg(index: int) -> bytes:
    """A small photo of its own (a distinct key per index: keys are content hashes)."""
    from PIL import Image

    image = Image.new("RGB", (96, 72), (index * 37 % 256, index * 11 % 256, 90 + index % 160))
    for bit in range(16):  # the index written in pixels, so no two photos are the same
        image.putpixel((bit, 0), (255, 255, 255) if index >> bit & 1 else (0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def write_photos(media_dir: Path, count: int) -> list[str]:
    """``count`` JPEG files in the media folder: the first an avatar, the rest chat photos."""
    keys = []
    for index in range(count):
        data = _jpeg(index)
        folder = "avatars" if index == 0 else "chat"
        key = f"{folder}/{hashlib.sha256(data).hexdigest()}.jpg"
        path = media_dir / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        keys.append(key)
    return keys


class BulkWriter:
    """Bulk inserts in batches, counted for the progress bar and the report."""

    def __init__(self, conn: AsyncConnection, advance: Advance) -> None:
        self.conn = conn
        self.advance = advance
        self.rows: dict[str, int] = {}

    async def insert(self, name: str, rows: Sequence[dict[str, Any]]) -> None:
        table = Base.metadata.tables[name]
        shapes: dict[frozenset[str], list[dict[str, Any]]] = {}
        self.advance(name, 0, len(rows))
        for row in rows:  # one executemany takes rows of one shape
            shapes.setdefault(frozenset(row), []).append(row)
        for same in shapes.values():
            for start in range(0, len(same), BATCH):
                chunk = same[start : start + BATCH]
                await self.conn.execute(sa.insert(table), chunk)
                self.advance(name, len(chunk), 0)
        self.rows[name] = self.rows.get(name, 0) + len(rows)


def user_row(user_id: int, name: str, now: datetime, avatar: str | None = None) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "username_key": username_key(name),
        "display_name": name.replace("_", " ").title(),
        "bio": f"I am {name}, here for the benchmark.",
        "avatar_key": avatar,
        "password_hash": "!",  # no password: nobody signs in with one here
        "verified": True,
        "locale": "en",
        "created_at": now,
        "updated_at": now,
    }


def session_row(
    user_id: int, now: datetime, agent: str = "tuan bench data-rights", **extra: Any
) -> tuple[str, dict[str, Any]]:
    """A live session for ``user_id``: its bearer token, and its row (the token's hash)."""
    token = secrets.token_urlsafe(32)
    row = {
        **extra,
        "user_id": user_id,
        "token_hash": hash_token(token),
        "created_at": now,
        "expires_at": now + timedelta(days=30),
        "user_agent": agent,
    }
    return token, row


@dataclass
class _People:
    heavy: int
    others: list[int]
    shopkeeper: int


async def _people(w: BulkWriter, ids: Ids, sizes: SeedSizes, avatar: str | None) -> _People:
    now = datetime.now(UTC) - timedelta(days=400)
    others_count = max(sizes.friends, sizes.group_size) + 1
    heavy, shopkeeper = ids.take("users", 2)
    others = ids.take("users", others_count)
    rows = [user_row(heavy, HEAVY, now, avatar), user_row(shopkeeper, "bench_shopkeeper", now)]
    rows += [user_row(uid, f"other_{n:05d}", now) for n, uid in enumerate(others)]
    await w.insert("users", rows)
    return _People(heavy, others, shopkeeper)


def _direct(
    ids: Ids, heavy: int, friends: Iterable[int], at: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A direct chat with each friend: its conversation and its two members."""
    conversations, members = [], []
    for friend in friends:
        (cid,) = ids.take("conversations")
        low, high = sorted((heavy, friend))
        conversations.append(
            {"id": cid, "kind": "direct", "direct_key": f"{low}:{high}", "created_at": at}
        )
        members += [
            {"conversation_id": cid, "user_id": uid, "joined_at": at} for uid in (low, high)
        ]
    return conversations, members


async def _social(w: BulkWriter, ids: Ids, p: _People, sizes: SeedSizes) -> list[int]:
    """Friends with a direct chat each, and groups (owned by others) the heavy user is in;
    returns the heavy user's conversations, where their messages go."""
    at = datetime.now(UTC) - timedelta(days=300)
    friends = p.others[: sizes.direct_chats]
    await w.insert(
        "friendships",
        [
            {"user_low": min(p.heavy, f), "user_high": max(p.heavy, f), "created_at": at}
            for f in friends
        ],
    )
    conversations, members = _direct(ids, p.heavy, friends, at)
    owners = p.others[sizes.direct_chats : sizes.direct_chats + sizes.groups]
    group_ids = ids.take("conversations", len(owners))
    conversations += [
        {"id": gid, "kind": "group", "title": f"Group {n}", "created_at": at}
        for n, gid in enumerate(group_ids)
    ]
    await w.insert("conversations", conversations)
    groups = [
        {
            "id": gid,
            "name": f"Group {n}",
            "description": "A group the heavy user is in.",
            "owner_id": owner,
            "join_policy": "approval",
            "member_cap": 500,
            "member_count": 2,
            "created_at": at,
        }
        for n, (gid, owner) in enumerate(zip(group_ids, owners, strict=True))
    ]
    await w.insert("groups", groups)
    for gid, owner in zip(group_ids, owners, strict=True):
        members.append({"conversation_id": gid, "user_id": owner, "role": "owner", "joined_at": at})
        members.append({"conversation_id": gid, "user_id": p.heavy, "joined_at": at})
    await w.insert("conversation_members", members)
    return [int(row["id"]) for row in conversations]


@dataclass
class _Shop:
    shop_id: int
    products: list[tuple[int, int, str, int]]  # (product id, sku id, name, price)


async def _shop(w: BulkWriter, ids: Ids, p: _People) -> _Shop:
    at = datetime.now(UTC) - timedelta(days=390)
    (shop_id,) = ids.take("shops")
    await w.insert(
        "shops",
        [{"id": shop_id, "owner_id": p.shopkeeper, "name": "Bench Tea House", "currency": "CNY",
          "created_at": at, "updated_at": at}],
    )  # fmt: skip
    products, rows, skus = [], [], []
    for n in range(20):
        (pid,), (sid,) = ids.take("products"), ids.take("skus")
        name, price = f"Oolong tea no. {n}", 3900 + 100 * n
        rows.append({"id": pid, "shop_id": shop_id, "name": name, "currency": "CNY",
                     "search_text": name.lower(), "created_at": at, "updated_at": at})  # fmt: skip
        skus.append({"id": sid, "product_id": pid, "label": "250 g", "price": price,
                     "stock": 100_000, "created_at": at})  # fmt: skip
        products.append((pid, sid, name, price))
    await w.insert("products", rows)
    await w.insert("skus", skus)
    return _Shop(shop_id, products)


async def _orders(w: BulkWriter, ids: Ids, p: _People, shop: _Shop, count: int) -> list[int]:
    """Completed orders, each with its line, payment and transitions; returns their ids."""
    start = datetime.now(UTC) - timedelta(days=365)
    order_ids = ids.take("orders", count)
    orders, lines, payments, transitions = [], [], [], []
    steps = [(None, "pending", "placed"), ("pending", "paid", "paid"),
             ("paid", "shipped", "shipped"), ("shipped", "delivered", "delivered"),
             ("delivered", "completed", "completed")]  # fmt: skip
    for n, oid in enumerate(order_ids):
        pid, sid, name, price = shop.products[n % len(shop.products)]
        quantity = 1 + n % 3
        placed = start + timedelta(minutes=200 * n)
        times = [placed + timedelta(hours=h) for h in (0, 0.1, 20, 60, 100)]
        orders.append({
            "id": oid, "buyer_id": p.heavy, "shop_id": shop.shop_id, "kind": "regular",
            "status": "completed", "currency": "CNY", "subtotal": price * quantity,
            "total": price * quantity, "reserved_until": placed + timedelta(minutes=15),
            "placed_at": times[0], "paid_at": times[1], "shipped_at": times[2],
            "delivered_at": times[3], "completed_at": times[4], "tracking": f"SF{oid:010d}",
            "updated_at": times[4],
        })  # fmt: skip
        lines.append({
            "order_id": oid, "product_id": pid, "sku_id": sid, "product_name": name,
            "sku_label": "250 g", "regular_unit_price": price, "unit_price": price,
            "quantity": quantity, "line_total": price * quantity,
        })  # fmt: skip
        payments.append({
            "order_id": oid, "provider": "sandbox", "reference": f"bench-{oid}",
            "amount": price * quantity, "currency": "CNY", "status": "succeeded",
            "created_at": times[1], "settled_at": times[1],
        })  # fmt: skip
        for (before, after, reason), at in zip(steps, times, strict=True):
            actor = p.shopkeeper if reason in ("shipped",) else p.heavy
            transitions.append({"order_id": oid, "from_status": before, "to_status": after,
                                "reason": reason, "actor_id": actor, "at": at})  # fmt: skip
    await w.insert("orders", orders)
    await w.insert("order_lines", lines)
    await w.insert("payments", payments)
    await w.insert("order_transitions", transitions)
    return order_ids


async def _reviews(
    w: BulkWriter, ids: Ids, p: _People, shop: _Shop, order_ids: list[int], photos: list[str]
) -> None:
    at = datetime.now(UTC) - timedelta(days=30)
    rows = []
    for n, (oid, key) in enumerate(zip(order_ids, photos, strict=False)):
        pid = shop.products[n % len(shop.products)][0]
        (rid,) = ids.take("reviews")
        rows.append({"id": rid, "order_id": oid, "product_id": pid, "author_id": p.heavy,
                     "shop_id": shop.shop_id, "stars": 4 + n % 2,
                     "text": f"Review {n}: a good tea, well packed.", "photos": [key],
                     "created_at": at})  # fmt: skip
    await w.insert("reviews", rows)


def _message(cid: int, seq: int, sender: int, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "conversation_id": cid,
        "seq": seq,
        "version": seq,
        "sender_id": sender,
        "client_id": f"seed-{cid}-{seq}",
        "kind": "text",
        "text": f"Message {seq} in {cid}: tea at five, the usual place? Bring the receipts.",
        "payload": {},
        "mentions": [],
        "created_at": at,
        **extra,
    }


async def _messages(
    w: BulkWriter, ids: Ids, p: _People, shop: _Shop, chats: list[int], count: int,
    groups: set[int], photos: list[str],
) -> None:  # fmt: skip
    """``count`` messages by the heavy user, round-robin over their chats; the first ones in
    groups are product cards (a share each) with one photo each."""
    start = datetime.now(UTC) - timedelta(days=200)
    seqs: dict[int, int] = dict.fromkeys(chats, 0)
    messages, shares, cards = [], [], []
    cards_left = list(photos)
    for n in range(count):
        cid = chats[n % len(chats)]
        seqs[cid] += 1
        at = start + timedelta(seconds=600 * n)
        if cid in groups and cards_left:
            key = cards_left.pop()
            (share_id,) = ids.take("shares")
            pid, _, name, _ = shop.products[share_id % len(shop.products)]
            words = f"Try {name}, it is the one I told you about."
            payload = {"share_id": share_id, "product_id": pid, "product_name": name,
                       "photos": [key], "paid_share": False, "paid_label": None}  # fmt: skip
            messages.append(_message(cid, seqs[cid], p.heavy, at, kind="product_card",
                                     text=words, payload=payload))  # fmt: skip
            shares.append({"id": share_id, "sharer_id": p.heavy, "product_id": pid,
                           "conversation_id": cid, "created_at": at})  # fmt: skip
            cards.append({"share_id": share_id, "conversation_id": cid, "message_seq": seqs[cid],
                          "sharer_id": p.heavy, "product_id": pid, "text": words,
                          "photos": [key], "created_at": at})  # fmt: skip
        else:
            messages.append(_message(cid, seqs[cid], p.heavy, at))
    await w.insert("messages", messages)
    await w.insert("shares", shares)
    await w.insert("product_cards", cards)


async def _bench_group(
    w: BulkWriter, ids: Ids, p: _People, sizes: SeedSizes
) -> tuple[int, str, list[str], list[dict[str, Any]]]:
    """The group the chat is measured in: ``group_size`` members (the heavy user among them),
    owned by another; a session for its sender and for each listener."""
    at = datetime.now(UTC) - timedelta(days=100)
    (gid,) = ids.take("conversations")
    await w.insert("conversations", [{"id": gid, "kind": "group", "title": "Bench group",
                                      "created_at": at}])  # fmt: skip
    await w.insert("groups", [{"id": gid, "name": "Bench group", "owner_id": p.others[0],
                               "join_policy": "open", "member_cap": sizes.group_size,
                               "member_count": sizes.group_size, "created_at": at}])  # fmt: skip
    people = [p.others[0], p.heavy, *p.others[1 : sizes.group_size - 1]]
    await w.insert(
        "conversation_members",
        [
            {"conversation_id": gid, "user_id": uid, "joined_at": at,
             "role": "owner" if n == 0 else "member"}
            for n, uid in enumerate(people)
        ],
    )  # fmt: skip
    now = datetime.now(UTC)
    sender_token, sender_session = session_row(p.others[1], now)
    listeners = [session_row(uid, now) for uid in p.others[2 : 2 + sizes.listeners]]
    sessions = [sender_session, session_row(p.heavy, now)[1], *(row for _, row in listeners)]
    return gid, sender_token, [token for token, _ in listeners], sessions


async def _positions(conn: AsyncConnection) -> None:
    """Each conversation's last position is its last message's; members have read it all."""
    await conn.execute(
        sa.text(
            "UPDATE conversations SET last_seq = (SELECT coalesce(max(seq), 0) FROM messages"
            " WHERE messages.conversation_id = conversations.id)"
        )
    )
    await conn.execute(
        sa.text(
            "UPDATE conversation_members SET read_seq = (SELECT last_seq FROM conversations"
            " WHERE conversations.id = conversation_members.conversation_id)"
        )
    )


async def reset_sequences(conn: AsyncConnection, ids: Ids) -> None:
    """PostgreSQL: ids were given here, so each table's sequence moves past them."""
    for table in ids.next:
        await conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 - our names
                f" (SELECT max(id) FROM {table}))"
            )
        )


async def seed(database_url: str, media_dir: Path, sizes: SeedSizes, advance: Advance) -> Seeded:
    """Write the heavy user and everything around them; see the module docstring."""
    photos = write_photos(media_dir, sizes.photos)
    avatar, rest = (photos[0], photos[1:]) if photos else (None, [])
    review_photos = rest[: min(len(rest) // 2, sizes.orders)]
    card_photos = rest[len(review_photos) :]
    ids = Ids(next={"users": 1})
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            w = BulkWriter(conn, advance)
            people = await _people(w, ids, sizes, avatar)
            chats = await _social(w, ids, people, sizes)
            shop = await _shop(w, ids, people)
            order_ids = await _orders(w, ids, people, shop, sizes.orders)
            await _reviews(w, ids, people, shop, order_ids, review_photos)
            groups = set(chats[sizes.direct_chats :])
            await _messages(w, ids, people, shop, chats, sizes.messages, groups, card_photos)
            gid, sender, listeners, sessions = await _bench_group(w, ids, people, sizes)
            await w.insert("sessions", sessions)
            await _positions(conn)
            if conn.dialect.name == "postgresql":
                await reset_sequences(conn, ids)
    finally:
        await engine.dispose()
    return Seeded(HEAVY, gid, sender, listeners, photos, rows=w.rows)
