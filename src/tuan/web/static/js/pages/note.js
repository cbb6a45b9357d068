// A note: its photos (each with the author's description), words, tags, area, author, and the
// products it links with their price now, a verified-purchase badge where the author bought
// one, and a buy button that buys through the author's share. Its author may delete it.
import { formatMoney, formatTime, me, t } from "../boot.js";
import { api } from "../api.js";
import { formError, h, showStatus, thumb, timeElement } from "../dom.js";
import { productHref } from "../cards.js";
import { noteActs } from "../note_acts.js";
import { noteComments } from "../note_comments.js";
import { followButton } from "../notes.js";

const root = document.getElementById("note");
const noteId = Number(root.dataset.noteId);
const status = document.getElementById("note-status");
const signedIn = Boolean(root.dataset.signedIn);

const AUDIENCES = {
  everyone: () => t("js.note_audience_everyone"),
  friends: () => t("js.note_audience_friends"),
  groups: () => t("js.note_audience_groups"),
  me: () => t("js.note_audience_me"),
};

// Signed out, buying starts by signing in, and comes back to the product with the share.
function buyHref(product) {
  const href = productHref(product.product_id, product.share_id);
  return signedIn ? href : `/login?next=${encodeURIComponent(href)}`;
}

function productItem(product) {
  const image = product.image_url
    ? h("img", { src: thumb(product.image_url, 160), alt: "", width: 72, height: 72 })
    : h("span", { class: "placeholder" });
  return h("li", { class: "note-product", dataset: { productId: product.product_id } },
    image,
    h("div", { class: "stack" },
      h("a", { class: "name", href: productHref(product.product_id, product.share_id) }, product.name),
      h("span", {},
        h("span", { class: "price" }, formatMoney(product.price, product.currency)),
        product.verified_purchase ? h("span", { class: "pill verified" }, t("js.verified_purchase")) : null),
      product.on_sale
        ? h("a", { class: "button buy", href: buyHref(product), "aria-label": t("js.note_buy_named", { name: product.name }) }, t("js.note_buy"))
        : h("span", { class: "hint" }, t("js.note_not_on_sale"))));
}

function render(note) {
  document.title = `${note.title} · ${t("js.app_name")}`;
  document.getElementById("note-photos").replaceChildren(...note.photos.map((photo) =>
    h("img", { src: thumb(photo.url, 640), alt: photo.alt || t("js.photo"), loading: "lazy" })));
  document.getElementById("note-heading").textContent = note.title;
  const author = document.getElementById("note-author");
  author.textContent = note.author_display_name;
  author.href = `/people/${encodeURIComponent(note.author_username)}/notes`;
  document.getElementById("note-when").replaceChildren(timeElement(note.created_at, formatTime(note.created_at)));
  const audience = document.getElementById("note-audience");
  const mine = me?.id === note.author_id;
  audience.hidden = !mine;
  audience.textContent = mine ? (AUDIENCES[note.audience] ?? AUDIENCES.me)() : "";
  document.getElementById("note-text").textContent = note.text;
  document.getElementById("note-tags").replaceChildren(...note.tags.map((tag) => h("li", { class: "pill" }, `#${tag}`)));
  const area = document.getElementById("note-area");
  area.hidden = !note.area;
  area.textContent = note.area ? t("js.note_area", { area: note.area }) : "";
  document.getElementById("note-products-section").hidden = !note.products.length;
  document.getElementById("note-products").replaceChildren(...note.products.map(productItem));
  document.getElementById("note-delete").hidden = !mine;
  // An operator hid it: said to its author only (others no longer see it at all).
  const hidden = document.getElementById("note-hidden");
  hidden.hidden = note.status !== "hidden";
  hidden.textContent = note.status === "hidden" ? t("js.note_hidden", { reason: note.hidden_reason ?? "" }) : "";
  // Reporting came with likes (the interactions API); not one's own note.
  document.getElementById("note-report").hidden = !(me && !mine && "likes" in note);
  // Set by the server while the author earns through the note; nobody removes it.
  document.getElementById("note-sponsored").hidden = !note.sponsored;
  const edited = document.getElementById("note-edited");
  edited.hidden = !note.edited_at;
  edited.textContent = note.edited_at ? ` · ${t("js.note_edited")}` : "";
  // Forwarding and editing came with the edited mark (ADR 0013's third step).
  const lifecycle = "edited_at" in note;
  document.getElementById("note-edit").hidden = !(mine && lifecycle);
  if (mine && lifecycle) fillEdit(note);
  if (me && lifecycle) showForward();
  noteActs(note, document.getElementById("note-actions"), reload);
}

