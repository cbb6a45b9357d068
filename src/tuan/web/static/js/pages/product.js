// A product: price and deal countdown, buying (now or into the cart), team purchases with their
// progress and countdown, and sharing it into a group chat as a card.
import { formatMoney, formatTime, t } from "../boot.js";
import { api, onceKey } from "../api.js";
import { countdown, formError, h, showStatus, thumb, timeElement, typedQuantity } from "../dom.js";
import { photoStrip, stars } from "../social.js";
import { personName } from "../people.js";

const root = document.getElementById("product");
const productId = Number(root.dataset.productId);
const shareId = root.dataset.shareId ? Number(root.dataset.shareId) : null;
const invitedTeam = root.dataset.teamId ? Number(root.dataset.teamId) : null;
const teamCode = root.dataset.teamCode || null;
const buyForm = document.getElementById("buy-form");
const TEAM_REFRESH_MS = 5000;
let product = null;
let stopDeal = () => {};
const teamTimers = [];

function selectedSku() {
  const id = Number(buyForm.elements.sku.value);
  return product.skus.find((s) => s.id === id) ?? product.skus[0];
}

// As typed: the server refuses a quantity it does not take, and the form shows why.
function quantity() {
  return typedQuantity(buyForm.elements.quantity);
}

function showPrice() {
  const sku = selectedSku();
  document.getElementById("product-price").textContent = formatMoney(sku.price, product.currency);
  document.getElementById("product-regular").textContent =
    sku.regular_price > sku.price ? formatMoney(sku.regular_price, product.currency) : "";
  const deal = document.getElementById("deal");
  stopDeal();
  deal.hidden = !sku.deal || sku.deal.state === "ended";
  if (!deal.hidden) {
    document.getElementById("deal-label").textContent = {
      active: t("js.deal_active", { left: sku.deal.remaining }),
      upcoming: t("js.deal_starts_in"),
      sold_out: t("js.deal_sold_out"),
    }[sku.deal.state];
    const clock = document.getElementById("deal-countdown");
    clock.hidden = sku.deal.state === "sold_out";
    if (!clock.hidden) stopDeal = countdown(clock, sku.deal.seconds_left, load);
  }
  document.getElementById("team-offer").textContent = product.team_size && sku.team_price
    ? t("js.team_offer", { size: product.team_size, price: formatMoney(sku.team_price, product.currency), hours: product.team_hours })
    : "";
}

function render() {
  document.getElementById("product-name").textContent = product.name;
  document.title = `${product.name} · ${t("js.app_name")}`;
  document.getElementById("product-shop").textContent = product.shop.name;
  document.getElementById("product-description").textContent = product.description;
  document.getElementById("gallery").replaceChildren(...product.images.map((image) =>
    h("img", { src: thumb(image.url, 640), alt: product.name, width: Math.min(image.width, 640) })));
  const options = document.getElementById("skus");
  const chosen = buyForm.elements.sku?.value;
  options.replaceChildren(options.querySelector("legend"), ...product.skus.map((sku, index) =>
    h("label", {},
      h("input", {
        type: "radio", name: "sku", value: sku.id, onchange: showPrice,
        checked: chosen ? String(sku.id) === chosen : index === 0,
      }),
      `${sku.label} · ${formatMoney(sku.price, product.currency)}`,
      sku.stock > 0 ? null : h("span", { class: "hint" }, ` (${t("js.sold_out")})`))));
  showPrice();
  document.getElementById("team-section").hidden = !product.team_size;
}

function teamRow(team) {
  const progress = h("progress", { max: team.size, value: team.paid_count, "aria-label": t("js.team_progress", { paid: team.paid_count, size: team.size }) });
  const clock = h("span", { class: "countdown", role: "timer" });
  if (team.seconds_left !== null) teamTimers.push(countdown(clock, team.seconds_left, loadTeams));
  // Join only where the server allows it (team.allowed_actions): a place left, before the deadline.
  const action = team.you_are_member
    ? h("a", { class: "ok", href: `/teams/${team.id}${team.code ? `?code=${encodeURIComponent(team.code)}` : ""}` }, t("js.in_this_team"))
    : team.allowed_actions.includes("join")
      ? h("button", { type: "button", onclick: () => joinTeam(team) }, t("js.join_team", { price: formatMoney(team.team_price, team.currency) }))
      : h("span", { class: "hint" }, t(`js.team_status_${team.status}`));
  return h("li", { dataset: { teamId: team.id } },
    // The server names the opener only to people who may see their purchases (null otherwise).
    h("div", {}, team.opener_display_name === null ? t("js.team_of_someone") : t("js.team_of_opener", { name: team.opener_display_name }), " · ",
      h("span", { class: "team-count" }, t("js.team_progress", { paid: team.paid_count, size: team.size })),
      team.seconds_left !== null ? [" · ", t("js.team_left"), " ", clock] : null),
    progress, action);
}

