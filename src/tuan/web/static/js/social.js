// The social loop in the chat: product cards (a share to buy from, with its live price, deal
// time left, team fill and the paid-share label), "bought it" reports, reviews and digests.
// Everything a person wrote goes in as text.
import { formatMoney, locale, me, t } from "./boot.js";
import { api } from "./api.js";
import { countdown, h, thumb } from "./dom.js";
import { teamCardMessage, teamPreview } from "./team_card.js";
import { noteCardMessage, notePreview } from "./note_card.js";
import { isDeletedUser, personName } from "./people.js";

export const CARD_KINDS = new Set(["product_card", "purchase_report", "review_card", "purchase_digest", "recommendation_ask"]);
CARD_KINDS.add("team_card"); // team_card.js
CARD_KINDS.add("note_card"); // note_card.js

// A short line for the chat list.
export function cardPreview(message) {
  const data = message.payload ?? {};
  if (message.kind === "product_card") return t("js.card_preview", { product: data.product_name ?? "" });
  if (message.kind === "team_card") return teamPreview(message);
  if (message.kind === "note_card") return notePreview(message);
  if (message.kind === "purchase_report") return [t("js.bought_preview", { product: data.product_name ?? "" }), message.text].filter(Boolean).join(" ");
  if (message.kind === "review_card") return t("js.review_preview", { stars: data.stars ?? "", product: data.product_name ?? "" });
  if (message.kind === "purchase_digest") return t("js.digest", { count: (data.reports ?? []).length });
  if (message.kind === "recommendation_ask") return t("js.ask_preview", { text: message.text });
  return message.text;
}

export function productHref(productId, shareId, teamId, teamCode) {
  const query = new URLSearchParams();
  if (shareId) query.set("share", shareId);
  if (teamId) query.set("team", teamId);
  if (teamId && teamCode) query.set("code", teamCode);
  const text = query.toString();
  return text ? `/products/${productId}?${text}` : `/products/${productId}`;
}

export function stars(count) {
  const n = Math.max(0, Math.min(5, Math.round(count)));
  return h("span", { class: "stars", role: "img", "aria-label": t("js.stars", { stars: n }) }, "★".repeat(n) + "☆".repeat(5 - n));
}

// Photos a person attached, each with the description they wrote for it (``alts``, in the same
// order; a photo without one is called a photo).
export function photoStrip(keysOrUrls, alts = [], width = 320) {
  const urls = (keysOrUrls ?? []).map((item) => (item.startsWith("/") ? item : `/media/${item}`));
  if (!urls.length) return null;
  const altOf = (index) => (typeof alts?.[index] === "string" && alts[index].trim()) || t("js.photo");
  return h("div", { class: "card-photos" }, urls.map((url, index) => h("img", { src: thumb(url, width), alt: altOf(index), loading: "lazy" })));
}

// The server says what the label says (a catalogue code and its parameters, e.g. the rate).
export function paidLabel(label) {
  return h("span", { class: "paid-label" }, label ? t(`js.${label.code}`, label.params) : t("js.paid_share_plain"));
}

const cards = new Map(); // share id → promise of the live card (read once, then refreshed)
const shownCards = new Map(); // share id → [{body, stops}] on this page
const REFRESH_MAX = 20;

function liveCard(shareId) {
  if (!cards.has(shareId)) cards.set(shareId, api("GET", `/cards/${shareId}`));
  return cards.get(shareId);
}

// Deals and teams move while the chat is open: read those cards again (a few, the newest).
export async function refreshCards() {
  for (const [shareId, list] of shownCards) {
    for (const gone of list.filter((shown) => !shown.body.isConnected)) for (const stop of gone.stops) stop();
    shownCards.set(shareId, list.filter((shown) => shown.body.isConnected));
  }
  const moving = [];
  for (const [shareId, promise] of cards) {
    const card = await promise.catch(() => null);
    if (card && (card.deal || card.team) && shownCards.get(shareId)?.length) moving.push(shareId);
  }
  for (const shareId of moving.slice(-REFRESH_MAX)) {
    const fresh = api("GET", `/cards/${shareId}`);
    const card = await fresh.catch(() => null);
    if (!card) continue;
    cards.set(shareId, fresh);
    for (const shown of shownCards.get(shareId)) fillCard(shown, card);
  }
}

