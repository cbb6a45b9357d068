// The cart, one checkout per shop (an order belongs to one shop). Prices, subtotals and totals
// come from the server; the page only shows them.
import { formatMoney, t } from "../boot.js";
import { api, onceKey } from "../api.js";
import { h, showStatus, typedQuantity } from "../dom.js";

const holder = document.getElementById("cart");
const status = document.getElementById("cart-status");
const checkoutKeys = new Map(); // shop id → Idempotency-Key of the checkout being attempted

function line(item) {
  const refused = h("span", { class: "error", role: "alert", hidden: true });
  const quantity = h("input", {
    type: "number", min: 1, max: 99, value: item.quantity, inputmode: "numeric",
    "aria-label": t("js.quantity_of", { name: item.product_name }),
  });
  quantity.addEventListener("change", () => change(item, quantity, refused));
  return h("li", { class: "row", dataset: { skuId: item.sku_id } },
    h("a", { href: item.share_id ? `/products/${item.product_id}?share=${item.share_id}` : `/products/${item.product_id}` },
      `${item.product_name} · ${item.sku_label}`),
    h("span", { class: "price" }, formatMoney(item.unit_price, item.currency)),
    item.available ? null : h("span", { class: "error" }, t("js.unavailable")),
    quantity,
    h("button", { type: "button", class: "secondary", onclick: () => remove(item) }, t("js.remove")),
    refused);
}

function shopBlock(shop, items) {
  const error = h("p", { class: "error", role: "alert", hidden: true });
  return h("section", { class: "card", dataset: { shopId: shop.shop_id } },
    h("ul", { class: "list" }, items.map(line)),
    h("p", {}, h("strong", {}, `${t("js.subtotal")}: ${formatMoney(shop.subtotal, shop.currency)}`)),
    h("button", { type: "button", onclick: () => checkout(shop.shop_id, shop.currency, error) }, t("js.check_out")),
    error);
}

function totals(cart) {
  if (cart.shops.length < 2) return [];
  const amounts = cart.totals.map((total) => formatMoney(total.amount, total.currency)).join(" + ");
  return [h("p", { class: "cart-total" }, h("strong", {}, `${t("js.cart_total")}: ${amounts}`))];
}

async function load() {
  try {
    const cart = await api("GET", "/cart");
    holder.replaceChildren(
      ...cart.shops.map((shop) => shopBlock(shop, cart.lines.filter((item) => item.shop_id === shop.shop_id))),
      ...totals(cart));
    showStatus(status, cart.lines.length ? "ready" : "empty", t("js.cart_empty"));
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

// Whatever was typed goes to the server, which decides: a quantity it refuses stays in the box
// with the server's reason beside it, and the cart keeps what it had.
async function change(item, input, refused) {
  refused.hidden = true;
  try {
    await api("PUT", `/cart/items/${item.sku_id}`, { quantity: typedQuantity(input), share_id: item.share_id });
  } catch (error) {
    refused.textContent = error.message;
    refused.hidden = false;
    return;
  }
  await load();
}

async function remove(item) {
  await api("DELETE", `/cart/items/${item.sku_id}`);
  await load();
}

async function checkout(shopId, currency, error) {
  error.hidden = true;
  if (!checkoutKeys.has(shopId)) checkoutKeys.set(shopId, onceKey());
  try {
    const order = await api("POST", "/orders", { shop_id: shopId, currency }, { headers: { "Idempotency-Key": checkoutKeys.get(shopId) } });
    location.assign(`/orders/${order.id}`);
  } catch (failure) {
    if (failure.status >= 400 && failure.status < 500) checkoutKeys.delete(shopId);
    error.textContent = failure.message;
    error.hidden = false;
  }
}

await load();
