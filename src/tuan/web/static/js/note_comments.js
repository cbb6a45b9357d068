// A note's comments, one level deep: each with its replies, a reply form, and delete for its
// author. A deleted or removed comment with replies stays as a line saying so. What people
// write goes in as text.
import { formatTime, me, t } from "./boot.js";
import { api } from "./api.js";
import { formError, h, timeElement } from "./dom.js";

const GONE = {
  deleted: () => t("js.note_comment_deleted"),
  removed: () => t("js.note_comment_removed"),
};

function commentForm(noteId, parentId, reload, label) {
  const id = parentId ? `reply-${parentId}` : "comment-text";
  const form = h("form", { class: "stack comment-form" },
    h("label", { for: id }, label),
    h("textarea", { id, name: "text", rows: 2 }),
    h("button", { type: "submit" }, parentId ? t("js.note_reply_send") : t("js.note_comment_send")),
    h("p", { class: "error", role: "alert", hidden: true }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(form, null);
    try {
      await api("POST", `/notes/${noteId}/comments`, { text: form.elements.text.value.trim(), parent_id: parentId });
      await reload();
    } catch (error) {
      formError(form, error.message);
    }
  });
  return form;
}

function comment(noteId, item, reload, topId) {
  const gone = GONE[item.status];
  const who = item.author_display_name ?? t("js.deleted_user");
  const body = gone
    ? h("p", { class: "hint" }, gone())
    : h("div", {},
      h("span", { class: "name" }, who), " · ",
      timeElement(item.created_at, formatTime(item.created_at)),
      h("p", { class: "comment-text" }, item.text),
      item.status === "hidden" ? h("p", { class: "notice" }, t("js.note_comment_hidden", { reason: item.hidden_reason ?? "" })) : null);
  const actions = h("div", { class: "row comment-actions" });
  if (!gone && me) {
    const reply = h("details", { class: "reply" },
      h("summary", {}, t("js.note_reply")),
      commentForm(noteId, topId, reload, t("js.note_reply_to", { name: who })));
    actions.append(reply);
    if (item.author_id === me.id) {
      actions.append(h("button", {
        type: "button", class: "secondary",
        onclick: async () => { await api("DELETE", `/notes/${noteId}/comments/${item.id}`); await reload(); },
      }, t("js.note_comment_delete")));
    }
  }
  return h("li", { id: `c${item.id}`, class: "note-comment" }, body, actions,
    item.replies?.length ? h("ul", { class: "list replies" }, item.replies.map((r) => comment(noteId, r, reload, topId))) : null);
}

// The comments of the note in `section`, read from the API (hidden when it has none).
export async function noteComments(noteId, section) {
  let page;
  try {
    page = await api("GET", `/notes/${noteId}/comments?limit=100`);
  } catch (error) {
    if (error.status === 404 || error.status === 405) return; // no comments API yet
    throw error;
  }
  const reload = () => noteComments(noteId, section);
  section.hidden = false;
  const list = page.comments.length
    ? h("ul", { class: "list", id: "note-comments" }, page.comments.map((c) => comment(noteId, c, reload, c.id)))
    : h("p", { class: "hint" }, t("js.note_no_comments"));
  section.replaceChildren(
    h("h2", { id: "note-comments-heading" }, t("js.note_comments")),
    list,
    me ? commentForm(noteId, null, reload, t("js.note_comment_label"))
      : h("a", { href: `/login?next=${encodeURIComponent(location.pathname)}` }, t("js.note_sign_in_to_comment")));
  if (location.hash.startsWith("#c")) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}
