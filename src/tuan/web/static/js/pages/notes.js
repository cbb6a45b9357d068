// The notes feeds: Discover (ranked, each with why it is shown, in the reader's language) and
// Following (newest first, paged), or a search over notes by words or #tag.
import { locale, t } from "../boot.js";
import { api } from "../api.js";
import { showStatus } from "../dom.js";
import { noteCard } from "../notes.js";
import { noteSettings } from "../note_settings.js";

const root = document.getElementById("notes-hub");
const feed = document.getElementById("feed");
const status = document.getElementById("feed-status");
const more = document.getElementById("feed-more");
const q = root.dataset.q;
let before = null;

// "#露营" asks for a tag, anything else for words.
function path() {
  const page = before ? `&before=${before}` : "";
  if (q) {
    const tag = /^#\S+$/.test(q) ? `tag=${encodeURIComponent(q)}` : `q=${encodeURIComponent(q)}`;
    return `/notes/search?${tag}&limit=20${page}`;
  }
  if (root.dataset.tab === "following") return `/notes/following?limit=20${page}`;
  return `/notes/discover?limit=20&lang=${encodeURIComponent(locale)}`;
}

async function load() {
  showStatus(status, "loading", t("js.loading"));
  try {
    const page = await api("GET", path());
    const notes = page.items ?? page.notes;
    feed.append(...notes.map(noteCard));
    before = page.next_before ?? null;
    more.hidden = !before;
    const empty = q ? t("js.nothing_found") : root.dataset.tab === "following" ? t("js.note_following_empty") : t("js.note_discover_empty");
    showStatus(status, feed.children.length ? "ready" : "empty", empty);
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

more.addEventListener("click", load);
await Promise.all([load(), noteSettings()]);
