// "Notifications on this device": the browser asks for permission only when the person presses
// the button (never on page load); the subscription goes to the server, which pushes through
// the service worker (static/js/sw.js). The person's devices are listed, each removable, and
// whether a push may show message text (off by default: a lock screen is seen by others).
import { api } from "../api.js";
import { formatTime, t } from "../boot.js";
import { h } from "../dom.js";

const section = document.getElementById("push");
const enable = document.getElementById("push-enable");
const unavailable = document.getElementById("push-unavailable");
const status = document.getElementById("push-status");
const showText = document.getElementById("push-show-text");
const quietOn = document.getElementById("quiet-on");
const quietStart = document.getElementById("quiet-start");
const quietEnd = document.getElementById("quiet-end");
const list = document.getElementById("push-devices");
const none = document.getElementById("push-no-devices");
const error = section.querySelector(".error");

function says(problem) {
  error.hidden = !problem;
  error.textContent = problem ?? "";
}

// The VAPID key travels as base64url; the browser wants its bytes.
function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function device(item) {
  const remove = h("button", { type: "button", class: "secondary", text: t("js.push_remove") });
  remove.addEventListener("click", async () => {
    says(null);
    try {
      await api("DELETE", `/me/push-subscriptions/${item.id}`);
      if (item.this_device) await (await currentSubscription())?.unsubscribe();
      await load();
    } catch (problem) {
      says(problem.message);
    }
  });
  const label = item.label || t("js.push_unknown_device");
  return h("li", { class: "row", dataset: { deviceId: item.id } },
    h("span", {}, item.this_device ? t("js.push_this_device", { label }) : label),
    h("small", { class: "hint" }, formatTime(item.created_at)),
    remove);
}

async function currentSubscription() {
  if (!("serviceWorker" in navigator)) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return registration ? registration.pushManager.getSubscription() : null;
}

async function load() {
  const mine = await api("GET", "/me/push-subscriptions");
  showText.checked = mine.show_text;
  quietOn.checked = Boolean(mine.quiet_hours);
  if (mine.quiet_hours) {
    quietStart.value = mine.quiet_hours.start;
    quietEnd.value = mine.quiet_hours.end;
  }
  list.replaceChildren(...mine.devices.map(device));
  none.hidden = mine.devices.length > 0;
}

async function offer() {
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  let key = null;
  try {
    key = supported ? (await api("GET", "/push/key")).public_key : null;
  } catch {
    key = null; // this server sends no pushes (no VAPID keys configured)
  }
  unavailable.hidden = Boolean(key);
  enable.hidden = !key;
  enable.onclick = key ? () => subscribe(key) : null;
}

async function subscribe(key) {
  says(null);
  enable.disabled = true;
  try {
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = t("js.push_blocked");
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
    await api("POST", "/me/push-subscriptions", subscription.toJSON());
    status.textContent = t("js.push_on");
    await load();
  } catch (problem) {
    says(problem.message ?? t("js.push_failed"));
  } finally {
    enable.disabled = false;
  }
}

showText.addEventListener("change", async () => {
  says(null);
  try {
    await api("PUT", "/me/push-settings", { show_text: showText.checked });
  } catch (problem) {
    showText.checked = !showText.checked;
    says(problem.message);
  }
});

// Do-not-disturb hours are on this device's clock: its time zone goes with them, and the server
// holds pushes until they end (the rule lives there, not here).
async function saveQuietHours() {
  says(null);
  const hours = quietOn.checked
    ? { start: quietStart.value, end: quietEnd.value, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone }
    : null;
  try {
    await api("PUT", "/me/push-settings", { quiet_hours: hours });
  } catch (problem) {
    says(problem.message);
  }
}

for (const input of [quietOn, quietStart, quietEnd]) input.addEventListener("change", saveQuietHours);

load().catch((problem) => says(problem.message));
offer();
