// The members of the open chat, from a button in its header: each with avatar and name, leading
// to their profile (where one adds a friend or starts a direct chat). Read afresh on each opening.
import { me, t } from "./boot.js";
import { api } from "./api.js";
import { h, showStatus } from "./dom.js";
import { personRow } from "./people.js";

const chat = document.getElementById("chat");
const toggle = document.getElementById("members-toggle");
const panel = document.getElementById("members-panel");
const list = document.getElementById("member-list");
const status = document.getElementById("members-status");
const cid = Number(chat.dataset.conversationId);
const ROLES = { owner: () => t("js.role_owner"), admin: () => t("js.role_admin") };

function row(member) {
  const notes = [
    member.user_id === me.id ? h("span", { class: "hint" }, t("js.members_you")) : null,
    ROLES[member.role] ? h("span", { class: "pill" }, ROLES[member.role]()) : null,
  ];
  return personRow({ ...member, id: member.user_id }, { groupId: cid, extra: notes });
}

async function load() {
  showStatus(status, "loading", t("js.loading"));
  try {
    const members = await api("GET", `/conversations/${cid}/members`);
    list.replaceChildren(...members.map(row));
    document.getElementById("members-heading").textContent = t("js.member_count", { count: members.length });
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

toggle.addEventListener("click", () => {
  const opening = panel.hidden;
  panel.hidden = !opening;
  toggle.setAttribute("aria-expanded", String(opening));
  if (opening) load();
});
