// One chat: history, live messages, optimistic sending with retry, typing, read marker.
//
// Each message shown is kept by seq with the version it shows; a frame with a version not newer
// than that is a replay (after a reconnect) and is dropped, a newer one (an edit, a deletion,
// a reaction) replaces it. A message sent here appears at once as "sending", keyed by its
// client_id; the server's copy takes its place, and a send that could not go out says so with a
// Retry button (a retry reuses the client_id, so the server never stores it twice).
// The composer's second action posts its text as a request for a recommendation instead; the
// request's card then arrives through the socket like any message.
// The newest message stays in view, above the composer, while the reader is at the bottom (also
// when a photo or a card's live details arrive late); a reader who scrolled up is left there and
// told of new messages by a button that takes them down.
import { formatWhen, me, t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus, thumb, timeElement } from "../dom.js";
import { productLink, sharedProductCard } from "../cards.js";
import { CARD_KINDS, cardBody, refreshAsk, refreshAsks, refreshCards } from "../social.js";
import { Live, showConnection } from "../live.js";
import { systemLine } from "../system_lines.js";
import { erasedMessage as erased, isDeletedUser, namingDeletedUser, personName } from "../people.js";

const root = document.getElementById("chat");
const cid = Number(root.dataset.conversationId);
const list = document.getElementById("messages");
const status = document.getElementById("chat-status");
const composer = document.getElementById("composer");
const input = document.getElementById("composer-text");
const askButton = document.getElementById("composer-ask");
const typingLine = document.getElementById("typing");
const loadEarlier = document.getElementById("load-earlier");
const newMessages = document.getElementById("new-messages");
const composerError = document.getElementById("composer-error");

const shown = new Map(); // seq → {version, element}
const pending = new Map(); // client_id → {text, kind, payload, element, timer}
const arrived = new Set(); // client_ids of messages the server has (so never restored again)
const names = new Map(); // user id → display name
let oldestSeq = null;
let newestSeq = 0;
let conversation = null;
const ACK_TIMEOUT_MS = 10000;
// Kinds the server rewrites in place (a digest growing, a request settled): not "edited".
const SERVER_REWRITTEN = new Set(["purchase_digest", "recommendation_ask"]);
const CARD_REFRESH_MS = 30000;
// Words written without a network wait on this device (across reloads) until the socket is back,
// then go with their client_id, in order: the server stores each once. Photos are not kept (an
// upload needs the network first).
const OUTBOX = `tuan.outbox.${me.id}.${cid}`;

function keepOutbox() {
  const waiting = [...pending].filter(([, item]) => item.kind === "text" && item.state !== "sent")
    .map(([clientId, item]) => ({ clientId, kind: item.kind, text: item.text, payload: item.payload }));
  try {
    if (waiting.length) localStorage.setItem(OUTBOX, JSON.stringify(waiting));
    else localStorage.removeItem(OUTBOX);
  } catch {
    // storage full or refused: the message still waits in this page
  }
}

function restoreOutbox() {
  let waiting = [];
  try {
    waiting = JSON.parse(localStorage.getItem(OUTBOX) ?? "[]");
  } catch {
    waiting = [];
  }
  for (const item of waiting) {
    if (pending.has(item.clientId) || arrived.has(item.clientId)) continue;
    placePending(item.clientId, item.kind, item.text, item.payload);
    setPendingState(item.clientId, "failed", t("js.offline_not_sent"));
  }
  keepOutbox();
}

function newClientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function body(message) {
  if (message.deleted || erased(message)) return h("p", { class: "text hint" }, t("js.message_deleted"));
  if (message.kind === "image") {
    return h("div", {},
      h("img", { src: thumb(`/media/${message.payload.key}`, 640), alt: message.text || t("js.photo") }),
      message.text ? h("p", { class: "text" }, message.text) : null);
  }
  if (CARD_KINDS.has(message.kind)) return cardBody(message, (id) => personName(id, names.get(id) ?? t("js.someone")));
  const link = productLink(message.text);
  if (link) return sharedProductCard(link);
  return h("p", { class: "text" }, message.text);
}

// Who wrote it: a member by name, the deleted user (no longer anyone, not a member) as such.
function senderLine(senderId) {
  if (isDeletedUser(senderId)) return h("div", { class: "who deleted-user" }, t("js.deleted_user"));
  return h("div", { class: "who" }, names.get(senderId) ?? t("js.former_member"));
}

