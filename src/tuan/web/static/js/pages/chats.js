// The chat list: unread counts and muted chats, kept current by the live connection.
import { formatWhen, t } from "../boot.js";
import { api } from "../api.js";
import { formError, h, showStatus, timeElement } from "../dom.js";
import { Live, showConnection } from "../live.js";
import { CARD_KINDS, cardPreview } from "../social.js";
import { systemLine } from "../system_lines.js";
import { erasedMessage, namingDeletedUser, personName } from "../people.js";

const list = document.getElementById("chat-list");
const status = document.getElementById("chat-list-status");

function preview(message) {
  return namingDeletedUser(previewOf(message));
}

function previewOf(message) {
  if (!message) return t("js.no_messages_yet");
  if (message.deleted || erasedMessage(message)) return t("js.message_deleted");
  if (message.kind === "image") return t("js.photo");
  if (message.kind === "system") return systemLine(message);
  if (CARD_KINDS.has(message.kind)) return cardPreview(message);
  return message.text;
}

function row(chat) {
  const unread = chat.unread > 0
    ? h("span", { class: "badge", "aria-label": t("js.unread_count", { count: chat.unread }) }, String(chat.unread))
    : null;
  const muted = chat.muted ? h("span", { class: "muted-flag" }, ` · ${t("js.muted")}`) : null;
  return h("li", { dataset: { conversationId: chat.id } },
    h("a", { href: `/chats/${chat.id}` },
      h("span", { class: "title" }, personName(chat.partner_id, chat.title), muted),
      h("span", { class: "when" }, timeElement(chat.updated_at, formatWhen(chat.updated_at))),
      h("span", { class: "preview" }, preview(chat.last_message)),
      h("span", {}, unread)));
}

async function load() {
  try {
    const chats = await api("GET", "/conversations");
    list.replaceChildren(...chats.map(row));
    showStatus(status, chats.length ? "ready" : "empty", t("js.no_chats"));
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

// Many messages can arrive at once: reload the list at most every half second.
let pending = null;
function reloadSoon() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; load(); }, 500);
}

await load();
const live = new Live({
  onMessage: reloadSoon,
  onFrame: (frame) => {
    if (frame.type === "conversation_added" || frame.type === "conversation_removed") reloadSoon();
  },
  onState: (state) => {
    showConnection(state);
    if (state === "live") reloadSoon();
  },
});
live.connect();

document.getElementById("new-group-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  formError(form, null);
  try {
    const created = await api("POST", "/groups", {
      name: form.elements.name.value,
      join_policy: form.elements.join_policy.value,
    });
    location.assign(`/chats/${created.id}`);
  } catch (error) {
    formError(form, error.message);
  }
});

document.getElementById("join-code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  // A whole invite link pasted in works as well as its code.
  const code = event.currentTarget.elements.code.value.trim().split("/").pop();
  if (code) location.assign(`/invite/${encodeURIComponent(code)}`);
});
