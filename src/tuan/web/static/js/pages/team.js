// A team purchase's own page (its share link): the product at the team price, how the team
// stands (paid of size, time left, the members this viewer may see named), joining it, and for
// its members the invitation. Everything shown is the server's answer for this viewer; the page
// reads it again whenever the team moves (team_live.js) and when its clock runs out.
import { formatMoney, t } from "../boot.js";
import { api, onceKey } from "../api.js";
import { countdown, formError, h, showStatus, thumb } from "../dom.js";
import { showInvite } from "../team_invite.js";
import { watchTeam } from "../team_live.js";

const root = document.getElementById("team");
const teamId = Number(root.dataset.teamId);
const code = root.dataset.teamCode || null;
const status = document.getElementById("team-status");
const join = document.getElementById("team-join");
const joinButton = document.getElementById("team-join-button");
let product = null;
let stopClock = () => {};
let reads = 0;

function showProduct(team) {
  const link = document.getElementById("team-product");
  link.textContent = product.name;
  link.href = `/products/${product.id}`;
  const sku = product.skus.find((s) => s.id === team.sku_id);
  document.getElementById("team-price").textContent = t("js.team_price_is", { price: formatMoney(team.team_price, team.currency) });
  document.getElementById("team-regular").textContent = sku && sku.price > team.team_price ? formatMoney(sku.price, team.currency) : "";
  const image = product.images[0]?.url;
  document.getElementById("team-image").replaceChildren(image
    ? h("img", { class: "product-image", src: thumb(image, 320), alt: "" })
    : h("span", { class: "placeholder" }));
}

function showTeam(team) {
  document.getElementById("team-opener").textContent = team.opener_display_name === null
    ? t("js.team_of_someone") : t("js.team_of_opener", { name: team.opener_display_name });
  const progress = document.getElementById("team-progress");
  progress.max = team.size;
  progress.value = team.paid_count;
  document.getElementById("team-progress-text").textContent = t("js.team_progress", { paid: team.paid_count, size: team.size });
  document.getElementById("team-state").textContent = t(`js.team_status_${team.status}`);
  stopClock();
  const running = team.status === "open" && team.seconds_left !== null;
  document.getElementById("team-clock-line").hidden = !running;
  stopClock = running ? countdown(document.getElementById("team-clock"), team.seconds_left, load) : () => {};
  document.getElementById("team-members").textContent = team.member_names.length
    ? t("js.team_members", { names: team.member_names }) : "";
  const joinable = team.allowed_actions.includes("join");
  join.hidden = !joinable;
  joinButton.textContent = t("js.join_team", { price: formatMoney(team.team_price, team.currency) });
  document.getElementById("team-member-line").hidden = !team.you_are_member;
  showInvite(document.getElementById("team-invite"), team);
}

async function load() {
  const mine = ++reads;
  try {
    const query = code ? `?code=${encodeURIComponent(code)}` : "";
    const team = await api("GET", `/teams/${teamId}${query}`);
    if (!product) product = await api("GET", `/products/${team.product_id}`);
    if (mine !== reads) return; // a newer read is on its way
    showProduct(team);
    showTeam(team);
    document.getElementById("team-body").hidden = false;
    showStatus(status, "ready");
  } catch (error) {
    showStatus(status, "error", error.message, load);
  }
}

// Joining takes a place and places the order at the team price; paying it (on the order page)
// counts it. One key per click: a retry after a lost answer never takes two places.
joinButton.addEventListener("click", async () => {
  formError(join, null);
  joinButton.disabled = true;
  try {
    const body = code ? { code } : {};
    const result = await api("POST", `/teams/${teamId}/join`, body, { headers: { "Idempotency-Key": onceKey() } });
    location.assign(`/orders/${result.order.id}`);
  } catch (error) {
    formError(join, error.message);
    joinButton.disabled = false;
    load();
  }
});

await load();
watchTeam(teamId, code, load);