function render(message) {
  if (message.kind === "system" && !message.deleted) {
    return h("li", { class: "message system", dataset: { seq: message.seq } }, systemLine(message));
  }
  const mine = message.sender_id === me.id;
  const who = mine || message.sender_id === null ? null : senderLine(message.sender_id);
  const classes = ["message", mine ? "mine" : "", CARD_KINDS.has(message.kind) ? `kind-${message.kind}` : "", erased(message) ? "erased" : ""];
  return h("li", { class: classes.filter(Boolean).join(" "), dataset: { seq: message.seq, kind: message.kind } },
    who, body(message),
    h("div", { class: "meta" },
      message.edited_at && !SERVER_REWRITTEN.has(message.kind) ? t("js.edited") : null,
      timeElement(message.created_at, formatWhen(message.created_at))));
}

function place(element, seq) {
  // Messages are ordered by seq; a late arrival goes before the first later one shown.
  for (const other of list.children) {
    const otherSeq = Number(other.dataset.seq);
    if (other.dataset.seq && otherSeq > seq) {
      list.insertBefore(element, other);
      return;
    }
  }
  const firstPending = list.querySelector("li.pending");
  list.insertBefore(element, firstPending);
}

// --- staying at the bottom ---
// The page itself scrolls and the composer sticks to the bottom of the screen, so "the bottom" is
// the end of the page: there the composer sits below the last message instead of over it.
const NEAR_BOTTOM_PX = 48;
let atBottom = true; // the reader is at the bottom: keep them there as the chat grows
let unseen = 0; // messages that arrived while the reader was scrolled up

function distanceFromBottom() {
  const page = document.scrollingElement;
  return page.scrollHeight - (page.scrollTop + window.innerHeight);
}

function scrollToBottom() {
  atBottom = true;
  window.scrollTo({ top: document.scrollingElement.scrollHeight, behavior: "instant" });
  showNewMessages(0);
}

function showNewMessages(count) {
  unseen = count;
  newMessages.hidden = count === 0;
  newMessages.textContent = t("js.new_messages", { count });
}

// Only the reader moving up leaves the bottom. A scroll event can also arrive after the page grew
// under a scroll of ours (a card's details landing between the scroll and its event, as happens
// on a busy machine); that is not the reader leaving, and the ResizeObserver takes us down again.
let lastTop = document.scrollingElement.scrollTop;
window.addEventListener("scroll", () => {
  const top = document.scrollingElement.scrollTop;
  if (distanceFromBottom() <= NEAR_BOTTOM_PX) atBottom = true;
  else if (top < lastTop) atBottom = false;
  lastTop = top;
  if (atBottom && unseen) showNewMessages(0);
}, { passive: true });
// Photos, live cards and a taller composer change the height after a message is placed; so does
// a phone's keyboard. At the bottom, stay there.
new ResizeObserver(() => { if (atBottom) scrollToBottom(); }).observe(root);
window.addEventListener("resize", () => { if (atBottom) scrollToBottom(); });
newMessages.addEventListener("click", () => {
  scrollToBottom();
  input.focus({ preventScroll: true });
});

function show(message) {
  const known = shown.get(message.seq);
  if (known && known.version >= message.version) return false; // a replay: already shown
  const element = render({ ...message, text: namingDeletedUser(message.text) });
  const mine = message.client_id && pending.get(message.client_id);
  if (known) {
    known.element.replaceWith(element);
  } else if (mine) {
    clearTimeout(mine.timer);
    mine.element.remove();
    pending.delete(message.client_id);
    keepOutbox();
    place(element, message.seq);
  } else {
    place(element, message.seq);
  }
  if (message.client_id) arrived.add(message.client_id);
  shown.set(message.seq, { version: message.version, element });
  if (oldestSeq === null || message.seq < oldestSeq) oldestSeq = message.seq;
  newestSeq = Math.max(newestSeq, message.seq);
  return true;
}

function setPendingState(clientId, state, reason) {
  const item = pending.get(clientId);
  if (!item) return;
  clearTimeout(item.timer);
  item.state = state;
  item.element.classList.toggle("failed", state === "failed");
  const meta = item.element.querySelector(".meta");
  if (state === "failed") {
    meta.replaceChildren(
      h("span", { role: "alert" }, reason ?? t("js.not_sent")),
      h("button", { type: "button", class: "secondary", onclick: () => trySend(clientId), text: t("js.retry") }));
  } else {
    meta.replaceChildren(state === "sent" ? t("js.sent") : t("js.sending"));
  }
}

