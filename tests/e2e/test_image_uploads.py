"""Uploading images: a tiny file that decodes to tens of megapixels is refused by its header,
before any pixel is decoded, wherever photos are taken; real photos, even a 48 MP phone shot,
still go through."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.e2e.commerce.kit import storefront
from tests.factories import join_open_group, people
from tuan.bootstrap import Container

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def pixel_bomb(side: int = 6300) -> bytes:
    """A palette PNG of side x side pixels, all one colour: a few KB on the wire, 40 MB or more
    once decoded (160 MB as RGBA)."""
    out = io.BytesIO()
    Image.new("P", (side, side)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 140, 60)).save(out, format="JPEG", quality=70)
    return out.getvalue()


async def test_a_small_file_with_huge_dimensions_is_refused_wherever_photos_are_taken(
    client: httpx.AsyncClient, container: Container
) -> None:
    bomb = pixel_bomb()
    assert len(bomb) < 20_000
    front = await storefront(client, container)
    mei, ben = await people(client, "mei", "ben")
    conversation_id = await join_open_group(client, mei, ben)
    uploads = [
        ("PUT", "/api/v1/me/avatar", mei.headers),
        ("POST", f"/api/v1/conversations/{conversation_id}/images", mei.headers),
        ("POST", f"/api/v1/products/{front.product['id']}/images", front.owner.headers),
        ("POST", "/api/v1/notes/images", ben.headers),
    ]
    for method, url, headers in uploads:
        refused = await client.request(
            method, url, headers=headers, files={"file": ("bomb.png", bomb, "image/png")}
        )
        assert refused.status_code == 413, (url, refused.text)
        error = refused.json()["error"]
        assert error["code"] == "IMAGE_TOO_LARGE"
        assert error["message"] == (
            "The image is 6,300 × 6,300 pixels, "
            "more than the 24,000,000 pixels Tuan takes in this format."
        )
    chinese = await client.put(
        "/api/v1/me/avatar",
        headers={**mei.headers, **ZH},
        files={"file": ("bomb.png", bomb, "image/png")},
    )
    assert chinese.json()["error"]["message"] == (
        "图片为 6,300 × 6,300 像素，超过了此格式可接受的 24,000,000 像素。"
    )
    me = await client.get("/api/v1/me", headers=mei.headers)
    assert me.json()["avatar_url"] is None
    product = await client.get(
        f"/api/v1/products/{front.product['id']}", headers=front.owner.headers
    )
    assert product.json()["images"] == []


async def test_a_48_megapixel_phone_photo_is_decoded_reduced_and_taken(
    client: httpx.AsyncClient,
) -> None:
    mei, ben = await people(client, "mei", "ben")
    conversation_id = await join_open_group(client, mei, ben)
    uploaded = await client.post(
        f"/api/v1/conversations/{conversation_id}/images",
        headers=mei.headers,
        files={"file": ("big.jpg", jpeg(8000, 6000), "image/jpeg")},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert (uploaded.json()["width"], uploaded.json()["height"]) == (2048, 1536)
    served = await client.get(uploaded.json()["url"])
    assert Image.open(io.BytesIO(served.content)).size == (2048, 1536)


async def test_an_everyday_photo_is_still_taken(client: httpx.AsyncClient) -> None:
    (mei,) = await people(client, "mei")
    out = io.BytesIO()
    Image.new("RGBA", (1290, 2796), (250, 200, 10, 255)).save(out, format="PNG")  # a screenshot
    avatar = await client.put(
        "/api/v1/me/avatar",
        headers=mei.headers,
        files={"file": ("shot.png", out.getvalue(), "image/png")},
    )
    assert avatar.status_code == 200, avatar.text
    served = await client.get(avatar.json()["avatar_url"])
    assert Image.open(io.BytesIO(served.content)).size == (236, 512)
