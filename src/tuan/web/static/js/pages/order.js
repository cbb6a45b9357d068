// An order: what was bought, paying it in the sandbox, the team it belongs to, and what the
// buyer or the shop can do next. While something is still moving (a payment, a team filling)
// the page keeps itself current.
import { formatMoney, formatTime, t } from "../boot.js";
import { api } from "../api.js";
import { countdown, formError, h, showStatus, timeElement } from "../dom.js";
import { showTeamOfOrder } from "../team_invite.js";
import { personName } from "../people.js";
import { anyOpenChat, photoPicker, uploadPhotos } from "../photos.js";

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
    name: personName(commission.sharer_id, commission.sharer_display_name ?? ""),
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

// Cancelling cannot be undone, so the button asks first, on the page (the question stays while
// the page refreshes itself, until it is answered).
let askingToCancel = false;

function cancelAction() {
  const ask = (asking) => () => {
    askingToCancel = asking;
    render();
  };
  if (!askingToCancel) {
    return h("button", { type: "button", class: "danger", onclick: ask(true) }, t("js.cancel_order"));
  }
  return h("span", { class: "row", id: "cancel-confirm" },
    h("span", {}, t("js.cancel_order_confirm")),
    actionButton(t("js.cancel_order_yes"), "cancel", undefined, "danger"),
    h("button", { type: "button", class: "secondary", onclick: ask(false) }, t("js.cancel_order_keep")));
}

// One button per action the server allows this viewer now (order.allowed_actions); paying has
// its own form. The page never decides on its own what may happen next.
const BUTTONS = {
  cancel: cancelAction,
  ship: () => actionButton(t("js.ship"), "ship", {}),
  mark_delivered: () => actionButton(order.role === "buyer" ? t("js.received") : t("js.mark_delivered"), "deliver"),
  complete: () => actionButton(t("js.complete"), "complete"),
  refund: () => actionButton(t("js.refund"), "refunds", {}, "danger"),
};

function actions() {
  return order.allowed_actions.filter((action) => action in BUTTONS).map((action) => BUTTONS[action]());
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
    if (order.role === "buyer") showTeamOfOrder(team);
  }

  const paying = order.allowed_actions.includes("pay");
  document.getElementById("pay-section").hidden = !paying;
  stopPayClock();
  if (paying && order.seconds_to_pay !== null) {
    stopPayClock = countdown(document.getElementById("pay-countdown"), order.seconds_to_pay, load);
  }
  document.getElementById("order-actions").replaceChildren(...actions());
  renderSocial();
  document.getElementById("order-history").replaceChildren(...order.history.map((step) => h("li", {},
    step.step === step.to_status ? t(`js.status_${step.to_status}`) : t(`js.history_${step.step}`),
    " · ", timeElement(step.at, formatTime(step.at)))));
}

// --- telling the group and reviewing: the buyer's own acts, after paying and after delivery ---
// What the buyer may do is the server's answer (my-reports), read again when the order moves.

const boughtForm = document.getElementById("bought-form");
const reviewForm = document.getElementById("review-form");
let mine = null; // what the buyer already said about this order, and what they may do next
let mineForStatus = null;

function renderSocial() {
  if (order.role !== "buyer") return;
  if (mineForStatus !== order.status) {
    mineForStatus = order.status;
    loadMyReports();
  }
  if (!mine) return;
  const allowed = mine.allowed_actions;
  const told = mine.bought_it_conversation_id !== null;
  document.getElementById("tell-group").hidden = !(told || allowed.includes("report_bought"));
  boughtForm.hidden = !allowed.includes("report_bought");
  const reviewing = allowed.includes("review");
  document.getElementById("review-section").hidden = !(reviewing || mine.reviews.length);
  reviewForm.hidden = !reviewing;
  reviewForm.elements.post_to_chat.closest(".row").hidden = !allowed.includes("review_in_chat");
  // Only the items not reviewed yet can be chosen.
  const names = new Map(order.lines.map((line) => [line.product_id, line.product_name]));
  const select = document.getElementById("review-product");
  select.replaceChildren(...mine.products_to_review.map((id) => h("option", { value: id }, names.get(id) ?? "")));
  select.hidden = mine.products_to_review.length < 2;
  document.getElementById("review-product-label").hidden = select.hidden;
}

async function loadMyReports() {
  const found = await api("GET", `/orders/${orderId}/my-reports`).catch(() => null);
  if (!found) return;
  mine = found;
  if (mine.bought_it_conversation_id) {
    const done = document.getElementById("bought-done");
    done.replaceChildren(t("js.told_group"), " ", ...postedIn(mine.bought_it_conversation_id, mine.bought_it?.conversation_title));
    if (mine.bought_it) done.append(" ", postedWords(mine.bought_it));
    done.hidden = false;
  }
  if (mine.reviews.length) {
    const last = mine.reviews[mine.reviews.length - 1];
    const line = document.getElementById("review-done");
    line.replaceChildren(t("js.review_posted"), ...(last.conversation_id ? [" ", ...postedIn(last.conversation_id, last.conversation_title)] : []));
    line.hidden = false;
  }
  renderSocial();
}

function chatLink(conversationId, text) {
  return h("a", { href: `/chats/${conversationId}` }, text);
}

// "Posted in <the chat's name>", the name a link to the chat (placed where the language puts it).
function postedIn(conversationId, title) {
  if (!title) return [chatLink(conversationId, t("js.open_chat"))];
  const [before, after = ""] = t("js.posted_in_chat").split("{chat}");
  return [before, chatLink(conversationId, title), after];
}

// What the message said: the buyer's words (if any) and whom it mentions.
function postedWords(posted) {
  return h("span", { class: "posted-words" },
    posted.text ? h("q", {}, posted.text) : null,
    ...posted.mentions.flatMap((person) => [" ", h("span", { class: "mention" }, `@${personName(person.user_id ?? person.id, person.display_name)}`)]));
}

boughtForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(boughtForm, null);
  try {
    await api("POST", `/orders/${orderId}/bought-it`, { text: boughtForm.elements.words.value.trim() });
    await loadMyReports();
  } catch (error) {
    formError(boughtForm, error.message);
  }
});

// Photos are stored like chat photos: in the chat the recommendation came from, or else one of mine.
async function photoConversation() {
  if (order.share_id) {
    const card = await api("GET", `/cards/${order.share_id}`).catch(() => null);
    if (card) return card.conversation_id;
  }
  return anyOpenChat();
}

// One optional description per chosen photo (photos.js).
const photos = photoPicker(reviewForm.elements.photos, "review-photo");

reviewForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(reviewForm, null);
  const button = reviewForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const alts = photos.alts();
    const keys = await uploadPhotos(photos.chosen(), photoConversation);
    await api("POST", `/orders/${orderId}/reviews`, {
      stars: Number(reviewForm.elements.stars.value),
      text: reviewForm.elements.text.value.trim(),
      photos: keys,
      photo_alts: alts.some(Boolean) ? alts : [],
      product_id: Number(reviewForm.elements.product.value) || null,
      post_to_chat: reviewForm.elements.post_to_chat.checked,
    });
    reviewForm.reset();
    photos.refresh();
    await loadMyReports();
  } catch (error) {
    formError(reviewForm, error.message);
  } finally {
    button.disabled = false;
  }
});

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
