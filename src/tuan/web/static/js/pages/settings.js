// My settings: privacy choices (each saved as soon as it changes) and my profile.
import { api } from "../api.js";
import { formError, showStatus } from "../dom.js";

const privacy = document.getElementById("privacy-form");
const receipts = document.getElementById("share-read-receipts");

async function loadPrivacy() {
  try {
    const preferences = await api("GET", "/me/chat-preferences");
    receipts.checked = preferences.share_read_receipts;
    showStatus(document.getElementById("privacy-status"), "ready");
  } catch (error) {
    showStatus(document.getElementById("privacy-status"), "error", error.message, loadPrivacy);
  }
}

receipts.addEventListener("change", async () => {
  formError(privacy, null);
  privacy.querySelector(".ok").hidden = true;
  try {
    const saved = await api("PUT", "/me/chat-preferences", { share_read_receipts: receipts.checked });
    receipts.checked = saved.share_read_receipts;
    privacy.querySelector(".ok").hidden = false;
  } catch (error) {
    receipts.checked = !receipts.checked;
    formError(privacy, error.message);
  }
});

const profile = document.getElementById("profile-form");
profile.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError(profile, null);
  profile.querySelector(".ok").hidden = true;
  try {
    await api("PATCH", "/me", {
      display_name: profile.elements.display_name.value,
      bio: profile.elements.bio.value,
    });
    const file = profile.elements.avatar.files[0];
    if (file) {
      const form = new FormData();
      form.append("file", file);
      await api("PUT", "/me/avatar", undefined, { form });
      profile.elements.avatar.value = "";
    }
    profile.querySelector(".ok").hidden = false;
  } catch (error) {
    formError(profile, error.message);
  }
});

await loadPrivacy();
