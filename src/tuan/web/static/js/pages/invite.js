// An invite link: what it leads to, and joining (or asking to join) from it.
import { t } from "../boot.js";
import { api } from "../api.js";
import { formError, showStatus } from "../dom.js";

const code = document.getElementById("invite").dataset.code;
const status = document.getElementById("invite-status");
const form = document.getElementById("join-form");

async function load() {
  try {
    const invite = await api("GET", `/invites/${encodeURIComponent(code)}`);
    document.getElementById("invite-group").textContent = invite.name;
    document.getElementById("invite-description").textContent = invite.description;
    document.getElementById("invite-facts").textContent = [
      t("js.member_count", { count: invite.member_count }),
      t(`js.policy_${invite.join_policy}`),
    ].join(" · ");
    if (invite.join_question) {
      const question = document.getElementById("join-question");
      question.textContent = invite.join_question;
      question.hidden = false;
      document.getElementById("join-answer").hidden = false;
    }
    document.getElementById("invite-details").hidden = false;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(form, null);
  try {
    const outcome = await api("POST", `/invites/${encodeURIComponent(code)}/join`, { answer: form.elements.answer.value });
    if (outcome.status === "joined") {
      location.assign(`/chats/${outcome.group_id}`);
    } else {
      form.hidden = true;
      document.getElementById("join-requested").hidden = false;
    }
  } catch (error) {
    formError(form, error.message);
  }
});

await load();
