"""Domain events and the envelope they travel in.

A domain event is a frozen dataclass named in the past tense (``UserRegistered``) with a class-level
``topic``. Events that must not be lost go through the outbox (``UnitOfWork.emit``); live
notifications that clients can recover from their stream positions go straight to the bus after
commit (``UnitOfWork.notify``).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import orjson


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    topic: ClassVar[str] = "event"

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Envelope:
    """What crosses the bus: an id (for idempotent handling), a topic and a JSON payload."""

    id: str
    topic: str
    payload: dict[str, Any]
    occurred_at: str

    @classmethod
    def wrap(cls, topic: str, payload: dict[str, Any], occurred_at: datetime) -> Envelope:
        return cls(
            id=uuid.uuid4().hex, topic=topic, payload=payload, occurred_at=occurred_at.isoformat()
        )

    def to_json(self) -> bytes:
        return orjson.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, raw: bytes | str) -> Envelope:
        data = orjson.loads(raw)
        return cls(
            id=str(data["id"]),
            topic=str(data["topic"]),
            payload=dict(data["payload"]),
            occurred_at=str(data["occurred_at"]),
        )
