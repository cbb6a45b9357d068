// "Download my data": ask for an export (one a day; the server says which), watch it being
// built, then offer its download link until it expires.
import { api } from "../api.js";
import { formatTime, t } from "../boot.js";
import { h } from "../dom.js";

const section = document.getElementById("my-data");
const button = document.getElementById("export-button");
const status = document.getElementById("export-status");
const error = section.querySelector(".error");
const POLL_MS = 1500;

function show(exported) {
  if (!exported) {
    status.replaceChildren();
    return;
  }
  if (exported.status !== "ready") {
    status.replaceChildren(t("js.export_building"));
    setTimeout(() => follow(exported.id), POLL_MS);
    return;
  }
  if (new Date(exported.expires_at) <= new Date()) {
    status.replaceChildren();
    return;
  }
  status.replaceChildren(
    h("a", { href: exported.download, download: "" }, t("js.export_download")),
    " ",
    h("small", { class: "hint" }, t("js.export_expires", { when: formatTime(exported.expires_at) })),
  );
}

async function follow(id) {
  try {
    show(await api("GET", `/me/exports/${id}`));
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  }
}

button.addEventListener("click", async () => {
  error.hidden = true;
  button.disabled = true;
  try {
    show(await api("POST", "/me/exports"));
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});

api("GET", "/me/exports").then((exports) => show(exports[0])).catch(() => {});
