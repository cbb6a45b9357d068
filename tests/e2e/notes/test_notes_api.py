"""Notes (种草, issue 16, ADR 0013), the first slice: publish a note linking products, read it
as its audience allows, buy from it as from a share, delete it.

The world: Mei's shop sells nuts and tea; Amy writes notes; Fay is Amy's friend; Sam is a
stranger to her; and there is whoever reads signed out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import func, select

from tests.e2e.commerce.kit import Storefront, buy, list_product, settle, storefront
from tests.e2e.loop.loopkit import befriend, upload_photo
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container
from tuan.notes.models import Note
from tuan.shares.models import Share

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@dataclass
class World:
    front: Storefront
    tea: dict[str, Any]
    amy: Person  # writes the notes
    fay: Person  # Amy's friend
    sam: Person  # a stranger to Amy

    @property
    def nuts(self) -> int:
        return int(self.front.product["id"])


async def world(client: httpx.AsyncClient, container: Container) -> World:
    front = await storefront(client, container, commission_rate_bp=1000)
    tea = await list_product(
        client,
        front.owner,
        front.shop["id"],
        name="龙井茶 Longjing tea",
        skus=[{"label": "250g", "price": 12800, "stock": 10}],
    )
    amy, fay, sam = await people(client, "amy", "fay", "sam")
    await befriend(client, amy, fay)
    return World(front, tea, amy, fay, sam)


async def publish(
    client: httpx.AsyncClient, who: Person, *, headers: dict[str, str] | None = None, **body: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/notes", headers={**who.headers, **(headers or {})}, json={"title": "开箱", **body}
    )


async def counts(container: Container) -> tuple[int, int]:
    """How many notes and shares there are."""
    async with container.db.read_sessions() as session:
        notes = await session.scalar(select(func.count()).select_from(Note))
        shares = await session.scalar(select(func.count()).select_from(Share))
    return int(notes or 0), int(shares or 0)


def refusal(response: httpx.Response) -> tuple[int, str, str | None]:
    assert "error" in response.json(), response.text
    error = response.json()["error"]
    return response.status_code, error["code"], error.get("field")


async def test_a_note_is_published_and_read_back_with_its_products_and_shares(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    group = await join_open_group(client, w.amy, w.fay)
    photo = await upload_photo(client, w.amy, group)
    published = await publish(
        client,
        w.amy,
        title=" 每日坚果礼盒开箱 ",
        text="口感很脆，分量足。\n缺点：包装有点大。",
        photos=[photo],
        photo_alts=["打开的礼盒，六种坚果"],
        tags=["#坚果", "#Snacks", "snacks"],
        product_ids=[w.nuts, w.tea["id"]],
        audience="everyone",
        area="上海·徐汇",
    )
    assert published.status_code == 201, published.text
    note = published.json()
    assert (note["title"], note["tags"], note["area"]) == (
        "每日坚果礼盒开箱",
        ["坚果", "snacks"],
        "上海·徐汇",
    )
    assert note["text"] == "口感很脆，分量足。\n缺点：包装有点大。"
    assert [(p["key"], p["alt"]) for p in note["photos"]] == [(photo, "打开的礼盒，六种坚果")]
    assert [(p["product_id"], p["price"], p["verified_purchase"]) for p in note["products"]] == [
        (w.nuts, 9900, False),
        (w.tea["id"], 12800, False),
    ]
    assert note["products"][1]["name"] == "龙井茶 Longjing tea"

    # Each linked product is Amy's share, made outside any chat.
    for linked in note["products"]:
        share = await client.get(f"/api/v1/shares/{linked['share_id']}", headers=w.sam.headers)
        assert share.status_code == 200, share.text
        assert (share.json()["sharer_id"], share.json()["product_id"]) == (
            w.amy.id,
            linked["product_id"],
        )
        assert share.json()["conversation_id"] is None

    read = await client.get(f"/api/v1/notes/{note['id']}")  # signed out
    assert read.status_code == 200, read.text
    assert read.json() == note


async def test_bad_notes_are_refused_naming_the_problem_and_write_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    archived = await list_product(client, w.front.owner, w.front.shop["id"], name="旧款 Old")
    shared = await client.post(
        "/api/v1/shares", headers=w.front.owner.headers, json={"product_id": archived["id"]}
    )
    assert shared.status_code == 201, shared.text
    gone = await client.delete(f"/api/v1/products/{archived['id']}", headers=w.front.owner.headers)
    assert gone.json()["outcome"] == "archived", gone.text
    group = await join_open_group(client, w.amy, w.fay)
    photo = await upload_photo(client, w.amy, group)
    more = [
        (await list_product(client, w.front.owner, w.front.shop["id"], name=f"P{n}"))["id"]
        for n in range(4)
    ]
    before = await counts(container)

    cases: list[tuple[dict[str, Any], tuple[int, str, str | None]]] = [
        ({"title": "  "}, (422, "NOTE_EMPTY", "title")),
        ({"product_ids": [w.nuts, 2**40]}, (404, "PRODUCT_NOT_FOUND", "product_ids.1")),
        ({"product_ids": [archived["id"]]}, (410, "PRODUCT_ARCHIVED", "product_ids.0")),
        ({"tags": ["two words"]}, (422, "NOTE_TAG_INVALID", None)),
        ({"photos": [photo], "photo_alts": ["a", "b"]}, (422, "PHOTO_ALTS_MISMATCH", "photo_alts")),
    ]
    for body, expected in cases:
        refused = await publish(client, w.amy, **body)
        assert refusal(refused)[:2] == expected[:2], (body, refused.text)
        if expected[2] is not None:
            assert refusal(refused)[2] == expected[2], refused.text
    # A sixth product, a tenth photo, a sixth tag, an audience nobody knows: the schema's limits.
    for body in (
        {"product_ids": [w.nuts, w.tea["id"], *more]},
        {"photos": [photo] * 10},
        {"tags": [f"t{n}" for n in range(6)]},
        {"audience": "groups"},
        {"title": "标" * 101},
        {"product_ids": [w.nuts], "verified_purchase": True},  # the server's to say, never set
    ):
        refused = await publish(client, w.amy, **body)
        assert refused.status_code == 422, (body, refused.text)
    in_chinese = await publish(client, w.amy, headers=ZH, title=" ")
    assert refusal(in_chinese) == (422, "NOTE_EMPTY", "title")
    assert in_chinese.json()["error"]["message"] == "请给笔记写个标题。"
    assert await counts(container) == before


async def test_a_note_is_seen_by_its_audience_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    seen_by = {
        "everyone": {"amy", "fay", "sam", "signed out"},
        "friends": {"amy", "fay"},
        "me": {"amy"},
    }
    readers = {"amy": w.amy.headers, "fay": w.fay.headers, "sam": w.sam.headers, "signed out": {}}
    for audience, allowed in seen_by.items():
        published = await publish(
            client, w.amy, title=f"给{audience}看", product_ids=[w.nuts], audience=audience
        )
        assert published.status_code == 201, published.text
        note_id = published.json()["id"]
        for reader, headers in readers.items():
            read = await client.get(f"/api/v1/notes/{note_id}", headers=headers)
            if reader in allowed:
                assert read.status_code == 200, (audience, reader, read.text)
                assert read.json()["title"] == f"给{audience}看"
            else:
                assert refusal(read) == (404, "NOTE_NOT_FOUND", None), (audience, reader)
                assert f"给{audience}看" not in read.text
        # Nobody but Amy may delete it; who cannot see it is not told it exists.
        for reader, headers in readers.items():
            if reader == "amy":
                continue
            deleted = await client.delete(f"/api/v1/notes/{note_id}", headers=headers)
            expected = 401 if reader == "signed out" else 403 if reader in allowed else 404
            assert deleted.status_code == expected, (audience, reader, deleted.text)
    # A friend no longer: the friends' note is gone from Fay's view.
    notes = await publish(client, w.amy, audience="friends")
    unfriended = await client.delete(f"/api/v1/friends/{w.fay.id}", headers=w.amy.headers)
    assert unfriended.status_code in (200, 204), unfriended.text
    read = await client.get(f"/api/v1/notes/{notes.json()['id']}", headers=w.fay.headers)
    assert refusal(read) == (404, "NOTE_NOT_FOUND", None)


async def test_buying_from_a_note_credits_its_author_as_a_share_does(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    published = await publish(client, w.amy, product_ids=[w.nuts], audience="everyone")
    note_id = published.json()["id"]
    share_id = published.json()["products"][0]["share_id"]

    sams = await buy(client, w.sam, w.front.sku_id, share_id=share_id)
    assert (sams["share_id"], sams["commission"]["sharer_id"]) == (share_id, w.amy.id)
    assert sams["commission"]["note"] == "shared"
    assert sams["commission"]["amount"] == 990  # 10% of 99.00, as for any share

    # Amy buying through her own note earns nothing; and now her purchase is verified.
    unverified = await client.get(f"/api/v1/notes/{note_id}", headers=w.sam.headers)
    assert unverified.json()["products"][0]["verified_purchase"] is False
    amys = await buy(client, w.amy, w.front.sku_id, share_id=share_id)
    assert (amys["commission"]["amount"], amys["commission"]["note"]) == (0, "self_referral")
    for buyer, order in ((w.sam, sams["id"]), (w.amy, amys["id"])):
        for who, action in ((w.front.owner, "ship"), (buyer, "deliver"), (buyer, "complete")):
            done = await client.post(f"/api/v1/orders/{order}/{action}", headers=who.headers)
            assert done.status_code == 200, done.text
    await settle(container)
    wallet = (await client.get("/api/v1/wallet", headers=w.amy.headers)).json()
    assert sum(b["amount"] + b["held"] for b in wallet["balances"]) == 990  # Sam's order only
    verified = await client.get(f"/api/v1/notes/{note_id}", headers=w.sam.headers)
    assert verified.json()["products"][0]["verified_purchase"] is True


async def test_a_deleted_note_is_not_found_by_anyone(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    published = await publish(
        client, w.amy, title="要删的", tags=["#删"], product_ids=[w.nuts], audience="everyone"
    )
    note_id = published.json()["id"]
    deleted = await client.delete(f"/api/v1/notes/{note_id}", headers=w.amy.headers)
    assert deleted.status_code == 204, deleted.text
    for headers in (w.amy.headers, w.fay.headers, w.sam.headers, {}):
        read = await client.get(f"/api/v1/notes/{note_id}", headers=headers)
        assert refusal(read) == (404, "NOTE_NOT_FOUND", None)
    again = await client.delete(f"/api/v1/notes/{note_id}", headers=w.amy.headers)
    assert refusal(again) == (404, "NOTE_NOT_FOUND", None)
    async with container.db.read_sessions() as session:
        tombstone = await session.get(Note, note_id)
    assert tombstone is not None and (tombstone.title, tombstone.tags) == ("", [])


async def test_blocking_either_way_hides_even_a_note_to_everyone(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    note = (await publish(client, w.amy, audience="everyone")).json()
    assert (
        await client.get(f"/api/v1/notes/{note['id']}", headers=w.sam.headers)
    ).status_code == 200
    blocked = await client.put(f"/api/v1/blocks/{w.sam.id}", headers=w.amy.headers)
    assert blocked.status_code == 204, blocked.text
    read = await client.get(f"/api/v1/notes/{note['id']}", headers=w.sam.headers)
    assert refusal(read) == (404, "NOTE_NOT_FOUND", None)
    # and the other way round: Fay blocks Amy, and no longer meets her notes
    await client.put(f"/api/v1/blocks/{w.amy.id}", headers=w.fay.headers)
    read = await client.get(f"/api/v1/notes/{note['id']}", headers=w.fay.headers)
    assert refusal(read) == (404, "NOTE_NOT_FOUND", None)
    mine = await client.get(f"/api/v1/notes/{note['id']}", headers=w.amy.headers)
    assert mine.status_code == 200


async def test_a_person_with_no_chat_uploads_a_notes_photos_and_a_non_image_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    (ann,) = await people(client, "ann")  # in no group, no chat
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    uploaded = await client.post(
        "/api/v1/notes/images",
        headers=ann.headers,
        files={"file": ("tent.png", buffer.getvalue(), "image/png")},
    )
    assert uploaded.status_code == 201, uploaded.text
    key = uploaded.json()["key"]
    note = await publish(client, ann, photos=[key], photo_alts=["帐篷"], audience="me")
    assert note.status_code == 201, note.text
    assert note.json()["photos"][0]["key"] == key

    text = await client.post(
        "/api/v1/notes/images",
        headers={**ann.headers, **ZH},
        files={"file": ("notes.txt", b"not a photo", "image/png")},
    )
    assert text.status_code == 415, text.text
    assert text.json()["error"]["code"] == "NOT_AN_IMAGE"
    assert text.json()["error"]["message"] != "The file is not a JPEG, PNG, WebP or GIF image."
    signed_out = await client.post(
        "/api/v1/notes/images", files={"file": ("tent.png", buffer.getvalue(), "image/png")}
    )
    assert signed_out.status_code == 401
