// Group admin: join requests, invite links, settings, sub-groups, members and roles.
import { formatTime, t } from "../boot.js";
import { api } from "../api.js";
import { formError, h, showStatus } from "../dom.js";

const root = document.getElementById("group-admin");
const gid = Number(root.dataset.groupId);
let group = null;

// --- join requests (listed by the server; decided here) ---
for (const item of document.querySelectorAll("#join-requests li")) {
  for (const button of item.querySelectorAll("button[data-decision]")) {
    button.addEventListener("click", async () => {
      try {
        await api("POST", `/groups/${gid}/join-requests/${item.dataset.requestId}/${button.dataset.decision}`);
        item.replaceChildren(h("span", { class: "ok", role: "status" },
          button.dataset.decision === "approve" ? t("js.request_approved") : t("js.request_declined")));
        if (button.dataset.decision === "approve") loadMembers();
      } catch (error) {
        item.append(h("p", { class: "error", role: "alert" }, error.message));
      }
    });
  }
}

// --- invite links ---
const linkList = document.getElementById("invite-links");
const linkStatus = document.getElementById("links-status");

function inviteUrl(code) {
  return `${location.origin}/invite/${code}`;
}

function linkRow(link) {
  const facts = [
    link.expires_at ? t("js.link_expires", { when: formatTime(link.expires_at) }) : t("js.link_never_expires"),
    link.max_uses ? t("js.link_uses_of", { uses: link.uses, max: link.max_uses }) : t("js.link_uses", { count: link.uses }),
  ].join(" · ");
  const field = h("input", { readonly: true, value: inviteUrl(link.code), "aria-label": t("js.invite_link") });
  field.addEventListener("focus", () => field.select());
  return h("li", {}, field, h("div", { class: "row" },
    h("span", { class: "hint" }, facts),
    h("button", {
      type: "button", class: "danger",
      onclick: async () => { await api("DELETE", `/groups/${gid}/invite-links/${link.id}`); loadLinks(); },
    }, t("js.revoke"))));
}

async function loadLinks() {
  try {
    const links = (await api("GET", `/groups/${gid}/invite-links`)).filter((l) => !l.revoked);
    linkList.replaceChildren(...links.map(linkRow));
    showStatus(linkStatus, links.length ? "ready" : "empty", t("js.no_links"));
  } catch (error) {
    showStatus(linkStatus, "error", error.message, loadLinks);
  }
}

document.getElementById("new-link-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  const body = {};
  if (form.elements.hours.value) body.expires_in_hours = Number(form.elements.hours.value);
  if (form.elements.uses.value) body.max_uses = Number(form.elements.uses.value);
  try {
    await api("POST", `/groups/${gid}/invite-links`, body);
    form.reset();
    loadLinks();
  } catch (error) {
    formError(form, error.message);
  }
});

// --- settings ---
const settingsForm = document.getElementById("settings-form");

async function loadGroup() {
  group = await api("GET", `/groups/${gid}`);
  document.getElementById("group-name").textContent = group.name;
  for (const name of ["name", "description", "join_policy", "member_cap", "subgroups_by"]) {
    settingsForm.elements[name].value = group[name] ?? "";
  }
  settingsForm.elements.join_question.value = group.join_question ?? "";
}

settingsForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = settingsForm;
  formError(form, null);
  form.querySelector(".ok").hidden = true;
  try {
    await api("PATCH", `/groups/${gid}`, {
      name: form.elements.name.value,
      description: form.elements.description.value,
      join_policy: form.elements.join_policy.value,
      join_question: form.elements.join_question.value || null,
      member_cap: Number(form.elements.member_cap.value),
      subgroups_by: form.elements.subgroups_by.value,
    });
    await loadGroup();
    form.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(form, error.message);
  }
});

// --- sub-groups ---
const subgroupList = document.getElementById("subgroups");
const subgroupStatus = document.getElementById("subgroups-status");

