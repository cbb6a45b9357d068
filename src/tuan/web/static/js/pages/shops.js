// My shops, and opening one.
import { t } from "../boot.js";
import { api } from "../api.js";
import { formError, h, showStatus } from "../dom.js";

const status = document.getElementById("shops-status");

async function load() {
  try {
    const shops = await api("GET", "/me/shops");
    document.getElementById("shops").replaceChildren(...shops.map((shop) => h("li", {},
      h("a", { href: `/shops/${shop.id}/manage` }, shop.name), " ",
      h("span", { class: "pill" }, shop.currency))));
    showStatus(status, shops.length ? "ready" : "empty", t("js.no_shops"));
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

document.getElementById("open-shop-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  try {
    const shop = await api("POST", "/shops", {
      name: form.elements.name.value,
      description: form.elements.description.value,
      currency: form.elements.currency.value,
      commission_rate_bp: Math.round(Number(form.elements.commission.value || 0) * 100),
    });
    location.assign(`/shops/${shop.id}/manage`);
  } catch (error) {
    formError(form, error.message);
  }
});

await load();
