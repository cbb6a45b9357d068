"""A person takes their data with them (issue 23): one export a day, built in the background,
holding what they wrote and not what others wrote, downloadable only by them until it expires."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
from PIL import Image

from tests.e2e.commerce.kit import settle
from tests.e2e.loop.loopkit import (
    befriend,
    delivered_order,
    review,
    share_card,
    shop_and_group,
    upload_photo,
)
from tests.factories import Person, join_open_group, people, say
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 60, 60)).save(out, format="JPEG", quality=80)
    return out.getvalue()


async def ask(client: httpx.AsyncClient, who: Person) -> httpx.Response:
    return await client.post("/api/v1/me/exports", headers=who.headers)


async def built_archive(
    client: httpx.AsyncClient, container: Container, who: Person
) -> tuple[dict[str, object], zipfile.ZipFile]:
    asked = await ask(client, who)
    assert asked.status_code == 202, asked.text
    await settle(container)
    status = await client.get(f"/api/v1/me/exports/{asked.json()['id']}", headers=who.headers)
    assert status.json()["status"] == "ready", status.text
    download = await client.get(status.json()["download"], headers=who.headers)
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "application/zip"
    return status.json(), zipfile.ZipFile(io.BytesIO(download.content))


async def test_the_export_holds_what_i_wrote_my_friends_and_my_photos_not_others_words(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    avatar = await client.put(
        "/api/v1/me/avatar", headers=mei.headers, files={"file": ("me.jpg", jpeg(), "image/jpeg")}
    )
    assert avatar.status_code == 200, avatar.text
    await befriend(client, mei, ben)
    chat = await join_open_group(client, mei, ben)
    assert (await say(client, mei, chat, "米粉收到啦 <b>mei's own words</b>")).status_code == 201
    assert (await say(client, ben, chat, "ben's private words")).status_code == 201

    _, archive = await built_archive(client, container, mei)
    names = set(archive.namelist())
    assert {"README.txt", "index.html", "profile.json", "messages.json", "friends.json"} <= names
    profile = json.loads(archive.read("profile.json"))
    assert [row["username"] for row in profile["users"]] == ["mei"]
    assert "password_hash" not in profile["users"][0]
    messages = json.loads(archive.read("messages.json"))["messages"]
    assert [m["text"] for m in messages] == ["米粉收到啦 <b>mei's own words</b>"]
    friends = json.loads(archive.read("friends.json"))
    assert len(friends["friendships"]) == 1
    avatar_key = profile["users"][0]["avatar_key"]
    assert avatar_key and f"photos/{avatar_key}" in names
    assert archive.read(f"photos/{avatar_key}") == await container.media.get(avatar_key)
    page = archive.read("index.html").decode()
    assert "mei&#x27;s own words" in page and "&lt;b&gt;" in page  # escaped, readable offline
    assert "ben's private words" not in page
    assert not any(b"ben's private words" in archive.read(name) for name in names)


async def test_the_export_holds_what_i_said_each_of_my_photos_shows(
    client: httpx.AsyncClient, container: Container
) -> None:
    front, mei, ben, chat = await shop_and_group(client, container)
    card_photo = await upload_photo(client, mei, chat)
    card = await share_card(
        client, mei, chat, front.product["id"], photos=[card_photo], photo_alts=["米粉 in a bowl"]
    )
    assert card.status_code == 201, card.text
    bens = (await share_card(client, ben, chat, front.product["id"])).json()
    order = await delivered_order(
        client, container, mei, front.owner, front.sku_id, bens["share_id"]
    )
    review_photo = await upload_photo(client, mei, chat, colour=(20, 20, 160))
    reviewed = await review(
        client, mei, order["id"], 5, photos=[review_photo], photo_alts=["the box, opened"]
    )
    assert reviewed.status_code == 201, reviewed.text

    _, archive = await built_archive(client, container, mei)
    (my_card,) = json.loads(archive.read("cards.json"))["product_cards"]
    assert (my_card["photos"], my_card["photo_alts"]) == ([card_photo], ["米粉 in a bowl"])
    (my_review,) = json.loads(archive.read("reviews.json"))["reviews"]
    assert (my_review["photos"], my_review["photo_alts"]) == ([review_photo], ["the box, opened"])
    posted = [m["payload"] for m in json.loads(archive.read("messages.json"))["messages"]]
    assert [p["photo_alts"] for p in posted if p.get("photos")] == [
        ["米粉 in a bowl"],
        ["the box, opened"],
    ]
    assert {f"photos/{card_photo}", f"photos/{review_photo}"} <= set(archive.namelist())


async def test_one_export_a_day_and_only_its_owner_may_read_it(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    mei, ben = await people(client, "mei", "ben")
    first = await ask(client, mei)
    again = await ask(client, mei)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    export_id = first.json()["id"]
    await settle(container)

    for path in (f"/api/v1/me/exports/{export_id}", f"/api/v1/me/exports/{export_id}/download"):
        theirs = await client.get(path, headers=ben.headers)
        assert theirs.status_code == 404, theirs.text
        assert theirs.json()["error"]["code"] == "EXPORT_NOT_FOUND"
        assert (await client.get(path)).status_code == 401

    clock.advance(days=8)
    expired = await client.get(f"/api/v1/me/exports/{export_id}/download", headers=mei.headers)
    assert expired.status_code == 410, expired.text
    assert "expired" in expired.json()["error"]["message"]
    assert (await ask(client, mei)).status_code == 202  # a new day, a new export


async def test_a_download_before_the_archive_is_built_says_so(
    client: httpx.AsyncClient, container: Container
) -> None:
    (mei,) = await people(client, "mei")
    await container.stop_workers()  # nothing builds it yet
    asked = await ask(client, mei)
    early = await client.get(
        f"/api/v1/me/exports/{asked.json()['id']}/download", headers=mei.headers
    )
    assert early.status_code == 409, early.text
    assert early.json()["error"]["code"] == "EXPORT_NOT_READY"
    assert asked.json()["download"] is None


async def test_bad_export_ids_get_a_clear_error(client: httpx.AsyncClient) -> None:
    (mei,) = await people(client, "mei")
    for bad in ("0", "-1", "abc", str(2**63)):
        response = await client.get(f"/api/v1/me/exports/{bad}", headers=mei.headers)
        assert response.status_code in (400, 404, 422), response.text
        assert response.json()["error"]["message"]
