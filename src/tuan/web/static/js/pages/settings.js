// My settings: privacy choices (each saved as soon as it changes) and my profile.
import { api } from "../api.js";
import { t } from "../boot.js";
import { formError, h, showStatus } from "../dom.js";

const privacy = document.getElementById("privacy-form");
const receipts = document.getElementById("share-read-receipts");

// Who sees my purchases and my ratings: nobody (the default), friends, people in a group I am in,
// or people in groups I choose. Saved as soon as it changes.
let groups = [];

function saved(ok) {
  privacy.querySelector(".ok").hidden = !ok;
}

function showAudience(kind, setting) {
  const fieldset = document.getElementById(`${kind}-audience`);
  fieldset.querySelector("select").value = setting.audience;
  const chooser = fieldset.querySelector(".audience-groups");
  chooser.hidden = setting.audience !== "groups";
  const chosen = new Set(setting.group_ids);
  const boxes = fieldset.querySelector(".group-choices");
  if (!groups.length) {
    boxes.replaceChildren(h("span", { class: "hint" }, t("js.no_groups_to_choose")));
    return;
  }
  boxes.replaceChildren(...groups.map((group) => {
    const id = `${kind}-group-${group.id}`;
    return h("div", { class: "row" },
      h("input", { type: "checkbox", id, value: group.id, checked: chosen.has(group.id), onchange: () => saveAudience(kind) }),
      h("label", { for: id }, group.title));
  }));
}

async function saveAudience(kind) {
  const fieldset = document.getElementById(`${kind}-audience`);
  const audience = fieldset.querySelector("select").value;
  const groupIds = [...fieldset.querySelectorAll(".group-choices input:checked")].map((box) => Number(box.value));
  formError(privacy, null);
  saved(false);
  fieldset.querySelector(".audience-groups").hidden = audience !== "groups";
  if (audience === "groups" && !groupIds.length) return; // saved once a group is chosen
  try {
    const settings = await api("PUT", `/me/privacy/${kind}`, { audience, group_ids: groupIds });
    showAudience(kind, settings[kind]);
    saved(true);
  } catch (error) {
    formError(privacy, error.message);
  }
}

for (const kind of ["purchases", "ratings"]) {
  document.getElementById(`${kind}-select`).addEventListener("change", () => saveAudience(kind));
}

async function loadPrivacy() {
  try {
    const [preferences, settings, chats] = await Promise.all([
      api("GET", "/me/chat-preferences"), api("GET", "/me/privacy"), api("GET", "/conversations"),
    ]);
    receipts.checked = preferences.share_read_receipts;
    groups = chats.filter((c) => c.kind === "group" && !c.closed);
    showAudience("purchases", settings.purchases);
    showAudience("ratings", settings.ratings);
    showStatus(document.getElementById("privacy-status"), "ready");
  } catch (error) {
    showStatus(document.getElementById("privacy-status"), "error", error.message, loadPrivacy);
  }
}

receipts.addEventListener("change", async () => {
  formError(privacy, null);
  privacy.querySelector(".ok").hidden = true;
  try {
    const saved = await api("PUT", "/me/chat-preferences", { share_read_receipts: receipts.checked });
    receipts.checked = saved.share_read_receipts;
    privacy.querySelector(".ok").hidden = false;
  } catch (error) {
    receipts.checked = !receipts.checked;
    formError(privacy, error.message);
  }
});

const profile = document.getElementById("profile-form");
profile.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(profile, null);
  profile.querySelector(".ok").hidden = true;
  try {
    await api("PATCH", "/me", {
      display_name: profile.elements.display_name.value,
      bio: profile.elements.bio.value,
    });
    const file = profile.elements.avatar.files[0];
    if (file) {
      const form = new FormData();
      form.append("file", file);
      await api("PUT", "/me/avatar", undefined, { form });
      profile.elements.avatar.value = "";
    }
    profile.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(profile, error.message);
  }
});

await loadPrivacy();
