"""Discover and expertise (ADR 0013) against the real database, both engines.

Notes are published through the API; likes, saves, comments and helpful marks are seeded as
rows through a unit of work (the APIs that write them are another slice), and kept in
note_stats with ``notes.stats.acted`` as those APIs will.

The world: Vic reads Discover; Fay is Vic's friend; Sam is a stranger to Vic; Amy and Bea
write the notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from tests.e2e.commerce.kit import buy, list_product, storefront
from tests.e2e.loop.loopkit import befriend, show
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container
from tuan.core.uow import UnitOfWork
from tuan.notes import collections, mutes
from tuan.notes.models import (
    Collection,
    CollectionNote,
    NoteComment,
    NoteHelpful,
    NoteLike,
    NoteStats,
)
from tuan.notes.stats import acted

ZH = "zh-CN"


@dataclass
class World:
    vic: Person
    fay: Person
    sam: Person
    amy: Person
    bea: Person


async def world(client: httpx.AsyncClient) -> World:
    vic, fay, sam, amy, bea = await people(client, "vic", "fay", "sam", "amy", "bea")
    await befriend(client, vic, fay)
    return World(vic, fay, sam, amy, bea)


async def publish(client: httpx.AsyncClient, who: Person, title: str, **body: Any) -> int:
    body.setdefault("audience", "everyone")
    response = await client.post(
        "/api/v1/notes", headers=who.headers, json={"title": title, **body}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _like(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    uow.session.add(NoteLike(note_id=note_id, user_id=user_id, created_at=uow.now))
    await acted(uow, note_id, "like")


async def _save(
    uow: UnitOfWork, *, note_id: int, user_id: int, public: bool, name: str = ""
) -> None:
    name = name or ("公开" if public else "私藏")
    collection = await uow.session.scalar(
        select(Collection).where(Collection.owner_id == user_id, Collection.name == name)
    )
    if collection is None:
        collection = Collection(owner_id=user_id, name=name, public=public, created_at=uow.now)
        uow.session.add(collection)
        await uow.session.flush()
    # As notes.collections counts it: once a person, creditable to anyone if public.
    before = await _saves_of(uow, note_id, user_id)
    uow.session.add(
        CollectionNote(collection_id=collection.id, note_id=note_id, created_at=uow.now)
    )
    if not before:
        await acted(uow, note_id, "save", open=public)


async def _saves_of(uow: UnitOfWork, note_id: int, user_id: int) -> int:
    found = await uow.session.scalars(
        select(CollectionNote.note_id)
        .join(Collection, Collection.id == CollectionNote.collection_id)
        .where(Collection.owner_id == user_id, CollectionNote.note_id == note_id)
    )
    return len(list(found))


async def _comment(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    uow.session.add(
        NoteComment(note_id=note_id, author_id=user_id, text="好用吗？", created_at=uow.now)
    )
    await acted(uow, note_id, "comment")


async def _helpful(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    uow.session.add(NoteHelpful(note_id=note_id, user_id=user_id, created_at=uow.now))
    await acted(uow, note_id, "helpful")


async def discover(
    client: httpx.AsyncClient, who: Person | None, lang: str = "en"
) -> list[dict[str, Any]]:
    headers = who.headers if who is not None else {}
    response = await client.get(f"/api/v1/notes/discover?lang={lang}", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["note_id"] for item in items]


async def test_a_friends_act_lifts_a_note_over_a_strangers_and_is_named(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    by_stranger = await publish(client, w.amy, "露营灯开箱")
    by_friend = await publish(client, w.bea, "每日坚果礼盒开箱")
    await container.run(_like, note_id=by_stranger, user_id=w.sam.id)
    await container.run(_comment, note_id=by_stranger, user_id=w.sam.id)  # 5 × 0.1 = 0.5
    await container.run(_save, note_id=by_friend, user_id=w.fay.id, public=True)
    await container.run(_like, note_id=by_friend, user_id=w.fay.id)
    items = await discover(client, w.vic, ZH)
    assert ids(items)[:2] == [by_friend, by_stranger]
    friend_item, stranger_item = items[0], items[1]
    # Fay is Vic's friend: her trust weighs more than the floor; Sam's acts weigh 0.1 each.
    assert friend_item["score"] > stranger_item["score"] == 0.5
    assert friend_item["explanation"] == "fay 收藏了"
    assert stranger_item["explanation"] == ""  # a stranger is never named


async def test_a_save_into_a_private_collection_is_neither_named_nor_scored(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    note = await publish(client, w.amy, "保温杯")
    other = await publish(client, w.bea, "雨伞")
    await container.run(_save, note_id=note, user_id=w.fay.id, public=False)
    await container.run(_like, note_id=other, user_id=w.sam.id)
    items = {item["note_id"]: item for item in await discover(client, w.vic)}
    # The private save is in the note's total (its heat brings it in) but not in Vic's view.
    assert items[note]["score"] == 0 and items[note]["reasons"] == []
    assert items[other]["score"] == 0.1


async def test_discover_offers_only_notes_the_viewer_may_see_and_not_their_own(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    await befriend(client, w.amy, w.fay)
    to_friends = await publish(client, w.amy, "只给朋友", audience="friends")
    to_me = await publish(client, w.amy, "自己看", audience="me")
    vics_own = await publish(client, w.vic, "我的笔记")
    for note in (to_friends, to_me, vics_own):
        await container.run(_comment, note_id=note, user_id=w.fay.id)
    assert not {to_friends, to_me, vics_own} & set(ids(await discover(client, w.vic)))
    assert to_friends in ids(await discover(client, w.fay))
    assert to_me not in ids(await discover(client, w.fay))
    # Signed out: notes to everyone only, by heat.
    assert ids(await discover(client, None)) == [vics_own]


async def test_signed_out_discover_ranks_notes_to_everyone_by_heat(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    cold = await publish(client, w.amy, "冷门")
    hot = await publish(client, w.bea, "热门")
    await container.run(_like, note_id=cold, user_id=w.sam.id)
    await container.run(_comment, note_id=hot, user_id=w.sam.id)
    items = await discover(client, None)
    assert ids(items) == [hot, cold] and [i["score"] for i in items] == [4.0, 1.0]


async def test_a_new_note_takes_the_fourth_place_and_counts_its_impressions(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    likers = await people(client, "liker1", "liker2", "liker3", "liker4", "liker5")
    engaged = [await publish(client, w.amy if i % 2 else w.bea, f"笔记 {i}") for i in range(5)]
    for i, note in enumerate(engaged):
        for liker in likers[: 5 - i]:
            await container.run(_like, note_id=note, user_id=liker.id)
    newcomer = await publish(client, w.sam, "第一篇笔记")
    items = await discover(client, w.vic, ZH)
    assert ids(items)[3] == newcomer and items[3]["first_audience"]
    assert items[3]["explanation"] == "新笔记：你是最早看到的人之一"
    # Each note shown was counted once; after 50 views the newcomer is on its own.
    async with container.db.read_sessions() as session:
        seen = dict((await session.execute(select(NoteStats.note_id, NoteStats.impressions))).all())
    assert seen[newcomer] == 1 and all(seen[n] == 1 for n in engaged)

    async def many_views(uow: UnitOfWork) -> None:
        stats = await uow.session.get(NoteStats, newcomer)
        assert stats is not None
        stats.impressions = 50

    await container.run(many_views)
    items = await discover(client, w.vic)
    # Its heat (0) still makes it a candidate, now ranked by its score (0) with no place kept;
    # Bea's third note waits behind the top all the same (at most 2 per author in the top 10).
    assert ids(items) == [*engaged[:4], newcomer, engaged[4]]
    assert not any(item["first_audience"] for item in items)


async def test_a_group_purchase_is_explained_only_if_the_buyer_shows_purchases(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    front = await storefront(client, container)
    group = await join_open_group(client, w.vic, w.sam, name="Class 5")
    note = await publish(client, w.amy, "坚果测评", product_ids=[front.product["id"]])
    await container.run(_like, note_id=note, user_id=w.bea.id)
    await buy(client, w.sam, front.sku_id)
    (item,) = await discover(client, w.vic, ZH)
    assert item["reasons"] == []  # Sam's purchases are private by default
    await show(client, w.sam, "purchases", "groups", (group,))
    (item,) = await discover(client, w.vic, ZH)
    assert item["explanation"] == "Class 5 群里有人买了"
    (item,) = await discover(client, w.vic)
    assert item["explanation"] == "Someone in Class 5 bought this"


async def test_expertise_is_shown_in_words_over_the_threshold(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    front = await storefront(client, container, stock=50)
    toys = await list_product(
        client,
        front.owner,
        front.shop["id"],
        name="积木 blocks",
        category="children",
        skus=[{"label": "盒", "price": 5900, "stock": 50}],
    )
    sku = int(toys["skus"][0]["id"])
    note = await publish(client, w.amy, "积木好玩", product_ids=[toys["id"]])
    for _ in range(4):
        await buy(client, w.amy, sku)  # 4 verified purchases: 8
    url = f"/api/v1/people/{w.amy.id}/expertise?lang=zh-CN"
    assert (await client.get(url, headers=w.vic.headers)).json()["categories"] == []
    await container.run(_save, note_id=note, user_id=w.fay.id, public=False)
    await container.run(_helpful, note_id=note, user_id=w.sam.id)
    await show(client, w.amy, "purchases", "friends")
    await befriend(client, w.amy, w.vic)
    # 8 + 0.1·1 (Fay saved) + 0.1·2 (Sam: helpful) = 8.3: still under 10 with unknown trust.
    assert (await client.get(url, headers=w.vic.headers)).json()["categories"] == []
    await buy(client, w.amy, sku)  # 10 + 0.3
    (found,) = (await client.get(url, headers=w.vic.headers)).json()["categories"]
    assert found["category"] == "children" and found["score"] == 10.3
    assert found["words"] == "懂母婴童装：5 次真实购买，1 人收藏过TA的笔记，1 人觉得TA的笔记有帮助"
    # Bea may not see Amy's purchases: they count nowhere in her view.
    bea_view = await client.get(url, headers=w.bea.headers)
    assert bea_view.json()["categories"] == []
    missing = await client.get("/api/v1/people/999999/expertise", headers=w.vic.headers)
    assert missing.status_code == 404


async def test_signed_out_discover_is_empty_on_an_empty_database(
    client: httpx.AsyncClient,
) -> None:
    assert await discover(client, None) == []
    assert (await client.get("/api/v1/notes/discover?limit=0")).status_code == 422


async def test_acts_of_people_blocked_count_for_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    note = await publish(client, w.amy, "防晒霜")
    await container.run(_comment, note_id=note, user_id=w.sam.id)  # a stranger: 4 × 0.1
    await container.run(_save, note_id=note, user_id=w.fay.id, public=True)  # a friend
    (item,) = await discover(client, w.vic)
    assert item["score"] > 0.4 and item["explanation"] == "fay saved this"
    for blocked in (w.sam, w.fay):
        done = await client.put(f"/api/v1/blocks/{blocked.id}", headers=w.vic.headers)
        assert done.status_code == 204, done.text
    (item,) = await discover(client, w.vic)
    assert item["score"] == 0 and item["reasons"] == []


async def test_a_note_saved_into_two_public_collections_counts_as_one_save(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    note = await publish(client, w.amy, "收纳盒")
    for name in ("厨房", "书房"):
        await container.run(_save, note_id=note, user_id=w.sam.id, public=True, name=name)
    (item,) = await discover(client, w.vic)
    assert item["score"] == 0.1  # one save by a stranger, not two


async def test_discover_leaves_out_the_people_and_words_the_reader_muted(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    by_amy = await publish(client, w.amy, "露营装备")
    nuts = await publish(client, w.bea, "每日坚果礼盒开箱")
    kept = await publish(client, w.bea, "保温杯")
    for note in (by_amy, nuts, kept):
        await container.run(_like, note_id=note, user_id=w.sam.id)
    await container.run(mutes.mute_person, user_id=w.vic.id, muted_id=w.amy.id)
    await container.run(mutes.mute_word, user_id=w.vic.id, keyword="坚果")
    assert ids(await discover(client, w.vic)) == [kept]
    assert set(ids(await discover(client, w.fay))) == {by_amy, nuts, kept}


async def test_a_strangers_private_save_moves_nothing_and_a_public_one_does(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client)
    older = await publish(client, w.amy, "收纳盒")
    newer = await publish(client, w.bea, "雨伞")
    for note in (older, newer):
        await container.run(_like, note_id=note, user_id=w.sam.id)

    def scores(items: list[dict[str, Any]]) -> list[tuple[int, float]]:
        return [(item["note_id"], item["score"]) for item in items]

    before = scores(await discover(client, w.vic))
    assert before == [(newer, 0.1), (older, 0.1)]  # a tie goes to the newer note
    box = await container.run(collections.create_collection, owner_id=w.sam.id, name="私藏")
    await container.run(collections.save_note, collection_id=box, note_id=older, user_id=w.sam.id)
    assert scores(await discover(client, w.vic)) == before
    # The collection made public: Sam's save is anyone's to count, at the floor.
    await container.run(
        collections.change_collection, collection_id=box, owner_id=w.sam.id, public=True
    )
    assert scores(await discover(client, w.vic)) == [(older, 0.2), (newer, 0.1)]
    await container.run(
        collections.change_collection, collection_id=box, owner_id=w.sam.id, public=False
    )
    assert scores(await discover(client, w.vic)) == before
    # Saved privately before, then into a public collection: counted once, from now.
    shown = await container.run(
        collections.create_collection, owner_id=w.sam.id, name="公开", public=True
    )
    await container.run(collections.save_note, collection_id=shown, note_id=older, user_id=w.sam.id)
    assert scores(await discover(client, w.vic)) == [(older, 0.2), (newer, 0.1)]
