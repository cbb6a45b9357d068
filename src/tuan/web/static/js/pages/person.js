// Someone's profile: how we are tied and what I may do about it (the server's allowed_actions),
// the groups and friends we have in common (when I may be told), and their record as a
// recommender as my privacy view of it counts it.
import { locale, t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus } from "../dom.js";
import { openDirectChat, personRow } from "../people.js";

const root = document.getElementById("person");
const personId = Number(root.dataset.userId);
const fromGroup = Number(root.dataset.fromGroup) || null;
const name = document.getElementById("person-name").textContent;
const tieStatus = document.getElementById("tie-status");
const actions = document.getElementById("person-actions");
const problem = document.getElementById("person-error");
const confirmRow = document.getElementById("person-confirm");
let tie = null;

const TIES = {
  friends: () => t("js.tie_friends"),
  asked_you: () => t("js.tie_asked_you", { name }),
  you_asked: () => t("js.tie_you_asked"),
  you_blocked: () => t("js.tie_you_blocked"),
  none: () => t("js.tie_none"),
};

// Each action: its label, whether it asks first (and how), and what it does.
const ACTIONS = {
  message: { label: () => t("js.action_message"), run: () => openDirectChat(personId) },
  add_friend: {
    label: () => t("js.action_add_friend"),
    run: () => api("POST", "/friends/requests", {
      user_id: personId,
      context_group_id: fromGroup ?? tie.groups_in_common[0]?.id ?? null,
    }),
  },
  accept: { label: () => t("js.action_accept"), run: () => api("POST", `/friends/requests/${tie.request_id}/accept`) },
  decline: {
    label: () => t("js.action_decline"), secondary: true,
    run: () => api("POST", `/friends/requests/${tie.request_id}/decline`),
  },
  unfriend: {
    label: () => t("js.action_unfriend"), secondary: true, ask: () => t("js.confirm_unfriend", { name }),
    run: () => api("DELETE", `/friends/${personId}`),
  },
  block: {
    label: () => t("js.action_block"), danger: true, ask: () => t("js.confirm_block", { name }),
    run: () => api("PUT", `/blocks/${personId}`),
  },
  unblock: { label: () => t("js.action_unblock"), secondary: true, run: () => api("DELETE", `/blocks/${personId}`) },
};

async function act(code) {
  const action = ACTIONS[code];
  problem.hidden = true;
  for (const button of actions.querySelectorAll("button")) button.disabled = true;
  try {
    await action.run();
    await loadTie();
  } catch (error) {
    problem.hidden = false;
    problem.textContent = error.message;
    for (const button of actions.querySelectorAll("button")) button.disabled = false;
  }
}

// A step that is hard to undo (ending a friendship, blocking) asks once more, on the page.
function askFirst(code) {
  const action = ACTIONS[code];
  document.getElementById("person-confirm-text").textContent = action.ask();
  const yes = document.getElementById("person-confirm-yes");
  yes.textContent = action.label();
  yes.onclick = () => { confirmRow.hidden = true; act(code); };
  document.getElementById("person-confirm-no").onclick = () => { confirmRow.hidden = true; };
  confirmRow.hidden = false;
  yes.focus();
}

function button(code) {
  const action = ACTIONS[code];
  const kind = action.danger ? "danger" : action.secondary ? "secondary" : null;
  return h("button", {
    type: "button", class: kind, dataset: { action: code },
    onclick: () => (action.ask ? askFirst(code) : act(code)),
  }, action.label());
}

function showInCommon(connection) {
  const groups = document.getElementById("groups-in-common");
  const friends = document.getElementById("friends-in-common");
  if (!connection.in_common_shown) {
    const hidden = () => h("li", { class: "hint" }, t("js.in_common_hidden"));
    groups.replaceChildren(hidden());
    friends.replaceChildren(hidden());
    return;
  }
  groups.replaceChildren(...connection.groups_in_common.map((g) => h("li", {}, h("a", { href: `/chats/${g.id}` }, g.name))));
  if (!connection.groups_in_common.length) groups.replaceChildren(h("li", { class: "hint" }, t("js.no_groups_in_common")));
  friends.replaceChildren(...connection.friends_in_common.map((p) => personRow(p)));
  if (!connection.friends_in_common.length) friends.replaceChildren(h("li", { class: "hint" }, t("js.no_friends_in_common")));
}

async function loadTie() {
  showStatus(tieStatus, "loading", t("js.loading"));
  try {
    tie = await api("GET", `/users/${personId}/connection`);
    confirmRow.hidden = true;
    showStatus(tieStatus, "empty", TIES[tie.relationship]?.() ?? "");
    actions.replaceChildren(...tie.allowed_actions.filter((code) => ACTIONS[code]).map(button));
    showInCommon(tie);
  } catch (error) {
    showStatus(tieStatus, "error", error.message, loadTie);
  }
}

async function loadReputation() {
  const list = document.getElementById("reputation");
  try {
    const lines = await api("GET", `/users/${personId}/reputation?lang=${encodeURIComponent(locale)}`);
    list.replaceChildren(...lines.map((line) => h("li", {}, line.explanation)));
    if (!lines.length) list.replaceChildren(h("li", { class: "hint" }, t("js.no_reputation")));
  } catch (error) {
    list.replaceChildren(h("li", { class: "error" }, error.message));
  }
}

if (document.getElementById("person-tie")) loadTie();
loadReputation();
