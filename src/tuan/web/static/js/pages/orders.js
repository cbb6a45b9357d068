// My orders, newest first.
import { formatMoney, formatTime, t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus, timeElement } from "../dom.js";

const list = document.getElementById("orders");
const status = document.getElementById("orders-status");

async function load() {
  try {
    const orders = await api("GET", "/orders?limit=50");
    list.replaceChildren(...orders.map((order) => h("li", {},
      h("a", { href: `/orders/${order.id}` }, t("js.order_number", { id: order.id })), " ",
      h("span", { class: "pill" }, t(`js.status_${order.status}`)), " ",
      order.kind === "team" ? h("span", { class: "pill" }, t("js.team_order")) : null, " ",
      h("span", { class: "price" }, formatMoney(order.total, order.currency)),
      h("div", { class: "hint" }, timeElement(order.placed_at, formatTime(order.placed_at)), " · ",
        t("js.item_count", { count: order.item_count })))));
    showStatus(status, orders.length ? "ready" : "empty", t("js.no_orders"));
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

await load();
