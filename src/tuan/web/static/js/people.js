// People as the pages show them: an avatar (the photo, or the name's first letter) and a name
// that leads to their profile.
import { t } from "./boot.js";
import { api } from "./api.js";
import { h, thumb } from "./dom.js";

export function avatar(person, size = "small") {
  if (person.avatar_url) {
    return h("img", { class: `avatar ${size}`, src: thumb(person.avatar_url, 160), alt: "", width: 40, height: 40 });
  }
  return h("span", { class: `avatar ${size} placeholder`, "aria-hidden": "true" }, [...person.display_name][0] ?? "?");
}

// "/people/mei?group=12": the group says where the visitor met them (a friend request's context).
export function profileUrl(person, groupId = null) {
  const path = `/people/${encodeURIComponent(person.username)}`;
  return groupId ? `${path}?group=${groupId}` : path;
}

// One person in a list: avatar, name (a link to their profile), the verified flag, and `extra`.
export function personRow(person, { groupId = null, extra = [] } = {}) {
  return h("li", { class: "person-row", dataset: { userId: person.id } },
    avatar(person),
    h("div", { class: "person-row-main" },
      h("a", { href: profileUrl(person, groupId), class: "person-name" }, person.display_name),
      person.verified ? h("span", { class: "pill verified" }, t("js.verified")) : null,
      ...extra));
}

// Opens (creating it the first time) the direct chat with someone, and goes there.
export async function openDirectChat(userId) {
  const chat = await api("POST", "/conversations/direct", { user_id: userId });
  location.assign(`/chats/${chat.id}`);
}
