// A person's notes profile: who follows them and whom they follow, following them, what they
// are shown to know (in words), their notes the reader may see, and their public collections.
import { locale, me, t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus } from "../dom.js";
import { followButton, noteCard } from "../notes.js";

const root = document.getElementById("notes-profile");
const userId = Number(root.dataset.userId);
const status = document.getElementById("profile-status");
const more = document.getElementById("profile-more");
let before = null;

function counts(profile) {
  document.getElementById("profile-counts").textContent = [
    t("js.note_followers", { count: profile.followers }),
    t("js.note_following_count", { count: profile.following }),
  ].join(" · ");
}

function collections(list) {
  document.getElementById("profile-collections-section").hidden = !list.length;
  document.getElementById("profile-collections").replaceChildren(...list.map((c) =>
    h("li", {}, h("a", { class: "name", href: `/notes/collections/${c.id}` }, c.name), " · ", h("span", { class: "hint" }, t("js.note_collection_notes", { count: c.notes })))));
}

// Signed in only: what a person is shown to know depends on what the reader may see.
async function expertise() {
  if (!me) return;
  const said = await api("GET", `/people/${userId}/expertise?lang=${encodeURIComponent(locale)}`).catch(() => null);
  const found = said?.categories ?? [];
  const list = document.getElementById("expertise");
  list.hidden = !found.length;
  list.replaceChildren(...found.map((e) => h("li", { class: "pill expert" }, e.words)));
}

async function load() {
  showStatus(status, "loading", t("js.loading"));
  try {
    const profile = await api("GET", `/people/${userId}/notes-profile?limit=20${before ? `&before=${before}` : ""}`);
    if (!before) {
      counts(profile);
      const follow = followButton({ ...profile, display_name: root.dataset.displayName }, null, () => load.first(), false);
      document.getElementById("profile-follow").replaceChildren(...(follow ? [follow] : []));
      collections(profile.collections);
    }
    document.getElementById("profile-notes").append(...profile.notes.notes.map(noteCard));
    before = profile.notes.next_before;
    more.hidden = !before;
    const shown = document.getElementById("profile-notes").children.length;
    showStatus(status, shown ? "ready" : "empty", t("js.note_profile_empty"));
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

// After following: the counts again.
load.first = async () => counts(await api("GET", `/people/${userId}/notes-profile?limit=1`));

more.addEventListener("click", load);
await Promise.all([load(), expertise()]);