function trySend(clientId) {
  const item = pending.get(clientId);
  if (!item) return;
  setPendingState(clientId, "sending");
  const frame = { type: "send", conversation_id: cid, client_id: clientId, kind: item.kind, text: item.text, payload: item.payload };
  if (!live.send(frame)) {
    setPendingState(clientId, "failed", t("js.offline_not_sent"));
    return;
  }
  item.timer = setTimeout(() => setPendingState(clientId, "failed"), ACK_TIMEOUT_MS);
}

function placePending(clientId, kind, text, payload) {
  const element = h("li", { class: "message mine pending", dataset: { clientId } },
    kind === "image" ? h("p", { class: "text" }, t("js.photo")) : h("p", { class: "text" }, text),
    h("div", { class: "meta" }, t("js.sending")));
  list.append(element);
  pending.set(clientId, { kind, text, payload, element, state: "sending", timer: null });
  keepOutbox();
}

function sendMessage(kind, text, payload = {}) {
  const clientId = newClientId();
  placePending(clientId, kind, text, payload);
  scrollToBottom(); // what I send, I see
  trySend(clientId);
}

let readTimer = null;
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (document.visibilityState === "visible" && newestSeq) live.send({ type: "read", conversation_id: cid, seq: newestSeq });
  }, 400);
}

const typists = new Map(); // user id → timer
function showTyping(userId) {
  clearTimeout(typists.get(userId));
  typists.set(userId, setTimeout(() => { typists.delete(userId); renderTyping(); }, 4000));
  renderTyping();
}
function renderTyping() {
  const who = [...typists.keys()].map((id) => names.get(id) ?? t("js.someone"));
  typingLine.textContent = who.length ? t("js.typing", { names: who.join(", ") }) : "";
}

const live = new Live({
  onMessage: async (conversationId, message) => {
    if (conversationId !== cid) return;
    const person = message.sender_id;
    if (person && !isDeletedUser(person) && !names.has(person)) {
      await loadMembersOnce();
      if (!names.has(person)) names.set(person, t("js.former_member"));
    }
    const added = !shown.has(message.seq);
    if (show(message)) {
      // An answer to a request: the request's card lists it.
      if (message.kind === "product_card" && message.payload?.ask_id) refreshAsk(message.payload.ask_id);
      typists.delete(message.sender_id);
      renderTyping();
      if (atBottom || (added && message.sender_id === me.id)) scrollToBottom();
      else if (added) showNewMessages(unseen + 1);
      markReadSoon();
    }
  },
  onFrame: (frame) => {
    if (frame.type === "ack") {
      setPendingState(frame.client_id, "sent");
      keepOutbox(); // the server has it: it no longer waits on this device
    }
    else if (frame.type === "error" && frame.ref && pending.has(frame.ref)) setPendingState(frame.ref, "failed", frame.message);
    else if (frame.type === "typing" && frame.conversation_id === cid) showTyping(frame.user_id);
    else if (frame.type === "ready") {
      // Back online: what could not go out goes now (same client_id, so at most once).
      for (const [clientId, item] of pending) if (item.state === "failed") trySend(clientId);
    }
  },
  onState: (state) => {
    showConnection(state);
    if (state === "offline") {
      for (const [clientId, item] of pending) if (item.state === "sending") setPendingState(clientId, "failed", t("js.offline_not_sent"));
    }
  },
});

// Someone new wrote: read the members again (once, however many of their messages arrive).
let membersReload = null;
function loadMembersOnce() {
  membersReload ??= loadMembers().catch(() => null).finally(() => { membersReload = null; });
  return membersReload;
}

async function loadMembers() {
  const members = await api("GET", `/conversations/${cid}/members`);
  for (const member of members) names.set(member.user_id, member.display_name);
  return members;
}

async function start() {
  showStatus(status, "loading", t("js.loading"));
  try {
    const [chats, page] = await Promise.all([
      api("GET", "/conversations"),
      api("GET", `/conversations/${cid}/messages?limit=50`),
      loadMembers(),
    ]);
    conversation = chats.find((c) => c.id === cid);
    const title = conversation ? personName(conversation.partner_id, conversation.title) : "";
    document.getElementById("chat-title").textContent = title;
    document.title = `${title} · ${t("js.app_name")}`;
    // The group says what this reader may do there; the admin page is for those who manage it.
    const group = conversation?.kind === "group" ? await api("GET", `/groups/${cid}`) : null;
    document.getElementById("admin-link").hidden = !group?.allowed_actions.includes("manage");
    renderMute();
    for (const message of page.messages) show(message);
    restoreOutbox();
    loadEarlier.hidden = !page.has_more;
    showStatus(status, page.messages.length ? "ready" : "empty", t("js.no_messages_yet"));
    if (!(await showLinkedMessage())) scrollToBottom();
    live.follow(cid, page.position);
    live.connect();
    markReadSoon();
  } catch (error) {
    showStatus(status, "error", error.message, start);
  }
}

