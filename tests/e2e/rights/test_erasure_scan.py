"""Issue 23's end-to-end proof: a person active in every domain exports, leaves, and after the
waiting period nothing of them is left: no name, username or photo in any text column of any
table nor in the media folder, while every ledger sum and every shop's sales are unchanged."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from tests.e2e.commerce.kit import buy, list_product, open_shop, settle, storefront
from tests.e2e.loop.loopkit import (
    befriend,
    review,
    share_card,
    show,
    upload_photo,
)
from tests.factories import PASSWORD, Person, join_open_group, log_in, people, person, say
from tests.fakes import ShiftableClock
from tuan.accounts.service import set_verified
from tuan.bootstrap import Container
from tuan.core.personal import DELETED_USER_ID, Personal
from tuan.discovery import personal_catalogue

USERNAME = "meixiaohua"
DISPLAY_NAME = "梅小花 Blossom"
WORDS = "梅小花的真心话 blossom-words"


async def complete(client: httpx.AsyncClient, owner: Person, buyer: Person, order_id: int) -> None:
    for who, action in ((owner, "ship"), (buyer, "deliver"), (buyer, "complete")):
        done = await client.post(f"/api/v1/orders/{order_id}/{action}", headers=who.headers)
        assert done.status_code == 200, done.text


async def ok(response: Any) -> dict[str, Any]:
    answer = await response
    assert answer.status_code in (200, 201, 202, 204), (answer.request.url, answer.text)
    return dict(answer.json()) if answer.content else {}


async def active_everywhere(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> tuple[Person, Person, int, list[str]]:
    """Mei, a friend (Ben), the group they share, and the media keys of Mei's photos. Mei has a
    profile and avatar, friends, a block, a pending request, privacy choices, groups, messages,
    mentions and a reaction, a direct chat, a card with a photo that earned commission (paid
    out), orders, a team purchase, a review and a report with photos, a shop that sold, an ask
    and an answer, a note with a photo and a linked product, comments and likes, notifications
    and an export."""
    front = await storefront(client, container, team_size=2, team_price=8000)
    mei = await person(client, USERNAME, display_name=DISPLAY_NAME)
    ben, carol, dan = await people(client, "ben", "carol", "dan")
    avatar = await ok(
        client.put(
            "/api/v1/me/avatar",
            headers=mei.headers,
            files={"file": ("me.png", _png((10, 200, 10)), "image/png")},
        )
    )
    await ok(client.patch("/api/v1/me", headers=mei.headers, json={"bio": WORDS}))
    await befriend(client, mei, ben)
    await ok(client.put(f"/api/v1/blocks/{carol.id}", headers=mei.headers))
    await ok(client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": dan.id}))
    await show(client, mei, "purchases", "friends")

    group = await join_open_group(client, ben, mei)
    assert (await say(client, mei, group, f"{WORDS} @ben")).status_code == 201
    assert (await say(client, ben, group, f"@{USERNAME} 你好")).status_code == 201
    mention = await say(client, ben, group, "看这个 look", mentions=[mei.id])
    assert mention.status_code == 201, mention.text
    said = await say(client, ben, group, "团长好")
    react = f"/api/v1/conversations/{group}/messages/{said.json()['seq']}/reactions/👍"
    await ok(client.put(react, headers=mei.headers))
    direct = await ok(
        client.post("/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id})
    )
    assert (await say(client, mei, direct["id"], WORDS)).status_code == 201
    assert (await say(client, ben, direct["id"], "好的")).status_code == 201
    own_group = await ok(client.post("/api/v1/groups", headers=mei.headers, json={"name": "米粉"}))
    await ok(client.delete(f"/api/v1/groups/{own_group['id']}", headers=mei.headers))

    photo = await upload_photo(client, mei, group)
    card = await ok(
        share_card(
            client, mei, group, front.product["id"], text=WORDS, photos=[photo], photo_alts=[WORDS]
        )
    )
    await ok(client.put(f"/api/v1/cards/{card['share_id']}/like", headers=ben.headers))
    await ok(
        client.post(
            f"/api/v1/cards/{card['share_id']}/comments", headers=mei.headers, json={"text": WORDS}
        )
    )
    bought = await buy(client, ben, front.sku_id, share_id=card["share_id"])
    await complete(client, front.owner, ben, bought["id"])

    bens = await ok(share_card(client, ben, group, front.product["id"], text="ben's pick"))
    mine = await buy(client, mei, front.sku_id, share_id=bens["share_id"])
    await complete(client, front.owner, mei, mine["id"])
    review_photo = await upload_photo(client, mei, group)
    await ok(review(client, mei, mine["id"], 5, WORDS, photos=[review_photo], photo_alts=[WORDS]))
    await ok(
        client.post(
            f"/api/v1/orders/{mine['id']}/bought-it", headers=mei.headers, json={"text": WORDS}
        )
    )

    opened = await ok(
        client.post(
            "/api/v1/teams",
            headers={**mei.headers, "Idempotency-Key": uuid.uuid4().hex},
            json={"sku_id": front.sku_id, "quantity": 1, "allow_public_join": True},
        )
    )
    team = opened["team"]
    paid = f"/api/v1/orders/{opened['order']['id']}/payments"
    await ok(client.post(paid, headers=mei.headers, json={}))
    joined = await ok(
        client.post(
            f"/api/v1/teams/{team['id']}/join",
            headers={**ben.headers, "Idempotency-Key": uuid.uuid4().hex},
            json={"quantity": 1},
        )
    )
    ben_pays = f"/api/v1/orders/{joined['order']['id']}/payments"
    await ok(client.post(ben_pays, headers=ben.headers, json={}))
    await settle(container)
    for buyer, order in ((mei, opened["order"]["id"]), (ben, joined["order"]["id"])):
        await complete(client, front.owner, buyer, order)

    # Mei sells too: a shop (its name is the seller of record, kept), a product, a sale.
    await container.run(set_verified, username=USERNAME)
    shop = await open_shop(client, mei, name="巷口水果铺", description=WORDS)
    fruit = await list_product(client, mei, shop["id"], name="砂糖橘", description=WORDS)
    sold = await buy(client, ben, fruit["skus"][0]["id"])
    await complete(client, mei, ben, sold["id"])

    ask = await ok(
        client.post(
            "/api/v1/asks", headers=mei.headers, json={"text": WORDS, "conversation_ids": [group]}
        )
    )
    await ok(
        client.post(
            f"/api/v1/asks/{ask['id']}/answers",
            headers=ben.headers,
            json={"conversation_id": group, "product_id": front.product["id"]},
        )
    )

    note_photo = await upload_photo(client, mei, group, colour=(90, 40, 200))
    note = {
        "title": WORDS,
        "text": WORDS,
        "photos": [note_photo],
        "photo_alts": [WORDS],
        "tags": ["#梅小花"],
        "product_ids": [front.product["id"]],
        "audience": "everyone",
        "area": WORDS,
    }
    await ok(client.post("/api/v1/notes", headers=mei.headers, json=note))

    await settle(container)
    clock.advance(days=7, seconds=1)  # the return window closes: the commission is available
    await settle(container)
    wallet = await ok(client.get("/api/v1/wallet", headers=mei.headers))
    (balance,) = wallet["balances"]
    await ok(
        client.post(
            "/api/v1/wallet/payouts",
            headers=mei.headers,
            json={"amount": balance["amount"], "currency": balance["currency"]},
        )
    )
    await settle(container)
    exported = await ok(client.post("/api/v1/me/exports", headers=mei.headers))
    await settle(container)
    archive = await client.get(f"/api/v1/me/exports/{exported['id']}/download", headers=mei.headers)
    assert archive.status_code == 200, archive.text
    _check_archive(zipfile.ZipFile(io.BytesIO(archive.content)))
    avatar_key = avatar["avatar_url"].removeprefix("/media/")
    return mei, ben, group, [avatar_key, photo, review_photo, note_photo]


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Every archive file the declarations name is there, and holds the person's words."""
    declared = {
        declaration.export
        for table in personal_catalogue().tables
        for declaration in table.columns.values()
        if isinstance(declaration, Personal) and declaration.export.endswith(".json")
    }
    names = set(archive.namelist())
    assert declared <= names, declared - names
    everything = b"".join(archive.read(name) for name in names if name.endswith(".json"))
    assert WORDS.encode() in everything or json.dumps(WORDS).encode() in everything
    assert any(name.startswith("photos/") for name in names)