async function loadSubgroups() {
  try {
    const subgroups = await api("GET", `/groups/${gid}/subgroups`);
    subgroupList.replaceChildren(...subgroups.map((g) => h("li", {},
      g.is_member ? h("a", { href: `/chats/${g.id}` }, g.name) : h("strong", {}, g.name),
      h("span", { class: "hint" }, ` · ${t("js.member_count", { count: g.member_count })}`))));
    showStatus(subgroupStatus, subgroups.length ? "ready" : "empty", t("js.no_subgroups"));
  } catch (error) {
    showStatus(subgroupStatus, "error", error.message, loadSubgroups);
  }
}

document.getElementById("new-subgroup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  try {
    await api("POST", `/groups/${gid}/subgroups`, { name: form.elements.name.value });
    form.reset();
    loadSubgroups();
  } catch (error) {
    formError(form, error.message);
  }
});

// --- members ---
const memberList = document.getElementById("members");
const memberStatus = document.getElementById("members-status");

// Each member comes with what I may do to them (decided by the server); only those are offered.
const ACTIONS = {
  make_admin: (member) => ({ label: t("js.make_admin"), style: "secondary",
    run: () => api("PUT", `/groups/${gid}/members/${member.user_id}/role`, { role: "admin" }) }),
  make_member: (member) => ({ label: t("js.dismiss_admin"), style: "secondary",
    run: () => api("PUT", `/groups/${gid}/members/${member.user_id}/role`, { role: "member" }) }),
  transfer_ownership: (member) => ({ label: t("js.make_owner"), style: "secondary",
    confirm: t("js.confirm_make_owner", { name: member.display_name }),
    run: () => api("POST", `/groups/${gid}/owner`, { user_id: member.user_id }) }),
  remove: (member) => ({ label: t("js.remove"), style: "danger",
    confirm: t("js.confirm_remove", { name: member.display_name }),
    run: () => api("DELETE", `/groups/${gid}/members/${member.user_id}`) }),
};

function memberRow(member) {
  const buttons = member.allowed_actions.filter((code) => code in ACTIONS).map((code) => {
    const action = ACTIONS[code](member);
    return h("button", {
      type: "button", class: action.style,
      onclick: async () => {
        if (action.confirm && !confirm(action.confirm)) return;
        try {
          await action.run();
          loadMembers();
        } catch (error) {
          showStatus(memberStatus, "error", error.message, loadMembers);
        }
      },
    }, action.label);
  });
  return h("li", { class: "row" },
    h("strong", {}, member.display_name),
    h("span", { class: "pill" }, t(`js.role_${member.role}`)),
    ...buttons);
}

async function loadMembers() {
  try {
    const members = await api("GET", `/groups/${gid}/members`);
    memberList.replaceChildren(...members.map(memberRow));
    showStatus(memberStatus, "ready");
  } catch (error) {
    showStatus(memberStatus, "error", error.message, loadMembers);
  }
}

// --- norms: what the server enforces when members share products into this group ---
const normsForm = document.getElementById("norms-form");

function showNorms(norms) {
  const fields = normsForm.elements;
  fields.disputed_enabled.checked = norms.disputed_enabled;
  fields.disputed_min_reviews.value = norms.disputed_min_reviews;
  fields.disputed_low_percent.value = norms.disputed_low_percent;
  fields.promotion_cap.value = norms.promotion_cap ?? "";
  fields.cooldown_hours.value = norms.cooldown_hours;
}

async function loadNorms() {
  const status = document.getElementById("norms-status");
  try {
    showNorms(await api("GET", `/groups/${gid}/norms`));
    normsForm.hidden = false;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, loadNorms);
  }
}

normsForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(normsForm, null);
  normsForm.querySelector(".ok").hidden = true;
  const fields = normsForm.elements;
  const cap = fields.promotion_cap.value.trim();
  const body = {
    disputed_enabled: fields.disputed_enabled.checked,
    disputed_min_reviews: Number(fields.disputed_min_reviews.value),
    disputed_low_percent: Number(fields.disputed_low_percent.value),
    cooldown_hours: Number(fields.cooldown_hours.value),
  };
  if (cap === "") body.no_promotion_cap = true;
  else body.promotion_cap = Number(cap);
  try {
    showNorms(await api("PATCH", `/groups/${gid}/norms`, body));
    normsForm.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(normsForm, error.message);
  }
});

await Promise.all([loadGroup(), loadLinks(), loadSubgroups(), loadMembers(), loadNorms()]);
