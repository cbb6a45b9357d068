// Building the page from data: text always goes in as text (never as HTML), so a name or a
// message like <img onerror=…> shows as the characters typed and runs nothing.
import { formatDuration, t } from "./boot.js";

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

// A status line for loading, empty and failed states; failures offer a retry.
export function showStatus(element, kind, text, retry) {
  element.hidden = kind === "ready";
  element.classList.toggle("error", kind === "error");
  element.replaceChildren(text ?? "");
  if (kind === "error" && retry) {
    element.append(" ", h("button", { type: "button", class: "secondary", onclick: retry, text: t("js.retry") }));
  }
}

export function thumb(url, width) {
  return url && url.startsWith("/media/") ? `/thumbs/${width}/${url.slice("/media/".length)}` : url;
}

// Shows a form's failure in its own alert line (and clears it on the next try).
export function formError(form, message) {
  const line = form.querySelector(".error");
  if (!line) return;
  line.hidden = !message;
  line.textContent = message ?? "";
}

// A quantity as typed (an empty box is 0, "2.5" stays 2.5): the server says what it accepts.
export function typedQuantity(input) {
  const value = input.value.trim();
  return value === "" ? 0 : Number(value);
}

export function timeElement(iso, text) {
  return h("time", { datetime: iso }, text);
}

// Counts down from `seconds` (as the server measured them) in the element, every second.
export function countdown(element, seconds, onZero = () => {}) {
  const ends = performance.now() + seconds * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((ends - performance.now()) / 1000));
    element.textContent = formatDuration(left);
    element.setAttribute("aria-label", formatDuration(left));
    if (left === 0) {
      clearInterval(timer);
      onZero();
    }
  };
  const timer = setInterval(tick, 1000);
  tick();
  return () => clearInterval(timer);
}
