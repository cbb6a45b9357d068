// A team card in a chat: a member posted their team purchase here, so the chat's members may see
// it and join it (a private team's card carries its code to this chat and no further). The card
// shows the team price, the fill and the time left, and a Join button only when the server says
// this viewer may join; it reads itself again whenever the team moves (team_live.js).
import { formatMoney, t } from "./boot.js";
import { api, onceKey } from "./api.js";
import { countdown, h, thumb } from "./dom.js";
import { paidLabel, photoStrip, productHref, socialActions } from "./social.js";
import { watchTeam } from "./team_live.js";

export function teamPreview(message) {
  return t("js.team_card_preview", { product: message.payload?.product_name ?? "" });
}

function teamHref(team) {
  return team.code ? `/teams/${team.id}?code=${encodeURIComponent(team.code)}` : `/teams/${team.id}`;
}

async function joinFrom(card, button, problem) {
  button.disabled = true;
  problem.textContent = "";
  try {
    const body = { share_id: card.share_id };
    if (card.team.code) body.code = card.team.code;
    const result = await api("POST", `/teams/${card.team.id}/join`, body, { headers: { "Idempotency-Key": onceKey() } });
    location.assign(`/orders/${result.order.id}`);
  } catch (error) {
    problem.textContent = error.message;
    button.disabled = false;
  }
}

function teamAction(card, problem) {
  const team = card.team;
  if (team.allowed_actions.includes("join")) {
    const button = h("button", { type: "button", class: "join-team" }, t("js.join_team", { price: formatMoney(team.team_price, card.currency) }));
    button.addEventListener("click", () => joinFrom(card, button, problem));
    return button;
  }
  if (team.you_are_member) return h("a", { class: "button secondary", href: teamHref(team) }, t("js.team_open_page"));
  return h("span", { class: "hint" }, t(`js.team_status_${team.status}`));
}

function fill(shown, card) {
  for (const stop of shown.stops.splice(0)) stop();
  const team = card.team;
  const image = card.image_url
    ? h("img", { class: "product-image", src: thumb(card.image_url, 160), alt: "", loading: "lazy" })
    : h("span", { class: "placeholder" });
  const line = h("div", { class: "card-team" },
    h("span", { class: "team-count" }, t("js.team_progress", { paid: team.paid_count, size: team.size })),
    " · ", h("span", { class: "team-state" }, t(`js.team_status_${team.status}`)));
  if (team.seconds_left !== null && team.status === "open") {
    const clock = h("span", { class: "countdown", role: "timer" });
    shown.stops.push(countdown(clock, team.seconds_left));
    line.append(" · ", t("js.team_left"), " ", clock);
  }
  const problem = h("p", { class: "error", role: "alert" });
  shown.body.replaceChildren(
    h("div", { class: "card-main" }, image,
      h("div", {},
        h("a", { class: "name", href: teamHref(team) }, card.product_name),
        h("div", {},
          h("span", { class: "price" }, t("js.team_price_is", { price: formatMoney(team.team_price, card.currency) })), " ",
          card.price > team.team_price ? h("span", { class: "price-regular" }, formatMoney(card.price, card.currency)) : null))),
    line,
    h("progress", { max: team.size, value: team.paid_count, "aria-label": t("js.team_progress", { paid: team.paid_count, size: team.size }) }),
    card.paid_share ? paidLabel(card.paid_label) : null,
    ...socialActions(`/cards/${card.share_id}`, card.counts, card.allowed_actions, teamAction(card, problem)),
    problem);
}

export function teamCardMessage(message) {
  const data = message.payload ?? {};
  const body = h("div", { class: "card-live" },
    h("a", { class: "name", href: productHref(data.product_id) }, data.product_name ?? ""));
  const element = h("div", { class: "product-card chat-card team-card", dataset: { shareId: data.share_id, teamId: data.team_id } },
    h("div", { class: "report-kind" }, t("js.team_card_kind")),
    message.text ? h("p", { class: "text card-words" }, message.text) : null,
    photoStrip(data.photos, data.photo_alts),
    body);
  const shown = { body, stops: [] };
  let reads = 0;
  const read = async () => {
    if (!element.isConnected && reads) return; // gone from the page: nothing to keep current
    const mine = ++reads;
    try {
      const card = await api("GET", `/cards/${data.share_id}`);
      if (mine === reads && card.team) fill(shown, card);
      return card;
    } catch {
      if (mine === 1) body.append(h("p", { class: "hint" }, t("js.card_unavailable")));
      return null;
    }
  };
  read().then((card) => {
    if (card?.team) watchTeam(card.team.id, card.team.code, read);
  });
  return element;
}
