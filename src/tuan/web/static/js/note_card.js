// A note forwarded into a chat: the card holds ids only, and each member reads it through the
// API, which shows the note only to those its audience includes ("a note you cannot see" to the
// others) and says when its author deleted it. Buying from it credits the forwarder's share.
import { formatMoney, t } from "./boot.js";
import { api } from "./api.js";
import { h, thumb } from "./dom.js";
import { productHref } from "./cards.js";

export function notePreview(message) {
  return [t("js.note_card_preview"), message.text].filter(Boolean).join(" ");
}

function shown(card) {
  const note = card.note;
  const cover = note.photos[0];
  const product = note.products.find((p) => p.on_sale);
  return h("div", { class: "note-card-body" },
    h("a", { class: "card-main", href: `/notes/${note.id}` },
      cover ? h("img", { src: thumb(cover.url, 160), alt: cover.alt || t("js.photo") }) : h("span", { class: "placeholder" }),
      h("span", {},
        h("span", { class: "name" }, note.title), h("br"),
        h("span", { class: "hint" }, t("js.note_by", { name: note.author_display_name })))),
    product
      ? h("div", { class: "card-actions" },
        h("span", { class: "price" }, formatMoney(product.price, product.currency)),
        h("a", { class: "button buy", href: productHref(product.product_id, card.share_id ?? product.share_id) },
          t("js.note_buy_named", { name: product.name })))
      : null);
}

export function noteCardMessage(message) {
  const body = h("div", {}, t("js.loading"));
  const element = h("div", { class: "chat-card note-chat-card" },
    message.text ? h("p", { class: "card-words" }, message.text) : null, body);
  api("GET", `/note-cards/${message.payload.forward_id}`).then(
    (card) => body.replaceChildren(card.state === "shown" ? shown(card)
      : h("p", { class: "hint" }, card.state === "deleted" ? t("js.note_card_deleted") : t("js.note_card_unseen"))),
    () => body.replaceChildren(h("p", { class: "hint" }, t("js.note_card_unseen"))));
  return element;
}
