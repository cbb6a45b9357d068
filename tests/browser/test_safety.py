"""What people type is shown as text and runs nothing: names, messages, group and product names,
in pages the server renders and in pages the JavaScript builds. The Content-Security-Policy is a
second wall: even markup that got in could not run inline script."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import Site
from tests.e2e.commerce.kit import storefront
from tests.factories import join_open_group, make_group, say

NAME = '<img src=x onerror="window.pwned=1">'
MESSAGE = "<script>window.pwned=2</script><img src=x onerror=window.pwned=3> 你好"
PRODUCT = "<img src=x onerror=window.pwned=4>坚果"
GROUP = "<svg onload=window.pwned=5>群"


async def assert_nothing_ran(page: Page) -> None:
    assert await page.evaluate("window.pwned") is None
    assert await page.locator("img[src='x'], svg, script:not([src]):not([type])").count() == 0


async def test_markup_in_messages_names_and_products_shows_as_text(site: Site) -> None:
    dialogs: list[str] = []
    mallory = await site.person("mallory", NAME)
    mei = await site.person("mei", "林美")
    group_id = await join_open_group(site.client, mei, mallory, name=GROUP)
    store = await storefront(site.client, site.container)
    product = (
        await site.client.patch(
            f"/api/v1/products/{store.product['id']}",
            headers=store.owner.headers,
            json={"name": PRODUCT, "description": MESSAGE},
        )
    ).json()
    await say(site.client, mallory, group_id, MESSAGE, mentions=[mei.id])
    await say(site.client, mallory, group_id, f"{site.url}/products/{product['id']}")
    await say(site.client, mallory, group_id, '/products/1"><img src=x onerror=window.pwned=6>')

    page = await site.page(mei, f"/chats/{group_id}")
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await expect(page.locator("#chat-title")).to_have_text(GROUP)
    await expect(page.locator(".message .text", has_text="你好")).to_have_text(MESSAGE)
    await expect(page.locator(".message .who").first).to_have_text(NAME)
    await expect(page.locator(".product-card .name")).to_have_text(PRODUCT)
    await expect(page.locator(".message .text").last).to_contain_text("onerror=window.pwned=6")
    await assert_nothing_ran(page)

    # live, too: a message arriving on the socket
    await say(site.client, mallory, group_id, MESSAGE + " live")
    await expect(page.locator(".message .text", has_text="live")).to_have_text(MESSAGE + " live")
    await assert_nothing_ran(page)

    for path in ("/chats", "/notifications", f"/products/{product['id']}", "/products?q=坚果"):
        await page.goto(path)
        await page.wait_for_load_state("networkidle")
        await assert_nothing_ran(page)
    await expect(page.locator("#results .product-card .name")).to_have_text(PRODUCT)
    await page.goto("/notifications")
    await expect(page.locator(".notification").first).to_contain_text(NAME)
    await page.goto(f"/products/{product['id']}")
    await expect(page.locator("#product-name")).to_have_text(PRODUCT)
    await expect(page.locator("#product-description")).to_have_text(MESSAGE)
    assert dialogs == []


async def test_the_policy_refuses_inline_script_even_if_markup_got_in(site: Site) -> None:
    mei = await site.person("mei", "林美")
    await make_group(site.client, mei)
    page = await site.page(mei, "/chats")
    await expect(page.locator("#chat-list li")).to_have_count(1)
    # Simulate a bug that let markup into the page: the browser still refuses to run it.
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    await page.evaluate(
        """() => {
            const holder = document.createElement("div");
            holder.innerHTML = '<img src="/static/none.png" onerror="window.pwned=7">';
            document.body.append(holder);
            const script = document.createElement("script");
            script.textContent = "window.pwned = 8";
            document.body.append(script);
        }"""
    )
    await page.wait_for_timeout(300)
    assert await page.evaluate("window.pwned") is None
    assert any("Content Security Policy" in text for text in violations), violations
    site.problems.clear()  # the violations this test caused on purpose
