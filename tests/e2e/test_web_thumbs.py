"""Images resized on the server for the web app: ``/thumbs/<width>/<key>``."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.factories import join_open_group, people


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, format="JPEG")
    return out.getvalue()


async def test_a_stored_image_is_served_resized_and_the_copy_is_kept(
    client: httpx.AsyncClient,
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    stored = await client.post(
        f"/api/v1/conversations/{cid}/images",
        headers=mei.headers,
        files={"file": ("p.jpg", jpeg(1600, 1200), "image/jpeg")},
    )
    key = stored.json()["key"]
    for _ in range(2):  # made once, then served from storage
        small = await client.get(f"/thumbs/320/{key}")
        assert small.status_code == 200 and small.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(small.content)).size == (320, 240)
    small_original = await client.post(
        f"/api/v1/conversations/{cid}/images",
        headers=mei.headers,
        files={"file": ("s.jpg", jpeg(300, 200), "image/jpeg")},
    )
    copy = await client.get(f"/thumbs/640/{small_original.json()['key']}")
    assert Image.open(io.BytesIO(copy.content)).size == (300, 200)  # never blown up


async def test_unknown_sizes_and_keys_are_not_found(client: httpx.AsyncClient) -> None:
    for path in (
        "/thumbs/333/chat/" + "a" * 64 + ".jpg",
        "/thumbs/320/chat/" + "a" * 64 + ".jpg",
        "/thumbs/320/../../etc/passwd",
        "/thumbs/320/chat/" + "a" * 64 + "-160.jpg",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
