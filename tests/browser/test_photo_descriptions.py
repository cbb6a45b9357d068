"""A review's author says what each photo shows, and readers' screen readers hear it (issue 24):
one labelled field per chosen photo on the order page; in the chat and on the product page each
photo's <img> carries the author's description, or is called a photo where they wrote none."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site, photo
from tests.browser.test_languages import inaccessible
from tests.e2e.commerce.kit import storefront
from tests.e2e.loop.loopkit import delivered_order, share_card, show
from tests.factories import join_open_group

TEA = "茶叶乌黑，卷得很紧 dark, tightly rolled leaves"


async def test_an_authors_photo_description_is_the_alt_text_readers_get(site: Site) -> None:
    store = await storefront(site.client, site.container, price=5900)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="同事群")
    shared = await share_card(site.client, mei, cid, store.product["id"])
    assert shared.status_code == 201, shared.text
    order = await delivered_order(
        site.client, site.container, ben, store.owner, store.sku_id, shared.json()["share_id"]
    )
    await show(site.client, ben, "ratings", "shared_groups")

    page = await site.page(ben, f"/orders/{order['id']}", viewport=MOBILE)
    review = page.locator("#review-section")
    await expect(review.get_by_label("描述这张照片", exact=False)).to_have_count(0)
    await review.get_by_label("照片（最多 9 张）").set_input_files(
        [
            {"name": "leaves.jpg", "mimeType": "image/jpeg", "buffer": photo(800, 600)},
            {"name": "box.jpg", "mimeType": "image/jpeg", "buffer": photo(640, 480)},
        ]
    )
    fields = review.get_by_label("描述这张照片（供使用读屏软件的人了解）", exact=False)
    await expect(fields).to_have_count(2)
    await expect(review.get_by_label("第 1 张：leaves.jpg", exact=False)).to_have_attribute(
        "maxlength", "300"
    )
    await review.get_by_label("第 1 张：leaves.jpg", exact=False).fill(f"  {TEA} ")
    await site.shoot(page, "review-photo-descriptions")
    assert await inaccessible(page) == []
    await review.get_by_role("button", name="发布评价").click()
    await expect(page.locator("#review-done")).to_contain_text("评价已发布")

    # A reader in English: in the chat, then on the product page.
    mei_page = await site.page(mei, f"/chats/{cid}", locale="en-US")
    photos = mei_page.locator(".message.kind-review_card .card-photos img")
    await expect(photos).to_have_count(2)
    await expect(photos.nth(0)).to_have_attribute("alt", TEA)
    await expect(photos.nth(1)).to_have_attribute("alt", "[Photo]")
    await mei_page.goto(f"/products/{store.product['id']}")
    photos = mei_page.locator("#reviews .review .card-photos img")
    await expect(photos).to_have_count(2)
    await expect(photos.nth(0)).to_have_attribute("alt", TEA)
    await expect(photos.nth(1)).to_have_attribute("alt", "[Photo]")
    assert await inaccessible(mei_page) == []
