"""What orders holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import BOOKS, SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "orders",
        person="buyer_id",
        columns={
            "buyer_id": Personal("orders.json", Erase.TOMBSTONE, why=BOOKS),
            "sharer_id": Personal("orders.json", Erase.TOMBSTONE, why=BOOKS),
            "tracking": Personal(
                "orders.json",
                Erase.RETAIN,
                why="a parcel's tracking number, needed to settle a dispute: kept 3 years "
                "(电子商务法 Art. 31), then blanked",
            ),
            "kind": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
            "currency": NotPersonal(SYSTEM_MADE),
            "commission_note": NotPersonal(SYSTEM_MADE),
            "active_payment_ref": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "order_lines",
        person=None,
        columns={
            "product_name": NotPersonal("what was sold, copied from the catalogue"),
            "sku_label": NotPersonal("what was sold, copied from the catalogue"),
        },
    ),
    TableData(
        "order_transitions",
        person="actor_id",
        columns={
            "actor_id": Personal("orders.json", Erase.TOMBSTONE, why=BOOKS),
            "from_status": NotPersonal(SYSTEM_MADE),
            "to_status": NotPersonal(SYSTEM_MADE),
            "reason": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "cart_items",
        person="user_id",
        columns={"user_id": Personal("orders.json", Erase.DELETE_ROW)},
    ),
    TableData(
        "idempotency_keys",
        person="user_id",
        columns={
            "user_id": Personal("", Erase.DELETE_ROW, why="a client's retry record, kept a day"),
            "key": NotPersonal("made by the client app for one checkout"),
            "request_hash": NotPersonal("a hash of a request body, for retries"),
        },
    ),
)
