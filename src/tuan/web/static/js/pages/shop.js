// Running a shop: its orders, its products (stock, prices, photos, deals), listing a new one.
import { formatMoney, formatTime, locale, parseMoney, t } from "../boot.js";
import { api } from "../api.js";
import { formError, h, showStatus, thumb, timeElement } from "../dom.js";

const shopId = Number(document.getElementById("shop").dataset.shopId);
let shop = null;

async function loadShop() {
  shop = await api("GET", `/shops/${shopId}`);
  document.getElementById("shop-title").textContent = shop.name;
  const form = document.getElementById("shop-form");
  form.elements.name.value = shop.name;
  form.elements.description.value = shop.description;
  form.elements.commission.value = shop.commission_rate_bp / 100;
}

async function loadOrders() {
  const status = document.getElementById("shop-orders-status");
  try {
    const orders = await api("GET", `/shops/${shopId}/orders?limit=50`);
    document.getElementById("shop-orders").replaceChildren(...orders.map((order) => h("li", {},
      h("a", { href: `/orders/${order.id}` }, t("js.order_number", { id: order.id })), " ",
      h("span", { class: "pill" }, t(`js.status_${order.status}`)), " ",
      h("span", { class: "price" }, formatMoney(order.total, order.currency)), " ",
      h("span", { class: "hint" }, timeElement(order.placed_at, formatTime(order.placed_at))))));
    showStatus(status, orders.length ? "ready" : "empty", t("js.no_orders"));
  } catch (error) {
    showStatus(status, "error", error.message, loadOrders);
  }
}

// A small inline form: one input and a button; `submit(value)` does the work.
function inlineForm(label, attributes, buttonText, submit) {
  const input = h("input", { "aria-label": label, ...attributes });
  const error = h("span", { class: "error", role: "alert", hidden: true });
  const form = h("form", { class: "row" }, input, h("button", { type: "submit", class: "secondary" }, buttonText), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await submit(input.value);
      await loadProducts();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  });
  return form;
}

function skuRow(product, sku) {
  const money = (amount) => formatMoney(amount, product.currency);
  return h("li", {},
    h("strong", {}, sku.label), ` · ${money(sku.price)} · `, t("js.in_stock", { count: sku.stock }),
    sku.team_price ? h("span", { class: "hint" }, ` · ${t("js.team_price_is", { price: money(sku.team_price) })}`) : null,
    sku.deal ? h("span", { class: "pill" }, ` ${t(`js.deal_state_${sku.deal.state}`)} ${money(sku.deal.price)}`) : null,
    inlineForm(t("js.add_stock_of", { label: sku.label }), { type: "number", min: -1000000, max: 1000000, required: true, inputmode: "numeric" },
      t("js.add_stock"), (value) => api("PATCH", `/skus/${sku.id}`, { add_stock: Number(value) })),
    inlineForm(t("js.new_price_of", { label: sku.label }), { required: true, inputmode: "decimal" }, t("js.change_price"), (value) => {
      const price = parseMoney(value, product.currency);
      if (price === null) throw new Error(t("js.bad_price"));
      return api("PATCH", `/skus/${sku.id}`, { price });
    }),
    inlineForm(t("js.deal_price_of", { label: sku.label }), { required: true, inputmode: "decimal", placeholder: t("js.deal_price") }, t("js.start_deal"), (value) => {
      const price = parseMoney(value, product.currency);
      if (price === null) throw new Error(t("js.bad_price"));
      const now = new Date();
      return api("POST", `/skus/${sku.id}/deals`, {
        price, starts_at: now.toISOString(), ends_at: new Date(now.getTime() + 24 * 3600 * 1000).toISOString(),
        stock_cap: Math.max(1, sku.stock), per_customer_limit: 5,
      });
    }));
}

function productRow(product) {
  const upload = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp,image/gif", "aria-label": t("js.add_photo_to", { name: product.name }) });
  upload.addEventListener("change", async () => {
    const form = new FormData();
    form.append("file", upload.files[0]);
    await api("POST", `/products/${product.id}/images`, undefined, { form }).catch((error) => alert(error.message));
    await loadProducts();
  });
  return h("li", { dataset: { productId: product.id } },
    h("div", { class: "row" },
      product.images[0] ? h("img", { src: thumb(product.images[0].url, 160), alt: "", width: 64 }) : null,
      h("a", { href: `/products/${product.id}` }, product.name),
      product.team_size ? h("span", { class: "pill" }, t("js.team_of", { size: product.team_size })) : null,
      h("button", {
        type: "button", class: "danger",
        onclick: async () => {
          if (!confirm(t("js.confirm_take_down", { name: product.name }))) return;
          await api("DELETE", `/products/${product.id}`);
          await loadProducts();
        },
      }, t("js.take_down"))),
    h("ul", { class: "list" }, product.skus.map((sku) => skuRow(product, sku))),
    h("label", {}, t("js.add_photo"), " ", upload));
}

async function loadProducts() {
  const status = document.getElementById("shop-products-status");
  try {
    const cards = await api("GET", `/products?shop_id=${shopId}&limit=100`);
    const products = await Promise.all(cards.map((card) => api("GET", `/products/${card.id}`)));
    document.getElementById("shop-products").replaceChildren(...products.map(productRow));
    showStatus(status, products.length ? "ready" : "empty", t("js.no_products"));
  } catch (error) {
    showStatus(status, "error", error.message, loadProducts);
  }
}

async function loadCategories() {
  const categories = await api("GET", "/categories");
  const select = document.getElementById("product-category");
  select.append(...categories.map((c) => h("option", { value: c.slug }, locale === "zh-CN" ? c.name_zh : c.name_en)));
}

document.getElementById("new-product-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  const price = parseMoney(form.elements.price.value, shop.currency);
  const teamPrice = form.elements.team_price.value ? parseMoney(form.elements.team_price.value, shop.currency) : null;
  if (price === null || (form.elements.team_price.value && teamPrice === null)) {
    formError(form, t("js.bad_price"));
    return;
  }
  const teamSize = form.elements.team_size.value ? Number(form.elements.team_size.value) : null;
  try {
    await api("POST", `/shops/${shopId}/products`, {
      name: form.elements.name.value,
      description: form.elements.description.value,
      category: form.elements.category.value || null,
      skus: [{ label: form.elements.label.value, price, stock: Number(form.elements.stock.value || 0), team_price: teamPrice }],
      team_size: teamSize,
    });
    form.reset();
    await loadProducts();
  } catch (error) {
    formError(form, error.message);
  }
});

document.getElementById("shop-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  form.querySelector(".ok").hidden = true;
  try {
    await api("PATCH", `/shops/${shopId}`, {
      name: form.elements.name.value,
      description: form.elements.description.value,
      commission_rate_bp: Math.round(Number(form.elements.commission.value || 0) * 100),
    });
    await loadShop();
    form.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(form, error.message);
  }
});

try {
  await loadShop();
  await Promise.all([loadOrders(), loadProducts(), loadCategories()]);
} catch (error) {
  showStatus(document.getElementById("shop-status"), "error", error.message);
}
