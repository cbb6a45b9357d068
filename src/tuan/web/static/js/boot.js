// What the server told this page (locale, CSRF token, who is logged in, strings), and the
// formatting every page shares: sentences from the catalogue with plurals, numbers, percents,
// times in the viewer's time zone, prices by currency.
const boot = JSON.parse(document.getElementById("tuan-boot").textContent);

export const locale = boot.locale;
export const me = boot.me;
export const csrf = boot.csrf;
// The deleted-user tombstone's id and username: people.js is the one module that asks about it.
export const deletedUserId = boot.deleted_user_id;
export const deletedUsername = boot.deleted_username;

// The catalogue scheme of tuan.web.i18n, with the browser's CLDR in place of Babel's: an entry is
// a string with {name} or {name:format} placeholders, or an object of plural variants
// ({"one": …, "other": …}) chosen by values.count.
const plurals = new Intl.PluralRules(locale);

export function t(key, values = {}) {
  let text = boot.messages[key] ?? key;
  if (typeof text === "object") text = text[plurals.select(Number(values.count))] ?? text.other;
  return text.replace(/\{(\w+)(?::(\w+))?\}/g, (whole, name, format) =>
    name in values ? formatValue(values[name], format) : whole);
}

// {name:format} in a catalogue entry: the same formats as tuan.web.i18n.FORMATS.
const formats = {
  number: (value) => formatNumber(value),
  money: (value) => formatMoney(value.amount, value.currency),
  percent: (value) => percent(value),
  and: (value) => new Intl.ListFormat(locale, { type: "conjunction" }).format(value.map(String)),
  or: (value) => new Intl.ListFormat(locale, { type: "disjunction" }).format(value.map(String)),
  date: (value) => day.format(new Date(value)),
  time: (value) => clock.format(new Date(value)),
  datetime: (value) => formatTime(value),
  wait: (value) => formatWait(value),
};

function formatValue(value, format) {
  if (!format || !Object.hasOwn(formats, format)) return String(value);
  const formatter = formats[format];
  try {
    return formatter(value);
  } catch {
    return String(value); // a value of the wrong shape still reads as itself
  }
}

const numbers = new Intl.NumberFormat(locale);
const percents = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });

// Digits grouped the reader's way; options as Intl.NumberFormat's (a rating: { maximumFractionDigits: 1 }).
export function formatNumber(value, options) {
  return (options ? new Intl.NumberFormat(locale, options) : numbers).format(value);
}

// A rate in basis points (how every rate travels: commission_rate_bp) as a percent: 525 → 5.25%.
export function percent(basisPoints) {
  return percents.format(basisPoints / 10000);
}

const digitsByCurrency = new Map();

function fractionDigits(currency) {
  if (!digitsByCurrency.has(currency)) {
    const options = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions();
    digitsByCurrency.set(currency, options.maximumFractionDigits);
  }
  return digitsByCurrency.get(currency);
}

// Amounts travel as integer minor units (fen, cents) with an ISO 4217 currency.
export function formatMoney(amount, currency) {
  const major = amount / 10 ** fractionDigits(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(major);
}

// "12.5" typed by a person → 1250 minor units; null when it is not a positive amount.
export function parseMoney(text, currency) {
  const cleaned = String(text).trim().replace(/[,，\s]/g, "");
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const digits = fractionDigits(currency);
  const [whole, fraction = ""] = cleaned.split(".");
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
  return minor > 0 ? minor : null;
}

const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
const clock = new Intl.DateTimeFormat(locale, { timeStyle: "short" });

export function formatTime(iso) {
  return dateTime.format(new Date(iso));
}

// Today's times as a clock time, older ones with their date.
export function formatWhen(iso) {
  const when = new Date(iso);
  return when.toDateString() === new Date().toDateString() ? clock.format(when) : dateTime.format(when);
}

// Seconds to wait, in the largest whole unit, rounded up (as tuan.web.i18n.format_wait).
const waitUnits = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];

export function formatWait(seconds) {
  const whole = Math.max(1, Math.ceil(Number(seconds)));
  const [unit, size] = waitUnits.find(([, s]) => whole >= s);
  const amount = Math.ceil(whole / size);
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(amount);
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  return days ? t("js.duration_days", { days, rest }) : rest;
}

// Server-rendered <time datetime="…"> elements show the moment in the viewer's own time zone.
for (const element of document.querySelectorAll("time[datetime]")) {
  element.textContent = formatTime(element.dateTime);
}

// Switching language needs no extra click when scripts run.
const languageSelect = document.getElementById("language-select");
languageSelect?.addEventListener("change", () => languageSelect.form.requestSubmit());

// The installable app: the service worker keeps the shell and recent chats for reading offline
// (static/js/sw.js). Without a network the banner says the page shows what this device saved.
if (boot.service_worker && "serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null);
}

export function isOffline() {
  return !navigator.onLine;
}

function showOffline() {
  const banner = document.getElementById("connection-status");
  if (!banner) return;
  banner.hidden = !isOffline();
  banner.classList.toggle("offline", isOffline());
  banner.textContent = isOffline() ? t("js.offline_saved") : "";
}
addEventListener("offline", showOffline);
addEventListener("online", showOffline);
if (isOffline()) showOffline();
