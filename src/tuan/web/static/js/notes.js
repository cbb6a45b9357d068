// Notes in lists (the feeds, a profile, search): a card leading to the note, with its cover
// photo (described), title, author, tags, and, in Discover, why it is shown. And following a
// person, with the server's count.
import { formatWhen, me, t } from "./boot.js";
import { api } from "./api.js";
import { h, thumb, timeElement } from "./dom.js";

// A card from the Following feed, a profile or a search ({id, cover: {url, alt}, excerpt}) or
// from Discover ({note_id, cover_url, cover_alt, explanation}).
export function noteCard(note) {
  const id = note.id ?? note.note_id;
  const coverUrl = note.cover?.url ?? note.cover_url;
  const coverAlt = note.cover ? note.cover.alt : note.cover_alt;
  return h("li", { class: "note-card", dataset: { noteId: id } },
    h("a", { href: `/notes/${id}` },
      coverUrl ? h("img", { src: thumb(coverUrl, 320), alt: coverAlt || t("js.photo"), loading: "lazy" }) : null,
      h("span", { class: "title" }, note.title)),
    note.excerpt ? h("p", { class: "excerpt" }, note.excerpt) : null,
    note.explanation ? h("p", { class: "why" }, note.explanation) : null,
    h("p", { class: "hint by" },
      h("a", { href: `/people/${encodeURIComponent(note.author_username)}/notes` }, note.author_display_name),
      " · ", timeElement(note.created_at, formatWhen(note.created_at)),
      note.edited ? ` · ${t("js.note_edited")}` : null),
    note.tags?.length ? h("p", { class: "tags" }, note.tags.map((tag) => `#${tag}`).join(" ")) : null);
}

// A Follow button for `person` ({user_id, display_name, followed_by_you, followers}): pressed
// while followed; the count beside it is the server's after each change.
// `withCount`: false where the page shows the count already (a profile's head).
export function followButton(person, viaNoteId = null, onChange = () => {}, withCount = true) {
  if (!me || me.id === person.user_id) return null;
  const count = h("span", { class: "hint followers" }, t("js.note_followers", { count: person.followers }));
  const button = h("button", { type: "button", class: "secondary follow", "aria-pressed": String(person.followed_by_you) },
    person.followed_by_you ? t("js.note_following_person") : t("js.note_follow"));
  button.setAttribute("aria-label", t("js.note_follow_named", { name: person.display_name }));
  button.addEventListener("click", async () => {
    const following = button.getAttribute("aria-pressed") === "true";
    if (following) await api("DELETE", `/people/${person.user_id}/follow`);
    else await api("PUT", `/people/${person.user_id}/follow`, { via_note_id: viaNoteId });
    const now = await api("GET", `/people/${person.user_id}/notes-profile?limit=1`);
    button.setAttribute("aria-pressed", String(now.followed_by_you));
    button.textContent = now.followed_by_you ? t("js.note_following_person") : t("js.note_follow");
    count.textContent = t("js.note_followers", { count: now.followers });
    onChange(now);
  });
  return h("span", { class: "row follow-row" }, button, withCount ? count : null);
}
