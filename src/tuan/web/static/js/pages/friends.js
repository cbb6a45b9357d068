// My friends: requests to answer, my friends (a direct chat with each), people from my groups
// to befriend, and the requests I sent that wait for an answer.
import { t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus } from "../dom.js";
import { openDirectChat, personRow } from "../people.js";

const status = document.getElementById("friends-status");

function fill(list, rows, emptyText) {
  list.replaceChildren(...rows);
  if (!rows.length) list.replaceChildren(h("li", { class: "hint empty" }, emptyText));
}

// A button that does `work`, shows a refusal beside itself, and reads the page again after.
function actionButton(label, work, { secondary = false } = {}) {
  const button = h("button", { type: "button", class: secondary ? "secondary" : null }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.parentElement.querySelector(".error")?.remove();
    try {
      await work();
      await load();
    } catch (error) {
      button.disabled = false;
      button.after(h("span", { class: "error", role: "alert" }, error.message));
    }
  });
  return button;
}

function incomingRow(request) {
  return personRow(request.person, {
    groupId: request.context_group_id,
    extra: [
      request.message ? h("q", { class: "request-message" }, request.message) : null,
      h("div", { class: "row" },
        actionButton(t("js.action_accept"), () => api("POST", `/friends/requests/${request.id}/accept`)),
        actionButton(t("js.action_decline"), () => api("POST", `/friends/requests/${request.id}/decline`), { secondary: true })),
    ],
  });
}

function friendRow(person) {
  return personRow(person, {
    extra: [h("div", { class: "row" },
      actionButton(t("js.action_message"), () => openDirectChat(person.id), { secondary: true }))],
  });
}

function groupmateRow(mate) {
  const [first] = mate.groups;
  return personRow(mate.person, {
    groupId: first?.id,
    extra: [
      h("span", { class: "hint" }, t("js.groupmate_groups", { count: mate.groups_in_common, groups: mate.groups.map((g) => g.name) })),
      h("div", { class: "row" },
        actionButton(t("js.action_add_friend"), () => api("POST", "/friends/requests", {
          user_id: mate.person.id, context_group_id: first?.id ?? null,
        }))),
    ],
  });
}

function outgoingRow(request) {
  return personRow(request.person, { extra: [h("span", { class: "hint" }, t("js.tie_you_asked"))] });
}

async function load() {
  try {
    const [friends, requests, mates] = await Promise.all([
      api("GET", "/friends"),
      api("GET", "/friends/requests"),
      api("GET", "/friends/suggestions"),
    ]);
    fill(document.getElementById("incoming"), requests.incoming.map(incomingRow), t("js.no_incoming_requests"));
    fill(document.getElementById("friends"), friends.map(friendRow), t("js.no_friends_yet"));
    fill(document.getElementById("groupmates"), mates.map(groupmateRow), t("js.no_groupmates"));
    fill(document.getElementById("outgoing"), requests.outgoing.map(outgoingRow), t("js.no_outgoing_requests"));
    document.getElementById("outgoing-section").hidden = !requests.outgoing.length;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

load();
