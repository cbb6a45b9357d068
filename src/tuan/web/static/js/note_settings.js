// A person's own note settings on the notes page: the audience a new note starts with, whether
// nudges may reach them, and the words and people they muted in feeds and search. Each part shows
// once the API offers it.
import { t } from "./boot.js";
import { api } from "./api.js";
import { formError, h } from "./dom.js";

const box = document.getElementById("note-settings");
const form = document.getElementById("note-settings-form");

async function defaults() {
  const settings = await api("GET", "/me/note-settings").catch(() => null);
  if (!settings) return;
  form.elements.default_audience.value = settings.default_audience;
  form.elements.nudges.checked = settings.nudges;
  form.hidden = box.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(form, null);
  form.querySelector(".ok").hidden = true;
  try {
    await api("PUT", "/me/note-settings", {
      default_audience: form.elements.default_audience.value, nudges: form.elements.nudges.checked,
    });
    form.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(form, error.message);
  }
});

function unmuteRow(label, name, path) {
  return h("li", { class: "row" }, h("span", { class: "name" }, name),
    h("button", {
      type: "button", class: "secondary", "aria-label": label,
      onclick: async () => { await api("DELETE", path); await mutes(); },
    }, t("js.note_unmute")));
}

async function mutes() {
  const muted = await api("GET", "/me/mutes").catch(() => null);
  if (!muted) return;
  document.getElementById("muted-words").replaceChildren(...muted.keywords.map((word) =>
    unmuteRow(t("js.note_unmute_named", { name: word }), word, `/me/mutes/keywords/${encodeURIComponent(word)}`)));
  document.getElementById("muted-people").replaceChildren(...muted.people.map((person) =>
    unmuteRow(t("js.note_unmute_named", { name: person.display_name }), person.display_name, `/people/${person.id}/mute`)));
  document.getElementById("note-mutes").hidden = box.hidden = false;
}

const muteForm = document.getElementById("mute-word-form");
muteForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(muteForm, null);
  try {
    await api("POST", "/me/mutes/keywords", { keyword: muteForm.elements.keyword.value.trim() });
    muteForm.reset();
    await mutes();
  } catch (error) {
    formError(muteForm, error.message);
  }
});

export async function noteSettings() {
  await Promise.all([defaults(), mutes()]);
}