async function loadTeams() {
  if (!product?.team_size) return;
  const teams = await api("GET", `/products/${productId}/teams`);
  if (invitedTeam && !teams.some((team) => team.id === invitedTeam)) {
    const query = teamCode ? `?code=${encodeURIComponent(teamCode)}` : "";
    teams.unshift(await api("GET", `/teams/${invitedTeam}${query}`).catch(() => null));
  }
  for (const stop of teamTimers.splice(0)) stop();
  const open = teams.filter((team) => team && (team.status === "open" || team.status === "forming" || team.you_are_member));
  document.getElementById("teams").replaceChildren(...open.map(teamRow));
}

async function joinTeam(team) {
  const form = document.getElementById("team-form");
  formError(form, null);
  try {
    const body = { quantity: quantity(), share_id: shareId };
    if (team.id === invitedTeam && teamCode) body.code = teamCode;
    const result = await api("POST", `/teams/${team.id}/join`, body, { headers: { "Idempotency-Key": onceKey() } });
    location.assign(`/orders/${result.order.id}`);
  } catch (error) {
    formError(form, error.message);
  }
}

document.getElementById("team-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  try {
    const result = await api("POST", "/teams", {
      sku_id: selectedSku().id, quantity: quantity(), allow_public_join: form.elements.public.checked, share_id: shareId,
    }, { headers: { "Idempotency-Key": onceKey() } });
    location.assign(`/orders/${result.order.id}`);
  } catch (error) {
    formError(form, error.message);
  }
});

// One key per intended order: a double click or a retry after a lost answer never orders twice.
let buyKey = onceKey();
buyForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(buyForm, null);
  const sku = selectedSku();
  const line = { sku_id: sku.id, quantity: quantity() };
  if (sku.deal?.state === "active") line.deal_id = sku.deal.id;
  document.getElementById("buy-now").disabled = true;
  try {
    const order = await api("POST", "/orders", { items: [line], share_id: shareId, currency: product.currency }, { headers: { "Idempotency-Key": buyKey } });
    location.assign(`/orders/${order.id}`);
  } catch (error) {
    if (error.status >= 400 && error.status < 500) buyKey = onceKey();
    formError(buyForm, error.message);
  } finally {
    document.getElementById("buy-now").disabled = false;
  }
});

document.getElementById("add-to-cart").addEventListener("click", async () => {
  formError(buyForm, null);
  const ok = buyForm.querySelector(".ok");
  ok.hidden = true;
  try {
    await api("PUT", `/cart/items/${selectedSku().id}`, { quantity: quantity(), share_id: shareId });
    ok.replaceChildren(t("js.added_to_cart"), " ", h("a", { href: "/cart" }, t("js.view_cart")));
    ok.hidden = false;
  } catch (error) {
    formError(buyForm, error.message);
  }
});

async function loadShareTargets() {
  const chats = await api("GET", "/conversations");
  const open = chats.filter((c) => !c.closed);
  document.getElementById("share-to").replaceChildren(...open.map((c) => h("option", { value: c.id }, c.title)));
  document.getElementById("share-form").closest("section").hidden = open.length === 0;
}

document.getElementById("share-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  const conversationId = Number(form.elements.conversation.value);
  if (!conversationId) return;
  const text = form.elements.words.value.trim();
  try {
    // The card and its share are one write: the chat shows it live, with the price now, and
    // whoever buys from it credits this share. From someone else's card, it is a forward.
    let posted = false;
    if (shareId) {
      try {
        await api("POST", `/cards/${shareId}/forward`, { conversation_id: conversationId, text });
        posted = true;
      } catch (error) {
        if (error.status !== 403 && error.status !== 404) throw error;
      }
    }
    if (!posted) await api("POST", `/conversations/${conversationId}/cards`, { product_id: productId, text });
    location.assign(`/chats/${conversationId}`);
  } catch (error) {
    formError(form, error.message);
  }
});

