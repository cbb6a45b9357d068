// Collections: mine (every one, private ones too) or one collection with the notes in it the
// reader may see. Its owner makes it public or private and takes notes out of it.
import { me, t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus } from "../dom.js";

const root = document.getElementById("note-collections");
const collectionId = Number(root.dataset.collectionId);
const status = document.getElementById("collection-status");
const items = document.getElementById("collection-items");

function privacy(isPublic) {
  return isPublic ? t("js.note_collection_is_public") : t("js.note_collection_is_private");
}

async function mine() {
  const list = await api("GET", "/collections");
  items.replaceChildren(...list.map((c) => h("li", {},
    h("a", { href: `/notes/collections/${c.id}` }, c.name), " · ",
    h("span", { class: "hint" }, `${privacy(c.public)} · ${t("js.note_collection_notes", { count: c.notes })}`))));
  showStatus(status, list.length ? "ready" : "empty", t("js.note_no_collections_yet"));
}

async function one() {
  const collection = await api("GET", `/collections/${collectionId}`);
  const owner = me?.id === collection.owner_id;
  document.getElementById("collection-heading").textContent = collection.name;
  document.title = `${collection.name} · ${t("js.app_name")}`;
  document.getElementById("collection-about").textContent =
    t("js.note_collection_of", { name: collection.owner_username, privacy: privacy(collection.public) });
  const tools = document.getElementById("collection-owner-tools");
  tools.hidden = !owner;
  const publicBox = document.getElementById("collection-public");
  publicBox.checked = collection.public;
  publicBox.onchange = async () => {
    await api("PATCH", `/collections/${collectionId}`, { public: publicBox.checked });
    await one();
  };
  items.replaceChildren(...collection.notes.map((note) => h("li", { class: "row" },
    h("a", { href: `/notes/${note.note_id}`, class: "name" }, note.title),
    h("span", { class: "hint" }, note.author_display_name),
    owner ? h("button", {
      type: "button", class: "secondary", "aria-label": t("js.note_unsave_named", { name: note.title }),
      onclick: async () => { await api("DELETE", `/collections/${collectionId}/notes/${note.note_id}`); await one(); },
    }, t("js.note_unsave")) : null)));
  showStatus(status, collection.notes.length ? "ready" : "empty", t("js.note_collection_empty"));
}

try {
  await (collectionId ? one() : mine());
} catch (error) {
  showStatus(status, "error", error.message);
}
