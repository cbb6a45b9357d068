// People as the pages show them: an avatar (the photo, or the name's first letter) and a name
// that leads to their profile.
//
// An erased person's retained records (their blanked messages, card shells, orders) point at one
// shared tombstone account (ADR 0011). It is no one: it is named "Deleted user" in the reader's
// language, never by its stored English name, and it has no profile and no avatar. Its id is
// known here only, as the server said it (boot data, from tuan.core.personal.DELETED_USER_ID),
// so no page hard-codes the number; the API's person shapes carry an id nearly everywhere, so
// asking by id covers them all without a flag on each.
import { deletedUserId, deletedUsername, t } from "./boot.js";
import { api } from "./api.js";
import { h, thumb } from "./dom.js";

export const DELETED_USER_ID = deletedUserId;

export function isDeletedUser(id) {
  return id !== null && id !== undefined && Number(id) === DELETED_USER_ID;
}

// The name to show for person ``id``: the tombstone's in the reader's language, else ``name``.
export function personName(id, name) {
  return isDeletedUser(id) ? t("js.deleted_user") : name;
}

// Others' words that named an erased person: the erasure rewrote their "@username" to the
// tombstone's ("@~deleted"), which reads as "@Deleted user" in the reader's language.
const deletedMention = new RegExp(`@${deletedUsername?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g");

export function namingDeletedUser(text) {
  return deletedUsername && text ? text.replace(deletedMention, `@${t("js.deleted_user")}`) : text;
}

// A message its sender's erasure blanked in place (ADR 0011): from the deleted user, with no
// words and no payload left (blank JSON may come as null or as empty). It keeps its place.
export function erasedMessage(message) {
  const payload = message.payload ?? {};
  return isDeletedUser(message.sender_id) && !message.text && Object.keys(payload).length === 0;
}

// A person's name as a link to their profile, or as plain text for the deleted user.
export function personLink(person, { groupId = null, className = "person-name" } = {}) {
  if (isDeletedUser(person.id)) return h("span", { class: `${className} deleted-user` }, t("js.deleted_user"));
  return h("a", { href: profileUrl(person, groupId), class: className }, person.display_name);
}

export function avatar(person, size = "small") {
  if (isDeletedUser(person.id)) return h("span", { class: `avatar ${size} placeholder`, "aria-hidden": "true" });
  if (person.avatar_url) {
    return h("img", { class: `avatar ${size}`, src: thumb(person.avatar_url, 160), alt: "", width: 40, height: 40 });
  }
  return h("span", { class: `avatar ${size} placeholder`, "aria-hidden": "true" }, [...person.display_name][0] ?? "?");
}

// "/people/mei?group=12": the group says where the visitor met them (a friend request's context).
export function profileUrl(person, groupId = null) {
  if (isDeletedUser(person.id)) return null; // no profile: a link made of this leads nowhere
  const path = `/people/${encodeURIComponent(person.username)}`;
  return groupId ? `${path}?group=${groupId}` : path;
}

// One person in a list: avatar, name (a link to their profile), the verified flag, and `extra`.
export function personRow(person, { groupId = null, extra = [] } = {}) {
  return h("li", { class: "person-row", dataset: { userId: person.id } },
    avatar(person),
    h("div", { class: "person-row-main" },
      personLink(person, { groupId }),
      person.verified ? h("span", { class: "pill verified" }, t("js.verified")) : null,
      ...extra));
}

// Opens (creating it the first time) the direct chat with someone, and goes there.
export async function openDirectChat(userId) {
  const chat = await api("POST", "/conversations/direct", { user_id: userId });
  location.assign(`/chats/${chat.id}`);
}
