"""What asks holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "recommendation_asks",
        person="asker_id",
        columns={
            # The ask stays as "deleted" so others' answers under it keep their place.
            "asker_id": Personal("asks.json", Erase.TOMBSTONE),
            "text": Personal("asks.json", Erase.BLANK),
            "category": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "recommendation_answers",
        person="answerer_id",
        columns={"answerer_id": Personal("asks.json", Erase.DELETE_ROW)},
    ),
)
