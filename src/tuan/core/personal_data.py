"""What the shared kernel's own tables hold about a person (ADR 0011, ``tuan.core.personal``)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

IN_FLIGHT = (
    "the system's record of an event or job about the person (ids, and a message's text in "
    "its event): not shown to them; kept until handled plus 7 days, then deleted"
)

TABLES = (
    TableData(
        "outbox",
        person=None,
        columns={
            "payload": Personal("", Erase.RETAIN, why=IN_FLIGHT),
            "event_id": NotPersonal(SYSTEM_MADE),
            "topic": NotPersonal(SYSTEM_MADE),
            "claim_token": NotPersonal(SYSTEM_MADE),
            "last_error": NotPersonal("a handler's error message, written by the system"),
        },
    ),
    TableData(
        "processed_events",
        person=None,
        columns={"handler": NotPersonal(SYSTEM_MADE), "event_id": NotPersonal(SYSTEM_MADE)},
    ),
    TableData(
        "due_jobs",
        person=None,
        columns={
            "payload": Personal("", Erase.RETAIN, why=IN_FLIGHT),
            "key": Personal("", Erase.RETAIN, why=IN_FLIGHT),
            "kind": NotPersonal(SYSTEM_MADE),
            "claim_token": NotPersonal(SYSTEM_MADE),
            "last_error": NotPersonal("a job's error message, written by the system"),
        },
    ),
)