// A like button for a card or a report: ``path`` is its like URL, ``counts`` what is known now.
function likeButton(path, counts) {
  const button = h("button", { type: "button", class: "secondary like" });
  const show = (now) => {
    button.setAttribute("aria-pressed", now.you_liked ? "true" : "false");
    button.setAttribute("aria-label", t("js.like_count", { count: now.likes }));
    button.textContent = `♥ ${now.likes}`;
  };
  show(counts);
  button.addEventListener("click", async () => {
    const liking = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    try {
      show(await api(liking ? "PUT" : "DELETE", path));
    } catch {
      // the count stays as it was; the next refresh shows the truth
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

// Comments under a card or a report: a toggle with the count, then the thread and a box to add
// to it. ``base`` is "/cards/ID" or "/reports/ID". What people wrote goes in as text.
function commentsToggle(base, count) {
  const toggle = h("button", { type: "button", class: "secondary comments-toggle", "aria-expanded": "false" });
  const label = (n) => { toggle.textContent = t("js.comments_count", { count: n }); };
  label(count);
  const thread = h("ul", { class: "list comments" });
  const input = h("input", { type: "text", maxlength: "4000", required: "", "aria-label": t("js.comment_label"), placeholder: t("js.comment_placeholder") });
  const form = h("form", { class: "row comment-form" }, input, h("button", { type: "submit" }, t("js.comment_send")));
  const status = h("p", { class: "hint", role: "status" });
  const panel = h("div", { class: "comments-panel", hidden: "" }, thread, form, status);
  const line = (c) => h("li", {}, h("span", { class: "name" }, personName(c.user_id, c.display_name)), " ", h("span", { class: "text" }, c.text));
  toggle.addEventListener("click", async () => {
    const opening = panel.hidden;
    panel.hidden = !opening;
    toggle.setAttribute("aria-expanded", opening ? "true" : "false");
    if (!opening) return;
    try {
      const comments = await api("GET", `${base}/comments`);
      thread.replaceChildren(...comments.map(line));
      label(comments.length);
    } catch {
      status.textContent = t("js.comments_unavailable");
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    form.querySelector("button").disabled = true;
    try {
      thread.append(line(await api("POST", `${base}/comments`, { text })));
      input.value = "";
      status.textContent = "";
      label(thread.children.length);
    } catch (error) {
      status.textContent = error.message ?? t("js.comments_unavailable");
    } finally {
      form.querySelector("button").disabled = false;
    }
  });
  return [toggle, panel];
}

// Likes and comments of a card or a report: the buttons for what the server allows the viewer.
export function socialActions(base, counts, allowed, ...more) {
  const [toggle, panel] = allowed.includes("comment") ? commentsToggle(base, counts.comments) : [null, null];
  const like = allowed.includes("like") ? likeButton(`${base}/like`, counts) : null;
  return [h("div", { class: "card-actions" }, like, toggle, ...more), panel].filter(Boolean);
}

// Likes and comments of a report (its counts are read when it is shown).
function reportActions(reportId) {
  const box = h("div", { class: "report-actions" });
  if (!reportId) return box;
  api("GET", `/reports/${reportId}/counts`).then((counts) => {
    box.replaceChildren(...socialActions(`/reports/${reportId}`, counts, counts.allowed_actions));
  }, () => {
    // a report that cannot be read shows no actions
  });
  return box;
}

function fillCard(shown, card) {
  const body = shown.body;
  for (const stop of shown.stops.splice(0)) stop();
  const parts = [];
  const image = card.image_url
    ? h("img", { class: "product-image", src: thumb(card.image_url, 160), alt: "", loading: "lazy" })
    : h("span", { class: "placeholder" });
  const price = [h("span", { class: "price" }, formatMoney(card.price, card.currency)),
    card.regular_price > card.price ? h("span", { class: "price-regular" }, formatMoney(card.regular_price, card.currency)) : null];
  if (card.deal && card.deal.state === "active") {
    const clock = h("span", { class: "countdown", role: "timer" });
    shown.stops.push(countdown(clock, card.deal.seconds_left));
    parts.push(h("div", { class: "card-deal" }, t("js.card_deal_ends"), " ", clock));
  }
  if (card.team) {
    const team = card.team;
    const line = h("div", { class: "card-team" },
      h("span", { class: "team-count" }, t("js.team_progress", { paid: team.paid_count, size: team.size })));
    if (team.seconds_left !== null && team.status === "open") {
      const clock = h("span", { class: "countdown", role: "timer" });
      shown.stops.push(countdown(clock, team.seconds_left));
      line.append(" · ", t("js.team_left"), " ", clock);
    }
    parts.push(line, h("progress", { max: team.size, value: team.paid_count, "aria-label": t("js.team_progress", { paid: team.paid_count, size: team.size }) }));
  }
  if (card.paid_share) parts.push(paidLabel(card.paid_label));
  const buy = card.allowed_actions.includes("buy")
    ? h("a", { class: "button buy", href: productHref(card.product_id, card.share_id, card.team?.id, card.team?.code) }, t("js.buy_from_card"))
    : h("span", { class: "hint" }, t("js.product_unavailable"));
  body.replaceChildren(
    h("div", { class: "card-main" }, image,
      h("div", {},
        h("a", { class: "name", href: productHref(card.product_id, card.share_id) }, card.product_name),
        h("div", {}, price))),
    ...parts,
    ...socialActions(`/cards/${card.share_id}`, card.counts, card.allowed_actions, buy));
}

// A product card message: the snapshot at once, the live card when it arrives.
export function productCardMessage(message) {
  const data = message.payload ?? {};
  const body = h("div", { class: "card-live" },
    h("a", { class: "name", href: productHref(data.product_id, data.share_id) }, data.product_name ?? ""),
    data.paid_share ? h("div", {}, h("span", { class: "paid-label" }, t("js.paid_share_plain"))) : null);
  const card = h("div", { class: "product-card chat-card", dataset: { shareId: data.share_id } },
    data.ask_id ? h("div", { class: "hint ask-reply" }, t("js.ask_answer_card")) : null,
    message.text ? h("p", { class: "text card-words" }, message.text) : null,
    isDeletedUser(message.sender_id) ? null : photoStrip(data.photos, data.photo_alts), // a shell: its photos went with its sharer
    body);
  const shown = { body, stops: [] };
  if (!shownCards.has(data.share_id)) shownCards.set(data.share_id, []);
  shownCards.get(data.share_id).push(shown);
  liveCard(data.share_id).then((live) => fillCard(shown, live), () => {
    body.append(h("p", { class: "hint" }, t("js.card_unavailable")));
  });
  return card;
}

export function reportMessage(message, nameOf) {
  const data = message.payload ?? {};
  const sharer = data.sharer_id != null && data.sharer_id !== message.sender_id ? nameOf(data.sharer_id) : null;
  return h("div", { class: "report-card bought", dataset: { reportId: data.report_id } },
    h("div", { class: "report-kind" }, t("js.bought_it")),
    message.text ? h("p", { class: "text" }, message.text) : null,
    h("p", {},
      sharer ? [h("span", { class: "mention" }, `@${sharer}`), " "] : null,
      h("a", { href: productHref(data.product_id) }, data.product_name ?? "")),
    reportActions(data.report_id));
}

export function reviewMessage(message) {
  const data = message.payload ?? {};
  return h("div", { class: "report-card review", dataset: { reviewId: data.review_id } },
    h("div", { class: "report-kind" }, t("js.review_of"), " ",
      h("a", { href: productHref(data.product_id) }, data.product_name ?? "")),
    h("div", {}, stars(data.stars ?? 0), data.verified_purchase ? h("span", { class: "pill" }, t("js.verified_purchase")) : null),
    message.text ? h("p", { class: "text review-text" }, message.text) : null,
    photoStrip(data.photos, data.photo_alts),
    reportActions(data.report_id));
}

export function digestMessage(message) {
  const reports = message.payload?.reports ?? [];
  return h("div", { class: "report-card digest" },
    h("div", { class: "report-kind" }, t("js.digest", { count: reports.length })),
    h("ul", { class: "list" }, reports.map((item) => h("li", {},
      h("a", { href: productHref(item.product_id) }, item.product_name ?? "")))));
}

// A request for a recommendation, as its card in the chat. Everyone it was posted to sees the
// answers so far (each links to the product through the answer's share, so a purchase credits
// the person who recommended it). Others may answer while it is open: a small search, an
// optional reason, one button per product. The asker may choose an answer (and change their
// mind), and sees the members most likely to answer well. The request is read when its card is
// shown, after an answer or a choice made here, and when an answer to it arrives in the chat.
const shownAsks = new Map(); // ask id → [{element, fill}] on this page
const askReads = new Map(); // ask id → {started, applied}: a slower, older read never wins
const ASK_REFRESH_MAX = 10;

export async function refreshAsk(askId) {
  const views = shownAsks.get(askId);
  if (!views?.length) return;
  const reads = askReads.get(askId) ?? { started: 0, applied: 0 };
  askReads.set(askId, reads);
  const mine = ++reads.started;
  let ask;
  try {
    ask = await api("GET", `/asks/${askId}`);
  } catch {
    return; // what is shown stays; the next read shows the truth
  }
  if (mine < reads.applied) return;
  reads.applied = mine;
  for (const view of shownAsks.get(askId) ?? []) view.fill(ask);
}

// The requests shown (the newest few) may have new answers or a choice made elsewhere.
export async function refreshAsks() {
  for (const [askId, views] of shownAsks) {
    const left = views.filter((view) => view.element.isConnected);
    if (left.length) shownAsks.set(askId, left);
    else shownAsks.delete(askId);
  }
  await Promise.all([...shownAsks.keys()].slice(-ASK_REFRESH_MAX).map(refreshAsk));
}

function say(line, kind, text) {
  line.className = `${kind} ask-status`;
  line.textContent = text ?? "";
}

// Under the asker's own request: the members most likely to answer well, with the reason the
// server gives (worked out from what the asker may see; others are not shown it).
function suggestedAnswerers(ask) {
  const people = ask.suggested_answerers ?? [];
  if (!people.length) return null;
  const zh = locale.startsWith("zh");
  return h("div", { class: "ask-suggestions" },
    h("div", { class: "hint" }, t("js.ask_suggested")),
    h("ul", { class: "list" }, people.map((person) => h("li", {},
      h("span", { class: "name" }, personName(person.user_id ?? person.id, person.display_name)), " · ",
      h("span", { class: "hint" }, zh ? person.reason_zh : person.reason)))));
}

function answerLine(ask, answer, { asker, status }) {
  const choose = asker && !answer.chosen
    ? h("button", {
      type: "button",
      class: "secondary choose",
      "aria-label": t("js.ask_choose_label", { product: answer.product_name }),
    }, t("js.ask_choose"))
    : null;
  choose?.addEventListener("click", async () => {
    choose.disabled = true;
    try {
      await api("PUT", `/asks/${ask.id}/choice`, { share_id: answer.share_id });
      say(status, "ok", "");
      await refreshAsk(ask.id);
    } catch (error) {
      say(status, "error", error.message);
      choose.disabled = false;
    }
  });
  return h("li", { class: answer.chosen ? "ask-answer chosen" : "ask-answer", dataset: { shareId: answer.share_id } },
    h("div", {},
      h("a", { class: "name", href: productHref(answer.product_id, answer.share_id) }, answer.product_name),
      answer.chosen ? [" ", h("span", { class: "chosen-mark" }, t("js.ask_chosen"))] : null),
    h("div", { class: "ask-answer-by" },
      h("span", { class: "hint" }, t("js.ask_answered_by", { name: personName(answer.answerer_id, answer.answerer_display_name) })),
      choose));
}

let recommendForms = 0;

// For a member who did not ask: find a product, say why (optional), recommend it here.
function recommendForm(askId, conversationId, status) {
  const toggle = h("button", { type: "button", class: "secondary ask-recommend-toggle", "aria-expanded": "false" }, t("js.ask_recommend"));
  const query = h("input", { type: "search", maxlength: "200", "aria-label": t("js.ask_search_label"), placeholder: t("js.ask_search_placeholder") });
  const search = h("form", { class: "row ask-search", role: "search" }, query, h("button", { type: "submit" }, t("js.ask_search")));
  const whyId = `ask-why-${askId}-${++recommendForms}`;
  const why = h("input", { id: whyId, type: "text", maxlength: "4000", placeholder: t("js.ask_why_placeholder") });
  const whyLabel = h("div", { class: "stack ask-why" }, h("label", { for: whyId }, t("js.ask_why")), why);
  const results = h("ul", { class: "list ask-results", "aria-label": t("js.ask_results") });
  const panel = h("div", { class: "ask-recommend", hidden: "" }, search, whyLabel, results);
  let searches = 0;

  const open = (opening) => {
    panel.hidden = !opening;
    toggle.setAttribute("aria-expanded", opening ? "true" : "false");
    if (opening) query.focus();
  };
  toggle.addEventListener("click", () => open(panel.hidden));

  async function recommend(product, button) {
    for (const other of results.querySelectorAll("button")) other.disabled = true;
    try {
      await api("POST", `/asks/${askId}/answers`, { conversation_id: conversationId, product_id: product.id, text: why.value.trim() });
      query.value = "";
      why.value = "";
      results.replaceChildren();
      open(false);
      say(status, "ok", t("js.ask_recommended", { product: product.name }));
      toggle.focus();
      await refreshAsk(askId);
    } catch (error) {
      say(status, "error", error.message);
    } finally {
      for (const other of results.querySelectorAll("button")) other.disabled = false;
    }
    if (button.isConnected) button.focus(); // refused: still there, to try again
  }

  const result = (product) => {
    const button = h("button", { type: "button", class: "secondary", "aria-label": t("js.ask_recommend_label", { product: product.name }) }, t("js.ask_recommend_this"));
    button.addEventListener("click", () => recommend(product, button));
    return h("li", { class: "ask-result", dataset: { productId: product.id } },
      h("span", {}, h("span", { class: "name" }, product.name), " ",
        h("span", { class: "price" }, formatMoney(product.price_from, product.currency))),
      button);
  };

  search.addEventListener("submit", async (event) => {
    event.preventDefault();
    const words = query.value.trim();
    if (!words) {
      query.focus();
      return;
    }
    const mine = ++searches;
    results.replaceChildren(h("li", { class: "hint" }, t("js.loading")));
    try {
      const found = await api("GET", `/products?${new URLSearchParams({ q: words, limit: "5" })}`);
      if (mine !== searches) return;
      results.replaceChildren(...(found.length ? found.map(result) : [h("li", { class: "hint" }, t("js.nothing_found"))]));
    } catch (error) {
      if (mine === searches) results.replaceChildren(h("li", { class: "error" }, error.message));
    }
  });
  return { toggle, panel };
}

export function askMessage(message) {
  const askId = message.payload?.ask_id;
  const answers = h("div", { class: "ask-answers" });
  const status = h("p", { class: "hint ask-status", role: "status" });
  const element = h("div", { class: "report-card ask", dataset: { askId } },
    h("div", { class: "report-kind" }, t("js.ask_label")),
    h("p", { class: "text" }, message.text),
    answers);
  if (!askId) return element;
  const suggestions = h("div", {});
  const closed = h("p", { class: "hint", hidden: "" }, t("js.ask_closed"));
  let recommending = null;
  const fill = (ask) => {
    const asker = ask.asker_id === me?.id;
    answers.replaceChildren(...(ask.answers.length
      ? [h("div", { class: "hint" }, t("js.ask_answers", { count: ask.answers.length })),
        h("ul", { class: "list ask-answer-list" }, ask.answers.map((answer) => answerLine(ask, answer, { asker, status })))]
      : [h("div", { class: "hint" }, t("js.ask_no_answers"))]));
    const people = asker ? suggestedAnswerers(ask) : null;
    suggestions.replaceChildren(...(people ? [people] : []));
    if (!asker && ask.status === "open" && !recommending) {
      recommending = recommendForm(askId, message.conversation_id, status);
      element.insertBefore(h("div", { class: "card-actions" }, recommending.toggle), status);
      element.insertBefore(recommending.panel, status);
    }
    // Once the asker has chosen, no new answers are offered (one already being written stays).
    if (recommending) recommending.toggle.hidden = ask.status !== "open" && recommending.panel.hidden;
    closed.hidden = asker || ask.status === "open";
  };
  element.append(suggestions, closed, status);
  if (!shownAsks.has(askId)) shownAsks.set(askId, []);
  shownAsks.get(askId).push({ element, fill });
  refreshAsk(askId);
  return element;
}

export function cardBody(message, nameOf) {
  switch (message.kind) {
    case "product_card": return productCardMessage(message);
    case "team_card": return teamCardMessage(message);
    case "note_card": return noteCardMessage(message);
    case "purchase_report": return reportMessage(message, nameOf);
    case "review_card": return reviewMessage(message);
    case "purchase_digest": return digestMessage(message);
    default: return askMessage(message);
  }
}
