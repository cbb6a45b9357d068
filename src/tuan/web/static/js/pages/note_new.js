// Writing a note: words, photos from the camera roll (each with its description), tags, products
// found in the catalogue, who may see it, an area. The server decides what a note may hold; its
// refusal is shown beside the field it names, in the reader's language.
import { formatMoney, t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus, thumb } from "../dom.js";
import { photoPicker, uploadPhotos } from "../photos.js";

const form = document.getElementById("note-form");
const photos = photoPicker(form.elements.photos, "note-photo");
const linked = new Map(); // product id → the product as the search found it
const results = document.getElementById("product-results");
const resultsStatus = document.getElementById("product-results-status");

// Where each field's refusal is said: the API names the field ("tags.2" is the third tag).
const ERROR_LINES = {
  title: "note-title-error",
  text: "note-text-error",
  photos: "note-photos-error",
  photo_alts: "note-photos-error",
  tags: "note-tags-error",
  product_ids: "note-products-error",
  audience: "note-audience-error",
  group_ids: "note-audience-error",
  collaboration_shop_id: "note-collab-error",
  area: "note-area-error",
};
// Refusals about a linked product name no field: they are said beside the products.
const PRODUCT_CODES = new Set(["PRODUCT_NOT_FOUND", "PRODUCT_ARCHIVED"]);

function clearErrors() {
  for (const line of form.querySelectorAll(".field-error, #note-form-error")) {
    line.hidden = true;
    line.textContent = "";
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
}

function showError(error, fallbackField = null) {
  const field = (error.field ?? "").split(".")[0] || (PRODUCT_CODES.has(error.code) ? "product_ids" : fallbackField);
  const line = document.getElementById(ERROR_LINES[field] ?? "note-form-error");
  line.textContent = error.message;
  line.hidden = false;
  const input = form.querySelector(`[data-field="${field}"]`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    (input.matches("input, textarea") ? input : input.querySelector("input, button"))?.focus();
  }
  if (line.id === "note-form-error") line.focus?.();
}

// Once a refused field is changed, its refusal no longer stands.
form.addEventListener("input", (event) => {
  const field = event.target.closest("[data-field]");
  if (!field?.hasAttribute("aria-invalid")) return;
  field.removeAttribute("aria-invalid");
  const line = document.getElementById(ERROR_LINES[field.dataset.field]);
  line.hidden = true;
  line.textContent = "";
});

function productRow(product, action) {
  return h("li", { class: "note-product-row", dataset: { productId: product.id } },
    product.image_url ? h("img", { src: thumb(product.image_url, 160), alt: "", width: 48, height: 48 }) : null,
    h("span", { class: "name" }, product.name),
    h("span", { class: "price" }, formatMoney(product.price_from, product.currency)),
    action);
}

function showLinked() {
  const rows = [...linked.values()].map((product) => productRow(product,
    h("button", {
      type: "button", class: "secondary", "aria-label": t("js.note_unlink_product", { name: product.name }),
      onclick: () => { linked.delete(product.id); showLinked(); },
    }, t("js.note_unlink"))));
  document.getElementById("linked-products").replaceChildren(...rows);
  showCollaborations();
}

// A paid collaboration is disclosed with the shop of a linked product (the server holds it so).
function showCollaborations() {
  const select = form.elements.collaboration;
  const chosen = select.value;
  const shops = new Map([...linked.values()].map((product) => [product.shop_id, product.name]));
  select.replaceChildren(select.options[0], ...[...shops].map(([shopId, name]) =>
    h("option", { value: shopId, selected: String(shopId) === chosen }, t("js.note_collab_with", { product: name }))));
  document.getElementById("collab-box").hidden = !shops.size;
}

async function searchProducts() {
  const q = document.getElementById("product-q").value.trim();
  if (!q) return;
  showStatus(resultsStatus, "loading", t("js.loading"));
  try {
    const found = await api("GET", `/products?limit=8&q=${encodeURIComponent(q)}`);
    results.replaceChildren(...found.map((product) => productRow(product,
      h("button", {
        type: "button", "aria-label": t("js.note_link_product", { name: product.name }),
        onclick: () => { linked.set(product.id, product); showLinked(); results.replaceChildren(); },
      }, t("js.note_link")))));
    showStatus(resultsStatus, found.length ? "ready" : "empty", t("js.nothing_found"));
  } catch (error) {
    showStatus(resultsStatus, "error", error.message, searchProducts);
  }
}

// Opened from "write a note?" after a delivery: the product bought is linked already.
async function linkGiven() {
  const given = Number(form.dataset.productId);
  if (!given) return;
  const product = await api("GET", `/products/${given}`).catch(() => null);
  if (!product) return;
  linked.set(product.id, {
    id: product.id, name: product.name, currency: product.currency, image_url: product.images[0]?.url, shop_id: product.shop.id,
    price_from: Math.min(...product.skus.map((sku) => sku.price)),
  });
  showLinked();
}

document.getElementById("product-search").addEventListener("click", searchProducts);
document.getElementById("product-q").addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    searchProducts();
  }
});

// Who a note is for starts as the author's default (friends until they choose); "groups" asks
// which of their groups. Both arrived with note settings: without them, the three audiences.
async function audiences() {
  const settings = await api("GET", "/me/note-settings").catch(() => null);
  if (!settings) return;
  const chosen = form.querySelector(`input[name=audience][value="${settings.default_audience}"]`);
  if (chosen) chosen.checked = true;
  const groups = (await api("GET", "/conversations")).filter((c) => c.kind === "group" && !c.closed);
  document.getElementById("audience-groups-row").hidden = !groups.length;
  document.getElementById("note-group-choices").replaceChildren(...groups.map((group) => h("div", { class: "row" },
    h("input", { type: "checkbox", id: `note-group-${group.id}`, name: "group", value: group.id }),
    h("label", { for: `note-group-${group.id}` }, group.title))));
  const showGroups = () => { document.getElementById("note-groups").hidden = form.elements.audience.value !== "groups"; };
  for (const radio of form.querySelectorAll("input[name=audience]")) radio.addEventListener("change", showGroups);
}

// "#露营 #camping, 坚果" → ["#露营", "#camping", "坚果"]: the server says what a tag may be.
function typedTags() {
  return form.elements.tags.value.split(/[\s,，、]+/).filter(Boolean);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const button = document.getElementById("publish-note");
  button.disabled = true;
  try {
    let keys;
    try {
      keys = await uploadPhotos(photos.chosen(), null);
    } catch (error) {
      showError(error, "photos");
      return;
    }
    const alts = photos.alts();
    const area = form.elements.area.value.trim();
    const audience = form.elements.audience.value;
    const groups = audience === "groups"
      ? { group_ids: [...form.querySelectorAll("input[name=group]:checked")].map((box) => Number(box.value)) }
      : {};
    const shopId = Number(form.elements.collaboration.value);
    const note = await api("POST", "/notes", {
      ...groups,
      ...(shopId ? { collaboration_shop_id: shopId } : {}),
      title: form.elements.title.value.trim(),
      text: form.elements.text.value.trim(),
      photos: keys,
      photo_alts: alts.some(Boolean) ? alts : [],
      tags: typedTags(),
      product_ids: [...linked.keys()],
      audience,
      area: area || null,
    });
    location.assign(`/notes/${note.id}`);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
});

await Promise.all([linkGiven(), audiences()]);
