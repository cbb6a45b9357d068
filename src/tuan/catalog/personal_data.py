"""What catalog holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import BOOKS, SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

SHOPS_OWN = "a shop's catalogue belongs to the business and stays on the orders that sold it"

TABLES = (
    TableData(
        "shops",
        person="owner_id",
        columns={
            # Erasure is refused while a shop has open orders; the shop is then closed and
            # stays, as the seller of record on its retained orders.
            "owner_id": Personal("shops.json", Erase.TOMBSTONE),
            "name": Personal("shops.json", Erase.RETAIN, why=BOOKS),
            "description": Personal("shops.json", Erase.BLANK),
            "currency": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "merchant_approvals",
        person="user_id",
        columns={"user_id": Personal("shops.json", Erase.DELETE_ROW)},
    ),
    TableData(
        "products",
        person=None,
        columns={
            "name": NotPersonal(SHOPS_OWN),
            "description": NotPersonal(
                SHOPS_OWN + "; blanked when the owner is erased (commands.close_shops_of)"
            ),
            "category": NotPersonal(SYSTEM_MADE),
            "currency": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
            "search_text": NotPersonal(
                "the product's own words, indexed for search; re-indexed without the description "
                "when the owner is erased"
            ),
        },
    ),
    TableData("product_images", person=None, columns={"key": NotPersonal(SHOPS_OWN)}),
    TableData("skus", person=None, columns={"label": NotPersonal(SHOPS_OWN)}),
    TableData(
        "deal_purchases",
        person="user_id",
        columns={"user_id": Personal("orders.json", Erase.TOMBSTONE, why=BOOKS)},
    ),
)
