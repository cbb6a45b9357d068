// An order: what was bought, paying it in the sandbox, the team it belongs to, and what the
// buyer or the shop can do next. While something is still moving (a payment, a team filling)
// the page keeps itself current.
import { formatMoney, formatTime, t } from "../boot.js";
import { api } from "../api.js";
import { countdown, formError, h, showStatus, timeElement } from "../dom.js";

const orderId = Number(document.getElementById("order").dataset.orderId);
const status = document.getElementById("order-status");
const payForm = document.getElementById("pay-form");
const REFRESH_MS = 3000;
let order = null;
let stopPayClock = () => {};

function money(amount) {
  return formatMoney(amount, order.currency);
}

function commissionText(commission) {
  if (commission.note !== "shared") return "";
  return t("js.commission_disclosed", {
    name: commission.sharer_display_name ?? "",
    rate: (commission.rate_bp / 100).toFixed(commission.rate_bp % 100 ? 2 : 0),
    amount: money(commission.amount),
  });
}

function actionButton(label, path, body, style = "") {
  return h("button", {
    type: "button", class: style,
    onclick: async () => {
      const error = document.getElementById("action-error");
      error.hidden = true;
      try {
        order = await api("POST", `/orders/${orderId}/${path}`, body);
        render();
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
      }
    },
  }, label);
}

function actions() {
  const buyer = order.role === "buyer";
  const list = [];
  if (buyer && order.status === "pending") list.push(actionButton(t("js.cancel_order"), "cancel", undefined, "danger"));
  if (buyer && order.status === "shipped") list.push(actionButton(t("js.received"), "deliver"));
  if (buyer && order.status === "delivered") list.push(actionButton(t("js.complete"), "complete"));
  if (!buyer && order.status === "paid") list.push(actionButton(t("js.ship"), "ship", {}));
  if (!buyer && ["paid", "shipped", "delivered"].includes(order.status)) list.push(actionButton(t("js.refund"), "refunds", {}, "danger"));
  return list;
}

function render() {
  document.getElementById("order-state").textContent = t(`js.status_${order.status}`);
  document.getElementById("order-shop").textContent = order.shop_name;
  document.getElementById("order-lines").replaceChildren(...order.lines.map((line) => h("tr", {},
    h("td", {}, h("a", { href: `/products/${line.product_id}` }, line.product_name), ` · ${line.sku_label}`),
    h("td", {}, String(line.quantity)),
    h("td", {}, money(line.line_total)))));
  document.getElementById("order-total").textContent = money(order.total);
  document.getElementById("order-savings").textContent = order.savings > 0 ? t("js.you_save", { amount: money(order.savings) }) : "";
  document.getElementById("order-commission").textContent = commissionText(order.commission);

  const team = order.team;
  document.getElementById("order-team").hidden = !team;
  if (team) {
    const progress = document.getElementById("order-team-progress");
    progress.max = team.size;
    progress.value = team.paid_count;
    document.getElementById("order-team-text").textContent = [
      t("js.team_progress", { paid: team.paid_count, size: team.size }),
      t(`js.team_status_${team.status}`),
      team.deadline_at && team.status === "open" ? t("js.team_deadline", { when: formatTime(team.deadline_at) }) : "",
    ].filter(Boolean).join(" · ");
  }

  const paying = order.role === "buyer" && order.status === "pending";
  document.getElementById("pay-section").hidden = !paying;
  stopPayClock();
  if (paying && order.seconds_to_pay !== null) {
    stopPayClock = countdown(document.getElementById("pay-countdown"), order.seconds_to_pay, load);
  }
  document.getElementById("order-actions").replaceChildren(...actions());
  document.getElementById("order-history").replaceChildren(...order.history.map((step) => h("li", {},
    t(`js.status_${step.to_status}`), " · ", timeElement(step.at, formatTime(step.at)))));
}

async function load() {
  try {
    order = await api("GET", `/orders/${orderId}`);
    render();
    document.getElementById("order-body").hidden = false;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

payForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(payForm, null);
  const button = payForm.querySelector("button");
  button.disabled = true;
  try {
    const result = await api("POST", `/orders/${orderId}/payments`, { method: "sandbox", sandbox_outcome: payForm.elements.outcome.value });
    order = result.order;
    render();
    if (result.status === "failed") formError(payForm, t("js.payment_failed"));
  } catch (error) {
    formError(payForm, error.message);
  } finally {
    button.disabled = false;
  }
});

await load();
setInterval(() => {
  const moving = order && (order.status === "pending" || (order.team && ["forming", "open"].includes(order.team.status)));
  if (moving && document.visibilityState === "visible") load();
}, REFRESH_MS);
