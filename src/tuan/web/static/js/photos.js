// Photos people choose from their camera roll (a review, a note): each uploaded like a chat
// photo, with one optional description per photo (its alt text for readers who use a screen
// reader), each field named after its photo and shown beside a preview of it (read as a data:
// URL, which the page's image policy allows).
import { t } from "./boot.js";
import { api } from "./api.js";
import { h } from "./dom.js";

const MAX_PHOTOS = 9;

// Uploads the files and returns their keys, in order: into a chat's image store (the one
// `conversationId()` names), or, with no chat to name (a note), through the notes' own upload.
export async function uploadPhotos(files, conversationId) {
  if (!files.length) return [];
  const target = conversationId ? await conversationId() : null;
  if (conversationId && !target) throw new Error(t("js.photos_need_chat"));
  const path = target ? `/conversations/${target}/images` : "/notes/images";
  const keys = [];
  for (const file of files) {
    const form = new FormData();
    form.append("file", file);
    keys.push((await api("POST", path, undefined, { form })).key);
  }
  return keys;
}

// Any open chat of mine: where a photo with no chat of its own is stored.
export async function anyOpenChat() {
  const chats = await api("GET", "/conversations");
  return chats.find((c) => !c.closed)?.id ?? null;
}

function preview(file) {
  const image = h("img", { alt: "", width: 64, height: 64, class: "photo-alt-preview" });
  const reader = new FileReader();
  reader.addEventListener("load", () => { image.src = reader.result; });
  reader.readAsDataURL(file);
  return image;
}

// The description fields for a file input: `prefix` names the elements of the page
// (`${prefix}-alts` shown once photos are chosen, `${prefix}-alt-fields` holding a field each,
// `${prefix}-alts-hint` describing them).
export function photoPicker(input, prefix) {
  const fields = document.getElementById(`${prefix}-alt-fields`);
  const chosen = () => [...input.files].slice(0, MAX_PHOTOS);
  const refresh = () => {
    const files = chosen();
    fields.replaceChildren(...files.map((file, index) => {
      const id = `${prefix}-alt-${index}`;
      return h("div", { class: "row photo-alt" },
        preview(file),
        h("div", { class: "stack" },
          h("label", { for: id }, t("js.describe_photo"), " ",
            h("span", { class: "hint" }, t("js.describe_photo_which", { number: index + 1, name: file.name }))),
          h("input", { id, name: "photo_alt", type: "text", maxlength: 300, "aria-describedby": `${prefix}-alts-hint` })));
    }));
    document.getElementById(`${prefix}-alts`).hidden = !files.length;
  };
  input.addEventListener("change", refresh);
  const alts = () => [...fields.querySelectorAll("input[name=photo_alt]")].map((field) => field.value.trim());
  return { chosen, refresh, alts };
}
