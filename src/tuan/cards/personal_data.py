"""What cards holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "card_comments",
        person="user_id",
        columns={
            "user_id": Personal("cards.json", Erase.DELETE_ROW),
            "text": Personal("cards.json", Erase.DELETE_ROW),
            "target": NotPersonal(SYSTEM_MADE),
            "target_id": NotPersonal("the card or report liked or commented on"),
        },
    ),
    TableData(
        "card_likes",
        person="user_id",
        columns={
            "user_id": Personal("cards.json", Erase.DELETE_ROW),
            "target": NotPersonal(SYSTEM_MADE),
            "target_id": NotPersonal("the card or report liked or commented on"),
        },
    ),
    TableData(
        "product_cards",
        person="sharer_id",
        columns={
            # The card stays in the chat (its share carries commission on retained orders);
            # what the sharer wrote and the photos they added go.
            "sharer_id": Personal("cards.json", Erase.TOMBSTONE),
            "text": Personal("cards.json", Erase.BLANK),
            "photos": Personal("photos/", Erase.BLANK, why="the files on disk are deleted too"),
            "photo_alts": Personal("cards.json", Erase.BLANK, why="they describe the photos"),
        },
    ),
)
