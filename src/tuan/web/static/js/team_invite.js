// "Invite to the team", for its members while the server allows it (team.allowed_actions has
// "invite": open, before the deadline, a place left): the team's link to copy, and its card to
// post into one of the member's chats. A private team's link carries its code, so whoever gets
// the link (or sees the card) may see the team and join it; nobody else can.
import { t } from "./boot.js";
import { api } from "./api.js";
import { formError, h } from "./dom.js";

export function teamLink(team) {
  const query = team.code ? `?code=${encodeURIComponent(team.code)}` : "";
  return `${location.origin}/teams/${team.id}${query}`;
}

async function copy(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.select(); // no clipboard permission: the link is selected for the person to copy
    return document.execCommand?.("copy") ?? false;
  }
}

function linkRow(team, uid) {
  const input = h("input", { id: `${uid}-link`, type: "text", readonly: "", value: teamLink(team), class: "team-link" });
  const done = h("span", { class: "ok", role: "status" });
  const button = h("button", { type: "button", class: "secondary" }, t("js.team_copy_link"));
  button.addEventListener("click", async () => {
    done.textContent = (await copy(input)) ? t("js.team_link_copied") : t("js.team_link_select");
  });
  input.addEventListener("focus", () => input.select());
  return h("div", { class: "stack" },
    h("label", { for: input.id }, t("js.team_link")),
    h("div", { class: "row" }, input, button), done);
}

function postForm(team, uid, chats) {
  const select = h("select", { id: `${uid}-chat`, name: "conversation" },
    chats.map((chat) => h("option", { value: chat.id }, chat.title)));
  const words = h("textarea", { id: `${uid}-words`, name: "words", rows: "2", maxlength: "4000", placeholder: t("js.team_card_words_hint") });
  const form = h("form", { class: "stack team-post" },
    h("label", { for: select.id }, t("js.team_post_to")), select,
    h("label", { for: words.id }, t("js.team_card_words")), words,
    h("button", { type: "submit" }, t("js.team_post_card")),
    h("p", { class: "error", role: "alert", hidden: "" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, null);
    const conversationId = Number(select.value);
    if (!conversationId) return;
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await api("POST", `/conversations/${conversationId}/cards`, { product_id: team.product_id, team_id: team.id, text: words.value.trim() });
      location.assign(`/chats/${conversationId}`);
    } catch (error) {
      formError(form, error.message);
      button.disabled = false;
    }
  });
  return form;
}

let mounted = 0;

// Fill ``section`` with the invitation for ``team`` (as GET /teams/{id} returned it), or hide it.
export async function showInvite(section, team) {
  const inviting = team.allowed_actions.includes("invite");
  section.hidden = !inviting;
  if (!inviting) {
    section.replaceChildren();
    delete section.dataset.teamId;
    return;
  }
  if (section.dataset.teamId === String(team.id)) return; // already shown; keep what is typed
  section.dataset.teamId = String(team.id);
  const uid = `team-invite-${++mounted}`;
  const chats = (await api("GET", "/conversations").catch(() => [])).filter((chat) => !chat.closed);
  section.replaceChildren(
    h("h2", {}, t("js.team_invite")),
    h("p", { class: "hint" }, team.allow_public_join ? t("js.team_invite_public") : t("js.team_invite_private")),
    linkRow(team, uid),
    chats.length ? postForm(team, uid, chats) : h("p", { class: "hint" }, t("js.team_no_chats")));
}

let orderTeamSeen = null;

// On a member's order page: the link to the team's page and the invitation, read again only
// when the team moved (the order page reads itself every few seconds while a team fills).
export async function showTeamOfOrder(summary) {
  const seen = `${summary.id}:${summary.status}:${summary.paid_count}`;
  if (orderTeamSeen === seen) return;
  orderTeamSeen = seen;
  const team = await api("GET", `/teams/${summary.id}`).catch(() => null);
  if (!team) return;
  const link = document.getElementById("order-team-link");
  link.href = teamLink(team);
  link.hidden = false;
  await showInvite(document.getElementById("order-team-invite"), team);
}