async function reload() {
  const note = await api("GET", `/notes/${noteId}`);
  render(note);
  return note;
}

function fillEdit(note) {
  const form = document.getElementById("note-edit-form");
  if (form.dataset.filled) return;
  form.dataset.filled = "yes";
  form.elements.title.value = note.title;
  form.elements.text.value = note.text;
  form.elements.tags.value = note.tags.map((tag) => `#${tag}`).join(" ");
  form.elements.area.value = note.area ?? "";
  // A note to chosen groups keeps them unless the author picks another audience here.
  const audience = form.querySelector(`input[name=audience][value="${note.audience}"]`);
  if (audience) audience.checked = true;
}

document.getElementById("note-edit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  try {
    await api("PATCH", `/notes/${noteId}`, {
      title: form.elements.title.value.trim(),
      text: form.elements.text.value.trim(),
      tags: form.elements.tags.value.split(/[\s,，、]+/).filter(Boolean),
      area: form.elements.area.value.trim(),
      ...(form.elements.audience.value ? { audience: form.elements.audience.value } : {}),
    });
    form.closest("details").open = false;
    await reload();
  } catch (error) {
    formError(form, error.message);
  }
});

document.getElementById("note-report-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  form.querySelector(".ok").hidden = true;
  try {
    await api("POST", `/notes/${noteId}/reports`, { reason: form.elements.reason.value.trim() });
    form.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(form, error.message);
  }
});

// Into one of my open chats, as a card its members read as the note's audience allows.
async function showForward() {
  const section = document.getElementById("note-forward");
  if (!section.hidden) return;
  const chats = (await api("GET", "/conversations")).filter((c) => !c.closed);
  document.getElementById("forward-to").replaceChildren(...chats.map((c) => h("option", { value: c.id }, c.title)));
  section.hidden = chats.length === 0;
}

document.getElementById("note-forward-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  const conversationId = Number(form.elements.conversation.value);
  try {
    await api("POST", `/notes/${noteId}/forwards`, { conversation_id: conversationId, text: form.elements.words.value.trim() });
    location.assign(`/chats/${conversationId}`);
  } catch (error) {
    formError(form, error.message);
  }
});

// Following the author from their note (counted as coming from it).
async function showFollow(note) {
  if (!me || me.id === note.author_id) return;
  const author = await api("GET", `/people/${note.author_id}/notes-profile?limit=1`).catch(() => null);
  if (!author) return; // no people API yet
  const follow = followButton({ ...author, display_name: note.author_display_name }, note.id);
  const mute = h("button", { type: "button", class: "secondary", id: "mute-author" }, t("js.note_mute_author", { name: note.author_display_name }));
  mute.addEventListener("click", async () => {
    await api("PUT", `/people/${note.author_id}/mute`);
    mute.replaceWith(h("span", { class: "hint", role: "status" }, t("js.note_muted_author", { name: note.author_display_name })));
  });
  document.getElementById("note-follow").replaceChildren(h("div", { class: "row" }, follow, mute));
}

async function load() {
  try {
    const note = await reload();
    document.getElementById("note-body").hidden = false;
    showStatus(status, "ready");
    await Promise.all([
      noteComments(noteId, document.getElementById("note-comments-section")),
      showFollow(note),
    ]);
  } catch (error) {
    showStatus(status, "error", error.message, error.status === 404 ? null : load);
  }
}

document.getElementById("note-delete-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  try {
    await api("DELETE", `/notes/${noteId}`);
    location.assign("/notes?deleted=1");
  } catch (error) {
    formError(form, error.message);
  }
});

await load();
