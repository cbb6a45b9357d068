// Notifications: opening the page reads them all; answers to requests go straight from here;
// new ones arriving live offer a refresh.
import { api } from "../api.js";
import { h } from "../dom.js";
import { t } from "../boot.js";
import { Live } from "../live.js";

const list = document.getElementById("notifications");
if (list) {
  await api("POST", "/notifications/read", { up_to: Number(list.dataset.newest) });
  document.getElementById("notification-badge").hidden = true;
}

for (const answers of document.querySelectorAll("[data-answer-url]")) {
  for (const button of answers.querySelectorAll("button")) {
    button.addEventListener("click", async () => {
      try {
        await api("POST", `${answers.dataset.answerUrl}/${button.dataset.answer}`);
        answers.replaceChildren(h("span", { class: "ok" },
          button.dataset.answer === "accept" ? t("js.accepted") : t("js.declined")));
      } catch (error) {
        answers.append(h("span", { class: "error", role: "alert" }, error.message));
      }
    });
  }
}

new Live({
  onFrame: (frame) => {
    if (frame.type === "notification") document.getElementById("new-notifications").hidden = false;
  },
}).connect();
