// "Delete my account": what must be settled first, then the password and a question before the
// request. The server decides everything (what is pending, the password, the waiting period);
// this page shows its answers. Asking ends every session, this one too, so the page then goes
// to the log-in page, which says when the account will be erased.
import { api } from "../api.js";
import { h, showStatus } from "../dom.js";

const status = document.getElementById("obligations-status");
const pending = document.getElementById("obligations");
const nothingPending = document.getElementById("obligations-none");
const form = document.getElementById("deletion-form");
const password = document.getElementById("deletion-password");
const passwordError = document.getElementById("deletion-password-error");
const button = document.getElementById("deletion-button");
const question = document.getElementById("deletion-confirm");
const yes = document.getElementById("deletion-yes");
const keep = document.getElementById("deletion-keep");
const refusal = document.getElementById("deletion-error");

// One line per obligation; the line is a link to the page where it is settled, when there is one.
function obligationItems(items) {
  return items.map((item) => h("li", {}, item.link ? h("a", { href: item.link }, item.message) : item.message));
}

function showPending(items) {
  pending.replaceChildren(...obligationItems(items));
  pending.hidden = !items.length;
  nothingPending.hidden = items.length > 0;
}

async function loadPending() {
  try {
    showPending(await api("GET", "/me/deletion/obligations"));
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, loadPending);
  }
}

function showPasswordError(message) {
  passwordError.textContent = message ?? "";
  passwordError.hidden = !message;
  if (message) {
    password.setAttribute("aria-invalid", "true");
    password.setAttribute("aria-describedby", "deletion-password-hint deletion-password-error");
  } else {
    password.removeAttribute("aria-invalid");
    password.setAttribute("aria-describedby", "deletion-password-hint");
  }
}

// A refusal: its sentence, and the things it names as a list of links (409 DELETION_BLOCKED).
function showRefusal(error) {
  refusal.hidden = !error;
  if (!error) {
    refusal.replaceChildren();
    return;
  }
  const list = error.items.length ? h("ul", { id: "deletion-refused-items" }, obligationItems(error.items)) : null;
  refusal.replaceChildren(h("p", {}, error.message), list);
  if (error.items.length) showPending(error.items);
}

function asking(ask) {
  question.hidden = !ask;
  button.hidden = ask;
  (ask ? keep : button).focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  showPasswordError(null);
  showRefusal(null);
  asking(true);
});

keep.addEventListener("click", () => asking(false));

yes.addEventListener("click", async () => {
  yes.disabled = true;
  try {
    const deletion = await api("POST", "/me/deletion", { password: password.value });
    const erasure = new URLSearchParams({ deletion: "requested", erase_after: deletion.erase_after });
    location.replace(`/login?${erasure}`);
  } catch (error) {
    asking(false);
    password.value = ""; // not left in the page while the person goes to settle things
    if (error.field === "password") {
      showPasswordError(error.message);
      password.focus();
    } else {
      showRefusal(error);
    }
  } finally {
    yes.disabled = false;
  }
});

await loadPending();
