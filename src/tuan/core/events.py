"""Domain events and the envelope they travel in.

A domain event is a frozen dataclass named in the past tense (``UserRegistered``) with a class-level
``topic``. Events that must not be lost go through the outbox (``UnitOfWork.emit``); live
notifications that clients can recover from their stream positions go straight to the bus after
commit (``UnitOfWork.notify``).

Every event class is known by its topic. A durable event's payload is decoded into its class once,
by the relay, before any handler runs (:func:`decode`): a payload that does not fit fails there,
with an error that names the topic and the field, and handlers only ever see events that fit.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar, cast

import orjson
from pydantic import TypeAdapter, ValidationError

E = TypeVar("E", bound="DomainEvent")
_EVENT_TYPES: dict[str, type[DomainEvent]] = {}


class BadEventPayload(ValueError):
    """A durable event whose payload does not fit its class: retrying cannot help."""


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    topic: ClassVar[str] = "event"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "topic" not in cls.__dict__:
            return
        known = _EVENT_TYPES.get(cls.topic)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(f"topic {cls.topic!r} is taken by {known.__qualname__}")
        _EVENT_TYPES[cls.topic] = cls

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def decode(cls: type[E], envelope: Envelope) -> E:
        """The event ``envelope`` carries, as this class (the relay has checked it fits)."""
        if envelope.topic != cls.topic:
            raise BadEventPayload(f"{envelope.topic} is not {cls.topic}")
        return cast(E, _adapter(cls).validate_python(envelope.payload))


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(kind: type[DomainEvent]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind.topic)
    if adapter is None:
        adapter = _ADAPTERS[kind.topic] = TypeAdapter(kind)
    return adapter


def event_type(topic: str) -> type[DomainEvent] | None:
    return _EVENT_TYPES.get(topic)


def decode(envelope: Envelope) -> DomainEvent | None:
    """Check the payload fits its topic's class; None for a topic no class declares (live-only
    announcements such as chat lines). Raises :class:`BadEventPayload` naming what is wrong."""
    kind = _EVENT_TYPES.get(envelope.topic)
    if kind is None:
        return None
    try:
        return kind.decode(envelope)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'payload'}: {error['msg']}"
            for error in exc.errors()
        )
        raise BadEventPayload(
            f"{envelope.topic} payload does not fit {kind.__name__}: {problems}"
        ) from None


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

    @property
    def at(self) -> datetime:
        """When the event occurred."""
        return datetime.fromisoformat(self.occurred_at)

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