async def _books(container: Container) -> dict[str, Any]:
    """Every ledger account's sum and every shop's sales (count and total)."""
    async with container.db.read_sessions() as session:
        ledger = await session.execute(
            sa.text("SELECT account_code, SUM(amount) FROM ledger_entries GROUP BY account_code")
        )
        sales = await session.execute(
            sa.text(
                "SELECT shop_id, status, COUNT(*), SUM(total) FROM orders GROUP BY shop_id, status"
            )
        )
        return {"ledger": sorted(map(tuple, ledger)), "sales": sorted(map(tuple, sales))}


async def _text_holding(container: Container, needles: list[str]) -> list[str]:
    """Every table.column whose text holds one of ``needles`` (case-insensitive)."""
    metadata = personal_catalogue().metadata
    found = []
    async with container.db.read_sessions() as session:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, (sa.String, sa.Text, sa.JSON)):
                    continue
                values = await session.scalars(sa.select(column).where(column.is_not(None)))
                for value in values:
                    text = (
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
                    if any(needle.lower() in text.lower() for needle in needles):
                        found.append(f"{table.name}.{column.name}: {text[:80]}")
    return found


def _files_holding(folder: Path, contents: list[bytes]) -> list[str]:
    return [
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and any(content in path.read_bytes() for content in contents)
    ]


async def test_after_leaving_nothing_names_the_person_and_the_books_still_balance(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    mei, ben, group, photo_keys = await active_everywhere(client, container, clock)
    photos = [await container.media.get(key) for key in photo_keys]
    assert all(photos)
    media = container.settings.media_dir
    needles = [USERNAME, "梅小花", "Blossom", WORDS]
    assert await _text_holding(container, needles)  # the scan does see her before
    books = await _books(container)

    asked = await client.post(
        "/api/v1/me/deletion", headers=mei.headers, json={"password": PASSWORD}
    )
    assert asked.status_code == 202, asked.text
    clock.advance(days=7, seconds=1)
    await settle(container)

    left = await _text_holding(container, needles)
    assert left == [], left
    async with container.db.read_sessions() as session:
        cards = await session.execute(
            sa.text("SELECT photos, photo_alts FROM product_cards WHERE sharer_id = :gone"),
            {"gone": DELETED_USER_ID},
        )
        blanked = [[v if isinstance(v, list | dict) else json.loads(v) for v in r] for r in cards]
    assert blanked == [[[], []]]  # her card stays, without her photos or what she said of them
    assert _files_holding(media, [p for p in photos if p]) == []
    assert await _books(container) == books
    refused = await log_in(client, USERNAME)
    assert refused.status_code == 401, refused.text
    again = await client.post(
        "/api/v1/accounts",
        json={"username": USERNAME, "display_name": "someone else", "password": PASSWORD},
    )
    assert again.status_code == 409, again.text  # the name is quarantined
    ben = Person(id=ben.id, username="ben", token=(await log_in(client, "ben")).json()["token"])
    history = await client.get(f"/api/v1/conversations/{group}/messages", headers=ben.headers)
    assert history.status_code == 200, history.text
    texts = [m for m in history.json()["messages"] if m["kind"] == "text"]
    assert {m["sender_id"] for m in texts} == {ben.id, DELETED_USER_ID}  # her places kept
    assert [m["text"] for m in texts if m["sender_id"] == DELETED_USER_ID] == [""]
    bens = [(m["text"], m["mentions"]) for m in texts if m["sender_id"] == ben.id]
    assert bens == [("@~deleted 你好", []), ("看这个 look", []), ("团长好", [])]