// A link to one message (a notification's: /chats/7#m42) opens the chat at it, reading back a
// few pages if it is older than the latest; it is marked, and the reader is left there.
const LINKED = /^#m(\d+)$/;
const PAGES_BACK = 5;

async function showLinkedMessage() {
  const wanted = Number(LINKED.exec(location.hash)?.[1] ?? 0);
  if (!wanted) return false;
  for (let pages = 0; !shown.has(wanted) && !loadEarlier.hidden && pages < PAGES_BACK; pages++) {
    const earlier = await api("GET", `/conversations/${cid}/messages?before=${oldestSeq}&limit=50`);
    for (const message of earlier.messages) show(message);
    loadEarlier.hidden = !earlier.has_more;
  }
  const target = shown.get(wanted)?.element;
  if (!target) return false;
  atBottom = false;
  target.classList.add("linked");
  target.scrollIntoView({ block: "center" });
  return true;
}

function renderMute() {
  const button = document.getElementById("mute-toggle");
  button.hidden = !conversation;
  document.getElementById("chat-muted").hidden = !conversation?.muted;
  button.textContent = conversation?.muted ? t("js.unmute") : t("js.mute");
  button.setAttribute("aria-pressed", conversation?.muted ? "true" : "false");
}

document.getElementById("mute-toggle").addEventListener("click", async () => {
  const muting = !conversation.muted;
  const result = await api("PUT", `/conversations/${cid}/mute`, muting ? { forever: true } : { until: null });
  conversation.muted = result.muted_until !== null;
  renderMute();
});

loadEarlier.addEventListener("click", async () => {
  loadEarlier.disabled = true;
  atBottom = false; // reading back: older messages go above, the view stays where it is
  try {
    const page = await api("GET", `/conversations/${cid}/messages?before=${oldestSeq}&limit=50`);
    for (const message of page.messages) show(message);
    loadEarlier.hidden = !page.has_more;
  } finally {
    loadEarlier.disabled = false;
  }
});

composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) {
    composerSays(t("js.message_empty"));
    input.focus();
    return;
  }
  input.value = "";
  composerSays(null);
  showStatus(status, "ready");
  sendMessage("text", text);
  input.focus();
});

// A refusal of what is in the composer, said beside it (null: nothing to say).
function composerSays(text) {
  composerError.hidden = !text;
  composerError.textContent = text ?? "";
}

// Ask the chat for a recommendation with what is in the composer.
askButton.addEventListener("click", async () => {
  const text = input.value.trim();
  if (!text) {
    composerSays(t("err.ASK_EMPTY")); // beside the composer, where she looks
    input.focus();
    return;
  }
  askButton.disabled = true;
  try {
    await api("POST", "/asks", { text, conversation_ids: [cid] });
    if (input.value.trim() === text) input.value = "";
    composerSays(null);
  } catch (error) {
    composerSays(error.message);
  } finally {
    askButton.disabled = false;
    input.focus();
  }
});

// Enter sends, Shift+Enter starts a new line (as in every chat app).
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});
input.addEventListener("input", () => {
  if (!composerError.hidden && input.value.trim()) composerSays(null);
  live.send({ type: "typing", conversation_id: cid });
});

document.getElementById("composer-image").addEventListener("change", async (event) => {
  const file = event.currentTarget.files[0];
  event.currentTarget.value = "";
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  try {
    const image = await api("POST", `/conversations/${cid}/images`, undefined, { form });
    sendMessage("image", "", { key: image.key });
  } catch (error) {
    showStatus(status, "error", error.message);
  }
});

document.addEventListener("visibilitychange", markReadSoon);
await start();
// Cards show live prices, deal time and team fill: keep the moving ones current.
// Requests show their answers and the asker's choice: read those again too.
setInterval(() => {
  if (document.visibilityState !== "visible") return;
  refreshCards().catch(() => {});
  refreshAsks().catch(() => {});
}, CARD_REFRESH_MS);
