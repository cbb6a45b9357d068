// The JSON API with the session cookie: every write carries the page's CSRF token.
import { csrf, t } from "./boot.js";

export class ApiError extends Error {
  // items: a refusal's several reasons, each said with the page where it is settled
  // ([{message, link}], e.g. what keeps an account from being deleted).
  constructor(status, code, message, field, items = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.items = items;
  }
}

// The server says why in the page's language (tuan.http.errors), with the refusal's numbers and
// names; the catalogue speaks only for answers without a body (a proxy's 502).
export function explain(code, fallback) {
  const key = `err.${code}`;
  const translated = t(key);
  return translated === key ? fallback : translated;
}

export async function api(method, path, body, { headers = {}, form = null } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (method !== "GET") init.headers["X-CSRF-Token"] = csrf;
  if (form) {
    init.body = form;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, "OFFLINE", t("err.OFFLINE"));
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data?.error ?? {};
    if (response.status === 401) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    const code = error.code ?? `HTTP_${response.status}`;
    const message = error.message ?? explain(code, t("err.UNKNOWN"));
    throw new ApiError(response.status, code, message, error.field, error.items ?? []);
  }
  return data;
}

// A key for a write that must happen once however often it is retried (checkout, payment).
export function onceKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
