// Product cards: in the chat (a shared product link shows as a card to buy from) and in lists.
import { formatMoney, t } from "./boot.js";
import { api } from "./api.js";
import { h, thumb } from "./dom.js";

const LINK = /^(?:https?:\/\/([^/\s]+))?\/products\/(\d+)(?:\?share=(\d+))?$/;

// A message that is only a link to a product on this site: {productId, shareId} or null.
export function productLink(text) {
  const match = LINK.exec((text ?? "").trim());
  if (!match || (match[1] && match[1] !== location.host)) return null;
  return { productId: Number(match[2]), shareId: match[3] ? Number(match[3]) : null };
}

export function productHref(productId, shareId) {
  return shareId ? `/products/${productId}?share=${shareId}` : `/products/${productId}`;
}

function image(url) {
  return url ? h("img", { src: thumb(url, 160), alt: "", loading: "lazy" }) : h("span", { class: "placeholder" });
}

export function productCard({ id, name, currency, price, regularPrice, imageUrl, teamSize, shareId }) {
  const was = regularPrice && regularPrice > price
    ? h("span", { class: "price-regular" }, formatMoney(regularPrice, currency))
    : null;
  return h("a", { class: "product-card", href: productHref(id, shareId), dataset: { productId: id } },
    image(imageUrl),
    h("span", {},
      h("span", { class: "name" }, name), h("br"),
      h("span", { class: "price" }, formatMoney(price, currency)), was,
      teamSize ? h("span", { class: "pill" }, ` ${t("js.team_of", { size: teamSize })}`) : null,
      h("br"),
      h("span", { class: "button-like" }, shareId ? t("js.buy_from_card") : t("js.view_product"))));
}

export function cardFromSearch(found) {
  return productCard({
    id: found.id, name: found.name, currency: found.currency, price: found.price_from,
    regularPrice: found.regular_price_from, imageUrl: found.image_url, teamSize: found.team_size,
  });
}

const products = new Map();

// A product card for a shared link, filled in once the product is read (each read once a page).
export function sharedProductCard({ productId, shareId }) {
  const holder = h("div", { class: "shared-product" }, t("js.loading"));
  if (!products.has(productId)) products.set(productId, api("GET", `/products/${productId}`));
  products.get(productId).then(
    (product) => {
      const cheapest = product.skus.reduce((a, b) => (b.price < a.price ? b : a));
      holder.replaceChildren(productCard({
        id: product.id, name: product.name, currency: product.currency, price: cheapest.price,
        regularPrice: cheapest.regular_price, imageUrl: product.images[0]?.url,
        teamSize: product.team_size, shareId,
      }));
    },
    () => holder.replaceChildren(h("a", { href: productHref(productId, shareId) }, t("js.product_unavailable"))),
  );
  return holder;
}
