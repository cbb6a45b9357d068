"""Forwarding a note into a chat as a card (issue 16): a share into that chat whose parent is the
note's share, a card that shows the note only to the members its audience includes, and a
tombstone once the note is deleted.

Amy writes a note for her friends; Fay, her friend, forwards it into a group she shares with
Sam, a stranger to Amy.
"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select, update

from tests.e2e.loop.loopkit import messages
from tests.e2e.notes.test_notes_api import counts, publish, refusal, world
from tests.factories import join_open_group, say
from tuan.bootstrap import Container
from tuan.core.uow import UnitOfWork
from tuan.notes.models import Note, NoteForward, NoteStats


async def forward(
    client: httpx.AsyncClient, headers: dict[str, str], note_id: int, conversation_id: int
) -> httpx.Response:
    return await client.post(
        f"/api/v1/notes/{note_id}/forwards",
        headers=headers,
        json={"conversation_id": conversation_id, "text": "看看这个"},
    )


async def test_a_forwarded_note_is_a_card_each_member_sees_as_its_audience_allows(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    group = await join_open_group(client, w.fay, w.sam)
    note = (
        await publish(client, w.amy, title="只给朋友的坚果笔记", product_ids=[w.nuts, w.tea["id"]])
    ).json()
    assert note["audience"] == "friends"

    forwarded = await forward(client, w.fay.headers, note["id"], group)
    assert forwarded.status_code == 201, forwarded.text
    done = forwarded.json()
    assert done["conversation_id"] == group and done["share_id"] is not None

    # The chat holds only ids: nothing of the note travels in the message itself.
    (card,) = [m for m in await messages(client, w.sam, group) if m["kind"] == "note_card"]
    assert card["payload"] == {"note_id": note["id"], "forward_id": done["forward_id"]}
    assert (card["sender_id"], card["text"], card["seq"]) == (
        w.fay.id,
        "看看这个",
        done["message_seq"],
    )

    # Fay sees the note and her share to buy through; Sam, "a note you cannot see".
    fays = await client.get(f"/api/v1/note-cards/{done['forward_id']}", headers=w.fay.headers)
    assert fays.status_code == 200, fays.text
    assert fays.json()["state"] == "shown"
    assert fays.json()["note"]["title"] == "只给朋友的坚果笔记"
    assert fays.json()["share_id"] == done["share_id"]
    sams = await client.get(f"/api/v1/note-cards/{done['forward_id']}", headers=w.sam.headers)
    assert sams.status_code == 200, sams.text
    assert sams.json() == {
        "forward_id": done["forward_id"],
        "note_id": note["id"],
        "conversation_id": group,
        "forwarder_id": w.fay.id,
        "state": "unseen",
        "note": None,
        "share_id": None,
    }
    assert "坚果" not in sams.text
    assert refusal(await client.get(f"/api/v1/notes/{note['id']}", headers=w.sam.headers))[0] == 404
    # Amy is not in the chat: there is no such card for her.
    amys = await client.get(f"/api/v1/note-cards/{done['forward_id']}", headers=w.amy.headers)
    assert refusal(amys) == (404, "NOTE_CARD_NOT_FOUND", None)

    # The forward's share is Fay's, into the chat, of the first product, under Amy's share.
    share = (await client.get(f"/api/v1/shares/{done['share_id']}", headers=w.fay.headers)).json()
    assert (share["sharer_id"], share["product_id"], share["conversation_id"]) == (
        w.fay.id,
        w.nuts,
        group,
    )
    assert share["parent_share_id"] == note["products"][0]["share_id"]
    async with container.db.read_sessions() as session:
        stats = await session.get(NoteStats, note["id"])
    assert stats is not None and stats.forwards == 1

    # Amy deletes the note: the card is a tombstone for every member.
    assert (
        await client.delete(f"/api/v1/notes/{note['id']}", headers=w.amy.headers)
    ).status_code == 204
    for member in (w.fay, w.sam):
        gone = await client.get(f"/api/v1/note-cards/{done['forward_id']}", headers=member.headers)
        assert (gone.json()["state"], gone.json()["note"], gone.json()["share_id"]) == (
            "deleted",
            None,
            None,
        )


async def test_only_a_note_one_sees_goes_only_into_a_chat_one_is_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    fays_group = await join_open_group(client, w.fay, w.sam)
    amys_group = await join_open_group(client, w.amy)
    friends_only = (await publish(client, w.amy, product_ids=[w.nuts])).json()
    words_only = (await publish(client, w.amy, title="没有商品", audience="everyone")).json()
    before = (await counts(container), await _forwards(container))

    not_seen = await forward(client, w.sam.headers, friends_only["id"], fays_group)
    assert refusal(not_seen) == (404, "NOTE_NOT_FOUND", None)
    not_in = await forward(client, w.fay.headers, friends_only["id"], amys_group)
    assert refusal(not_in) == (404, "CONVERSATION_NOT_FOUND", "conversation_id")
    nowhere = await forward(client, w.fay.headers, 2**40, fays_group)
    assert refusal(nowhere) == (404, "NOTE_NOT_FOUND", None)
    signed_out = await forward(client, {}, words_only["id"], fays_group)
    assert signed_out.status_code == 401
    forged = await say(
        client, w.sam, fays_group, "", kind="note_card", payload={"note_id": friends_only["id"]}
    )
    assert forged.status_code == 422  # only the server writes a note card
    assert (await counts(container), await _forwards(container)) == before

    # A note an operator hid: its author still sees it, but it goes into no chat.
    hidden = (await publish(client, w.amy, title="被隐藏", audience="everyone")).json()
    await container.run(_hide, note_id=hidden["id"])
    assert (
        await client.get(f"/api/v1/notes/{hidden['id']}", headers=w.amy.headers)
    ).status_code == 200
    refused = await forward(client, w.amy.headers, hidden["id"], amys_group)
    assert refusal(refused) == (409, "NOTE_HIDDEN", None)
    assert await _forwards(container) == before[1]

    # A note to everyone, linking nothing: anyone who sees it may forward it; no share is made.
    plain = await forward(client, w.sam.headers, words_only["id"], fays_group)
    assert plain.status_code == 201, plain.text
    assert plain.json()["share_id"] is None
    assert await counts(container) == (before[0][0] + 1, before[0][1])  # the hidden note


async def _forwards(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NoteForward)) or 0)


async def _hide(uow: UnitOfWork, *, note_id: int) -> None:
    """What an operator's hiding leaves (the moderation step is another slice's)."""
    await uow.session.execute(
        update(Note).where(Note.id == note_id).values(status="hidden", hidden_reason="广告")
    )


async def test_a_forward_into_a_group_is_a_product_share_under_the_groups_norms(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    group = await join_open_group(client, w.fay, w.sam)
    capped = await client.patch(
        f"/api/v1/groups/{group}/norms", headers=w.fay.headers, json={"promotion_cap": 1}
    )
    assert capped.status_code == 200, capped.text
    nuts = (await publish(client, w.amy, product_ids=[w.nuts], audience="everyone")).json()
    words = (await publish(client, w.amy, title="只是说说", audience="everyone")).json()

    assert (await forward(client, w.sam.headers, nuts["id"], group)).status_code == 201
    before = await _forwards(container)
    again = await forward(client, w.sam.headers, nuts["id"], group)
    assert refusal(again)[:2] == (429, "NORM_PROMOTION_CAP")
    assert await _forwards(container) == before
    # A note that links nothing is no promotion: the cap does not apply.
    assert (await forward(client, w.sam.headers, words["id"], group)).status_code == 201
