// What a reader does with a note: like it, mark it helpful, save it into a collection. Each
// button shows the count the server gives and whether the reader did it (aria-pressed); after a
// change the note is read again, so the figures are the server's. Signed out, the API's 401
// leads to the log-in page and back.
import { formatNumber, t } from "./boot.js";
import { api } from "./api.js";
import { formError, h } from "./dom.js";

function toggle(label, count, pressed, onclick) {
  return h("button", { type: "button", class: "secondary act", "aria-pressed": String(pressed), onclick },
    label, " ", h("span", { class: "count" }, formatNumber(count)));
}

// The buttons for `note` in `holder`; `reload()` reads the note again and calls this anew.
export function noteActs(note, holder, reload) {
  if (!("likes" in note)) return; // an API without interactions yet: nothing to offer
  const act = (name, done) => async () => {
    await api(done ? "DELETE" : "PUT", `/notes/${note.id}/${name}`);
    await reload();
  };
  const save = toggle(t("js.note_save"), note.saves, note.saved, () => openSave(note, panel, save, reload));
  save.setAttribute("aria-expanded", "false");
  save.setAttribute("aria-controls", "note-save-panel");
  const panel = h("div", { id: "note-save-panel", class: "card note-save", hidden: true });
  holder.replaceChildren(
    toggle(t("js.note_like"), note.likes, note.liked, act("like", note.liked)),
    toggle(t("js.note_helpful"), note.helpful, note.marked_helpful, act("helpful", note.marked_helpful)),
    save,
    panel);
}

async function openSave(note, panel, button, reload) {
  const open = panel.hidden;
  panel.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  if (!open) return;
  const mine = await api("GET", "/collections");
  const into = async (collectionId) => {
    await api("PUT", `/collections/${collectionId}/notes/${note.id}`);
    await reload();
  };
  const form = h("form", { class: "stack", id: "new-collection-form" },
    h("label", { for: "new-collection-name" }, t("js.note_new_collection")),
    h("input", { id: "new-collection-name", name: "name", type: "text", autocomplete: "off" }),
    h("div", { class: "row" },
      h("input", { id: "new-collection-public", name: "public", type: "checkbox" }),
      h("label", { for: "new-collection-public" }, t("js.note_collection_public"))),
    h("button", { type: "submit" }, t("js.note_create_and_save")),
    h("p", { class: "error", role: "alert", hidden: true }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, null);
    try {
      const made = await api("POST", "/collections", {
        name: form.elements.name.value.trim(), public: form.elements.public.checked,
      });
      await into(made.id);
    } catch (error) {
      formError(form, error.message);
    }
  });
  panel.replaceChildren(
    h("h2", {}, t("js.note_save_into")),
    mine.length
      ? h("ul", { class: "list" }, mine.map((collection) => h("li", { class: "row" },
        h("span", { class: "name" }, collection.name),
        h("span", { class: "hint" }, collection.public ? t("js.note_collection_is_public") : t("js.note_collection_is_private")),
        h("button", {
          type: "button", class: "secondary", onclick: () => into(collection.id),
          "aria-label": t("js.note_save_into_named", { name: collection.name }),
        }, t("js.note_save_here")))))
      : h("p", { class: "hint" }, t("js.note_no_collections")),
    form);
}
