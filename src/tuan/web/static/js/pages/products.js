// Browsing and searching products (Chinese or English words).
import { t } from "../boot.js";
import { api } from "../api.js";
import { h, showStatus } from "../dom.js";
import { cardFromSearch } from "../cards.js";

const form = document.getElementById("search-form");
const results = document.getElementById("results");
const status = document.getElementById("results-status");

async function search() {
  const q = form.elements.q.value.trim();
  showStatus(status, "loading", t("js.loading"));
  try {
    const found = await api("GET", `/products?limit=40${q ? `&q=${encodeURIComponent(q)}` : ""}`);
    results.replaceChildren(...found.map((product) => h("li", {}, cardFromSearch(product))));
    showStatus(status, found.length ? "ready" : "empty", q ? t("js.nothing_found") : t("js.no_products"));
  } catch (error) {
    showStatus(status, "error", error.message, search);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const q = form.elements.q.value.trim();
  history.replaceState(null, "", q ? `?q=${encodeURIComponent(q)}` : location.pathname);
  search();
});

await search();