// --- ratings and social proof: only what each person lets this viewer see ---

function ratingLine(rating) {
  if (!rating.count || rating.average === null) return h("span", { class: "hint" }, t("js.no_ratings"));
  return h("span", {}, stars(rating.average), " ",
    h("strong", {}, rating.average.toFixed(1)), " ", t("js.rating_count", { count: rating.count }));
}

function empty(list, text) {
  if (!list.children.length) list.append(h("li", { class: "hint empty" }, text));
}

function reviewRow(review) {
  return h("li", { class: "review", dataset: { reviewId: review.id } },
    h("div", { class: "row" }, stars(review.stars), h("strong", { class: "author" }, personName(review.author_id, review.author_display_name)),
      review.verified_purchase ? h("span", { class: "pill" }, t("js.verified_purchase")) : null,
      review.author_is_friend ? h("span", { class: "pill" }, t("js.friend")) : null,
      timeElement(review.created_at, formatTime(review.created_at))),
    review.text ? h("p", { class: "text review-text" }, review.text) : null,
    photoStrip(review.photo_urls, review.photo_alts));
}

async function loadRatings() {
  const status = document.getElementById("ratings-status");
  try {
    const ratings = await api("GET", `/products/${productId}/ratings`);
    document.getElementById("rating-overall").replaceChildren(ratingLine(ratings.overall));
    document.getElementById("rating-friends").replaceChildren(ratingLine(ratings.friends));
    document.getElementById("rating-trusted").replaceChildren(ratingLine(ratings.trusted));
    const reviews = document.getElementById("reviews");
    reviews.replaceChildren(...ratings.reviews.map(reviewRow));
    empty(reviews, t("js.no_reviews"));
    document.getElementById("ratings-body").hidden = false;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, loadRatings);
  }
}

async function loadProof() {
  const status = document.getElementById("proof-status");
  try {
    const proof = await api("GET", `/products/${productId}/social-proof`);
    const friends = document.getElementById("proof-friends");
    friends.replaceChildren(...proof.friends_who_bought.map((person) =>
      h("li", { dataset: { userId: person.id } }, person.display_name)));
    empty(friends, t("js.proof_no_friends"));
    const friendReviews = document.getElementById("proof-friend-reviews");
    friendReviews.replaceChildren(...proof.friends_reviews.map((item) =>
      h("li", { dataset: { userId: item.author.id } }, stars(item.stars), " ", h("strong", {}, item.author.display_name),
        item.text ? h("p", { class: "text review-text" }, item.text) : null)));
    empty(friendReviews, t("js.proof_no_friend_ratings"));
    const groups = document.getElementById("proof-groups");
    groups.replaceChildren(...proof.groups_that_bought.map((group) =>
      h("li", { dataset: { groupId: group.group_id } }, h("strong", {}, group.name), " · ",
        t("js.proof_group_buyers", { buyers: group.buyers, members: group.member_count }))));
    empty(groups, t("js.proof_no_groups"));
    const groupRatings = document.getElementById("proof-group-ratings");
    groupRatings.replaceChildren(...proof.group_ratings.map((line) =>
      h("li", { dataset: { groupId: line.group_id } }, h("strong", {}, line.name), " · ", ratingLine(line.rating))));
    empty(groupRatings, t("js.proof_no_group_ratings"));
    document.getElementById("proof-body").hidden = false;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, loadProof);
  }
}

async function load() {
  const status = document.getElementById("product-status");
  try {
    product = await api("GET", `/products/${productId}`);
    render();
    document.getElementById("product-body").hidden = false;
    showStatus(status, "ready");
    await Promise.all([loadTeams(), loadShareTargets(), loadRatings(), loadProof()]);
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

await load();
// Team places fill from other browsers: keep the progress current while the page is open.
setInterval(() => { if (document.visibilityState === "visible") loadTeams().catch(() => {}); }, TEAM_REFRESH_MS);
